"""A facilitator's app at the turns: the manager, what to tell the room, what to journal.

:class:`TurnDesk` sits between the live room and the pure :class:`TurnManager`. The
adapter (the desktop's live session, a test, a benchmark) tells it what happens in the
room -- a member seated or gone, an app event a member sent, voice activity, a mute,
the facilitator's own commands, the clock reaching :meth:`TurnDesk.next_deadline` --
and gets back what to do (:data:`DeskOutput`): a turn state to broadcast, mute
requests to send, journal entries to write, a refusal to show. Sans-I/O, like the
manager: no Qt, no loop, no sockets.

Rules where the issue is silent:

- a member's app event acts for its sender only (``by`` is the sender the server named),
  so a participant can neither raise another's hand nor give themselves the floor;
- the turn state is broadcast when what members see changes (queue, floor, round,
  spotlight, the timer's limit, warning or end), not as the timer counts: receivers
  count on with their own clock (``turn_wire``);
- a member's microphone state comes from their ``media_state``; talk time counts only
  while it is on (``talk_time``);
- one facilitator's app keeps the turns (the *lead*: the one that opened the room). The
  others' desks follow the state it shares (``turn_sync``) and send it their commands;
  when the lead leaves, the first of them to hear it carries the turns on from the last
  state shared, and tells the room. A co-facilitator's command is checked by the lead's
  manager like its own (only a facilitator may give the floor).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import assert_never

from groupdesk.core.journal_kinds import TalkTimeEntry
from groupdesk.core.protocol import (
    AppEvent,
    LowerHand,
    MediaState,
    PassTurn,
    RaiseHand,
    Reaction,
    Role,
    SafetySignal,
    Share,
    SharePermission,
    SideRoom,
    TurnCommand,
    TurnState,
    TurnSync,
)
from groupdesk.core.session import turn_events as ev
from groupdesk.core.session.turn_journal import (
    TurnJournalEntry,
    journal_entries,
    talk_time_entries,
)
from groupdesk.core.session.turn_sync import command_from, snapshot_of, sync_of, wire_command
from groupdesk.core.session.turn_views import FacilitatorView
from groupdesk.core.session.turn_wire import to_wire
from groupdesk.core.session.turns import TurnManager, TurnSettings


@dataclass(frozen=True)
class Broadcast:
    """Send this turn state to the whole room."""

    state: TurnState


@dataclass(frozen=True)
class AskMute:
    """Ask each of ``members`` to mute (``by`` asked); journal one request per member."""

    by: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """Write this entry to the session journal."""

    entry: TurnJournalEntry | TalkTimeEntry


@dataclass(frozen=True)
class Refusal:
    """A command was refused; ``mine``: this app's facilitator asked (show it to them)."""

    refused: ev.Refused
    mine: bool


@dataclass(frozen=True)
class Tell:
    """Send this to the room's facilitators: the state (lead) or a command (the others)."""

    event: TurnSync | TurnCommand


DeskOutput = Broadcast | AskMute | Record | Refusal | Tell
"""Everything the desk asks its adapter to do."""


def _seen(state: TurnState) -> tuple[object, ...]:
    """What a member sees of a turn state but for the running timer's seconds."""
    timer = state.timer
    timer_key = None if timer is None else (timer.limit, timer.warning, timer.over)
    return (state.spotlight, state.queue, state.floor, state.round, timer_key)


