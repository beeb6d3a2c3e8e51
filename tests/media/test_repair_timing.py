"""A video receiver asks again, and waits, as long as the round trip it measures says.

On the impaired network (benchmarks/bench_network.py, 100 ms each way, 12% loss) a
fixed 500 ms wait left 20 of 95 repairs too late, each one a keyframe and frozen
frames (6.5 s frozen in 20 s, Chromium's receiver 1.2 s); a NACK every 150 ms on a
200 ms round trip was ignored by the sender every other time.
"""

from __future__ import annotations

import itertools

import pytest
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtpPacket
from test_frame_recovery import INTERVAL, Clock, Receiver, frame

import groupdesk.media  # noqa: F401  (installs the buffer and the generator, as the app does)
from groupdesk.media.jitter import MarkerJitterBuffer
from groupdesk.media.nack import RepeatingNackGenerator
from groupdesk.media.recovery import FrameRecovery
from groupdesk.media.repair import KEYFRAME_TRIES, MIN_RTT, RepairTiming


def rtp(seq: int) -> RtpPacket:
    return RtpPacket(payload_type=96, sequence_number=seq % 65536, timestamp=seq * 3000)


def measured(rtt: float) -> RepairTiming:
    """A timing that measured repairs taking ``rtt``."""
    timing = RepairTiming()
    for _ in range(5):
        timing.repaired(rtt)
    return timing


class Link:
    """A sender 20 ms of packets apart, and a receiver's NACK generator: which packets
    each NACK asked for, and when."""

    def __init__(self, rtt: float | None = None) -> None:
        self.clock = Clock()
        timing = RepairTiming() if rtt is None else measured(rtt)
        # One copy of each request: the second one is test_nack_echo.py's.
        self.generator = RepeatingNackGenerator(self.clock, timing=timing, echo_after=None)
        self.nacks: list[tuple[float, list[int]]] = []

    def arrive(self, seqs: list[int], step: float = 0.02) -> None:
        for seq in seqs:
            if self.generator.add(rtp(seq)):
                self.nacks.append((self.clock.now, sorted(self.generator.missing)))
            self.clock.now += step

    def asked_for(self, seq: int) -> list[float]:
        return [at for at, lost in self.nacks if seq in lost]


def test_the_round_trip_is_measured_from_the_repairs() -> None:
    link = Link()
    for lost in (3, 33, 63):
        link.arrive([lost - 1, lost + 1])  # asked for at the arrival of the next one
        link.clock.now += 0.3 - 0.02
        link.arrive([lost])  # its retransmission, 300 ms after
        link.arrive(list(range(lost + 2, lost + 29)))
    assert link.generator.recovered == 3
    assert link.generator.recovery_times == [pytest.approx(0.3)] * 3
    assert link.generator.timing.rtt == pytest.approx(0.3)
    assert link.generator.timing.nack_interval > 0.3


@pytest.mark.parametrize("rtt", [0.1, 0.2, 0.4])
def test_a_missing_packet_is_asked_again_once_per_round_trip(rtt: float) -> None:
    link = Link(rtt)
    # Packet 3 and every retransmission of it are lost; the stream goes on for 2 s.
    link.arrive([1, 2, 4, *range(5, 105)])
    asked = link.asked_for(3)
    gaps = [b - a for a, b in itertools.pairwise(asked)]
    assert len(asked) >= 3
    # Not sooner (the sender ignores a request within a round trip of its answer) ...
    assert all(gap >= rtt for gap in gaps)
    # ... and not much later either: a round trip, a margin, the next packet.
    assert all(gap <= rtt + 0.1 for gap in gaps)


def test_a_new_hole_does_not_ask_again_early_for_an_old_one() -> None:
    link = Link(0.2)
    link.arrive([1, 2, 4, 5, 6, 7])  # 3 asked for at once
    link.arrive([9, 10])  # 8 missing, 80 ms later: only 8 is due
    assert link.nacks[-1][1] == [8]
    assert link.asked_for(3) == [link.nacks[0][0]]
    assert link.generator.wanted == {3, 8}


