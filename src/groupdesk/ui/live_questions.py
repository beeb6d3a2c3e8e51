"""The questions a room asks on the web page before admission, from the policy. No Qt."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.policy_values import ChecklistItem, ConsentText, PolicyText
from groupdesk.core.protocol import MAX_QUESTIONS, Question, QuestionText, RoomConsent, RoomText

log = logging.getLogger(__name__)


def _question(item: ChecklistItem) -> Question | None:
    """One policy checklist item as a protocol question; None if the protocol cannot carry it."""
    texts = item.text
    try:
        text = QuestionText(en=texts.get("en"), fr_ca=texts.get("fr_CA"))
        return Question(item.id, text, kind=item.kind, required=item.required)
    except GroupDeskError:
        return None


def room_questions(checklist: Sequence[ChecklistItem] | None) -> tuple[Question, ...]:
    """The policy's ``participant_checklist`` as the questions a room asks on the web page.

    An item the protocol cannot carry (an id over 32 characters, a text over 300, no
    text) is left out and logged by its id; so is a repeated id; at most
    ``MAX_QUESTIONS`` go.
    """
    questions: list[Question] = []
    for item in checklist or ():
        question = _question(item)
        item_id = item.id
        if question is None:
            log.warning("checklist item %r cannot be asked on the web page; left out", item_id)
        elif any(q.id == question.id for q in questions):
            log.warning("checklist item %r is listed twice; asked once", item_id)
        else:
            questions.append(question)
    if len(questions) > MAX_QUESTIONS:
        log.warning(
            "the checklist has %d items; the web page asks the first %d",
            len(questions),
            MAX_QUESTIONS,
        )
    return tuple(questions[:MAX_QUESTIONS])


def room_rules(rules: PolicyText) -> RoomText | None:
    """The policy's ``group_rules`` as the room carries them; None (logged) when the
    protocol cannot (a text too long, or in neither language the page speaks)."""
    try:
        return RoomText(en=rules.text.get("en"), fr_ca=rules.text.get("fr_CA"))
    except GroupDeskError:
        log.warning("the group rules cannot be sent to participants; left out")
        return None


def room_consent(consent: ConsentText) -> RoomConsent | None:
    """The policy's ``remote_consent`` as the page offers it; None (logged) when the
    protocol cannot carry it (a text too long, a version it does not accept)."""
    try:
        text = RoomText(en=consent.text.text.get("en"), fr_ca=consent.text.text.get("fr_CA"))
        return RoomConsent(consent.version, text)
    except GroupDeskError:
        log.warning("the consent text cannot be sent to participants; left out")
        return None
