"""The live screen in an SFU room: the desktop's calls (facilitator and participant) go
through the organisation's media server (a real Janus behind a real groupdesk-server),
show the members they receive from it, say the call is not end-to-end encrypted and show
no security code; a member who leaves loses their tile."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtGui import QColor, QImage
from ui_helpers import Run

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.core.protocol import ClientUplink
from groupdesk.core.uplink import UplinkRule
from groupdesk.media.mesh import Mesh
from groupdesk.media.sfu import SfuCall
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "media"))  # Janus for tests
from sfu_helpers import needs_janus, sfu_server

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(width=160, height=90, fps=10, hand_raises_per_minute=0)
CODE = re.compile(r"\d{3} \d{3} \d{3} \d{3}")


def _says_not_end_to_end(page: LivePage) -> None:
    """The page's tab says the call is not end-to-end encrypted, and shows no code."""
    view = page.security_code_view
    tabs = page.side_tabs
    index = tabs.indexOf(view.panel)
    assert not tabs.buttons[index].isHidden()
    assert tabs.tabText(index) == "Not end-to-end encrypted"
    assert view.panel.code.text() == "Not end-to-end encrypted"
    about = view.panel.about.text()
    assert "your organisation's media server" in about
    assert "not end-to-end encrypted" in about
    assert "no security code" in about
    assert view.view is None  # no code computed...
    shown = [view.panel.code.text(), about, view.panel.changed.text()]
    assert not any(CODE.search(text) for text in shown)  # ...nor shown
    assert view.panel.changed.isHidden()


