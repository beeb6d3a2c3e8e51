"""Each NACK is sent twice, a little apart: a lost NACK no longer costs a round trip.

At 12% loss a try at a repair failed one time in five (the NACK or its answer lost),
and a repair at the third try (0.7 s on a 0.2 s round trip) froze the picture. A
sender answers a packet at most once per round trip, so the second copy is ignored
when the first came, and asks when the first was lost.
"""

from __future__ import annotations

from collections.abc import Callable

from test_frame_recovery import Receiver, frame
from test_nack_repeat import Clock, arrivals, packet

from groupdesk.media.nack import ECHO_AFTER, RepeatingNackGenerator
from groupdesk.media.repair import RepairTiming

STEP = 0.01  # a packet every 10 ms
ONE_WAY = 0.1
RTT = 2 * ONE_WAY


def test_a_request_goes_out_again_once_on_a_later_packet() -> None:
    clock = Clock()
    mine = RepeatingNackGenerator(clock, timing=RepairTiming(rtt=RTT))
    asked = arrivals(mine, clock, [1, 2, 4, *range(5, 22)], STEP)  # 3 lost; 0.2 s
    first, second = asked[:2]
    assert first == 4
    assert (second - first) * STEP >= ECHO_AFTER
    assert (second - first) * STEP < RTT  # within the round trip the sender ignores
    assert asked[2:] == []  # then nothing until the next try is due (0.23 s)
    assert mine.wanted == {3}
    assert mine.echoes == 1


def repaired_after(nack_lost: Callable[[int], bool], *, echo: bool) -> tuple[float | None, int]:
    """Seconds from packet 10's loss to its repair (None: never), the receiver's NACKs
    lost as ``nack_lost`` (their order) says, answers never lost; the sender answers a
    packet at most once per round trip (Chromium's packet history): and how many times
    it sent it again."""
    clock = Clock()
    receiver = RepeatingNackGenerator(
        clock, timing=RepairTiming(rtt=RTT), echo_after=ECHO_AFTER if echo else None
    )
    start = clock.now
    arriving: dict[float, list[int]] = {}  # arrival time (rounded) -> sequence numbers
    retransmitted_at: float | None = None
    retransmissions = 0
    nacks = 0
    for step in range(200):
        now = start + step * STEP
        clock.now = now
        numbers = [] if step == 10 else [step]  # packet 10 is lost once
        numbers += arriving.pop(round(now, 3), [])
        for number in numbers:
            if number == 10:
                return now - (start + 10 * STEP), retransmissions
            if receiver.add(packet(number)):
                nacks += 1
                lost = nack_lost(nacks)
                if 10 in receiver.missing and not lost:
                    at_sender = now + ONE_WAY
                    if retransmitted_at is None or at_sender - retransmitted_at >= RTT:
                        retransmitted_at = at_sender
                        retransmissions += 1
                        arriving.setdefault(round(at_sender + ONE_WAY, 3), []).append(10)
    return None, retransmissions


def test_a_lost_nack_is_made_good_by_its_second_copy() -> None:
    def first_lost(n: int) -> bool:
        return n == 1

    with_echo, _ = repaired_after(first_lost, echo=True)
    without, _ = repaired_after(first_lost, echo=False)
    assert with_echo is not None
    assert with_echo < RTT + 0.05  # about a round trip: the first try
    assert without is not None
    assert without > 2 * RTT  # the second try, a round trip later


def test_when_both_copies_come_the_packet_is_sent_once() -> None:
    def none_lost(n: int) -> bool:
        return False

    repaired, retransmissions = repaired_after(none_lost, echo=True)
    assert repaired is not None
    assert repaired < RTT + 0.05
    assert retransmissions == 1


def test_a_second_answer_counts_as_a_duplicate_not_a_repair_too_late() -> None:
    rx = Receiver()
    seq = rx.stream(0, range(0, 3), keys=(0,))
    packets = frame(seq, 3)
    rx.feed([packets[0], packets[2]])
    rx.feed([packets[1]])  # the answer to the first copy of the request
    rx.stream(seq + 3, range(4, 6))
    rx.feed([packets[1]])  # the answer to the second copy, from a sender that gave both
    assert rx.frames == list(range(6))
    assert rx.recovery.duplicates == 1
    assert rx.recovery.late_packets == 0
