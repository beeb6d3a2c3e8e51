"""The rehearsal's autopilot: the floor in queue order, then one round, on a real manager."""

from __future__ import annotations

import pytest
from turns_helpers import ANA, BEN, CLO, FACILITATOR, FakeClock

from groupdesk.core.session.autopilot import Autopilot
from groupdesk.core.session.turn_events import (
    EndTurn,
    FloorGiven,
    GiveFloor,
    PassInRound,
    RaiseHand,
    RoundFinished,
    StartRound,
    TurnOutput,
)
from groupdesk.core.session.turns import TurnManager


def drive(room: TurnManager, pilot: Autopilot, clock: FakeClock, seconds: float) -> list[object]:
    """Let the autopilot act every half second for ``seconds``; what the manager said."""
    said: list[TurnOutput] = []
    for _ in range(int(seconds * 2)):
        command = pilot.next_command(room.facilitator_view(), clock.now)
        if command is not None:
            said += room.handle(command)
        clock.advance(0.5)
    return list(said)


def test_hands_get_the_floor_in_order_for_a_slot_each(room: TurnManager, clock: FakeClock) -> None:
    pilot = Autopilot(FACILITATOR, slot=3.0, round_at=clock.now + 1000)
    assert pilot.next_command(room.facilitator_view(), clock.now) is None  # nobody in line
    room.handle(RaiseHand(BEN))
    clock.advance(0.1)
    room.handle(RaiseHand(ANA))
    said = drive(room, pilot, clock, 10)
    floors = [o.member for o in said if isinstance(o, FloorGiven)]
    assert floors == [BEN, ANA]
    assert room.speaker is None
    assert room.turn_counts() == {BEN: 1, ANA: 1}


def test_one_round_starts_when_the_floor_is_free_and_walks_everyone(
    room: TurnManager, clock: FakeClock
) -> None:
    pilot = Autopilot(FACILITATOR, slot=2.0, round_at=clock.now + 1)
    room.handle(RaiseHand(CLO))
    assert pilot.next_command(room.facilitator_view(), clock.now) == GiveFloor(FACILITATOR)
    room.handle(GiveFloor(FACILITATOR))
    clock.advance(1.5)  # the round is due, but Clo has the floor: the slot ends first
    assert pilot.next_command(room.facilitator_view(), clock.now) is None
    clock.advance(0.5)
    assert pilot.next_command(room.facilitator_view(), clock.now) == EndTurn(FACILITATOR)
    room.handle(EndTurn(FACILITATOR))
    assert pilot.next_command(room.facilitator_view(), clock.now) == StartRound(FACILITATOR)
    room.handle(StartRound(FACILITATOR))
    room.handle(PassInRound(ANA))  # Ana passes at once; Ben and Clo speak a slot each
    said = drive(room, pilot, clock, 8)
    [finished] = [o for o in said if isinstance(o, RoundFinished)]
    assert (finished.completed, finished.spoke, finished.passed) == (True, 2, 1)
    assert drive(room, pilot, clock, 5) == []  # one round only


def test_a_slot_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Autopilot(FACILITATOR, slot=0, round_at=0)
