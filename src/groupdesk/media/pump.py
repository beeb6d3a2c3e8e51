"""Reading one local source while anyone listens, for many readers (tracks).

:class:`SourcePump` is what the video fan-out (:mod:`groupdesk.media.fanout`) and
the audio relay (:mod:`groupdesk.media.relay`) share: the readers, the reading task
that starts with the first reader and sleeps while there is nothing to do, and
``stop``, which cancels it and ends every reader. It stops the reading, never the
source: the next call (or the mesh after a lobby preview) reads the same source.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Generic, Protocol, TypeVar


class _Track(Protocol):
    def stop(self) -> None: ...


TrackT = TypeVar("TrackT", bound=_Track)


class SourcePump(Generic[TrackT]):
    """The readers of one source and the task that reads it (``_pump``, per subclass)."""

    def __init__(self) -> None:
        self._tracks: list[TrackT] = []
        self._wake = asyncio.Event()
        """Set when there may be work again (a reader came, or wants data again)."""
        self._task: asyncio.Task[None] | None = None

    def _add(self, track: TrackT) -> TrackT:
        """Count ``track`` among the readers; the reading starts if it had not."""
        self._tracks.append(track)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._pump())
        self._wake.set()
        return track

    def _unsubscribe(self, track: TrackT) -> None:
        if track in self._tracks:
            self._tracks.remove(track)

    async def stop(self) -> None:
        """Stop reading the source; every reader ends."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for track in list(self._tracks):
            track.stop()

    async def _pump(self) -> None:
        raise NotImplementedError
