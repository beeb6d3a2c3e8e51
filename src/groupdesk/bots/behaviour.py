"""How a simulated participant behaves: media, speech, hands, turns, answers, names.

Every choice a bot makes at random follows from :attr:`BotBehaviour.seed` and the
bot's index, so a demo or a benchmark run can be repeated exactly.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from groupdesk.core.protocol import CONSENT_ANSWER, Question, RoomConsent

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

CONTACTS = (
    "Marie Gagnon",
    "Luc Tremblay",
    "Nathalie Roy",
    "Pierre Côté",
    "Sylvie Bouchard",
    "Martin Gauthier",
)
"""Whom bots name as their emergency contact (fictional people, with fictional numbers)."""

PLAIN_ANSWER = "Rien de particulier."
"""What a bot writes to a question of words other than its emergency contact."""

MAX_SPEAK_SECONDS = 3600.0
"""The longest a bot speaks in one turn."""
MAX_SCRIPT_SECONDS = 24 * 3600.0
"""The longest a speech script may run."""

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


def emergency_contact(index: int) -> str:
    """The fictional emergency contact of bot number ``index``: a name and a number that
    reaches nobody (not the bot's own)."""
    return f"{CONTACTS[index % len(CONTACTS)]}, {fictional_phone(index + 50)}"


@dataclass(frozen=True)
class BotAnswers:
    """What a bot declares for the participant checklist (the policy's item ids).

    ``location`` and ``phone`` default to a different Québec place and a different
    fictional number for each bot; ``emergency_contact`` to a fictional person.
    ``consent``: the bot agrees to the room's consent text (its version is declared).
    ``unmet``: the first ``unmet`` bots (by index) leave required items unmet -- not
    alone, no phone number -- so a facilitator rehearses admitting anyway.
    """

    private_place: bool = True
    alone: bool = True
    headphones: bool = True
    no_recording: bool = True
    group_rules: bool = True
    location: str | None = None
    phone: str | None = None
    emergency_contact: str | None = None
    consent: bool = True
    unmet: int = 0

    def __post_init__(self) -> None:
        for what, value in (
            ("location", self.location),
            ("phone", self.phone),
            ("emergency_contact", self.emergency_contact),
        ):
            if value is not None:
                _check_text(value, what, _MAX_ANSWER_CHARS)
        if not 0 <= self.unmet <= MAX_BOTS:
            raise ValueError(f"unmet must be in 0..{MAX_BOTS}, got {self.unmet}")

    def _ticks(self, index: int) -> dict[str, bool]:
        return {
            "private_place": self.private_place,
            "alone": self.alone and index >= self.unmet,
            "headphones": self.headphones,
            "no_recording": self.no_recording,
            "group_rules": self.group_rules,
        }

    def _phone(self, index: int) -> str | None:
        return None if index < self.unmet else self.phone or fictional_phone(index)

    def declared(self, index: int) -> dict[str, Any]:
        """The ``declared`` answers of bot number ``index`` to the default checklist
        (a room that brought no questions of its own)."""
        declared: dict[str, Any] = {
            **self._ticks(index),
            "location": self.location or PLACES[index % len(PLACES)],
        }
        if (phone := self._phone(index)) is not None:
            declared["phone"] = phone
        return declared

    def answer(self, question: Question, index: int) -> bool | str | None:
        """Bot number ``index``'s answer to one question, by its kind (None: left blank).

        A tick: the bot's truth for the checklist's own items, else yes. Where it is now:
        a Québec place. A phone number: a fictional one. Words: a fictional emergency
        contact for ``emergency_contact``, else :data:`PLAIN_ANSWER`.
        """
        match question.kind:
            case "tick":
                return self._ticks(index).get(question.id, True)
            case "location":
                return self.location or PLACES[index % len(PLACES)]
            case "phone":
                return self._phone(index)
            case "text":
                if question.id == "emergency_contact":
                    return self.emergency_contact or emergency_contact(index)
                return PLAIN_ANSWER
            case _ as never:
                assert_never(never)

    def answers_to(
        self, questions: Sequence[Question], index: int, consent: RoomConsent | None = None
    ) -> dict[str, Any]:
        """The answers of bot number ``index`` to the room's own questions, each by its
        kind (see :meth:`answer`; a blank one is left out, as the page leaves it), and
        the version of the room's ``consent`` text unless the bot does not consent. No
        questions: the whole default checklist (:meth:`declared`)."""
        if not questions:
            declared = self.declared(index)
        else:
            declared = {}
            for question in questions:
                if (value := self.answer(question, index)) is not None:
                    declared[question.id] = value
        if consent is not None and self.consent:
            declared[CONSENT_ANSWER] = consent.version
        return declared


@dataclass(frozen=True)
class BotBehaviour:
    """What every bot of a swarm sends and does.

    Video: a test pattern with the bot's name, ``width`` x ``height`` at ``fps``
    (``send_video=False``: audio only). ``receive_video=False`` asks the others not to
    send the bot their video (a lighter demo or benchmark on one machine).

    Speech (``speak=False``: the bot never speaks): given the floor by a facilitator
    (or its turn in a round), the bot speaks speech-like audio for a number of seconds
    drawn from ``speak_seconds``, then is silent until its turn ends; in a round it
    passes instead with probability ``pass_probability``. Otherwise it is silent, or,
    with ``chatter``, speaks in bursts about ``talk_ratio`` of the time.

    Hands: on average ``hand_raises_per_minute`` raises a minute (0: never). When the
    facilitator keeps a queue, a raised hand waits in line until the floor or the
    facilitator lowers it; else the bot lowers it after ``hand_up_seconds`` (a range).

    Safety drill: with ``safety_after`` (seconds), the first bot of the swarm sends the
    discreet safety signal that long after its admission, so a facilitator rehearses it.
    """

    width: int = 320
    height: int = 180
    fps: int = 15
    send_video: bool = True
    receive_video: bool = True
    speak: bool = True
    speak_seconds: tuple[float, float] = (4.0, 12.0)
    pass_probability: float = 0.2
    chatter: bool = False
    talk_ratio: float = 0.3
    hand_raises_per_minute: float = 0.5
    hand_up_seconds: tuple[float, float] = (5.0, 20.0)
    answers: BotAnswers = field(default_factory=BotAnswers)
    seed: int = 0
    safety_after: float | None = None

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
        low, high = self.speak_seconds
        if not 0.0 < low <= high <= MAX_SPEAK_SECONDS:
            raise ValueError(f"speak_seconds must be a range of positive seconds: {low}, {high}")
        if not 0.0 <= self.pass_probability <= 1.0:
            raise ValueError(f"pass_probability must be in [0, 1], got {self.pass_probability}")
        if self.safety_after is not None and not 0.0 <= self.safety_after <= 86400.0:
            raise ValueError(f"safety_after must be in [0, 86400] seconds: {self.safety_after}")

    def speech_seconds(self, rng: random.Random) -> float:
        """How long the bot speaks in a turn, drawn from ``speak_seconds`` with ``rng``."""
        return rng.uniform(*self.speak_seconds)

    def passes(self, rng: random.Random) -> bool:
        """Whether the bot passes its turn in a round, drawn with ``rng``."""
        return rng.random() < self.pass_probability


def _check_spans(spans: Sequence[tuple[float, float]], what: str) -> None:
    for start, duration in spans:
        if not (math.isfinite(start) and math.isfinite(duration)):
            raise ValueError(f"{what}: times must be finite numbers of seconds")
        if start < 0 or duration <= 0 or start + duration > MAX_SCRIPT_SECONDS:
            raise ValueError(
                f"{what}: each (start, duration) needs start >= 0, duration > 0 and an end "
                f"within {MAX_SCRIPT_SECONDS:.0f} s, got ({start}, {duration})"
            )


@dataclass(frozen=True)
class SpeechScript:
    """When a bot speaks and when it is muted, for a measurement that knows the truth.

    ``bursts`` and ``muted`` are ``(start_s, duration_s)`` spans, relative to the instant
    the script starts. While muted the bot's microphone sends silence and the bot tells
    the room (``media_state``), as the desktop does: a burst's muted part is not heard,
    and is not in the bot's :meth:`~groupdesk.bots.Bot.spoken_seconds`.
    """

    bursts: tuple[tuple[float, float], ...] = ()
    muted: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        _check_spans(self.bursts, "bursts")
        _check_spans(self.muted, "muted")

    @property
    def length(self) -> float:
        """Seconds from the script's start to the end of its last span."""
        return max((start + duration for start, duration in self.bursts + self.muted), default=0.0)

    def truth(self) -> float:
        """The seconds of speech heard: the bursts, less their muted parts (merged spans)."""
        return _measure(_minus(_merged(self.bursts), _merged(self.muted)))


def _merged(spans: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """``(start, end)`` intervals, sorted and merged."""
    out: list[tuple[float, float]] = []
    for start, end in sorted((s, s + d) for s, d in spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _minus(
    spans: list[tuple[float, float]], holes: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for span_start, end in spans:
        start = span_start
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            if hole_start > start:
                out.append((start, hole_start))
            start = max(start, hole_end)
        if start < end:
            out.append((start, end))
    return out


def _measure(spans: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in spans)


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
