"""The recovery key, shown once right after the log is created."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from groupdesk.ui.widgets import heading, paragraph
from groupdesk.ui.workspace import Stage, Workspace


class RecoveryKeyPanel(QWidget):
    """Shows ``workspace.recovery_key`` until the person confirms they wrote it down."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.title = heading(self)
        self.intro = paragraph(self)
        self.key = QLabel(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(QFont(self.key.font()).pointSizeF() * 1.3)
        self.key.setFont(font)
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.PlainText)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setObjectName("recoveryKey")
        self.key.setStyleSheet(
            "QLabel#recoveryKey { background: #f4f6f8; border: 1px solid #c9d1d9;"
            " border-radius: 4px; padding: 12px; }"
        )
        self.advice = paragraph(self)
        self.written = QCheckBox(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.key)
        layout.addWidget(self.advice)
        layout.addWidget(self.written)
        layout.addLayout(buttons)

        self.written.toggled.connect(self._update)
        self.continue_button.clicked.connect(self.confirm)
        workspace.changed.connect(self._update)
        self._retranslate()
        self._update()

    def confirm(self) -> None:
        """Forget the key and go on to the log, once the box is ticked."""
        if self.written.isChecked():
            self.workspace.confirm_recovery_key_written()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        showing = self.workspace.stage is Stage.NEW_RECOVERY_KEY
        self.key.setText((self.workspace.recovery_key or "") if showing else "")
        if not showing:
            self.written.setChecked(False)
        self.continue_button.setEnabled(showing and self.written.isChecked())

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Write down your recovery key"))
        self.intro.setText(
            self.tr(
                "Your session log is ready. If the key is ever lost (a new computer, a "
                "forgotten passphrase, a reset keyring), this recovery key is the only way "
                "to open the log again."
            )
        )
        self.key.setAccessibleName(self.tr("Recovery key"))
        self.advice.setText(
            self.tr(
                "It is shown only this once. Write it on paper and keep it somewhere safe, "
                "away from this computer. Do not save it in a file or an email."
            )
        )
        self.written.setText(self.tr("I have &written down my recovery key"))
        self.written.setAccessibleName(self.tr("I have written down my recovery key"))
        self.continue_button.setText(self.tr("C&ontinue"))
        self.continue_button.setAccessibleName(self.tr("Continue to my session log"))
