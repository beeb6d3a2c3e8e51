"""The safety signals a facilitator's room keeps, sans-I/O: sent, seen, withdrawn, handled.

A participant discreetly signals they cannot talk freely (``SafetySignal``; the server
routes it to facilitators alone). Each seat has at most one open call: it opens when the
signal comes, is *seen* once the facilitator's app showed it, may be *withdrawn* by its
sender (it stays, shown as withdrawn: the facilitator still follows up) and closes when
the facilitator marks it *handled*. Every step is journalled with its time (the row's)
and how many seconds after the signal it came: seat and member ids, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from groupdesk.core.journal_kinds import SafetyEntry, SafetyKind

SafetyState = Literal["new", "withdrawn"]


@dataclass
class SafetyCall:
    """One open safety signal of ``seat`` (the group member ``member``; None: a guest)."""

    seat: str
    member: int | None
    sent_at: datetime
    seen_at: datetime | None = None
    withdrawn_at: datetime | None = None

    @property
    def state(self) -> SafetyState:
        """``new`` until its sender withdraws it, then ``withdrawn`` (still to handle)."""
        return "new" if self.withdrawn_at is None else "withdrawn"

    @property
    def active(self) -> bool:
        """Whether its sender still signals it (not withdrawn): the tile shows it."""
        return self.withdrawn_at is None


class SafetySignals:
    """The open safety signals of a facilitator's room, by seat, in the order they came."""

    def __init__(self) -> None:
        self.calls: dict[str, SafetyCall] = {}
        self.handled_count = 0

    def clear(self) -> None:
        """A new session: nothing open."""
        self.calls = {}
        self.handled_count = 0

    def open_calls(self) -> list[SafetyCall]:
        """Every call still to handle, the oldest first."""
        return sorted(self.calls.values(), key=lambda call: call.sent_at)

    def active(self, seat: str) -> bool:
        """Whether ``seat`` signals now (sent and not withdrawn)."""
        call = self.calls.get(seat)
        return call is not None and call.active

    def unseen(self) -> list[str]:
        """The seats whose call the facilitator's app has not shown yet."""
        return [call.seat for call in self.open_calls() if call.seen_at is None]

    def sent(self, seat: str, member: int | None, now: datetime) -> list[SafetyEntry]:
        """``seat`` sent the signal at ``now``; sent again while it is open: nothing new,
        unless it had been withdrawn (then it is new again, to be seen again)."""
        call = self.calls.get(seat)
        if call is not None and call.active:
            return []
        self.calls[seat] = SafetyCall(seat, member, now)
        return [SafetyEntry("safety.sent", seat, member)]

    def withdrawn(self, seat: str, now: datetime) -> list[SafetyEntry]:
        """``seat`` withdrew its signal at ``now`` (nothing open: nothing to do)."""
        call = self.calls.get(seat)
        if call is None or not call.active:
            return []
        call.withdrawn_at = now
        return [self._entry("safety.withdrawn", call, now)]

    def seen(self, seat: str, now: datetime) -> list[SafetyEntry]:
        """The facilitator's app showed ``seat``'s call at ``now`` (the first time counts)."""
        call = self.calls.get(seat)
        if call is None or call.seen_at is not None:
            return []
        call.seen_at = now
        return [self._entry("safety.seen", call, now)]

    def handled(self, seat: str, now: datetime) -> list[SafetyEntry]:
        """The facilitator marked ``seat``'s call handled at ``now``: it closes."""
        call = self.calls.pop(seat, None)
        if call is None:
            return []
        self.handled_count += 1
        return [self._entry("safety.handled", call, now)]

    @staticmethod
    def _entry(kind: SafetyKind, call: SafetyCall, now: datetime) -> SafetyEntry:
        seconds = round(max(0.0, (now - call.sent_at).total_seconds()), 3)
        return SafetyEntry(kind, call.seat, call.member, seconds)
