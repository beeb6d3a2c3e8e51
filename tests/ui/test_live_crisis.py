"""The facilitator's crisis panel and the dropped-call notice, in a real window (offscreen)
with the embedded server, desktop participants and the log read back: keyboard only,
opened with its shortcut, steps ticked with their times, an observation, the side room,
the silence alert at the policy's threshold (the crisis clock injected), the close that
keeps the incident and its note; a participant who drops is shown at once with their
phone, and the technical-problem plan's buttons."""

from __future__ import annotations

import dataclasses
import wave
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from live_helpers import MET_ANSWERS, prepared_log, synthetic, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import Run, Windows

from groupdesk.core.policy_values import load_policy
from groupdesk.core.session.crisis import Crisis
from groupdesk.core.session.room_state import DroppedCall, LiveMember
from groupdesk.ui.alert_sound import write_tone
from groupdesk.ui.crisis_panel import CrisisPanel
from groupdesk.ui.dropped_calls import DroppedCallRow
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ANA = {**MET_ANSWERS, "phone": "514-555-0199", "emergency_contact": "Lise (sœur), 514-555-0100"}


class FakeSound:
    """The alert's sound, counted (no audio device in a test)."""

    def __init__(self) -> None:
        self.played = 0

    def play(self) -> None:
        self.played += 1


async def _room_with_ana(
    windows: Windows, *, sound: bool = False
) -> tuple[MainWindow, int, LiveSession, str]:
    log, session, _members = await prepared_log(windows.data_dir, ["Ana"])
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.policy = dataclasses.replace(window.policy, crisis_alert_sound=sound)
    window.live_sources = synthetic("Julie Tremblay", 9)
    assert await window.open_room_now(session.id)
    live = window.live
    peer = LiveSession()
    assert await peer.join(live.invite, "Ana", declared=dict(ANA), sources=synthetic("Ana", 0))
    assert peer.stage is LiveStage.WAITING
    await peer.set_muted(True)  # silent from the start: the silence alert is the clock's
    page = window.live_page
    await wait_for(lambda: len(page.lobby.entries) == 1)
    seat = page.lobby.entries[0].person.seat
    page.lobby.admit_all_button.click()
    await wait_for(lambda: seat in live.members and live.members[seat].state.value == "connected")
    return window, session.id, peer, seat


