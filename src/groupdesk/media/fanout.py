"""Encode once, send to all: one VP8 encoder whose packets go to every peer connection.

aiortc encodes each outgoing track once per peer connection (aiortc issue #1155):
in a mesh of N members every member would encode its camera N-1 times. Here a
:class:`VideoFanout` reads the local :class:`~groupdesk.media.sources.VideoSource`,
scales and encodes each frame once, and hands the packets to one
:class:`FanoutTrack` per peer. aiortc's ``RTCRtpSender`` sends a track whose
``recv()`` returns ``av.Packet`` through its encoder's ``pack()`` path (RTP
packetisation only).

Keyframes: a PLI or FIR from a peer reaches that peer's ``RTCRtpSender``, which
would only flag *its* (unused) encoder. :meth:`VideoFanout.attach` routes it to
the shared encoder instead, so one request gives one keyframe, sent to all.
The same hook reads the peer's REMB (receiver-estimated bandwidth).

Blocked peers (the private side room): a track that is blocked gets no packets at
all, while its peer connection stays up; unblocked, it waits for the keyframe it
asks the shared encoder for, so the returning peer has a picture at once.

Threads: aiortc issue #1310 -- FFmpeg's libvpx uses as many threads as CPUs unless
told otherwise. The shared encoder sets its thread count from the frame size and
the CPU count (one thread up to 640x480: on a 2-core laptop the other core decodes).

With ``encode_once=False`` the fan-out hands every peer the same scaled raw frame
and aiortc encodes per peer: the behaviour this module replaces, kept for the
benchmark's comparison.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Coroutine
from fractions import Fraction
from typing import Any, TypeAlias

import av
from aiortc import RTCRtpSender
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, unpack_remb_fci
from av.packet import Packet

from groupdesk.media.pump import SourcePump
from groupdesk.media.quality import VideoProfile
from groupdesk.media.sources import VIDEO_TIME_BASE, VideoSource

logger = logging.getLogger(__name__)

_Packet: TypeAlias = "Packet[Any]"

KEYFRAME_MIN_INTERVAL_S = 0.5
"""Keyframe requests closer together than this are merged into one keyframe."""

_QUEUE_FRAMES = 15  # a second at 15 fps


def encoder_threads(pixels: int, cpus: int | None = None) -> int:
    """Threads for one VP8 encoder: few, since decoders and the event loop need cores too."""
    cpus = cpus if cpus is not None else (os.cpu_count() or 1)
    if pixels <= 640 * 480 or cpus <= 2:
        return 1
    if pixels <= 1280 * 720 or cpus <= 4:
        return 2
    return min(4, cpus // 2)


class FanoutTrack(MediaStreamTrack):
    """The video track given to one peer connection: packets (or frames) from the fan-out.

    A track starts by waiting for a keyframe, and goes back to waiting if its
    peer falls behind (its queue overflows), so a peer never gets a delta frame
    it cannot decode.
    """

    kind = "video"

    def __init__(self, fanout: VideoFanout) -> None:
        super().__init__()
        self._fanout = fanout
        self._queue: asyncio.Queue[_Packet | av.VideoFrame | None] = asyncio.Queue(_QUEUE_FRAMES)
        self.wanted = True
        self.blocked = False
        """The peer is on the other side of a side room: it gets nothing."""
        self.waiting_for_keyframe = True
        self.bandwidth_estimate: int | None = None
        self.packets_sent = 0
        self.keyframes_sent = 0
        self.overflows = 0

    def offer(self, item: _Packet | av.VideoFrame, keyframe: bool) -> None:
        """Queue one encoded packet (or raw frame) for this peer."""
        if not self.active or self.readyState != "live":
            return
        if self.waiting_for_keyframe:
            if not keyframe:
                return
            self.waiting_for_keyframe = False
        if self._queue.full():
            # This peer's sender fell a second behind: the machine (or its event loop)
            # is overloaded. Start again from a keyframe; the mesh steps down the ladder.
            self.overflows += 1
            self._fanout.overflows += 1
            while not self._queue.empty():
                self._queue.get_nowait()
            if isinstance(item, Packet):
                self.waiting_for_keyframe = True
                self._fanout.request_keyframe()
                return
        self._queue.put_nowait(item)
        self.packets_sent += 1
        if keyframe and isinstance(item, Packet):
            self.keyframes_sent += 1

    @property
    def active(self) -> bool:
        """Whether this peer gets our video now: it wants it and is not blocked."""
        return self.wanted and not self.blocked

    def set_wanted(self, wanted: bool) -> None:
        """Whether the peer wants our video (it may be in receive-audio-only mode)."""
        was_active, self.wanted = self.active, wanted
        self._changed(was_active)

    def set_blocked(self, blocked: bool) -> None:
        """Send this peer nothing (a side room between us), or resume from a keyframe."""
        was_active, self.blocked = self.active, blocked
        self._changed(was_active)

    def _changed(self, was_active: bool) -> None:
        if self.active and not was_active:
            self.waiting_for_keyframe = True
            self._fanout.request_keyframe()
            self._fanout._wake.set()  # the pump sleeps while nobody wants video
        elif was_active and not self.active and self.readyState == "live":
            while not self._queue.empty():  # what still waits would reach the peer
                self._queue.get_nowait()

    async def recv(self) -> _Packet | av.VideoFrame:
        """The next packet for this peer's ``RTCRtpSender``."""
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._queue.get()
        if item is None:
            raise MediaStreamError
        return item

    def stop(self) -> None:
        """Leave the fan-out."""
        if self.readyState == "live":
            super().stop()
            self._fanout._unsubscribe(self)
            if self._queue.full():
                self._queue.get_nowait()
            self._queue.put_nowait(None)


