"""A missing packet is asked for as long as something waits for it, not 128 packets.

aiortc's NACK generator forgets a hole once 128 packets (``RTP_HISTORY_SIZE``) came
after it: about a second at 100 packets/s, less while a keyframe's burst comes, so a
keyframe's hole was given up after one or two tries while the video buffer still
waited for it (six tries), and the freeze lasted until the next keyframe.
"""

from __future__ import annotations

from test_nack_repeat import Clock, arrivals, packet

from groupdesk.media.nack import MAX_TRACKED, RepeatingNackGenerator
from groupdesk.media.repair import RepairTiming


def test_a_hole_behind_a_keyframes_burst_is_still_asked_for() -> None:
    clock = Clock()
    timing = RepairTiming(rtt=0.2)
    mine = RepeatingNackGenerator(clock, timing=timing)
    # Packet 3 is lost; a keyframe's burst of 300 packets follows within 0.3 s, then
    # packets every 10 ms: its retransmission is lost twice.
    arrivals(mine, clock, [1, 2, 4], 0.001)
    arrivals(mine, clock, list(range(5, 305)), 0.001)
    asked_again = arrivals(mine, clock, list(range(305, 405)), 0.01)
    assert mine.wanted == {3}
    assert mine.given_up == 0
    assert len(asked_again) >= 2  # a round trip apart: 0.23 s in 1 s of packets
    # Its third retransmission comes, 500 packets behind the newest: repaired.
    mine.add(packet(3))
    assert mine.recovered == 1
    assert mine.wanted == set()


def test_a_hole_is_still_given_up_when_nothing_waits_for_it_any_more() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, timing=RepairTiming(rtt=0.2))
    arrivals(mine, clock, [1, 2, 4, *range(5, 305)], 0.01)  # 3 s: past the longest wait
    assert 3 not in mine.wanted
    assert mine.given_up == 1


def test_a_hole_too_far_behind_the_newest_is_given_up_whatever_its_age() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, timing=RepairTiming(rtt=0.2))
    arrivals(mine, clock, [1, 2, 4, *range(5, MAX_TRACKED + 10)], 0.0001)
    assert 3 not in mine.wanted


def test_across_the_sequence_number_wrap() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, timing=RepairTiming(rtt=0.2))
    seqs = [65530, 65531, *range(65533, 65536 + 300)]  # 65532 lost
    arrivals(mine, clock, seqs, 0.001)
    assert mine.wanted == {65532}
