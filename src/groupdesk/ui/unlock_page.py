"""The page shown until the session log is open: create, unlock, recover, or explain why not."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.errors import GroupDeskError
from groupdesk.ui.access.locked_panel import LockedPanel
from groupdesk.ui.create_panel import CreatePanel
from groupdesk.ui.recovery_key_panel import RecoveryKeyPanel
from groupdesk.ui.widgets import (
    heading,
    message_label,
    paragraph,
    passphrase_field,
    show_message,
    spawn,
)
from groupdesk.ui.workspace import Stage, Workspace


def _error_text(error: GroupDeskError | None) -> str | None:
    return error.message() if error is not None else None


class _Panel(QWidget):
    """A panel that retranslates itself on a language switch."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        raise NotImplementedError


class BusyPanel(_Panel):
    """Shows "Opening your session log..." while the key is derived and the log checked."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.title = heading(self, level=2)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = paragraph(self)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Opening your session log…"))
        self.detail.setText(self.tr("GroupDesk checks that the log is intact before showing it."))


class PassphrasePanel(_Panel):
    """The passphrase field, and the way out when the passphrase is forgotten."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.title = heading(self)
        self.intro = paragraph(self)
        self.passphrase_label = QLabel(self)
        self.passphrase = passphrase_field(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.message = message_label(self)
        self.recovery_button = QPushButton(self)
        self.recovery_button.setFlat(True)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self._selected_for: GroupDeskError | None = None

        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.passphrase.textChanged.connect(self._update)
        self.passphrase.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.recovery_button.clicked.connect(workspace.use_recovery_key)
        workspace.changed.connect(self._update)
        self._retranslate()
        self._update()

    def submit(self) -> None:
        """Unlock with the typed passphrase."""
        if self.unlock_button.isEnabled():
            spawn(self.workspace.unlock(self.passphrase.text()))

    def _update(self) -> None:
        here = self.workspace.stage is Stage.PASSPHRASE
        error = self.workspace.error if here else None
        if error is not None and error is not self._selected_for:
            # Once per failed attempt, so the next passphrase replaces the wrong one.
            # On every update (each keystroke is one) each key would replace the last.
            self._selected_for = error
            self.passphrase.selectAll()
        self.unlock_button.setEnabled(bool(self.passphrase.text()) and not self.workspace.busy)
        show_message(self.message, _error_text(self.workspace.error) if here else None)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Your session log is locked"))
        self.intro.setText(self.tr("Type your passphrase to open it."))
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock the session log"))
        self.recovery_button.setText(self.tr("I forgot it: use my &recovery key"))
        self.recovery_button.setAccessibleName(self.tr("Use my recovery key"))
        self._update()


class RecoveryPanel(_Panel):
    """The recovery key field; and a new passphrase when there is no keyring to keep the key."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.title = heading(self)
        self.intro = paragraph(self)
        self.key_label = QLabel(self)
        self.key = QLineEdit(self)
        self.key.setMinimumWidth(320)
        self.key_label.setBuddy(self.key)
        self.passphrase_note = paragraph(self)
        self.passphrase_label = QLabel(self)
        self.passphrase = passphrase_field(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.confirmation_label = QLabel(self)
        self.confirmation = passphrase_field(self)
        self.confirmation_label.setBuddy(self.confirmation)
        self.message = message_label(self)
        self.back_button = QPushButton(self)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self._mismatch = False

        form = QFormLayout()
        form.addRow(self.key_label, self.key)
        self.passphrase_form = QWidget(self)
        passphrase_form = QFormLayout(self.passphrase_form)
        passphrase_form.setContentsMargins(0, 0, 0, 0)
        passphrase_form.addRow(self.passphrase_note)
        passphrase_form.addRow(self.passphrase_label, self.passphrase)
        passphrase_form.addRow(self.confirmation_label, self.confirmation)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        for field in (self.key, self.passphrase, self.confirmation):
            field.textChanged.connect(self._on_typing)
        self.key.returnPressed.connect(self.submit)
        self.confirmation.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(workspace.leave_recovery)
        workspace.changed.connect(self._update)
        self._retranslate()
        self._update()

    def submit(self) -> None:
        """Unlock with the recovery key (and protect the key again)."""
        if not self.unlock_button.isEnabled():
            return
        new_passphrase = None
        if self.workspace.recovery_needs_passphrase:
            if self.passphrase.text() != self.confirmation.text():
                self._mismatch = True
                self._update()
                return
            new_passphrase = self.passphrase.text()
        spawn(self.workspace.unlock_with_recovery_key(self.key.text(), new_passphrase))

    def _on_typing(self) -> None:
        self._mismatch = False
        self._update()

    def _update(self) -> None:
        needs_passphrase = self.workspace.recovery_needs_passphrase
        self.passphrase_form.setVisible(needs_passphrase)
        ready = bool(self.key.text().strip()) and (
            not needs_passphrase or bool(self.passphrase.text() and self.confirmation.text())
        )
        self.unlock_button.setEnabled(ready and not self.workspace.busy)
        if self._mismatch:
            text: str | None = self.tr(
                "The two passphrases are different. Type the same passphrase twice."
            )
        elif self.workspace.stage is Stage.RECOVERY:
            text = _error_text(self.workspace.error)
        else:
            text = None
        show_message(self.message, text)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Open the log with your recovery key"))
        self.intro.setText(
            self.tr(
                "Type the recovery key you wrote down when you created the log. Spaces, "
                "dashes and capitals do not matter."
            )
        )
        self.key_label.setText(self.tr("&Recovery key:"))
        self.key.setAccessibleName(self.tr("Recovery key"))
        self.passphrase_note.setText(
            self.tr(
                "This computer has no keyring GroupDesk can use: choose a new passphrase "
                "to protect the log from now on."
            )
        )
        self.passphrase_label.setText(self.tr("New &passphrase:"))
        self.passphrase.setAccessibleName(self.tr("New passphrase"))
        self.confirmation_label.setText(self.tr("&Type it again:"))
        self.confirmation.setAccessibleName(self.tr("New passphrase again"))
        self.back_button.setText(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock with the recovery key"))
        self._update()


class BlockedPanel(_Panel):
    """Why the log cannot be opened, and what to do next. Nothing is changed on disk."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.title = heading(self)
        self.message = message_label(self)
        self.next_step = paragraph(self)
        self.location = paragraph(self)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_button = QPushButton(self)
        self.retry_button = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.next_step)
        layout.addWidget(self.location)
        layout.addLayout(buttons)
        self.recovery_button.clicked.connect(workspace.use_recovery_key)
        self.retry_button.clicked.connect(lambda: spawn(workspace.retry()))
        workspace.changed.connect(self._update)
        self._retranslate()

    def _update(self) -> None:
        if self.workspace.stage is not Stage.BLOCKED:
            return
        show_message(self.message, _error_text(self.workspace.error))
        self.recovery_button.setVisible(self.workspace.recovery_offered())
        self.retry_button.setEnabled(not self.workspace.busy)
        if self.workspace.recovery_offered():
            self.next_step.setText(
                self.tr(
                    "If you have the recovery key you wrote down when you created the log, "
                    "use it to open the log. Otherwise, contact your organisation's support."
                )
            )
        else:
            self.next_step.setText(
                self.tr(
                    "GroupDesk has not changed the file. Keep it as it is and contact your "
                    "organisation's support; you can try again once the cause is fixed."
                )
            )
        self.location.setText(
            self.tr("Session log folder: {folder}").format(folder=self.workspace.data_dir)
        )

    def _retranslate(self) -> None:
        self.title.setText(self.tr("GroupDesk cannot open your session log"))
        self.recovery_button.setText(self.tr("Use my &recovery key"))
        self.recovery_button.setAccessibleName(self.tr("Use my recovery key"))
        self.retry_button.setText(self.tr("Try &again"))
        self.retry_button.setAccessibleName(self.tr("Try again"))
        self._update()


