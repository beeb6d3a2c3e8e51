"""aiortc's receivers, with a video jitter buffer that never waits on a lost packet.

aiortc 1.16's ``JitterBuffer`` (``aiortc/jitterbuffer.py``) has two faults on video:

- it only knows a frame is complete when a packet with the *next* timestamp arrives,
  so every frame waits about one frame interval (67 ms at 15 fps) for nothing: the
  marker bit already ends a video frame (RFC 7741 for VP8);
- it waits on a lost packet until its 512 slots overflow, and only then asks for a
  keyframe (PLI): a browser's video froze for 35-70 s after one loss (aiortc #58, #335).

:class:`MarkerJitterBuffer` hands video packets to
:class:`groupdesk.media.recovery.FrameRecovery`, which releases a frame at its marked
last packet, drops frames past a loss up to the next keyframe and asks for one at once
(rate-limited), then again while nothing decodes. Its answer to send a PLI is the
``pli_flag`` aiortc's receiver already acts on (``_send_rtcp_pli``). Audio buffers
(``is_video`` false) keep aiortc's own logic.

Video here is VP8 only (``groupdesk.media.peer.CODECS``): the frame start and keyframe
flags are read from the VP8 payload descriptor and frame tag.

aiortc has no extension point for this: ``RTCRtpReceiver.__init__`` constructs
its buffer from the module global ``aiortc.rtcrtpreceiver.JitterBuffer``.
:func:`install` rebinds that name once; ``tests/media/test_jitter.py`` fails if
a new aiortc no longer builds its video buffer through it.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable

import aiortc.rtcrtpreceiver
from aiortc import RTCDtlsTransport, RTCRtpReceiver
from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket

from groupdesk.media import bwe, nack
from groupdesk.media.recovery import FrameRecovery, Packet
from groupdesk.media.repair import RepairTiming

__all__ = ["MarkerJitterBuffer", "install", "playout_delay", "share_timing", "vp8_packet"]


class MarkerJitterBuffer(JitterBuffer):
    """aiortc's buffer for audio; :class:`FrameRecovery` for video."""

    def __init__(
        self,
        capacity: int,
        prefetch: int = 0,
        is_video: bool = False,
        clock: Callable[[], float] = time.monotonic,
        *,
        playout: bool = True,
    ) -> None:
        super().__init__(capacity, prefetch=prefetch, is_video=is_video)
        self.timing = RepairTiming()
        """The repairs' round trip, measured by the receiver's NACK generator (shared
        with it by :func:`install`), and the waits for a retransmission it sets."""
        self.recovery = FrameRecovery(clock, capacity=capacity, timing=self.timing, playout=playout)
        self._ready: deque[JitterFrame] = deque()

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        if not self._is_video:
            return super().add(packet)
        outcome = self.recovery.add(vp8_packet(packet))
        self._ready.extend(JitterFrame(data=f.data, timestamp=f.timestamp) for f in outcome.frames)
        # aiortc takes one frame per packet: when a retransmission completes several at
        # once, the rest follow with the next packets, in order.
        return outcome.request_keyframe, self._ready.popleft() if self._ready else None


def vp8_packet(packet: RtpPacket) -> Packet:
    """What :class:`FrameRecovery` needs of a VP8 RTP packet aiortc has depayloaded."""
    frame_start = keyframe = False
    if packet.payload:  # an empty (padding) payload starts nothing
        # aiortc's receiver has already parsed this descriptor (``depayload``) and
        # dropped the packet if it was malformed, so this parse does not fail.
        descriptor, data = VpxPayloadDescriptor.parse(packet.payload)
        frame_start = bool(descriptor.partition_start) and descriptor.partition_id == 0
        keyframe = frame_start and bool(data) and not data[0] & 0x01  # P bit (RFC 6386)
    return Packet(
        sequence_number=packet.sequence_number,
        timestamp=packet.timestamp,
        marker=bool(packet.marker),
        frame_start=frame_start,
        keyframe=keyframe,
        data=packet._data,  # type: ignore[attr-defined]
    )


def install() -> None:
    """Make aiortc's receivers build :class:`MarkerJitterBuffer`, ask again for packets
    still missing (:mod:`groupdesk.media.nack`), estimate the bandwidth without taking
    a step in delay for congestion (:mod:`groupdesk.media.bwe`), and share one
    :class:`RepairTiming` between the buffer and the NACK generator, so that a hole is
    waited for as long as it is asked for (idempotent)."""
    aiortc.rtcrtpreceiver.JitterBuffer = MarkerJitterBuffer  # type: ignore[attr-defined]
    nack.install()
    bwe.install()
    build = RTCRtpReceiver.__init__
    if hasattr(build, "__wrapped__"):
        return  # installed already

    @functools.wraps(build)
    def _build_sharing(self: RTCRtpReceiver, kind: str, transport: RTCDtlsTransport) -> None:
        build(self, kind, transport)
        share_timing(self)

    RTCRtpReceiver.__init__ = _build_sharing  # type: ignore[method-assign]


def share_timing(receiver: RTCRtpReceiver) -> None:
    """Give ``receiver``'s NACK generator its video buffer's :class:`RepairTiming`:
    the repair times the generator measures set the waits of the buffer.

    aiortc builds both in ``RTCRtpReceiver.__init__`` and offers no hook between them:
    :func:`install` wraps that constructor; ``tests/media/test_repair_timing.py`` fails
    if a new aiortc renames the private attributes read here."""
    buffer = getattr(receiver, "_RTCRtpReceiver__jitter_buffer", None)
    generator = getattr(receiver, "_RTCRtpReceiver__nack_generator", None)
    if isinstance(buffer, MarkerJitterBuffer) and isinstance(
        generator, nack.RepeatingNackGenerator
    ):
        generator.timing = buffer.timing


def playout_delay(receiver: RTCRtpReceiver) -> Callable[[], float] | None:
    """The seconds ``receiver``'s video frames are held now (its buffer's playout delay),
    read each time it is called; None for a receiver without :class:`MarkerJitterBuffer`
    (audio, or aiortc's own buffer). The member's audio is held as long
    (:mod:`groupdesk.media.lipsync`). ``tests/media/test_lipsync.py`` fails if a new
    aiortc renames the private attribute read here."""
    buffer = getattr(receiver, "_RTCRtpReceiver__jitter_buffer", None)
    if not isinstance(buffer, MarkerJitterBuffer) or not buffer._is_video:
        return None
    recovery = buffer.recovery
    return lambda: recovery.playout_delay
