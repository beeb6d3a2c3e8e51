"""Our media in a live room: the mesh, our microphone and camera, the tiles' frames.

:class:`LiveCall` opens the local sources when we are admitted (a participant:
when knocking, so the lobby preview shows the camera the mesh then uses), builds
the mesh with them, mutes by sending silence, and hangs up; its ``frames`` scale
what arrives for the tiles (and pass the audio on to the speakers).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

import av
from PySide6.QtCore import QObject

from groupdesk.core.protocol import Admitted
from groupdesk.media.events import MediaEvent
from groupdesk.media.link import ice_servers
from groupdesk.media.mesh import Mesh
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
        self.mesh: Mesh | None = None
        """From admission until hang-up."""
        self.sources: SourcesFactory | None = None
        self._audio: MutableAudio | None = None
        self._self_view: SelfView | None = None
        self._opened = False
        self._seat = ""

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

    def end_preview(self) -> None:
        """The lobby preview is over (we were admitted): end its source, keep the camera."""
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
        on_event: Callable[[MediaEvent], None],
    ) -> Mesh:
        """Open our sources (unless opened already) and the mesh of the room we were
        admitted to."""
        self._open()
        self._seat = admitted.member
        if self._audio is not None:
            self._audio.muted = muted
        video = self._self_view.source if self._self_view is not None else None
        mesh = Mesh(
            admitted.member,
            client,
            ice_servers=ice_servers(admitted),
            video=video,
            audio=self._audio,
            sink=self.frames,
        )
        mesh.events.subscribe(on_event)
        self.mesh = mesh
        return mesh

    def set_muted(self, muted: bool) -> None:
        """Send silence (or our voice again); the microphone stays open."""
        if self._audio is not None:
            self._audio.muted = muted

    def set_send_video(self, send: bool) -> None:
        """Send our video, or stop sending it."""
        if self.mesh is not None:
            self.mesh.set_send_video(send)

    def stopped(self) -> None:
        """The connection (and with it the mesh) is closed: let go of our sources."""
        if self.mesh is None and self._audio is not None:
            self._audio.stop()  # opened for a wait that ended before admission
        self.mesh = None
        self._audio = None
        self._opened = False
        self._seat = ""
        if self._self_view is not None:
            self._self_view.stop()
            self._self_view = None

    def shutdown(self) -> None:
        """No more calls (the window is closing): stop the frame workers."""
        self._executor.shutdown(wait=False, cancel_futures=True)
