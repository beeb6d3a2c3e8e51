"""A seated participant's answers, at hand for the facilitator during the session.

What they answered before admission -- where they are, a phone number to call if the
connection drops, an emergency contact -- and the facilitator's identity mark, which
can still be set or taken back here (journalled, and kept with their answers in the
log). A facilitator's app only: opened from the tile's "Contact and answers…". The
dialog reads the member's :class:`LiveMember` and writes back only through the session
(``verify_identity``); it stays open, with the answers, after the person leaves the
room: that is when a phone number matters most.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui import answer_texts
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import heading, paragraph, spawn


def _selectable(parent: QWidget) -> QLabel:
    label = paragraph(parent)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return label


class MemberAnswersDialog(QDialog):
    """The answers and identity mark of the participant seated in ``seat`` (read-only
    but for the mark). ``answers`` (a label, words first: location, phone, emergency
    contact; then the ticks), ``identity`` (the mark), ``presence`` (says when they left).
    Signals: those of ``QDialog``."""

    def __init__(self, live: LiveSession, seat: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live, self.seat = live, seat
        member = live.member(seat)
        self.name = member.name if member is not None else ""
        self.kept: dict[str, object] = dict(member.answers) if member is not None else {}
        """What they answered, kept for after they leave."""
        self.title = heading(self, level=2)
        self.only_you = paragraph(self)
        self.answers = _selectable(self)
        self.identity = QCheckBox(self)
        self.presence = paragraph(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.only_you)
        layout.addWidget(self.answers)
        layout.addWidget(self.identity)
        layout.addWidget(self.presence)
        layout.addWidget(buttons)
        self.identity.clicked.connect(
            lambda checked: spawn(live.verify_identity(self.seat, checked))
        )
        live.member_updated.connect(self._member_updated)
        live.members_changed.connect(self.show_state)
        self.retranslate()

    def _member_updated(self, seat: str) -> None:
        if seat == self.seat:
            self.show_state()

    def show_state(self) -> None:
        """The mark as the room has it; whether they are still in the room."""
        member = self.live.member(self.seat)
        seated = member is not None
        if member is not None:
            self.identity.setChecked(member.identity_verified)
        self.identity.setEnabled(seated)
        self.presence.setText(
            "" if seated else self.tr("{name} is no longer in the room.").format(name=self.name)
        )
        self.presence.setVisible(not seated)

    def _answers_text(self) -> str:
        questions = self.live.waiting_room.questions
        words = {k: v for k, v in self.kept.items() if isinstance(v, str)}
        ticks = {k: v for k, v in self.kept.items() if not isinstance(v, str)}
        lines = answer_texts.answer_lines(questions, words)
        lines += answer_texts.answer_lines(questions, ticks)
        if not lines:
            return self.tr(
                "This app kept no answers of {name} (they answered nothing, or were in the "
                "room before this app joined it)."
            ).format(name=self.name)
        return "\n".join(lines)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        name = self.name
        self.setWindowTitle(self.tr("Contact and answers: {name}").format(name=name))
        self.title.setText(self.tr("{name}: contact and answers").format(name=name))
        self.only_you.setText(
            self.tr(
                "What they answered before admission. Only facilitators see this; use "
                "it if the connection drops or a crisis starts."
            )
        )
        self.answers.setText(self._answers_text())
        self.answers.setAccessibleName(self.tr("Answers of {name}").format(name=name))
        self.identity.setText(self.tr("Identity verified"))
        self.identity.setAccessibleName(self.tr("Identity of {name} verified").format(name=name))
        self.show_state()
