"""The records of a group's life: validated, immutable value objects.

Each is parsed once at the edge (a database row, a form) and raises ``ValueError``
with a plain reason when a field is out of bounds. Times are timezone-aware.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any


class Modality(enum.StrEnum):
    """How a person takes part, or how a session runs."""

    IN_PERSON = "in_person"
    REMOTE = "remote"
    HYBRID = "hybrid"


class ConsentStatus(enum.StrEnum):
    """Where a member stands with the consent form for remote work."""

    PENDING = "pending"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class SessionKind(enum.StrEnum):
    """What a session is: a meeting of the group, or a one-to-one meeting with one member
    (the individual meeting before a group, seed 001)."""

    GROUP = "group"
    INDIVIDUAL = "individual"


class ConsentMethod(enum.StrEnum):
    """How a member gave their consent: on the participant page, in person, by phone."""

    PAGE = "page"
    IN_PERSON = "in_person"
    PHONE = "phone"


MAX_NAME = 200
MAX_VERSION = 40
MAX_TEXT = 100_000


def _check_id(name: str, value: int | None, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_text(name: str, value: str, *, limit: int = MAX_NAME, required: bool = False) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")  # noqa: TRY004 -- ValueError is the contract
    if required and not value.strip():
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")


def _check_time(name: str, value: datetime | None, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime")  # noqa: TRY004
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must carry a timezone")


def _check_order(first: str, a: datetime | None, second: str, b: datetime | None) -> None:
    if a is not None and b is not None and b < a:
        raise ValueError(f"{second} is before {first}")


@dataclass(frozen=True, slots=True)
class Group:
    """A group of 4 to 12 people that meets over several sessions."""

    id: int
    name: str
    description: str = ""
    archived: bool = False
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_id("group id", self.id)
        _check_text("group name", self.name, required=True)
        _check_text("group description", self.description, limit=MAX_TEXT)
        _check_time("created_at", self.created_at, optional=True)


@dataclass(frozen=True, slots=True)
class Member:
    """A participant of a group, with what the crisis panel needs at hand."""

    id: int
    group_id: int
    display_name: str
    pseudonym: str = ""
    phone: str = ""
    emergency_contact: str = ""
    region: str = ""
    language: str = ""
    modality: Modality = Modality.REMOTE
    consent: ConsentStatus = ConsentStatus.PENDING
    archived: bool = False

    def __post_init__(self) -> None:
        _check_id("member id", self.id)
        _check_id("group id", self.group_id)
        _check_text("display name", self.display_name, required=True)
        for name in ("pseudonym", "phone", "emergency_contact", "region", "language"):
            _check_text(name, getattr(self, name))
        object.__setattr__(self, "modality", Modality(self.modality))
        object.__setattr__(self, "consent", ConsentStatus(self.consent))
        object.__setattr__(self, "archived", bool(self.archived))


@dataclass(frozen=True, slots=True)
class Consent:
    """A member's consent to the remote modality: to which version of the text, when,
    and how it was given."""

    id: int
    member_id: int
    version: str
    given_at: datetime
    method: ConsentMethod

    def __post_init__(self) -> None:
        _check_id("consent id", self.id)
        _check_id("member id", self.member_id)
        _check_text("consent version", self.version, limit=MAX_VERSION, required=True)
        _check_time("given_at", self.given_at)
        object.__setattr__(self, "method", ConsentMethod(self.method))


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting of a group: planned, then started and ended."""

    id: int
    group_id: int
    planned_start: datetime
    planned_end: datetime
    modality: Modality = Modality.REMOTE
    facilitators: tuple[str, ...] = ()
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    kind: SessionKind = SessionKind.GROUP

    def __post_init__(self) -> None:
        _check_id("session id", self.id)
        _check_id("group id", self.group_id)
        _check_time("planned_start", self.planned_start)
        _check_time("planned_end", self.planned_end)
        _check_time("actual_start", self.actual_start, optional=True)
        _check_time("actual_end", self.actual_end, optional=True)
        _check_order("planned_start", self.planned_start, "planned_end", self.planned_end)
        _check_order("actual_start", self.actual_start, "actual_end", self.actual_end)
        if self.actual_end is not None and self.actual_start is None:
            raise ValueError("a session cannot end before it starts")
        object.__setattr__(self, "modality", Modality(self.modality))
        object.__setattr__(self, "kind", SessionKind(self.kind))
        object.__setattr__(self, "facilitators", tuple(self.facilitators))
        for name in self.facilitators:
            _check_text("facilitator", name, required=True)


