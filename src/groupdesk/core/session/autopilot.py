"""The rehearsal's facilitator on autopilot: the floor in queue order, then one round.

``groupdesk demo --duration`` plays a facilitator so that the journal of a rehearsal
holds what a real session would: hands, floors, turns, a round and talk times.
:class:`Autopilot` only decides (pure, like the manager): shown the facilitator's view
at a time, it returns the next command, or None to wait.

- A speaker keeps the floor for ``slot`` seconds, then the turn ends.
- With nobody speaking and a hand up, the next in line is given the floor.
- At ``round_at`` (once the floor is free) one round starts, in the members' current
  order; each member of it gets ``slot`` seconds unless they pass first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from groupdesk.core.session.turn_events import Command, EndTurn, GiveFloor, StartRound
from groupdesk.core.session.turn_views import FacilitatorView


@dataclass
class Autopilot:
    """Decides the rehearsal facilitator's next move (see the module docstring)."""

    me: str
    slot: float
    round_at: float
    _round_started: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if not self.slot > 0:
            raise ValueError("a speaking slot must be positive seconds")

    def next_command(self, view: FacilitatorView, now: float) -> Command | None:
        """What to do at ``now`` (the clock of ``round_at``), given ``view``."""
        if view.timer is not None and view.timer.elapsed >= self.slot:
            return EndTurn(self.me)  # in a round, the member spoke: the round moves on
        if view.speaker is not None or view.round is not None:
            return None
        if not self._round_started and now >= self.round_at:
            self._round_started = True
            return StartRound(self.me, "current")
        if view.queue:
            return GiveFloor(self.me)
        return None
