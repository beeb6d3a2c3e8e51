"""Before knocking, in the desktop's participant mode: the room's group rules, its consent
to taking part remotely and its questions, as the web page asks them.

What the room brought (``RoomInfo``) is shown in the language in use: the rules first,
to read; the consent text with "I agree"; then one field per question by its kind (a
tick, words, a phone number, where the person is now). Nothing blocks the knock: a
required item left unanswered is named, and the person goes back or asks anyway (the
facilitator decides). A room that asks nothing gets no dialog.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.i18n import get_language
from groupdesk.core.protocol import (
    CONSENT_ANSWER,
    MAX_DECLARED_VALUE_CHARS,
    Question,
    QuestionKind,
    QuestionText,
    RoomInfo,
)
from groupdesk.ui.consent_dialog import read_only_text
from groupdesk.ui.widgets import heading, paragraph

# The longest answer kept for each kind of written question (as the page keeps them).
ANSWER_CHARS: dict[QuestionKind, int] = {"phone": 40, "location": 200, "text": 200}


def question_text(text: QuestionText, lang: str) -> str:
    """A question's text in ``lang`` (``fr...``: French), else the other one."""
    if lang.startswith("fr"):
        return text.fr_ca or text.en or ""
    return text.en or text.fr_ca or ""


def clean_answer(kind: QuestionKind, value: str) -> str:
    """A written answer on one line, without outer spaces, at most as long as its kind
    allows (empty: not answered)."""
    limit = min(ANSWER_CHARS.get(kind, MAX_DECLARED_VALUE_CHARS), MAX_DECLARED_VALUE_CHARS)
    return " ".join(value.split())[:limit].strip()


def unmet(questions: tuple[Question, ...], declared: dict[str, Any]) -> list[Question]:
    """The required questions ``declared`` leaves unanswered (a tick not ticked, no words)."""

    def answered(question: Question) -> bool:
        value = declared.get(question.id)
        return value is True if question.kind == "tick" else bool(value)

    return [q for q in questions if q.required and not answered(q)]