class VideoFanout(SourcePump[FanoutTrack]):
    """Reads one video source, encodes each frame once (VP8), feeds every peer's track."""

    def __init__(
        self,
        source: VideoSource,
        profile: VideoProfile | None,
        *,
        encode_once: bool = True,
        cpus: int | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.encode_once = encode_once
        self._profile = profile
        self._cpus = cpus
        self._codec: Any = None
        self._codec_key: tuple[int, int, int] | None = None
        self._keyframe_wanted = False
        self._last_keyframe = -1e9
        self._last_frame_at: float | None = None
        self.frames_encoded = 0
        self.keyframes_encoded = 0
        self.overflows = 0
        """Times a peer's track fell a queue behind (a sign of local overload)."""
        self.bytes_encoded = 0
        self.threads = 0

    @property
    def profile(self) -> VideoProfile | None:
        """What is being sent; None while paused (audio only)."""
        return self._profile

    @property
    def tracks(self) -> tuple[FanoutTrack, ...]:
        """One track per subscribed peer."""
        return tuple(self._tracks)

    def subscribe(self) -> FanoutTrack:
        """A new track for one more peer; it starts with the next keyframe."""
        self.request_keyframe()
        return self._add(FanoutTrack(self))

    def attach(self, sender: RTCRtpSender, track: FanoutTrack) -> None:
        """Route ``sender``'s keyframe requests (PLI/FIR) to the shared encoder; read its REMB.

        aiortc's sender handles PLI/FIR by calling its own ``_send_keyframe()``,
        which only flags its per-peer encoder -- unused on the packet path.
        """
        if self.encode_once:
            sender._send_keyframe = self.request_keyframe  # type: ignore[method-assign]
        original: Callable[[Any], Coroutine[Any, Any, None]] = sender._handle_rtcp_packet

        async def handle_rtcp_packet(packet: Any) -> None:
            if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
                try:
                    bitrate, ssrcs = unpack_remb_fci(packet.fci)
                except ValueError:
                    pass
                else:
                    if sender._ssrc in ssrcs:
                        track.bandwidth_estimate = int(bitrate)
            await original(packet)

        sender._handle_rtcp_packet = handle_rtcp_packet  # type: ignore[method-assign]

    def request_keyframe(self) -> None:
        """Make one of the next frames a keyframe, for every peer."""
        self._keyframe_wanted = True

    def set_profile(self, profile: VideoProfile | None) -> None:
        """Change size or bitrate (the encoder restarts with a keyframe); None pauses video."""
        if profile == self._profile:
            return
        self._profile = profile
        if profile is not None:
            for track in self._tracks:
                track.waiting_for_keyframe = True
            self.request_keyframe()
            self._wake.set()

    async def stop(self) -> None:
        """Stop reading the source; every track ends (and the encoder goes)."""
        await super().stop()
        self._codec = None

    async def _pump(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            profile = self._profile
            if profile is None or not any(t.active for t in self._tracks):
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                frame = await self.source.recv()
            except MediaStreamError:
                for track in list(self._tracks):
                    track.stop()
                return
            if self._too_soon(frame, profile):
                continue
            if self.encode_once:
                force = self._keyframe_wanted and (
                    time.monotonic() - self._last_keyframe >= KEYFRAME_MIN_INTERVAL_S
                )
                if force:
                    self._keyframe_wanted = False
                packets = await loop.run_in_executor(None, self._encode, frame, profile, force)
                for packet in packets:
                    keyframe = bool(packet.is_keyframe)
                    if keyframe:
                        self.keyframes_encoded += 1
                        self._last_keyframe = time.monotonic()
                    for track in list(self._tracks):
                        track.offer(packet, keyframe)
            else:
                scaled = await loop.run_in_executor(None, _scale, frame, profile)
                for track in list(self._tracks):
                    track.offer(scaled, True)

    def _too_soon(self, frame: av.VideoFrame, profile: VideoProfile) -> bool:
        """Drop frames beyond the profile's frame rate (a 30 fps camera, a 15 fps profile)."""
        if frame.pts is None or frame.time_base is None:
            return False
        at = float(frame.pts * frame.time_base)
        if self._last_frame_at is not None and 0 <= at - self._last_frame_at < 0.9 / profile.fps:
            return True
        self._last_frame_at = at
        return False

    def _encode(self, frame: av.VideoFrame, profile: VideoProfile, force: bool) -> list[_Packet]:
        """Scale and encode one frame (runs in a worker thread)."""
        pts, time_base = frame.pts, frame.time_base or VIDEO_TIME_BASE
        frame = _scale(frame, profile)
        key = (frame.width, frame.height, profile.bitrate)
        if self._codec is None or self._codec_key != key:
            self._codec = self._open(frame.width, frame.height, profile)
            self._codec_key = key
        if force:
            frame.pict_type = av.video.frame.PictureType.I
        frame.pts = int(pts * time_base / VIDEO_TIME_BASE) if pts is not None else None
        frame.time_base = VIDEO_TIME_BASE
        packets: list[_Packet] = list(self._codec.encode(frame))
        for packet in packets:
            packet.pts = frame.pts
            packet.time_base = VIDEO_TIME_BASE
            self.frames_encoded += 1
            self.bytes_encoded += packet.size
        return packets

    def _open(self, width: int, height: int, profile: VideoProfile) -> Any:
        # The settings of aiortc's Vp8Encoder (realtime, CBR, no lag), with our thread count.
        codec = av.CodecContext.create("libvpx", "w")
        codec.width = width
        codec.height = height
        codec.bit_rate = profile.bitrate
        codec.pix_fmt = "yuv420p"
        codec.time_base = Fraction(1, 90_000)
        codec.framerate = Fraction(profile.fps, 1)
        codec.gop_size = 3000
        codec.qmin = 2
        codec.qmax = 56
        self.threads = encoder_threads(width * height, self._cpus)
        codec.thread_count = self.threads
        codec.options = {
            "bufsize": str(profile.bitrate),
            "cpu-used": "-6",
            "deadline": "realtime",
            "lag-in-frames": "0",
            "minrate": str(profile.bitrate),
            "maxrate": str(profile.bitrate),
            "noise-sensitivity": "4",
            "overshoot-pct": "15",
            "partitions": "0",
            "static-thresh": "1",
            "undershoot-pct": "100",
        }
        return codec


def fit_size(width: int, height: int, profile: VideoProfile) -> tuple[int, int]:
    """The size to encode a ``width`` x ``height`` source at: within the profile, never larger
    than the source, aspect ratio kept, even."""
    scale = min(1.0, profile.width / width, profile.height / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def _scale(frame: av.VideoFrame, profile: VideoProfile) -> av.VideoFrame:
    """``frame`` fitted to the profile in yuv420p (swscale), timing kept."""
    width, height = fit_size(frame.width, frame.height, profile)
    if (frame.width, frame.height, frame.format.name) == (width, height, "yuv420p"):
        return frame
    scaled = frame.reformat(width=width, height=height, format="yuv420p")
    scaled.pts, scaled.time_base = frame.pts, frame.time_base
    return scaled