@dataclass(frozen=True, slots=True)
class Attendance:
    """One stay in a session, from joining to leaving: of a group member (``member_id``),
    or of a guest admitted without being matched to one (``guest_name``, as declared).
    ``in_room``: present in the room of a hybrid session (marked by the facilitator), not
    on the call."""

    id: int
    session_id: int
    member_id: int | None
    joined_at: datetime
    left_at: datetime | None = None
    guest_name: str = ""
    in_room: bool = False

    def __post_init__(self) -> None:
        _check_id("attendance id", self.id)
        _check_id("session id", self.session_id)
        _check_id("member id", self.member_id, optional=True)
        _check_text("guest name", self.guest_name)
        if (self.member_id is None) == (not self.guest_name.strip()):
            raise ValueError("a stay is a group member's or a named guest's, not both or neither")
        _check_time("joined_at", self.joined_at)
        _check_time("left_at", self.left_at, optional=True)
        _check_order("joined_at", self.joined_at, "left_at", self.left_at)
        object.__setattr__(self, "in_room", bool(self.in_room))

    @property
    def is_guest(self) -> bool:
        """True for a guest's stay (admitted without being matched to a group member)."""
        return self.member_id is None


@dataclass(frozen=True, slots=True)
class JournalEvent:
    """An entry of the append-only session journal; ``data`` is None once purged."""

    seq: int
    session_id: int | None
    ts: datetime
    kind: str
    data: Mapping[str, Any] | None

    def __post_init__(self) -> None:
        _check_id("seq", self.seq)
        _check_id("session id", self.session_id, optional=True)
        _check_time("ts", self.ts)
        _check_text("kind", self.kind, limit=100, required=True)
        if self.data is not None:
            object.__setattr__(self, "data", MappingProxyType(dict(self.data)))


@dataclass(frozen=True, slots=True)
class Note:
    """A practitioner's note about a group, a session or a member (current text).

    ``template``: the id of the template it was started from ("" for none). Once
    ``signed_at`` is set (by ``signed_by``), its text is fixed: changes are addenda."""

    id: int
    group_id: int
    body: str
    session_id: int | None = None
    member_id: int | None = None
    revision: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    template: str = ""
    signed_by: str = ""
    signed_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_id("note id", self.id)
        _check_id("group id", self.group_id)
        _check_id("session id", self.session_id, optional=True)
        _check_id("member id", self.member_id, optional=True)
        _check_text("note", self.body, limit=MAX_TEXT)
        _check_id("revision", self.revision)
        _check_time("created_at", self.created_at, optional=True)
        _check_time("updated_at", self.updated_at, optional=True)
        _check_text("template", self.template, limit=64)
        _check_text("signed by", self.signed_by)
        _check_time("signed_at", self.signed_at, optional=True)
        if (self.signed_at is None) != (not self.signed_by.strip()):
            raise ValueError("a signed note has both a signer's name and a time")

    @property
    def signed(self) -> bool:
        """True once the note is signed (its text is then fixed)."""
        return self.signed_at is not None


@dataclass(frozen=True, slots=True)
class NoteRevision:
    """One saved version of a note; revision 1 is the first text."""

    note_id: int
    revision: int
    body: str
    created_at: datetime

    def __post_init__(self) -> None:
        _check_id("note id", self.note_id)
        _check_id("revision", self.revision)
        _check_text("note", self.body, limit=MAX_TEXT)
        _check_time("created_at", self.created_at)


