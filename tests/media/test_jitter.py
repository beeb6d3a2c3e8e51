"""The video jitter buffer hands a frame on at its marker packet and never waits on a loss."""

from __future__ import annotations

import aiortc.rtcrtpreceiver
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtpPacket

import groupdesk.media  # noqa: F401  (installs the buffer, as the app's import does)
from groupdesk.media.jitter import MarkerJitterBuffer
from groupdesk.media.peer import CODECS

STEP = 6000  # 90 kHz RTP clock at 15 fps


def frame_packets(first_seq: int, timestamp: int, count: int, key: bool = True) -> list[RtpPacket]:
    """The packets of one VP8 frame, depayloaded as aiortc's receiver leaves them."""
    packets = []
    for i in range(count):
        seq = (first_seq + i) % 65536
        # VP8 payload descriptor (RFC 7741): S bit on the first packet, partition 0;
        # then the frame tag, whose P bit is clear on a keyframe (RFC 6386).
        payload = (b"\x10" + (b"\x00" if key else b"\x01")) if i == 0 else b"\x00rtp"
        packet = RtpPacket(
            payload_type=96,
            marker=int(i == count - 1),
            sequence_number=seq,
            timestamp=timestamp,
            payload=payload,
        )
        packet._data = f"<{timestamp}:{i}>".encode()  # type: ignore[attr-defined]
        packets.append(packet)
    return packets


def frame_data(timestamp: int, count: int) -> bytes:
    return b"".join(f"<{timestamp}:{i}>".encode() for i in range(count))


def feed(buffer: JitterBuffer, packets: list[RtpPacket]) -> list[tuple[int, JitterFrame | None]]:
    """Each packet's sequence number with the frame (if any) its arrival released."""
    return [(p.sequence_number, buffer.add(p)[1]) for p in packets]


