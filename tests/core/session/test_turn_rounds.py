"""Round mode (« tour de table »): orders, speaking, passing, skipping, leaving, stopping."""

from __future__ import annotations

import pytest
from turns_helpers import ANA, BEN, CLO, CO, FACILITATOR, FakeClock, make_room

from groupdesk.core.session.rounds import RoundState
from groupdesk.core.session.turn_events import (
    EndTurn,
    FloorEnded,
    FloorGiven,
    GiveFloor,
    HandLowered,
    Join,
    Leave,
    PassInRound,
    RaiseHand,
    Refused,
    RoundFinished,
    RoundPassed,
    RoundSkipped,
    RoundStarted,
    SkipInRound,
    StartRound,
    StopRound,
    VoiceActivity,
)
from groupdesk.core.session.turn_views import RoundProgress
from groupdesk.core.session.turns import TurnManager, TurnSettings


def test_a_round_in_the_current_order_walks_every_participant(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(RaiseHand(BEN))
    assert room.handle(StartRound(FACILITATOR)) == [
        RoundStarted(FACILITATOR, "current", (ANA, BEN, CLO)),
        FloorGiven(ANA, FACILITATOR, 120.0),
    ]
    assert room.participant_view(CLO).round == RoundProgress("current", 0, 3, ANA, BEN)
    assert room.participant_view(ANA).my_turn_in_round
    clock.advance(40)
    assert room.handle(EndTurn(ANA)) == [
        FloorEnded(ANA, ANA, 40.0, "round"),
        FloorGiven(BEN, FACILITATOR, 120.0),
        HandLowered(BEN, FACILITATOR, "floor"),
    ]
    clock.advance(5)
    assert room.handle(PassInRound(BEN)) == [
        FloorEnded(BEN, BEN, 5.0, "round"),
        RoundPassed(BEN),
        FloorGiven(CLO, FACILITATOR, 120.0),
    ]
    # A pass is discreet: participants see progress, facilitators see who passed.
    assert room.participant_view(ANA).round == RoundProgress("current", 2, 3, CLO, None)
    detail = room.facilitator_view().round
    assert detail is not None
    assert detail.outcomes == ((ANA, "spoke"), (BEN, "passed"))
    assert room.handle(SkipInRound(CO)) == [
        FloorEnded(CLO, CO, 0.0, "round"),
        RoundSkipped(CLO, CO),
        RoundFinished(None, completed=True, spoke=1, passed=1, skipped=1),
    ]
    assert room.speaker is None
    assert room.participant_view(ANA).round is None


def test_a_random_round_is_drawn_from_the_seed(clock: FakeClock) -> None:
    orders = set()
    for seed in range(6):
        room = make_room(clock, TurnSettings(seed=seed))
        started = room.handle(StartRound(FACILITATOR, "random"))[0]
        assert isinstance(started, RoundStarted)
        assert sorted(started.members) == [ANA, BEN, CLO]
        again = make_room(clock, TurnSettings(seed=seed)).handle(StartRound(CO, "random"))[0]
        assert isinstance(again, RoundStarted)
        assert again.members == started.members  # the same seed draws the same order
        orders.add(started.members)
    assert len(orders) > 1


def test_a_quieter_first_round_starts_with_who_spoke_least(
    room: TurnManager, clock: FakeClock
) -> None:
    for member, seconds in ((ANA, 50), (CLO, 20)):
        room.handle(VoiceActivity(member, True, clock.now))
        clock.advance(seconds)
        room.handle(VoiceActivity(member, False, clock.now))
    started = room.handle(StartRound(FACILITATOR, "quieter_first"))[0]
    assert started == RoundStarted(FACILITATOR, "quieter_first", (BEN, CLO, ANA))


def test_a_round_among_chosen_members_keeps_their_order(room: TurnManager) -> None:
    started = room.handle(StartRound(FACILITATOR, "current", among=(CLO, FACILITATOR, ANA)))
    assert started[0] == RoundStarted(FACILITATOR, "current", (CLO, FACILITATOR, ANA))


def test_members_who_leave_are_removed_and_newcomers_are_not_added(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(StartRound(FACILITATOR))
    room.handle(Leave(BEN))  # before their turn: the round shrinks
    room.handle(Join("dan", "participant"))  # joins a running round: not added
    assert room.participant_view(CLO).round == RoundProgress("current", 0, 2, ANA, CLO)
    clock.advance(2)
    assert room.handle(Leave(ANA)) == [  # the current member leaves: on to the next
        FloorEnded(ANA, None, 2.0, "left"),
        FloorGiven(CLO, FACILITATOR, 120.0),
    ]
    assert room.handle(Leave(CLO)) == [
        FloorEnded(CLO, None, 0.0, "left"),
        RoundFinished(None, completed=True, spoke=0, passed=0, skipped=0),
    ]


def test_a_stopped_round_opens_the_floor(room: TurnManager, clock: FakeClock) -> None:
    room.handle(StartRound(FACILITATOR))
    room.handle(EndTurn(FACILITATOR))
    clock.advance(9)
    assert room.handle(StopRound(CO)) == [
        FloorEnded(BEN, CO, 9.0, "round"),
        RoundFinished(CO, completed=False, spoke=1, passed=0, skipped=0),
    ]
    assert room.speaker is None
    assert room.handle(GiveFloor(FACILITATOR, CLO))[0] == FloorGiven(CLO, FACILITATOR, 120.0)


def test_round_refusals(room: TurnManager) -> None:
    assert room.handle(StartRound(ANA)) == [Refused(StartRound(ANA), "not_facilitator")]
    assert room.handle(PassInRound(ANA)) == [Refused(PassInRound(ANA), "no_round")]
    assert room.handle(SkipInRound(CO)) == [Refused(SkipInRound(CO), "no_round")]
    unknown = StartRound(FACILITATOR, among=(ANA, "ghost"))
    assert room.handle(unknown) == [Refused(unknown, "unknown_member")]
    assert room.handle(StartRound(FACILITATOR, among=())) == [
        Refused(StartRound(FACILITATOR, among=()), "nobody_in_round")
    ]
    room.handle(StartRound(FACILITATOR))
    assert room.handle(PassInRound(BEN)) == [Refused(PassInRound(BEN), "not_your_turn")]
    assert room.handle(SkipInRound(ANA)) == [Refused(SkipInRound(ANA), "not_facilitator")]
    assert room.handle(StopRound(BEN)) == [Refused(StopRound(BEN), "not_facilitator")]
    assert room.handle(EndTurn(BEN)) == [Refused(EndTurn(BEN), "not_facilitator")]
    assert room.handle(GiveFloor(CO, CLO)) == [Refused(GiveFloor(CO, CLO), "round_running")]
    assert room.handle(StartRound(CO)) == [Refused(StartRound(CO), "round_running")]


def test_a_round_state_is_a_plain_value() -> None:
    state = RoundState("current", (ANA, BEN))
    assert state.advanced("passed").advanced("spoke") == RoundState(
        "current", (), ((ANA, "passed"), (BEN, "spoke"))
    )
    assert state.without(BEN).total == 1
    with pytest.raises(ValueError, match="twice"):
        RoundState("current", (ANA, ANA))
    with pytest.raises(ValueError, match="over"):
        RoundState("current", ()).advanced("spoke")
    with pytest.raises(ValueError, match="unknown round order"):
        StartRound(FACILITATOR, "alphabetical")  # type: ignore[arg-type]