def test_on_a_slow_link_a_packet_is_asked_for_as_long_as_the_keyframe_waits() -> None:
    link = Link(0.4)
    link.arrive([1, 2, 4, *range(5, 80)])  # 1.5 s
    assert 3 in link.generator.wanted  # a fixed 1 s would have given up
    link.arrive(list(range(80, 180)))  # 2 s more: past six tries
    assert 3 not in link.generator.wanted
    assert link.generator.given_up == 1
    assert len(link.asked_for(3)) == KEYFRAME_TRIES


class TimedReceiver(Receiver):
    """A receiver whose waits come from repairs measured at ``RTT``."""

    RTT = 0.3

    def __post_init__(self) -> None:
        self.timing = measured(self.RTT)
        self.recovery = FrameRecovery(self.clock, capacity=128, timing=self.timing)


def test_a_hole_waits_for_its_third_try_on_the_measured_round_trip() -> None:
    rx = TimedReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = frame(seq + 3, 6)[1]
    # Two tries lost; the third comes two NACK intervals and a round trip later
    # (0.96 s on a 300 ms round trip): a fixed 500 ms wait would have given up.
    answer = 2 * rx.timing.nack_interval + rx.timing.rtt
    frames = int(answer / INTERVAL)
    seq = rx.stream(seq, range(5, 5 + frames), lose=(lost.sequence_number,))
    assert rx.frames == [0, 1, 2, 3, 4, 5]
    rx.feed([lost])
    assert rx.frames == list(range(5 + frames))
    assert rx.recovery.losses == 0
    assert rx.plis == []


def test_on_a_fast_link_a_hole_is_given_up_sooner() -> None:
    class FastReceiver(TimedReceiver):
        RTT = 0.05

    rx = FastReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = frame(seq + 3, 6)[1]
    held_from = rx.clock.now + 2 * INTERVAL  # frame 7 complete behind frame 6's hole
    rx.stream(seq, range(5, 5 + 8), lose=(lost.sequence_number,))  # 0.53 s
    # Three tries on a 50 ms round trip are over in 0.27 s: a keyframe is asked for
    # then, not half a second later (the hole is still waited for meanwhile,
    # test_keyframe_race.py).
    assert rx.timing.hole_wait < 0.3
    assert len(rx.plis) == 1
    assert rx.plis[0] - held_from < 0.3


@pytest.mark.parametrize("needed", [True, False])
def test_a_keyframe_is_waited_for_longer_than_an_inter_frame(needed: bool) -> None:
    rx = TimedReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    if needed:  # a loss: the keyframe below is the one asked for
        seq = rx.stream(seq, range(5, 8), lose=(seq + 1,))
        rx.clock.now += rx.timing.hole_wait
        seq = rx.stream(seq, range(8, 10))
        assert len(rx.plis) == 1  # the keyframe below is asked for
        shown = [0, 1, 2, 3, 4]
    else:  # a keyframe in a flowing stream
        seq = rx.stream(seq, range(5, 10))
        shown = list(range(10))
    assert rx.frames == shown
    key = frame(seq, 10, key=True)
    rx.feed([key[0], key[2]])
    rx.clock.now += INTERVAL
    # Its missing packet comes at the fourth try: past an inter frame's wait.
    late = 3 * rx.timing.nack_interval + rx.timing.rtt
    assert rx.timing.hole_wait < late < rx.timing.keyframe_wait
    frames = int(late / INTERVAL)
    seq = rx.stream(seq + 3, range(11, 11 + frames))
    assert rx.frames == shown
    rx.feed([key[1]])
    assert rx.frames == [*shown, *range(10, 11 + frames)]
    assert rx.recovery.keyframes_abandoned == 0


def test_the_receivers_generator_and_buffer_share_one_timing() -> None:
    """Fails if aiortc stops building both in ``RTCRtpReceiver.__init__`` under the
    private names :func:`groupdesk.media.jitter.share_timing` reads."""

    class _Transport:
        state = "new"

    video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
    buffer = video._RTCRtpReceiver__jitter_buffer  # type: ignore[attr-defined]
    generator = video._RTCRtpReceiver__nack_generator  # type: ignore[attr-defined]
    assert isinstance(buffer, MarkerJitterBuffer)
    assert isinstance(generator, RepeatingNackGenerator)
    assert generator.timing is buffer.timing
    for seq in (1, 3, 2):  # 2 asked for, and repaired at once
        generator.add(rtp(seq))
    assert buffer.timing.rtt == MIN_RTT  # the buffer's waits follow the measured repairs
