"""A hole that outlives its wait asks for a keyframe, and is still waited for meanwhile.

Measured on the impaired network (benchmarks/bench_network.py, 100 ms each way, 12%
loss): 8-10 retransmissions in 20 s came after the receiver had stopped waiting for
them and dropped the frames they completed, the picture frozen until the keyframe it
asked for came, a round trip and a large frame (lossy in its turn) later. Now the
keyframe is asked for at the same moment, but the frames stay held: whichever comes
first, the repair or the keyframe, ends the freeze.
"""

from __future__ import annotations

from test_frame_recovery import INTERVAL, Receiver, frame

from groupdesk.media.recovery import FrameRecovery
from groupdesk.media.repair import RepairTiming

RTT = 0.2


class RacingReceiver(Receiver):
    """A receiver whose waits come from repairs measured at a 200 ms round trip."""

    def __post_init__(self) -> None:
        self.timing = RepairTiming(rtt=RTT)
        self.recovery = FrameRecovery(self.clock, capacity=512, timing=self.timing)


def hole_outliving_its_wait(rx: RacingReceiver) -> tuple[int, list[int]]:
    """Frames 0-4 shown, then frame 5's middle packet lost and frames on for longer than
    an inter frame's wait; the next sequence number and the lost packet's frame."""
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = seq + 1
    frames = int(rx.timing.hole_wait / INTERVAL) + 4
    seq = rx.stream(seq, range(5, 5 + frames), lose=(lost,))
    return seq, [lost, 5 + frames]


def test_the_keyframe_is_asked_for_once_the_wait_is_over_and_the_frames_stay_held() -> None:
    rx = RacingReceiver()
    hole_outliving_its_wait(rx)
    assert rx.frames == [0, 1, 2, 3, 4]
    assert len(rx.plis) == 1
    assert rx.recovery.races == 1
    assert rx.recovery.losses == 0
    assert rx.recovery.dropped_frames == 0


def test_a_repair_that_comes_before_the_keyframe_lets_the_pictures_go_on() -> None:
    rx = RacingReceiver()
    seq, (lost, following) = hole_outliving_its_wait(rx)
    # Its third try comes back (0.9 s after the loss), the keyframe not yet.
    rx.feed([p for p in frame(lost - 1, 5) if p.sequence_number == lost])
    seq = rx.stream(seq, range(following, following + 3))
    assert rx.frames == list(range(following + 3))  # every frame, none dropped
    assert rx.recovery.losses == 0
    assert rx.recovery.races_won == 1
    # The keyframe asked for comes later, and is shown in its turn.
    rx.stream(seq, range(following + 3, following + 5), keys=(following + 3,))
    assert rx.frames == list(range(following + 5))
    assert len(rx.plis) == 1


def test_a_keyframe_that_comes_first_is_shown_at_once_and_no_other_is_asked_for() -> None:
    rx = RacingReceiver()
    seq, (_lost, following) = hole_outliving_its_wait(rx)
    rx.stream(seq, range(following, following + 3), keys=(following,))
    assert rx.frames == [0, 1, 2, 3, 4, following, following + 1, following + 2]
    assert len(rx.plis) == 1
    assert rx.recovery.races_won == 0


def test_a_hole_neither_repaired_nor_overtaken_is_given_up_when_its_packet_is() -> None:
    rx = RacingReceiver()
    seq, (_lost, following) = hole_outliving_its_wait(rx)
    frames = int(rx.timing.give_up_after / INTERVAL)
    rx.stream(seq, range(following, following + frames))  # no keyframe: it was lost
    assert rx.frames == [0, 1, 2, 3, 4]
    assert rx.recovery.losses == 1
    assert rx.recovery.dropped_frames > 0  # only a keyframe decodes now
    assert len(rx.plis) >= 1


def test_a_complete_later_keyframe_ends_any_wait_without_asking_for_another() -> None:
    rx = RacingReceiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    # Frame 5 loses a packet; frame 6, a keyframe the sender made anyway, is complete.
    rx.stream(seq, range(5, 8), keys=(6,), lose=(seq + 1,))
    assert rx.frames == [0, 1, 2, 3, 4, 6, 7]
    assert rx.plis == []


def test_when_the_wait_ends_with_the_keyframe_on_its_way_no_other_is_asked_for() -> None:
    rx = RacingReceiver()
    seq, (_lost, following) = hole_outliving_its_wait(rx)
    assert len(rx.plis) == 1
    # The keyframe asked for begins to come, one packet short (being repaired); the
    # inter frames after it come while the hole is given up.
    key = frame(seq, following, key=True)
    rx.feed([key[0], key[2]])
    frames = int(rx.timing.give_up_after / INTERVAL)
    rx.stream(seq + 3, range(following + 1, following + 1 + frames))
    assert rx.recovery.losses == 1
    assert len(rx.plis) == 1
    rx.feed([key[1]])  # its repair: shown, with the frames after it
    assert rx.frames[:6] == [0, 1, 2, 3, 4, following]


def test_when_the_wait_ends_and_no_keyframe_came_another_is_asked_for() -> None:
    rx = RacingReceiver()
    seq, (_lost, following) = hole_outliving_its_wait(rx)
    frames = int(rx.timing.give_up_after / INTERVAL)
    rx.stream(seq, range(following, following + frames))  # the request or keyframe lost
    assert rx.recovery.losses == 1
    assert len(rx.plis) == 2
