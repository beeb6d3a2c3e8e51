"""The unlock page's panel for a keyring-protected log that was locked while open."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from groupdesk.ui.widgets import heading, paragraph, spawn
from groupdesk.ui.workspace import Stage, Workspace


class LockedPanel(QWidget):
    """ "GroupDesk is locked" and an Unlock button that asks the keyring for the key again.

    At start a keyring-protected log opens by itself; after a lock it waits for the
    person, or stepping away would protect nothing.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.title = heading(self)
        self.intro = paragraph(self)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        self.unlock_button.clicked.connect(self.submit)
        workspace.changed.connect(self._update)
        self._retranslate()

    def submit(self) -> None:
        """Unlock with the key the keyring holds."""
        if self.workspace.stage is Stage.LOCKED and not self.workspace.busy:
            spawn(self.workspace.unlock_from_keyring())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        self.unlock_button.setEnabled(not self.workspace.busy)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("GroupDesk is locked"))
        self.intro.setText(
            self.tr(
                "Your session log was locked so that no one sees it while you are away. "
                "Unlock it to return where you were."
            )
        )
        self.unlock_button.setText(self.tr("&Unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock the session log"))
        self._update()
