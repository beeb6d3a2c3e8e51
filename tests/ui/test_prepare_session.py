"""Preparing a session: the group-size warning from the policy, the checklist, the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows, local_clock, next_emission

from groupdesk.core.models import Modality
from managed_policy import write_managed_policy


def test_prepare_a_session_for_nine_with_a_maximum_of_eight(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    write_managed_policy({"max_group_size": 8})

    async def scenario() -> None:
        group, people = await seed_log(windows, members=9, facilitator="Julie Pelletier")
        # 22:30: the next whole hour is 23:00, and two hours later is after midnight.
        window = await open_window(windows, now=local_clock(2026, 12, 6, 22, 30))
        workspace = window.workspace
        assert workspace.log is not None
        log = workspace.log
        select_group(window, group.id)
        await next_emission(workspace.members_changed)

        window.prepare_action.trigger()  # Ctrl+P
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert page.group.currentData() == group.id
        assert page.facilitator.text() == "Julie Pelletier"  # the name used last time
        assert page.max_group_size == 8

        # Nine expected (every member takes part remotely): the warning says so.
        assert page.expected.count() == 9
        assert page.expected_count.text() == "Expected: 9"
        assert page.size_warning.isVisibleTo(page)
        assert "9 people are expected, more than the 8" in page.size_warning.text()
        page.expected.item(8).setCheckState(Qt.CheckState.Unchecked)
        assert not page.size_warning.isVisibleTo(page)
        page.expected.item(8).setCheckState(Qt.CheckState.Checked)
        assert page.size_warning.isVisibleTo(page)

        # The policy's checklist, in the person's language.
        boxes = page.checks
        assert list(boxes) == [
            "private_room",
            "headset",
            "secure_network",
            "no_recording",
            "crisis_resources",
        ]
        assert boxes["headset"].text() == "Headset on"

        # The proposed times end after midnight, on the next day: a valid plan.
        nbsp = "\u202f"  # Qt's en_CA short time: "11:00 p.m."
        assert (page.date.text(), page.start.text()) == ("2026-12-06", f"11:00{nbsp}p.m.")
        assert (page.end_date.text(), page.end.text()) == ("2026-12-07", f"1:00{nbsp}a.m.")
        assert page.plan().problems() == []

        # An end before the start: said next to the times; what was typed stays.
        page.modality.setCurrentIndex(page.modality.findData("hybrid"))
        qtbot.keyClicks(page.co_facilitator, "Marc")
        start = QDateTime(page.date.date(), page.start.time())
        page.set_end(start.addSecs(-1800))
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert page.time_error.isVisibleTo(page)
        assert "ends before it starts" in page.time_error.text()
        assert page.co_facilitator.text() == "Marc"
        assert len(await log.list_sessions(group.id)) == 1  # nothing created

        page.set_end(start.addSecs(90 * 60))  # 00:30 the next day
        for box in boxes.values():
            box.setChecked(True)
        assert page.checklist.status.text() == "Checklist complete."
        window.submit_action.trigger()  # Ctrl+Enter
        (session_id,) = await next_emission(workspace.preparation.session_prepared)
        assert page.result.isVisibleTo(page)
        assert page.result.text().startswith(
            f"Session prepared from Sunday, December 6, 2026, 11:00{nbsp}p.m. "
            f"to Monday, December 7, 2026, 12:30{nbsp}a.m."
        )
        assert not page.prepare_button.isEnabled()  # once: no duplicate by a second click

        # What landed in the log.
        sessions = await log.list_sessions(group.id)
        [session] = [s for s in sessions if s.id == session_id]
        assert session.modality is Modality.HYBRID
        assert session.facilitators == ("Julie Pelletier", "Marc")
        assert session.planned_start == datetime(2026, 12, 6, 23, 0).astimezone()
        assert session.planned_end == datetime(2026, 12, 7, 0, 30).astimezone()
        assert await log.expected_members(session_id) == sorted(m.id for m in people)
        [result] = await log.checklist_results(session_id)
        assert result.checklist == "facilitator"
        assert dict(result.answers) == dict.fromkeys(boxes, True)
        events = {e.kind: e.data for e in await log.journal(session_id)}
        prepared = events["session.prepared"]
        assert prepared is not None
        assert (prepared["expected"], prepared["max_group_size"], prepared["over_max"]) == (
            9,
            8,
            True,
        )
        assert "checklist.completed" in events

        # The session is in the group's sessions.
        window.go_back()
        assert window.pages.currentWidget() is window.home_page
        texts = [
            window.home_page.sessions.list.item(row).text()
            for row in range(window.home_page.sessions.list.count())
        ]
        assert len(texts) == 2
        assert any("planned, expected: 9" in text for text in texts)

        # Preparing again starts from a fresh form.
        window.prepare_action.trigger()
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert not page.result.isVisibleTo(page)
        assert page.prepare_button.isEnabled()
        await windows.close_all()

    run(scenario())


def test_open_room_is_asked_of_whoever_opens_rooms(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=3)
        window = await open_window(windows)
        workspace = window.workspace
        select_group(window, group.id)
        window.show_prepare()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert not page.size_warning.isVisibleTo(page)  # 3 of at most 8
        page.facilitator.clear()
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert page.facilitator_error.isVisibleTo(page)  # the name is required
        qtbot.keyClicks(page.facilitator, "Julie")
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        (session_id,) = await next_emission(workspace.preparation.session_prepared)
        assert workspace.log is not None
        [incomplete] = await workspace.log.checklist_results(session_id)
        assert not incomplete.complete  # nothing checked yet: saved as it was
        assert page.open_room_button.isVisibleTo(page)
        # The main window's live session can open rooms (it listens to open_room_requested).
        assert workspace.preparation.rooms_available
        assert page.open_room_button.isEnabled()
        window.workspace.preparation.open_room_requested.disconnect(window.open_room)
        qtbot.mouseClick(page.open_room_button, Qt.MouseButton.LeftButton)
        assert "Check every item" in page.message.text()  # not before the checklist
        for box in page.checks.values():
            box.setChecked(True)
        qtbot.mouseClick(page.open_room_button, Qt.MouseButton.LeftButton)
        (requested,) = await next_emission(workspace.preparation.open_room_requested)
        assert requested == session_id
        results = await workspace.log.checklist_results(session_id)
        assert results[-1].complete
        await windows.close_all()

    run(scenario())


def test_who_is_expected_follows_the_modality(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, people = await seed_log(windows, members=3)
        window = await open_window(windows)
        workspace = window.workspace
        assert workspace.log is not None
        await workspace.log.update_member(people[0].id, modality="in_person")
        select_group(window, group.id)
        window.show_prepare()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert page.modality.currentData() == "remote"
        assert page.expected_ids() == (people[1].id, people[2].id)  # not who comes in person
        page.modality.setCurrentIndex(page.modality.findData("hybrid"))
        page.modality.activated.emit(page.modality.currentIndex())
        assert page.expected_ids() == tuple(m.id for m in people)  # the room is there too
        assert page.expected_count.text() == "Expected: 3"
        await windows.close_all()

    run(scenario())


@pytest.mark.parametrize(
    ("hour", "minute", "start", "end"),
    [
        (22, 30, (6, 23, 0), (7, 1, 0)),  # ends after midnight
        (23, 30, (7, 0, 0), (7, 2, 0)),  # starts at midnight, the next day
        (0, 10, (7, 1, 0), (7, 3, 0)),
    ],
)
def test_the_proposed_plan_is_valid_at_any_hour_and_may_cross_midnight(
    run: Run[Any],
    windows: Windows,
    memory_keyring: Any,
    qtbot: Any,
    hour: int,
    minute: int,
    start: tuple[int, int, int],
    end: tuple[int, int, int],
) -> None:
    day = 6 if hour >= 12 else 7  # the evening of Dec 6, or just after its midnight

    async def scenario() -> None:
        group, _people = await seed_log(windows, members=2, facilitator="Julie")
        window = await open_window(windows, now=local_clock(2026, 12, day, hour, minute))
        select_group(window, group.id)
        window.show_prepare()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        shown = (page.date.date(), page.start.time(), page.end_date.date(), page.end.time())
        assert shown == (
            QDate(2026, 12, start[0]),
            QTime(start[1], start[2]),
            QDate(2026, 12, end[0]),
            QTime(end[1], end[2]),
        )
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert not page.time_error.isVisibleTo(page)
        (session_id,) = await next_emission(window.workspace.preparation.session_prepared)
        assert window.workspace.log is not None
        [session] = [
            s for s in await window.workspace.log.list_sessions(group.id) if s.id == session_id
        ]
        assert session.planned_start == datetime(2026, 12, *start).astimezone()
        assert session.planned_end == datetime(2026, 12, *end).astimezone()

        # A later start at 23:30: the end moves with it, to 01:30 the next day.
        page.start.setTime(QTime(23, 30))
        assert (page.end_date.date(), page.end.time()) == (
            page.date.date().addDays(1),
            QTime(1, 30),
        )
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert not page.time_error.isVisibleTo(page)
        (later_id,) = await next_emission(window.workspace.preparation.session_prepared)
        [later] = [
            s for s in await window.workspace.log.list_sessions(group.id) if s.id == later_id
        ]
        start_day = start[0]
        assert later.planned_start == datetime(2026, 12, start_day, 23, 30).astimezone()
        assert later.planned_end == datetime(2026, 12, start_day + 1, 1, 30).astimezone()
        await windows.close_all()

    run(scenario())


def _switch(window: Any, lang: str) -> None:
    window.language_actions[lang].trigger()
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def test_dates_and_times_follow_the_language_chosen_at_run_time(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=2, facilitator="Julie")
        window = await open_window(windows, now=local_clock(2026, 12, 6, 22, 30))
        select_group(window, group.id)
        window.show_prepare()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        await next_emission(window.workspace.preparation.session_prepared)
        assert (page.start.text(), page.end.text()) == ("11:00\u202fp.m.", "1:00\u202fa.m.")

        _switch(window, "fr_CA")
        assert (page.date.text(), page.start.text()) == ("2026-12-06", "23 h 00")
        assert (page.end_date.text(), page.end.text()) == ("2026-12-07", "01 h 00")
        assert page.result.text().startswith(
            # No-break spaces inside times: "23 / h 00" never wraps.
            "Séance préparée du dimanche 6 décembre 2026, 23\u00a0h\u00a000, "
            "au lundi 7 décembre 2026, 01\u00a0h\u00a000 :"
        )
        page.set_end(QDateTime(QDate(2026, 12, 7), QTime(0, 45)))  # typed in French
        assert page.end.text() == "00 h 45"
        assert page.plan().end == datetime(2026, 12, 7, 0, 45).astimezone()
        sessions = window.home_page.sessions.list
        texts = [sessions.item(row).text() for row in range(sessions.count())]
        assert any(text.startswith("dimanche 6 décembre 2026, 23 h 00 — ") for text in texts)

        _switch(window, "en")
        assert page.start.text() == "11:00\u202fp.m."
        await windows.close_all()

    run(scenario())


def test_the_policy_is_read_once_when_the_app_starts(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    """The pages read the policy the window was given at start: one read, one set of
    values for the whole run (a change applies at the next start)."""
    write_managed_policy({"max_group_size": 6, "session_max_minutes": 90})

    async def scenario() -> None:
        group, _people = await seed_log(windows, members=2)
        window = await open_window(windows)
        write_managed_policy({"max_group_size": 3})  # changed while the app runs
        assert window.policy.max_group_size == 6
        select_group(window, group.id)
        window.prepare_action.trigger()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert (page.max_group_size, page.max_minutes) == (6, 90)
        ids = [item.id for item in window.policy.facilitator_checklist]
        assert list(page.checklist.checks) == ids
        await windows.close_all()

    run(scenario())
