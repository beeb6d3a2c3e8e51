"""The crisis drill's autopilot, on a real crisis core with a fake clock: the panel opened
for whoever asked, the steps ticked one by one, the side room and back, the call-back step
at the drop, the close only after the drop and the return (each wait bounded)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from groupdesk.core.policy_values import Policy, load_policy
from groupdesk.core.session.crisis import Crisis, Incident, KeepIncident
from groupdesk.core.session.crisis_pilot import (
    ClosePanel,
    CrisisPilot,
    EnterSideRoom,
    LeaveSideRoom,
    OpenPanel,
    PilotMove,
    SetOutcome,
    TickStep,
)
from groupdesk.core.session.room_state import LiveMember

SEAT = "a00000000001"
START = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)


@dataclass
class Drill:
    """A panel driven by the pilot's moves, on a clock that moves half a second a step."""

    policy: Policy
    pilot: CrisisPilot = field(default_factory=CrisisPilot)
    now: float = 0.0
    crisis: Crisis | None = None
    moves: list[tuple[float, PilotMove]] = field(default_factory=list)
    aside: bool = False
    kept: Incident | None = None

    @property
    def at(self) -> datetime:
        return START + timedelta(seconds=self.now)

    def run(self, seconds: float, *, drop_at: float | None = None, back_at: float | None = None):
        """Let the pilot act every half second for ``seconds`` (the member drops at
        ``drop_at`` and comes back at ``back_at``, clock seconds)."""
        for _ in range(int(seconds * 2)):
            if self.crisis is not None and not self.crisis.closed:
                if drop_at is not None and drop_at <= self.now < drop_at + 0.5:
                    self.crisis.member_dropped(self.at)
                if back_at is not None and back_at <= self.now < back_at + 0.5:
                    self.crisis.member_back(self.at)
            view = self.crisis.view() if self.crisis is not None else None
            move = self.pilot.next_move(view, self.now)
            if move is not None:
                self.moves.append((self.now, move))
                self._carry_out(move)
            self.now += 0.5
        return self

    def _carry_out(self, move: PilotMove) -> None:
        match move:
            case OpenPanel(seat):
                member = LiveMember(seat, "Ana", "participant", answers={"phone": "514-555-0101"})
                self.crisis, _ = Crisis.open(member, at=self.at, policy=self.policy, language="en")
            case TickStep(_, step):
                assert self.crisis is not None
                self.crisis.tick_step(step, self.at)
            case EnterSideRoom():
                self.aside = True
            case LeaveSideRoom():
                self.aside = False
            case SetOutcome(_, outcome):
                assert self.crisis is not None
                self.crisis.set_outcome(outcome)
            case ClosePanel():
                assert self.crisis is not None
                [kept] = [o for o in self.crisis.close(self.at) if isinstance(o, KeepIncident)]
                self.kept = kept.incident

    def kinds(self) -> list[str]:
        out = []
        for _, move in self.moves:
            out.append(f"tick {move.step}" if isinstance(move, TickStep) else type(move).__name__)
        return out


@pytest.fixture
def drill() -> Drill:
    return Drill(load_policy())


def test_nothing_happens_until_someone_asks_for_help(drill: Drill) -> None:
    drill.run(30)
    assert drill.moves == []
    assert drill.crisis is None


def test_the_whole_drill_in_order_and_the_close_after_the_drop_and_the_return(
    drill: Drill,
) -> None:
    drill.pilot.noticed(SEAT, 1.0)
    drill.pilot.noticed("b00000000002", 1.5)  # one crisis per drill: the first line
    drill.run(60, drop_at=20.0, back_at=26.0)

    assert drill.kinds() == [
        "OpenPanel",
        "tick keep_safe",
        "EnterSideRoom",
        "tick side_room",
        "tick assess_risk",
        "tick confirm_location",
        "LeaveSideRoom",  # 5 s in the side room, then at the pace of the moves
        "tick call_emergency",
        "tick stay_connected",
        "tick notify_supervisor",
        "tick call_back",  # at once when they dropped
        "tick document",  # only once they were back
        "SetOutcome",
        "ClosePanel",
    ]
    times = dict((type(m).__name__ if not isinstance(m, TickStep) else m.step, t)
                 for t, m in drill.moves)  # fmt: skip
    assert times["OpenPanel"] == 2.5  # the line read: ``pace`` after it came
    assert times["LeaveSideRoom"] - times["EnterSideRoom"] >= 5.0
    assert times["call_back"] == 20.0
    assert times["document"] >= 26.0
    moved = [t for t, _ in drill.moves]
    assert all(b - a >= 1.5 for a, b in itertools.pairwise(moved))  # one by one
    assert {m.seat for _, m in drill.moves} == {SEAT}

    incident = drill.kept
    assert incident is not None
    assert incident.outcome == "safe"
    assert incident.drops == 1
    assert all(step.done_at is not None for step in incident.steps)
    assert not drill.aside
    assert drill.pilot.done
    assert drill.pilot.saw_drop
    assert drill.pilot.saw_back
    drill.run(10)
    assert drill.kinds()[-1] == "ClosePanel"  # nothing more once closed


def test_with_no_drop_the_close_waits_only_drop_wait(drill: Drill) -> None:
    drill.pilot = CrisisPilot(drop_wait=30.0)
    drill.pilot.noticed(SEAT, 0.0)
    drill.run(60)
    assert drill.kept is not None
    assert drill.kept.outcome == "safe"
    opened = drill.moves[0][0]
    document = next(t for t, m in drill.moves if isinstance(m, TickStep) and m.step == "document")
    assert document >= opened + 30.0
    steps = {step.step: step.done_at for step in drill.kept.steps}
    assert steps["call_back"] is None  # they never dropped: nobody to call back


def test_a_member_who_never_comes_back_ends_as_contact_lost(drill: Drill) -> None:
    drill.pilot = CrisisPilot(back_wait=10.0)
    drill.pilot.noticed(SEAT, 0.0)
    drill.run(60, drop_at=8.0)  # in the side room: the pilot leaves it
    assert drill.kept is not None
    assert drill.kept.outcome == "contact_lost"
    kinds = drill.kinds()
    assert kinds.index("tick call_back") < kinds.index("LeaveSideRoom")
    close = next(t for t, m in drill.moves if isinstance(m, ClosePanel))
    assert close >= 8.0 + 10.0


def test_a_panel_closed_by_the_practitioner_stops_the_pilot(drill: Drill) -> None:
    drill.pilot.noticed(SEAT, 0.0)
    drill.run(5)
    assert drill.crisis is not None
    drill.crisis.close(drill.at)
    drill.run(20)
    assert drill.pilot.done
    assert not any(isinstance(m, ClosePanel) for _, m in drill.moves)


def test_the_waits_are_checked() -> None:
    with pytest.raises(ValueError, match="pace"):
        CrisisPilot(pace=-1)
