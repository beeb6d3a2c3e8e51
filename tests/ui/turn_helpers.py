"""Helpers for the turn widgets' tests: a fake clock and a real turn manager with five."""

from __future__ import annotations

from groupdesk.core.session.turn_events import Command, Join, Refused, TurnOutput
from groupdesk.core.session.turns import TurnManager, TurnSettings


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# Seat ids as the server makes them (they go on the wire in the strip's tests).
FAC, CO = "fac000000001", "c0fac0000002"
ANA, BEN, CLO = "a0a000000003", "be0000000004", "c10000000005"
NAMES = {FAC: "Julie", CO: "Marc", ANA: "Ana", BEN: "Ben", CLO: "Chloé"}


def make_room(clock: FakeClock) -> TurnManager:
    """Julie and Marc facilitate; Ana, Ben and Chloé joined in that order. Turns of 2:00."""
    turns = TurnManager(TurnSettings(turn_seconds=120.0), clock=clock)
    turns.handle(Join(FAC, "facilitator"))
    turns.handle(Join(CO, "facilitator"))
    for member in (ANA, BEN, CLO):
        turns.handle(Join(member, "participant"))
    return turns


def carry_out(room: TurnManager, commands: list[object]) -> list[TurnOutput]:
    """Hand what a widget emitted to the manager, as the adapter does; none is refused."""
    out: list[TurnOutput] = []
    for command in commands:
        assert isinstance(command, Command)
        out += room.handle(command)
    assert not [o for o in out if isinstance(o, Refused)], out
    commands.clear()
    return out
