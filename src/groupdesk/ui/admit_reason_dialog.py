"""Admit anyway: the facilitator says why they let in someone who has not met the
participant checklist's required items.

The room's core holds such an admission (``LiveSession.admission_held``); the lobby
panel then opens this dialog. It names what is missing and asks for a reason (required:
OK stays disabled while it is blank); the reason is kept with the person's answers in
the session's log, and the journal records that they were admitted anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import MAX_TEXT
from groupdesk.core.protocol import Question
from groupdesk.ui import answer_texts
from groupdesk.ui.widgets import field_message, heading, paragraph


class AdmitReasonDialog(QDialog):
    """Asks why ``name`` (waiting in ``seat``) is admitted although ``unmet`` items are
    not met. ``reason_text()`` once accepted; ``ok_button`` is disabled while the
    reason is blank. Signals: those of ``QDialog`` (``accepted``, ``finished``)."""

    def __init__(
        self,
        seat: str,
        name: str,
        questions: Sequence[Question],
        unmet: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.seat, self.name = seat, name
        self.questions, self.unmet = tuple(questions), tuple(unmet)
        self.title = heading(self, level=2)
        self.missing: QLabel = paragraph(self)
        self.explain = paragraph(self)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(80)
        self.too_long = field_message(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.missing)
        layout.addWidget(self.explain)
        layout.addWidget(self.reason)
        layout.addWidget(self.too_long)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._enable)
        self._enable()
        self.retranslate()
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason_text(self) -> str:
        """The reason as written (surrounding blanks trimmed)."""
        return self.reason.toPlainText().strip()

    def _fits(self) -> bool:
        """The log keeps a reason of at most ``MAX_TEXT`` characters (on one line)."""
        return len(" ".join(self.reason_text().split())) <= MAX_TEXT

    def accept(self) -> None:
        """OK only with a reason (Enter in the field writes a new line)."""
        if self.reason_text() and self._fits():
            super().accept()

    def _enable(self) -> None:
        self.ok_button.setEnabled(bool(self.reason_text()) and self._fits())
        self.too_long.setVisible(not self._fits())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        name = self.name
        self.setWindowTitle(self.tr("Admit anyway"))
        self.title.setText(self.tr("Admit {name} anyway?").format(name=name))
        self.missing.setText(
            self.tr("{name} has not answered what admission waits on: {items}.").format(
                name=name, items=answer_texts.names(self.questions, self.unmet)
            )
        )
        self.explain.setText(
            self.tr(
                "Say why you admit them anyway (for instance: confirmed by phone). The "
                "reason is kept with their answers in the session's log."
            )
        )
        self.reason.setPlaceholderText(self.tr("Reason for admitting them anyway"))
        self.reason.setAccessibleName(
            self.tr("Reason for admitting {name} anyway").format(name=name)
        )
        self.too_long.setText(
            self.tr("The reason is too long: at most {limit} characters.").format(limit=MAX_TEXT)
        )
        self.ok_button.setText(self.tr("Admit anyway"))
        self.cancel_button.setText(self.tr("Cancel"))
