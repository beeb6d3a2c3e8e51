"""A video jitter buffer that hands a frame on when its last packet is in.

aiortc 1.16's ``JitterBuffer`` (``aiortc/jitterbuffer.py``, ``_remove_frame``)
only knows a video frame is complete when a packet with the *next* timestamp
arrives, so every frame waits about one frame interval (67 ms at 15 fps) before
it reaches the decoder. RTP says more than that: the marker bit is set on the
last packet of a video frame (RFC 7741 for VP8, RFC 6184 for H.264). When the
packets from the buffer's origin up to a marked packet are all present and all
carry the same timestamp, they are exactly the frame aiortc would release one
packet later, so :class:`MarkerJitterBuffer` releases it now. Anything else (a
hole, reordering, the frame still arriving) is left to aiortc's own logic, which
also keeps its resynchronisation and picture-loss requests unchanged. Audio
buffers (``is_video`` false) are not affected at all.

aiortc has no extension point for this: ``RTCRtpReceiver.__init__`` constructs
its buffer from the module global ``aiortc.rtcrtpreceiver.JitterBuffer``.
:func:`install` rebinds that name once; ``tests/media/test_jitter.py`` fails if
a new aiortc no longer builds its video buffer through it.
"""

from __future__ import annotations

import aiortc.rtcrtpreceiver
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket

__all__ = ["MarkerJitterBuffer", "install"]


class MarkerJitterBuffer(JitterBuffer):
    """aiortc's buffer, plus the release of a video frame at its marker packet."""

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        pli_flag, frame = super().add(packet)
        if frame is None and self._is_video:
            frame = self._remove_marked_frame()
        return pli_flag, frame

    def _remove_marked_frame(self) -> JitterFrame | None:
        """The frame at the origin if its marked last packet and all before it are in."""
        origin = self._origin
        if origin is None:
            return None
        packets: list[RtpPacket] = []
        for count in range(self._capacity):
            packet = self._packets[(origin + count) % self._capacity]
            if packet is None:
                return None  # a hole (or the rest not arrived yet): aiortc decides
            if packets and packet.timestamp != packets[0].timestamp:
                return None  # the next frame started without a marker: aiortc decides
            packets.append(packet)
            if packet.marker:
                self.remove(count + 1)
                return JitterFrame(
                    data=b"".join(p._data for p in packets),  # type: ignore[attr-defined]
                    timestamp=packets[0].timestamp,
                )
        return None


def install() -> None:
    """Make aiortc's receivers build :class:`MarkerJitterBuffer` (idempotent)."""
    aiortc.rtcrtpreceiver.JitterBuffer = MarkerJitterBuffer  # type: ignore[attr-defined]
