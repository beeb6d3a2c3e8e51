"""The facilitator's lobby shows each person's answers by the room's questions and what
admission waits on; Admit on someone held asks why (admit anyway); Admit all lets in
only those who met the required items and names who is left; the identity mark; a
member's earlier answers offered again; a seated participant's contact and answers.

The widget tests drive a LiveSession's room without a server; the others run a real
window (offscreen), the embedded server, desktop participants, and read the log back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from live_helpers import MET_ANSWERS, prepared_log, synthetic, wait_for
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.core.models import MAX_TEXT, AskedItem, Member, ParticipantAnswers
from groupdesk.core.protocol import LobbyEntry, Question, QuestionText
from groupdesk.core.session.checklist import Previous
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.lobby_panel import LobbyEntryView, LobbyPanel
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.member_answers_dialog import MemberAnswersDialog
from groupdesk.ui.workspace import Stage

QUESTIONS = (
    Question("private_place", QuestionText(en="I am in a private place",
             fr_ca="Je suis dans un endroit privé"), required=True),
    Question("location", QuestionText(en="Where are you now?", fr_ca="Où êtes-vous?"),
             kind="location", required=True),
    Question("phone", QuestionText(en="A phone number", fr_ca="Un numéro de téléphone"),
             kind="phone", required=True),
    Question("emergency_contact", QuestionText(en="Emergency contact",
             fr_ca="Personne à joindre"), kind="text"),
)  # fmt: skip
BEN = "000000000002"


def _panel(
    qtbot: Any, declared: Mapping[str, object], member: Member | None = None
) -> tuple[LobbyPanel, LobbyEntryView]:
    live = LiveSession()
    live.room.know_questions(QUESTIONS)
    if member is not None:  # in the group: they are taken to be that member
        live.room.know_group([member], [member.id])
    live.waiting_room.update([LobbyEntry(BEN, "Ben", dict(declared), 0.0)])
    panel = LobbyPanel(live, None)
    qtbot.addWidget(panel)
    panel.show()
    entry = panel.entry(BEN)
    assert entry is not None
    return panel, entry


def test_the_entry_shows_the_answers_by_the_questions_and_what_is_missing(
    qtbot: Any, languages: Any
) -> None:
    _, entry = _panel(qtbot, {"private_place": True, "phone": "12", "pets": "a cat"})
    assert entry.declared.text().splitlines() == [
        "✔ I am in a private place",
        "A phone number: 12",  # too short to call back: not met
        "pets: a cat",  # an answer to no question of the room: by its id
    ]
    assert entry.missing.isVisibleTo(entry)
    assert entry.missing.text() == "Missing: location, phone"
    assert entry.identity.accessibleName() == "Identity of Ben verified"
    assert not entry.identity.isChecked()
    assert not entry.earlier.isVisibleTo(entry)  # no earlier session

    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert entry.declared.text().splitlines()[0] == "✔ Je suis dans un endroit privé"
    assert entry.missing.text() == "Manque : lieu, téléphone"
    assert entry.identity.text() == "Identité vérifiée"
    assert entry.admit_button.text() == "Admettre"


def test_someone_who_met_everything_has_no_missing_line(qtbot: Any, languages: Any) -> None:
    _, entry = _panel(qtbot, {"private_place": True, "location": "Gaspé", "phone": "418-555-0100"})
    assert not entry.missing.isVisibleTo(entry)
    assert "Where are you now?: Gaspé" in entry.declared.text()


def test_admit_on_someone_held_asks_why_and_cancel_admits_nobody(
    run: Run[Any], qtbot: Any, languages: Any
) -> None:
    panel, entry = _panel(qtbot, {"private_place": True})  # alive until the test ends

    async def scenario() -> None:
        lobby = panel.live.waiting_room
        entry.admit_button.click()
        await wait_for(lambda: panel.reason_dialog is not None, timeout=5)
        dialog = panel.reason_dialog
        assert dialog is not None
        assert dialog.isVisible()
        assert dialog.missing.text() == (
            "Ben has not answered what admission waits on: location, phone."
        )
        assert not dialog.ok_button.isEnabled()  # no reason, no admission
        qtbot.keyClicks(dialog.reason, "   ")
        assert not dialog.ok_button.isEnabled()
        dialog.reason.setPlainText("x" * (MAX_TEXT + 1))  # more than the log keeps
        assert not dialog.ok_button.isEnabled()
        assert dialog.too_long.isVisibleTo(dialog)
        dialog.reason.clear()
        assert not dialog.too_long.isVisibleTo(dialog)
        dialog.cancel_button.click()
        assert panel.reason_dialog is None
        assert lobby.admission(BEN) is None  # Cancel: nothing happened

        entry.admit_button.click()
        await wait_for(lambda: panel.reason_dialog is not None, timeout=5)
        dialog = panel.reason_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.reason, "Known to me; location asked by phone")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        await wait_for(lambda: lobby.admission(BEN) is not None, timeout=5)
        admission = lobby.admission(BEN)
        assert admission is not None
        assert admission.reason == "Known to me; location asked by phone"
        assert admission.unmet == ("location", "phone")

    run(scenario())


def test_earlier_answers_are_offered_but_never_the_location(
    run: Run[Any], qtbot: Any, languages: Any
) -> None:
    panel, entry = _panel(qtbot, {"private_place": True}, Member(7, 1, "Ben"))

    async def scenario() -> None:
        live = panel.live
        earlier = {"location": "Gaspé", "phone": "418-555-0100", "emergency_contact": "Lise"}
        at = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
        assert live.room.know_previous(BEN, Previous(7, earlier, at))  # read from the log
        panel.refresh()
        assert entry.earlier.isVisibleTo(entry)
        lines = entry.earlier.text().splitlines()
        assert lines[0].startswith("From ")
        assert lines[0].endswith(": phone 418-555-0100, emergency contact Lise")
        assert "Gaspé" not in entry.earlier.text()  # the location is asked each session
        assert lines[1] == "Location: ask again each session"
        assert entry.use_earlier_button.text() == "Use these (confirmed with them)"

        entry.use_earlier_button.click()
        await wait_for(lambda: not entry.use_earlier_button.isVisibleTo(entry), timeout=5)
        assert entry.missing.text() == "Missing: location"
        assert entry.earlier.text().splitlines()[0].startswith("Taken from ")
        assert "A phone number: 418-555-0100" in entry.declared.text()

    run(scenario())


def test_admit_all_asks_about_strangers_among_those_who_met_the_required_items(
    run: Run[Any], qtbot: Any, languages: Any
) -> None:
    met = {"private_place": True, "location": "Gaspé", "phone": "418-555-0100"}
    live = LiveSession()
    live.room.know_questions(QUESTIONS)
    live.room.know_group([Member(1, 1, "Ana"), Member(2, 1, "Ben")], [1, 2])
    live.waiting_room.update(
        [
            LobbyEntry("000000000001", "Ana", met, 0.0),
            LobbyEntry("000000000002", "Ben", {"private_place": True}, 0.0),
            LobbyEntry("000000000003", "Zoé", met, 0.0),
        ]
    )
    panel = LobbyPanel(live, None)
    qtbot.addWidget(panel)
    panel.show()

    async def scenario() -> None:
        panel.admit_all_button.click()
        box = panel.admit_all_question
        assert box is not None
        assert box.text() == "Not on the list of expected members: Zoé (not in the group)."
        assert box.all_button.text() == "Admit &everyone (2)"  # never Ben: he is held
        assert box.expected == ["000000000001"]
        box.expected_button.click()
        assert panel.left_note.text() == (
            "Still waiting: Ben (missing: location, phone), Zoé (not on the list)"
        )
        assert panel.reason_dialog is None

    run(scenario())


# -- the real thing: window, embedded server, desktop participants, the log -------------


async def _window(
    windows: Windows, names: list[str], before: Callable[[SessionLog, Member], Any] | None = None
) -> tuple[MainWindow, int]:
    log, session, members = await prepared_log(windows.data_dir, names)
    if before is not None:
        await before(log, members[0])
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.live_sources = synthetic("Julie Tremblay", 9)
    return window, session.id


async def _knock(invite: str, name: str, declared: Mapping[str, object], seed: int) -> LiveSession:
    peer = LiveSession()
    assert await peer.join(invite, name, declared=dict(declared), sources=synthetic(name, seed))
    assert peer.stage is LiveStage.WAITING
    return peer


async def _until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Await ``check()`` (a coroutine) until it returns something true."""
    async with asyncio.timeout(timeout):
        while not (found := await check()):
            await asyncio.sleep(0.05)
    return found


