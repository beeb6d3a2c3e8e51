"""What goes into the turn manager (commands, media events) and what comes out.

Every command names who asks (``by``); a member acts only for itself, and what
touches another member needs a facilitator. Outputs carry ids and numbers, never
content, so each one can go to the journal as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from groupdesk.core.protocol import QUEUE_ORDERS, QueueOrder, Role
from groupdesk.core.session.rounds import ROUND_ORDERS, RoundOrder


def _check_seconds(value: float | None, what: str) -> None:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise ValueError(f"{what} must be a positive number of seconds")


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Join:
    """``member`` is in the room with ``role`` (admitted, or back after a drop)."""

    member: str
    role: Role


@dataclass(frozen=True)
class Leave:
    """``member`` left the room (or was removed, or their seat expired)."""

    member: str


@dataclass(frozen=True)
class RaiseHand:
    """``by`` raises their hand; ``at`` (the server's time) orders the queue."""

    by: str
    at: float | None = None


@dataclass(frozen=True)
class LowerHand:
    """``by`` lowers ``member``'s hand (their own, or anyone's for a facilitator)."""

    by: str
    member: str


@dataclass(frozen=True)
class GiveFloor:
    """A facilitator gives the floor to ``member``, or to the next in line if ``None``."""

    by: str
    member: str | None = None


@dataclass(frozen=True)
class EndTurn:
    """The speaker's turn ends (asked by a facilitator or by the speaker); the floor opens."""

    by: str


@dataclass(frozen=True)
class ExtendTurn:
    """A facilitator gives the speaker more time (``None``: the usual extension)."""

    by: str
    seconds: float | None = None

    def __post_init__(self) -> None:
        _check_seconds(self.seconds, "an extension")


@dataclass(frozen=True)
class SetTurnLimit:
    """A facilitator sets the soft limit of a turn for this session (``None``: no limit)."""

    by: str
    seconds: float | None

    def __post_init__(self) -> None:
        _check_seconds(self.seconds, "a turn limit")


@dataclass(frozen=True)
class SetQueueOrder:
    """A facilitator orders the queue by hand raised, or quieter members first."""

    by: str
    order: QueueOrder

    def __post_init__(self) -> None:
        if self.order not in QUEUE_ORDERS:
            raise ValueError(f"unknown queue order {self.order!r}")


@dataclass(frozen=True)
class MuteAll:
    """A facilitator asks everyone else to mute."""

    by: str


@dataclass(frozen=True)
class MuteAllButSpeaker:
    """A facilitator asks everyone but the speaker (and themselves) to mute."""

    by: str


@dataclass(frozen=True)
class StartRound:
    """A facilitator starts a round over ``among`` (default: the participants present,
    in the order they joined), in ``order``."""

    by: str
    order: RoundOrder = "current"
    among: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.order not in ROUND_ORDERS:
            raise ValueError(f"unknown round order {self.order!r}")


@dataclass(frozen=True)
class PassInRound:
    """The member whose turn it is in the round passes (shown to facilitators only)."""

    by: str


@dataclass(frozen=True)
class SkipInRound:
    """A facilitator skips the member whose turn it is in the round."""

    by: str


@dataclass(frozen=True)
class StopRound:
    """A facilitator stops the round before its end."""

    by: str


@dataclass(frozen=True)
class VoiceActivity:
    """Voice activity of ``member`` started or stopped at ``at`` (the adapter's clock)."""

    member: str
    speaking: bool
    at: float


@dataclass(frozen=True)
class MuteChanged:
    """``member``'s microphone was muted or unmuted at ``at`` (the adapter's clock)."""

    member: str
    muted: bool
    at: float


Command = (
    RaiseHand
    | LowerHand
    | GiveFloor
    | EndTurn
    | ExtendTurn
    | SetTurnLimit
    | SetQueueOrder
    | MuteAll
    | MuteAllButSpeaker
    | StartRound
    | PassInRound
    | SkipInRound
    | StopRound
)
"""What a member asks for: each carries ``by`` and may be refused."""

TurnInput = Join | Leave | VoiceActivity | MuteChanged | Command
"""Everything :meth:`TurnManager.handle` accepts."""


# ----------------------------------------------------------------- outputs

RefusalReason = Literal[
    "not_present",  # who asks is not in the room
    "not_facilitator",  # only a facilitator may do this
    "unknown_member",  # the member named is not in the room
    "queue_empty",  # "next speaker" with nobody in line
    "no_speaker",  # nobody has the floor
    "no_limit",  # extending a turn that has no limit
    "round_running",  # the floor follows the round; skip or stop it first
    "no_round",  # no round is running
    "not_your_turn",  # only the member whose turn it is may pass
    "nobody_in_round",  # a round over nobody
]


@dataclass(frozen=True)
class Refused:
    """``command`` was refused, for ``reason``; nothing changed."""

    command: Command
    reason: RefusalReason


@dataclass(frozen=True)
class MuteRequest:
    """Ask each of ``members`` to mute (their clients honour it); ``by`` asked."""

    by: str
    members: tuple[str, ...]
    all_but_speaker: bool


HandLoweredReason = Literal["self", "facilitator", "floor", "left"]
FloorEndedReason = Literal["ended", "replaced", "left", "round"]


@dataclass(frozen=True)
class HandRaised:
    """``member`` raised their hand; they are ``place`` in line."""

    member: str
    place: int


@dataclass(frozen=True)
class HandLowered:
    """``member``'s hand went down (by themselves, a facilitator, the floor or leaving)."""

    member: str
    by: str | None
    reason: HandLoweredReason


@dataclass(frozen=True)
class FloorGiven:
    """``by`` gave ``member`` the floor, with a soft limit of ``limit`` seconds."""

    member: str
    by: str
    limit: float | None


@dataclass(frozen=True)
class FloorEnded:
    """``member``'s turn ended after ``seconds``; the floor is open unless another follows."""

    member: str
    by: str | None
    seconds: float
    reason: FloorEndedReason


@dataclass(frozen=True)
class TurnExtended:
    """``by`` gave the speaker ``seconds`` more; the limit is now ``limit``."""

    member: str
    by: str
    seconds: float
    limit: float


@dataclass(frozen=True)
class TurnLimitChanged:
    """``by`` set the soft limit of turns to ``limit`` seconds (``None``: none)."""

    by: str
    limit: float | None


@dataclass(frozen=True)
class QueueOrderChanged:
    """``by`` changed how the queue is ordered."""

    by: str
    order: QueueOrder


@dataclass(frozen=True)
class TimerWarning:
    """The speaker's turn nears its soft limit: ``remaining`` seconds left."""

    member: str
    remaining: float


@dataclass(frozen=True)
class TimeUp:
    """The speaker reached the soft limit (nothing is cut: the facilitator decides)."""

    member: str


@dataclass(frozen=True)
class RoundStarted:
    """``by`` started a round of ``members`` (in that order), ordered by ``order``."""

    by: str
    order: RoundOrder
    members: tuple[str, ...]


@dataclass(frozen=True)
class RoundPassed:
    """``member`` passed their turn in the round."""

    member: str


@dataclass(frozen=True)
class RoundSkipped:
    """``by`` skipped ``member`` in the round."""

    member: str
    by: str


@dataclass(frozen=True)
class RoundFinished:
    """The round ended: ``completed`` when everyone had their turn, else stopped by ``by``."""

    by: str | None
    completed: bool
    spoke: int
    passed: int
    skipped: int


JournalEvent = (
    HandRaised
    | HandLowered
    | FloorGiven
    | FloorEnded
    | TurnExtended
    | TurnLimitChanged
    | QueueOrderChanged
    | TimerWarning
    | TimeUp
    | RoundStarted
    | RoundPassed
    | RoundSkipped
    | RoundFinished
)
"""What is worth a line in the session journal (ids and numbers only)."""

TurnOutput = JournalEvent | MuteRequest | Refused
"""Everything :meth:`TurnManager.handle` and :meth:`TurnManager.tick` return."""
