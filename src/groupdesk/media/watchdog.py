"""The receive watchdog: a connected peer whose media stops arriving has dropped.

A link can die without a word: the network goes (Wi-Fi lost, a cable pulled, a
laptop lid closed) and packets just vanish. aiortc notices only through ICE consent
freshness (RFC 7675: a check about every 5 s, given up after 6 misses), some 30 s
later, while a crisis needs the drop seen within 2 s (issue 12).

Every member sends audio continuously while connected: 50 Opus packets a second,
silence included -- a muted desktop member sends silent frames (``MutableAudio``,
``SwitchableSpeechSource.muted``), a muted page disables its track, which Chromium
sends as silence, and neither side negotiates DTX. So a peer that *has been* sending
audio and from which nothing arrives for :data:`STALL_AFTER_S` is cut off; the mesh
then reports it ``reconnecting`` (what the room and the crisis panel show as a drop),
and ``connected`` again once media has flowed for :data:`RESUME_AFTER_S`.

Never for a peer that never sent audio (a page without a microphone sends none), and
never while it is blocked (a side room: it sends us nothing by design); after an
unblock it is watched again only once its audio is back. :class:`ReceiveWatch` is
pure (times are given): the mesh feeds it its per-peer counters on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

STALL_AFTER_S = 1.0
"""No media this long from a peer that was sending audio: the link stalled. 50 packets
in a row lost is no jitter and no loss burst a call survives anyway, and it leaves the
2 s the issue allows for the check's period and for the UI."""

RESUME_AFTER_S = 0.3
"""A stalled peer is back once media has kept arriving this long, at every check: a
link that only lets a burst through now and then is not announced as back each time."""

CHECK_EVERY_S = 0.1
"""How often the mesh looks at its peers' counters (a few attribute reads per peer)."""

MAX_STEP_S = 0.25
"""At most this much of the time between two checks counts as silence: when the event
loop was held up (a busy machine), frames may be waiting, unread, not lost."""


_EPS = 1e-6  # sums of clock steps are not exact


class Verdict(Enum):
    """A change in what the watchdog says about a peer."""

    STALLED = "stalled"
    RESUMED = "resumed"


@dataclass(frozen=True)
class Arrivals:
    """What has arrived from one peer so far (counters that only grow)."""

    audio: int
    """Audio frames (decoded, or dropped because the peer was blocked)."""
    video: int
    """Video frames (decoded, skipped, or dropped because the peer was blocked)."""


class ReceiveWatch:
    """Whether media from one peer (one connection) stopped arriving, check by check."""

    def __init__(
        self,
        *,
        stall_after: float = STALL_AFTER_S,
        resume_after: float = RESUME_AFTER_S,
        max_step: float = MAX_STEP_S,
    ) -> None:
        if stall_after <= 0 or resume_after < 0 or max_step <= 0:
            raise ValueError("stall_after and max_step must be > 0, resume_after >= 0")
        self._stall_after = stall_after
        self._resume_after = resume_after
        self._max_step = max_step
        self.stalled = False
        """Reported stalled, and not back yet."""
        self._armed = False
        """Audio arrived since the connection began (or since the last unblock)."""
        self._last: Arrivals | None = None
        self._checked_at: float | None = None
        self._quiet = 0.0
        self._flowing = 0.0

    def check(self, now: float, arrivals: Arrivals, *, expected: bool) -> Verdict | None:
        """Look at the counters at ``now`` (seconds, any monotonic clock). ``expected``:
        the peer should be sending to us (connected and not blocked). Returns a verdict
        when what is said about the peer changes."""
        step = 0.0 if self._checked_at is None else max(0.0, now - self._checked_at)
        self._checked_at = now
        step = min(step, self._max_step)
        last, self._last = self._last, arrivals
        arrived = last is not None and (arrivals.audio, arrivals.video) != (last.audio, last.video)
        heard = arrivals.audio > (last.audio if last is not None else 0)
        if not expected:
            # Nothing is owed: wait until its audio comes again before watching it.
            self._armed = False
            self._quiet = self._flowing = 0.0
            return None
        if heard:
            self._armed = True
        if arrived or (last is None and heard):
            self._quiet = 0.0
            if not self.stalled:
                return None
            self._flowing += step
            if self._flowing >= self._resume_after - _EPS:
                self.stalled = False
                self._flowing = 0.0
                return Verdict.RESUMED
            return None
        self._flowing = 0.0
        self._quiet += step
        if self._armed and not self.stalled and self._quiet >= self._stall_after - _EPS:
            self.stalled = True
            return Verdict.STALLED
        return None
