"""The chosen group's attendance across its sessions: one row per member, one column per
session, sessions attended of those expected, and the attrition flag of the policy.

The marks come from the pure :func:`~groupdesk.core.records.attendance.attendance_table`;
this view reads the log through the workspace's asynchronous ``SessionLog`` (never SQL on
the UI thread) whenever the group's sessions or members are reloaded. A mark is a symbol
and a word, never a colour alone, and each cell has an accessible name that says whose
mark it is, for which session.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Session, SessionKind
from groupdesk.core.records.attendance import AttendanceRow, AttendanceTable, Mark, attendance_table
from groupdesk.ui.widgets import (
    local_qdatetime,
    message_label,
    notice_label,
    paragraph,
    show_message,
    spawn,
)
from groupdesk.ui.workspace import Workspace


class AttendanceView(QWidget):
    """The attendance table of the workspace's selected group.

    Signals: ``loaded()`` once the table shows what the log holds (after each reload).
    """

    loaded = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.data: AttendanceTable | None = None
        """What the table shows (None: no group chosen, or not loaded yet)."""
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.flags = notice_label(self)
        """The members flagged, in words (also in their row)."""
        self.legend = paragraph(self)
        self.message = message_label(self)
        self.empty = paragraph(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.flags)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.legend)
        self._generation = 0
        workspace.sessions_changed.connect(self.reload)
        workspace.members_changed.connect(self.reload)
        self._retranslate()

    def reload(self) -> None:
        """Read the group's attendance again (the latest request wins)."""
        spawn(self.load())

    async def load(self) -> None:
        """Read the selected group's sessions, who was expected and who came; show them."""
        self._generation += 1
        generation = self._generation
        workspace = self.workspace
        log_, group_id = workspace.log, workspace.selected_group_id
        if log_ is None or group_id is None:
            self._show(None)
            return
        now = workspace.now()
        sessions = [s for s in workspace.sessions if s.group_id == group_id and _past(s, now)]
        member_ids = [m.id for m in workspace.members if m.group_id == group_id]
        try:
            stays = await log_.group_attendance(group_id)
            expected = await log_.group_expected(group_id)
        except GroupDeskError as error:
            if generation == self._generation:
                show_message(self.message, error.message())
                self.loaded.emit()
            return
        if generation != self._generation:
            return  # a later reload is under way: it shows the newer state
        show_message(self.message, None)
        self._show(
            attendance_table(
                sessions,
                expected,
                stays,
                missed_in_row=workspace.attrition_missed_in_row,
                members=member_ids,
            )
        )

    def tab_text(self) -> str:
        """The tab's label: "Attendance", with the number of members flagged."""
        flagged = len(self.data.flagged) if self.data is not None else 0
        if flagged:
            return self.tr("Attendance (⚠ {count})").format(count=flagged)
        return self.tr("Attendance")

    def flag_in(self, members: QTableWidget) -> None:
        """Put the attrition flag in a table of members too (the members tab): "⚠" before
        the name of each member flagged, said in words to a screen reader (the member's
        id is the first cell's ``UserRole`` data)."""
        flagged = {r.member_id: r for r in self.data.flagged} if self.data is not None else {}
        for row in range(members.rowCount()):
            item = members.item(row, 0)
            if item is None:
                continue
            text = item.text().removeprefix(_FLAG)
            line = flagged.get(item.data(Qt.ItemDataRole.UserRole))
            said = (
                self.tr("Missed {count} sessions in a row").format(count=line.missed_in_row)
                if line is not None
                else ""
            )
            item.setText(_FLAG + text if line is not None else text)
            item.setToolTip(said)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, said)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- internals -----------------------------------------------------------------

    def _show(self, data: AttendanceTable | None) -> None:
        self.data = data
        sessions = data.sessions if data is not None else ()
        rows = data.rows if data is not None else ()
        table = self.table
        table.clear()
        table.setColumnCount(len(sessions) + 3)
        table.setRowCount(len(rows))
        headers = [self.tr("Member")]
        headers += [self._session_heading(s) for s in sessions]
        headers += [self.tr("Attended"), self.tr("Attrition")]
        table.setHorizontalHeaderLabels(headers)
        for column, session in enumerate(sessions, start=1):
            header = table.horizontalHeaderItem(column)
            assert header is not None  # set just above
            header.setToolTip(self._session_name(session))
            header.setData(Qt.ItemDataRole.AccessibleTextRole, self._session_name(session))
        names = {m.id: m.display_name for m in self.workspace.members}
        for row, line in enumerate(rows):
            self._show_row(row, line, names.get(line.member_id, "?"), sessions)
        table.setVisible(bool(rows) and bool(sessions))
        self.empty.setVisible(not (rows and sessions))
        flagged = [r for r in rows if r.attrition]
        show_message(
            self.flags,
            "\n".join(
                self.tr("⚠ {name}: missed {count} sessions in a row").format(
                    name=names.get(r.member_id, "?"), count=r.missed_in_row
                )
                for r in flagged
            ),
        )
        self._retranslate_empty()
        self.loaded.emit()

    def _show_row(
        self, row: int, line: AttendanceRow, name: str, sessions: tuple[Session, ...]
    ) -> None:
        cells = [_item(name, name)]
        for session, mark in zip(sessions, line.marks, strict=True):
            cells.append(
                _item(
                    self._mark_symbol(mark),
                    self.tr("{name}, {session}: {mark}").format(
                        name=name, session=self._session_name(session), mark=self._mark_words(mark)
                    ),
                )
            )
        attended = self.tr("{attended} of {expected}").format(
            attended=line.attended, expected=line.expected
        )
        cells.append(
            _item(
                attended,
                self.tr("{name} attended {attended} of the {expected} sessions expected").format(
                    name=name, attended=line.attended, expected=line.expected
                ),
            )
        )
        flag = (
            self.tr("⚠ Missed {count} sessions in a row").format(count=line.missed_in_row)
            if line.attrition
            else ""
        )
        cells.append(_item(flag, self.tr("{name}: {flag}").format(name=name, flag=flag or "—")))
        for column, cell in enumerate(cells):
            if line.attrition and column in (0, len(cells) - 1):
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
            if column > 0:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, column, cell)

    def _session_heading(self, session: Session) -> str:
        date = QLocale().toString(
            local_qdatetime(session.actual_start or session.planned_start).date(),
            QLocale.FormatType.ShortFormat,
        )
        if session.kind is SessionKind.INDIVIDUAL:
            return self.tr("{date} (1:1)").format(date=date)
        return date

    def _session_name(self, session: Session) -> str:
        date = QLocale().toString(
            local_qdatetime(session.actual_start or session.planned_start).date(),
            QLocale.FormatType.LongFormat,
        )
        if session.kind is SessionKind.INDIVIDUAL:
            return self.tr("one-to-one meeting of {date}").format(date=date)
        return self.tr("session of {date}").format(date=date)

    def _mark_symbol(self, mark: Mark) -> str:
        return {
            Mark.PRESENT_ONLINE: self.tr("✔ online"),
            Mark.PRESENT_IN_ROOM: self.tr("✔ in the room"),
            Mark.ABSENT: self.tr("✘ absent"),
            Mark.NOT_EXPECTED: "—",
            Mark.NOT_HELD: self.tr("not held"),
        }[mark]

    def _mark_words(self, mark: Mark) -> str:
        return {
            Mark.PRESENT_ONLINE: self.tr("present online"),
            Mark.PRESENT_IN_ROOM: self.tr("present in the room"),
            Mark.ABSENT: self.tr("absent"),
            Mark.NOT_EXPECTED: self.tr("not expected"),
            Mark.NOT_HELD: self.tr("the session was not held"),
        }[mark]

    def _retranslate_empty(self) -> None:
        if self.workspace.selected_group_id is None:
            self.empty.setText("")
        elif self.data is not None and self.data.rows and not self.data.sessions:
            self.empty.setText(
                self.tr("No past sessions yet: attendance appears after the first session.")
            )
        else:
            self.empty.setText(self.tr("No members yet: add the group's members first."))

    def _retranslate(self) -> None:
        self.table.setAccessibleName(self.tr("Attendance across sessions"))
        self.legend.setText(
            self.tr(
                "✔ present (online or in the room) · ✘ absent · — not expected. A member "
                "is flagged after {count} sessions missed in a row (your organisation's policy)."
            ).format(count=self.workspace.attrition_missed_in_row)
        )
        self._show(self.data)


_FLAG = "⚠ "


def _item(text: str, accessible: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, accessible)
    item.setToolTip(accessible)
    return item


def _past(session: Session, now: datetime) -> bool:
    """Held, or planned to start before ``now`` (a future session is not a column yet)."""
    return session.actual_start is not None or session.planned_start <= now
