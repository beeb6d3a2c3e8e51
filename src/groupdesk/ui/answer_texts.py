"""How a person's answers to the room's questions read on a facilitator's screen.

The lobby entry, the "Admit all" note, the admit-anyway dialog and a seated member's
answers say them the same way: each question by its own text (the policy's, in the
app's language), a tick as ✔ or ✘, words as given; a required item not met by a short
name ("location, phone"). The rules (what meets an item) are the core's
(``core/session/checklist.py``); this module only words them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from groupdesk.core.i18n import get_language
from groupdesk.core.protocol import CONSENT_ANSWER, Question, QuestionText
from groupdesk.ui import answers_dialog
from groupdesk.ui.widgets import local_qdatetime

translate = QCoreApplication.translate


def question_text(text: QuestionText) -> str:
    """A question's text in the app's language (else the other one)."""
    return answers_dialog.question_text(text, get_language())


def short_name(question: Question) -> str:
    """A question in a word or two, for a list of what is missing or offered again.

    The default checklist's words items have short names; any other question (a tick,
    an organisation's own) is named by its own text.
    """
    names = {
        "location": translate("Answers", "location"),
        "phone": translate("Answers", "phone"),
        "emergency_contact": translate("Answers", "emergency contact"),
    }
    return names.get(question.id) or question_text(question.text)


def names(questions: Sequence[Question], ids: Iterable[str]) -> str:
    """The short names of the questions ``ids`` ("location, phone"); an unknown id as is."""
    asked = {q.id: q for q in questions}
    return ", ".join(short_name(asked[i]) if i in asked else i for i in ids)


def missing(questions: Sequence[Question], unmet: Sequence[str]) -> str:
    """ "Missing: location, phone" for the required items not met (empty: none)."""
    if not unmet:
        return ""
    return translate("Answers", "Missing: {items}").format(items=names(questions, unmet))


def answer_lines(questions: Sequence[Question], answers: Mapping[str, object]) -> list[str]:
    """One line per answer: the room's questions in their order, each by its text, then
    any other answer by its id (the consent to remote work is not a question: left out)."""
    asked = {q.id: q for q in questions}
    keys = [q.id for q in questions if q.id in answers]
    keys += sorted(k for k in answers if k not in asked and k != CONSENT_ANSWER)
    lines = []
    for key in keys:
        value = answers[key]
        label = question_text(asked[key].text) if key in asked else key
        if isinstance(value, bool):
            lines.append(
                f"✔ {label}"
                if value
                else "✘ " + translate("Answers", "{label}: no").format(label=label)
            )
        elif isinstance(value, str) and value.strip():
            lines.append(
                translate("Answers", "{label}: {value}").format(label=label, value=value.strip())
            )
    return lines


def answers_text(questions: Sequence[Question], answers: Mapping[str, object]) -> str:
    """The answers, one a line; says so when there are none."""
    lines = answer_lines(questions, answers)
    return "\n".join(lines) if lines else translate("Answers", "No answers yet.")


def words(questions: Sequence[Question], given: Mapping[str, str]) -> str:
    """Answers in words, each after its short name: "phone 514-555-0100, emergency
    contact Marc"."""
    asked = {q.id: q for q in questions}
    return ", ".join(
        translate("Answers", "{name} {value}").format(
            name=short_name(asked[key]) if key in asked else key, value=value
        )
        for key, value in given.items()
    )


def date_of(value: datetime) -> str:
    """A date as the app's language writes it (this computer's time zone)."""
    return QLocale().toString(local_qdatetime(value).date(), QLocale.FormatType.LongFormat)
