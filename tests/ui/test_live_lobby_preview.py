"""The lobby's camera preview in the desktop app, against the real embedded server and bots.

A facilitator sees the people waiting (video only) before admitting them; the policy may
turn that off; a participant waiting in the desktop app answers a facilitator's preview.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtGui import QImage
from ui_helpers import Run

from groupdesk.bots import BotBehaviour, BotSwarm, run_bots
from groupdesk.core.protocol import (
    FacilitatorHello,
    Lobby,
    OpenRoom,
    RoomOpened,
    ServerMessage,
    Welcome,
)
from groupdesk.media.preview import LobbyPreviews
from groupdesk.server.app import start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_preview import THUMBNAIL
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.lobby_panel import LobbyEntryView, LobbyPanel
from groupdesk.ui.screenshot import save_screenshot
from managed_policy import write_managed_policy

pytestmark = pytest.mark.slow

BOT = BotBehaviour(width=320, height=180, fps=10, receive_video=False, hand_raises_per_minute=0)


def _pixels(image: QImage) -> bytes:
    return bytes(image.constBits())


@dataclass
class Lobby1:
    """A facilitator's session and lobby panel, with one bot waiting."""

    live: LiveSession
    panel: LobbyPanel
    swarm: BotSwarm
    entry: LobbyEntryView


@asynccontextmanager
async def _one_waiting(
    tmp_path: Path, qtbot: Any, behaviour: BotBehaviour = BOT
) -> AsyncIterator[Lobby1]:
    log, session, _ = await prepared_log(tmp_path, ["Ana"])
    live = LiveSession()
    panel = LobbyPanel(live, None)
    qtbot.addWidget(panel)
    panel.resize(420, 600)
    panel.show()
    swarm: BotSwarm | None = None
    try:
        assert await live.open_room(log, session.id, sources=synthetic("Julie"))
        swarm = await run_bots(live.invite, 1, ["Ana"], behaviour)
        await wait_for(lambda: len(panel.entries) == 1)
        yield Lobby1(live, panel, swarm, panel.entries[0])
    finally:
        if swarm is not None:
            await swarm.stop()
        await live.close()
        await log.close()


def test_the_facilitator_sees_a_waiting_person_move_until_admitted(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with _one_waiting(tmp_path, qtbot) as lobby:
            live, panel, entry = lobby.live, lobby.panel, lobby.entry
            seat = entry.person.seat
            assert entry.preview.accessibleName() == "Camera preview of Ana"
            await wait_for(lambda: live.previews.state(seat) == "showing")
            await wait_for(lambda: entry.showing)
            first = live.previews.image(seat)
            assert first is not None
            # a thumbnail, scaled off the UI thread, not the frame as received
            assert first.width() <= THUMBNAIL.width()
            assert first.height() <= THUMBNAIL.height()
            await wait_for(lambda: _pixels(live.previews.image(seat) or first) != _pixels(first))
            pixmap = entry.preview.pixmap()
            assert not pixmap.isNull()
            assert pixmap.width() == first.width()
            assert "without sound" in panel.no_preview.text()
            # the view is kept while the person waits: a lobby change does not recreate it
            await live.set_match(seat, None)
            assert panel.entries[0] is entry
            assert save_screenshot(panel, tmp_path / "lobby-preview.png").exists()

            await live.admit(seat)
            await wait_for(lambda: not panel.entries)
            await wait_for(lambda: not live.previews.viewers)
            await wait_for(lambda: lobby.swarm.bots[0].preview.watchers == ())
            assert live.previews.image(seat) is None

    run(scenario())


def test_the_policy_turns_previews_off(run: Run[Any], qtbot: Any, tmp_path: Path) -> None:
    write_managed_policy({"lobby_preview": False})

    async def scenario() -> None:
        async with _one_waiting(tmp_path, qtbot) as lobby:
            entry = lobby.entry
            await asyncio.sleep(1.0)  # time enough to ask, were it allowed
            assert entry.preview.text() == "No preview"
            assert not entry.showing
            assert lobby.panel.no_preview.text() == (
                "Previews of people waiting are turned off by your organisation."
            )
            assert not lobby.live.previews.viewers
            assert lobby.live.previews.state(entry.person.seat) is None
            assert lobby.swarm.bots[0].preview.watchers == ()  # nobody asked

    run(scenario())


def test_a_person_without_camera_shows_camera_off(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    no_camera = BotBehaviour(send_video=False, receive_video=False, hand_raises_per_minute=0)

    async def scenario() -> None:
        async with _one_waiting(tmp_path, qtbot, no_camera) as lobby:
            entry = lobby.entry
            await wait_for(lambda: lobby.live.previews.state(entry.person.seat) == "camera_off")
            assert entry.preview.text() == "Camera off"
            assert not entry.showing

    run(scenario())


def test_a_participant_waiting_in_the_app_answers_a_facilitator_preview(
    run: Run[Any], tmp_path: Path
) -> None:
    async def scenario() -> None:
        store = CredentialStore(None)
        credential = store.add("ana")
        server = await start_server("127.0.0.1", 0, credentials=store)
        client = SignalingClient()
        frames: list[av.VideoFrame] = []
        lobby: list[str] = []

        def on_message(message: ServerMessage) -> None:
            if isinstance(message, Lobby):
                lobby[:] = [entry.member for entry in message.waiting]

        previews = LobbyPreviews(client, lambda _seat, frame: frames.append(frame))
        client.on_message(on_message)
        peer: LiveSession | None = None
        try:
            await client.connect(server.ws_url)
            await client.send(FacilitatorHello(name="ana", credential=credential))
            while not isinstance(await client.receive(10), Welcome):
                pass
            await client.send(OpenRoom())
            while not isinstance(opened := await client.receive(10), RoomOpened):
                pass
            peer = await knock(opened.invite, "Inès")
            await wait_for(lambda: len(lobby) == 1)
            seat = lobby[0]
            await wait_for(lambda: len(frames) >= 5)
            assert previews.state(seat) == "showing"
            assert peer.stage is LiveStage.WAITING
            # turning the camera off while waiting says so to the facilitator
            await peer.set_camera_off(True)
            await wait_for(lambda: previews.state(seat) == "camera_off")
            await peer.set_camera_off(False)
            await wait_for(lambda: previews.state(seat) == "showing")
            # leaving ends the preview
            await peer.leave()
            await wait_for(lambda: previews.state(seat) in (None, "closed"))
        finally:
            if peer is not None:
                await peer.close()
            await previews.close()
            await client.close()
            await server.stop()

    run(scenario())


def test_ending_while_someone_waits_in_the_app_leaves_nothing_open(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        ben: LiveSession | None = None
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            ben = await knock(live.invite, "Ben")
            await wait_for(lambda: len(live.lobby) == 1)
            seat = live.lobby[0].seat
            await wait_for(lambda: live.previews.state(seat) == "showing")
            await live.end()
            await wait_for(lambda: ben is not None and not ben.active)
            assert ben.problem is LiveProblem.ENDED_BY_FACILITATOR
            assert not live.previews.viewers
        finally:
            if ben is not None:
                await ben.close()
            await live.close()
            await log.close()

    run(scenario())
