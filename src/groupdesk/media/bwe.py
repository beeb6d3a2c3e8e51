"""aiortc's receive-side bandwidth estimate (REMB), which a step in delay no longer sinks.

aiortc offers browsers no transport-wide congestion control feedback (its SDP has the
``abs-send-time`` header extension and ``goog-remb``, not ``transport-cc``), so the
bitrate a browser sends an aiortc member is capped by the REMB that member's
``RemoteBitrateEstimator`` (``aiortc/rate.py``, webrtc.org's old receive-side
estimator) computes from the packets' send times and arrival times.

That estimator takes a one-time step in delay for congestion, and a long one: a path
that becomes 100 ms longer (a route change, a mobile handover, the impairment of
benchmarks/bench_network.py starting) gives one inter-arrival delta 100 ms over its
send delta; its Kalman filter learns that offset and unlearns it over seconds, during
which the detector stays "overusing" and the rate is cut to 85% of the incoming rate
at every packet. The browser follows, the incoming rate falls, and the next cut is
from there: fed a +100 ms step, a 600 kbit/s estimate fell to 112 kbit/s and stayed
near it; measured in the benchmark, aiortc's REMB was 45-72 kbit/s at the end of the
loss-free phase, and Chromium sent aiortc 320x180 while it sent another Chromium
640x360 on the same network.

A step is not congestion: a queue that grows at a bottleneck grows packet by packet,
by the excess of what was sent over what the link carried, a few milliseconds at a
time; a delay that jumps by :data:`STEP_MS` or more from one packet to the next is a
longer path (or a link that paused and resumed). :class:`SteadyBitrateEstimator`
measures each packet's one-way delay (arrival time less the sender's
``abs-send-time``, the clocks' offset included, which cancels out) and gives aiortc's
estimator arrival times from which such jumps are removed: it sees the path as it was,
and a queue that keeps growing after the jump as growing. A delay that falls (a queue
draining, a shorter path) is left as is: it reads as underuse, which only holds the
rate a moment. Measured with it (bench_network): the REMB stayed at 813 kbit/s
through the loss-free and 2% phases, and Chromium sent aiortc 640x360 throughout.

aiortc builds the estimator from the module global
``aiortc.rtcrtpreceiver.RemoteBitrateEstimator``; :func:`install` rebinds it
(``groupdesk.media.jitter.install`` calls it), and ``tests/media/test_remb_step.py``
fails if a new aiortc no longer builds it through that name or calls it differently.
"""

from __future__ import annotations

import aiortc.rtcrtpreceiver
from aiortc.rate import RemoteBitrateEstimator

__all__ = ["STEP_MS", "SteadyBitrateEstimator", "install"]

STEP_MS = 50
"""Milliseconds of one-way delay gained from one packet to the next that are a step,
not a queue: a queue would need 50 ms of other traffic to squeeze in between two
packets sent a few milliseconds apart."""

_ABS_SEND_TIME_WRAP = 1 << 24
"""``abs-send-time`` is 24 bits of seconds in 6.18 fixed point: it wraps every 64 s."""


class SteadyBitrateEstimator(RemoteBitrateEstimator):
    """aiortc's estimator, fed arrival times without the steps in delay."""

    def __init__(self) -> None:
        super().__init__()
        self._last_abs: int | None = None
        self._send_ticks = 0  # unwrapped abs-send-time, 2**-18 s units
        self._last_delay_ms: float | None = None
        self._shift_ms = 0  # removed from every arrival time: the steps so far
        self.steps = 0
        """Steps in delay removed."""

    def add(
        self, arrival_time_ms: int, abs_send_time: int, payload_size: int, ssrc: int
    ) -> tuple[int, list[int]] | None:
        if self._last_abs is None:
            self._send_ticks = abs_send_time
        else:
            delta = (abs_send_time - self._last_abs) % _ABS_SEND_TIME_WRAP
            if delta >= _ABS_SEND_TIME_WRAP // 2:
                delta -= _ABS_SEND_TIME_WRAP  # sent before the last one (reordered)
            self._send_ticks += delta
        self._last_abs = abs_send_time
        delay_ms = arrival_time_ms - self._shift_ms - self._send_ticks * 1000 / (1 << 18)
        if self._last_delay_ms is not None and delay_ms - self._last_delay_ms >= STEP_MS:
            step = round(delay_ms - self._last_delay_ms)
            self._shift_ms += step
            delay_ms -= step
            self.steps += 1
        self._last_delay_ms = delay_ms
        return super().add(
            arrival_time_ms=arrival_time_ms - self._shift_ms,
            abs_send_time=abs_send_time,
            payload_size=payload_size,
            ssrc=ssrc,
        )


def install() -> None:
    """Make aiortc's receivers build :class:`SteadyBitrateEstimator` (idempotent)."""
    aiortc.rtcrtpreceiver.RemoteBitrateEstimator = SteadyBitrateEstimator  # type: ignore[attr-defined]
