"""The private side room: who is aside, and whose media each app must leave alone. No I/O.

A facilitator steps aside with one member (a crisis, a private word): the two see and
hear only each other while the group goes on (with a co-facilitator, or on a short
pause). Isolation holds on both sides of every link: an app outside the side room
neither sends to its members nor takes what comes from them, and an app inside does
the same for everyone else -- so a member who has not heard of it yet (a newcomer, an
older app) still cannot reach the pair, because the pair ignores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SideRoomState:
    """Who is in the side room (empty: nobody, everyone is together), and which
    facilitator opened it."""

    members: frozenset[str] = frozenset()
    opened_by: str | None = None

    @property
    def active(self) -> bool:
        """True while someone is aside."""
        return bool(self.members)

    def apart(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` may not see or hear each other now."""
        return self.active and ((a in self.members) != (b in self.members))

    def blocked_for(self, me: str, seats: Iterable[str]) -> frozenset[str]:
        """The seats (of ``seats``) whose media ``me`` must neither send to nor take."""
        return frozenset(seat for seat in seats if seat != me and self.apart(me, seat))

    def aside(self, seat: str) -> bool:
        """Whether ``seat`` is in the side room."""
        return seat in self.members
