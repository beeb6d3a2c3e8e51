"""The facts of one session, gathered from what the log already holds, ready to cite.

:func:`session_facts` takes models already read (the session, the group's members, who
was expected, the stays, each person's admission answers, consents, crisis incidents,
referrals and the session's journal) and returns a frozen :class:`SessionFacts`: per
member who was expected or came, a :class:`MemberFacts` (an absent member gets one too,
``present`` False), the guests by their declared name, and counts for the group.

The journal holds ids only: a seat (the server's id for one connection) is tied to a
member by ``member.joined`` and by the person's answers (``ParticipantAnswers.seat``).
Nothing here reads a clock, a file or the machine's timezone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from groupdesk.core.models import (
    Attendance,
    Consent,
    ConsentMethod,
    ConsentStatus,
    CrisisIncident,
    JournalEvent,
    Member,
    Modality,
    ParticipantAnswers,
    Referral,
    Session,
    SessionKind,
)


@dataclass(frozen=True)
class StayFact:
    """One stay: when the person joined and left (None: still there when the log ended),
    and whether they were in the room of a hybrid session rather than on the call."""

    joined_at: datetime
    left_at: datetime | None
    in_room: bool = False

    def seconds(self, session_end: datetime | None) -> float:
        """How long the stay lasted (an open stay runs to ``session_end``, else 0)."""
        end = self.left_at or session_end
        return max(0.0, (end - self.joined_at).total_seconds()) if end else 0.0


@dataclass(frozen=True)
class ChecklistFact:
    """How the person came in: the required items unmet when admitted, the facilitator's
    reason for admitting them anyway (None: not admitted anyway), identity verified."""

    answered: bool = False
    unmet: tuple[str, ...] = ()
    override_reason: str | None = None
    admitted_anyway: bool = False
    identity_verified: bool = False


@dataclass(frozen=True)
class ConsentFact:
    """Where the member stands with the consent to remote work: the status, and the
    latest consent's version, date and method (None when there is none)."""

    status: ConsentStatus = ConsentStatus.PENDING
    version: str | None = None
    given_at: datetime | None = None
    method: ConsentMethod | None = None
    current: bool | None = None
    """Whether the version is the policy's current one (None: not known)."""


@dataclass(frozen=True)
class SafetySignalFact:
    """A safety signal: when it was sent, and seconds after that it was seen, withdrawn
    by its sender, or marked handled (None: it was not)."""

    sent_at: datetime
    seen_after: float | None = None
    withdrawn_after: float | None = None
    handled_after: float | None = None


@dataclass(frozen=True)
class SideRoomFact:
    """A time in a private side room with a facilitator (``left_at`` None: not closed)."""

    entered_at: datetime
    left_at: datetime | None = None


@dataclass(frozen=True)
class ShareFact:
    """A time the person shared their screen, a window or a document (``source``:
    ``screen``, ``window`` or ``document``; never what was shown); ``left_at`` None: not
    stopped in the log; ``stopped_by_facilitator``: ended by taking the permission back."""

    started_at: datetime
    stopped_at: datetime | None = None
    source: str = "screen"
    stopped_by_facilitator: bool = False


@dataclass(frozen=True)
class IncidentFact:
    """A crisis incident: when the panel opened and closed, its outcome (one of
    ``CRISIS_OUTCOMES``, "" when not said) and the resources it referred to (policy
    ids). ``incident_id`` None: known from the journal only (no record was kept)."""

    started_at: datetime
    ended_at: datetime | None = None
    outcome: str = ""
    referral: tuple[str, ...] = ()
    incident_id: int | None = None


@dataclass(frozen=True)
class ReferralFact:
    """A referral recorded with the member: the resource (id, name as it read then)."""

    resource_id: str
    resource_name: str
    created_at: datetime
    detail: str = ""


