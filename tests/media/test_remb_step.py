"""The bandwidth estimate an aiortc member sends (REMB) survives a step in delay, and
still falls when a queue builds.

Measured in benchmarks/bench_network.py: once the impairment added 100 ms of delay,
aiortc's REMB fell to 45-72 kbit/s with no loss, and Chromium sent aiortc 320x180 where
it sent another Chromium 640x360 on the same network.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import aiortc.rtcrtpreceiver
import pytest
from aiortc import RTCRtpReceiver
from aiortc.rate import RemoteBitrateEstimator

import groupdesk.media  # noqa: F401  (installs the estimator, as the app's import does)
from groupdesk.media.bwe import SteadyBitrateEstimator

MAX_BPS = 600_000
"""What the sender sends when the estimate allows (Chromium's 640x360 at 15 fps)."""

FPS = 15
MTU = 1100


def abs_send_time(seconds: float) -> int:
    """The 24-bit, 6.18 fixed point ``abs-send-time`` of a send time."""
    return int(seconds * (1 << 18)) & 0xFFFFFF


@dataclass
class Call:
    """A sender that follows the REMB it gets, as Chromium's does, on a scripted path:
    ``delay(t)`` seconds one way for a packet sent at ``t``, and, if ``capacity`` is
    set, a bottleneck of that many bit/s whose queue adds its own delay."""

    estimator: RemoteBitrateEstimator
    delay: dict[float, float] = field(default_factory=lambda: {0.0: 0.05})  # from t: s
    capacity: float | None = None
    rate: float = MAX_BPS
    rembs: list[tuple[float, int]] = field(default_factory=list)  # (t, bit/s)
    _link_free: float = 0.0  # the bottleneck sends its next packet from then

    def path_delay(self, t: float) -> float:
        return [d for start, d in sorted(self.delay.items()) if start <= t][-1]

    def run(self, seconds: float) -> None:
        for index in range(int(seconds * FPS)):
            t = index / FPS
            size = int(self.rate / FPS / 8)
            sent = t
            while size > 0:
                payload = min(size, MTU)
                size -= payload
                sent += 0.001  # paced
                at_link = sent
                if self.capacity is not None:
                    at_link = max(sent, self._link_free) + payload * 8 / self.capacity
                    self._link_free = at_link
                arrival = at_link + self.path_delay(sent)
                remb = self.estimator.add(
                    arrival_time_ms=int(arrival * 1000),
                    abs_send_time=abs_send_time(sent),
                    payload_size=payload,
                    ssrc=1,
                )
                if remb is not None:
                    self.rembs.append((arrival, remb[0]))
                    self.rate = min(remb[0], MAX_BPS)

    def remb_at(self, t: float) -> int:
        return [bps for at, bps in self.rembs if at <= t][-1]


@pytest.mark.parametrize("steady", [True, False])
def test_a_step_in_delay_does_not_sink_the_estimate(steady: bool) -> None:
    estimator = SteadyBitrateEstimator() if steady else RemoteBitrateEstimator()
    call = Call(estimator, delay={0.0: 0.05, 6.0: 0.15})  # +100 ms from 6 s on, no loss
    call.run(40)
    assert call.remb_at(5.9) >= MAX_BPS  # the ramp-up before the step
    lowest = min(bps for at, bps in call.rembs if at > 6.0)
    if steady:
        assert isinstance(estimator, SteadyBitrateEstimator)
        assert estimator.steps == 1
        assert lowest >= 0.8 * MAX_BPS
        assert call.remb_at(20) >= MAX_BPS
    else:  # aiortc's own: the sender follows it down, and it climbs back slowly
        assert lowest < 0.5 * MAX_BPS
        assert call.remb_at(20) < 0.75 * MAX_BPS


def test_a_queue_that_builds_still_brings_the_estimate_down() -> None:
    call = Call(SteadyBitrateEstimator(), capacity=300_000)
    call.run(40)
    late = [bps for at, bps in call.rembs if at > 20]
    assert max(late) < 1.5 * 300_000
    assert min(late) < 300_000
    assert call.rate < MAX_BPS


def test_aiortcs_receivers_build_the_steady_estimator() -> None:
    """Fails if a new aiortc no longer builds its estimator through the module global
    :func:`groupdesk.media.bwe.install` rebinds, under the private name read here, or
    feeds it through other arguments."""

    class _Transport:
        state = "new"

    assert aiortc.rtcrtpreceiver.RemoteBitrateEstimator is SteadyBitrateEstimator  # type: ignore[attr-defined]
    video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
    estimator = video._RTCRtpReceiver__remote_bitrate_estimator  # type: ignore[attr-defined]
    assert isinstance(estimator, SteadyBitrateEstimator)
    handler = inspect.getsource(RTCRtpReceiver._handle_rtp_packet)
    assert "self.__remote_bitrate_estimator.add(" in handler
    for argument in ("abs_send_time=", "arrival_time_ms=", "payload_size=", "ssrc="):
        assert argument in handler
    assert list(inspect.signature(RemoteBitrateEstimator.add).parameters) == list(
        inspect.signature(SteadyBitrateEstimator.add).parameters
    )
