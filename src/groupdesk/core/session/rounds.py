"""Round mode (« tour de table »): one pass over chosen members, in a chosen order.

A :class:`RoundState` is an immutable value: each step returns a new one. The
member whose turn it is comes first in ``pending``; who is done sits in ``done``
with what they did. A member who leaves before their turn is removed from the
round (it shrinks); one who leaves after keeps their outcome. Members who join a
running round are not added to it: the order was announced when it started, and
they can raise a hand.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, assert_never

from groupdesk.core import protocol

RoundOrder = protocol.RoundOrder  # one list of orders: the wire's (``TurnRound``) too
ROUND_ORDERS: tuple[RoundOrder, ...] = protocol.ROUND_ORDERS

Outcome = Literal["spoke", "passed", "skipped"]


def round_order(
    members: Sequence[str],
    order: RoundOrder,
    *,
    seconds: Callable[[str], float],
    seed: str,
) -> tuple[str, ...]:
    """``members`` (given in the current order) put in ``order``.

    ``random`` shuffles with a generator seeded by ``seed`` (so a restored machine
    draws the same); ``quieter_first`` sorts by talk time, ties keeping the current order.
    """
    match order:
        case "current":
            return tuple(members)
        case "random":
            shuffled = list(members)
            random.Random(seed).shuffle(shuffled)
            return tuple(shuffled)
        case "quieter_first":
            place = {m: i for i, m in enumerate(members)}
            return tuple(sorted(members, key=lambda m: (seconds(m), place[m])))
        case _:
            assert_never(order)


@dataclass(frozen=True)
class RoundState:
    """A running round: who is still to come (current first) and who is done."""

    order: RoundOrder
    pending: tuple[str, ...]
    done: tuple[tuple[str, Outcome], ...] = ()

    def __post_init__(self) -> None:
        names = [*self.pending, *(m for m, _ in self.done)]
        if len(set(names)) != len(names):
            raise ValueError("a member appears twice in a round")

    @property
    def current(self) -> str | None:
        """Whose turn it is, or ``None`` once everyone is done."""
        return self.pending[0] if self.pending else None

    @property
    def next(self) -> str | None:
        """Who comes after the current member."""
        return self.pending[1] if len(self.pending) > 1 else None

    @property
    def total(self) -> int:
        """How many members the round holds."""
        return len(self.pending) + len(self.done)

    @property
    def finished(self) -> bool:
        """Whether every member has had their turn."""
        return not self.pending

    def advanced(self, outcome: Outcome) -> RoundState:
        """The round once the current member is done with ``outcome``."""
        if not self.pending:
            raise ValueError("the round is over")
        return replace(
            self, pending=self.pending[1:], done=(*self.done, (self.pending[0], outcome))
        )

    def without(self, member: str) -> RoundState:
        """The round once ``member`` has left (removed if their turn had not come)."""
        return replace(self, pending=tuple(m for m in self.pending if m != member))
