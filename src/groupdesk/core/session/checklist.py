"""The participant checklist's rules: which answers meet an item, what admission waits
on, and what may be offered again from an earlier session. No I/O.

A tick is met when ticked; words (a text, a location) when not blank; a phone number
when it has at least :data:`PHONE_DIGITS` digits (a facilitator must be able to call
it). Admission waits on the *required* items that are not met; the facilitator may
admit anyway, with a reason. From a member's earlier session, words may be offered
again -- a phone number, an emergency contact -- but never a tick (it is about today:
where one is, who is around) nor a location (asked again each session, as telehealth
guidance asks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from groupdesk.core.models import AnswerValue, AskedItem
from groupdesk.core.protocol import Question

PHONE_DIGITS = 7
"""The fewest digits of a phone number one can call back (a local number has 7)."""


def met(question: Question, answer: object) -> bool:
    """Whether ``answer`` meets ``question`` (required or not)."""
    if question.kind == "tick":
        return answer is True
    if not isinstance(answer, str) or not answer.strip():
        return False
    if question.kind == "phone":
        return sum(c.isdigit() for c in answer) >= PHONE_DIGITS
    return True


def unmet(questions: Iterable[Question], answers: Mapping[str, object]) -> tuple[str, ...]:
    """The ids of the required questions ``answers`` do not meet, in the asked order."""
    return tuple(q.id for q in questions if q.required and not met(q, answers.get(q.id)))


def kept_answers(
    questions: Iterable[Question], declared: Mapping[str, object]
) -> dict[str, AnswerValue]:
    """What is kept of ``declared``: the answers to the questions asked (a tick as a
    bool, words as trimmed text), in the asked order; anything else is dropped."""
    kept: dict[str, AnswerValue] = {}
    for q in questions:
        value = declared.get(q.id)
        if q.kind == "tick":
            if isinstance(value, bool):
                kept[q.id] = value
        elif isinstance(value, str) and value.strip():
            kept[q.id] = value.strip()
    return kept


def offered_again(
    questions: Iterable[Question], previous: Mapping[str, AnswerValue]
) -> dict[str, str]:
    """The answers of an earlier session that may be offered again: words, not a tick,
    not a location."""
    return {
        q.id: value
        for q in questions
        if q.kind in ("text", "phone")
        and isinstance(value := previous.get(q.id), str)
        and value.strip()
    }


def declared(questions: Iterable[Question], answers: Mapping[str, object], kind: str) -> str | None:
    """The words ``answers`` give to the first question of ``kind`` (a ``phone``, a
    ``location``; without such a question, the answer of that id); None: not given."""
    ident = next((q.id for q in questions if q.kind == kind), kind)
    value = answers.get(ident)
    return value.strip() if isinstance(value, str) and value.strip() else None


def asked_items(questions: Iterable[Question]) -> tuple[AskedItem, ...]:
    """The questions as the log keeps them (what was asked, how, whether required)."""
    return tuple(AskedItem(q.id, q.kind, q.required) for q in questions)


@dataclass(frozen=True)
class Previous:
    """A member's answers at their latest earlier session, and when."""

    member: int
    answers: Mapping[str, AnswerValue]
    at: datetime
