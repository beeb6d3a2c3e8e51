"""The facts of a session, gathered from hand-built models and journal rows."""

from __future__ import annotations

from facts_scenario import JOURNAL, MEMBERS, REASON, SESSION, at, evening, event

from groupdesk.core.models import Attendance, ConsentMethod, ConsentStatus, SessionKind
from groupdesk.core.records.facts import (
    IncidentFact,
    SafetySignalFact,
    ShareFact,
    SideRoomFact,
    StayFact,
    session_facts,
)


def test_a_present_member_s_facts_come_from_every_source() -> None:
    ana = evening().member(1)
    assert ana is not None
    assert (ana.name, ana.present, ana.expected, ana.guest) == ("Ana", True, True, False)
    assert ana.stays == (
        StayFact(at(18, 2), at(18, 40), in_room=False),
        StayFact(at(18, 45), at(19, 31), in_room=False),
    )
    assert ana.minutes_present == 38 + 46
    # two seats (she came back), both hers through member.joined; another session's row left out
    assert (ana.talk_seconds, ana.turns) == (400.0, 3)
    assert ana.checklist.unmet == ("phone",)
    assert ana.checklist.override_reason == REASON
    assert ana.checklist.admitted_anyway
    assert ana.checklist.identity_verified
    assert ana.consent is not None
    assert (ana.consent.status, ana.consent.version, ana.consent.method) == (
        ConsentStatus.GIVEN,
        "2",
        ConsentMethod.PAGE,
    )
    assert ana.consent.current is True
    assert ana.safety_signals == (
        SafetySignalFact(at(18, 40), seen_after=12.0, handled_after=60.0),
    )
    assert ana.side_room == (SideRoomFact(at(18, 44), at(18, 58)),)
    # what she shared and how it ended; a share never stopped in the log stays open
    assert ana.shares == (
        ShareFact(at(19, 5), at(19, 9), "document", stopped_by_facilitator=True),
        ShareFact(at(19, 20), None, "screen"),
    )
    assert ana.incidents == (
        IncidentFact(at(18, 44), at(18, 58), "referred", ("info_social_811",), 1),
    )
    assert [(r.resource_id, r.resource_name) for r in ana.referrals] == [
        ("info_social_811", "Info-Social")  # the referral made another day is not cited
    ]


def test_an_expected_member_who_did_not_come_gets_an_absence_entry() -> None:
    facts = evening()
    chloe = facts.member(3)
    assert chloe is not None  # not nothing
    assert (chloe.present, chloe.expected, chloe.stays, chloe.minutes_present) == (
        False,
        True,
        (),
        0,
    )
    assert [m.name for m in facts.absent] == ["Chloé"]


def test_a_seat_known_only_from_the_answers_is_still_the_member_s() -> None:
    ben = evening().member(2)
    assert ben is not None
    assert (ben.talk_seconds, ben.turns) == (60.0, 1)
    assert ben.in_room
    assert ben.checklist.answered
    assert not ben.checklist.unmet
    assert not ben.checklist.admitted_anyway


def test_guests_by_declared_name_and_unexpected_members_and_the_counts() -> None:
    facts = evening()
    dan = facts.member(4)
    assert dan is not None
    assert (dan.present, dan.expected, dan.in_room) == (True, False, True)
    (zoe,) = facts.guests
    assert (zoe.name, zoe.member_id, zoe.guest, zoe.minutes_present) == ("Zoé", None, True, 40)
    assert (zoe.talk_seconds, zoe.turns) == (30.0, 1)
    counts = facts.counts
    assert (counts.expected, counts.present, counts.present_expected, counts.absent) == (
        3,
        3,
        2,
        1,
    )
    assert (counts.in_room, counts.guests, counts.admitted_anyway) == (2, 1, 1)
    assert (counts.safety_signals, counts.incidents, counts.referrals) == (1, 1, 1)
    assert [m.member_id for m in facts.members] == [1, 2, 3, 4]
    assert (facts.kind, facts.actual_start, facts.actual_end) == (
        SessionKind.GROUP,
        at(18, 0),
        at(19, 32),
    )


def test_a_panel_opened_without_a_kept_incident_is_known_from_the_journal() -> None:
    ana = evening(incidents=()).member(1)
    assert ana is not None
    assert ana.incidents == (IncidentFact(at(18, 44), at(18, 58)),)


def test_an_outdated_consent_and_the_journal_s_times_when_the_session_has_none() -> None:
    started_only = SESSION.__class__(
        id=7, group_id=1, planned_start=SESSION.planned_start, planned_end=SESSION.planned_end
    )
    facts = evening(session=started_only, current_consent_version="3")
    assert (facts.actual_start, facts.actual_end) == (at(18, 0), at(19, 32))
    ana = facts.member(1)
    assert ana is not None
    assert ana.consent is not None
    assert ana.consent.current is False


def test_an_open_stay_runs_to_the_session_s_end() -> None:
    stays = (Attendance(1, 7, 1, at(18, 2)),)
    ana = session_facts(SESSION, MEMBERS, (1,), stays, journal=JOURNAL).member(1)
    assert ana is not None
    assert ana.minutes_present == 90  # 18:02 to the end at 19:32
    assert ana.stays == (StayFact(at(18, 2), None),)


def test_a_safety_signal_seen_without_its_sent_row_is_still_a_signal() -> None:
    journal = (
        event(at(18, 2), "member.joined", seat="s1", member=1),
        event(at(18, 30), "safety.withdrawn", seat="s1", member=1, seconds=5.0),
    )
    ana = session_facts(
        SESSION, MEMBERS, (1,), (Attendance(1, 7, 1, at(18, 2)),), journal=journal
    ).member(1)
    assert ana is not None
    assert ana.safety_signals == (SafetySignalFact(at(18, 29, 55), withdrawn_after=5.0),)