@dataclass(frozen=True, slots=True)
class NoteAddendum:
    """A dated addition to a signed note, by ``author``; the signed text stays as it was."""

    id: int
    note_id: int
    body: str
    author: str
    created_at: datetime

    def __post_init__(self) -> None:
        _check_id("addendum id", self.id)
        _check_id("note id", self.note_id)
        _check_text("addendum", self.body, limit=MAX_TEXT, required=True)
        _check_text("author", self.author, required=True)
        _check_time("created_at", self.created_at)


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """Text typed in a note and autosaved, not yet kept as a revision (what a crash or a
    lock would otherwise lose)."""

    note_id: int
    body: str
    saved_at: datetime

    def __post_init__(self) -> None:
        _check_id("note id", self.note_id)
        _check_text("note", self.body, limit=MAX_TEXT)
        _check_time("saved_at", self.saved_at)


@dataclass(frozen=True, slots=True)
class Referral:
    """A member referred to a resource of the directory (``resource_id`` of the policy's
    ``crisis_resources``; ``resource_name`` as it read then), at a session or not."""

    id: int
    member_id: int
    resource_id: str
    resource_name: str
    created_at: datetime
    session_id: int | None = None
    note_id: int | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        _check_id("referral id", self.id)
        _check_id("member id", self.member_id)
        _check_id("session id", self.session_id, optional=True)
        _check_id("note id", self.note_id, optional=True)
        _check_text("resource id", self.resource_id, limit=64, required=True)
        _check_text("resource name", self.resource_name, required=True)
        _check_text("referral detail", self.detail, limit=MAX_TEXT)
        _check_time("created_at", self.created_at)


@dataclass(frozen=True, slots=True)
class ChecklistResult:
    """The answers to a confidentiality checklist, for the facilitator or one member."""

    id: int
    session_id: int
    checklist: str
    answers: Mapping[str, bool] = field(default_factory=dict)
    member_id: int | None = None
    completed_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_id("checklist result id", self.id)
        _check_id("session id", self.session_id)
        _check_id("member id", self.member_id, optional=True)
        _check_text("checklist", self.checklist, required=True)
        _check_time("completed_at", self.completed_at, optional=True)
        for item, answer in self.answers.items():
            _check_text("checklist item", item, required=True)
            if not isinstance(answer, bool):
                raise ValueError(f"answer to {item!r} must be true or false")  # noqa: TRY004
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))

    @property
    def complete(self) -> bool:
        """True when every item was answered yes."""
        return bool(self.answers) and all(self.answers.values())


CRISIS_OUTCOMES = ("safe", "emergency_services", "referred", "contact_lost", "other")
"""How a crisis ended, as the incident record keeps it (the panel words each): the person
is safe (a plan agreed), emergency services were called, the person was referred to a
resource, contact was lost, or something else (the observations say what)."""

_STEP_ID = 64


@dataclass(frozen=True, slots=True)
class IncidentStep:
    """One protocol step of a crisis incident: its id, its text as shown then, when it was
    ticked (None: not done) and what the facilitator observed beside it."""

    step: str
    text: str = ""
    done_at: datetime | None = None
    observation: str = ""

    def __post_init__(self) -> None:
        _check_text("step", self.step, limit=_STEP_ID, required=True)
        _check_text("step text", self.text, limit=MAX_TEXT)
        _check_time("done_at", self.done_at, optional=True)
        _check_text("observation", self.observation, limit=MAX_TEXT)


