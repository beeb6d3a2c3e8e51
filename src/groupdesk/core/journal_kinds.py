"""The catalogue of journal event kinds, each with its payload type. No I/O.

Every row of the session journal is one of these entries: a frozen dataclass whose
``kind`` is a ``Literal`` of the kinds it may carry and whose other fields are the
payload (ids, counts, flags: never a name, never what anyone said). A writer builds
the entry, so a misspelt kind or a missing or mistyped field is a mypy error; the
session log turns an entry into its ``(kind, payload)`` with :func:`entry_row` and
refuses, with :func:`parse_entry`, any row that is not in this catalogue.

The payload is the JSON object of the fields: a field that defaults to None is left
out while it is None; a field without a default is always written (``member: None``
means a guest).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

GroupKind = Literal["group.created", "group.updated", "group.archived", "group.restored"]
MemberKind = Literal["member.added", "member.updated", "member.archived", "member.restored"]
ChecklistKind = Literal["checklist.completed", "checklist.incomplete"]
SeatLeaveKind = Literal["member.left", "member.removed"]
SeatEventKind = Literal[
    "lobby.admitted", "lobby.declined", "member.mute_requested", "member.safety_signal"
]
TurnTimerKind = Literal["turn.timer_warning", "turn.time_up"]
RoundSeatKind = Literal["round.passed", "round.skipped"]
SafetyKind = Literal["safety.sent", "safety.seen", "safety.withdrawn", "safety.handled"]
CrisisKind = Literal[
    "crisis.opened",
    "crisis.step_done",
    "crisis.step_undone",
    "crisis.dropped",
    "crisis.back",
    "crisis.silence",
    "crisis.freeze",
    "crisis.closed",
]
AdmissionKind = Literal[
    "lobby.admitted_anyway",
    "lobby.previous_answers_used",
    "member.identity_verified",
    "member.identity_unverified",
]


class JournalEntryError(ValueError):
    """A journal row whose kind is not catalogued, or whose payload does not fit it."""


@dataclass(frozen=True)
class _Entry:
    kind: str


@dataclass(frozen=True)
class SessionMark(_Entry):
    """The session's actual start or end (the log writes it with the time)."""

    kind: Literal["session.started", "session.ended"]


@dataclass(frozen=True)
class SessionPrepared(_Entry):
    """A session was prepared (``rehearsal``: a demo's)."""

    kind: Literal["session.prepared"]
    group: int
    modality: str | None = None
    expected: int | None = None
    max_group_size: int | None = None
    over_max: bool | None = None
    co_facilitator: bool | None = None
    rehearsal: bool | None = None


@dataclass(frozen=True)
class ChecklistResult(_Entry):
    """The facilitator's checklist before a session, and the items left unchecked."""

    kind: ChecklistKind
    checklist: str
    unchecked: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupChange(_Entry):
    """A group was created, renamed or changed, archived or restored."""

    kind: GroupKind
    group: int


@dataclass(frozen=True)
class MemberChange(_Entry):
    """A member of a group was added, changed, archived or restored."""

    kind: MemberKind
    group: int
    member: int


@dataclass(frozen=True)
class ConsentRecorded(_Entry):
    """A member's consent to the remote modality was recorded (the consent's id: its
    version, date and how it was given are in the consents table)."""

    kind: Literal["member.consent_recorded"]
    group: int
    member: int
    consent: int


@dataclass(frozen=True)
class RoomOpen(_Entry):
    """The live room opened (``embedded``: on the app's own server)."""

    kind: Literal["room.opened"]
    embedded: bool


@dataclass(frozen=True)
class RoomClose(_Entry):
    """The live room closed: how many were admitted."""

    kind: Literal["room.closed"]
    admitted: int
    embedded: bool


@dataclass(frozen=True)
class SeatJoin(_Entry):
    """Someone took a seat: the server's seat id, their member id (None: a guest)."""

    kind: Literal["member.joined"]
    seat: str
    member: int | None
    guest: bool | None = None


