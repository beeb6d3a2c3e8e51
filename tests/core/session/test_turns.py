"""The turn manager's hands, floor, timer and mute requests, with a fake clock."""

from __future__ import annotations

from typing import get_args

import pytest
from turns_helpers import ANA, BEN, CLO, CO, FACILITATOR, FakeClock, make_room

from groupdesk.core.session.turn_events import (
    EndTurn,
    ExtendTurn,
    FloorEnded,
    FloorGiven,
    GiveFloor,
    HandLowered,
    HandRaised,
    Join,
    Leave,
    LowerHand,
    MuteAll,
    MuteAllButSpeaker,
    MuteChanged,
    MuteRequest,
    PassInRound,
    QueueOrderChanged,
    RaiseHand,
    Refused,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    StopRound,
    TimerWarning,
    TimeUp,
    TurnExtended,
    TurnInput,
    TurnLimitChanged,
    TurnOutput,
    VoiceActivity,
)
from groupdesk.core.session.turn_views import MemberTotals
from groupdesk.core.session.turns import TurnManager, TurnSettings

# ------------------------------------------------------------------ hands


def test_the_queue_keeps_the_order_hands_were_raised(room: TurnManager, clock: FakeClock) -> None:
    assert room.handle(RaiseHand(CLO)) == [HandRaised(CLO, 1)]
    clock.advance(1)
    assert room.handle(RaiseHand(ANA)) == [HandRaised(ANA, 2)]
    clock.advance(1)
    room.handle(RaiseHand(BEN))
    assert room.queue() == (CLO, ANA, BEN)
    assert [room.participant_view(m).place for m in (ANA, BEN, CLO)] == [2, 3, 1]
    assert room.participant_view(FACILITATOR).place is None


def test_ties_go_by_server_time_then_member_id(room: TurnManager) -> None:
    """Machines that receive the same hands in another order agree on the queue."""
    room.handle(RaiseHand(CLO, at=5.0))
    room.handle(RaiseHand(BEN, at=5.0))
    room.handle(RaiseHand(ANA, at=4.0))
    assert room.queue() == (ANA, BEN, CLO)
    other = make_room(FakeClock())
    for hand in (RaiseHand(ANA, at=4.0), RaiseHand(BEN, at=5.0), RaiseHand(CLO, at=5.0)):
        other.handle(hand)
    assert other.queue() == room.queue()


def test_raising_twice_keeps_the_first_place(room: TurnManager, clock: FakeClock) -> None:
    room.handle(RaiseHand(ANA))
    clock.advance(1)
    room.handle(RaiseHand(BEN))
    clock.advance(1)
    assert room.handle(RaiseHand(ANA)) == []
    assert room.queue() == (ANA, BEN)


def test_a_member_lowers_their_own_hand_and_a_facilitator_anyones(
    room: TurnManager, clock: FakeClock
) -> None:
    for member in (ANA, BEN, CLO):
        room.handle(RaiseHand(member))
        clock.advance(1)
    assert room.handle(LowerHand(ANA, ANA)) == [HandLowered(ANA, ANA, "self")]
    assert room.handle(LowerHand(CO, BEN)) == [HandLowered(BEN, CO, "facilitator")]
    assert room.handle(LowerHand(ANA, ANA)) == []  # already down: nothing happens
    assert room.queue() == (CLO,)
    assert room.participant_view(CLO).place == 1


