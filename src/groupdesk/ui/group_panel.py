"""The selected group: its name and actions, and the table of its members."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import Member
from groupdesk.ui.consent_dialog import ConsentDialog, consent_standing
from groupdesk.ui.group_dialog import GroupDialog
from groupdesk.ui.member_dialog import MemberDialog, modality_name
from groupdesk.ui.widgets import heading, message_label, paragraph, show_message, spawn
from groupdesk.ui.workspace import Workspace

_ID_ROLE = Qt.ItemDataRole.UserRole


class GroupHeader(QWidget):
    """The group's name and description, with Prepare, Edit and Archive.

    Signals: ``prepare_requested()`` when the person asks to prepare a session.
    """

    prepare_requested = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.title = heading(self, level=2)
        self.description = paragraph(self)
        self.prepare_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.archive_button = QPushButton(self)
        self.dialog = GroupDialog(workspace, self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.prepare_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addLayout(buttons)

        self.prepare_button.clicked.connect(self.prepare_requested)
        self.edit_button.clicked.connect(self.edit_group)
        self.archive_button.clicked.connect(self.toggle_archived)
        workspace.groups_changed.connect(self._show)
        workspace.members_changed.connect(self._show)
        self._retranslate()

    def edit_group(self) -> None:
        """Open the form to rename the group or change its description (F2)."""
        group = self.workspace.selected_group()
        if group is not None:
            self.dialog.edit(group)

    def toggle_archived(self) -> None:
        """Archive the group, or bring it back if it is archived."""
        group = self.workspace.selected_group()
        if group is not None and not self.workspace.busy:
            spawn(self.workspace.archive_group(group.id, not group.archived))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _show(self) -> None:
        group = self.workspace.selected_group()
        if group is None:  # no stale name left behind (the lock empties the lists)
            self.title.clear()
            self.description.clear()
            return
        title = group.name
        if group.archived:
            title = self.tr("{name} (archived)").format(name=group.name)
        self.title.setText(title)
        self.description.setText(group.description)
        self.description.setVisible(bool(group.description))
        self.prepare_button.setEnabled(not group.archived)
        if group.archived:
            self.archive_button.setText(self.tr("Resto&re group"))
            self.archive_button.setAccessibleName(self.tr("Restore the archived group"))
        else:
            self.archive_button.setText(self.tr("Archi&ve group"))
            self.archive_button.setAccessibleName(self.tr("Archive the group"))

    def _retranslate(self) -> None:
        self.prepare_button.setText(self.tr("&Prepare a session…"))
        self.prepare_button.setAccessibleName(self.tr("Prepare a session for this group"))
        self.prepare_button.setToolTip(self.tr("Prepare a session (Ctrl+P)"))
        self.edit_button.setText(self.tr("&Edit group…"))
        self.edit_button.setAccessibleName(self.tr("Edit the name and description of the group"))
        self.edit_button.setToolTip(self.tr("Edit the group (F2)"))
        self.archive_button.setText(self.tr("Archi&ve group"))
        self.archive_button.setAccessibleName(self.tr("Archive the group"))
        self.archive_button.setToolTip(
            self.tr("An archived group keeps its records; show archived groups to restore it.")
        )
        self._show()


class MembersPanel(QWidget):
    """The members of the selected group in a table, with Add, Edit and Archive."""

    COLUMNS = 6
    CONSENT_COLUMN = 5

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = paragraph(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.archive_button = QPushButton(self)
        self.consent_button = QPushButton(self)
        self.message = message_label(self)
        self.consent_summary = paragraph(self)
        self.dialog = MemberDialog(workspace, self)
        self.consent_dialog = ConsentDialog(workspace, self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.consent_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.consent_summary)
        layout.addWidget(self.stack, 1)

        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.consent_button.clicked.connect(self.show_consent)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.edit_member())
        workspace.members_changed.connect(self._show_members)
        workspace.member_failed.connect(self._show_error)
        self._retranslate()

    def add_member(self) -> None:
        """Open the form for a new member of the selected group (Ctrl+Shift+N)."""
        group = self.workspace.selected_group()
        if group is not None and not group.archived:
            self.dialog.edit(group.id, None)

    def edit_member(self) -> None:
        """Open the form on the member chosen in the table (Enter)."""
        member = self.current_member()
        if member is not None:
            self.dialog.edit(member.group_id, member)

    def show_consent(self) -> None:
        """Open the consent screen of the chosen member (its text, Record consent)."""
        member = self.current_member()
        if member is not None and not member.archived:
            self.consent_dialog.show_for(member)

    def toggle_archived(self) -> None:
        """Archive the chosen member, or bring them back."""
        member = self.current_member()
        if member is not None:
            show_message(self.message, None)
            spawn(self.workspace.archive_member(member.id, not member.archived))

    def current_member(self) -> Member | None:
        """The member of the selected row, if any."""
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        member_id = item.data(_ID_ROLE)
        return next((m for m in self.workspace.members if m.id == member_id), None)

    def select_member(self, member_id: int) -> None:
        """Select the row of ``member_id``."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(_ID_ROLE) == member_id:
                self.table.selectRow(row)
                return

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _show_error(self) -> None:
        if self.dialog.isVisible():
            return  # the dialog shows it next to the form
        error = self.workspace.member_error
        show_message(self.message, error.message() if error else None)

    def _show_members(self) -> None:
        current = self.current_member()
        members = self.workspace.members
        self.table.setRowCount(len(members))
        dimmed = self.palette().color(QPalette.ColorRole.PlaceholderText)
        version = self.workspace.remote_consent.version
        for row, member in enumerate(members):
            name = member.display_name
            if member.archived:
                name = self.tr("{name} (archived)").format(name=name)
            cells = (
                name,
                member.pseudonym,
                member.phone,
                member.emergency_contact,
                modality_name(member.modality),
                consent_standing(member, self.workspace.consents.get(member.id), version),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, member.id)
                if member.archived:
                    item.setForeground(dimmed)
                self.table.setItem(row, column, item)
            if not member.archived and self.workspace.needs_consent(member):
                self._mark_needs_consent(row, version)
        self.stack.setCurrentWidget(self.table if members else self.empty)
        self._show_consent_summary(version)
        if current is not None:
            self.select_member(current.id)
        self._update_buttons()

    def _mark_needs_consent(self, row: int, version: str) -> None:
        """The consent cell of a member without consent to ``version``: bold, and said."""
        item = self.table.item(row, self.CONSENT_COLUMN)
        if item is None:
            return
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        explained = self.tr("Has not consented to version {version} of the text").format(
            version=version
        )
        item.setToolTip(explained)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, explained)

    def _show_consent_summary(self, version: str) -> None:
        needed = [
            m.display_name
            for m in self.workspace.members
            if not m.archived and self.workspace.needs_consent(m)
        ]
        if needed:
            text = self.tr("Not yet consented to remote work (version {version}): {names}")
            self.consent_summary.setText(text.format(version=version, names=", ".join(needed)))
        else:  # no stale names left behind (the lock empties the lists)
            self.consent_summary.clear()
        self.consent_summary.setVisible(bool(needed))

    def _update_buttons(self) -> None:
        group = self.workspace.selected_group()
        member = self.current_member()
        self.add_button.setEnabled(group is not None and not group.archived)
        self.edit_button.setEnabled(member is not None)
        self.archive_button.setEnabled(member is not None)
        self.consent_button.setEnabled(member is not None and not member.archived)
        if member is not None and member.archived:
            self.archive_button.setText(self.tr("Restore me&mber"))
            self.archive_button.setAccessibleName(self.tr("Restore the archived member"))
        else:
            self.archive_button.setText(self.tr("Archive me&mber"))
            self.archive_button.setAccessibleName(self.tr("Archive the member"))

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Pseudonym"),
                self.tr("Phone"),
                self.tr("Emergency contact"),
                self.tr("Modality"),
                self.tr("Consent"),
            ]
        )
        self.table.setAccessibleName(self.tr("Members of the group"))
        keys = SHORTCUTS["add_member"].toString(QKeySequence.SequenceFormat.NativeText)
        self.empty.setText(
            self.tr(
                "No members yet.\nAdd the people of this group with Add member ({keys}): "
                "their phone and emergency contact stay at hand during sessions."
            ).format(keys=keys)
        )
        self.add_button.setText(self.tr("A&dd member…"))
        self.add_button.setAccessibleName(self.tr("Add a member to the group"))
        self.add_button.setToolTip(self.tr("Add a member ({keys})").format(keys=keys))
        self.edit_button.setText(self.tr("Ed&it member…"))
        self.edit_button.setAccessibleName(self.tr("Edit the chosen member"))
        self.consent_button.setText(self.tr("C&onsent…"))
        self.consent_button.setAccessibleName(
            self.tr("Show the consent text to the chosen member and record their consent")
        )
        self._show_members()


#: Shortcuts of the group actions (the main window's Group menu shows them).
SHORTCUTS = {
    "prepare": QKeySequence("Ctrl+P"),
    # Ctrl+Shift+N, beside Ctrl+N (new group): Ctrl+M is "mute" on the live screen, where a
    # key must work at once and without looking; one meaning per key in the whole app.
    "add_member": QKeySequence("Ctrl+Shift+N"),
    "edit_group": QKeySequence("F2"),
}