@dataclass(frozen=True)
class SeatLeave(_Entry):
    """Someone's seat is gone (``reason``: left, removed, expired, ended)."""

    kind: SeatLeaveKind
    seat: str
    member: int | None
    reason: str


@dataclass(frozen=True)
class SeatEvent(_Entry):
    """The facilitator admitted or declined someone, asked them to mute; or (before the
    ``safety.*`` kinds) they sent a safety signal."""

    kind: SeatEventKind
    seat: str
    member: int | None


@dataclass(frozen=True)
class AdmissionEntry(_Entry):
    """At admission: the facilitator admitted ``seat`` although required checklist
    ``items`` were unmet (their reason is kept with the person's answers, never here), or
    took ``items`` from the person's answers of an earlier session; or marked the
    person's identity verified (or took the mark back)."""

    kind: AdmissionKind
    seat: str
    member: int | None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class SideRoomEntry(_Entry):
    """The facilitator in seat ``by`` took the member in ``seat`` (``member``; None: a
    guest) into a private side room, or they came back to the group. Never content."""

    kind: Literal["side_room.entered", "side_room.left"]
    seat: str
    member: int | None
    by: str


@dataclass(frozen=True)
class ShareEntry(_Entry):
    """The member in ``seat`` (``member``; None: a guest or a facilitator) started or
    stopped sharing a ``source``: ``screen``, ``window`` or ``document``. ``by``: the
    facilitator whose taking back of the permission ended it. Never what was shown, never
    a document's name (a file named after a participant would put a name in the journal)."""

    kind: Literal["share.started", "share.stopped"]
    seat: str
    member: int | None
    source: str
    by: str | None = None


@dataclass(frozen=True)
class SharePermissionEntry(_Entry):
    """The facilitator in seat ``by`` let the participant in ``seat`` share their screen,
    or took that back."""

    kind: Literal["share.allowed", "share.disallowed"]
    seat: str
    member: int | None
    by: str


@dataclass(frozen=True)
class MediaSwitchEntry(_Entry):
    """The room's media moved, while it was open, from member to member to the
    organisation's media server; ``why``: ``uplink`` (a member's connection was too poor
    for the mesh: never whose, nor any figure)."""

    kind: Literal["media.switched"]
    why: str


@dataclass(frozen=True)
class SafetyEntry(_Entry):
    """A safety signal of ``seat`` (the member ``member``; None: a guest) was sent, seen
    by the facilitator's app, withdrawn by its sender or marked handled; ``seconds``
    after it was sent (left out for ``safety.sent``). Its time is the row's."""

    kind: SafetyKind
    seat: str
    member: int | None
    seconds: float | None = None


@dataclass(frozen=True)
class CrisisRecord(_Entry):
    """A crisis incident was recorded (its id)."""

    kind: Literal["crisis.recorded"]
    incident: int


@dataclass(frozen=True)
class CrisisEntry(_Entry):
    """The crisis panel for ``seat`` (the member ``member``; None: a guest) opened; one of
    its protocol steps (``step``, the policy's id) was ticked or unticked; the person's
    connection dropped or came back; they were silent, or their picture froze, for
    ``seconds`` (past the policy's threshold); it closed, ``seconds`` after it opened.
    Ids and times only: what was observed and decided stays in the incident record."""

    kind: CrisisKind
    seat: str
    member: int | None
    step: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class RetentionPurge(_Entry):
    """Retention purged what was older than ``cutoff``: how much of each."""

    kind: Literal["retention.purged"]
    cutoff: str | None
    retention_years: int
    sessions: int
    members: int
    notes: int
    journal_redacted: int


EXPORTED = ("note", "session", "member")
"""What ``record.exported`` may name: a note, a session's record, a member's history."""
EXPORT_FORMATS = ("pdf",)

RecordKind = Literal[
    "note.saved", "note.signed", "note.addendum", "attendance.kept", "referral.recorded"
]


