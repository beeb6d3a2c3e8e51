"""The live screen in the main window: lobby panel, video grid, chat, controls, the end.

Real core objects throughout: the embedded server, aiortc bots, the session log.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from live_helpers import answering, knock, prepared_log, synthetic, wait_for
from page_helpers import open_window, seed_log, select_group
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import Run, Windows, next_emission

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.core.protocol import ClientApp, ClientChat, Question, QuestionText, SafetySignal
from groupdesk.server.rooms import RoomRegistry
from groupdesk.ui.live_members import Waiting
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.lobby_panel import LobbyEntryView, LobbyPanel
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.screenshot import save_screenshot
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(width=320, height=180, fps=10, receive_video=False, hand_raises_per_minute=0)


async def _window(windows: Windows, names: list[str]) -> tuple[MainWindow, int]:
    log, session, _ = await prepared_log(windows.data_dir, names)
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.live_sources = synthetic("Julie Tremblay", 9)
    return window, session.id


def test_lobby_grid_chat_and_end_on_screen(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana", "Ben", "Chloé"])
        page = window.live_page
        live = window.live
        assert await window.open_room_now(session_id)
        assert window.pages.currentWidget() is page
        assert page.invite.text() == live.invite
        assert "on this computer" in page.status.text()
        assert page.invite_warning.isVisible()  # the link is not for a real session
        assert "works only on this computer" in page.invite_warning.text()
        page.copy_invite()
        assert QApplication.clipboard().text() == live.invite

        swarm = await run_bots(live.invite, 3, ["Ana", "Ben", "Zoé"], SMALL)
        try:
            await wait_for(lambda: len(page.lobby.entries) == 3)
            assert "(3)" in page.side_tabs.tabText(0)
            assert page.lobby.knocks == 3
            zoe = next(e for e in page.lobby.entries if e.person.name == "Zoé")
            assert zoe.match.currentData() is None  # not in the group
            assert "✔ I am in a private place" in zoe.declared.text()  # the policy's words
            qtbot.mouseClick(zoe.decline_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: len(page.lobby.entries) == 2)
            ana = next(e for e in page.lobby.entries if e.person.name == "Ana")
            assert ana.match.currentText() == "Is Ana"
            qtbot.mouseClick(ana.admit_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: len(page.lobby.entries) == 1)
            page.shortcut_actions["admit_all"].trigger()
            await wait_for(lambda: not live.lobby and len(page.grid.tiles) == 3)

            # Tiles: one per member, with pictures arriving.
            await wait_for(
                lambda: all(t.image is not None for t in page.grid.visible_tiles()), timeout=60
            )
            names = {t.member.name for t in page.grid.visible_tiles()}
            assert names == {"Julie Tremblay", "Ana", "Ben"}
            ben = next(t for t in page.grid.tiles.values() if t.member.name == "Ben")
            bot_ben = next(b for b in swarm.bots if b.name == "Ben")
            await bot_ben.raise_hand()
            await wait_for(lambda: "number 1 in line" in ben.accessibleName())

            # Controls.
            qtbot.mouseClick(page.mute_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: live.muted)
            me = page.grid.tiles[live.self_seat]
            assert "muted" in me.accessibleName()
            qtbot.mouseClick(page.self_view_button, Qt.MouseButton.LeftButton)
            assert not me.isVisible()
            assert len(page.grid.visible_tiles()) == 2
            ana_tile = next(t for t in page.grid.tiles.values() if t.member.name == "Ana")
            page.grid.set_pinned(ben.member.seat)
            assert ben.width() > 2 * ana_tile.width()  # pinned: large, the others in a strip

            # Chat, to everyone and private.
            page.focus_chat()
            qtbot.keyClicks(page.chat.text, "Bonjour tout le monde")
            qtbot.keyClick(page.chat.text, Qt.Key.Key_Return)
            await wait_for(lambda: page.chat.lines.count() == 1)
            page.chat.write_to(ben.member.seat)
            qtbot.keyClicks(page.chat.text, "Un mot en prive")
            qtbot.mouseClick(page.chat.send_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: page.chat.lines.count() == 2)
            assert "You to Ben (private)" in page.chat.lines.item(1).text()

            save_screenshot(window, tmp_path / "live.png")

            # End: the confirmation, then the summary and the way to the notes.
            page.confirm_end()
            box = page.findChild(QMessageBox)
            assert box is not None
            box.button(QMessageBox.StandardButton.Yes).click()
            await wait_for(lambda: live.stage is LiveStage.ENDED)
            assert page.stack.currentWidget() is page.over
            assert "saved as you type" in page.notes_next.text()
            # "Write the notes": the notes of this session; Back returns to this screen.
            qtbot.mouseClick(page.notes_button, Qt.MouseButton.LeftButton)
            notes = window.notes_page
            await wait_for(lambda: notes.data is not None and bool(notes.rows))
            assert window.pages.currentWidget() is notes
            assert notes.data is not None
            assert notes.data.session.id == session_id
            qtbot.mouseClick(notes.back_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: window.pages.currentWidget() is page)
            assert page.stack.currentWidget() is page.over
            stays = [page.attendance.item(i).text() for i in range(page.attendance.count())]
            assert sorted(s.split(":")[0] for s in stays) == ["Ana", "Ben"]
            assert all("joined at" in s and "left at" in s for s in stays)
            # Times as English writes them (9:30 p.m.), not a fixed 24-hour clock.
            english_time = re.compile(r"\d{1,2}:\d\d\s?[ap]\.?\s?m\.?", re.IGNORECASE)
            assert len(english_time.findall(page.summary.text())) == 2
            assert all(len(english_time.findall(s)) == 2 for s in stays)
            qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
            assert window.pages.currentWidget() is window.home_page
        finally:
            await swarm.stop()
            await live.close()
            await windows.close_all()

    run(scenario())


def test_an_unreachable_server_is_said_on_the_live_screen(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana"])
        live = window.live
        try:
            ok = await live.open_room(
                window.workspace.log,  # type: ignore[arg-type]
                session_id,
                server_url="https://127.0.0.1:9",
                account="julie",
                credential="c" * 24,
            )
            assert not ok
            window.show_live()
            page = window.live_page
            assert page.message.isVisibleTo(page)
            assert "cannot be reached" in page.message.text()
        finally:
            await live.close()
            await windows.close_all()

    run(scenario())


def test_open_the_room_from_prepare_with_the_devices_there_are(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=2)
        window = await open_window(windows)
        select_group(window, group.id)
        window.show_prepare()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        qtbot.keyClicks(page.facilitator, "Julie")
        for box in page.checks.values():
            box.setChecked(True)
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        await next_emission(window.workspace.preparation.session_prepared)
        qtbot.mouseClick(page.open_room_button, Qt.MouseButton.LeftButton)
        live = window.live
        try:
            await wait_for(lambda: live.stage is LiveStage.LIVE, timeout=30)
            assert window.pages.currentWidget() is window.live_page
            # No camera on this machine: the self-view shows the test pattern.
            await wait_for(lambda: live.members.get(live.self_seat) is not None)
            await wait_for(lambda: live.members[live.self_seat].frames > 0, timeout=30)
            assert window.live_page.no_speaker.isVisibleTo(window.live_page) == (
                not window.audio.available
            )
        finally:
            await live.close()
            await windows.close_all()

    run(scenario())


def test_participant_mode_waits_then_takes_part_then_leaves(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir.parent / "host", ["Sophie"])
        host = LiveSession()
        window = windows.open()
        window.live_sources = synthetic("Sophie", 4)
        page, live = window.live_page, window.live
        try:
            assert await host.open_room(log, session.id, sources=synthetic("Julie"))
            window.live_answers = answering()  # not about the questions
            assert await window.join_now(host.invite, "Sophie")
            assert window.pages.currentWidget() is page
            assert page.end_button.text() == "Leave"
            assert page.hand_button.isVisibleTo(page)
            assert not page.invite.isVisibleTo(page)
            assert "waiting room" in page.grid.placeholder.text()
            await wait_for(lambda: len(host.lobby) == 1)
            assert host.lobby[0].match is not None  # Sophie is a member of the group
            await host.admit_all()
            await wait_for(lambda: live.stage is LiveStage.LIVE and len(page.grid.tiles) == 2)
            qtbot.mouseClick(page.hand_button, Qt.MouseButton.LeftButton)
            await wait_for(
                lambda: live.self_seat in host.members and host.members[live.self_seat].hand_raised
            )
            page.confirm_end()
            box = page.findChild(QMessageBox)
            assert box is not None
            box.button(QMessageBox.StandardButton.Yes).click()
            await wait_for(lambda: live.stage is LiveStage.ENDED)
            await wait_for(lambda: live.self_seat not in host.members)
            assert page.summary_title.text() == "You left the session"
        finally:
            await live.close()
            await host.close()
            await log.close()
            await windows.close_all()

    run(scenario())


def test_the_lobby_names_the_room_own_questions(qtbot: Any, languages: Any) -> None:
    live = LiveSession()
    live.room.know_questions(
        (
            Question(
                "quiet_room", QuestionText(en="I am in a quiet room", fr_ca="Je suis au calme")
            ),
            Question("read_rules", QuestionText(fr_ca="J'ai lu les règles")),
        )
    )
    panel = LobbyPanel(live, None)
    qtbot.addWidget(panel)
    person = Waiting("s1", "Inès", {"read_rules": True, "quiet_room": False, "alone": True})
    entry = LobbyEntryView(panel, person)
    lines = entry.declared.text().splitlines()
    # the room's questions in their order, by their text; an answer to no question by its id
    assert lines == ["✘ I am in a quiet room: no", "✔ J'ai lu les règles", "✔ alone"]


def test_a_camera_or_microphone_in_use_elsewhere_is_said_and_the_session_goes_on(
    run: Run[Any], windows: Windows, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Devices exist but will not open: the others get a test picture and silence, and the
    practitioner reads why and what to do (this machine has no devices: Qt's list is faked)."""
    from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
    from groupdesk.ui import join_dialog

    class Devices:
        @staticmethod
        def videoInputs() -> list[object]:  # noqa: N802 -- Qt's name
            return [object()]

        @staticmethod
        def audioInputs() -> list[object]:  # noqa: N802 -- Qt's name
            return [object()]

    def busy(*_: object) -> None:
        raise RuntimeError("the device is in use by another program")

    monkeypatch.setattr(join_dialog, "QMediaDevices", Devices)
    monkeypatch.setattr(join_dialog, "QtCameraSource", busy)
    monkeypatch.setattr(join_dialog, "QtMicrophoneSource", busy)

    async def scenario() -> None:
        window, _ = await _window(windows, ["Ana"])
        video, audio = join_dialog.device_sources(window.live)()
        assert isinstance(video, TestPatternSource)
        assert isinstance(audio, SpeechLikeAudioSource)
        assert window.live.device_failures == {"camera", "microphone"}
        page = window.live_page
        page.show_state()
        assert not page.device_failed.isHidden()
        assert "Your camera could not be opened" in page.device_failed.text()
        assert "the others do not hear you" in page.device_failed.text()
        for source in (video, audio):
            source.stop()
        await windows.close_all()

    run(scenario())


