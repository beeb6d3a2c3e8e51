"""aiortc's NACK generator, asking again for a packet still missing.

aiortc 1.16's ``NackGenerator`` (``aiortc/rtcrtpreceiver.py``) asks for a missing
packet only when a *new* gap appears: a retransmission that is lost too is asked for
again only with the next loss, by chance. On the impaired test network (100 ms each
way, benchmarks/bench_network.py) holes then outlived the receiver's wait for them
(:data:`groupdesk.media.recovery.RETRANSMIT_WAIT`) and each one cost a keyframe and a
frozen second, where Chromium's receiver, which asks again every round trip, froze
none. :class:`RepeatingNackGenerator` asks again, at most once per ``interval``, for
what has been missing for less than ``max_age`` (older holes are given up: the
receiver has skipped them). The sender answers a repeated request at most once per
round trip, so asking often costs only small RTCP packets.

aiortc builds its generator from the module global
``aiortc.rtcrtpreceiver.NackGenerator``; :func:`install` rebinds it once
(``groupdesk.media.jitter.install`` calls it), and ``tests/media/test_nack_repeat.py``
fails if a new aiortc no longer builds it through that name.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import aiortc.rtcrtpreceiver
from aiortc.rtcrtpreceiver import NackGenerator
from aiortc.rtp import RtpPacket

__all__ = ["NACK_INTERVAL", "NACK_MAX_AGE", "RepeatingNackGenerator", "install"]

NACK_INTERVAL = 0.15
"""Seconds between two requests while packets are still missing."""

NACK_MAX_AGE = 1.0
"""Seconds after which a missing packet is no longer asked for."""


class RepeatingNackGenerator(NackGenerator):
    """Marks missing packets like aiortc's, and says to send a NACK again while some are."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        interval: float = NACK_INTERVAL,
        max_age: float = NACK_MAX_AGE,
    ) -> None:
        super().__init__()
        self._clock = clock
        self._interval = interval
        self._max_age = max_age
        self._missed_at: dict[int, float] = {}
        self._last_request: float | None = None
        self.nacks_sent = 0
        self.asked = 0
        """Packets found missing and asked for."""
        self.recovered = 0
        """Packets asked for that came (a retransmission, or merely late)."""
        self.given_up = 0
        """Packets no longer asked for: missing for longer than ``max_age``."""
        self.recovery_times: list[float] = []
        """Seconds from each recovered packet found missing to its arrival."""

    def add(self, packet: RtpPacket) -> bool:
        """Mark ``packet`` received; whether to send a NACK (of ``missing``) now."""
        now = self._clock()
        missed = super().add(packet)
        for number in [n for n in self._missed_at if n not in self.missing]:
            since = self._missed_at.pop(number)
            if number == packet.sequence_number:
                self.recovered += 1
                self.recovery_times.append(now - since)
        for number in self.missing:
            if number not in self._missed_at:
                self._missed_at[number] = now
                self.asked += 1
        for number, since in list(self._missed_at.items()):
            if now - since > self._max_age:
                self.missing.discard(number)
                del self._missed_at[number]
                self.given_up += 1
        again = (
            bool(self.missing)
            and self._last_request is not None
            and now - self._last_request >= self._interval
        )
        if missed or again:
            self._last_request = now
            self.nacks_sent += 1
        return bool(missed or again)


def install() -> None:
    """Make aiortc's video receivers build :class:`RepeatingNackGenerator` (idempotent)."""
    aiortc.rtcrtpreceiver.NackGenerator = RepeatingNackGenerator  # type: ignore[misc]
