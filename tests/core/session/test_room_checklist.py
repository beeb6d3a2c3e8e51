"""Admission and the participant checklist, without Qt, sockets or a loop: required items
hold a person unless the facilitator gives a reason; the answers, the identity mark and
the earlier answers offered again; the answers stay with facilitators."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import AdmissionEntry, SeatEvent
from groupdesk.core.models import AskedItem, Member
from groupdesk.core.protocol import (
    CONSENT_ANSWER,
    Admit,
    Admitted,
    Lobby,
    LobbyEntry,
    MemberInfo,
    MemberJoined,
    Question,
    QuestionText,
)
from groupdesk.core.session import checklist
from groupdesk.core.session.checklist import Previous
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import (
    AdmissionHeld,
    AnswersKept,
    ConsentGiven,
    IdentityMarked,
    Journal,
    LoadPrevious,
    LobbyChanged,
    MemberChanged,
    RoomOutput,
    Send,
)
from groupdesk.core.session.room_state import LiveStage

ROOM = "room-0001"
ME = "f00000000001"
ANA, BEN, ZOE = "a00000000001", "b00000000002", "c00000000003"
WHEN = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
LAST_WEEK = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
GROUP = [Member(id=1, group_id=1, display_name="Ana"), Member(id=2, group_id=1, display_name="Ben")]
QUESTIONS = (
    Question("alone", QuestionText("I am alone"), required=True),
    Question("headphones", QuestionText("Headphones")),
    Question("location", QuestionText("Where are you?"), kind="location", required=True),
    Question("phone", QuestionText("Phone"), kind="phone", required=True),
    Question("emergency_contact", QuestionText("Contact"), kind="text"),
)
ALL_MET = {"alone": True, "location": "Rimouski", "phone": "418 555-0142"}


def _carry(room: Room, outputs: list[RoomOutput]) -> list[RoomOutput]:
    done: list[RoomOutput] = []
    for out in outputs:
        done.append(out)
        if isinstance(out, Send):
            done += _carry(room, room.sent(out.message))
    return done


def _room(**waiting: dict[str, Any]) -> Room:
    """A facilitator's open room asking QUESTIONS (consent version "v2"); each keyword
    is a seat ("ana", "ben", "zoe") waiting with those answers."""
    room = Room(clock=FakeClock(), wall=lambda: WHEN)
    room.start("facilitator")
    room.know_group(GROUP, expected=[1, 2])
    room.know_questions(QUESTIONS, "v2")
    room.set_stage(LiveStage.LIVE)
    room.receive(
        Admitted(
            room=ROOM,
            member=ME,
            role="facilitator",
            members=(MemberInfo(ME, "Julie", "facilitator"),),
            ice_servers=(),
            resume_token="t" * 16,
            grace_seconds=60.0,
        )
    )
    seats = {"ana": (ANA, "Ana"), "ben": (BEN, "Ben"), "zoe": (ZOE, "Zoé")}
    entries = tuple(
        LobbyEntry(seats[who][0], seats[who][1], declared, 0.0) for who, declared in waiting.items()
    )
    room.receive(Lobby(room=ROOM, waiting=entries))
    return room


def _kept(outputs: list[RoomOutput]) -> AnswersKept:
    (kept,) = [out for out in outputs if isinstance(out, AnswersKept)]
    return kept


def test_the_rules_of_an_answer() -> None:
    phone = QUESTIONS[3]
    assert checklist.met(phone, "418 555-0142")
    assert not checklist.met(phone, "911")  # nobody can call back on that
    assert not checklist.met(QUESTIONS[0], "yes")  # a tick is a tick
    assert not checklist.met(QUESTIONS[2], "   ")
    assert checklist.unmet(QUESTIONS, {"alone": False, "phone": "x"}) == (
        "alone",
        "location",
        "phone",
    )
    assert checklist.kept_answers(
        QUESTIONS, {"alone": True, "location": " Gaspé ", "other": "x"}
    ) == {
        "alone": True,
        "location": "Gaspé",
    }


def test_a_person_who_has_not_met_a_required_item_is_held_until_a_reason_is_given() -> None:
    room = _room(ana={"alone": False, "location": "Rimouski", "phone": "418 555-0142"})
    assert room.admit(ANA) == [AdmissionHeld(ANA, ("alone",))]
    assert room.admit(ANA, "   ") == [AdmissionHeld(ANA, ("alone",))]  # blank is no reason

    out = _carry(room, room.admit(ANA, "Her  child sleeps next door;\nshe wears headphones."))
    assert [o.message for o in out if isinstance(o, Send)] == [Admit(member=ANA)]
    assert [o.entry for o in out if isinstance(o, Journal)] == [
        SeatEvent("lobby.admitted", ANA, 1),
        AdmissionEntry("lobby.admitted_anyway", ANA, 1, ("alone",)),  # ids only: no reason
    ]
    kept = _kept(out)
    assert kept.override_reason == "Her child sleeps next door; she wears headphones."
    assert (kept.member, kept.unmet, kept.guest_name) == (1, ("alone",), "")
    assert kept.answers == {"alone": False, "location": "Rimouski", "phone": "418 555-0142"}
    assert kept.asked[2] == AskedItem("location", "location", True)


def test_a_person_who_meets_every_required_item_comes_in_without_a_reason() -> None:
    room = _room(zoe=ALL_MET | {"emergency_contact": "Marc, 418 555-0100"})
    out = _carry(room, room.admit(ZOE, "a reason nobody needs"))
    kept = _kept(out)
    assert (kept.member, kept.guest_name, kept.override_reason) == (None, "Zoé", None)
    assert AdmissionEntry("lobby.admitted_anyway", ZOE, None, ()) not in [
        o.entry for o in out if isinstance(o, Journal)
    ]
    # Seated, her answers stay at hand for the facilitator (a crisis, a dropped call)
    room.receive(MemberJoined(member=MemberInfo(ZOE, "Zoé", "participant")))
    assert room.seats.members[ZOE].answers["emergency_contact"] == "Marc, 418 555-0100"


def test_admit_all_admits_only_those_who_meet_the_required_items() -> None:
    room = _room(ana=ALL_MET, ben={"alone": True}, zoe=ALL_MET)
    out = _carry(room, room.admit_all())
    assert [o.message for o in out if isinstance(o, Send)] == [Admit(ANA), Admit(ZOE)]
    assert [(p.seat, room.lobby.unmet(p)) for p in room.lobby.held()] == [
        (BEN, ("location", "phone"))
    ]


def test_the_identity_mark_is_journalled_and_kept_waiting_or_seated() -> None:
    room = _room(ana=ALL_MET)
    assert room.verify_identity(ANA) == [
        LobbyChanged(),
        Journal(AdmissionEntry("member.identity_verified", ANA, 1)),
    ]
    assert room.verify_identity(ANA) == []  # already
    kept = _kept(_carry(room, room.admit(ANA)))
    assert kept.identity_verified
    room.receive(MemberJoined(member=MemberInfo(ANA, "Ana", "participant")))
    assert room.seats.members[ANA].identity_verified
    assert room.verify_identity(ANA, verified=False) == [
        MemberChanged(ANA),
        Journal(AdmissionEntry("member.identity_unverified", ANA, 1)),
        IdentityMarked(ANA, False),
    ]
    # another match drops the mark: it was about who they were taken to be
    room = _room(ben=ALL_MET)
    room.verify_identity(BEN)
    assert room.set_match(BEN, 1) == [LobbyChanged(), LoadPrevious(BEN, 1)]
    assert not room.lobby.waiting[0].identity_verified


def test_earlier_answers_are_offered_again_but_never_a_tick_or_a_location() -> None:
    room = _room(ana={"alone": True})
    earlier = {
        "alone": True,
        "location": "Gaspé",
        "phone": "418 555-0199",
        "emergency_contact": "Marc",
    }
    assert room.know_previous(ANA, Previous(2, earlier, LAST_WEEK)) == []  # not her match
    assert room.know_previous(ANA, Previous(1, earlier, LAST_WEEK)) == [LobbyChanged()]
    person = room.lobby.waiting[0]
    assert room.lobby.offered_again(person) == {
        "phone": "418 555-0199",
        "emergency_contact": "Marc",
    }
    out = room.use_previous(ANA)
    assert out == [
        LobbyChanged(),
        Journal(
            AdmissionEntry("lobby.previous_answers_used", ANA, 1, ("phone", "emergency_contact"))
        ),
    ]
    assert room.lobby.unmet(person) == ("location",)  # asked again each session
    assert room.lobby.offered_again(person) == {}  # taken: nothing more to offer
    assert room.use_previous(ANA) == []  # and nothing journalled twice
    kept = _kept(_carry(room, room.admit(ANA, "She is at her sister's; will say where by chat")))
    assert kept.from_previous == ("phone", "emergency_contact")
    assert kept.answers["phone"] == "418 555-0199"


def test_an_answer_given_today_wins_over_the_earlier_one() -> None:
    room = _room(ana=ALL_MET)
    room.know_previous(ANA, Previous(1, {"phone": "418 555-0199"}, LAST_WEEK))
    assert room.use_previous(ANA) == []
    assert room.lobby.waiting[0].answers["phone"] == "418 555-0142"


@pytest.mark.parametrize(
    ("who", "version", "given"),
    [("ana", "v2", True), ("ana", "v1", False), ("zoe", "v2", False)],
)
def test_a_consent_given_on_the_page_is_recorded_for_a_group_member(
    who: str, version: str, given: bool
) -> None:
    room = _room(**{who: ALL_MET | {CONSENT_ANSWER: version}})
    seat = {"ana": ANA, "zoe": ZOE}[who]
    out = _carry(room, room.admit(seat))
    consents = [o for o in out if isinstance(o, ConsentGiven)]
    assert consents == ([ConsentGiven(1, "v2", WHEN)] if given else [])
    assert CONSENT_ANSWER not in _kept(out).answers  # the consent is kept as a consent


def test_a_participant_room_admits_nobody_and_keeps_no_answers() -> None:
    room = Room(clock=FakeClock(), wall=lambda: WHEN)
    room.start("participant")
    assert room.admit(ANA, "reason") == []
    assert room.admit_all() == []
    assert room.verify_identity(ANA) == []


def test_the_lead_keeps_the_answers_of_someone_a_co_facilitator_admitted() -> None:
    room = _room(ana=ALL_MET | {"alone": False})
    # the co-facilitator's app admitted her (with its own reason): the lead sees her seated
    out = room.receive(MemberJoined(member=MemberInfo(ANA, "Ana", "participant")))
    kept = _kept(out)
    assert (kept.member, kept.unmet, kept.override_reason) == (1, ("alone",), None)
    assert room.seats.members[ANA].log_member_id == 1  # seated as who she was matched to
    assert room.seats.members[ANA].answers["location"] == "Rimouski"
