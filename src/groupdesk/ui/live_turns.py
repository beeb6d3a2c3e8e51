"""The speaking turns of a live session: the facilitator's desk, or what a member sees.

As facilitator, ``LiveTurns`` holds the :class:`~groupdesk.core.session.turn_desk.TurnDesk`
(the rules are there, in the core) and does what it asks, in order: broadcast the turn
state, send mute requests, journal hands, floors, turns, rounds and, at the end, each
member's talk time. It calls the desk's ``tick`` when the speaker's timer is due and
says ``changed`` once a second, so the panel's timer and talk time move.

As participant, it keeps the last turn state a facilitator sent, with the time it came
(``turn_wire``), and says ``changed`` the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import assert_never

from PySide6.QtCore import QObject, QTimer, Signal

from groupdesk.core.journal_kinds import JournalEntry, SeatEvent
from groupdesk.core.policy_values import Policy
from groupdesk.core.protocol import (
    AppEvent,
    ClientApp,
    ClientMessage,
    QueueOrder,
    RequestMute,
    Role,
    TurnState,
)
from groupdesk.core.session.turn_desk import (
    AskMute,
    Broadcast,
    DeskOutput,
    Record,
    Refusal,
    Tell,
    TurnDesk,
)
from groupdesk.core.session.turn_events import Command, RefusalReason
from groupdesk.core.session.turn_views import FacilitatorView
from groupdesk.core.session.turn_wire import ReceivedTurns, SeenTurns, from_wire
from groupdesk.core.session.turns import TurnSettings
from groupdesk.media.levels import VadConfig

log = logging.getLogger(__name__)

FLUSH_TIMEOUT = 10.0
"""How long a command waits for what it asked to be sent (a send waits for a
reconnection, which may not come)."""

Send = Callable[[ClientMessage], Awaitable[bool]]
Journal = Callable[[JournalEntry], Awaitable[None]]


class _Lane:
    """Things to do one after the other, in the order asked, by one task at a time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pending: list[Callable[[], Awaitable[None]]] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, job: Callable[[], Awaitable[None]]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # Qt ran a timer with no loop running: the app is going away
            log.warning("a turn action (%s) came with no loop running; dropped", self.name)
            return
        self._pending.append(job)
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        while self._pending:
            job = self._pending.pop(0)
            try:
                await job()
            except Exception:  # one failed send or write must not stop the ones after it
                log.exception("a turn action (%s) could not be carried out", self.name)

    async def flush(self, timeout: float | None = None) -> None:
        """Wait until everything asked so far is done (or ``timeout`` passes)."""
        task = self._task
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=timeout)

    def stop(self) -> None:
        self._pending.clear()
        if self._task is not None:
            self._task.cancel()