@dataclass(frozen=True)
class MemberFacts:
    """What the session holds about one person: a member (``member_id``) or a guest
    (``member_id`` None, ``name`` as declared)."""

    member_id: int | None
    name: str
    expected: bool
    present: bool
    stays: tuple[StayFact, ...] = ()
    minutes_present: int = 0
    talk_seconds: float = 0.0
    turns: int = 0
    checklist: ChecklistFact = field(default_factory=ChecklistFact)
    consent: ConsentFact | None = None
    safety_signals: tuple[SafetySignalFact, ...] = ()
    side_room: tuple[SideRoomFact, ...] = ()
    shares: tuple[ShareFact, ...] = ()
    incidents: tuple[IncidentFact, ...] = ()
    referrals: tuple[ReferralFact, ...] = ()

    @property
    def guest(self) -> bool:
        """True for a guest (admitted without being matched to a member)."""
        return self.member_id is None

    @property
    def in_room(self) -> bool:
        """True when every stay was in the room (a hybrid session's in-person member)."""
        return bool(self.stays) and all(stay.in_room for stay in self.stays)


@dataclass(frozen=True)
class GroupCounts:
    """The session's counts for the group note."""

    expected: int = 0
    present: int = 0
    present_expected: int = 0
    absent: int = 0
    in_room: int = 0
    guests: int = 0
    admitted_anyway: int = 0
    safety_signals: int = 0
    incidents: int = 0
    referrals: int = 0


@dataclass(frozen=True)
class SessionFacts:
    """The facts of one session: its times and kind, each member's facts (members in the
    order given, expected or present), the guests and the group's counts."""

    session_id: int
    group_id: int
    kind: SessionKind
    modality: Modality
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    members: tuple[MemberFacts, ...]
    guests: tuple[MemberFacts, ...]
    counts: GroupCounts

    def member(self, member_id: int) -> MemberFacts | None:
        """The facts of ``member_id`` (None: neither expected nor present)."""
        return next((m for m in self.members if m.member_id == member_id), None)

    @property
    def absent(self) -> tuple[MemberFacts, ...]:
        """The members expected who did not come."""
        return tuple(m for m in self.members if not m.present)


# --------------------------------------------------------------------------- the journal


def _data(event: JournalEvent) -> Mapping[str, Any]:
    return event.data or {}


def _seat_of(data: Mapping[str, Any]) -> str | None:
    seat = data.get("seat")
    return seat if isinstance(seat, str) and seat else None


def _member_of(data: Mapping[str, Any]) -> int | None:
    member = data.get("member")
    return member if isinstance(member, int) and not isinstance(member, bool) else None


def _number(data: Mapping[str, Any], name: str) -> float | None:
    value = data.get(name)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass
class _Seats:
    """Who sat in each seat: a member id, or a guest's declared name."""

    member: dict[str, int] = field(default_factory=dict)
    guest: dict[str, str] = field(default_factory=dict)

    def learn(self, seat: str | None, member: int | None, guest_name: str = "") -> None:
        if seat is None:
            return
        if member is not None:
            self.member.setdefault(seat, member)
        elif guest_name.strip():
            self.guest.setdefault(seat, guest_name.strip())

    def key(self, seat: str | None, member: int | None = None) -> int | str | None:
        """The person of a seat: a member id, a guest name, or None (unknown)."""
        if member is not None:
            return member
        if seat is None:
            return None
        return self.member.get(seat, self.guest.get(seat))


def _seats(answers: Iterable[ParticipantAnswers], journal: Iterable[JournalEvent]) -> _Seats:
    seats = _Seats()
    for answer in answers:
        seats.learn(answer.seat, answer.member_id, answer.guest_name)
    for event in journal:
        data = _data(event)
        if event.kind == "member.joined":
            seats.learn(_seat_of(data), _member_of(data))
    for event in journal:  # other kinds name the member too; a seat's first word wins
        data = _data(event)
        if event.kind != "member.joined":
            seats.learn(_seat_of(data), _member_of(data))
    return seats


