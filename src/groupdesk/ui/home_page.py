"""The page once the log is open: the groups, their past sessions, and "New group"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import Session
from groupdesk.ui.group_panel import GroupHeader, MembersPanel
from groupdesk.ui.records.attendance_view import AttendanceView
from groupdesk.ui.widgets import (
    heading,
    local_qdatetime,
    message_label,
    paragraph,
    show_message,
    spawn,
)
from groupdesk.ui.workspace import Workspace

_ID_ROLE = Qt.ItemDataRole.UserRole


class _ListWithEmptyState(QStackedWidget):
    """A list, or a sentence saying what to do while the list is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.empty = paragraph(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.empty.setStyleSheet("QLabel#emptyState { color: palette(placeholder-text); }")
        self.empty.setMargin(24)
        self.addWidget(self.list)
        self.addWidget(self.empty)

    def set_items(self, items: list[tuple[str, Any]], current: Any = None) -> None:
        """Replace the rows (text, id) and select the row whose id is ``current``."""
        self.list.blockSignals(True)
        self.list.clear()
        for text, item_id in items:
            item = QListWidgetItem(text, self.list)
            item.setData(_ID_ROLE, item_id)
            if current is not None and item_id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.setCurrentWidget(self.list if items else self.empty)


class _Tabs(QWidget):
    """Pages chosen with a row of toggle buttons (no Qt-internal scroll arrows to translate)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: list[QPushButton] = []
        self.choice = QButtonGroup(self)
        self.choice.setExclusive(True)
        self.stack = QStackedWidget(self)
        self.row = QHBoxLayout()
        self.row.setSpacing(0)
        self.row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self.row)
        layout.addWidget(self.stack, 1)
        self.choice.idClicked.connect(self.setCurrentIndex)

    def addTab(self, page: QWidget, text: str) -> None:  # noqa: N802 -- as QTabWidget
        """Add ``page`` with a button labelled ``text``."""
        button = QPushButton(text, self)
        button.setCheckable(True)
        self.choice.addButton(button, len(self.buttons))
        self.row.insertWidget(len(self.buttons), button)
        self.buttons.append(button)
        self.stack.addWidget(page)
        if len(self.buttons) == 1:
            button.setChecked(True)

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802 -- as QTabWidget
        """Label the button of page ``index``."""
        self.buttons[index].setText(text)
        self.buttons[index].setAccessibleName(text)

    def setTabVisible(self, index: int, visible: bool) -> None:  # noqa: N802 -- as QTabWidget
        """Show or hide the button of page ``index``."""
        self.buttons[index].setVisible(visible)

    def isTabVisible(self, index: int) -> bool:  # noqa: N802 -- as QTabWidget
        """Whether the button of page ``index`` is shown."""
        return not self.buttons[index].isHidden()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 -- as QTabWidget
        """Show page ``index``."""
        self.buttons[index].setChecked(True)
        self.stack.setCurrentIndex(index)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 -- as QTabWidget
        """The page shown."""
        return self.stack.currentWidget()


class HomePage(QWidget):
    """Groups on the left; on the right the chosen group's members and sessions.

    With no group chosen, the right side lists the sessions of every group. A
    form to create a group sits on top.

    Signals: ``prepare_requested()`` when the person asks to prepare a session
    for the chosen group; ``notes_requested(int)``: open the notes of a past session
    (Enter or double-click on it; a session not started yet has none).
    """

    prepare_requested = Signal()
    notes_requested = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace

        self.new_group_label = QLabel(self)
        self.new_group_name = QLineEdit(self)
        self.new_group_label.setBuddy(self.new_group_name)
        self.new_group_button = QPushButton(self)
        self.group_message = message_label(self)

        self.groups_title = heading(self, level=2)
        self.groups = _ListWithEmptyState(self)
        self.sessions_title = heading(self, level=2)
        self.sessions = _ListWithEmptyState(self)
        self.all_groups_button = QPushButton(self)
        self.all_groups_button.setFlat(True)
        self.show_archived = QCheckBox(self)
        self.group_header = GroupHeader(workspace, self)
        self.members = MembersPanel(workspace, self)
        self.tabs = _Tabs(self)

        self._lay_out()

        self.new_group_name.textChanged.connect(self._update_form)
        self.new_group_name.returnPressed.connect(self.create_group)
        self.new_group_button.clicked.connect(self.create_group)
        self.groups.list.currentItemChanged.connect(self._on_group_selected)
        self.sessions.list.itemActivated.connect(self._open_notes)
        self.all_groups_button.clicked.connect(self.show_all_groups)
        self.show_archived.toggled.connect(
            lambda on: spawn(self.workspace.set_show_archived(bool(on)))
        )
        self.group_header.prepare_requested.connect(self.prepare_requested)
        workspace.groups_changed.connect(self._show_groups)
        workspace.sessions_changed.connect(self._show_sessions)
        workspace.group_created.connect(self._on_group_created)
        workspace.group_saved.connect(lambda _group_id: show_message(self.group_message, None))
        workspace.group_failed.connect(self._show_group_error)
        workspace.group_failed.connect(self._update_form)
        workspace.changed.connect(self._update_form)
        self._retranslate()
        self._show_groups()
        self._show_sessions()
        self._update_form()

    def _lay_out(self) -> None:
        form = QHBoxLayout()
        form.addWidget(self.new_group_label)
        form.addWidget(self.new_group_name, 1)
        form.addWidget(self.new_group_button)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.groups_title)
        left_layout.addWidget(self.groups, 1)
        left_layout.addWidget(self.show_archived)
        sessions_tab = QWidget(self)
        sessions_layout = QVBoxLayout(sessions_tab)
        sessions_layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.sessions_title, 1)
        sessions_layout.addLayout(title_row)
        sessions_layout.addWidget(self.sessions, 1)
        self.tabs.addTab(self.members, "")
        self.tabs.addTab(sessions_tab, "")
        self.attendance = AttendanceView(self.workspace, self)  # across the group's sessions
        self.tabs.addTab(self.attendance, "")
        self.attendance.loaded.connect(lambda: self.tabs.setTabText(2, self.attendance.tab_text()))
        self.attendance.loaded.connect(lambda: self.attendance.flag_in(self.members.table))
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        header_row = QHBoxLayout()
        header_row.addWidget(self.group_header, 1)
        header_row.addWidget(self.all_groups_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(header_row)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(form)
        layout.addWidget(self.group_message)
        layout.addSpacing(8)
        layout.addWidget(splitter, 1)

    def start_new_group(self) -> None:
        """Put the cursor in the group name field (Ctrl+N)."""
        self.new_group_name.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.new_group_name.selectAll()

    def create_group(self) -> None:
        """Create the group named in the field."""
        name = self.new_group_name.text().strip()
        if not name or self.workspace.busy:
            return
        self.new_group_button.setEnabled(False)
        spawn(self.workspace.create_group(name))

    def _on_group_created(self) -> None:
        self.new_group_name.clear()
        show_message(self.group_message, None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_form(self) -> None:
        self.new_group_button.setEnabled(bool(self.new_group_name.text().strip()))

    def _show_group_error(self) -> None:
        error = self.workspace.group_error
        show_message(self.group_message, error.message() if error else None)

    def show_all_groups(self) -> None:
        """List the past sessions of every group again."""
        self.groups.list.setCurrentRow(-1)

    def _on_group_selected(self, item: QListWidgetItem | None) -> None:
        group_id = item.data(_ID_ROLE) if item is not None else None
        spawn(self.workspace.select_group(group_id))

    def _open_notes(self, item: QListWidgetItem) -> None:
        session_id = item.data(_ID_ROLE)
        session = next((s for s in self.workspace.sessions if s.id == session_id), None)
        if session is not None and session.actual_start is not None:
            self.notes_requested.emit(session.id)

    def _show_groups(self) -> None:
        self.groups.set_items(
            [
                (self._group_text(group.name, group.archived), group.id)
                for group in self.workspace.groups
            ],
            current=self.workspace.selected_group_id,
        )

    def _group_text(self, name: str, archived: bool) -> str:
        return self.tr("{name} (archived)").format(name=name) if archived else name

    def _show_sessions(self) -> None:
        chosen = self.workspace.selected_group() is not None
        if chosen and not self.tabs.isTabVisible(0):
            self.tabs.setTabVisible(0, True)
            self.tabs.setCurrentIndex(0)  # a group just chosen: its members first
        elif not chosen:
            self.tabs.setTabVisible(0, False)
            self.tabs.setCurrentIndex(1)
        self.tabs.setTabVisible(2, chosen)
        self.group_header.setVisible(chosen)
        self.sessions_title.setVisible(not chosen)
        self.sessions.set_items(
            [
                (self._session_text(session), session.id)
                for session in sorted(self.workspace.sessions, key=_start, reverse=True)
            ]
        )
        self._retranslate_empty_states()
        self.all_groups_button.setVisible(self.workspace.selected_group_id is not None)

    def _session_text(self, session: Session) -> str:
        names = {group.id: group.name for group in self.workspace.groups}
        local = local_qdatetime(_start(session))
        locale = QLocale()
        counts = self.workspace.session_counts.get(session.id)
        expected, attended = (counts.expected, counts.attended) if counts else (0, 0)
        if session.actual_start is None:
            who = self.tr("planned, expected: {expected}").format(expected=expected)
        elif expected:
            who = self.tr("present: {attended} of {expected}").format(
                attended=attended, expected=expected
            )
        else:
            who = self.tr("present: {attended}").format(attended=attended)
        if session.id in self.workspace.one_to_one:
            who = self.tr("one-to-one with {name}, {who}").format(
                name=self.workspace.one_to_one[session.id], who=who
            )
        return self.tr("{date}, {time} — {who} — {group}").format(
            date=locale.toString(local.date(), QLocale.FormatType.LongFormat),
            time=locale.toString(local.time(), QLocale.FormatType.ShortFormat),
            who=who,
            group=names.get(session.group_id, ""),
        )

    def _retranslate_empty_states(self) -> None:
        self.groups.empty.setText(
            self.tr(
                "No groups yet.\nCreate your first group: type its name above and "
                "press Create group (Ctrl+N)."
            )
        )
        if not self.workspace.groups:
            sessions_empty = self.tr("Past sessions will appear here once you have a group.")
        elif self.workspace.selected_group_id is not None:
            sessions_empty = self.tr(
                "No past sessions for this group yet.\nSessions you run with it will appear here."
            )
        else:
            sessions_empty = self.tr("No past sessions yet.\nSessions you run will appear here.")
        self.sessions.empty.setText(sessions_empty)

    def _retranslate(self) -> None:
        self.new_group_label.setText(self.tr("&New group:"))
        self.new_group_name.setPlaceholderText(self.tr("Name of the group"))
        self.new_group_name.setAccessibleName(self.tr("Name of the new group"))
        self.new_group_button.setText(self.tr("Create group"))
        self.new_group_button.setAccessibleName(self.tr("Create group"))
        self.groups_title.setText(self.tr("Groups"))
        self.groups.list.setAccessibleName(self.tr("Groups"))
        self.sessions_title.setText(self.tr("Past sessions"))
        self.sessions.list.setAccessibleName(self.tr("Past sessions"))
        self.sessions.list.setToolTip(self.tr("Enter or double-click: the notes of the session"))
        self.all_groups_button.setText(self.tr("Show &all groups"))
        self.all_groups_button.setAccessibleName(self.tr("Show the sessions of all groups"))
        self.show_archived.setText(self.tr("Sho&w archived groups and members"))
        self.show_archived.setAccessibleName(self.tr("Show archived groups and members"))
        self.tabs.setTabText(0, self.tr("Members"))
        self.tabs.setTabText(1, self.tr("Sessions"))
        self.tabs.setTabText(2, self.attendance.tab_text())
        self.tabs.setAccessibleName(self.tr("The group's members and sessions"))
        self._retranslate_empty_states()
        self._show_group_error()
        self._show_sessions()


def _start(session: Session) -> datetime:
    """When the session started (or was planned to)."""
    return session.actual_start or session.planned_start
