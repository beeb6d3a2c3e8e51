"""What the turn manager shows, and the snapshot a co-facilitator carries on from.

Two views: the facilitators' (with everyone's talk time, who passed in a round, who
has not spoken yet) and a participant's (their hand and place, who has the floor,
the timer, the round's progress -- never anyone's talk time). Both are frozen
dataclasses: equal views mean nothing to send.
"""

from __future__ import annotations

from dataclasses import dataclass

from groupdesk.core.protocol import QUEUE_ORDERS, ROLES, QueueOrder, Role
from groupdesk.core.session.rounds import Outcome, RoundOrder, RoundState
from groupdesk.core.session.talk_time import VoiceRecord


@dataclass(frozen=True)
class QueueEntry:
    """``member`` is ``place`` in line (1 is next), hand raised at ``raised_at``."""

    member: str
    place: int
    raised_at: float


@dataclass(frozen=True)
class TimerView:
    """The speaker's turn timer at the time of the view (a soft limit: it can run over)."""

    member: str
    started_at: float
    elapsed: float
    limit: float | None  # extensions included
    extended: float
    remaining: float | None  # negative once over the limit
    warning: bool  # the gentle warning is due (or past)
    over: bool  # the soft limit is reached


@dataclass(frozen=True)
class RoundProgress:
    """How far the round is: ``done`` of ``total``, whose turn it is and who comes next."""

    order: RoundOrder
    done: int
    total: int
    current: str | None
    next: str | None


@dataclass(frozen=True)
class RoundDetail:
    """The round as facilitators see it: who spoke, passed or was skipped, who is left."""

    progress: RoundProgress
    outcomes: tuple[tuple[str, Outcome], ...]
    pending: tuple[str, ...]


@dataclass(frozen=True)
class TalkTime:
    """``member``'s talk time: ``seconds``, ``share`` of the room's total, ``turns`` given."""

    member: str
    seconds: float
    share: float | None  # None while nobody has spoken
    turns: int
    speaking: bool


@dataclass(frozen=True)
class MemberTotals:
    """What is stored with the session at its end: ``member``'s talk time and turns."""

    member: str
    seconds: float
    turns: int


@dataclass(frozen=True)
class FacilitatorView:
    """What a facilitator (or co-facilitator) sees."""

    queue: tuple[QueueEntry, ...]
    queue_order: QueueOrder
    speaker: str | None
    timer: TimerView | None
    turn_limit: float | None
    round: RoundDetail | None
    talk: tuple[TalkTime, ...]  # present members, in the order they joined
    fair_share: float | None  # 1/N of the present members
    not_yet_spoken: tuple[str, ...]
    muted: tuple[str, ...]


@dataclass(frozen=True)
class ParticipantView:
    """What ``member`` sees: nobody's talk time, nobody's pass."""

    member: str
    hand_raised: bool
    place: int | None
    queue: tuple[str, ...]
    speaker: str | None
    timer: TimerView | None
    round: RoundProgress | None
    my_turn_in_round: bool


@dataclass(frozen=True)
class TurnSnapshot:
    """The whole state of a turn manager at ``taken_at`` (its clock), to restore elsewhere.

    Hand times are ordering keys (the server's time) and are kept as they are; the
    turn timer and talk-time times are moved onto the restoring machine's clock.
    """

    taken_at: float
    seed: int
    members: tuple[tuple[str, Role], ...]  # present, in the order they joined
    hands: tuple[tuple[str, float], ...]
    queue_order: QueueOrder
    turn_limit: float | None
    speaker: str | None
    turn_started_at: float | None
    turn_by: str | None
    extension: float
    warned: bool
    timed_up: bool
    round: RoundState | None
    round_by: str | None
    rounds_started: int
    turns: tuple[tuple[str, int], ...]
    voices: tuple[VoiceRecord, ...]
    voices_latest: float

    def __post_init__(self) -> None:
        present = {m for m, _ in self.members}
        if len(present) != len(self.members) or any(r not in ROLES for _, r in self.members):
            raise ValueError("a snapshot lists each present member once, with a known role")
        if self.queue_order not in QUEUE_ORDERS:
            raise ValueError(f"unknown queue order {self.queue_order!r}")
        if any(m not in present for m, _ in self.hands):
            raise ValueError("a snapshot holds a hand of someone not present")
        has_turn = (self.speaker, self.turn_started_at, self.turn_by) != (None, None, None)
        if has_turn and (self.speaker not in present or self.turn_started_at is None):
            raise ValueError("a snapshot's speaker must be present, with the turn's start")
        if has_turn and self.turn_by is None:
            raise ValueError("a snapshot's turn must say who gave it")
        if self.round is not None and any(m not in present for m in self.round.pending):
            raise ValueError("a snapshot's round waits for someone not present")
        if self.extension < 0 or (self.turn_limit is not None and self.turn_limit <= 0):
            raise ValueError("a snapshot's limit and extension must be positive")
