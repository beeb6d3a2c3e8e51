"""Preparing a session: the group-size warning from the policy, the checklist, the log."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows, next_emission

from groupdesk.core.models import Modality


def _managed_policy(values: dict[str, Any]) -> None:
    managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    managed.mkdir(exist_ok=True)
    (managed / "10-org.json").write_text(json.dumps(values), encoding="utf-8")


def test_prepare_a_session_for_nine_with_a_maximum_of_eight(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    _managed_policy({"max_group_size": 8})

    async def scenario() -> None:
        group, people = await seed_log(windows, members=9, facilitator="Julie Pelletier")
        window = await open_window(windows)
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

        # An end before the start: said next to the times; what was typed stays.
        page.modality.setCurrentIndex(page.modality.findData("hybrid"))
        qtbot.keyClicks(page.co_facilitator, "Marc")
        page.end.setTime(page.start.time().addSecs(-1800))
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert page.time_error.isVisibleTo(page)
        assert "ends before it starts" in page.time_error.text()
        assert page.co_facilitator.text() == "Marc"
        assert len(await log.list_sessions(group.id)) == 1  # nothing created

        page.end.setTime(page.start.time().addSecs(90 * 60))
        for box in boxes.values():
            box.setChecked(True)
        assert page.checklist.status.text() == "Checklist complete."
        window.submit_action.trigger()  # Ctrl+Enter
        (session_id,) = await next_emission(workspace.preparation.session_prepared)
        assert page.result.isVisibleTo(page)
        assert "Session prepared for" in page.result.text()
        assert not page.prepare_button.isEnabled()  # once: no duplicate by a second click

        # What landed in the log.
        sessions = await log.list_sessions(group.id)
        [session] = [s for s in sessions if s.id == session_id]
        assert session.modality is Modality.HYBRID
        assert session.facilitators == ("Julie Pelletier", "Marc")
        assert session.planned_end - session.planned_start == (page.plan().end - page.plan().start)
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
