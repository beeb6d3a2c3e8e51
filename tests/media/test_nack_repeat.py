"""The receiver asks again for a packet still missing, not only when another goes missing."""

from __future__ import annotations

import itertools

import aiortc.rtcrtpreceiver
from aiortc.rtcrtpreceiver import NackGenerator, RTCRtpReceiver
from aiortc.rtp import RtpPacket

import groupdesk.media  # noqa: F401  (installs the generator, as the app's import does)
from groupdesk.media.nack import RepeatingNackGenerator


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def packet(seq: int) -> RtpPacket:
    return RtpPacket(payload_type=96, sequence_number=seq % 65536, timestamp=seq * 3000)


def arrivals(generator: NackGenerator, clock: Clock, seqs: list[int], step: float) -> list[int]:
    """Feed ``seqs`` ``step`` seconds apart; the numbers at whose arrival a NACK went out."""
    asked = []
    for seq in seqs:
        if generator.add(packet(seq)):
            asked.append(seq)
        clock.now += step
    return asked


def test_a_lost_retransmission_is_asked_for_again_while_packets_arrive() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, interval=0.15, max_age=1.0, echo_after=None)
    theirs = NackGenerator()
    # Packet 3 is lost, and so is its retransmission; packets come every 20 ms.
    seqs = [1, 2, 4, *range(5, 30)]
    asked = arrivals(mine, clock, seqs, 0.02)
    assert asked[0] == 4  # the gap, as aiortc's
    assert len(asked) >= 3  # then again, every 150 ms at most
    assert all(b - a >= 7 for a, b in itertools.pairwise(asked))
    assert mine.wanted == {3}
    assert [s for s in seqs if theirs.add(packet(s))] == [4]  # aiortc asks once
    # The retransmission comes: nothing more to ask.
    mine.add(packet(3))
    assert arrivals(mine, clock, list(range(30, 50)), 0.02) == []


def test_a_hole_older_than_max_age_is_given_up() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, interval=0.15, max_age=1.0, echo_after=None)
    arrivals(mine, clock, [1, 2, 4, *range(5, 60)], 0.02)  # 1.16 s
    assert 3 not in mine.wanted
    assert arrivals(mine, clock, list(range(60, 80)), 0.02) == []


def test_aiortcs_video_receivers_build_the_repeating_generator() -> None:
    """Fails if aiortc stops building its generator through the rebound class reference."""

    class _Transport:
        state = "new"

    assert aiortc.rtcrtpreceiver.NackGenerator is RepeatingNackGenerator
    video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
    generator = video._RTCRtpReceiver__nack_generator  # type: ignore[attr-defined]
    assert isinstance(generator, RepeatingNackGenerator)
