"""Our media in a live room: the mesh, our microphone and camera, the tiles' frames.

:class:`LiveCall` opens the local sources when we are admitted (a participant:
when knocking, so the lobby preview -- ``answer_previews`` -- shows the camera the
mesh then uses), builds
the mesh with them, mutes by sending silence, and hangs up; its ``frames`` scale
what arrives for the tiles (and pass the audio on to the speakers).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

import av
from PySide6.QtCore import QObject

from groupdesk.core.protocol import Admitted
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent
from groupdesk.media.link import make_call
from groupdesk.media.preview import PreviewAnswerer
from groupdesk.media.share import ShareSink
from groupdesk.media.sources import AudioSource, VideoSource
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.live_media import MutableAudio, SelfView, TileFrames

SourcesFactory = Callable[[], tuple[VideoSource | None, AudioSource | None]]
"""Opens the local camera and microphone (or synthetic stand-ins) when the room opens."""


class LiveCall:
    """The media of one live session at a time (``frames`` lives as long as the call)."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="groupdesk-tiles")
        self.frames = TileFrames(self._executor, parent)
        self.mesh: MediaCall | None = None
        """From admission until hang-up: a mesh, or the SFU call of a room whose media go
        through the organisation's media server."""
        self.sources: SourcesFactory | None = None
        self._audio: MutableAudio | None = None
        self._self_view: SelfView | None = None
        self._opened = False
        self._seat = ""
        self._answerer: PreviewAnswerer | None = None
        self._blocked: frozenset[str] = frozenset()
        self.relay_without_turn = False
        """The room is relay-only and the server offers no TURN server: nothing connects."""
        self.share_sink: ShareSink | None = None
        """Where the shares of others go (the session's ``LiveShare``)."""

    @property
    def executor(self) -> Executor:
        """The worker threads that scale pictures (tiles, lobby previews)."""
        return self._executor

    def open_sources(self) -> VideoSource | None:
        """Open our camera and microphone now, before admission (a participant knocking);
        returns a source with the camera's frames for the lobby preview (None: no camera).

        The camera is read once: the preview's source and, from admission, the mesh's get
        the same frames; ``end_preview`` ends the preview's, the camera goes on.
        """
        self._open()
        return self._self_view.branch() if self._self_view is not None else None

    def answer_previews(self, client: SignalingClient) -> None:
        """A participant knocking: open our sources, and let the room's facilitators see
        our camera while we wait (never hear our sound)."""
        self._answerer = PreviewAnswerer(client, self.open_sources())

    async def end_preview(self) -> None:
        """The lobby preview is over (admitted, turned away, or leaving): end its source,
        keep the camera."""
        answerer, self._answerer = self._answerer, None
        if answerer is not None:
            await answerer.close()
        if self._self_view is not None:
            self._self_view.end_branches()

    def _open(self) -> None:
        if self._opened:
            return
        self._opened = True
        video, audio = self.sources() if self.sources is not None else (None, None)
        if audio is not None:
            self._audio = MutableAudio(audio)
        if video is not None:
            self._self_view = SelfView(video, self._tap)

    def _tap(self, frame: av.VideoFrame) -> None:
        if self._seat:  # our own tile, once we have a seat
            self.frames.video_frame(self._seat, frame)

    def start(
        self,
        admitted: Admitted,
        client: SignalingClient,
        *,
        muted: bool,
        camera_off: bool,
        on_event: Callable[[MediaEvent], None],
    ) -> MediaCall:
        """Open our sources (unless opened already) and the call (mesh or SFU) of the room
        we were admitted to (with our microphone muted, our camera off, as they are)."""
        self._open()
        self._seat = admitted.member
        self.relay_without_turn = admitted.relay_without_turn
        if self._audio is not None:
            self._audio.muted = muted
        video = self._self_view.source if self._self_view is not None else None
        mesh = make_call(
            admitted,
            client,
            video=video,
            audio=self._audio,
            sink=self.frames,
            share_sink=self.share_sink,
        )
        mesh.events.subscribe(on_event)
        if camera_off:  # turned off while waiting
            mesh.set_send_video(False)
        mesh.set_blocked(self._blocked)  # a side room we heard of before the mesh
        self.mesh = mesh
        return mesh

    def set_muted(self, muted: bool) -> None:
        """Send silence (or our voice again); the microphone stays open."""
        if self._audio is not None:
            self._audio.muted = muted

    @property
    def blocked(self) -> frozenset[str]:
        """The seats our media leaves alone now (a side room; empty: nobody)."""
        return self._blocked

    def set_blocked(self, seats: frozenset[str]) -> None:
        """The seats our media must neither reach nor take from (the side room); the
        mesh made later starts with them too."""
        self._blocked = seats
        if self.mesh is not None:
            self.mesh.set_blocked(seats)

    async def set_camera(self, on: bool) -> None:
        """Send our video, or stop sending it (waiting: to the lobby preview too)."""
        if self.mesh is not None:
            self.mesh.set_send_video(on)
        if self._answerer is not None:
            await self._answerer.set_camera(on)

    def stopped(self) -> None:
        """The connection (and with it the mesh) is closed: let go of our sources."""
        if self.mesh is None and self._audio is not None:
            self._audio.stop()  # opened for a wait that ended before admission
        self.mesh = None
        self._blocked = frozenset()
        self.relay_without_turn = False
        self._audio = None
        self._opened = False
        self._seat = ""
        if self._self_view is not None:
            self._self_view.stop()
            self._self_view = None

    def shutdown(self) -> None:
        """No more calls (the window is closing): stop the frame workers."""
        self._executor.shutdown(wait=False, cancel_futures=True)
