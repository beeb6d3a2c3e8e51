"""First run: choose how the new session log is protected, then create it."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui.widgets import (
    heading,
    message_label,
    paragraph,
    passphrase_field,
    show_message,
    spawn,
)
from groupdesk.ui.workspace import Stage, Workspace


class CreatePanel(QWidget):
    """The choice between the OS keyring and a passphrase, and the "Create" button."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._mismatch = False

        self.title = heading(self)
        self.intro = paragraph(self)
        self.use_keyring = QRadioButton(self)
        self.use_passphrase = QRadioButton(self)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.use_keyring)
        self.choice.addButton(self.use_passphrase)
        self.keyring_note = paragraph(self)
        self.passphrase_note = paragraph(self)
        self.passphrase = passphrase_field(self)
        self.confirmation = passphrase_field(self)
        self.passphrase_label = QLabel(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.confirmation_label = QLabel(self)
        self.confirmation_label.setBuddy(self.confirmation)
        self.message = message_label(self)
        self.create_button = QPushButton(self)
        self.create_button.setDefault(True)
        self.passphrase_box = QWidget(self)
        self._lay_out()

        self.choice.buttonToggled.connect(self._update)
        self.passphrase.textChanged.connect(self._on_typing)
        self.confirmation.textChanged.connect(self._on_typing)
        self.passphrase.returnPressed.connect(self.confirmation.setFocus)
        self.confirmation.returnPressed.connect(self.submit)
        self.create_button.clicked.connect(self.submit)
        workspace.changed.connect(self._update)
        self._retranslate()
        self.reset()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.confirmation_label, self.confirmation)
        box_layout = QVBoxLayout(self.passphrase_box)
        box_layout.setContentsMargins(24, 0, 0, 0)
        box_layout.addWidget(self.passphrase_note)
        box_layout.addLayout(form)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.use_keyring)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self.passphrase_box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.keyring_note.setContentsMargins(24, 0, 0, 0)

    def reset(self) -> None:
        """Preselect the keyring when it is usable, else the passphrase."""
        usable = self.workspace.keyring_usable
        self.use_keyring.setEnabled(usable)
        (self.use_keyring if usable else self.use_passphrase).setChecked(True)
        self._retranslate()
        self._update()

    def first_field(self) -> QWidget:
        """Where the cursor goes when the panel appears."""
        return self.passphrase if self.use_passphrase.isChecked() else self.create_button

    def submit(self) -> None:
        """Create the log with the chosen protection."""
        if not self.create_button.isEnabled():
            return
        if self.use_keyring.isChecked():
            spawn(self.workspace.create(None))
            return
        if self.passphrase.text() != self.confirmation.text():
            self._mismatch = True
            self._update()
            return
        spawn(self.workspace.create(self.passphrase.text()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_typing(self) -> None:
        self._mismatch = False
        self._update()

    def _update(self) -> None:
        with_passphrase = self.use_passphrase.isChecked()
        self.passphrase_box.setEnabled(with_passphrase)
        ready = not with_passphrase or bool(self.passphrase.text() and self.confirmation.text())
        self.create_button.setEnabled(ready and not self.workspace.busy)
        self._show_message()

    def _show_message(self) -> None:
        if self._mismatch:
            show_message(
                self.message,
                self.tr("The two passphrases are different. Type the same passphrase twice."),
            )
        elif self.workspace.stage is Stage.CHOOSE_PROTECTION and self.workspace.error:
            show_message(self.message, self.workspace.error.message())
        else:
            show_message(self.message, None)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Welcome to GroupDesk"))
        self.intro.setText(
            self.tr(
                "GroupDesk keeps your groups, attendance and session notes in an encrypted "
                "log on this computer. Choose how the log is protected."
            )
        )
        self.use_keyring.setText(self.tr("Keep the key in this computer's keyring (recommended)"))
        self.use_keyring.setAccessibleName(self.tr("Protect the log with the keyring"))
        if self.workspace.keyring_usable:
            keyring_note = self.tr(
                "The log opens by itself when you are signed in to this computer."
            )
        else:
            keyring_note = self.tr(
                "This computer has no keyring GroupDesk can use, so your log will be "
                "protected by a passphrase."
            )
        self.keyring_note.setText(keyring_note)
        self.use_passphrase.setText(self.tr("Protect it with a passphrase"))
        self.use_passphrase.setAccessibleName(self.tr("Protect the log with a passphrase"))
        self.passphrase_note.setText(
            self.tr(
                "You will type it each time GroupDesk starts. Choose a few words you will "
                "remember: nobody can open the log without the passphrase or your recovery key."
            )
        )
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.confirmation_label.setText(self.tr("&Type it again:"))
        self.confirmation.setAccessibleName(self.tr("Passphrase again"))
        self.create_button.setText(self.tr("&Create my session log"))
        self.create_button.setAccessibleName(self.tr("Create my session log"))
        self._show_message()