@dataclass(frozen=True)
class RecordKept(_Entry):
    """A row of the records was written: a note's revision (``row`` the note, with
    ``revision``), its signature, an addendum (``row``, of ``note``), a stay in a session
    (``row``; written again when it changes), a referral (``row``, of ``member``).
    ``digest``: the SHA-256 of the row's content (sessionlog/coverage.py), so ``verify``
    tells a row changed or deleted outside the app. Never the content itself."""

    kind: RecordKind
    row: int
    digest: str
    revision: int | None = None
    note: int | None = None
    member: int | None = None


@dataclass(frozen=True)
class RecordExported(_Entry):
    """A record was exported: ``what`` (a note, a session's record, a member's history),
    its id, and the format. Who and when are the row's; never the content."""

    kind: Literal["record.exported"]
    what: str
    row: int
    format: str


# The speaking-turn manager's entries (core/session/turn_journal.py maps its outputs to
# them). ``seat`` and ``by`` are the server's seat ids (``member.joined`` ties a seat to a
# member of the group); ``by`` None: nobody asked (the floor went with a leave, a round
# ended by itself). Seconds are the manager's, rounded to the millisecond.


@dataclass(frozen=True)
class HandRaisedEntry(_Entry):
    """``seat`` raised their hand and is ``place`` in line."""

    kind: Literal["turn.hand_raised"]
    seat: str
    place: int


@dataclass(frozen=True)
class HandLoweredEntry(_Entry):
    """``seat``'s hand went down (``reason``: self, facilitator, floor, left)."""

    kind: Literal["turn.hand_lowered"]
    seat: str
    by: str | None
    reason: str


@dataclass(frozen=True)
class FloorGivenEntry(_Entry):
    """``by`` gave ``seat`` the floor, with a soft ``limit`` in seconds (left out: none)."""

    kind: Literal["turn.floor_given"]
    seat: str
    by: str
    limit: float | None = None


@dataclass(frozen=True)
class FloorEndedEntry(_Entry):
    """``seat``'s turn ended after ``seconds`` (``reason``: ended, replaced, left, round)."""

    kind: Literal["turn.floor_ended"]
    seat: str
    by: str | None
    seconds: float
    reason: str


@dataclass(frozen=True)
class TurnExtendedEntry(_Entry):
    """``by`` gave the speaker ``seconds`` more; the turn's limit is now ``limit``."""

    kind: Literal["turn.extended"]
    seat: str
    by: str
    seconds: float
    limit: float


@dataclass(frozen=True)
class TurnLimitEntry(_Entry):
    """``by`` set the soft limit of turns to ``limit`` seconds (left out: no limit)."""

    kind: Literal["turn.limit_changed"]
    by: str
    limit: float | None = None


@dataclass(frozen=True)
class QueueOrderEntry(_Entry):
    """``by`` ordered the queue by hand raised or quieter members first (``order``)."""

    kind: Literal["turn.queue_order_changed"]
    by: str
    order: str


@dataclass(frozen=True)
class TurnTimerEntry(_Entry):
    """The speaker's turn neared its soft limit (``remaining`` seconds), or reached it."""

    kind: TurnTimerKind
    seat: str
    remaining: float | None = None


@dataclass(frozen=True)
class RoundStartedEntry(_Entry):
    """``by`` started a round over ``seats`` (in that order), ordered by ``order``."""

    kind: Literal["round.started"]
    by: str
    order: str
    seats: tuple[str, ...]


@dataclass(frozen=True)
class RoundSeatEntry(_Entry):
    """``seat`` passed their turn in the round, or ``by`` skipped them."""

    kind: RoundSeatKind
    seat: str
    by: str | None = None


@dataclass(frozen=True)
class RoundFinishedEntry(_Entry):
    """The round ended (``completed``, or stopped by ``by``): how many spoke, passed, were
    skipped."""

    kind: Literal["round.finished"]
    by: str | None
    completed: bool
    spoke: int
    passed: int
    skipped: int


@dataclass(frozen=True)
class TalkTimeEntry(_Entry):
    """At the session's end: ``seat``'s talk time in ``seconds`` and ``turns`` given."""

    kind: Literal["turn.talk_time"]
    seat: str
    seconds: float
    turns: int