class LiveTurns(QObject):
    """The turns of one live session (see the module docstring).

    Signals:
        ``changed()``: the queue, the floor, the round, talk time or the timer moved.
        ``refused(str)``: a command of ours was refused (a ``RefusalReason``).
    """

    changed = Signal()
    refused = Signal(str)

    def __init__(
        self,
        send: Send,
        journal: Journal,
        member_id: Callable[[str], int | None],
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._send, self._journal, self._member_id = send, journal, member_id
        self._clock = clock
        self.settings = TurnSettings()
        self.turn_seconds = 180
        """The soft limit of a turn when the session starts (the policy's ``turn_seconds``)."""
        self.queue_order: QueueOrder = "raised"
        self.floor_lowers_hand = True
        self.desk: TurnDesk | None = None
        """The facilitator's desk, from our seat until the session ends."""
        self.received: ReceivedTurns | None = None
        """A participant: the last turn state a facilitator sent."""
        self.me = ""
        self.lead = True
        """Whether our desk keeps the turns from the start (we opened the room)."""
        self._sends = _Lane("send")  # to the room: may wait on a reconnection
        self._writes = _Lane("journal")  # to the log: local, in order
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._tick)
        self._second = QTimer(self)
        self._second.setInterval(1000)
        self._second.timeout.connect(self._each_second)
        self._seconds = 0
        self._closed = False
        """The session ended: the desk is kept for what the page shows, its clock stops."""

    # -- what the page reads -----------------------------------------------------------

    def view(self) -> FacilitatorView | None:
        """Facilitator: the whole state, talk time included."""
        return self.desk.view() if self.desk is not None else None

    def seen(self) -> SeenTurns | None:
        """What our own person sees now (a participant; a facilitator sees it too)."""
        if self.desk is not None:
            return from_wire(self.desk.wire(), self._clock()).view_for(self.me, self._clock())
        if self.received is None or not self.me:
            return None
        return self.received.view_for(self.me, self._clock())

    @property
    def leads(self) -> bool:
        """Whether our app keeps the turns now (a co-facilitator's may have taken over)."""
        return self.desk.lead if self.desk is not None else self.lead

    @property
    def state(self) -> TurnState | None:
        """The turn state as everyone sees it now (None: none yet)."""
        if self.desk is not None:
            return self.desk.wire()
        return self.received.state if self.received is not None else None

    # -- the session's life --------------------------------------------------------------

    def use_policy(self, policy: Policy) -> None:
        """How turns go when a session starts: the organisation's (or the person's) policy."""
        self.turn_seconds = policy.turn_seconds
        self.queue_order = policy.turn_queue_order
        self.floor_lowers_hand = policy.floor_lowers_hand

    def start(
        self, me: str, members: list[tuple[str, Role]], *, facilitator: bool, lead: bool = True
    ) -> None:
        """We took our seat ``me`` among ``members`` (ourselves included); ``lead``: this
        facilitator's app keeps the turns (it opened the room), else it follows the lead's."""
        self.me = me
        if not facilitator:
            return
        vad = VadConfig()  # the mesh's detector: its delays are taken off talk time
        self.settings = TurnSettings(
            turn_seconds=float(self.turn_seconds),
            queue_order=self.queue_order,
            lower_hand_on_floor=self.floor_lowers_hand,
            voice_attack_seconds=vad.attack_s,
            voice_hangover_seconds=vad.hangover_s,
        )
        self.desk = TurnDesk(me, self.settings, clock=self._clock, lead=lead)
        for seat, role in members:
            self._do(self.desk.joined(seat, role))

    def clear(self) -> None:
        """The session is over (or a new one starts)."""
        self.desk, self.received, self.me, self.lead = None, None, "", True
        self._closed = False
        self._sends.stop()
        self._writes.stop()
        self._deadline.stop()
        self._second.stop()
        self.changed.emit()

    async def closing(self) -> None:
        """Before the end is recorded: each member's talk time and turns, then stop."""
        if self.desk is not None:
            self._do(self.desk.closing())
        await self._writes.flush()  # the log's writes are local: all of them, always
        self._closed = True  # what still comes (the others leaving) moves no clock
        self._deadline.stop()
        self._second.stop()

    async def flush(self) -> None:
        """Wait until everything asked so far is sent (a while at most) and journalled."""
        await self._sends.flush(FLUSH_TIMEOUT)
        await self._writes.flush()

    # -- the room ------------------------------------------------------------------------

    def joined(self, seat: str, role: Role) -> None:
        """``seat`` sat down: the desk counts them, and they get the state as it is."""
        if self.desk is not None:
            self._do([*self.desk.joined(seat, role), *self.desk.resend()])

    def left(self, seat: str) -> None:
        """``seat`` is gone for good."""
        if self.desk is not None:
            self._do(self.desk.left(seat))

    def app(self, sender: str, event: AppEvent) -> None:
        """A member's app event (hands, passes, their microphone)."""
        if self.desk is not None:
            self._do(self.desk.received(sender, event))

    def follow(self, sender: str, state: TurnState) -> None:
        """A facilitator (``sender``) sent the turn state to the room."""
        if self.desk is not None:  # another facilitator's app: the lead, or a stray one
            self._do(self.desk.received(sender, state))
            return
        self.received = from_wire(state, self._clock())
        self._clock_runs(state.timer is not None)
        self.changed.emit()

    def voice(self, seat: str, speaking: bool, at: float) -> None:
        """The media heard ``seat`` start or stop speaking at ``at`` (monotonic)."""
        if self.desk is not None:
            self._do(self.desk.voice(seat, speaking, at))

    def muted(self, muted: bool) -> None:
        """Our own microphone went off or on."""
        if self.desk is not None and self.me:
            self._do(self.desk.muted(self.me, muted))

    def command(self, command: Command) -> None:
        """One of our facilitator's commands (from the turns panel or a shortcut)."""
        if self.desk is not None:
            self._do(self.desk.command(command))

    def spotlight(self, seat: str | None) -> None:
        """Facilitator: show ``seat`` large to everyone (None: the grid)."""
        if self.desk is not None:
            self._do(self.desk.set_spotlight(seat))

    # -- internals -----------------------------------------------------------------------

    def _each_second(self) -> None:
        self._seconds += 1
        if self.desk is not None and self._seconds % 3 == 0:
            self._do(self.desk.heartbeat())  # co-facilitators see talk time move
        else:
            self.changed.emit()

    def _tick(self) -> None:
        if self.desk is not None:
            self._do(self.desk.tick())

    def _do(self, outputs: list[DeskOutput]) -> None:
        """Carry out what the desk asked for: sends in order, journal writes in order."""
        for output in outputs:
            match output:
                case Broadcast(state):
                    self._sends.add(partial(self._send_now, ClientApp(event=state)))
                case Tell(event):
                    self._sends.add(partial(self._send_now, ClientApp(event=event)))
                case AskMute(_, members):
                    for seat in members:
                        self._sends.add(partial(self._ask_mute, seat))
                case Record(entry):
                    self._writes.add(partial(self._journal, entry))
                case Refusal(refused, mine):
                    if mine:
                        self.refused.emit(refused.reason)
                case _:
                    assert_never(output)
        self._rearm()
        self.changed.emit()

    async def _send_now(self, message: ClientMessage) -> None:
        await self._send(message)

    async def _ask_mute(self, seat: str) -> None:
        if await self._send(RequestMute(member=seat)):
            entry = SeatEvent("member.mute_requested", seat, self._member_id(seat))
            self._writes.add(partial(self._journal, entry))

    def _rearm(self) -> None:
        """Wake up when the speaker's timer is due; tick the clock while it runs."""
        desk = self.desk
        if desk is None or self._closed:
            return
        deadline = desk.next_deadline()
        if deadline is None:
            self._deadline.stop()
        else:
            self._deadline.start(max(0, int((deadline - self._clock()) * 1000) + 1))
        self._clock_runs(True)  # talk time moves too, not only the speaker's timer

    def _clock_runs(self, running: bool) -> None:
        if running and not self._second.isActive():
            self._second.start()
        elif not running:
            self._second.stop()


__all__ = ["LiveTurns", "RefusalReason"]
