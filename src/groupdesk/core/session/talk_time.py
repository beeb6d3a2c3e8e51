"""Talk time per member from voice activity, not counted while muted.

The meter is fed ``(member, speaking on/off, at t)`` and ``(member, muted, at t)``
events and counts the seconds during which a member speaks with the microphone on.
All times are on one timeline (the adapter's clock). Robustness rules:

- a repeated "on" does not restart an interval, a repeated "off" does nothing;
- an event stamped earlier than the latest time the meter has seen -- an event's or
  a query's -- is applied at that latest time (clamped, never ignored), so no
  interval is negative and no total ever goes down, not even one already shown,
  whatever the order events arrive in (a late "off" costs at most its lateness);
- :meth:`TalkTimeMeter.close` ends a member's open interval (they left mid-speech).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class VoiceRecord:
    """One member's talk-time state, as kept in a snapshot."""

    member: str
    seconds: float
    speaking: bool
    muted: bool
    since: float | None  # start of the interval being counted now, if any


@dataclass
class _Voice:
    seconds: float = 0.0
    speaking: bool = False
    muted: bool = False
    since: float | None = None


class TalkTimeMeter:
    """Seconds of speech per member; see the module docstring for the rules."""

    def __init__(self) -> None:
        self._voices: dict[str, _Voice] = {}
        self._latest = -math.inf

    def _at(self, at: float) -> float:
        """Clamp ``at`` to the latest time seen, and remember it."""
        if not math.isfinite(at):
            raise ValueError("a voice event needs a finite time")
        self._latest = max(self._latest, at)
        return self._latest

    def _voice(self, member: str) -> _Voice:
        return self._voices.setdefault(member, _Voice())

    def _update(self, voice: _Voice, at: float) -> None:
        counting = voice.speaking and not voice.muted
        if counting and voice.since is None:
            voice.since = at
        elif not counting and voice.since is not None:
            voice.seconds += at - voice.since
            voice.since = None

    def voice(self, member: str, speaking: bool, at: float) -> None:
        """Voice activity from ``member`` started (``speaking``) or stopped at ``at``."""
        voice = self._voice(member)
        voice.speaking = speaking
        self._update(voice, self._at(at))

    def mute(self, member: str, muted: bool, at: float) -> None:
        """``member``'s microphone was muted (or unmuted) at ``at``."""
        voice = self._voice(member)
        voice.muted = muted
        self._update(voice, self._at(at))

    def close(self, member: str, at: float) -> None:
        """``member`` left at ``at``: their open interval ends there."""
        voice = self._voices.get(member)
        if voice is not None:
            voice.speaking = False
            self._update(voice, self._at(at))

    def seconds(self, member: str, now: float) -> float:
        """``member``'s talk time up to ``now`` (an open interval counts up to ``now``).

        Once shown, a total is not taken back: later events are clamped to ``now``."""
        voice = self._voices.get(member)
        if voice is None:
            return 0.0
        if voice.since is None:
            return voice.seconds
        self._latest = max(self._latest, now)
        return voice.seconds + self._latest - voice.since

    def is_speaking(self, member: str) -> bool:
        """Whether ``member`` is being counted right now."""
        voice = self._voices.get(member)
        return voice is not None and voice.since is not None

    def is_muted(self, member: str) -> bool:
        """Whether ``member``'s microphone is known to be muted."""
        voice = self._voices.get(member)
        return voice is not None and voice.muted

    def records(self) -> tuple[VoiceRecord, ...]:
        """Every member's state, sorted by member id (for a snapshot)."""
        return tuple(
            VoiceRecord(m, v.seconds, v.speaking, v.muted, v.since)
            for m, v in sorted(self._voices.items())
        )

    @property
    def latest(self) -> float:
        """The latest event time seen (``-inf`` before the first)."""
        return self._latest

    @classmethod
    def restored(
        cls, records: tuple[VoiceRecord, ...], latest: float, shift: float = 0.0
    ) -> TalkTimeMeter:
        """A meter holding ``records``, every time moved by ``shift`` seconds."""
        meter = cls()
        meter._latest = latest + shift
        for r in records:
            since = None if r.since is None else r.since + shift
            meter._voices[r.member] = _Voice(r.seconds, r.speaking, r.muted, since)
        return meter
