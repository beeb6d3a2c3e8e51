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

A voice-activity detector is late at both ends: it says "speaking" ``attack`` seconds
after the speech began (it waits for that much sound, so that a click is not speech) and
"stopped" ``hangover`` seconds after it ended (so that the pauses between words do not
end a turn). Counted as they come, every utterance would gain ``hangover - attack``
seconds (0.34 s with the mesh's detector: 11% of a 3-second remark). Given both delays,
the meter counts the speech itself: from ``attack`` before the "speaking" to
``hangover`` before the "stopped". A mute or a departure ends an utterance when it
happens. While an utterance runs, its count trails the clock by ``hangover``, so that
the "stopped" never takes back seconds already shown.
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
    # While an interval is counted: the time from which it shows, so that the talk time
    # shown at ``now`` is ``seconds + max(0, now - since)`` whatever the detector's delays.
    since: float | None


@dataclass
class _Voice:
    seconds: float = 0.0
    speaking: bool = False
    muted: bool = False
    since: float | None = None
    counted_to: float = -math.inf  # the end of the last interval counted


class TalkTimeMeter:
    """Seconds of speech per member; see the module docstring for the rules.

    ``attack`` and ``hangover``: the voice-activity detector's delays, in seconds
    (0: the events are taken at their word)."""

    def __init__(self, attack: float = 0.0, hangover: float = 0.0) -> None:
        for value in (attack, hangover):
            if not math.isfinite(value) or value < 0:
                raise ValueError("the detector's delays must be seconds, not negative")
        self.attack = attack
        self.hangover = hangover
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

    def _update(self, voice: _Voice, start: float, end: float) -> None:
        """Open an interval at ``start`` or close it at ``end``, as the state now says."""
        counting = voice.speaking and not voice.muted
        if counting and voice.since is None:
            voice.since = max(start, voice.counted_to)  # never count a moment twice
        elif not counting and voice.since is not None:
            end = max(end, voice.since)
            voice.seconds += end - voice.since
            voice.counted_to = end
            voice.since = None

    def voice(self, member: str, speaking: bool, at: float) -> None:
        """The detector says ``member`` started (``speaking``) or stopped at ``at``."""
        voice = self._voice(member)
        at = self._at(at)
        began = at - self.attack if speaking and not voice.speaking else at
        voice.speaking = speaking
        self._update(voice, began, at - self.hangover)

    def mute(self, member: str, muted: bool, at: float) -> None:
        """``member``'s microphone was muted (or unmuted) at ``at``."""
        voice = self._voice(member)
        voice.muted = muted
        at = self._at(at)
        self._update(voice, at, at)

    def close(self, member: str, at: float) -> None:
        """``member`` left at ``at``: their open interval ends there."""
        voice = self._voices.get(member)
        if voice is not None:
            voice.speaking = False
            at = self._at(at)
            self._update(voice, at, at)

    def seconds(self, member: str, now: float) -> float:
        """``member``'s talk time up to ``now`` (an open interval counts up to ``now``,
        less the detector's hangover).

        Once shown, a total is not taken back: later events are clamped to ``now``."""
        voice = self._voices.get(member)
        if voice is None:
            return 0.0
        if voice.since is None:
            return voice.seconds
        self._latest = max(self._latest, now)
        return voice.seconds + max(0.0, self._latest - self.hangover - voice.since)

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
            VoiceRecord(
                m,
                v.seconds,
                v.speaking,
                v.muted,
                None if v.since is None else v.since + self.hangover,  # shown from there
            )
            for m, v in sorted(self._voices.items())
        )

    @property
    def latest(self) -> float:
        """The latest event time seen (``-inf`` before the first)."""
        return self._latest

    @classmethod
    def restored(
        cls,
        records: tuple[VoiceRecord, ...],
        latest: float,
        shift: float = 0.0,
        *,
        attack: float = 0.0,
        hangover: float = 0.0,
    ) -> TalkTimeMeter:
        """A meter holding ``records``, every time moved by ``shift`` seconds."""
        meter = cls(attack, hangover)
        meter._latest = latest + shift
        for r in records:
            since = None if r.since is None else r.since + shift - hangover
            meter._voices[r.member] = _Voice(r.seconds, r.speaking, r.muted, since)
        return meter