@dataclass(frozen=True, slots=True)
class CrisisIncident:
    """The record of a crisis handled during a session: who (the member ``member_id``, or
    a guest by ``guest_name``; ``seat`` in the journal), when it opened and closed, each
    protocol step with its time and observation, the general observations (``summary``),
    the resources used and referred to (their policy ids) and the ``outcome`` (one of
    :data:`CRISIS_OUTCOMES`; "" before version 8 of the log)."""

    id: int
    session_id: int
    started_at: datetime
    member_id: int | None = None
    ended_at: datetime | None = None
    steps: tuple[IncidentStep, ...] = ()
    summary: str = ""
    seat: str = ""
    guest_name: str = ""
    resources_used: tuple[str, ...] = ()
    outcome: str = ""
    referral: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_id("incident id", self.id)
        _check_id("session id", self.session_id)
        _check_id("member id", self.member_id, optional=True)
        _check_time("started_at", self.started_at)
        _check_time("ended_at", self.ended_at, optional=True)
        _check_order("started_at", self.started_at, "ended_at", self.ended_at)
        object.__setattr__(self, "steps", tuple(self.steps))
        for step in self.steps:
            if not isinstance(step, IncidentStep):
                raise ValueError("an incident's steps are IncidentStep records")  # noqa: TRY004
        _check_text("summary", self.summary, limit=MAX_TEXT)
        _check_text("seat", self.seat, limit=MAX_NAME)
        _check_text("guest name", self.guest_name, limit=MAX_NAME)
        if self.outcome and self.outcome not in CRISIS_OUTCOMES:
            raise ValueError(f"unknown crisis outcome {self.outcome!r}")
        for name in ("resources_used", "referral"):
            ids = tuple(getattr(self, name))
            object.__setattr__(self, name, ids)
            for ident in ids:
                _check_text(name, ident, limit=_STEP_ID, required=True)


AnswerValue = bool | str
"""An answer to a participant checklist item: a tick (True/False) or words."""


@dataclass(frozen=True, slots=True)
class AskedItem:
    """A participant checklist item as it was asked (id, kind, required), so that a later
    reader knows what an answer answered even after the policy changed."""

    id: str
    kind: str
    required: bool

    def __post_init__(self) -> None:
        _check_text("checklist item", self.id, limit=64, required=True)
        _check_text("kind", self.kind, limit=16, required=True)
        if not isinstance(self.required, bool):
            raise ValueError("required must be true or false")  # noqa: TRY004


@dataclass(frozen=True, slots=True)
class ParticipantAnswers:
    """What one person answered before admission to a session, and how they came in.

    ``member_id`` None: a guest (``guest_name``, the name they declared). ``unmet``: the
    required items not met when admitted; ``override_reason``: why the facilitator
    admitted them anyway (None: they met every required item). ``from_previous``: items
    the facilitator took from the person's answers of an earlier session, confirmed with
    them. Personal data (a location, a phone number, an emergency contact): kept in the
    encrypted log, shown to facilitators only.
    """

    id: int
    session_id: int
    seat: str
    answers: Mapping[str, AnswerValue]
    asked: tuple[AskedItem, ...]
    answered_at: datetime
    member_id: int | None = None
    guest_name: str = ""
    unmet: tuple[str, ...] = ()
    override_reason: str | None = None
    identity_verified: bool = False
    from_previous: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_id("answers id", self.id)
        _check_id("session id", self.session_id)
        _check_id("member id", self.member_id, optional=True)
        _check_text("seat", self.seat, limit=64, required=True)
        _check_time("answered_at", self.answered_at)
        _check_text("guest name", self.guest_name)
        for item, answer in self.answers.items():
            _check_text("checklist item", item, limit=64, required=True)
            if isinstance(answer, str):
                _check_text(f"answer to {item!r}", answer, limit=MAX_NAME * 5)
            elif not isinstance(answer, bool):
                raise ValueError(f"answer to {item!r} must be a tick or words")  # noqa: TRY004
        if self.override_reason is not None:
            _check_text("override reason", self.override_reason, limit=MAX_TEXT, required=True)
        if not isinstance(self.identity_verified, bool):
            raise ValueError("identity_verified must be true or false")  # noqa: TRY004
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "asked", tuple(self.asked))
        object.__setattr__(self, "unmet", tuple(self.unmet))
        object.__setattr__(self, "from_previous", tuple(self.from_previous))

    @property
    def admitted_anyway(self) -> bool:
        """True when required items were unmet and the facilitator admitted them anyway."""
        return self.override_reason is not None