JournalEntry = (
    SessionMark
    | SessionPrepared
    | ChecklistResult
    | GroupChange
    | MemberChange
    | ConsentRecorded
    | RoomOpen
    | RoomClose
    | SeatJoin
    | SeatLeave
    | SeatEvent
    | AdmissionEntry
    | SideRoomEntry
    | ShareEntry
    | SharePermissionEntry
    | MediaSwitchEntry
    | SafetyEntry
    | CrisisRecord
    | CrisisEntry
    | RetentionPurge
    | RecordKept
    | RecordExported
    | HandRaisedEntry
    | HandLoweredEntry
    | FloorGivenEntry
    | FloorEndedEntry
    | TurnExtendedEntry
    | TurnLimitEntry
    | QueueOrderEntry
    | TurnTimerEntry
    | RoundStartedEntry
    | RoundSeatEntry
    | RoundFinishedEntry
    | TalkTimeEntry
)
"""Every journal entry there is."""

_ENTRY_CLASSES: tuple[type[_Entry], ...] = typing.get_args(JournalEntry)
KINDS: dict[str, type[_Entry]] = {
    kind: cls
    for cls in _ENTRY_CLASSES
    for kind in typing.get_args(typing.get_type_hints(cls)["kind"])
}
"""Every journal kind, and the entry type of its payload."""


def _fits(hint: Any, value: Any) -> bool:
    """Whether a JSON ``value`` fits a field's annotation (bool is not an int here)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_fits(option, value) for option in typing.get_args(hint))
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, list | tuple) and all(_fits(item, v) for v in value)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:  # JSON does not tell 180 from 180.0
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )
    return isinstance(value, hint)


_PayloadFields = tuple[dict[str, Any], dict[str, "dataclasses.Field[Any]"]]
_PAYLOAD_FIELDS: dict[type[_Entry], _PayloadFields] = {}


def _payload_fields(cls: type[_Entry]) -> _PayloadFields:
    """The annotations and payload fields (all but ``kind``) of an entry class (cached)."""
    cached = _PAYLOAD_FIELDS.get(cls)
    if cached is None:
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "kind"}
        cached = _PAYLOAD_FIELDS[cls] = (typing.get_type_hints(cls), fields)
    return cached


def parse_entry(kind: str, data: Mapping[str, Any]) -> JournalEntry:
    """The entry of a ``(kind, payload)`` row; :class:`JournalEntryError` when the kind is
    not catalogued or the payload does not fit it (a missing, extra or mistyped field)."""
    cls = KINDS.get(kind)
    if cls is None:
        raise JournalEntryError(f"{kind!r} is not a journal kind (see core/journal_kinds.py)")
    hints, fields = _payload_fields(cls)
    extra = set(data) - set(fields)
    if extra:
        raise JournalEntryError(f"{kind!r} has no field {sorted(extra)} (ids only, no content)")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise JournalEntryError(f"{kind!r} needs {name!r}")
            continue
        value = data[name]
        if not _fits(hints[name], value):
            raise JournalEntryError(f"{kind!r}: {name!r} is not {hints[name]}")
        values[name] = tuple(value) if isinstance(value, list) else value
    entry: JournalEntry = typing.cast(Any, cls)(kind=kind, **values)
    return entry


def entry_row(entry: JournalEntry) -> tuple[str, dict[str, Any]]:
    """The ``(kind, payload)`` the journal stores for ``entry`` (checked against the
    catalogue, so a hand-built entry with a kind outside its class is refused too)."""
    data: dict[str, Any] = {}
    for f in dataclasses.fields(entry):
        value = getattr(entry, f.name)
        if f.name == "kind" or (value is None and f.default is None):
            continue
        data[f.name] = list(value) if isinstance(value, tuple) else value
    if type(parse_entry(entry.kind, data)) is not type(entry):
        raise JournalEntryError(f"{entry.kind!r} is not a kind of {type(entry).__name__}")
    return entry.kind, data
