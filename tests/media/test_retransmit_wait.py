"""A hole waits a bounded time for its retransmission before it counts as a loss.

On the impaired network (benchmarks/bench_network.py, 100 ms each way) skipping a hole
at once made every lost packet cost a keyframe: at 5% loss a browser's video froze
4.7 s in 20 s, where Chromium's receiver, which waits for retransmissions, froze none.
"""

from __future__ import annotations

import pytest
from test_frame_recovery import INTERVAL, Receiver, frame

from groupdesk.media.jitter import MarkerJitterBuffer
from groupdesk.media.recovery import FrameRecovery
from groupdesk.media.repair import RepairTiming


class WaitingReceiver(Receiver):
    def __post_init__(self) -> None:
        self.recovery = FrameRecovery(self.clock, capacity=128, retransmit_wait=0.3)


class BufferReceiver(Receiver):
    """The recovery of the receivers' video buffer, as aiortc builds it (which frames
    go out; when, the playout delay, is tested in test_playout_delay.py)."""

    def __post_init__(self) -> None:
        buffer = MarkerJitterBuffer(capacity=128, is_video=True, clock=self.clock, playout=False)
        self.recovery = buffer.recovery


def test_a_hole_not_repaired_in_time_is_a_loss_and_asks_for_a_keyframe() -> None:
    rx = WaitingReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = seq + 4
    held_from = rx.clock.now + 2 * INTERVAL  # frame 7 complete behind frame 6's hole
    seq = rx.stream(seq, range(5, 16), lose=(lost,))
    assert rx.frames == [0, 1, 2, 3, 4, 5]
    assert rx.recovery.losses == 1
    assert len(rx.plis) == 1
    assert rx.plis[0] - held_from >= 0.3
    assert rx.plis[0] - held_from < 0.3 + INTERVAL  # at the first packet after the wait
    rx.stream(seq, range(16, 20), keys=(16,))
    assert rx.frames == [0, 1, 2, 3, 4, 5, 16, 17, 18, 19]


def test_after_an_outage_the_frames_of_the_outage_are_not_waited_for() -> None:
    rx = WaitingReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    # An outage: frames 5 to 24 (1.3 s) never came; its last ones are retransmitted,
    # one packet short, and frame 25 after it is complete.
    seq += 3 * 20
    late = frame(seq - 6, 23)
    rx.feed([late[0], late[2]])
    rx.feed(frame(seq - 3, 24) + frame(seq, 25))
    # No wait for a picture 1.3 s old: skipped at once, a keyframe asked for.
    assert rx.frames == [0, 1, 2, 3, 4]
    assert rx.recovery.losses == 1
    assert len(rx.plis) == 1


def test_the_keyframe_asked_for_waits_for_its_retransmission_however_long_the_freeze() -> None:
    rx = WaitingReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    seq = rx.stream(seq, range(5, 20), lose=(seq + 1,))  # a loss, then 1 s of inter frames
    assert rx.recovery.losses == 1
    assert rx.frames == [0, 1, 2, 3, 4]
    # The keyframe comes a second after the last picture, one packet short; inter
    # frames after it are complete. Its retransmission comes 200 ms later: shown.
    key = frame(seq, 20, key=True)
    rx.feed([key[0], key[2]])
    rx.clock.now += INTERVAL
    seq = rx.stream(seq + 3, range(21, 24))
    rx.feed([key[1]])
    assert rx.frames == [0, 1, 2, 3, 4, 20, 21, 22, 23]
    assert rx.recovery.losses == 1


def test_while_a_keyframe_is_needed_a_complete_one_is_not_held_back() -> None:
    rx = WaitingReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    seq = rx.stream(seq, range(5, 16), lose=(seq + 1,))
    assert rx.recovery.losses == 1
    # An inter frame one packet short, then a complete keyframe: no wait for the first.
    broken = frame(seq, 16)
    rx.feed([broken[0], broken[2]])
    rx.feed(frame(seq + 3, 17, key=True))
    assert rx.frames == [0, 1, 2, 3, 4, 17]


@pytest.mark.parametrize("receiver", [WaitingReceiver, BufferReceiver])
def test_a_retransmission_in_time_fills_the_hole_no_frame_lost_no_pli(
    receiver: type[Receiver],
) -> None:
    assert RepairTiming().hole_wait <= 1.0  # a few NACK round trips, not frozen seconds
    rx = receiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = frame(seq + 3, 6)[1]  # the middle packet of frame 6
    seq = rx.stream(seq, range(5, 9), lose=(lost.sequence_number,))
    assert rx.frames == [0, 1, 2, 3, 4, 5]  # 7 and 8 wait behind the hole
    rx.feed([lost])  # the retransmission, 200 ms later
    assert rx.frames == list(range(9))
    rx.stream(seq, range(9, 20))
    assert rx.frames == list(range(20))
    assert rx.plis == []
    assert rx.recovery.losses == 0