class PanelStack(QWidget):
    """One panel shown at a time, sized to that panel (a QStackedWidget is as tall as
    its tallest page, which would leave a short panel floating in a tall card)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._current: QWidget | None = None

    def addWidget(self, panel: QWidget) -> None:  # noqa: N802 -- QStackedWidget's name
        """Add a panel (hidden until it is made current)."""
        self._layout.addWidget(panel)
        panel.setVisible(self._current is None)
        if self._current is None:
            self._current = panel

    def setCurrentWidget(self, panel: QWidget) -> None:  # noqa: N802 -- QStackedWidget's name
        """Show ``panel`` and hide the others."""
        if panel is self._current:
            return
        if self._current is not None:
            self._current.hide()
        self._current = panel
        panel.show()

    def currentWidget(self) -> QWidget | None:  # noqa: N802 -- QStackedWidget's name
        """The panel shown."""
        return self._current


class UnlockPage(QWidget):
    """Everything before the log is open, one panel per ``Stage``, in a centred card."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.busy_panel = BusyPanel(workspace, self)
        self.create_panel = CreatePanel(workspace, self)
        self.passphrase_panel = PassphrasePanel(workspace, self)
        self.recovery_panel = RecoveryPanel(workspace, self)
        self.recovery_key_panel = RecoveryKeyPanel(workspace, self)
        self.blocked_panel = BlockedPanel(workspace, self)
        self.locked_panel = LockedPanel(workspace, self)
        self._panels: dict[Stage, QWidget] = {
            Stage.STARTING: self.busy_panel,
            Stage.BUSY: self.busy_panel,
            Stage.CHOOSE_PROTECTION: self.create_panel,
            Stage.PASSPHRASE: self.passphrase_panel,
            Stage.RECOVERY: self.recovery_panel,
            Stage.NEW_RECOVERY_KEY: self.recovery_key_panel,
            Stage.BLOCKED: self.blocked_panel,
            Stage.LOCKED: self.locked_panel,
        }
        self.stack = PanelStack(self)
        for panel in dict.fromkeys(self._panels.values()):
            self.stack.addWidget(panel)

        card = QFrame(self)
        card.setObjectName("card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(640)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 24, 24, 24)
        card_layout.addWidget(self.stack)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

        workspace.changed.connect(self._show_stage)
        self._show_stage()

    def _show_stage(self) -> None:
        panel = self._panels.get(self.workspace.stage)
        if panel is None:
            return
        if panel is self.create_panel and self.stack.currentWidget() is not panel:
            self.create_panel.reset()
        self.stack.setCurrentWidget(panel)
        focus: QWidget | None = {
            self.create_panel: self.create_panel.first_field(),
            self.passphrase_panel: self.passphrase_panel.passphrase,
            self.recovery_panel: self.recovery_panel.key,
            self.recovery_key_panel: self.recovery_key_panel.written,
            self.blocked_panel: self.blocked_panel.retry_button,
            self.locked_panel: self.locked_panel.unlock_button,
        }.get(panel)
        if focus is not None and self.isVisible():
            focus.setFocus()
