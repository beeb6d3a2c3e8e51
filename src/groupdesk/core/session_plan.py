"""What the facilitator chose on the Prepare page, validated once before it reaches the log.

Pure data (no Qt): the page fills a ``SessionPlan``; ``problems()`` names each
field that is wrong, so the page can put the message next to that field and
keep everything typed. A plan has a start and an end, each a date and a time,
so a session may end after midnight. ``default_times`` proposes the next whole
hour from a clock the caller passes in (the page's is injected, so tests pin it).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from groupdesk.core.models import MAX_NAME, Modality, SessionKind

#: The checklist name under which the facilitator's answers are saved.
FACILITATOR_CHECKLIST = "facilitator"

#: The group size above which the page warns when the policy says nothing.
DEFAULT_MAX_GROUP_SIZE = 8

#: How long a new plan lasts unless the organisation allows less.
DEFAULT_MINUTES = 120

#: What time it is: an aware datetime. The app passes ``local_now``; tests pass a fixed one.
Clock = Callable[[], datetime]


def local_now() -> datetime:
    """This computer's clock, in its time zone (the app's ``Clock``)."""
    return datetime.now().astimezone()


def default_times(now: datetime, max_minutes: int) -> tuple[datetime, datetime]:
    """The start and end a new plan proposes at ``now`` (aware): the next whole hour,
    for ``DEFAULT_MINUTES`` or the organisation's maximum if that is shorter.

    Always a valid plan, at any hour: the end is a date and a time after the start
    (at 23:30 the session starts at midnight, the next day; at 22:30 it ends after
    midnight).
    """
    if now.tzinfo is None:
        raise ValueError("the clock must give an aware datetime")
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    minutes = max(1, min(DEFAULT_MINUTES, max_minutes))
    return start, start + timedelta(minutes=minutes)


class PlanProblem(enum.Enum):
    """A reason the plan cannot be saved, tied to one field of the form."""

    NO_GROUP = "group"
    NO_FACILITATOR = "facilitator"
    NAME_TOO_LONG = "name-too-long"
    SAME_FACILITATORS = "co-facilitator"
    END_BEFORE_START = "end"
    TOO_LONG = "duration"
    BAD_MODALITY = "modality"
    NOT_ONE_MEMBER = "one-to-one"
    """A one-to-one meeting is with exactly one member."""


@dataclass(frozen=True)
class SessionPlan:
    """A session to create: group, modality, facilitators, times, who is expected, checklist;
    a group session, or (``kind`` individual) a one-to-one meeting with one member.

    ``start`` and ``end`` are aware datetimes (each a date and a time): a session
    that starts at 23:00 and ends at 01:00 ends on the next day.
    """

    group_id: int | None
    modality: Modality
    facilitator: str
    co_facilitator: str
    start: datetime
    end: datetime
    expected_member_ids: tuple[int, ...] = ()
    checklist: Mapping[str, bool] = field(default_factory=dict)
    max_minutes: int = 480
    kind: SessionKind = SessionKind.GROUP

    def __post_init__(self) -> None:
        # A naive time would be compared and stored in no known zone: a programming error.
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a plan's start and end are aware datetimes")

    def problems(self) -> list[PlanProblem]:
        """Everything wrong with the plan (empty when it can be saved)."""
        found: list[PlanProblem] = []
        if self.group_id is None:
            found.append(PlanProblem.NO_GROUP)
        if not self.facilitator.strip():
            found.append(PlanProblem.NO_FACILITATOR)
        elif max(len(self.facilitator), len(self.co_facilitator)) > MAX_NAME:
            found.append(PlanProblem.NAME_TOO_LONG)
        elif _same_person(self.facilitator, self.co_facilitator):
            found.append(PlanProblem.SAME_FACILITATORS)
        if self.end <= self.start:
            found.append(PlanProblem.END_BEFORE_START)
        elif (self.end - self.start).total_seconds() > self.max_minutes * 60:
            found.append(PlanProblem.TOO_LONG)
        if self.modality not in (Modality.REMOTE, Modality.HYBRID):
            found.append(PlanProblem.BAD_MODALITY)
        if self.kind is SessionKind.INDIVIDUAL and len(set(self.expected_member_ids)) != 1:
            found.append(PlanProblem.NOT_ONE_MEMBER)
        return found

    @property
    def facilitators(self) -> tuple[str, ...]:
        """The facilitator, then the co-facilitator if there is one."""
        names = [self.facilitator.strip(), self.co_facilitator.strip()]
        return tuple(name for name in names if name)

    @property
    def checklist_complete(self) -> bool:
        """Every item of the facilitator's checklist is checked."""
        return bool(self.checklist) and all(self.checklist.values())


def _same_person(a: str, b: str) -> bool:
    return bool(b.strip()) and a.strip().casefold() == b.strip().casefold()


def over_group_size(expected: int, max_group_size: int) -> bool:
    """Whether ``expected`` people exceed the organisation's recommended maximum."""
    return expected > max_group_size


_PHONE = re.compile(
    r"^\+?[0-9 ().-]+"  # the number
    r"(\s*(x|ext\.?|poste|#)\s*[0-9]{1,6})?$",  # an extension
    re.IGNORECASE,
)


def is_valid_phone(text: str) -> bool:
    """A phone number a person could dial: 7 to 15 digits, the usual separators, an extension."""
    text = text.strip()
    if not text:
        return True  # the field is optional
    if not _PHONE.match(text):
        return False
    number = re.split(r"(?i)\s*(?:x|ext\.?|poste|#)\s*[0-9]", text)[0]
    digits: int = sum(1 for ch in number if ch.isdigit())
    return 7 <= digits <= 15
