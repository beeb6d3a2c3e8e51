"""The turn state on the wire: each member's view crosses it whole, and no talk time does."""

from __future__ import annotations

import json

import pytest
from turns_helpers import FakeClock

from groupdesk.core.protocol import (
    ProtocolError,
    ServerApp,
    TurnRound,
    TurnState,
    TurnTimer,
    encode,
    parse_server_message,
)
from groupdesk.core.session.turn_events import (
    EndTurn,
    GiveFloor,
    Join,
    MuteChanged,
    PassInRound,
    RaiseHand,
    StartRound,
    VoiceActivity,
)
from groupdesk.core.session.turn_views import ParticipantView
from groupdesk.core.session.turn_wire import SeenTimer, SeenTurns, from_wire, to_wire
from groupdesk.core.session.turns import TurnManager, TurnSettings

FAC, ANA, BEN, CLO = "f00000000001", "a00000000001", "b00000000001", "c00000000001"
PARTICIPANTS = (ANA, BEN, CLO)
RECEIVED_AT = 50_000.0  # a receiver's monotonic clock has nothing to do with the sender's


def _room(clock: FakeClock) -> TurnManager:
    turns = TurnManager(
        TurnSettings(turn_seconds=120.0, warn_before_seconds=30.0, spoken_after_seconds=1.0),
        clock=clock,
    )
    turns.handle(Join(FAC, "facilitator"))
    for member in PARTICIPANTS:
        turns.handle(Join(member, "participant"))
    return turns


def _relayed(state: TurnState) -> TurnState:
    """The state as a member's app gets it: encoded, relayed by the server, parsed."""
    message = parse_server_message(encode(ServerApp(sender=FAC, event=state)))
    assert isinstance(message, ServerApp)
    assert isinstance(message.event, TurnState)
    return message.event


def _seen_as_sent(view: ParticipantView) -> SeenTurns:
    """What the receiver should show the moment the state arrives: the manager's view."""
    timer = view.timer
    return SeenTurns(
        member=view.member,
        hand_raised=view.hand_raised,
        place=view.place,
        queue=view.queue,
        speaker=view.speaker,
        timer=None
        if timer is None
        else SeenTimer(timer.elapsed, timer.limit, timer.remaining, timer.warning, timer.over),
        round=view.round,
        my_turn_in_round=view.my_turn_in_round,
    )


def _check_everyone_sees_their_view(turns: TurnManager) -> TurnState:
    """One broadcast serves every member: each one's view is rebuilt from it exactly."""
    sent = {to_wire(turns.participant_view(m)) for m in (FAC, *PARTICIPANTS)}
    assert len(sent) == 1  # the same message for the whole room
    state = _relayed(sent.pop())
    received = from_wire(state, RECEIVED_AT)
    for member in PARTICIPANTS:
        assert received.view_for(member, RECEIVED_AT) == _seen_as_sent(
            turns.participant_view(member)
        )
    return state


def test_a_session_seen_through_the_wire_by_each_participant() -> None:
    clock = FakeClock(1000.0)
    turns = _room(clock)
    turns.handle(RaiseHand(ANA, at=1.0))
    turns.handle(RaiseHand(CLO, at=2.0))
    turns.handle(RaiseHand(BEN, at=3.0))
    state = _check_everyone_sees_their_view(turns)
    assert state == TurnState(queue=(ANA, CLO, BEN))
    assert from_wire(state, RECEIVED_AT).place_of(BEN) == 3

    turns.handle(GiveFloor(FAC))  # to the next in line: Ana
    turns.handle(VoiceActivity(ANA, speaking=True, at=clock.now))
    clock.advance(100.0)  # the warning comes 30 s before the 120 s limit
    state = _check_everyone_sees_their_view(turns)
    assert state == TurnState(
        queue=(CLO, BEN),
        floor=ANA,
        timer=TurnTimer(elapsed=100.0, limit=120.0, remaining=20.0, warning=True, over=False),
    )

    turns.handle(VoiceActivity(ANA, speaking=False, at=clock.now))
    turns.handle(EndTurn(ANA))
    turns.handle(StartRound(FAC, order="current", among=PARTICIPANTS))
    state = _check_everyone_sees_their_view(turns)
    assert state.floor == ANA
    assert state.round == TurnRound("current", 0, 3, ANA, BEN)
    turns.handle(EndTurn(ANA))  # Ana spoke
    turns.handle(PassInRound(BEN))  # Ben passes: the others see only that one more is done
    state = _check_everyone_sees_their_view(turns)
    assert state.round == TurnRound("current", 2, 3, CLO, None)
    assert from_wire(state, RECEIVED_AT).view_for(CLO, RECEIVED_AT).my_turn_in_round
    assert not from_wire(state, RECEIVED_AT).view_for(BEN, RECEIVED_AT).my_turn_in_round


