"""How long a video receiver waits for a retransmission, from the round trip it measures.

A lost packet is asked for again (NACK, :mod:`groupdesk.media.nack`) and its frame,
with the frames after it, waits for it (:mod:`groupdesk.media.recovery`). Fixed figures
(a NACK every 150 ms, a 500 ms wait) were tuned for one network, 100 ms each way, and
were wrong even there: a sender answers a repeated NACK at most once per round trip
(Chromium's packet history), so a NACK every 150 ms on a 200 ms round trip is ignored
every other time, and a wait of 500 ms let a packet only two tries, which at 12% loss
(a try fails when the NACK or its answer is lost: 1 - 0.88^2 = 23%) leaves 5% of the
lost packets unrepaired -- each one a keyframe and a frozen half-second.

Chromium's receiver (``modules/video_coding/nack_requester.cc``) asks again once per
round trip, up to 10 times. :class:`RepairTiming` does the same from the round trip
measured *here*: the time from a packet first asked for to its arrival. Most repairs
succeed at the first try, so the median of the recent ones is a round trip (sender
and pacing included), whatever the later tries; it needs no sender report, and no
sender on this connection at all. From it:

- :attr:`RepairTiming.nack_interval`: ask again one round trip (and a margin) after
  the last request, when the sender will answer;
- :attr:`RepairTiming.hole_wait`: an inter frame's hole holds the frames after it for
  :data:`HOLE_TRIES` tries (12% loss: 1.2% of the lost packets left unrepaired);
- :attr:`RepairTiming.keyframe_wait`: a keyframe's hole for :data:`KEYFRAME_TRIES`
  tries: everything is frozen while a keyframe is needed anyway, and giving it up
  means asking for another one, a round trip and a large frame away, which loses
  packets in its turn;
- :attr:`RepairTiming.give_up_after`: the NACKs stop when nothing waits any more.

Sans-I/O: it is told the repair times; tests give it scripted ones.
"""

from __future__ import annotations

import statistics
from collections import deque

__all__ = ["DEFAULT_RTT", "HOLE_TRIES", "KEYFRAME_TRIES", "RepairTiming"]

DEFAULT_RTT = 0.2
"""Seconds assumed before the first repair is measured (the test network's round trip;
Chromium assumes 100 ms, a wait too short for a slower link)."""

MIN_RTT = 0.02
"""The smallest round trip believed: a packet merely reordered comes back in no time."""

MAX_RTT = 1.0
"""The largest: past it the waits would show pictures seconds late."""

HOLE_TRIES = 3
"""Tries an inter frame's hole is waited for."""

KEYFRAME_TRIES = 6
"""Tries a keyframe's hole is waited for."""

MARGIN = 0.03
"""Seconds added to a round trip for a sender's pacing and a frame's packets in flight."""

SAMPLES = 31
"""Recent repair times the median is taken from."""


class RepairTiming:
    """The round trip of a repair, measured, and the waits and intervals derived from it."""

    def __init__(self, rtt: float = DEFAULT_RTT) -> None:
        self._initial = rtt
        self._samples: deque[float] = deque(maxlen=SAMPLES)

    def repaired(self, seconds: float) -> None:
        """A packet came ``seconds`` after it was first asked for."""
        self._samples.append(seconds)

    @property
    def rtt(self) -> float:
        """Seconds: the median of the recent repair times, within bounds."""
        if not self._samples:
            return self._initial
        return min(MAX_RTT, max(MIN_RTT, statistics.median(self._samples)))

    @property
    def nack_interval(self) -> float:
        """Seconds between two requests for a packet still missing."""
        return self.rtt + MARGIN

    def _tries(self, tries: int) -> float:
        """Seconds from a packet first asked for to the answer of its last try."""
        return (tries - 1) * self.nack_interval + self.rtt + MARGIN

    @property
    def hole_wait(self) -> float:
        """Seconds a hole in an inter frame may hold the frames after it."""
        return self._tries(HOLE_TRIES)

    @property
    def keyframe_wait(self) -> float:
        """Seconds a hole in a keyframe may hold it."""
        return self._tries(KEYFRAME_TRIES)

    @property
    def give_up_after(self) -> float:
        """Seconds after which a missing packet is no longer asked for."""
        return self.keyframe_wait
