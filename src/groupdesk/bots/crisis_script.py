"""The crisis drill's script: the first simulated participant goes into a crisis.

``groupdesk bots --crisis-after S`` (``groupdesk demo --drill crisis``): ``S`` seconds
after its admission the first bot of the swarm

1. asks for help in a private chat line to the facilitators (in the bots' language:
   « Ça ne va pas du tout. J'ai besoin d'aide. »),
2. goes silent at once: no speech and no hands, its connection and camera kept,
3. ``silent_for`` seconds later its connection drops without a word of leaving (the
   socket and the media close; the server holds its seat for the grace period),
4. ``away_for`` seconds later it comes back: a new bot in the same place takes the seat
   back with the resume token (the same member, no new admission), still silent.

:class:`CrisisScript` is the schedule (validated numbers) and :class:`CrisisSchedule` says
what is due at a time, once each and in order (pure: tested with a fake clock);
:func:`play_crisis` carries it out on a real swarm. Every step runs once: the script ends.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from groupdesk.bots.bot import FINAL_STATES, Bot, BotError, BotEvent, BotSeat, BotStateChanged
from groupdesk.bots.swarm import BotSwarm
from groupdesk.core.i18n import tr
from groupdesk.signaling.client import SignalingClosedError

logger = logging.getLogger(__name__)

CrisisAction = Literal["ask_for_help", "go_silent", "drop", "come_back"]
"""One step of the script, in the order they come."""

MAX_SCRIPT_SECONDS = 86400.0
"""The longest any span of the script may be (a bound, not a wish)."""


@dataclass(frozen=True)
class CrisisScript:
    """When each step comes, in seconds: the help asked ``after`` the admission, silent
    from then on, the drop ``silent_for`` later, back ``away_for`` after the drop."""

    after: float
    silent_for: float = 12.0
    away_for: float = 5.0

    def __post_init__(self) -> None:
        for what, value, low in (
            ("after", self.after, 0.0),
            ("silent_for", self.silent_for, 0.0),
            ("away_for", self.away_for, 0.0),
        ):
            if not math.isfinite(value) or not low <= value <= MAX_SCRIPT_SECONDS:
                raise ValueError(f"{what} must be 0 to {MAX_SCRIPT_SECONDS:.0f} s, got {value}")

    def timeline(self) -> tuple[tuple[float, CrisisAction], ...]:
        """Each step with its time from the admission, in order."""
        drop = self.after + self.silent_for
        return (
            (self.after, "ask_for_help"),
            (self.after, "go_silent"),
            (drop, "drop"),
            (drop + self.away_for, "come_back"),
        )

    def within(self, grace_seconds: float) -> CrisisScript:
        """The script with its time away shortened to half the server's grace period when
        longer: the bot must come back while its seat is still held."""
        if grace_seconds <= 0 or self.away_for <= grace_seconds / 2:
            return self
        return dataclasses.replace(self, away_for=grace_seconds / 2)


class CrisisSchedule:
    """The script against a clock started at the admission (``admitted_at``)."""

    def __init__(self, script: CrisisScript, admitted_at: float) -> None:
        self._steps = [(admitted_at + at, action) for at, action in script.timeline()]
        self._done = 0

    @property
    def finished(self) -> bool:
        """Whether every step has been handed out."""
        return self._done >= len(self._steps)

    def next_at(self) -> float | None:
        """When the next step is due (None: the script is over)."""
        return None if self.finished else self._steps[self._done][0]

    def due(self, now: float) -> list[CrisisAction]:
        """The steps due at ``now`` not handed out yet, in order; each is handed out once."""
        out: list[CrisisAction] = []
        while not self.finished and self._steps[self._done][0] <= now:
            out.append(self._steps[self._done][1])
            self._done += 1
        return out

    def stop(self) -> None:
        """Nothing more is due (the bot is gone for another reason)."""
        self._done = len(self._steps)


def help_words(lang: str | None = None) -> str:
    """The private line asking for help, in ``lang`` (None: the current language)."""
    return tr("bots.crisis.help", lang)


def facilitators(bot: Bot) -> list[str]:
    """The seats of the room's facilitators, as the bot sees the room."""
    return sorted(m.seat for m in bot.members.values() if m.role == "facilitator" and not m.is_self)


async def play_crisis(
    swarm: BotSwarm,
    script: CrisisScript,
    *,
    clock: Callable[[], float] = time.monotonic,
    admission_timeout: float | None = None,
) -> Bot | None:
    """The first bot of ``swarm`` plays ``script`` from its first admission (waiting for
    it at most ``admission_timeout``; None: as long as it waits in the lobby). Returns the
    bot in that place at the end (the one that came back), None if it never got in."""
    bot = swarm.bots[0]
    if not await _admitted(swarm, bot, admission_timeout):
        return None
    schedule = CrisisSchedule(script.within(bot.client.grace_seconds), clock())
    seat: BotSeat | None = None
    while (at := schedule.next_at()) is not None:
        await asyncio.sleep(max(0.0, at - clock()))
        for action in schedule.due(clock()):
            if action != "come_back" and bot.state in FINAL_STATES:
                logger.info("the crisis drill stops: %s is gone (%s)", bot.name, bot.reason)
                schedule.stop()
                break
            try:
                bot, seat = await _carry_out(action, swarm, bot, seat)
            except (SignalingClosedError, BotError) as error:
                logger.info("the crisis drill stops at %s: %s", action, type(error).__name__)
                schedule.stop()
                break
    return bot


async def _admitted(swarm: BotSwarm, bot: Bot, timeout: float | None) -> bool:
    """Wait until ``bot`` is admitted (True) or is gone (False)."""
    changed = asyncio.Event()

    def on_event(event: BotEvent) -> None:
        if isinstance(event, BotStateChanged) and event.bot is bot:
            changed.set()

    unsubscribe = swarm.events.subscribe(on_event)
    try:
        async with asyncio.timeout(timeout):
            while bot.state not in ("admitted", *FINAL_STATES):
                changed.clear()
                await changed.wait()
    except TimeoutError:
        return False
    finally:
        unsubscribe()
    return bot.state == "admitted"


async def _carry_out(
    action: CrisisAction, swarm: BotSwarm, bot: Bot, seat: BotSeat | None
) -> tuple[Bot, BotSeat | None]:
    """Do one step; returns the bot now in that place and the seat held while away."""
    match action:
        case "ask_for_help":
            words = help_words()
            for to in facilitators(bot):
                await bot.send_chat(words, to)
            logger.info("crisis drill: %s asked the facilitators for help", bot.name)
        case "go_silent":
            await bot.go_silent()
        case "drop":
            seat = await bot.drop()
            logger.info("crisis drill: %s dropped (seat held: %s)", bot.name, seat is not None)
        case "come_back":
            if seat is None:
                return bot, None
            quiet = dataclasses.replace(bot.behaviour, speak=False, hand_raises_per_minute=0.0)
            back = Bot(bot.name, bot.index, quiet, ssl_context=bot.ssl_context, events=swarm.events)
            swarm.bots[swarm.bots.index(bot)] = back  # whoever stops the swarm stops it
            await back.resume(swarm.invite, seat.token)
            logger.info("crisis drill: %s is back in its seat", back.name)
            return back, None
    return bot, seat
