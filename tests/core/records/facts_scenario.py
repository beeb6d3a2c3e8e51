"""One hybrid evening session built by hand, as the session log would hand it over.

Times are Montreal's standard time (UTC-5): the session runs 18:00 to 19:32 local.
Ana (1) comes on the call twice (seats s1 then s3), is admitted although her phone
number was missing, sends a safety signal and goes through a crisis with a referral to
Info-Social; Ben (2) is in the room (his seat s2 known only from his answers); Chloé (3)
is expected and does not come; Dan (4) comes to the room without being expected; Zoé
comes as a guest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from groupdesk.core.models import (
    AskedItem,
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
from groupdesk.core.records.facts import SessionFacts, session_facts

MONTREAL = timezone(timedelta(hours=-5))
REASON = "Called her back on her usual number"


def at(hour: int, minute: int, second: int = 0, day: int = 3) -> datetime:
    """A time on 2026-11-<day> in Montreal, as an aware UTC datetime (as stored)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MONTREAL).astimezone(UTC)


SESSION = Session(
    id=7,
    group_id=1,
    planned_start=at(18, 0),
    planned_end=at(19, 30),
    modality=Modality.HYBRID,
    actual_start=at(18, 0),
    actual_end=at(19, 32),
)
MEMBERS = (
    Member(1, 1, "Ana", consent=ConsentStatus.GIVEN),
    Member(2, 1, "Ben", modality=Modality.IN_PERSON),
    Member(3, 1, "Chloé"),
    Member(4, 1, "Dan", modality=Modality.IN_PERSON),
)
EXPECTED = (1, 2, 3)
STAYS = (
    Attendance(1, 7, 1, at(18, 2), at(18, 40)),
    Attendance(2, 7, 1, at(18, 45), at(19, 31)),
    Attendance(3, 7, 2, at(18, 0), at(19, 30), in_room=True),
    Attendance(4, 7, 4, at(18, 5), at(19, 30), in_room=True),
    Attendance(5, 7, None, at(18, 10), at(18, 50), guest_name="Zoé"),
    Attendance(6, 8, 3, at(18, 0), at(19, 0)),  # another session's: left out
)
ASKED = (AskedItem("phone", "phone", True), AskedItem("alone", "tick", True))
ANSWERS = (
    ParticipantAnswers(
        1, 7, "s1", {"alone": True}, ASKED, at(18, 1), member_id=1,
        unmet=("phone",), override_reason=REASON, identity_verified=True,
    ),
    ParticipantAnswers(
        2, 7, "s2", {"alone": True, "phone": "514 555-0100"}, ASKED, at(17, 59), member_id=2
    ),
    ParticipantAnswers(
        3, 7, "s9", {"alone": True, "phone": "514 555-0199"}, ASKED, at(18, 9), guest_name="Zoé"
    ),
)  # fmt: skip
CONSENTS = (
    Consent(1, 1, "1", at(18, 0, day=1).replace(month=10), ConsentMethod.IN_PERSON),
    Consent(2, 1, "2", at(10, 0, day=2), ConsentMethod.PAGE),
)
INCIDENTS = (
    CrisisIncident(
        1, 7, at(18, 44), member_id=1, ended_at=at(18, 58), seat="s3",
        outcome="referred", referral=("info_social_811",),
    ),
)  # fmt: skip
REFERRALS = (
    Referral(1, 1, "info_social_811", "Info-Social", at(19, 0), session_id=7),
    Referral(2, 1, "community_211", "211", at(10, 0, day=10)),  # not at this session
)

_SEQ = iter(range(1, 10_000))


def event(ts: datetime, kind: str, session_id: int = 7, **data: Any) -> JournalEvent:
    """A journal row of the session."""
    return JournalEvent(next(_SEQ), session_id, ts, kind, data)


JOURNAL = (
    event(at(18, 0), "session.started"),
    event(at(18, 0), "member.joined", seat="s2", member=None),  # resolved by the answers
    event(at(18, 2), "member.joined", seat="s1", member=1),
    event(at(18, 10), "member.joined", seat="s9", member=None, guest=True),
    event(at(18, 45), "member.joined", seat="s3", member=1),
    event(at(18, 1), "lobby.admitted_anyway", seat="s1", member=1, items=["phone"]),
    event(at(18, 40), "safety.sent", seat="s3", member=1),
    event(at(18, 40, 12), "safety.seen", seat="s3", member=1, seconds=12.0),
    event(at(18, 41), "safety.handled", seat="s3", member=1, seconds=60.0),
    event(at(18, 44), "crisis.opened", seat="s3", member=1),
    event(at(18, 44), "side_room.entered", seat="s3", member=1, by="f1"),
    event(at(18, 58), "side_room.left", seat="s3", member=1, by="f1"),
    event(at(18, 58), "crisis.closed", seat="s3", member=1, seconds=840.0),
    event(at(19, 5), "share.started", seat="s3", member=1, source="document"),
    event(at(19, 9), "share.stopped", seat="s3", member=1, source="document", by="f1"),
    event(at(19, 20), "share.started", seat="s1", member=1, source="screen"),
    event(at(19, 32), "turn.talk_time", seat="s1", seconds=200.0, turns=2),
    event(at(19, 32), "turn.talk_time", seat="s3", seconds=200.0, turns=1),
    event(at(19, 32), "turn.talk_time", seat="s2", seconds=60.0, turns=1),
    event(at(19, 32), "turn.talk_time", seat="s9", seconds=30.0, turns=1),
    event(at(19, 32), "session.ended"),
    event(at(19, 0), "turn.talk_time", session_id=8, seat="s1", seconds=999.0, turns=9),
)


def evening(**changes: Any) -> SessionFacts:
    """The facts of the evening (``changes`` replace any of session_facts' arguments)."""
    arguments: dict[str, Any] = {
        "session": SESSION,
        "members": MEMBERS,
        "expected": EXPECTED,
        "stays": STAYS,
        "answers": ANSWERS,
        "consents": CONSENTS,
        "incidents": INCIDENTS,
        "referrals": REFERRALS,
        "journal": JOURNAL,
        "current_consent_version": "2",
    }
    arguments.update(changes)
    return session_facts(**arguments)


def one_to_one() -> SessionFacts:
    """A one-to-one meeting with Chloé before the group, on the call."""
    session = Session(
        id=5, group_id=1, planned_start=at(14, 0, day=1), planned_end=at(14, 45, day=1),
        actual_start=at(14, 1, day=1), actual_end=at(14, 44, day=1),
        kind=SessionKind.INDIVIDUAL,
    )  # fmt: skip
    return session_facts(
        session, MEMBERS, (3,), (Attendance(9, 5, 3, at(14, 1, day=1), at(14, 44, day=1)),)
    )
