"""The group's attendance across sessions, with the attrition flag, in the group screen.

Sessions are started, joined and ended through the real (SQLCipher) session log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from page_helpers import open_window, select_group, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.core.models import Modality
from groupdesk.sessionlog import KeyStore, SessionLog

T0 = datetime(2026, 11, 3, 23, 0, tzinfo=UTC)


async def _three_sessions(windows: Windows) -> int:
    """Ana comes to all three; Ben to the first only; Chloé is in the room at the first
    (hybrid), online at the second, absent at the third."""
    log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
    try:
        group = await log.create_group("Proches aidants")
        ana, ben, chloe = [await log.add_member(group.id, n) for n in ("Ana", "Ben", "Chloé")]
        came = [
            {ana.id: False, ben.id: False, chloe.id: True},
            {ana.id: False, chloe.id: False},
            {ana.id: False},
        ]
        for week, present in enumerate(came):
            start = T0 + timedelta(days=7 * week)
            session = await log.create_session(
                group.id,
                start,
                start + timedelta(hours=2),
                Modality.HYBRID,
                ["Julie Tremblay"],
                expected_member_ids=[ana.id, ben.id, chloe.id],
            )
            await log.start_session(session.id, start)
            for member_id, in_room in present.items():
                stay = await log.record_join(session.id, member_id, start, in_room=in_room)
                await log.close_stay(session.id, stay.id, start + timedelta(hours=2))
            await log.end_session(session.id, start + timedelta(hours=2))
        return group.id
    finally:
        await log.close()


def test_the_attendance_tab_marks_each_session_and_flags_two_missed_in_a_row(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group_id = await _three_sessions(windows)
        window = await open_window(windows)
        home = window.home_page
        view = home.attendance
        select_group(window, group_id)
        # Sessions and members load separately, each reloading the view: wait for both.
        await wait_for(
            lambda: (
                view.data is not None and len(view.data.sessions) == 3 and len(view.data.rows) == 3
            )
        )
        button = home.tabs.buttons[2]
        assert button.isVisible()
        assert button.text() == "Attendance (⚠ 1)"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert home.tabs.currentWidget() is view
        table = view.table
        assert table.isVisible()
        assert table.accessibleName() == "Attendance across sessions"

        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert headers[0] == "Member"
        assert headers[-2:] == ["Attended", "Attrition"]
        assert len(headers) == 6  # three sessions
        rows = {
            table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        }
        assert rows["Ana"][1:] == ["✔ online", "✔ online", "✔ online", "3 of 3", ""]
        assert rows["Ben"][1:] == [
            "✔ online",
            "✘ absent",
            "✘ absent",
            "1 of 3",
            "⚠ Missed 2 sessions in a row",
        ]
        assert rows["Chloé"][1:] == ["✔ in the room", "✔ online", "✘ absent", "2 of 3", ""]

        # Said in words for a screen reader: whose mark, which session, what mark.
        ben_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Ben")
        spoken = table.item(ben_row, 2).data(Qt.ItemDataRole.AccessibleTextRole)
        assert spoken.startswith("Ben, session of ")
        assert spoken.endswith(": absent")
        assert table.item(ben_row, 0).font().bold()  # the flagged row stands out, not by colour
        assert view.flags.isVisibleTo(view)
        assert view.flags.text() == "⚠ Ben: missed 2 sessions in a row"

        # The members tab flags Ben too, in words for a screen reader.
        names = [home.members.table.item(r, 0) for r in range(home.members.table.rowCount())]
        assert sorted(item.text() for item in names) == ["Ana", "Chloé", "⚠ Ben"]
        ben = next(item for item in names if "Ben" in item.text())
        said = ben.data(Qt.ItemDataRole.AccessibleDescriptionRole)
        assert said == "Missed 2 sessions in a row"

        # The keyboard moves through the cells.
        table.setFocus()
        table.setCurrentCell(ben_row, 1)
        qtbot.keyClick(table, Qt.Key.Key_Right)
        assert (table.currentRow(), table.currentColumn()) == (ben_row, 2)

        # In French, the same marks in words.
        windows.languages.set_language("fr_CA")
        QApplication.sendPostedEvents()  # LanguageChange reaches the widgets
        QApplication.processEvents()
        assert button.text() == "Présences (⚠ 1)"
        assert table.item(ben_row, 2).text() == "✘ absence"
        assert view.flags.text() == "⚠ Ben : 2 séances manquées de suite"
        windows.languages.set_language("en")
        QApplication.sendPostedEvents()
        QApplication.processEvents()

        # Every group again: no group's attendance to show.
        window.home_page.show_all_groups()
        await wait_for(lambda: not button.isVisibleTo(home))
        await windows.close_all()

    run(scenario())
