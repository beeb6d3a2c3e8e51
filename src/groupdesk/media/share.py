"""Screen sharing's media: the second video track of every mesh connection.

A share (a screen, a window, a document's page) travels on its own video track, next to
the camera's, so the camera goes on: every peer connection carries, in this order, the
audio, the camera and the share (:data:`SHARE_MLINE`, the third m-line, pre-allocated
``sendrecv`` on both sides from the first offer: starting or stopping a share is a
``replaceTrack``, never a renegotiation). The web page tells the share from the camera
the same way, by the transceiver's place.

Text must stay legible and cheap: up to :data:`SHARE_PROFILE` (1280x720) at 5 frames a
second, encoded once for every peer (:class:`~groupdesk.media.fanout.VideoFanout`),
keyframes only when a peer asks (a newcomer, a loss) or the picture changes size.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Protocol

import av
from aiortc.mediastreams import MediaStreamError

from groupdesk.media.quality import VideoProfile
from groupdesk.media.sources import VIDEO_CLOCK_RATE, VIDEO_TIME_BASE, VideoSource

SHARE_MLINE = 2
"""The place of the share's transceiver in every mesh connection (audio 0, camera 1)."""

SHARE_PROFILE = VideoProfile(1280, 720, 5, 600_000)
"""What a share is sent at, at most: text stays legible, the upload stays small."""


class ShareSink(Protocol):
    """Where the shares others send us go (the large share view; a recorder in tests)."""

    def share_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """A decoded frame of ``member_id``'s share."""
        ...


class StillSource(VideoSource):
    """One picture (a document's page), sent again and again at ``fps`` until another
    replaces it (:meth:`show`): a receiver that joins late, or lost a packet, gets it
    within a frame or two; an unchanged picture costs a few bytes a frame."""

    def __init__(self, frame: av.VideoFrame | None = None, fps: float = SHARE_PROFILE.fps) -> None:
        super().__init__()
        self._frame: av.VideoFrame | None = None
        self._every = 1.0 / fps
        self._next_at: float | None = None
        self._t0 = time.monotonic()
        self._shown = asyncio.Event()
        if frame is not None:
            self.show(frame)

    def show(self, frame: av.VideoFrame) -> None:
        """Send ``frame`` from now on (the next page); at once, not at the next tick."""
        width, height = frame.width // 2 * 2, frame.height // 2 * 2
        if (width, height) != (frame.width, frame.height) or frame.format.name != "yuv420p":
            frame = frame.reformat(width=max(2, width), height=max(2, height), format="yuv420p")
        self._frame = frame
        self._next_at = None
        self._shown.set()

    async def recv(self) -> av.VideoFrame:
        """The current picture, stamped with the time; paced at the source's rate."""
        while self._frame is None:
            if self.readyState != "live":
                raise MediaStreamError
            self._shown.clear()
            await self._shown.wait()
        now = time.monotonic()
        if self._next_at is not None and now < self._next_at:
            self._shown.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._shown.wait(), self._next_at - now)
            now = time.monotonic()
        if self.readyState != "live" or self._frame is None:
            raise MediaStreamError
        self._next_at = now + self._every
        frame = _copy(self._frame)  # the encoder's own: it stamps and may flag it
        frame.pts = int((now - self._t0) * VIDEO_CLOCK_RATE)
        frame.time_base = VIDEO_TIME_BASE
        return frame

    def stop(self) -> None:
        """End the source; a pending ``recv()`` raises ``MediaStreamError``."""
        super().stop()
        self._shown.set()


def _copy(still: av.VideoFrame) -> av.VideoFrame:
    """A new yuv420p frame with ``still``'s pixels."""
    frame = av.VideoFrame(still.width, still.height, "yuv420p")
    for source, target in zip(still.planes, frame.planes, strict=True):
        if source.buffer_size != target.buffer_size:  # pragma: no cover - one allocator
            raise RuntimeError("a still frame's planes are laid out unlike a new frame's")
        target.update(bytes(source))
    return frame