def test_the_receiver_counts_the_timer_on_from_its_own_clock() -> None:
    clock = FakeClock(1000.0)
    turns = _room(clock)
    turns.handle(GiveFloor(FAC, BEN))
    clock.advance(80.0)
    received = from_wire(_relayed(to_wire(turns.participant_view(ANA))), RECEIVED_AT)
    assert received.timer_at(RECEIVED_AT) == SeenTimer(80.0, 120.0, 40.0, False, False)
    assert received.timer_at(RECEIVED_AT + 25.0) == SeenTimer(105.0, 120.0, 15.0, False, False)
    assert received.timer_at(RECEIVED_AT + 45.0) == SeenTimer(125.0, 120.0, -5.0, True, True)
    assert received.timer_at(RECEIVED_AT - 3.0) == SeenTimer(80.0, 120.0, 40.0, False, False)
    untimed = TurnManager(TurnSettings(turn_seconds=None), clock=clock)
    untimed.handle(Join(FAC, "facilitator"))
    untimed.handle(Join(ANA, "participant"))
    untimed.handle(GiveFloor(FAC, ANA))
    clock.advance(7.0)
    free = from_wire(_relayed(to_wire(untimed.participant_view(ANA))), 0.0)
    assert free.timer_at(1000.0) == SeenTimer(1007.0, None, None, False, False)


def test_talk_time_never_crosses_the_wire() -> None:
    clock = FakeClock(1000.0)
    turns = _room(clock)
    turns.handle(GiveFloor(FAC, CLO))
    turns.handle(VoiceActivity(CLO, speaking=True, at=clock.now))
    clock.advance(37.25)
    turns.handle(VoiceActivity(CLO, speaking=False, at=clock.now))
    turns.handle(MuteChanged(BEN, muted=True, at=clock.now))
    clock.advance(3.5)
    assert turns.talk_seconds(CLO) == 37.25
    frame = encode(ServerApp(sender=FAC, event=to_wire(turns.participant_view(ANA))))
    data = json.loads(frame)["data"]
    assert set(data) == {"queue", "floor", "timer"}
    assert set(data["timer"]) == {"elapsed", "limit", "remaining", "warning", "over"}
    assert "37.25" not in frame
    assert "share" not in frame
    assert "muted" not in frame
    assert data["timer"]["elapsed"] == 40.75  # the turn's time, not the talk time


def test_the_spotlight_travels_with_the_turns_and_ids_must_be_seat_ids() -> None:
    clock = FakeClock()
    turns = _room(clock)
    assert to_wire(turns.participant_view(ANA), spotlight=BEN) == TurnState(spotlight=BEN, queue=())
    older = from_wire(TurnState(spotlight=BEN), 0.0)  # an app that keeps no queue
    assert older.view_for(ANA, 0.0).place is None
    assert older.spotlight == BEN
    named = TurnManager(clock=clock)
    named.handle(Join("ana", "participant"))
    named.handle(RaiseHand("ana"))
    with pytest.raises(ProtocolError):
        to_wire(named.participant_view("ana"))
