"""Video frames skip past a lost packet to the next keyframe, and a keyframe is asked for."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from groupdesk.media.recovery import Frame, FrameRecovery, Packet

STEP = 6000  # 90 kHz RTP clock at 15 fps
INTERVAL = 1 / 15


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def frame(first_seq: int, index: int, count: int = 3, key: bool = False) -> list[Packet]:
    """The packets of frame number ``index`` (its timestamp and data say which)."""
    return [
        Packet(
            sequence_number=(first_seq + i) % 65536,
            timestamp=(index * STEP) % 2**32,
            marker=i == count - 1,
            frame_start=i == 0,
            keyframe=key and i == 0,
            data=f"<{index}:{i}>".encode(),
        )
        for i in range(count)
    ]


@dataclass
class Receiver:
    """Feeds packets at 15 fps on a scripted clock; records frames and PLIs."""

    clock: Clock = field(default_factory=Clock)
    recovery: FrameRecovery = field(init=False)
    frames: list[int] = field(default_factory=list)  # indexes of the frames decoded
    plis: list[float] = field(default_factory=list)  # clock readings of the requests

    def __post_init__(self) -> None:
        self.recovery = FrameRecovery(self.clock, capacity=128)

    def feed(self, packets: list[Packet], lose: tuple[int, ...] = ()) -> list[Frame]:
        released: list[Frame] = []
        for packet in packets:
            if packet.sequence_number in lose:
                continue
            outcome = self.recovery.add(packet)
            released.extend(outcome.frames)
            if outcome.request_keyframe:
                self.plis.append(self.clock.now)
        self.frames.extend(f.timestamp // STEP for f in released)
        return released

    def stream(
        self,
        first_seq: int,
        indexes: range,
        keys: tuple[int, ...] = (),
        lose: tuple[int, ...] = (),
        step: float = INTERVAL,
    ) -> int:
        """Frames ``indexes`` one frame interval apart; returns the next sequence number."""
        seq = first_seq
        for index in indexes:
            self.feed(frame(seq, index, key=index in keys), lose)
            seq = (seq + 3) % 65536
            self.clock.now += step
        return seq


def test_frames_go_out_at_their_last_packet_and_no_pli_without_loss() -> None:
    rx = Receiver()
    released = rx.feed(frame(0, 0, key=True))
    assert [f.data for f in released] == [b"<0:0><0:1><0:2>"]
    assert released[0].keyframe
    rx.stream(3, range(1, 40))
    assert rx.frames == list(range(40))
    assert rx.plis == []


def test_a_lost_packet_skips_to_the_next_keyframe_with_one_pli() -> None:
    rx = Receiver()
    seq = rx.stream(0, range(0, 5), keys=(0,))
    lost = seq + 4  # the middle packet of frame 6
    seq = rx.stream(seq, range(5, 12), lose=(lost,))
    # Frame 6 and the inter frames after it cannot be decoded: none went out, and the
    # keyframe was asked for when frame 7 was complete, not 512 packets later.
    assert rx.frames == [0, 1, 2, 3, 4, 5]
    assert rx.plis == [pytest.approx(100.0 + 7 * INTERVAL)]
    assert rx.recovery.losses == 1
    assert rx.recovery.dropped_frames == 5  # frames 7 to 11
    rx.stream(seq, range(12, 16), keys=(12,))
    assert rx.frames == [0, 1, 2, 3, 4, 5, 12, 13, 14, 15]
    assert len(rx.plis) == 1
    # The retransmission that comes back too late is ignored.
    assert rx.feed([frame(lost - 1, 6)[1]]) == []
    assert rx.frames[-1] == 15


def test_a_burst_of_losses_asks_at_most_once_per_half_second() -> None:
    rx = Receiver()
    seq = rx.stream(0, range(0, 3), keys=(0,))
    # For two seconds, the first packet of every other frame is lost.
    lose = tuple((seq + 3 * n) % 65536 for n in range(0, 30, 2))
    seq = rx.stream(seq, range(3, 33), lose=lose)
    assert rx.frames == [0, 1, 2]
    assert rx.recovery.losses >= 10
    gaps = [later - earlier for earlier, later in zip(rx.plis, rx.plis[1:], strict=False)]
    assert len(rx.plis) >= 3  # it keeps asking while nothing decodes ...
    assert all(gap >= 0.5 for gap in gaps)  # ... but never more than one PLI per 500 ms
    rx.stream(seq, range(33, 36), keys=(33,))
    assert rx.frames == [0, 1, 2, 33, 34, 35]


def test_packets_without_a_keyframe_for_a_second_ask_again() -> None:
    rx = Receiver()
    seq = rx.stream(0, range(0, 3), keys=(0,))
    seq = rx.stream(seq, range(3, 5), lose=(seq + 1,))
    assert len(rx.plis) == 1
    first = rx.plis[0]
    # The PLI (or its keyframe) is lost: inter frames keep coming, nothing decodes.
    seq = rx.stream(seq, range(5, 5 + 14))  # 14 frames: just under a second
    assert rx.plis == [first]
    seq = rx.stream(seq, range(19, 19 + 4))
    assert len(rx.plis) == 2
    assert rx.plis[1] - first >= 1.0
    rx.stream(seq, range(23, 25), keys=(23,))
    assert rx.frames == [0, 1, 2, 23, 24]


def test_reordering_within_the_window_is_no_loss() -> None:
    rx = Receiver()
    rx.feed(frame(0, 0, key=True))
    one, two = frame(3, 1), frame(6, 2)
    # Frame 1's marker overtakes its middle packet; frame 2's first packet comes
    # before frame 1's middle one. Nothing is complete past the gap, so it waits.
    rx.feed([one[0], one[2], two[0], one[1], two[2], two[1]])
    assert rx.frames == [0, 1, 2]
    assert rx.plis == []
    assert rx.recovery.losses == 0


def test_sequence_numbers_wrap_around() -> None:
    rx = Receiver()
    seq = rx.stream(65530, range(0, 6), keys=(0,))  # 65530 ... 65535, 0 ... 11
    assert seq == 12
    assert rx.frames == list(range(6))
    assert rx.plis == []
    # A loss right at the wrap: packet 65535 of frame 2 is lost.
    rx2 = Receiver()
    seq = rx2.stream(65527, range(0, 5), keys=(0,), lose=(65535,))
    assert rx2.frames == [0, 1]
    assert len(rx2.plis) == 1
    rx2.stream(seq, range(5, 7), keys=(5,))
    assert rx2.frames == [0, 1, 5, 6]


def test_a_stream_joined_on_an_inter_frame_asks_for_a_keyframe() -> None:
    rx = Receiver()
    seq = rx.stream(500, range(10, 12))
    assert rx.frames == []
    assert rx.plis == [100.0]
    rx.stream(seq, range(12, 14), keys=(12,))
    assert rx.frames == [12, 13]


def test_a_slow_stream_is_not_taken_for_a_stall() -> None:
    rx = Receiver()
    seq = 0
    for index in range(6):  # one frame every two seconds (a still screen)
        rx.feed(frame(seq, index, key=index == 0))
        seq += 3
        rx.clock.now += 2.0
    assert rx.frames == list(range(6))
    assert rx.plis == []


def test_a_jump_past_the_capacity_drops_and_asks() -> None:
    rx = Receiver()
    rx.feed(frame(0, 0, key=True))
    rx.feed(frame(3, 1)[:2])  # frame 1's end never arrives
    rx.clock.now += 0.1
    rx.feed(frame(3 + 200, 2))  # 200 packets later: beyond 128 slots
    assert rx.frames == [0]
    assert rx.plis == [rx.clock.now]
    rx.feed(frame(3 + 203, 3, key=True))
    assert rx.frames == [0, 3]


def test_a_late_retransmission_is_ignored_and_a_restarted_sender_resynchronises() -> None:
    rx = Receiver()
    seq = rx.stream(1000, range(0, 3), keys=(0,))
    lost = frame(seq, 3)[1]
    # 27 frames in a quarter of a second: a fast screen share, say.
    seq = rx.stream(seq, range(3, 30), lose=(lost.sequence_number,), step=0.25 / 27)
    assert len(rx.plis) == 1
    seq = rx.stream(seq, range(30, 32), keys=(30,))
    assert rx.frames[-2:] == [30, 31]
    # The retransmission comes back 86 packets late (the buffer holds 128): ignored.
    assert rx.feed([lost]) == []
    assert len(rx.plis) == 1
    rx.stream(seq, range(32, 34))
    assert rx.frames[-4:] == [30, 31, 32, 33]
    # The sender restarts its numbering far behind: it is taken up at its keyframe.
    rx.clock.now += 1.0
    rx.stream(20000, range(0, 2))
    assert len(rx.plis) == 2
    rx.stream(20006, range(2, 4), keys=(2,))
    assert rx.frames[-2:] == [2, 3]