@pytest.mark.slow
def test_the_crisis_panel_by_keyboard_from_the_shortcut_to_the_incident_in_the_log(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, session_id, peer, seat = await _room_with_ana(windows, sound=True)
        page, live = window.live_page, window.live
        log = window.workspace.log
        assert log is not None
        view = page.crisis_view
        view.sound = sound = FakeSound()
        now = [10_000.0]  # the crisis clock, far past the room's own (its voice, its frames)
        live.crisis.clock = lambda: now[0]
        panel: CrisisPanel = view.panel
        closed = False
        try:
            assert not page.side_tabs.buttons[page.side_tabs.indexOf(panel)].isVisibleTo(page)
            window.activateWindow()
            page.grid.setFocus()
            qtbot.keyClick(page.grid, Qt.Key.Key_K, CTRL_SHIFT)  # the only participant
            await wait_for(lambda: panel.seat == seat, timeout=5)
            assert page.side_tabs.currentWidget() is panel
            assert page.side_tabs.tabText(page.side_tabs.indexOf(panel)) == "Crisis"
            assert panel.title.text() == "Crisis: Ana"
            contact = panel.contact.text().splitlines()
            assert contact == [
                "Location: Trois-Rivières, Mauricie (region CA-QC)",
                "Phone: 514-555-0199",
                "Emergency contact: Lise (sœur), 514-555-0100",
            ]
            assert panel.lines.text().splitlines()[0] == "Info-Social: 811"  # Québec, in English
            assert "9-8-8" in panel.lines.text()
            first = panel.rows[0]
            assert QApplication.focusWidget() is first.box  # the keyboard is on the panel

            # Tick the first step: its time shows; an observation beside it.
            qtbot.keyClick(first.box, Qt.Key.Key_Space)
            assert first.box.isChecked()
            assert first.time.text().startswith("done at ")
            qtbot.keyClick(first.box, Qt.Key.Key_Tab)
            assert QApplication.focusWidget() is first.observation
            qtbot.keyClicks(first.observation, "Pleure, se dit seule")
            qtbot.keyClick(first.observation, Qt.Key.Key_Tab)
            assert QApplication.focusWidget() is panel.rows[1].box

            # The side room, from the panel: the session opens it, then closes it.
            panel.side_button.setFocus()
            assert panel.side_button.text() == "Private side room"
            qtbot.keyClick(panel.side_button, Qt.Key.Key_Space)
            await wait_for(lambda: live.room.side.aside(seat), timeout=10)
            assert panel.side_button.text() == "Back to the group"
            qtbot.keyClick(panel.side_button, Qt.Key.Key_Space)
            await wait_for(lambda: not live.room.side.active, timeout=10)

            # Silence at the policy's threshold (20 s), told at once and sounded.
            await wait_for(lambda: not live.members[seat].speaking, timeout=10)
            live.crisis.tick()  # watching starts
            now[0] += 19
            live.crisis.tick()
            assert "has not been heard" not in panel.banner.text()
            played = sound.played  # a frozen picture may have sounded too (10 s)
            now[0] += 1
            live.crisis.tick()
            assert panel.banner.isVisibleTo(panel)
            assert "Ana has not been heard for 20 s." in panel.banner.text().splitlines()
            assert sound.played == played + 1
            assert page.side_tabs.tabText(page.side_tabs.indexOf(panel)) == "⚠ Crisis"

            # The general observation, then close: confirmed, saved, said where it went.
            panel.observation.setFocus()
            qtbot.keyClicks(panel.observation, "Rappel demain")
            panel.used.setFocus()  # the line under the keyboard was called
            qtbot.keyClick(panel.used, Qt.Key.Key_Space)
            called = panel.used.currentItem()
            assert called.checkState() == Qt.CheckState.Checked
            first_line = called.data(Qt.ItemDataRole.UserRole)
            panel.outcome.setFocus()
            qtbot.keyClick(panel.outcome, Qt.Key.Key_Down)
            assert panel.outcome.currentText() == "Safe: the person is safe for now"
            panel.close_button.setFocus()
            qtbot.keyClick(panel.close_button, Qt.Key.Key_Space)
            box = view.close_question
            assert box is not None
            assert box.text() == "Close the crisis panel of Ana?"
            yes = box.button(QMessageBox.StandardButton.Yes)
            yes.setFocus()
            qtbot.keyClick(yes, Qt.Key.Key_Space)
            await wait_for(lambda: panel.saved.isVisibleTo(panel), timeout=10)
            closed = True
            assert "is saved in the session log (incident " in panel.saved.text()
            assert live.crisis.open_seats() == []

            incidents = await log.incidents(session_id)
            assert len(incidents) == 1
            steps = {step.step: step for step in incidents[0].steps}
            assert steps["keep_safe"].done_at is not None
            assert steps["keep_safe"].observation == "Pleure, se dit seule"
            assert steps["side_room"].done_at is None
            assert incidents[0].summary == "Rappel demain"
            assert incidents[0].resources_used == (first_line,)
            assert incidents[0].outcome == "safe"
            assert incidents[0].seat == seat
            notes = await log.search_notes("Rappel demain", window.live.group_id)
            assert len(notes) == 1
            kinds = [e.kind for e in await log.journal(session_id)]
            assert kinds.count("crisis.opened") == 1
            assert kinds.count("crisis.step_done") == 1
            assert "crisis.silence" in kinds
            assert "crisis.recorded" in kinds
        finally:
            if not closed:
                await live.crisis.close_all()
            await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


@pytest.mark.slow
def test_a_participant_who_drops_is_shown_at_once_with_their_phone(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, session_id, peer, seat = await _room_with_ana(windows)
        page, live = window.live_page, window.live
        log = window.workspace.log
        assert log is not None
        panel = page.crisis_view.panel
        live.crisis.clock = lambda: 10_000.0  # stopped: no silence or freeze alert here
        try:
            menu = page.member_actions(seat)
            assert menu is not None
            next(a for a in menu.actions() if a.text() == "Crisis…").trigger()
            assert panel.seat == seat
            assert not panel.banner.isVisibleTo(panel)
            assert not page.crisis_view.dropped.isVisibleTo(page)

            # Their connection drops (no leave: the server holds their seat).
            client = peer.client
            assert client is not None
            await client.close(leave=False)
            await peer.close()
            await wait_for(lambda: panel.banner.isVisibleTo(panel), timeout=15)
            assert panel.banner.text().splitlines()[0] == (
                "Ana's connection dropped — call 514-555-0199"
            )
            assert panel.rows[0].step_id == "call_back"  # the call-back step first
            await wait_for(lambda: seat in page.crisis_view.dropped.rows, timeout=15)
            row = page.crisis_view.dropped.rows[seat]
            assert page.crisis_view.dropped.isVisibleTo(page)
            assert row.text.text() == "Ana's connection dropped. Their phone: 514-555-0199"
            qtbot.keyClick(row.call_button, Qt.Key.Key_Space)
            assert QApplication.clipboard().text() == "514-555-0199"
            assert row.said.text() == "Number copied: call 514-555-0199 from your phone."
            assert row.chat_button.isEnabled()  # the server holds their seat: write to it
            qtbot.keyClick(row.chat_button, Qt.Key.Key_Space)
            await wait_for(lambda: any(line.to == seat for line in live.chat), timeout=10)
            assert live.chat[-1].text == "Your connection dropped. If you can, write in the chat."
            assert live.chat[-1].private
            qtbot.keyClick(row.done_button, Qt.Key.Key_Space)
            assert seat not in live.room.dropped_calls
            assert not page.crisis_view.dropped.isVisibleTo(page)

            # The session ends with the panel still open: its incident is kept all the same.
            await live.end()
            incidents = await log.incidents(session_id)
            assert [incident.seat for incident in incidents] == [seat]
            kinds = [e.kind for e in await log.journal(session_id)]
            assert kinds.count("crisis.dropped") == 1
            assert kinds.index("crisis.recorded") < kinds.index("session.ended")
        finally:
            await live.crisis.close_all()
            await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


def test_the_crisis_panel_speaks_french(qtbot: Any, languages: Any) -> None:
    page = LivePage(LiveSession())
    qtbot.addWidget(page)
    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    panel = page.crisis_view.panel
    assert panel.close_button.text() == "&Fermer et enregistrer l'incident…"
    assert panel.steps_box.title() == "Protocole : cochez chaque étape une fois faite"
    assert panel.outcome.itemText(1) == "En sécurité : la personne est en sécurité pour l'instant"
    member = LiveMember("000000000001", "Ana", "participant", answers=dict(ANA))
    at = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    crisis, _ = Crisis.open(member, at=at, policy=load_policy(), language="fr_CA")
    crisis.member_dropped(at)
    assert panel.banner_text(crisis.view(), "Ana") == (
        "La connexion de Ana a coupé — appelez au 514-555-0199"
    )
    row = DroppedCallRow(DroppedCall(member.seat, None, "Ana", "514-555-0199", at), page)
    row.retranslate(seated=True)
    assert row.text.text() == "La connexion de Ana a coupé. Son téléphone : 514-555-0199"
    assert [b.text() for b in (row.call_button, row.chat_button, row.done_button)] == [
        "Appeler",
        "Proposer le clavardage",
        "Terminé",
    ]
    assert page.crisis_view.tabs.tabText(page.side_tabs.indexOf(panel)) == "Crise"
    actions = page.shortcut_actions["crisis"].shortcut().toString()
    assert actions == "Ctrl+Shift+K"


def test_a_co_facilitator_is_told_where_the_crisis_panel_opens(qtbot: Any) -> None:
    live = LiveSession()
    page = LivePage(live)
    qtbot.addWidget(page)
    live.room.start("facilitator")  # a co-facilitator's app: no record of the session
    assert live.record is None
    assert not page.crisis_view.open_for("000000000001")
    notice = page.crisis_view.notice.text()
    assert notice.startswith("The crisis panel opens in the app of the facilitator who opened")
    assert page.crisis_view.crisis.open_seats() == []


def test_the_alertwrite_tone_is_a_short_wav(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    write_tone(path)
    with wave.open(str(path)) as tone:
        seconds = tone.getnframes() / tone.getframerate()
        assert (tone.getnchannels(), tone.getsampwidth()) == (1, 2)
    assert 0.3 <= seconds <= 0.5