@dataclass
class _Gathered:
    """What the journal says, per person (member id or guest name)."""

    talk: dict[int | str, list[float]] = field(default_factory=lambda: defaultdict(list))
    turns: dict[int | str, int] = field(default_factory=lambda: defaultdict(int))
    safety: dict[int | str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    side: dict[int | str, list[list[datetime | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    shares: dict[int | str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    crisis: dict[int | str, list[list[datetime | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    anyway: dict[int | str, tuple[str, ...]] = field(default_factory=dict)
    verified: dict[int | str, bool] = field(default_factory=dict)
    started: datetime | None = None
    ended: datetime | None = None


_SAFETY_AFTER = {
    "safety.seen": "seen_after",
    "safety.withdrawn": "withdrawn_after",
    "safety.handled": "handled_after",
}


def _gather(journal: Iterable[JournalEvent], seats: _Seats) -> _Gathered:  # noqa: PLR0912
    out = _Gathered()
    for event in sorted(journal, key=lambda e: (e.ts, e.seq)):
        data = _data(event)
        kind = event.kind
        if kind == "session.started":
            out.started = out.started or event.ts
            continue
        if kind == "session.ended":
            out.ended = event.ts
            continue
        who = seats.key(_seat_of(data), _member_of(data))
        if who is None:
            continue
        if kind == "turn.talk_time":
            out.talk[who].append(_number(data, "seconds") or 0.0)
            turns = data.get("turns")
            out.turns[who] += turns if isinstance(turns, int) else 0
        elif kind in ("safety.sent", "member.safety_signal"):
            out.safety[who].append({"sent_at": event.ts})
        elif kind in _SAFETY_AFTER:
            open_signals = out.safety[who]
            seconds = _number(data, "seconds") or 0.0
            if not open_signals:  # no sent row (an older log): it was sent seconds before
                open_signals.append({"sent_at": event.ts - timedelta(seconds=seconds)})
            open_signals[-1][_SAFETY_AFTER[kind]] = seconds
        elif kind == "side_room.entered":
            out.side[who].append([event.ts, None])
        elif kind == "side_room.left":
            visits = out.side[who]
            if visits and visits[-1][1] is None:
                visits[-1][1] = event.ts
        elif kind == "share.started":
            source = data.get("source")
            out.shares[who].append(
                {"started_at": event.ts, "source": source if isinstance(source, str) else ""}
            )
        elif kind == "share.stopped":
            shares = out.shares[who]
            if shares and "stopped_at" not in shares[-1]:
                shares[-1]["stopped_at"] = event.ts
                shares[-1]["by"] = bool(data.get("by"))
        elif kind == "crisis.opened":
            out.crisis[who].append([event.ts, None])
        elif kind == "crisis.closed":
            panels = out.crisis[who]
            if panels and panels[-1][1] is None:
                panels[-1][1] = event.ts
        elif kind == "lobby.admitted_anyway":
            items = data.get("items") or ()
            out.anyway[who] = tuple(str(i) for i in items)
        elif kind in ("member.identity_verified", "member.identity_unverified"):
            out.verified[who] = kind == "member.identity_verified"
    return out


# --------------------------------------------------------------------------- per person


def _answers_of(answers: ParticipantAnswers) -> int | str:
    return answers.guest_name.strip() if answers.member_id is None else answers.member_id


def _checklist(
    answers: Iterable[ParticipantAnswers], who: int | str, gathered: _Gathered
) -> ChecklistFact:
    mine = [a for a in answers if _answers_of(a) == who]
    if mine:
        last = max(mine, key=lambda a: (a.answered_at, a.id))
        unmet = tuple(dict.fromkeys(i for a in mine for i in a.unmet))
        reason = next((a.override_reason for a in reversed(mine) if a.override_reason), None)
        return ChecklistFact(
            answered=True,
            unmet=unmet,
            override_reason=reason,
            admitted_anyway=reason is not None or who in gathered.anyway,
            identity_verified=gathered.verified.get(who, last.identity_verified),
        )
    return ChecklistFact(
        unmet=gathered.anyway.get(who, ()),
        admitted_anyway=who in gathered.anyway,
        identity_verified=gathered.verified.get(who, False),
    )


def _consent(member: Member, latest: Consent | None, current_version: str | None) -> ConsentFact:
    if latest is None:
        return ConsentFact(status=member.consent)
    return ConsentFact(
        status=member.consent,
        version=latest.version,
        given_at=latest.given_at,
        method=latest.method,
        current=None if current_version is None else latest.version == current_version,
    )


def _incidents(
    records: Iterable[CrisisIncident], journal_panels: list[list[datetime | None]]
) -> tuple[IncidentFact, ...]:
    facts = [
        IncidentFact(i.started_at, i.ended_at, i.outcome, i.referral, i.id)
        for i in sorted(records, key=lambda r: (r.started_at, r.id))
    ]
    if not facts:  # a panel opened but no incident record was kept
        facts = [IncidentFact(start, end) for start, end in journal_panels if start is not None]
    return tuple(facts)


def _person(
    who: int | str,
    *,
    name: str,
    expected: bool,
    stays: list[Attendance],
    session_end: datetime | None,
    answers: Iterable[ParticipantAnswers],
    gathered: _Gathered,
    incidents: Iterable[CrisisIncident],
    consent: ConsentFact | None,
    referrals: Iterable[Referral],
) -> MemberFacts:
    stay_facts = tuple(
        StayFact(s.joined_at, s.left_at, s.in_room)
        for s in sorted(stays, key=lambda s: (s.joined_at, s.id))
    )
    seconds = sum(s.seconds(session_end) for s in stay_facts)
    signals = tuple(
        SafetySignalFact(
            sent_at=s["sent_at"],
            seen_after=s.get("seen_after"),
            withdrawn_after=s.get("withdrawn_after"),
            handled_after=s.get("handled_after"),
        )
        for s in gathered.safety.get(who, ())
    )
    side = tuple(
        SideRoomFact(start, end) for start, end in gathered.side.get(who, ()) if start is not None
    )
    shares = tuple(
        ShareFact(s["started_at"], s.get("stopped_at"), s["source"], s.get("by", False))
        for s in gathered.shares.get(who, ())
    )
    return MemberFacts(
        member_id=who if isinstance(who, int) else None,
        name=name,
        expected=expected,
        present=bool(stay_facts),
        stays=stay_facts,
        minutes_present=round(seconds / 60),
        talk_seconds=round(sum(gathered.talk.get(who, ())), 3),
        turns=gathered.turns.get(who, 0),
        checklist=_checklist(answers, who, gathered),
        consent=consent,
        safety_signals=signals,
        side_room=side,
        shares=shares,
        incidents=_incidents(incidents, gathered.crisis.get(who, [])),
        referrals=tuple(
            ReferralFact(r.resource_id, r.resource_name, r.created_at, r.detail)
            for r in sorted(referrals, key=lambda r: (r.created_at, r.id))
        ),
    )


def _latest_consents(consents: Iterable[Consent]) -> dict[int, Consent]:
    latest: dict[int, Consent] = {}
    for consent in consents:
        known = latest.get(consent.member_id)
        if known is None or (consent.given_at, consent.id) > (known.given_at, known.id):
            latest[consent.member_id] = consent
    return latest


def session_facts(
    session: Session,
    members: Iterable[Member],
    expected: Iterable[int],
    stays: Iterable[Attendance],
    *,
    answers: Iterable[ParticipantAnswers] = (),
    consents: Iterable[Consent] = (),
    incidents: Iterable[CrisisIncident] = (),
    referrals: Iterable[Referral] = (),
    journal: Iterable[JournalEvent] = (),
    current_consent_version: str | None = None,
) -> SessionFacts:
    """The facts of ``session`` from the models read for it.

    ``members``: the group's members (names, consent status); ``expected``: the ids of
    those expected; ``stays``, ``answers``, ``incidents``, ``journal``: the session's
    (rows of other sessions are left out); ``consents``: any of the members' (the latest
    per member counts); ``referrals``: the members' referrals made at this session.
    ``current_consent_version``: the policy's, to tell an outdated consent.
    """
    sid = session.id
    members = list(members)
    expected_ids = list(dict.fromkeys(expected))
    stays = [s for s in stays if s.session_id == sid]
    answers = [a for a in answers if a.session_id == sid]
    incidents = [i for i in incidents if i.session_id == sid]
    referrals = [r for r in referrals if r.session_id == sid]
    journal = [e for e in journal if e.session_id == sid]
    seats = _seats(answers, journal)
    gathered = _gather(journal, seats)
    actual_start = session.actual_start or gathered.started
    actual_end = session.actual_end or gathered.ended
    latest = _latest_consents(consents)

    by_id = {m.id: m for m in members}
    stays_of: dict[int | str, list[Attendance]] = defaultdict(list)
    for stay in stays:
        stays_of[stay.member_id if stay.member_id is not None else stay.guest_name.strip()].append(
            stay
        )
    incidents_of: dict[int | str, list[CrisisIncident]] = defaultdict(list)
    for incident in incidents:
        who = incident.member_id or incident.guest_name.strip() or seats.key(incident.seat or None)
        if who is not None:
            incidents_of[who].append(incident)

    wanted = [*expected_ids, *(s.member_id for s in stays if s.member_id is not None)]
    people: list[MemberFacts] = []
    for member_id in dict.fromkeys(wanted):
        member = by_id.get(member_id)
        consent = None
        if member is not None:
            consent = _consent(member, latest.get(member_id), current_consent_version)
        people.append(
            _person(
                member_id,
                name=member.display_name if member is not None else f"#{member_id}",
                expected=member_id in expected_ids,
                stays=stays_of.get(member_id, []),
                session_end=actual_end,
                answers=answers,
                gathered=gathered,
                incidents=incidents_of.get(member_id, ()),
                consent=consent,
                referrals=[r for r in referrals if r.member_id == member_id],
            )
        )
    guest_names = [s.guest_name.strip() for s in stays if s.member_id is None]
    guest_names += [a.guest_name.strip() for a in answers if a.member_id is None]
    guests = tuple(
        _person(
            name,
            name=name,
            expected=False,
            stays=stays_of.get(name, []),
            session_end=actual_end,
            answers=answers,
            gathered=gathered,
            incidents=incidents_of.get(name, ()),
            consent=None,
            referrals=(),
        )
        for name in dict.fromkeys(guest_names)
        if name
    )
    everyone = [*people, *guests]
    counts = GroupCounts(
        expected=len(expected_ids),
        present=sum(1 for p in people if p.present),
        present_expected=sum(1 for p in people if p.present and p.expected),
        absent=sum(1 for p in people if p.expected and not p.present),
        in_room=sum(1 for p in everyone if p.present and p.in_room),
        guests=sum(1 for g in guests if g.present),
        admitted_anyway=sum(1 for p in everyone if p.checklist.admitted_anyway),
        safety_signals=sum(len(p.safety_signals) for p in everyone),
        incidents=sum(len(p.incidents) for p in everyone),
        referrals=sum(len(p.referrals) for p in everyone),
    )
    return SessionFacts(
        session_id=sid,
        group_id=session.group_id,
        kind=session.kind,
        modality=session.modality,
        planned_start=session.planned_start,
        planned_end=session.planned_end,
        actual_start=actual_start,
        actual_end=actual_end,
        members=tuple(people),
        guests=guests,
        counts=counts,
    )