class TurnDesk:
    """The turns of one room, as the facilitator's app ``me`` keeps them."""

    def __init__(
        self,
        me: str,
        settings: TurnSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        lead: bool = True,
    ) -> None:
        self.me = me
        self.settings = settings or TurnSettings()
        self.manager = TurnManager(self.settings, clock=clock)
        self._clock = clock
        self.lead = lead
        """Whether this desk keeps the turns (else it follows the lead's)."""
        self.lead_seat: str | None = me if lead else None
        self._spotlight: str | None = None
        self._sent: TurnState | None = None

    # ------------------------------------------------------------ the room

    def joined(self, member: str, role: Role) -> list[DeskOutput]:
        """``member`` took a seat (admitted, or the facilitator's own)."""
        return self._apply([ev.Join(member, role)])

    def left(self, member: str) -> list[DeskOutput]:
        """``member`` is gone for good (left, removed, or their seat expired)."""
        if member == self._spotlight:
            self._spotlight = None
        if not self.lead and member == self.lead_seat:
            self.lead, self.lead_seat = True, self.me  # carry the turns on, and say so
            self._sent = None
        return self._apply([ev.Leave(member)])

    def received(self, sender: str, event: AppEvent) -> list[DeskOutput]:  # noqa: PLR0911
        """An app event ``sender`` sent (the server named the sender; trust nothing else)."""
        if sender not in self.manager.members:
            return []  # not seated here (yet, or any more): nothing to act for
        if isinstance(event, TurnSync | TurnCommand | TurnState):
            return self._from_facilitator(sender, event)
        match event:
            case RaiseHand():
                return self._apply([ev.RaiseHand(sender)])
            case LowerHand():
                return self._apply([ev.LowerHand(sender, sender)])
            case PassTurn():
                return self._apply([ev.PassInRound(sender)])
            case MediaState():
                return self._apply([ev.MuteChanged(sender, event.muted, self._clock())])
            case Reaction() | SafetySignal() | SideRoom() | Share() | SharePermission():
                return []  # not about turns
            case _:
                assert_never(event)

    def _from_facilitator(  # noqa: PLR0911 -- one match
        self, sender: str, event: TurnSync | TurnCommand | TurnState
    ) -> list[DeskOutput]:
        """Another facilitator's app: the lead's state, or a co-facilitator's command."""
        if dict(self.manager.roles()).get(sender) != "facilitator":
            return []  # the server refuses these from participants; trust nothing anyway
        match event:
            case TurnState():
                if not self.lead:
                    self.lead_seat = sender
                return []
            case TurnSync():
                if self.lead:
                    return []  # two leads cannot be: this one keeps its own
                self.lead_seat = sender
                try:
                    snapshot = snapshot_of(event, self._clock())
                    self.manager = TurnManager.restore(snapshot, self.settings, clock=self._clock)
                except ValueError:
                    return []  # a state that does not hold together: keep the last one
                return []
            case TurnCommand():
                if not self.lead:
                    return []  # meant for the lead
                return self._apply([command_from(sender, event)])
            case _:
                assert_never(event)

    def voice(self, member: str, speaking: bool, at: float) -> list[DeskOutput]:
        """The media heard ``member`` start or stop speaking at ``at`` (the desk's clock)."""
        if member not in self.manager.members:
            return []
        return self._apply([ev.VoiceActivity(member, speaking, at)])

    def muted(self, member: str, muted: bool) -> list[DeskOutput]:
        """``member``'s microphone is now off (or on): the facilitator's own, usually."""
        return self._apply([ev.MuteChanged(member, muted, self._clock())])

    # ------------------------------------------------------- the facilitator

    def command(self, command: ev.Command) -> list[DeskOutput]:
        """One of this app's facilitator's commands (``by`` must be :attr:`me`)."""
        if command.by != self.me:
            raise ValueError("a command of this desk is its facilitator's own")
        if not self.lead:
            forwarded = wire_command(command)
            return [Tell(forwarded)] if forwarded is not None else []
        return self._apply([command])

    def set_spotlight(self, member: str | None) -> list[DeskOutput]:
        """Show ``member`` large to everyone (None: the grid)."""
        self._spotlight = member
        return self._apply([])

    def tick(self) -> list[DeskOutput]:
        """The clock reached :meth:`next_deadline` (or any time: nothing due is nothing)."""
        return self._outputs(self.manager.tick()) if self.lead else []

    def heartbeat(self) -> list[DeskOutput]:
        """Every few seconds: the lead shares the state again (talk time moves, and a
        voice that stopped changes nothing the room sees, so no change shares it)."""
        if self.lead and self._others():
            return [Tell(sync_of(self.manager.snapshot()))]
        return []

    def next_deadline(self) -> float | None:
        """When to call :meth:`tick` next (the clock's time), if ever."""
        return self.manager.next_deadline()

    def view(self) -> FacilitatorView:
        """What the turns panel shows now."""
        return self.manager.facilitator_view()

    def wire(self) -> TurnState:
        """The turn state as members see it now (with the timer's current seconds)."""
        return to_wire(self.manager.participant_view(self.me), spotlight=self._spotlight)

    def resend(self) -> list[DeskOutput]:
        """The whole state again (someone came, or came back after a drop)."""
        if not self.lead:
            return []
        self._sent = self.wire()
        out: list[DeskOutput] = [Broadcast(self._sent)]
        if self._others():
            out.append(Tell(sync_of(self.manager.snapshot())))
        return out

    def closing(self) -> list[DeskOutput]:
        """At the session's end: every member's talk time and turns, for the record."""
        if not self.lead:
            return []
        return [Record(entry) for entry in talk_time_entries(self.manager.totals())]

    # ----------------------------------------------------------- internals

    def _others(self) -> bool:
        """Whether another facilitator is in the room (to share the state with)."""
        return any(role == "facilitator" and seat != self.me for seat, role in self.manager.roles())

    def _apply(self, inputs: Iterable[ev.TurnInput]) -> list[DeskOutput]:
        outputs: list[ev.TurnOutput] = []
        for item in inputs:
            outputs += self.manager.handle(item)
        if not self.lead:
            return []  # the lead's state replaces this one at its next share
        return self._outputs(outputs)

    def _outputs(self, outputs: list[ev.TurnOutput]) -> list[DeskOutput]:
        done: list[DeskOutput] = [Record(entry) for entry in journal_entries(outputs)]
        for output in outputs:
            if isinstance(output, ev.MuteRequest) and output.members:
                done.append(AskMute(output.by, output.members))
            elif isinstance(output, ev.Refused):
                done.append(Refusal(output, mine=output.command.by == self.me))
        state = self.wire()
        if self._sent is None or _seen(state) != _seen(self._sent):
            self._sent = state
            done.append(Broadcast(state))
        if done and self._others():
            done.append(Tell(sync_of(self.manager.snapshot())))
        return done