@pytest.mark.slow
def test_admit_all_leaves_the_held_who_is_admitted_anyway_with_a_reason_in_the_log(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana", "Ben"])
        page, live = window.live_page, window.live
        log = window.workspace.log
        assert log is not None
        peers: list[LiveSession] = []
        try:
            assert await window.open_room_now(session_id)
            peers.append(await _knock(live.invite, "Ana", MET_ANSWERS, 0))
            ben_answers = {k: v for k, v in MET_ANSWERS.items() if k not in ("location", "phone")}
            peers.append(await _knock(live.invite, "Ben", ben_answers, 1))
            await wait_for(lambda: len(page.lobby.entries) == 2)
            ana, ben = (next(e for e in page.lobby.entries if e.person.name == n)
                        for n in ("Ana", "Ben"))  # fmt: skip
            assert not ana.missing.isVisibleTo(ana)
            assert "Where are you now? " in ana.declared.text()  # the policy's own words
            assert "Trois-Rivières, Mauricie" in ana.declared.text()
            assert ben.missing.isVisibleTo(ben)
            assert ben.missing.text() == "Missing: location, phone"
            ben_seat = ben.person.seat

            # The identity mark, journalled, and kept with the answers once admitted.
            ben.identity.click()
            await wait_for(lambda: ben.person.identity_verified)
            journal = await log.journal(session_id)
            assert [(e.data or {}).get("seat") for e in journal
                    if e.kind == "member.identity_verified"] == [ben_seat]  # fmt: skip

            # Admit all: Ana only; the note says who is left, and why.
            page.lobby.admit_all_button.click()
            await wait_for(lambda: len(live.members) == 2 and len(live.lobby) == 1)
            assert live.lobby[0].name == "Ben"
            assert page.lobby.left_note.isVisibleTo(page.lobby)
            assert page.lobby.left_note.text() == "Still waiting: Ben (missing: location, phone)"
            assert page.lobby.reason_dialog is None  # admit all asks nobody why

            # Admit Ben anyway: the reason is asked, then kept with his answers.
            ben.admit_button.click()
            await wait_for(lambda: page.lobby.reason_dialog is not None)
            dialog = page.lobby.reason_dialog
            assert dialog is not None
            assert "location, phone" in dialog.missing.text()
            assert not dialog.ok_button.isEnabled()
            qtbot.keyClicks(dialog.reason, "Called him:")
            dialog.reason.appendPlainText("he is at home, 819-555-0123")
            dialog.ok_button.click()
            await wait_for(lambda: not live.lobby and len(live.members) == 3)
            assert not page.lobby.left_note.isVisibleTo(page.lobby)  # nobody left waiting

            rows = await _until(lambda: _rows(log, session_id, 2))
            by_seat = {row.seat: row for row in rows}
            row = by_seat[ben_seat]
            assert row.override_reason == "Called him: he is at home, 819-555-0123"
            assert row.unmet == ("location", "phone")
            assert row.identity_verified
            assert by_seat[ana.person.seat].override_reason is None
            kinds = [e.kind for e in await log.journal(session_id)]
            assert kinds.count("lobby.admitted_anyway") == 1
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


async def _rows(log: Any, session_id: int, count: int) -> list[ParticipantAnswers] | None:
    rows: list[ParticipantAnswers] = await log.participant_answers(session_id)
    return rows if len(rows) == count else None


@pytest.mark.slow
def test_a_seated_participants_contact_and_answers_and_identity_mark(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana"])
        page, live = window.live_page, window.live
        log = window.workspace.log
        assert log is not None
        peer = None
        try:
            assert await window.open_room_now(session_id)
            peer = await _knock(live.invite, "Ana", MET_ANSWERS, 0)
            await wait_for(lambda: len(page.lobby.entries) == 1)
            seat = page.lobby.entries[0].person.seat
            page.lobby.admit_all_button.click()
            await wait_for(lambda: seat in live.members)
            await _until(lambda: _rows(log, session_id, 1))

            # The tile's menu, facilitators only: not on their own tile.
            mine = page.member_actions(live.self_seat)
            assert mine is not None
            assert "Contact and answers…" not in [a.text() for a in mine.actions()]
            mine.deleteLater()
            menu = page.member_actions(seat)
            assert menu is not None
            action = next(a for a in menu.actions() if a.text() == "Contact and answers…")
            action.trigger()
            dialog = page.answers_dialog
            assert isinstance(dialog, MemberAnswersDialog)
            assert dialog.isVisible()
            lines = dialog.answers.text().splitlines()
            assert lines[0].endswith(": Trois-Rivières, Mauricie")  # words first
            assert lines[1].endswith(": 819-555-0142")
            assert not dialog.identity.isChecked()

            dialog.identity.click()
            await wait_for(lambda: live.members[seat].identity_verified)
            journal = await log.journal(session_id)
            assert [(e.data or {}).get("seat") for e in journal
                    if e.kind == "member.identity_verified"] == [seat]  # fmt: skip
            rows = await _until(lambda: _verified(log, session_id))
            assert rows[0].seat == seat

            # They leave: their contact stays on screen (when it matters most).
            await peer.close()
            peer = None
            await wait_for(lambda: seat not in live.members)
            assert dialog.presence.text() == "Ana is no longer in the room."
            assert "819-555-0142" in dialog.answers.text()
            assert not dialog.identity.isEnabled()
        finally:
            if peer is not None:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


async def _verified(log: Any, session_id: int) -> list[ParticipantAnswers] | None:
    rows: list[ParticipantAnswers] = await log.participant_answers(session_id)
    return rows if rows and rows[0].identity_verified else None


@pytest.mark.slow
def test_earlier_answers_are_offered_and_used_with_the_log(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def earlier(log: SessionLog, ana: Member) -> None:
        start = datetime.now(UTC) - timedelta(days=7)
        last = await log.create_session(ana.group_id, start, start + timedelta(hours=2))
        await log.add_participant_answers(
            ParticipantAnswers(
                id=1, session_id=last.id, seat="000000000009", member_id=ana.id,
                answers={"location": "Gaspé", "phone": "418-555-0100",
                         "emergency_contact": "Lise, 418-555-0101"},
                asked=(AskedItem("location", "location", True), AskedItem("phone", "phone", True),
                       AskedItem("emergency_contact", "text", False)),
                answered_at=start,
            )
        )  # fmt: skip

    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana"], earlier)
        page, live = window.live_page, window.live
        log = window.workspace.log
        assert log is not None
        peer = None
        try:
            assert await window.open_room_now(session_id)
            today = {k: v for k, v in MET_ANSWERS.items() if k != "phone"}
            peer = await _knock(live.invite, "Ana", today, 0)
            await wait_for(lambda: len(page.lobby.entries) == 1)
            entry = page.lobby.entries[0]
            await wait_for(lambda: entry.earlier.isVisibleTo(entry))
            offered = entry.earlier.text()
            assert offered.startswith("From ")
            assert offered.endswith(": phone 418-555-0100, emergency contact Lise, 418-555-0101")
            assert "Gaspé" not in offered
            assert entry.missing.text() == "Missing: phone"

            entry.use_earlier_button.click()
            await wait_for(lambda: not entry.missing.isVisibleTo(entry))
            assert not entry.use_earlier_button.isVisibleTo(entry)
            entry.admit_button.click()  # everything met now: no reason asked
            rows = await _until(lambda: _rows(log, session_id, 1))
            row = rows[0]
            assert row.from_previous == ("phone", "emergency_contact")
            assert row.answers["phone"] == "418-555-0100"
            assert row.answers["location"] == "Trois-Rivières, Mauricie"  # today's
            assert row.override_reason is None
            assert page.lobby.reason_dialog is None
        finally:
            if peer is not None:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())
