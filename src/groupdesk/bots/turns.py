"""What a simulated participant makes of the turn states a facilitator sends.

The bot keeps the last state with the time it came (``from_wire``) and a log of them;
from each new one follows whether its turn began (it speaks for a seeded time, or in a
round passes with the behaviour's probability), whether it ended, and whether its raised
hand went down (the queue held it, and no longer does). Pure: the bot acts on the
:class:`TurnChange`.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from groupdesk.bots.behaviour import BotBehaviour
from groupdesk.core.session.turn_wire import ReceivedTurns

TURN_LOG_LENGTH = 1000
"""Turn states a bot remembers, the newest last."""


@dataclass(frozen=True)
class TurnChange:
    """What a new turn state means for the bot."""

    hand_down: bool = False  # the floor or a facilitator lowered its hand
    ended: bool = False  # its turn is over: silence
    passes: bool = False  # its turn in a round began, and it passes
    speak_seconds: float | None = None  # its turn began: speak this long


class BotTurns:
    """The turn states received (:attr:`last`, :attr:`log`) and the bot's part in them."""

    def __init__(self, behaviour: BotBehaviour, rng: random.Random) -> None:
        self.behaviour = behaviour
        self._rng = rng
        self.last: ReceivedTurns | None = None
        self.log: deque[ReceivedTurns] = deque(maxlen=TURN_LOG_LENGTH)
        self.has_turn = False
        self.passes = 0
        self._hand_seen = False  # the queue held our raised hand (so its absence says down)

    @property
    def queue_kept(self) -> bool:
        """Whether the facilitator keeps a queue (then a raised hand waits its turn)."""
        return self.last is not None and self.last.state.queue is not None

    def hand_moved(self) -> None:
        """The bot raised or lowered its hand: the next states say where it stands."""
        self._hand_seen = False

    def follow(self, received: ReceivedTurns, me: str, hand_raised: bool) -> TurnChange:
        """Keep ``received`` (a facilitator's); what it means for ``me``."""
        self.last = received
        self.log.append(received)
        hand_down = False
        queue = received.state.queue
        if queue is not None:
            if me in queue:
                self._hand_seen = hand_raised
            elif hand_raised and self._hand_seen:
                hand_down = True
                self._hand_seen = False
        in_round = received.my_turn_in_round(me)
        mine = received.speaker == me or in_round
        if mine and not self.has_turn:
            self.has_turn = True
            b = self.behaviour
            seconds = b.speech_seconds(self._rng)  # drawn every turn: one sequence per seed
            if in_round and b.passes(self._rng):
                self.passes += 1
                return TurnChange(hand_down=hand_down, passes=True)
            return TurnChange(hand_down=hand_down, speak_seconds=seconds)
        if not mine and self.has_turn:
            self.has_turn = False
            return TurnChange(hand_down=hand_down, ended=True)
        return TurnChange(hand_down=hand_down)
