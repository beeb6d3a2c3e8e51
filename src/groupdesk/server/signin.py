"""Bounded facilitator sign-in work: scrypt for everyone, but never all of it for one address.

A credential check costs tens of milliseconds of CPU by design. Checks run on a
small pool of their own (``signin_workers``); each address may have only a few
running or waiting (``signin_per_address``), and only one running
(``signin_running_per_address``), so one address never holds every worker; the
addresses take turns (round robin), so a flood from one address delays another
address's sign-in by a check at most; a sign-in that cannot start within ``signin_wait_seconds`` is
refused with ``sign_in_timeout`` rather than left hanging; one that finds its
address's or the server's queue full is refused at once with ``sign_in_busy``.

:class:`SignInQueue` holds the rules (no I/O, an injected clock);
:class:`SignInGate` runs the checks on the event loop and a thread pool.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from groupdesk.core.protocol import ErrorCode, ProtocolError
from groupdesk.server.limits import Clock, LimitSettings


@dataclass(eq=False)
class Ticket:
    """One sign-in waiting for, or holding, a worker."""

    address: str
    queued_at: float


class SignInQueue:
    """Which sign-in runs next: round robin over addresses, within bounds and a deadline."""

    def __init__(self, settings: LimitSettings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._waiting: dict[str, deque[Ticket]] = {}  # per address, oldest first
        self._turns: deque[str] = deque()  # addresses with someone waiting, next first
        self._held: dict[str, int] = {}  # per address: running + waiting
        self._running: dict[str, int] = {}  # per address: running
        self._queued = 0
        self.running = 0

    @property
    def queued(self) -> int:
        """Sign-ins waiting for a worker."""
        return self._queued

    def submit(self, address: str) -> Ticket:
        """Queue a sign-in from ``address``; refused (``sign_in_busy``) when a queue is full."""
        if self._held.get(address, 0) >= self.settings.signin_per_address:
            raise ProtocolError(ErrorCode.SIGN_IN_BUSY)
        if self._queued >= self.settings.signin_queue:
            raise ProtocolError(ErrorCode.SIGN_IN_BUSY)
        ticket = Ticket(address, self._clock())
        if address not in self._waiting:
            self._waiting[address] = deque()
            self._turns.append(address)
        self._waiting[address].append(ticket)
        self._held[address] = self._held.get(address, 0) + 1
        self._queued += 1
        return ticket

    def start_next(self) -> tuple[list[Ticket], list[Ticket]]:
        """The sign-ins to start now (each now holds a worker), and those past their deadline."""
        started: list[Ticket] = []
        expired: list[Ticket] = []
        now = self._clock()
        while self.running < self.settings.signin_workers:
            address = self._next_address()
            if address is None:
                break
            queue = self._waiting[address]
            ticket = queue.popleft()
            self._queued -= 1
            if queue:
                self._turns.append(address)  # its next one waits for every other address
            else:
                del self._waiting[address]
            if now - ticket.queued_at >= self.settings.signin_wait_seconds:
                self._release(address)
                expired.append(ticket)
                continue
            self.running += 1
            self._running[address] = self._running.get(address, 0) + 1
            started.append(ticket)
        return started, expired

    def _next_address(self) -> str | None:
        """The first address in turn that may start one more check (it leaves the turns)."""
        for _ in range(len(self._turns)):
            address = self._turns.popleft()
            if self._running.get(address, 0) < self.settings.signin_running_per_address:
                return address
            self._turns.append(address)  # at its limit: keeps its place relative to the others
        return None

    def finish(self, ticket: Ticket) -> None:
        """A started sign-in is done; its worker is free."""
        self.running -= 1
        left = self._running.get(ticket.address, 0) - 1
        if left > 0:
            self._running[ticket.address] = left
        else:
            self._running.pop(ticket.address, None)
        self._release(ticket.address)

    def cancel(self, ticket: Ticket) -> None:
        """A waiting sign-in is abandoned (its connection went away, or it waited too long)."""
        queue = self._waiting.get(ticket.address)
        if queue is None or ticket not in queue:
            return
        queue.remove(ticket)
        self._queued -= 1
        if not queue:
            del self._waiting[ticket.address]
            self._turns.remove(ticket.address)
        self._release(ticket.address)

    def _release(self, address: str) -> None:
        left = self._held.get(address, 0) - 1
        if left > 0:
            self._held[address] = left
        else:
            self._held.pop(address, None)


class SignInGate:
    """Runs credential checks through a :class:`SignInQueue` on a pool of its own."""

    def __init__(self, settings: LimitSettings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self.queue = SignInQueue(settings, clock)
        self._pool = ThreadPoolExecutor(
            max_workers=settings.signin_workers, thread_name_prefix="groupdesk-signin"
        )
        self._started: dict[Ticket, asyncio.Future[None]] = {}

    async def run(self, address: str, check: Callable[[], None]) -> None:
        """Run ``check`` (slow, in a worker) for a sign-in from ``address``, in its turn.

        Raises :class:`ProtocolError` ``sign_in_busy`` or ``sign_in_timeout`` when the
        sign-in is refused before it runs, and whatever ``check`` raises.
        """
        loop = asyncio.get_running_loop()
        ticket = self.queue.submit(address)
        started = self._started[ticket] = loop.create_future()
        self._dispatch()
        try:
            await asyncio.wait_for(asyncio.shield(started), self.settings.signin_wait_seconds)
        except TimeoutError:
            if not started.done():
                self.queue.cancel(ticket)
                raise ProtocolError(ErrorCode.SIGN_IN_TIMEOUT) from None
        except asyncio.CancelledError:
            if started.done() and started.exception() is None:
                self._finish(ticket)
            else:
                self.queue.cancel(ticket)
            raise
        finally:
            self._started.pop(ticket, None)
        started.result()  # an expired ticket raises sign_in_timeout here
        try:
            await loop.run_in_executor(self._pool, check)
        finally:
            self._finish(ticket)

    def close(self) -> None:
        """Stop the pool (checks not yet started are dropped)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _finish(self, ticket: Ticket) -> None:
        self.queue.finish(ticket)
        self._dispatch()

    def _dispatch(self) -> None:
        started, expired = self.queue.start_next()
        for ticket in started:
            future = self._started.get(ticket)
            if future is not None and not future.done():
                future.set_result(None)
            else:  # nobody is waiting for it any more
                self.queue.finish(ticket)
                self._dispatch()
        for ticket in expired:
            future = self._started.get(ticket)
            if future is not None and not future.done():
                future.set_exception(ProtocolError(ErrorCode.SIGN_IN_TIMEOUT))