def test_quieter_members_first_orders_by_talk_time_then_hand(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(VoiceActivity(ANA, True, clock.now))
    clock.advance(30)
    room.handle(VoiceActivity(ANA, False, clock.now))
    room.handle(VoiceActivity(BEN, True, clock.now))
    clock.advance(10)
    room.handle(VoiceActivity(BEN, False, clock.now))
    for member in (ANA, BEN, CLO, FACILITATOR):
        room.handle(RaiseHand(member))
        clock.advance(1)
    assert room.queue() == (ANA, BEN, CLO, FACILITATOR)
    assert room.handle(SetQueueOrder(FACILITATOR, "quieter_first")) == [
        QueueOrderChanged(FACILITATOR, "quieter_first")
    ]
    # Clo and the facilitator have not spoken: ties go by the order raised.
    assert room.queue() == (CLO, FACILITATOR, BEN, ANA)
    assert room.participant_view(ANA).place == 4
    room.handle(SetQueueOrder(CO, "raised"))
    assert room.queue() == (ANA, BEN, CLO, FACILITATOR)


# ------------------------------------------------------------------ floor


def test_next_speaker_takes_the_head_of_the_queue_and_lowers_the_hand(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(RaiseHand(BEN))
    clock.advance(1)
    room.handle(RaiseHand(ANA))
    assert room.handle(GiveFloor(FACILITATOR)) == [
        FloorGiven(BEN, FACILITATOR, 120.0),
        HandLowered(BEN, FACILITATOR, "floor"),
    ]
    assert room.speaker == BEN
    assert room.queue() == (ANA,)
    assert room.participant_view(ANA).speaker == BEN
    assert room.participant_view(ANA).place == 1


def test_the_floor_to_anyone_replaces_the_speaker(room: TurnManager, clock: FakeClock) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(42)
    assert room.handle(GiveFloor(CO, CLO)) == [
        FloorEnded(ANA, CO, 42.0, "replaced"),
        FloorGiven(CLO, CO, 120.0),
    ]
    assert room.speaker == CLO
    assert room.handle(GiveFloor(CO, CLO)) == []  # already theirs


def test_the_hand_can_stay_up_when_given_the_floor(clock: FakeClock) -> None:
    room = make_room(clock, TurnSettings(lower_hand_on_floor=False))
    room.handle(RaiseHand(ANA))
    assert room.handle(GiveFloor(FACILITATOR)) == [FloorGiven(ANA, FACILITATOR, 180.0)]
    assert room.queue() == (ANA,)
    # Ana's own hand is not "next": nobody else is in line.
    assert room.handle(GiveFloor(FACILITATOR)) == [Refused(GiveFloor(FACILITATOR), "queue_empty")]
    clock.advance(4)
    room.handle(RaiseHand(BEN))
    assert room.handle(GiveFloor(FACILITATOR)) == [
        FloorEnded(ANA, FACILITATOR, 4.0, "replaced"),
        FloorGiven(BEN, FACILITATOR, 180.0),
    ]


def test_ending_the_turn_opens_the_floor_with_its_duration(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(75)
    assert room.handle(EndTurn(FACILITATOR)) == [FloorEnded(ANA, FACILITATOR, 75.0, "ended")]
    assert room.speaker is None
    assert room.participant_view(BEN).timer is None
    room.handle(GiveFloor(FACILITATOR, BEN))
    room.handle(VoiceActivity(BEN, True, clock.now))
    clock.advance(5)
    assert room.handle(EndTurn(BEN)) == [FloorEnded(BEN, BEN, 5.0, "ended")]  # the speaker's own
    room.handle(Leave(BEN))
    assert room.turn_counts() == {ANA: 1, BEN: 1}
    assert room.totals() == (  # what the session keeps at its end, those who left included
        MemberTotals(ANA, 0.0, 1),
        MemberTotals(BEN, 5.0, 1),
        MemberTotals(CLO, 0.0, 0),
        MemberTotals(CO, 0.0, 0),
        MemberTotals(FACILITATOR, 0.0, 0),
    )


def test_the_speaker_leaving_ends_the_turn(room: TurnManager, clock: FakeClock) -> None:
    room.handle(RaiseHand(BEN))
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(3)
    assert room.handle(Leave(ANA)) == [FloorEnded(ANA, None, 3.0, "left")]
    assert room.handle(Leave(BEN)) == [HandLowered(BEN, None, "left")]
    assert room.speaker is None
    assert room.queue() == ()
    assert room.handle(Leave(BEN)) == []


# ------------------------------------------------------------------ timer


def test_the_timer_warns_once_then_says_time_is_up_and_cuts_nothing(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    # 30 s before the end, but never more than a fifth of the 120 s turn: at 96 s.
    assert room.next_deadline() == clock.now + 96.0
    clock.advance(95)
    assert room.tick() == []
    view = room.participant_view(BEN).timer
    assert view is not None
    assert (view.elapsed, view.remaining, view.warning, view.over) == (95.0, 25.0, False, False)
    clock.advance(1)
    assert room.tick() == [TimerWarning(ANA, 24.0)]
    assert room.tick() == []
    clock.advance(10)
    assert room.handle(RaiseHand(BEN)) == [HandRaised(BEN, 1)]  # no second warning
    clock.advance(14)
    assert room.tick() == [TimeUp(ANA)]
    clock.advance(15)
    assert room.tick() == []
    assert room.next_deadline() is None
    assert room.speaker == ANA
    view = room.facilitator_view().timer
    assert view is not None
    assert (view.remaining, view.warning, view.over) == (-15.0, True, True)


def test_a_long_turn_is_warned_thirty_seconds_before_its_end(clock: FakeClock) -> None:
    room = make_room(clock, TurnSettings(turn_seconds=600.0, warn_before_seconds=30.0))
    room.handle(GiveFloor(FACILITATOR, ANA))
    assert room.next_deadline() == clock.now + 570.0


def test_a_late_tick_says_time_is_up_without_a_stale_warning(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(500)
    assert room.tick() == [TimeUp(ANA)]


def test_extending_the_turn_arms_the_warning_again(room: TurnManager, clock: FakeClock) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(100)
    assert room.tick() == [TimerWarning(ANA, 20.0)]
    assert room.handle(ExtendTurn(CO)) == [TurnExtended(ANA, CO, 60.0, 180.0)]
    assert room.next_deadline() == clock.now - 100 + 150.0
    clock.advance(50)
    assert room.tick() == [TimerWarning(ANA, 30.0)]
    assert room.handle(ExtendTurn(FACILITATOR, 15)) == [TurnExtended(ANA, FACILITATOR, 15.0, 195.0)]
    assert room.tick() == []  # 45 s left: the warning is not due again
    view = room.facilitator_view().timer
    assert view is not None
    assert (view.limit, view.extended, view.remaining) == (195.0, 75.0, 45.0)


def test_the_turn_limit_changes_for_the_session_and_the_current_turn(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(GiveFloor(FACILITATOR, ANA))
    clock.advance(50)
    assert room.handle(SetTurnLimit(FACILITATOR, 60.0)) == [
        TurnLimitChanged(FACILITATOR, 60.0),
        TimerWarning(ANA, 10.0),
    ]
    assert room.handle(GiveFloor(FACILITATOR, BEN)) == [
        FloorEnded(ANA, FACILITATOR, 50.0, "replaced"),
        FloorGiven(BEN, FACILITATOR, 60.0),
    ]
    room.handle(SetTurnLimit(FACILITATOR, None))
    assert room.next_deadline() is None
    clock.advance(1000)
    assert room.tick() == []
    assert room.handle(ExtendTurn(FACILITATOR)) == [Refused(ExtendTurn(FACILITATOR), "no_limit")]


def test_bad_limits_are_refused_at_the_edge() -> None:
    with pytest.raises(ValueError, match="positive"):
        SetTurnLimit(FACILITATOR, 0)
    with pytest.raises(ValueError, match="positive"):
        ExtendTurn(FACILITATOR, float("nan"))
    with pytest.raises(ValueError, match="positive"):
        TurnSettings(turn_seconds=-1)


# ------------------------------------------------------------------ mute


def test_mute_all_names_everyone_else_not_already_muted(
    room: TurnManager, clock: FakeClock
) -> None:
    room.handle(MuteChanged(BEN, True, clock.now))
    assert room.handle(MuteAll(FACILITATOR)) == [
        MuteRequest(FACILITATOR, (CO, ANA, CLO), all_but_speaker=False)
    ]


def test_mute_all_but_the_speaker_spares_the_speaker(room: TurnManager) -> None:
    assert room.handle(MuteAllButSpeaker(CO)) == [Refused(MuteAllButSpeaker(CO), "no_speaker")]
    room.handle(GiveFloor(FACILITATOR, CLO))
    assert room.handle(MuteAllButSpeaker(CO)) == [
        MuteRequest(CO, (FACILITATOR, ANA, BEN), all_but_speaker=True)
    ]


# ------------------------------------------------------------------ roles


@pytest.mark.parametrize(
    "command",
    [
        GiveFloor(ANA, ANA),
        GiveFloor(ANA),
        LowerHand(ANA, BEN),
        EndTurn(ANA),  # Ben has the floor, not Ana
        ExtendTurn(ANA),
        SetTurnLimit(ANA, 600),
        SetQueueOrder(ANA, "quieter_first"),
        MuteAll(ANA),
        MuteAllButSpeaker(ANA),
    ],
)
def test_a_participant_cannot_lead(room: TurnManager, command: object) -> None:
    room.handle(RaiseHand(BEN))
    room.handle(RaiseHand(CLO))
    room.handle(GiveFloor(FACILITATOR, BEN))
    before = room.facilitator_view()
    assert room.handle(command) == [Refused(command, "not_facilitator")]  # type: ignore[arg-type]
    assert room.facilitator_view() == before


def test_someone_not_in_the_room_is_refused(room: TurnManager) -> None:
    assert room.handle(RaiseHand("ghost")) == [Refused(RaiseHand("ghost"), "not_present")]
    assert room.handle(GiveFloor(FACILITATOR, "ghost")) == [
        Refused(GiveFloor(FACILITATOR, "ghost"), "unknown_member")
    ]
    assert room.handle(GiveFloor(FACILITATOR)) == [Refused(GiveFloor(FACILITATOR), "queue_empty")]
    assert room.handle(EndTurn(FACILITATOR)) == [Refused(EndTurn(FACILITATOR), "no_speaker")]
    room.handle(Leave(CO))
    assert room.handle(MuteAll(CO)) == [Refused(MuteAll(CO), "not_present")]


def test_a_promoted_member_leads_and_keeps_their_place(room: TurnManager) -> None:
    room.handle(Join(ANA, "facilitator"))
    assert room.members == (FACILITATOR, CO, ANA, BEN, CLO)
    assert room.handle(GiveFloor(ANA, BEN)) == [FloorGiven(BEN, ANA, 120.0)]


# ------------------------------------------------------------------ views


def test_participants_never_see_talk_time(room: TurnManager, clock: FakeClock) -> None:
    room.handle(VoiceActivity(ANA, True, clock.now))
    clock.advance(10)
    view = room.participant_view(BEN)
    assert not any("talk" in name or "spoken" in name for name in vars(view))
    assert view.member == BEN
    assert [t.seconds for t in room.facilitator_view().talk if t.member == ANA] == [10.0]


def test_every_input_is_handled_for_every_role(room: TurnManager, clock: FakeClock) -> None:
    """Each kind of input, from a facilitator and from a participant, gives typed outputs."""
    kinds = {cls.__name__ for cls in get_args(TurnInput)}
    samples: list[TurnInput] = [
        Join("dan", "participant"),
        Leave("dan"),
        VoiceActivity(ANA, True, clock.now),
        MuteChanged(ANA, False, clock.now),
    ]
    for by in (FACILITATOR, ANA):
        samples += [
            RaiseHand(by),
            LowerHand(by, BEN),
            GiveFloor(by, ANA),
            ExtendTurn(by),
            SetTurnLimit(by, 90),
            SetQueueOrder(by, "raised"),
            MuteAll(by),
            MuteAllButSpeaker(by),
            EndTurn(by),
            StartRound(by),
            PassInRound(by),
            SkipInRound(by),
            StopRound(by),
        ]
    assert {type(sample).__name__ for sample in samples} == kinds
    outputs = set(get_args(TurnOutput))
    for sample in samples:
        assert all(type(out) in outputs for out in room.handle(sample))