class Clock:
    """A scripted clock for the buffer's waits."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def video_buffer(capacity: int = 128, clock: Clock | None = None) -> MarkerJitterBuffer:
    """Which frames go out, and at which packet; without the playout delay, which holds
    them while packets are repaired (tested in test_playout_delay.py)."""
    return MarkerJitterBuffer(
        capacity=capacity, is_video=True, clock=clock or Clock(), playout=False
    )


def test_an_in_order_frame_is_released_at_its_marker_packet() -> None:
    buffer = video_buffer()
    first = frame_packets(100, 9000, 3)
    second = frame_packets(103, 9000 + STEP, 2)
    released = feed(buffer, first + second)
    assert [frame is None for _, frame in released] == [True, True, False, True, False]
    frame = released[2][1]
    assert frame is not None
    assert (frame.timestamp, frame.data) == (9000, frame_data(9000, 3))
    frame = released[4][1]
    assert frame is not None
    assert (frame.timestamp, frame.data) == (9000 + STEP, frame_data(9000 + STEP, 2))


def test_aiortcs_own_buffer_waits_for_the_next_frame() -> None:
    """What the subclass fixes: aiortc releases a frame only when the next one starts."""
    buffer = JitterBuffer(capacity=128, is_video=True)
    released = feed(buffer, frame_packets(100, 9000, 3) + frame_packets(103, 9000 + STEP, 2))
    assert [frame is None for _, frame in released] == [True, True, True, False, True]


def test_a_single_packet_frame_is_released_at_once() -> None:
    buffer = video_buffer()
    for n in range(5):
        ((_, frame),) = feed(buffer, frame_packets(65534 + n, n * STEP, 1))  # wraps at 65535
        assert frame is not None
        assert frame.timestamp == n * STEP


def test_a_missing_packet_filled_in_time_releases_the_frame() -> None:
    buffer = video_buffer()
    first = frame_packets(200, 0, 3)
    second = frame_packets(203, STEP, 2, key=False)
    # The middle packet of the first frame comes late, before the next frame is complete.
    released = feed(buffer, [first[0], first[2], second[0], first[1]])
    assert [f is None for _, f in released] == [True, True, True, False]
    assert released[3][1] is not None
    assert released[3][1].data == frame_data(0, 3)
    ((_, frame),) = feed(buffer, second[1:])
    assert frame is not None
    assert frame.data == frame_data(STEP, 2)


def test_a_lost_packet_is_not_waited_on_once_a_later_frame_is_complete() -> None:
    clock = Clock()
    buffer = video_buffer(clock=clock)
    assert feed(buffer, frame_packets(100, 0, 2))[-1][1] is not None
    broken = frame_packets(102, STEP, 3, key=False)
    later = frame_packets(105, 2 * STEP, 2, key=False)
    flags = [buffer.add(p) for p in [broken[0], broken[2], *later]]
    # The next frame is complete: it waits a NACK's round trip for the retransmission.
    assert [pli for pli, _ in flags] == [False, False, False, False]
    clock.now += buffer.timing.hole_wait + 0.01
    # None came: the broken frame is dropped, the inter frames after it cannot be
    # decoded either, and a keyframe is asked for (PLI) at the next packet.
    flags += [buffer.add(p) for p in frame_packets(107, 3 * STEP, 2, key=False)]
    assert [pli for pli, _ in flags] == [False, False, False, False, True, False]
    assert all(frame is None for _, frame in flags)
    released = feed(buffer, frame_packets(109, 4 * STEP, 3))
    assert released[-1][1] is not None
    assert released[-1][1].data == frame_data(4 * STEP, 3)
    # aiortc's own buffer was still waiting, and had not asked for anything.
    theirs = JitterBuffer(capacity=512, is_video=True)
    packets = [*frame_packets(100, 0, 2), broken[0], broken[2], *later]
    assert not any(theirs.add(p)[0] for p in packets)


def test_a_missing_first_packet_holds_the_frame() -> None:
    buffer = video_buffer()
    feed(buffer, frame_packets(300, 0, 1))  # released; the origin is now 301
    frame = frame_packets(301, STEP, 3)
    assert all(f is None for _, f in feed(buffer, frame[1:]))
    ((_, released),) = feed(buffer, frame[:1])
    assert released is not None
    assert released.data == frame_data(STEP, 3)


def test_reordered_packets_release_the_frame_when_the_last_one_is_in() -> None:
    buffer = video_buffer()
    frame = frame_packets(400, 0, 4)
    # The marker packet overtakes two others: nothing can go before they are in.
    released = feed(buffer, [frame[0], frame[3], frame[2], frame[1]])
    assert [f is None for _, f in released] == [True, True, True, False]
    assert released[3][1] is not None
    assert released[3][1].data == frame_data(0, 4)
    # A late duplicate of a released packet is ignored.
    assert feed(buffer, [frame[2]]) == [(402, None)]
    ((_, following),) = feed(buffer, frame_packets(404, STEP, 1))
    assert following is not None
    assert following.timestamp == STEP


def test_a_jump_past_the_capacity_asks_and_the_keyframe_goes_at_its_marker() -> None:
    buffer = video_buffer(capacity=16)
    feed(buffer, frame_packets(0, 0, 2))
    lost = frame_packets(2, STEP, 3)
    feed(buffer, [lost[0]])  # the rest of that frame never comes back
    pli, frame = buffer.add(frame_packets(40, 20 * STEP, 1, key=False)[0])
    assert pli
    assert frame is None
    keyframe = frame_packets(41, 21 * STEP, 4)
    released = feed(buffer, keyframe)
    assert released[-1][1] is not None
    assert released[-1][1].data == frame_data(21 * STEP, 4)


def test_video_is_vp8_only() -> None:
    """The buffer reads VP8 payload descriptors: no other video codec may be negotiated."""
    assert [c for c in CODECS["video"] if c != "video/rtx"] == ["video/VP8"]


def test_audio_keeps_aiortcs_prefetch() -> None:
    buffer = MarkerJitterBuffer(capacity=16, prefetch=4)
    mine = feed(buffer, [p for n in range(8) for p in frame_packets(n, n * 960, 1)])
    theirs = feed(
        JitterBuffer(capacity=16, prefetch=4),
        [p for n in range(8) for p in frame_packets(n, n * 960, 1)],
    )
    assert [(s, f and f.data) for s, f in mine] == [(s, f and f.data) for s, f in theirs]


class _Transport:
    state = "new"


def test_aiortcs_receivers_build_the_marker_buffer() -> None:
    """Fails if aiortc stops building its buffers through the rebound class reference."""
    assert aiortc.rtcrtpreceiver.JitterBuffer is MarkerJitterBuffer
    video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
    audio = RTCRtpReceiver("audio", _Transport())  # type: ignore[arg-type]
    video_buffer = video._RTCRtpReceiver__jitter_buffer  # type: ignore[attr-defined]
    audio_buffer = audio._RTCRtpReceiver__jitter_buffer  # type: ignore[attr-defined]
    assert isinstance(video_buffer, MarkerJitterBuffer)
    assert video_buffer._is_video
    assert isinstance(audio_buffer, MarkerJitterBuffer)
    assert not audio_buffer._is_video
