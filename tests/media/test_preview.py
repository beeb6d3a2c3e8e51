"""The lobby preview through the real server (127.0.0.1): a facilitator sees a waiting bot."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from media_helpers import eventually, run

from groupdesk.bots.behaviour import BotBehaviour
from groupdesk.bots.bot import Bot
from groupdesk.core.protocol import (
    Admit,
    Admitted,
    Decline,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    RoomOpened,
    ServerMessage,
    Welcome,
    parse_invite_link,
)
from groupdesk.media.messages import MediaSignalError
from groupdesk.media.preview import (
    PREVIEW_PROFILE,
    LobbyPreviews,
    PreviewAnswer,
    PreviewCamera,
    PreviewOffer,
    PreviewStop,
    parse_preview,
    preview_payload,
)
from groupdesk.media.sources import read_frame_stamp
from groupdesk.server.app import RunningServer, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow


class Facilitator:
    """A facilitator's signalling client with lobby previews, recording frames and states."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.frames: dict[str, list[av.VideoFrame]] = {}
        self.states: list[tuple[str, str]] = []
        self.previews = LobbyPreviews(self.client, self._frame, self._state)
        self.lobby: Lobby | None = None
        self.member = ""
        self.client.on_message(self._message)

    def _frame(self, member: str, frame: av.VideoFrame) -> None:
        self.frames.setdefault(member, []).append(frame)

    def _state(self, member: str, state: str) -> None:
        self.states.append((member, state))

    def _message(self, message: ServerMessage) -> None:
        if isinstance(message, Lobby):
            self.lobby = message
        elif isinstance(message, Admitted):
            self.member = message.member

    async def open(self, server: RunningServer, credential: str) -> str:
        await self.client.connect(server.ws_url)
        await self.client.send(FacilitatorHello(name="ana", credential=credential))
        while not isinstance(await self.client.receive(10), Welcome):
            pass
        await self.client.send(OpenRoom())
        while not isinstance(message := await self.client.receive(10), RoomOpened):
            pass
        return message.invite

    def waiting(self) -> list[str]:
        return [entry.member for entry in self.lobby.waiting] if self.lobby else []


async def _room(tmp_path: Path) -> tuple[RunningServer, Facilitator, str]:
    store = CredentialStore(tmp_path)
    credential = store.add("ana")
    server = await start_server("127.0.0.1", 0, credentials=store)
    facilitator = Facilitator()
    invite = await facilitator.open(server, credential)
    return server, facilitator, invite


def test_a_facilitator_sees_a_waiting_person_then_the_preview_ends_at_admission(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        server, ana, invite = await _room(tmp_path)
        bea = Bot("Bea", behaviour=BotBehaviour(width=640, height=360))
        try:
            await bea.join(parse_invite_link(invite))
            await eventually(lambda: len(ana.waiting()) == 1, what="Bea in the lobby")
            seat = ana.waiting()[0]
            await eventually(lambda: len(ana.frames.get(seat, [])) >= 10, what="preview frames")
            assert ana.previews.state(seat) == "showing"
            assert bea.preview.watchers == (ana.member,)
            frames = ana.frames[seat]
            # small and video only: the preview's size, whatever the camera sends
            assert {(f.width, f.height) for f in frames} == {
                (PREVIEW_PROFILE.width, PREVIEW_PROFILE.height)
            }
            stamps = [read_frame_stamp(f) for f in frames[-5:]]
            assert all(s is not None for s in stamps)  # Bea's own test pattern, decoded
            assert len({s.sequence for s in stamps if s is not None}) == 5  # moving
            viewer = ana.previews.viewers[seat]
            kinds = {t.kind for t in viewer._pc.getTransceivers()}
            assert kinds == {"video"}  # never the waiting person's sound

            await ana.client.send(Admit(member=seat))
            await eventually(lambda: bea.state == "admitted", what="Bea admitted")
            await eventually(lambda: ana.previews.state(seat) is None, what="preview closed")
            await eventually(lambda: bea.preview.watchers == (), what="Bea hung up the preview")
            assert (seat, "closed") in ana.states
        finally:
            await bea.leave()
            await ana.previews.close()
            await ana.client.close()
            await server.stop()

    run(scenario())


def test_camera_off_decline_and_a_person_who_gives_up(tmp_path: Path) -> None:
    async def scenario() -> None:
        server, ana, invite = await _room(tmp_path)
        carl = Bot("Carl", behaviour=BotBehaviour(send_video=False))
        dina = Bot("Dina", index=1)
        try:
            await carl.join(parse_invite_link(invite))
            await dina.join(parse_invite_link(invite))
            await eventually(lambda: len(ana.waiting()) == 2, what="two in the lobby")
            carl_seat, dina_seat = ana.waiting()
            await eventually(lambda: ana.previews.state(carl_seat) == "camera_off")
            await eventually(lambda: len(ana.frames.get(dina_seat, [])) >= 3, what="Dina")
            assert carl_seat not in ana.frames

            await dina.preview.set_camera(False)
            await eventually(lambda: ana.previews.state(dina_seat) == "camera_off")
            await dina.preview.set_camera(True)
            before = len(ana.frames[dina_seat])
            await eventually(lambda: len(ana.frames[dina_seat]) > before + 3, what="again")
            assert ana.previews.state(dina_seat) == "showing"

            await ana.client.send(Decline(member=carl_seat))
            await eventually(lambda: carl.state == "ended", what="Carl declined")
            assert ana.previews.state(carl_seat) is None
            await dina.leave()  # gives up waiting
            await eventually(lambda: ana.previews.viewers == {}, what="no preview left")
            assert (dina_seat, "closed") in ana.states
        finally:
            await carl.leave()
            await dina.leave()
            await ana.previews.close()
            await ana.client.close()
            await server.stop()

    run(scenario())


def test_previews_can_be_turned_off(tmp_path: Path) -> None:
    async def scenario() -> None:
        server, ana, invite = await _room(tmp_path)
        ana.previews.enabled = False
        bea = Bot("Bea")
        try:
            await bea.join(parse_invite_link(invite))
            await eventually(lambda: len(ana.waiting()) == 1, what="Bea in the lobby")
            await eventually(lambda: bea.state == "waiting")
            assert ana.previews.viewers == {}
            assert bea.preview.watchers == ()
        finally:
            await bea.leave()
            await ana.previews.close()
            await ana.client.close()
            await server.stop()

    run(scenario())


def test_preview_payloads_round_trip_and_bad_ones_are_named() -> None:
    for signal in (
        PreviewOffer("v=0\r\n"),
        PreviewAnswer("v=0\r\n", camera=False),
        PreviewCamera(on=True),
        PreviewStop(),
    ):
        assert parse_preview(preview_payload(signal), "abc") == signal
    for bad in (
        {"type": "preview.offer"},
        {"type": "preview.answer", "sdp": "hello"},
        {"type": "preview.answer", "sdp": "v=0", "camera": "yes"},
        {"type": "preview.camera"},
        {"type": "preview.other"},
    ):
        with pytest.raises(MediaSignalError) as error:
            parse_preview(bad, "0123456789ab")
        assert "0123456789ab" in str(error.value)
