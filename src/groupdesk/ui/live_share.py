"""Screen sharing in a live session: our share (a screen, a window, a document's pages),
the permission a facilitator gives participants, and the share shown large.

:class:`LiveShare` is the model the share controls and the large view listen to (no
widgets). The rules are the room's (``core/session/share.py``, ``room_share.py``): who
may share, what is journaled, what a newcomer is told; here they meet the media -- the
source given to the call's share (``set_share``: a mesh's share track, or a second
publication to the media server in an SFU room) and the frames that come of others'
shares (the call's ``share_sink``), scaled off the UI thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Executor
from pathlib import Path
from typing import Literal, Protocol

import av
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from groupdesk.core.protocol import ShareKind
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import RoomOutput
from groupdesk.core.session.share import ShownShare
from groupdesk.media.call import MediaCall
from groupdesk.media.sources import VideoSource
from groupdesk.ui.live_media import TileFrames
from groupdesk.ui.share_sources import (
    SHARE_SIZE,
    CaptureFactory,
    DocumentError,
    DocumentPages,
    qt_capture,
)
from groupdesk.ui.widgets import spawn

ShareProblem = Literal["unavailable", "unreadable", "not_allowed"]
"""``unavailable`` (no screen or window capture on this system), ``unreadable`` (a
document that cannot be shared) or ``not_allowed`` (a participant not allowed)."""


class ShareHost(Protocol):
    """What :class:`LiveShare` needs of its live session."""

    room: Room

    @property
    def mesh(self) -> MediaCall | None:
        """The media connections, from admission until hang-up."""
        ...


class LiveShare(QObject):
    """Our share and the one shown.

    Signals:
        ``changed()``: who shares, who may, our share or the document's page changed.
        ``picture(QImage)``: a new picture of the share shown (scaled for the view).
        ``problem(str)``: a share could not start (see :data:`ShareProblem`).
    """

    changed = Signal()
    picture = Signal(QImage)
    problem = Signal(str)

    def __init__(
        self,
        host: ShareHost,
        apply: Callable[[Iterable[RoomOutput]], Awaitable[object]],
        executor: Executor,
        parent: QObject | None = None,
        capture: CaptureFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._apply = apply
        self.capture: CaptureFactory = capture or qt_capture(executor)
        """Opens a screen or a window capture (tests inject their own)."""
        self.frames = TileFrames(executor, self, default_size=SHARE_SIZE)
        self.frames.frame_ready.connect(self._frame_ready)
        self.document: DocumentPages | None = None
        """The document we share (None: none)."""
        self._source: VideoSource | None = None
        self.last_problem: ShareProblem | None = None

    # -- reading ---------------------------------------------------------------------

    @property
    def room(self) -> Room:
        """The room whose rules decide."""
        return self._host.room

    @property
    def shown(self) -> ShownShare | None:
        """The share shown large (the one started last), or None."""
        return self.room.shares.shown

    @property
    def mine(self) -> ShareKind | None:
        """What we share (None: nothing)."""
        return self.room.my_share

    @property
    def may_share(self) -> bool:
        """Whether we may start a share now."""
        return self.room.may_share_now

    # -- our share -------------------------------------------------------------------

    async def share_document(self, path: Path) -> bool:
        """Share the PDF or image at ``path``, page by page, from its first page."""
        try:
            document = DocumentPages(path)
        except DocumentError:
            self._problem("unreadable")
            return False
        if not await self._start("document", document.source):
            document.close()
            return False
        self.document = document
        self.picture.emit(document.render(0))
        self.changed.emit()
        return True

    async def share_capture(self, kind: ShareKind) -> bool:
        """Share a screen (``screen``) or a window (``window``), where the system can."""
        source = self.capture(kind)
        if source is None:
            self._problem("unavailable")
            return False
        if not await self._start(kind, source):
            source.stop()
            return False
        self.changed.emit()
        return True

    async def _start(self, kind: ShareKind, source: VideoSource) -> bool:
        if not self.may_share:
            self._problem("not_allowed")
            return False
        mesh = self._host.mesh
        await self._release()  # another share of ours ends first
        outputs = self.room.start_share(kind)
        self._source = source
        if mesh is not None:
            await mesh.set_share(source)
        self.last_problem = None
        await self._apply(outputs)
        return True

    async def carry_to(self, call: MediaCall) -> None:
        """The room's media moved to ``call`` (a mesh to the media server): our share,
        still announced to everyone, goes on through it; one it cannot carry ends."""
        if self._source is None or self.mine is None:
            return
        if call.can_share:
            await call.set_share(self._source)
        else:
            await self.stop()

    async def stop(self) -> None:
        """Stop our share, for everyone."""
        outputs = self.room.stop_share()
        await self._release()
        await self._apply(outputs)
        self.changed.emit()

    def next_page(self) -> bool:
        """The document's next page, to everyone."""
        return self._page(lambda d: d.next())

    def previous_page(self) -> bool:
        """The document's page before, to everyone."""
        return self._page(lambda d: d.previous())

    def _page(self, move: Callable[[DocumentPages], bool]) -> bool:
        document = self.document
        if document is None or not move(document):
            return False
        self.picture.emit(document.render(document.page))
        self.changed.emit()
        return True

    async def _release(self) -> None:
        """Let go of our source: off the mesh, stopped; the document closed."""
        source, self._source = self._source, None
        document, self.document = self.document, None
        mesh = self._host.mesh
        if mesh is not None and mesh.sharing:
            await mesh.set_share(None)
        if source is not None:
            source.stop()
        if document is not None:
            document.close()

    # -- a facilitator's permission --------------------------------------------------

    async def allow(self, seat: str, allowed: bool) -> None:
        """Let the participant in ``seat`` share their screen, or take it back."""
        await self._apply(self.room.allow_share(seat, allowed))
        self.changed.emit()

    # -- from the room and the media ---------------------------------------------------

    def room_changed(self) -> None:
        """The room's share state changed: a share of ours it no longer counts (the
        permission was taken back) stops; the view follows."""
        if self.mine is None and self._source is not None:
            spawn(self._release())
        shown = self.shown
        if shown is not None and shown.seat == self.room.self_seat and self.document is not None:
            self.picture.emit(self.document.render(self.document.page))
        self.changed.emit()

    def share_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """A frame of ``member_id``'s share (the mesh's ``share_sink``): scaled for the
        view if theirs is the share shown."""
        shown = self.shown
        if shown is not None and shown.seat == member_id:
            self.frames.video_frame(member_id, frame)

    def set_view_size(self, size: QSize) -> None:
        """Scale the share's pictures to fit ``size`` (device pixels)."""
        shown = self.shown
        if shown is not None:
            self.frames.set_tile_size(shown.seat, size)

    def _frame_ready(self, seat: str, image: QImage) -> None:
        shown = self.shown
        if shown is not None and shown.seat == seat:
            self.picture.emit(image)

    def _problem(self, problem: ShareProblem) -> None:
        self.last_problem = problem
        self.problem.emit(problem)

    async def hang_up(self) -> None:
        """The call is over: our sources go."""
        await self._release()
