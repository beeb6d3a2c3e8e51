"""Preparing a one-to-one meeting (the individual meeting before a group)."""

from __future__ import annotations

from typing import Any

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows, next_emission

from groupdesk.core.models import SessionKind


def test_a_one_to_one_meeting_is_with_one_member_and_listed_as_such(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, people = await seed_log(windows, members=3, facilitator="Julie Pelletier")
        window = await open_window(windows)
        workspace = window.workspace
        log = workspace.log
        assert log is not None
        select_group(window, group.id)
        await next_emission(workspace.members_changed)
        window.prepare_action.trigger()
        page = window.prepare_page
        await wait_for(lambda: window.pages.currentWidget() is page and page.expected.count() == 3)
        assert page.kind.itemText(1) == "One-to-one meeting (before the group)"
        assert page.kind.accessibleName() == "Type of session"
        page.kind.setCurrentIndex(page.kind.findData(str(SessionKind.INDIVIDUAL)))

        # Three checked: refused, said under the list, nothing lost, nothing created.
        assert len(page.expected_ids()) == 3
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
        assert page.kind.problem.isVisibleTo(page)
        assert "one-to-one meeting is with one member" in page.kind.problem.text()
        assert "(3 checked now)" in page.kind.problem.text()
        assert len(page.expected_ids()) == 3
        assert page.kind.currentData() == "individual"
        assert len(await log.list_sessions(group.id)) == 1

        # One member checked: prepared as a one-to-one meeting with them.
        for row in (1, 2):
            page.expected.item(row).setCheckState(Qt.CheckState.Unchecked)
        assert not page.kind.problem.isVisibleTo(page)
        window.submit_action.trigger()
        (session_id,) = await next_emission(workspace.preparation.session_prepared)
        session = next(s for s in await log.list_sessions(group.id) if s.id == session_id)
        assert session.kind is SessionKind.INDIVIDUAL
        first = next(p for p in people if p.id == page.expected_ids()[0])
        assert await log.expected_members(session_id) == [first.id]

        window.go_back()
        texts = [
            window.home_page.sessions.list.item(row).text()
            for row in range(window.home_page.sessions.list.count())
        ]
        assert sum(f"one-to-one with {first.display_name}" in t for t in texts) == 1
        await windows.close_all()

    run(scenario())
