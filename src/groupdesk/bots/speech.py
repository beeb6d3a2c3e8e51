"""What a simulated participant says, and when: its microphone, switched at run time.

A bot speaks for one or more reasons at once -- it has the floor, its script says so,
or it chatters in the background -- and is silent when none holds. Muting sends silence
whatever the reasons, as the desktop's muted microphone does, and tells the room. The
microphone (:class:`~groupdesk.media.sources.SwitchableSpeechSource`) counts the
speech it sent unmuted: :meth:`BotSpeech.spoken_seconds` is the truth a talk-time
measurement is checked against.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from groupdesk.bots.behaviour import SpeechScript
from groupdesk.media.sources import SwitchableSpeechSource

SpeechReason = Literal["floor", "script", "chatter"]


class BotSpeech:
    """The bot's microphone and why it speaks; ``mute(muted)`` asks the bot's room, which
    switches the microphone (:meth:`microphone`) and tells the others."""

    def __init__(
        self,
        seed: int,
        rng: random.Random,
        mute: Callable[[bool], Awaitable[None]],
        on_change: Callable[[bool], None],
    ) -> None:
        self.source = SwitchableSpeechSource(seed=seed)
        self._rng = rng
        self._mute = mute
        self._on_change = on_change
        self._reasons: set[SpeechReason] = set()
        self._floor: asyncio.Task[None] | None = None
        self.hushed = False
        """Silent for good (:meth:`hush`): no reason makes the bot speak any more."""

    @property
    def speaking(self) -> bool:
        """Whether the bot speaks now (even muted: then nobody hears it)."""
        return self.source.speaking

    @property
    def muted(self) -> bool:
        """Whether the microphone is muted (it sends silence)."""
        return self.source.muted

    def spoken_seconds(self) -> float:
        """Seconds of speech sent with the microphone on, so far."""
        return self.source.spoken_seconds

    def set(self, reason: SpeechReason, on: bool) -> None:
        """Speak (or stop) for ``reason``; the bot speaks while any reason holds."""
        if on:
            self._reasons.add(reason)
        else:
            self._reasons.discard(reason)
        speaking = bool(self._reasons) and not self.hushed
        if speaking != self.source.speaking:
            self.source.speaking = speaking
            self._on_change(speaking)

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone and tell the room (``media_state``)."""
        if muted != self.source.muted:
            await self._mute(muted)

    def microphone(self, muted: bool) -> None:
        """Send silence (``muted``) or the bot's voice again, as the room says."""
        self.source.muted = muted

    # ------------------------------------------------------------ the floor

    def floor_given(self, seconds: float) -> None:
        """The bot has the floor: it speaks ``seconds``, then is silent until it ends."""
        self.floor_ended()
        self._floor = asyncio.get_running_loop().create_task(self._speak_for(seconds))

    def floor_ended(self) -> None:
        """The bot's turn is over: it stops speaking at once."""
        if self._floor is not None:
            self._floor.cancel()
            self._floor = None
        self.set("floor", False)

    async def _speak_for(self, seconds: float) -> None:
        self.set("floor", True)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.set("floor", False)

    # ------------------------------------------------------------ scripts, chatter

    async def play(self, script: SpeechScript, start: float | None = None) -> None:
        """Speak and mute as ``script`` says, from ``start`` (``time.monotonic()``; None:
        now); returns at its end. Cancelled: silent again, the microphone as it was."""
        origin = time.monotonic() if start is None else start
        changes: list[tuple[float, int, str, bool]] = []
        for kind, spans in (("speak", script.bursts), ("mute", script.muted)):
            for begin, duration in spans:
                changes.append((begin, 1, kind, True))
                changes.append((begin + duration, 0, kind, False))
        changes.sort()  # at one instant, ends (0) before starts (1)
        speaking = muting = 0  # overlapping spans nest
        try:
            for at, _, kind, on in changes:
                await asyncio.sleep(max(0.0, origin + at - time.monotonic()))
                step = 1 if on else -1
                if kind == "speak":
                    speaking += step
                    self.set("script", speaking > 0)
                else:
                    muting += step
                    await self.set_muted(muting > 0)
        finally:
            self.set("script", False)
            if muting > 0:
                await self.set_muted(False)

    async def chatter(self, talk_ratio: float) -> None:
        """Speak in bursts about ``talk_ratio`` of the time, until cancelled."""
        if talk_ratio <= 0.0:
            return
        try:
            while True:
                spurt = self._rng.uniform(0.6, 2.5)
                self.set("chatter", True)
                await asyncio.sleep(spurt)
                if talk_ratio < 1.0:
                    self.set("chatter", False)
                    await asyncio.sleep(spurt * (1.0 - talk_ratio) / talk_ratio)
        finally:
            self.set("chatter", False)

    def hush(self) -> None:
        """Silent from now on, whatever the floor, a script or chatter say (the crisis
        drill's silence); the microphone stays open and unmuted, sending silence."""
        self.hushed = True
        self.set("floor", False)

    def stop(self) -> None:
        """Silence for good (the bot leaves)."""
        self.floor_ended()
        self._reasons.clear()
        self.source.speaking = False
