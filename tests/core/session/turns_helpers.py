"""Helpers for the turn manager tests: a fake clock and a room of five."""

from __future__ import annotations

from groupdesk.core.session.turn_events import Join
from groupdesk.core.session.turns import TurnManager, TurnSettings


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


FACILITATOR, CO = "fac", "cofac"
ANA, BEN, CLO = "ana", "ben", "clo"


def make_room(clock: FakeClock, settings: TurnSettings | None = None) -> TurnManager:
    """A room where the facilitators and Ana, Ben, Clo (in that order) have joined."""
    turns = TurnManager(settings or TurnSettings(turn_seconds=120.0), clock=clock)
    turns.handle(Join(FACILITATOR, "facilitator"))
    turns.handle(Join(CO, "facilitator"))
    for member in (ANA, BEN, CLO):
        turns.handle(Join(member, "participant"))
    return turns