def test_a_safety_signal_shows_to_the_facilitator_alone_and_lands_in_the_journal(
    run: Run[Any],
    windows: Windows,
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana", "Ben"])
        page, live = window.live_page, window.live
        assert await window.open_room_now(session_id)
        ana = await knock(live.invite, "Ana")  # the desktop app's participant mode
        swarm = await run_bots(live.invite, 1, ["Ben"], SMALL)
        try:
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            await swarm.wait_admitted(timeout=60)
            await wait_for(lambda: len(ana.members) == 3 and len(live.members) == 3)
            ben = swarm.bots[0]
            assert ben.member_id is not None
            assert not page.safety_notice.isVisible()

            async def ben_says(text: str) -> None:
                """Ana has heard everything Ben sent before ``text``."""
                await ben.client.send(ClientChat(text=text))
                await wait_for(lambda: any(line.text == text for line in ana.chat))

            await ben.client.send(ClientApp(event=SafetySignal()))
            await wait_for(page.safety_notice.isVisible)
            assert "see the Safety tab" in page.safety_notice.text()
            assert "safety signal" in page.grid.tiles[ben.member_id].accessibleName()
            assert [call.seat for call in live.safety.open_calls()] == [ben.member_id]
            await ben_says("one")
            assert ana.safety.open_calls() == []  # the server told facilitators only
            # A server that relays it to everyone (an older one): Ana's app keeps it from her.
            monkeypatch.setattr(RoomRegistry, "_app_route", lambda self, seat, event: False)
            await ben.client.send(ClientApp(event=SafetySignal()))
            await ben_says("two")
            assert ana.safety.open_calls() == []
            assert not ana.members[ben.member_id].safety_signal

            assert live.record is not None
            assert live.log is not None
            log_ = live.log
            journal = await live.record.call(lambda: log_.journal(session_id))
            assert journal is not None
            signals = [e for e in journal if e.kind == "safety.sent"]
            assert len(signals) == 1  # sent again while still open: the same signal
            ben_id = live.members[ben.member_id].log_member_id
            assert ben_id is not None  # Ben was admitted as the group's Ben
            assert signals[0].data == {"seat": ben.member_id, "member": ben_id}  # ids only
        finally:
            await swarm.stop()
            await ana.close()
            await live.close()
            await windows.close_all()

    run(scenario())