class AnswersDialog(QDialog):
    """The room's rules, consent and questions before knocking; accepted: knock with
    :meth:`answers`. ``fields`` holds one widget per question (by id): a checkbox for a
    tick, a line edit for words, a phone number or a place. Join with required items
    unanswered shows ``unmet_panel`` (go back, or ask anyway)."""

    def __init__(self, info: RoomInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.intro = paragraph(self)
        body = QWidget(self)
        column = QVBoxLayout(body)
        self.rules_title = heading(body, level=2)
        self.rules_text = read_only_text(body)
        self.rules_text.setMinimumHeight(140)
        rules: tuple[QWidget, ...] = (self.rules_title, self.rules_text)
        for widget in rules:
            column.addWidget(widget)
            widget.setVisible(info.rules is not None)
        self.consent_title = heading(body, level=2)
        self.consent_text = read_only_text(body)
        self.consent_text.setMinimumHeight(140)
        self.consent_box = QCheckBox(body)
        consent: tuple[QWidget, ...] = (self.consent_title, self.consent_text, self.consent_box)
        for widget in consent:
            column.addWidget(widget)
            widget.setVisible(info.consent is not None)
        self.questions_title = heading(body, level=2)
        self.questions_title.setVisible(bool(info.questions))
        column.addWidget(self.questions_title)
        self.fields: dict[str, QCheckBox | QLineEdit] = {}
        self._labels: dict[str, QLabel] = {}
        self.location_hints: list[QLabel] = []
        for question in info.questions:
            self._add_field(body, column, question)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self._make_unmet_panel()
        buttons = QDialogButtonBox(self)
        self.join_button = QPushButton(self)
        self.cancel_button = QPushButton(self)
        buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.join_button.clicked.connect(self.try_join)
        self.cancel_button.clicked.connect(self.reject)
        self.join_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.unmet_panel)
        layout.addWidget(buttons)
        self.setMinimumSize(560, 520)
        self.retranslate()

    def _make_unmet_panel(self) -> None:
        self.unmet_panel = QFrame(self)
        self.unmet_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.unmet_label = paragraph(self.unmet_panel)
        self.back_button = QPushButton(self.unmet_panel)
        self.anyway_button = QPushButton(self.unmet_panel)
        self.back_button.clicked.connect(self.go_back)
        self.anyway_button.clicked.connect(self.accept)
        panel = QVBoxLayout(self.unmet_panel)
        panel.addWidget(self.unmet_label)
        choices = QHBoxLayout()
        choices.addStretch(1)
        choices.addWidget(self.back_button)
        choices.addWidget(self.anyway_button)
        panel.addLayout(choices)
        self.unmet_panel.hide()

    def _add_field(self, body: QWidget, column: QVBoxLayout, question: Question) -> None:
        if question.kind == "tick":
            box = QCheckBox(body)
            column.addWidget(box)
            self.fields[question.id] = box
            return
        label = QLabel(body)
        label.setWordWrap(True)
        edit = QLineEdit(body)
        edit.setMaxLength(ANSWER_CHARS[question.kind])
        label.setBuddy(edit)
        if question.kind == "phone":
            edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        column.addWidget(label)
        column.addWidget(edit)
        if question.kind == "location":
            hint = QLabel(body)
            hint.setWordWrap(True)
            column.addWidget(hint)
            self.location_hints.append(hint)
        self.fields[question.id] = edit
        self._labels[question.id] = label

    # -- what the hello declares ----------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """The answers as the hello declares them: each tick true or false, written
        answers cleaned (left out when empty), and the consent's version when agreed."""
        declared: dict[str, Any] = {}
        for question in self.info.questions:
            field = self.fields[question.id]
            if isinstance(field, QCheckBox):
                declared[question.id] = field.isChecked()
            elif answer := clean_answer(question.kind, field.text()):
                declared[question.id] = answer
        consent = self.info.consent
        if consent is not None and self.consent_box.isChecked():
            declared[CONSENT_ANSWER] = consent.version
        return declared

    def unmet(self) -> list[Question]:
        """The required questions not answered yet."""
        return unmet(self.info.questions, self.answers())

    # -- the buttons ------------------------------------------------------------------------

    def try_join(self) -> None:
        """Knock, or first name the required items left unanswered."""
        if not self.unmet():
            self.accept()
            return
        self._say_unmet()
        self.unmet_panel.show()
        self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say_unmet(self) -> None:
        names = "\n".join(f"• {question_text(q.text, get_language())}" for q in self.unmet())
        self.unmet_label.setText(
            self.tr(
                "Not answered yet:\n{items}\nThe facilitator decides whether to let you in "
                "without these answers. Go back to answer them, or ask to join anyway."
            ).format(items=names)
        )

    def go_back(self) -> None:
        """Back to the questions, at the first one still unanswered."""
        self.unmet_panel.hide()
        missing = self.unmet()
        if missing:
            self.fields[missing[0].id].setFocus(Qt.FocusReason.OtherFocusReason)

    # -- words --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Texts in the current language (the room's texts too)."""
        lang = get_language()
        info = self.info
        self.setWindowTitle(self.tr("Before you join"))
        self.intro.setText(
            self.tr(
                "The facilitator sees your answers before letting you in. Your location "
                "and phone number are only for the facilitators, in case the connection "
                "fails or you need help."
            )
        )
        self.rules_title.setText(self.tr("Group rules"))
        self.rules_text.setPlainText(info.rules.text_in(lang) if info.rules else "")
        self.rules_text.setAccessibleName(self.tr("Text of the group rules"))
        self.consent_title.setText(self.tr("Taking part remotely"))
        self.consent_text.setPlainText(info.consent.text.text_in(lang) if info.consent else "")
        self.consent_text.setAccessibleName(self.tr("Text of the consent to taking part remotely"))
        self.consent_box.setText(self.tr("I have read this and I agree to take part remotely"))
        self.questions_title.setText(self.tr("Before you join"))
        for question in info.questions:
            text = question_text(question.text, lang)
            if question.required:
                text = self.tr("{question} (required)").format(question=text)
            field = self.fields[question.id]
            if isinstance(field, QCheckBox):
                field.setText(text)
            else:
                self._labels[question.id].setText(text)
                field.setAccessibleName(text)
        for hint in self.location_hints:
            hint.setText(
                self.tr("Asked at every session: where you are today, in case of an emergency.")
            )
        if not self.unmet_panel.isHidden():
            self._say_unmet()
        self.back_button.setText(self.tr("&Go back and answer"))
        self.anyway_button.setText(self.tr("Ask to join &anyway"))
        self.join_button.setText(self.tr("Ask to &join"))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


async def ask_answers(info: RoomInfo, parent: QWidget | None) -> dict[str, Any] | None:
    """Ask the room's rules, consent and questions without blocking the loop: the
    answers to declare, or None if the person cancelled. A room that asks nothing: no
    dialog, no answers."""
    if not (info.questions or info.rules or info.consent):
        return {}
    dialog = AnswersDialog(info, parent)
    result: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(code: int) -> None:
        if not result.done():
            result.set_result(code == QDialog.DialogCode.Accepted)

    def gone() -> None:  # closed with its window: as cancelled
        if not result.done():
            result.set_result(False)

    dialog.finished.connect(finished)
    dialog.destroyed.connect(gone)
    dialog.open()
    try:
        accepted = await result
        return dialog.answers() if accepted else None
    finally:
        dialog.deleteLater()