@needs_janus
def test_an_sfu_room_is_not_end_to_end_encrypted_and_carries_shares(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with sfu_server() as (server, credential):
            log, session, _ = await prepared_log(tmp_path, ["Ana", "Bea"])
            host = LiveSession()
            host_page = LivePage(host)
            qtbot.addWidget(host_page)
            host_page.show()
            guest: LiveSession | None = None
            swarm = None
            try:
                assert await host.open_room(
                    log,
                    session.id,
                    server_url=server.ws_url,
                    account="ana",
                    credential=credential,
                    sources=synthetic("Julie"),
                )
                guest = await knock(host.invite, "Bea", seed=2)  # the desktop's participant
                guest_page = LivePage(guest)
                qtbot.addWidget(guest_page)
                guest_page.show()
                swarm = await run_bots(host.invite, 1, ["Ana"], SMALL)
                await wait_for(lambda: len(host.lobby) == 2)
                await host.admit_all()
                await wait_for(lambda: guest.stage is LiveStage.LIVE)
                pages = (host_page, guest_page)
                await wait_for(lambda: all(len(p.grid.tiles) == 3 for p in pages), 30)
                calls = [host.mesh, guest.mesh, swarm.bots[0].mesh]
                assert all(isinstance(c, SfuCall) for c in calls)
                seats = [host.self_seat, guest.self_seat, swarm.bots[0].member_id]

                def pictures() -> bool:  # each member's picture, from the media server
                    return all(
                        other in c.peers and c.peers[other].received.video_frames >= 5
                        for c, me in zip(calls, seats, strict=True)
                        if c is not None
                        for other in seats
                        if other != me
                    )

                await wait_for(pictures, 60)
                for page in pages:
                    _says_not_end_to_end(page)

                # the facilitator shares a document through the media server: the desktop
                # participant decodes it at the share's size and shows it large
                decoded: list[tuple[str, int, int]] = []
                shown = guest.share.share_frame

                def seen(member_id: str, frame: Any) -> None:
                    decoded.append((member_id, frame.width, frame.height))
                    shown(member_id, frame)

                guest.share.share_frame = seen  # type: ignore[method-assign]
                picture = QImage(1280, 720, QImage.Format.Format_RGB32)
                picture.fill(QColor("#2a6"))
                assert picture.save(str(tmp_path / "page.png"))
                assert await host.share.share_document(tmp_path / "page.png")
                host_call = host.mesh
                assert isinstance(host_call, SfuCall)
                assert host_call.share_publisher is not None
                guest_view = guest_page.share_view
                await wait_for(lambda: guest_view.isVisible() and not guest_view.image.isNull(), 45)
                assert guest_view.caption.text().endswith("is sharing a document")
                assert guest_view.height() > guest_page.grid.tiles[host.self_seat].height()
                await wait_for(lambda: len(decoded) >= 3, 30)
                assert {d[0] for d in decoded} == {host.self_seat}
                print("share decoded through Janus:", sorted({d[1:] for d in decoded}))
                assert all(w >= 1200 and h >= 680 for _m, w, h in decoded[-2:])
                bot_call = swarm.bots[0].mesh
                assert isinstance(bot_call, SfuCall)
                await wait_for(lambda: host.self_seat in bot_call.share_peers, 30)

                # the participant may share once allowed; taken back, it ends for everyone
                assert not await guest.share.share_document(tmp_path / "page.png")
                assert guest.share.last_problem == "not_allowed"
                await host.share.allow(guest.self_seat, True)
                await wait_for(lambda: guest.share.may_share)
                assert await guest.share.share_document(tmp_path / "page.png")
                await wait_for(lambda: guest.self_seat in host_call.share_peers, 30)
                host_view = host_page.share_view
                await wait_for(lambda: host_view.caption.text() == "Bea is sharing a document", 30)
                await wait_for(
                    lambda: host_call.share_peers[guest.self_seat].received.share_frames >= 3, 30
                )
                await host.share.allow(guest.self_seat, False)
                await wait_for(lambda: guest.share.mine is None)
                await wait_for(
                    lambda: (
                        guest.self_seat not in host_call.share_peers
                        and guest.self_seat not in bot_call.share_peers
                    ),
                    20,
                )
                guest_call = guest.mesh
                assert isinstance(guest_call, SfuCall)
                await wait_for(lambda: guest_call.share_publisher is None)
                await host.share.stop()
                await wait_for(lambda: not guest_view.isVisible() and not guest_call.share_peers)
                # journaled as in a mesh: who shared what kind, who allowed, when
                rows = [
                    e.kind for e in await log.journal(session.id) if e.kind.startswith("share.")
                ]
                assert rows == [
                    "share.started",
                    "share.allowed",
                    "share.started",
                    "share.disallowed",
                    "share.stopped",
                    "share.stopped",
                ]

                languages.set_language("fr_CA")  # retranslated as the loop runs
                tabs, panel = host_page.side_tabs, host_page.security_code_view.panel
                index = tabs.indexOf(panel)
                await wait_for(lambda: tabs.tabText(index) == "Non chiffré de bout en bout")
                assert panel.code.text() == "Non chiffré de bout en bout"
                assert "serveur média de votre organisation" in panel.about.text()
                languages.set_language("en")
                await wait_for(lambda: tabs.tabText(index) == "Not end-to-end encrypted")

                # Ana leaves: her tile goes on both screens, and her stream from both calls
                gone = swarm.bots[0].member_id
                await swarm.bots[0].leave()
                await wait_for(
                    lambda: all(
                        gone not in p.grid.tiles and gone not in c.peers
                        for p, c in zip(pages, calls[:2], strict=True)
                        if c is not None
                    )
                )
                assert [len(p.grid.tiles) for p in pages] == [2, 2]
                for page in pages:
                    _says_not_end_to_end(page)
            finally:
                if swarm is not None:
                    await swarm.stop()
                if guest is not None:
                    await guest.close()
                await host.close()
                await log.close()

    run(scenario())


@needs_janus
def test_an_auto_room_that_moves_to_the_media_server_says_so_and_journals_why(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    """media_mode auto: a room planned for two opens as a mesh (a security code to read);
    the facilitator's uplink reports say it is too poor; the room moves to Janus and both
    desktop calls follow it: the tab says not end-to-end encrypted, the pictures and the
    facilitator's share come from the media server, and the session's journal says why it
    moved (no figure, no name)."""

    async def scenario() -> None:
        rule = UplinkRule(min_interval_s=0.0)  # the three reports at once, not in 15 s
        async with sfu_server(media_mode="auto", uplink=rule) as (server, credential):
            log, session, _ = await prepared_log(tmp_path, ["Ana", "Bea"])
            host = LiveSession()
            host_page = LivePage(host)
            qtbot.addWidget(host_page)
            host_page.show()
            guest: LiveSession | None = None
            try:
                assert await host.open_room(
                    log,
                    session.id,
                    server_url=server.ws_url,
                    account="ana",
                    credential=credential,
                    sources=synthetic("Julie"),
                )
                guest = await knock(host.invite, "Bea", seed=2)
                guest_page = LivePage(guest)
                qtbot.addWidget(guest_page)
                guest_page.show()
                await wait_for(lambda: len(host.lobby) == 1)
                await host.admit_all()
                await wait_for(lambda: guest.stage is LiveStage.LIVE)
                assert isinstance(host.mesh, Mesh)
                assert isinstance(guest.mesh, Mesh)
                pages = (host_page, guest_page)
                code = host_page.security_code_view.panel.code
                await wait_for(lambda: CODE.fullmatch(code.text()) is not None, 30)

                picture = QImage(320, 180, QImage.Format.Format_RGB32)
                picture.fill(QColor("#2a6"))
                assert picture.save(str(tmp_path / "page.png"))
                assert await host.share.share_document(tmp_path / "page.png")  # a mesh can

                for _ in range(3):
                    assert await host.line.send(ClientUplink(kbps=100, streams=1))
                sessions = (host, guest)
                await wait_for(lambda: all(isinstance(s.mesh, SfuCall) for s in sessions), 30)
                seats = [host.self_seat, guest.self_seat]

                def pictures() -> bool:  # each one's picture, from the media server now
                    calls = [s.mesh for s in sessions]
                    return all(
                        isinstance(c, SfuCall)
                        and other in c.peers
                        and c.peers[other].received.video_frames >= 5
                        for c, me in zip(calls, seats, strict=True)
                        for other in seats
                        if other != me
                    )

                await wait_for(pictures, 60)
                # the share that went on the mesh's connections goes on through Janus:
                # still announced, and its pages reach the guest from the media server
                assert host.share.mine == "document"
                assert guest.share.shown is not None
                guest_call = guest.mesh
                assert isinstance(guest_call, SfuCall)
                await wait_for(
                    lambda: (
                        host.self_seat in guest_call.share_peers
                        and guest_call.share_peers[host.self_seat].received.share_frames >= 3
                    ),
                    30,
                )
                for page in pages:
                    await wait_for(lambda p=page: p.security_code_view.through_server)  # type: ignore[misc]
                    _says_not_end_to_end(page)
                rows = [e for e in await log.journal(session.id) if e.kind.startswith("media.")]
                assert [(e.kind, dict(e.data or {})) for e in rows] == [
                    ("media.switched", {"why": "uplink"})
                ]
            finally:
                if guest is not None:
                    await guest.close()
                await host.close()
                await log.close()

    run(scenario())
