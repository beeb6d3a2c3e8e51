"""How a simulated participant behaves: media, speech, hands, checklist answers, names.

Every choice a bot makes at random follows from :attr:`BotBehaviour.seed` and the
bot's index, so a demo or a benchmark run can be repeated exactly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_BOTS = 32
"""More simulated participants than any room holds (12 by default), and still a bound."""

DEFAULT_NAMES = (
    "Ana",
    "Benoît",
    "Chloé",
    "Dominic",
    "Élise",
    "Fatou",
    "Gabriel",
    "Hélène",
    "Ismaël",
    "Julie",
    "Karim",
    "Léa",
)
"""Names a group in Québec could have; used in order when none are given."""

PLACES = (
    "Montréal",
    "Québec",
    "Sherbrooke",
    "Gatineau",
    "Trois-Rivières",
    "Rimouski",
    "Saguenay",
    "Laval",
    "Longueuil",
    "Rouyn-Noranda",
    "Gaspé",
    "Drummondville",
)
"""Where bots say they are when no location is given (one per bot, in order)."""

_MAX_NAME_CHARS = 64
_MAX_ANSWER_CHARS = 200


def _check_text(value: str, what: str, max_chars: int) -> None:
    if not value.strip() or value != value.strip() or len(value) > max_chars:
        raise ValueError(f"{what} must be 1 to {max_chars} characters, without outer spaces")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValueError(f"{what} must not contain control characters")


def fictional_phone(index: int) -> str:
    """A phone number that reaches nobody: 555-0100 to 555-0199 are reserved for fiction."""
    return f"514-555-01{index % 100:02d}"


@dataclass(frozen=True)
class BotAnswers:
    """What a bot declares for the participant checklist (the policy's item ids).

    ``location`` and ``phone`` default to a different Québec place and a different
    fictional number for each bot.
    """

    private_place: bool = True
    alone: bool = True
    headphones: bool = True
    no_recording: bool = True
    group_rules: bool = True
    location: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        for what, value in (("location", self.location), ("phone", self.phone)):
            if value is not None:
                _check_text(value, what, _MAX_ANSWER_CHARS)

    def declared(self, index: int) -> dict[str, Any]:
        """The ``declared`` answers of bot number ``index`` (for the lobby)."""
        return {
            "private_place": self.private_place,
            "alone": self.alone,
            "headphones": self.headphones,
            "no_recording": self.no_recording,
            "group_rules": self.group_rules,
            "location": self.location or PLACES[index % len(PLACES)],
            "phone": self.phone or fictional_phone(index),
        }

    def answers_to(self, question_ids: Sequence[str], index: int) -> dict[str, Any]:
        """The answers of bot number ``index`` to the room's own questions (their ids).

        ``location`` and ``phone`` get words (see :meth:`declared`); an item of the
        checklist above gets its answer here; any other question is a yes-or-no
        confirmation, answered yes. No questions: the whole default checklist.
        """
        if not question_ids:
            return self.declared(index)
        defaults = self.declared(index)
        return {qid: defaults.get(qid, True) for qid in question_ids}


@dataclass(frozen=True)
class BotBehaviour:
    """What every bot of a swarm sends and does.

    Video: a test pattern with the bot's name, ``width`` x ``height`` at ``fps``
    (``send_video=False``: audio only). Audio: speech-like bursts for about
    ``talk_ratio`` of the time when ``speak``, else silence. Hands: on average
    ``hand_raises_per_minute`` raises a minute (0: never), each lowered again after
    ``hand_up_seconds`` (a range). ``receive_video=False`` asks the others not to
    send the bot their video (a lighter demo or benchmark on one machine).
    """

    width: int = 320
    height: int = 180
    fps: int = 15
    send_video: bool = True
    receive_video: bool = True
    speak: bool = True
    talk_ratio: float = 0.3
    hand_raises_per_minute: float = 0.5
    hand_up_seconds: tuple[float, float] = (5.0, 20.0)
    answers: BotAnswers = field(default_factory=BotAnswers)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2 or self.width < 64 or self.height < 36:
            raise ValueError(f"video must be even and at least 64x36: {self.width}x{self.height}")
        if self.width > 1920 or self.height > 1080:
            raise ValueError(f"video must be at most 1920x1080: {self.width}x{self.height}")
        if not 1 <= self.fps <= 60:
            raise ValueError(f"fps must be in 1..60, got {self.fps}")
        if not 0.0 <= self.talk_ratio <= 1.0:
            raise ValueError(f"talk_ratio must be in [0, 1], got {self.talk_ratio}")
        if not 0.0 <= self.hand_raises_per_minute <= 600.0:
            raise ValueError("hand_raises_per_minute must be in [0, 600]")
        low, high = self.hand_up_seconds
        if not 0.0 < low <= high:
            raise ValueError(f"hand_up_seconds must be a range of positive seconds: {low}, {high}")


def pick_names(count: int, names: Sequence[str] | None = None) -> list[str]:
    """``count`` display names: ``names`` first, then unused defaults, then numbered ones."""
    if not 1 <= count <= MAX_BOTS:
        raise ValueError(f"count must be in 1..{MAX_BOTS}, got {count}")
    chosen = [name.strip() for name in names or () if name.strip()]
    for name in chosen:
        _check_text(name, "a name", _MAX_NAME_CHARS)
    chosen = chosen[:count]
    pool = [name for name in DEFAULT_NAMES if name not in chosen]
    round_ = 2
    while len(chosen) < count:
        if not pool:
            pool = [f"{name} {round_}" for name in DEFAULT_NAMES]
            round_ += 1
        chosen.append(pool.pop(0))
    return chosen
