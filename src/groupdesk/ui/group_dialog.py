"""The form to rename a group or change its description."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import MAX_NAME, Group
from groupdesk.ui.widgets import field_message, message_label, show_message, spawn
from groupdesk.ui.workspace import Workspace


class GroupDialog(QDialog):
    """Rename a group and describe it; an empty name is refused next to the field."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.group_id: int | None = None
        self._saving = False
        self.name = QLineEdit(self)
        self.name.setMaxLength(MAX_NAME)
        self.name_label = QLabel(self)
        self.name_label.setBuddy(self.name)
        self.name_error = field_message(self)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(96)
        self.description_label = QLabel(self)
        self.description_label.setBuddy(self.description)
        self.message = message_label(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow("", self.name_error)
        form.addRow(self.description_label, self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.name.returnPressed.connect(self.submit)
        self.name.textEdited.connect(lambda _t: show_message(self.name_error, None))
        workspace.group_saved.connect(self._on_saved)
        workspace.group_failed.connect(self._on_failed)
        self._retranslate()

    def edit(self, group: Group) -> None:
        """Open the form on ``group``."""
        self.group_id = group.id
        self.name.setText(group.name)
        self.description.setPlainText(group.description)
        show_message(self.name_error, None)
        show_message(self.message, None)
        self._saving = False
        self.save_button.setEnabled(True)
        self.open()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name.selectAll()

    def submit(self) -> None:
        """Save the group, or say why not next to the name."""
        if self._saving or self.group_id is None:
            return
        name = self.name.text().strip()
        if not name:
            show_message(self.name_error, self.tr("A group needs a name."))
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._saving = True
        self.save_button.setEnabled(False)
        spawn(
            self.workspace.update_group(self.group_id, name, self.description.toPlainText().strip())
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_saved(self, group_id: int) -> None:
        if self._saving and group_id == self.group_id:
            self._saving = False
            self.save_button.setEnabled(True)
            self.accept()

    def _on_failed(self) -> None:
        if not self._saving:
            return
        self._saving = False
        self.save_button.setEnabled(True)
        error = self.workspace.group_error
        show_message(self.message, error.message() if error else None)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit group"))
        self.name_label.setText(self.tr("&Name:"))
        self.name.setAccessibleName(self.tr("Name of the group"))
        self.description_label.setText(self.tr("&Description:"))
        self.description.setAccessibleName(self.tr("Description of the group"))
        self.description.setPlaceholderText(
            self.tr("Who the group is for, where and when it meets")
        )
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save the group"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel without saving"))
