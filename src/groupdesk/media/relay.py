"""One audio source, many readers: each peer connection's sender and the local level meter.

With ``encode_once`` (the default), each 20 ms frame is Opus-encoded once (mono,
speech settings, as browsers send) and every peer's track hands the packet to
its ``RTCRtpSender``, which only packetises it (the ``pack()`` path): no Opus
encoder and no thread hop per peer and per frame. Without it, every peer gets the
raw frame and aiortc encodes per peer. The local level meter always reads raw
frames.

A reader can be *blocked* (its peer is on the other side of a side room): it gets no
frame until unblocked, so its sender sends no RTP; the connection stays up.

Unlike aiortc's ``MediaRelay``, it stops: closing the mesh cancels the reading
task, so a source handed to the next call is not drained by the last one.
"""

from __future__ import annotations

import asyncio
from fractions import Fraction
from typing import Any, TypeAlias

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av.packet import Packet

from groupdesk.media.pump import SourcePump
from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE, AudioSource

_QUEUE_FRAMES = 50  # one second of 20 ms frames: a reader that far behind loses the oldest
OPUS_BITRATE = 32_000
"""Mono speech at 32 kbit/s: what browsers send by default, a third of aiortc's 96 kbit/s stereo."""

_Item: TypeAlias = "av.AudioFrame | Packet[Any] | None"


class RelayedAudioTrack(MediaStreamTrack):
    """One reader's copy of the relayed audio: raw frames, or Opus packets."""

    kind = "audio"

    def __init__(self, relay: AudioRelay, encoded: bool) -> None:
        super().__init__()
        self._relay = relay
        self.encoded = encoded
        self.blocked = False
        """The peer is on the other side of a side room: it gets nothing."""
        self._queue: asyncio.Queue[_Item] = asyncio.Queue(_QUEUE_FRAMES)

    def offer(self, item: _Item) -> None:
        """Queue one frame or packet (None: the source ended)."""
        if self.blocked and item is not None:
            return
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(item)

    def set_blocked(self, blocked: bool) -> None:
        """Send nothing to this reader's peer (a side room between us), or resume."""
        self.blocked = blocked
        if blocked and self.readyState == "live":
            while not self._queue.empty():  # what still waits would reach the peer
                self._queue.get_nowait()

    async def recv(self) -> av.AudioFrame | Packet[Any]:
        """The next frame (or packet) of the source."""
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._queue.get()
        if item is None:
            self.stop()
            raise MediaStreamError
        return item

    def stop(self) -> None:
        """Stop reading; the relay forgets this reader."""
        if self.readyState == "live":
            super().stop()
            self._relay._unsubscribe(self)
            self.offer(None)


class AudioRelay(SourcePump[RelayedAudioTrack]):
    """Reads an audio source while anyone listens, and copies each frame to every reader."""

    def __init__(self, source: AudioSource, *, encode_once: bool = True) -> None:
        super().__init__()
        self.source = source
        self.encode_once = encode_once
        self._codec: Any = None
        self._resampler: av.AudioResampler | None = None
        self._first_pts: int | None = None
        self.packets_encoded = 0

    def subscribe(self, *, raw: bool = False) -> RelayedAudioTrack:
        """A new reader: of Opus packets for a peer (unless ``raw`` or not ``encode_once``)."""
        return self._add(RelayedAudioTrack(self, encoded=self.encode_once and not raw))

    async def _pump(self) -> None:
        while True:
            if not self._tracks:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                frame = await self.source.recv()
            except MediaStreamError:
                for track in list(self._tracks):
                    track.stop()
                return
            if not isinstance(frame, av.AudioFrame):
                continue
            # Encoded even if every peer is blocked: the stream's timing stays whole.
            packets = self._encode(frame) if any(t.encoded for t in self._tracks) else []
            for track in list(self._tracks):
                if not track.encoded:
                    track.offer(frame)
                else:
                    for packet in packets:
                        track.offer(packet)

    def _encode(self, frame: av.AudioFrame) -> list[Packet[Any]]:
        """Opus-encode one frame (about 0.1 ms for 20 ms of mono speech: no thread needed)."""
        if self._codec is None:
            codec = av.CodecContext.create("libopus", "w")
            codec.bit_rate = OPUS_BITRATE
            codec.format = "s16"
            codec.layout = "mono"
            codec.sample_rate = AUDIO_SAMPLE_RATE
            codec.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
            codec.options = {"application": "voip"}
            self._codec = codec
            self._resampler = av.AudioResampler(
                format="s16", layout="mono", rate=AUDIO_SAMPLE_RATE, frame_size=AUDIO_FRAME_SAMPLES
            )
        assert self._resampler is not None
        packets: list[Packet[Any]] = []
        for resampled in self._resampler.resample(frame):
            packets.extend(self._codec.encode(resampled))
        for packet in packets:
            if self._first_pts is None:
                self._first_pts = packet.pts or 0
            packet.pts = (packet.pts or 0) - self._first_pts
            packet.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
            self.packets_encoded += 1
        return packets
