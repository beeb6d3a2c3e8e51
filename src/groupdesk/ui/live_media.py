"""Media for the live screen: frames scaled for tiles off the UI thread, mute, self-view.

``TileFrames`` is the mesh's ``MediaSink``: each decoded frame is scaled to its
tile's size by swscale (``av``) in a worker thread; while a member's frame is
being scaled, newer ones replace the waiting one (the newest wins), so a busy
machine shows fewer frames rather than late ones. The UI thread only receives
tile-sized ``QImage`` objects (``frame_ready``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Executor

import av
from aiortc.mediastreams import MediaStreamError
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from groupdesk.media.sources import AudioSource, PushedVideoSource, VideoSource
from groupdesk.ui.devices import scaled_image

#: The size a tile's frames are scaled to until the tile says its own.
DEFAULT_TILE = QSize(320, 180)


class TileFrames(QObject):
    """Scales received frames to tile size in a worker; plays audio through ``audio``.

    Signals:
        ``frame_ready(str, QImage)``: a tile-sized picture of a member (by seat).
        ``audio_gone(str)``: no more audio of that seat will be played (the member left,
        was removed, or the session ended): the speakers can drop what they queued.
    """

    frame_ready = Signal(str, QImage)
    audio_gone = Signal(str)

    def __init__(
        self, executor: Executor, parent: QObject | None = None, default_size: QSize = DEFAULT_TILE
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._default = QSize(default_size)
        self._sizes: dict[str, QSize] = {}
        self._busy: set[str] = set()
        self._waiting: dict[str, av.VideoFrame] = {}
        self.audio: Callable[[str, av.AudioFrame], None] | None = None
        self._heard: set[str] = set()
        """Seats whose audio went to ``audio`` and was not forgotten since."""
        self.converted = 0
        self.closed = False

    def set_tile_size(self, seat: str, size: QSize) -> None:
        """Scale ``seat``'s frames to fit ``size`` from now on (device pixels)."""
        if size.width() >= 16 and size.height() >= 16:
            self._sizes[seat] = QSize(size)

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """A decoded frame (the mesh's ``MediaSink``); scaled in the worker."""
        if self.closed:
            return
        if member_id in self._busy:
            self._waiting[member_id] = frame
            return
        self._convert(member_id, frame)

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        """Decoded audio (the mesh's ``MediaSink``): to the speakers."""
        if self.audio is not None and not self.closed:
            self._heard.add(member_id)
            self.audio(member_id, frame)

    def forget(self, seat: str) -> None:
        """The member left."""
        self._sizes.pop(seat, None)
        self._waiting.pop(seat, None)
        if seat in self._heard:
            self._heard.discard(seat)
            self.audio_gone.emit(seat)

    def close(self) -> None:
        """Stop converting and playing."""
        self.closed = True
        self._waiting.clear()
        heard, self._heard = self._heard, set()
        for seat in sorted(heard):
            self.audio_gone.emit(seat)

    def _convert(self, seat: str, frame: av.VideoFrame) -> None:
        self._busy.add(seat)
        size = QSize(self._sizes.get(seat, self._default))
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, scaled_image, frame, size
        )
        future.add_done_callback(lambda done: self._converted(seat, done))

    def _converted(self, seat: str, future: asyncio.Future[QImage]) -> None:
        self._busy.discard(seat)
        if self.closed or future.cancelled() or future.exception() is not None:
            return
        self.converted += 1
        self.frame_ready.emit(seat, future.result())
        newer = self._waiting.pop(seat, None)
        if newer is not None:
            self._convert(seat, newer)


class MutableAudio(AudioSource):
    """An audio source that sends silence while muted (the microphone stays open)."""

    def __init__(self, inner: AudioSource) -> None:
        super().__init__()
        self.inner = inner
        self.muted = False

    async def recv(self) -> av.AudioFrame:
        """The next frame of the inner source, or as much silence."""
        frame = await self.inner.recv()
        if not self.muted:
            return frame
        for plane in frame.planes:  # the frame is ours: silence it in place
            plane.update(bytes(plane.buffer_size))
        return frame

    def stop(self) -> None:
        """Stop the inner source too."""
        self.inner.stop()
        super().stop()


class SelfView:
    """Reads the camera once: each frame goes to the mesh (``source``), to any ``branch``
    (the lobby preview while waiting) and, a few times a second, to the self-view -- even
    when nobody receives our video yet."""

    def __init__(
        self, inner: VideoSource, tap: Callable[[av.VideoFrame], None], fps: float = 10
    ) -> None:
        self.inner = inner
        self.source = PushedVideoSource()
        self._branches: list[PushedVideoSource] = []
        self._tap = tap
        self._every = 1.0 / fps
        self._task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self) -> None:
        last = 0.0
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await self.inner.recv()
                now = time.monotonic()
                if now - last >= self._every:
                    last = now
                    self._tap(frame)
                self.source.push(frame)
                for branch in self._branches:
                    branch.push(frame)

    def branch(self) -> PushedVideoSource:
        """Another source with the same frames (newest wins), until ``end_branches``."""
        branch = PushedVideoSource()
        self._branches.append(branch)
        return branch

    def end_branches(self) -> None:
        """End every branch (the camera goes on for ``source``)."""
        branches, self._branches = self._branches, []
        for branch in branches:
            branch.stop()

    def stop(self) -> None:
        """Stop reading the camera."""
        self._task.cancel()
        self.inner.stop()
        self.source.stop()
        self.end_branches()
