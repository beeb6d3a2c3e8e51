"""The turn state on the wire: what a facilitator's app broadcasts, and what a member's
app makes of it. Pure functions, no clock of their own.

The facilitator's app turns the manager's participant view into one
:class:`~groupdesk.core.protocol.TurnState` (:func:`to_wire`) and sends it to the
whole room; it is the same for everyone, since a member's own part (their hand, their
place, whether it is their turn in the round) follows from the queue and the round.
Nothing about talk time, nor who passed, is in it.

A receiver keeps what came with the time it came on its own monotonic clock
(:func:`from_wire`), and counts the speaker's timer on from there
(:meth:`ReceivedTurns.view_for`): no clock time crosses the wire, so two computers whose
clocks disagree still show the same timer, give or take the message's travel time.
"""

from __future__ import annotations

from dataclasses import dataclass

from groupdesk.core.protocol import TurnRound, TurnState, TurnTimer
from groupdesk.core.session.turn_views import ParticipantView, RoundProgress


def to_wire(view: ParticipantView, *, spotlight: str | None = None) -> TurnState:
    """The turn state to broadcast, from any member's view (the facilitator's own will do).

    ``spotlight``: the seat the facilitator shows to everyone (None: the grid). Raises
    :class:`~groupdesk.core.protocol.ProtocolError` when an id is not a seat id.
    """
    timer = None
    if view.timer is not None:
        timer = TurnTimer(
            elapsed=view.timer.elapsed,
            limit=view.timer.limit,
            remaining=view.timer.remaining,
            warning=view.timer.warning,
            over=view.timer.over,
        )
    progress = None
    if view.round is not None:
        progress = TurnRound(
            order=view.round.order,
            done=view.round.done,
            total=view.round.total,
            current=view.round.current,
            next=view.round.next,
        )
    return TurnState(
        spotlight=spotlight, queue=view.queue, floor=view.speaker, timer=timer, round=progress
    )


@dataclass(frozen=True)
class SeenTimer:
    """The speaker's timer as a member's app shows it at some time (its own clock)."""

    elapsed: float
    limit: float | None
    remaining: float | None  # negative once over
    warning: bool
    over: bool


@dataclass(frozen=True)
class SeenTurns:
    """What ``member`` sees of the turns: what :class:`ParticipantView` holds, less what
    only the manager knows (when the turn started on its clock, the extensions)."""

    member: str
    hand_raised: bool
    place: int | None  # 1 is next
    queue: tuple[str, ...]
    speaker: str | None
    timer: SeenTimer | None
    round: RoundProgress | None
    my_turn_in_round: bool


@dataclass(frozen=True)
class ReceivedTurns:
    """The last turn state received, at ``received_at`` on the receiver's monotonic clock.

    ``queue`` None: the facilitator's app keeps no queue (an older one, which sends only
    the spotlight); then nobody has a place in line.
    """

    state: TurnState
    received_at: float

    @property
    def speaker(self) -> str | None:
        """Who has the floor (None: the floor is open)."""
        return self.state.floor

    @property
    def spotlight(self) -> str | None:
        """Whom the facilitator shows to everyone (None: the grid)."""
        return self.state.spotlight

    def place_of(self, member: str) -> int | None:
        """``member``'s place in line (1 is next), None when their hand is down."""
        queue = self.state.queue or ()
        return queue.index(member) + 1 if member in queue else None

    def hand_raised(self, member: str) -> bool:
        """Whether ``member`` is in line."""
        return self.place_of(member) is not None

    def my_turn_in_round(self, member: str) -> bool:
        """Whether a round is running and it is ``member``'s turn in it (they may pass)."""
        return self.state.round is not None and self.state.round.current == member

    def timer_at(self, now: float) -> SeenTimer | None:
        """The speaker's timer at ``now`` (the receiver's clock), counted on from what was
        sent; the warning stays as sent until the limit is reached here."""
        timer = self.state.timer
        if timer is None:
            return None
        gone = max(0.0, now - self.received_at)
        remaining = None if timer.remaining is None else timer.remaining - gone
        over = timer.over or (remaining is not None and remaining <= 0)
        return SeenTimer(
            elapsed=timer.elapsed + gone,
            limit=timer.limit,
            remaining=remaining,
            warning=timer.warning or over,
            over=over,
        )

    def view_for(self, member: str, now: float) -> SeenTurns:
        """What ``member``'s app shows at ``now``."""
        progress = self.state.round
        return SeenTurns(
            member=member,
            hand_raised=self.hand_raised(member),
            place=self.place_of(member),
            queue=self.state.queue or (),
            speaker=self.speaker,
            timer=self.timer_at(now),
            round=None
            if progress is None
            else RoundProgress(
                progress.order, progress.done, progress.total, progress.current, progress.next
            ),
            my_turn_in_round=self.my_turn_in_round(member),
        )


def from_wire(state: TurnState, received_at: float) -> ReceivedTurns:
    """Keep a received turn state with the time it came (the receiver's monotonic clock)."""
    return ReceivedTurns(state, received_at)
