"""The rehearsal's facilitator on autopilot in the crisis drill: the panel, step by step.

``groupdesk demo --drill crisis --duration S`` plays a facilitator who answers the
simulated participant's crisis (``groupdesk.bots.crisis_script``) the way the panel is
meant to be used, so that the rehearsal's log holds a whole incident. :class:`CrisisPilot`
only decides (pure, like :class:`~groupdesk.core.session.autopilot.Autopilot`): told who
asked for help (:meth:`CrisisPilot.noticed`) and shown their panel's
:class:`~groupdesk.core.session.crisis.CrisisView` at a time, it returns the next move,
or None to wait. The adapter carries each move out through the same calls the panel
makes (open, tick, side room, outcome, close), so nothing goes around the crisis core.

- ``pace`` seconds after the line for help, the panel opens for its sender.
- The protocol's steps are ticked one by one, ``pace`` seconds apart, in its order; after
  the first, the pilot goes to the private side room with them for ``side_room_seconds``
  (or until they drop), then back to the group.
- While their connection is down, the call-back step (``when_dropped``) is ticked at once.
- The last step, the outcome and the close wait until the member has dropped and come
  back (the drill's script does both), each wait bounded: ``drop_wait`` seconds from the
  opening, ``back_wait`` from the drop. Outcome: ``safe`` when they are connected at the
  end, ``contact_lost`` when they never came back. Then the panel closes: the incident
  is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from groupdesk.core.session.crisis import CrisisView, Outcome


@dataclass(frozen=True)
class OpenPanel:
    """Open the crisis panel of ``seat``."""

    seat: str


@dataclass(frozen=True)
class TickStep:
    """Tick ``step`` of ``seat``'s protocol done, now."""

    seat: str
    step: str


@dataclass(frozen=True)
class EnterSideRoom:
    """Go to the private side room with ``seat``."""

    seat: str


@dataclass(frozen=True)
class LeaveSideRoom:
    """Back to the group from the side room with ``seat``."""

    seat: str


@dataclass(frozen=True)
class SetOutcome:
    """Say how ``seat``'s crisis ended."""

    seat: str
    outcome: Outcome


@dataclass(frozen=True)
class ClosePanel:
    """Close ``seat``'s panel: its incident is kept."""

    seat: str


PilotMove = OpenPanel | TickStep | EnterSideRoom | LeaveSideRoom | SetOutcome | ClosePanel
"""What the crisis pilot asks its adapter to do."""

_SidePhase = Literal["before", "in", "done"]


@dataclass
class CrisisPilot:
    """Decides the drill facilitator's next move in one crisis (see the module docstring)."""

    pace: float = 1.5
    side_room_seconds: float = 5.0
    drop_wait: float = 40.0
    back_wait: float = 30.0
    seat: str | None = field(default=None, init=False)
    """The member in crisis (None: nobody asked yet)."""
    done: bool = field(default=False, init=False)
    """The panel was closed (or could not be opened): nothing more to do."""
    saw_drop: bool = field(default=False, init=False)
    saw_back: bool = field(default=False, init=False)
    _noticed_at: float = field(default=0.0, init=False)
    _opened_at: float | None = field(default=None, init=False)
    _last_move: float = field(default=0.0, init=False)
    _side: _SidePhase = field(default="before", init=False)
    _side_at: float = field(default=0.0, init=False)
    _dropped_at: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        for name in ("pace", "side_room_seconds", "drop_wait", "back_wait"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be zero or positive seconds")

    def noticed(self, seat: str, now: float) -> None:
        """The member in ``seat`` asked for help (a private line) at ``now``; a later
        call changes nothing: one crisis per drill."""
        if self.seat is None:
            self.seat, self._noticed_at = seat, now

    def next_move(self, view: CrisisView | None, now: float) -> PilotMove | None:
        """What to do at ``now``, given the panel's ``view`` (None: not open)."""
        seat = self.seat
        if seat is None or self.done:
            return None
        if self._opened_at is None:
            ready = now - self._noticed_at >= self.pace
            return self._move(OpenPanel(seat), now, opened=True) if ready else None
        if view is None or view.closed:
            self.done = True  # not opened (nobody there), or closed by a person
            return None
        self._follow(view, now)
        call_back = [s for s in view.steps if s.step.when_dropped and s.done_at is None]
        if view.dropped and call_back:
            return self._move(TickStep(seat, call_back[0].step.id), now)
        if now - self._last_move < self.pace:
            return None
        return self._side_room(view, seat, now) or self._steps(view, seat, now)

    # -- inside -------------------------------------------------------------------

    def _side_room(self, view: CrisisView, seat: str, now: float) -> PilotMove | None:
        """To the side room after the first step, back after a while (or a drop)."""
        regular = [s for s in view.steps if not s.step.when_dropped]
        ticked = any(s.done_at is not None for s in regular)
        if self._side == "before" and (ticked or len(regular) <= 1):
            if view.dropped:
                self._side = "done"  # nobody to step aside with
                return None
            self._side, self._side_at = "in", now
            return self._move(EnterSideRoom(seat), now)
        if self._side == "in" and (view.dropped or now - self._side_at >= self.side_room_seconds):
            self._side = "done"
            return self._move(LeaveSideRoom(seat), now)
        return None

    def _steps(self, view: CrisisView, seat: str, now: float) -> PilotMove | None:
        """The steps in order but the last; the last, the outcome and the close once the
        side room is over and the member dropped and came back (or the waits ran out)."""
        pending = [s.step.id for s in view.steps if not s.step.when_dropped and s.done_at is None]
        if len(pending) > 1:
            return self._move(TickStep(seat, pending[0]), now)
        if self._side != "done" or self._waiting(now):
            return None
        if pending:
            return self._move(TickStep(seat, pending[0]), now)
        if view.outcome is None:
            outcome: Outcome = "contact_lost" if view.dropped else "safe"
            return self._move(SetOutcome(seat, outcome), now)
        self.done = True
        return ClosePanel(seat)

    def _follow(self, view: CrisisView, now: float) -> None:
        """Note the member's drop and return as the panel shows them."""
        if view.dropped and not self.saw_drop:
            self.saw_drop, self._dropped_at = True, now
        elif self.saw_drop and not view.dropped:
            self.saw_back = True

    def _waiting(self, now: float) -> bool:
        """Whether the close still waits for the drop, then for the return (bounded)."""
        assert self._opened_at is not None
        if not self.saw_drop:
            return now - self._opened_at < self.drop_wait
        return not self.saw_back and now - self._dropped_at < self.back_wait

    def _move(self, move: PilotMove, now: float, *, opened: bool = False) -> PilotMove:
        self._last_move = now
        if opened:
            self._opened_at = now
        return move
