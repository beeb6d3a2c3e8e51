"""The lobby's camera previews, for a facilitator: a thumbnail of each person waiting.

:class:`LivePreviews` runs the media side (:class:`groupdesk.media.preview.LobbyPreviews`:
one receive-only video connection per waiting person, no sound) for one session at a
time, scales its frames to thumbnails in a worker thread (the newest frame wins, as
for the tiles: the UI thread never converts a full frame) and keeps, per seat, the
latest thumbnail and where the preview stands, so a view made later shows them at
once. The organisation (or the user) may turn previews off: ``lobby_preview`` in
the policy; nobody is then asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from groupdesk.media.preview import LobbyPreviews, PreviewState, PreviewViewer
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.live_media import TileFrames

#: The size of a preview thumbnail (device pixels; the aspect of the picture is kept).
THUMBNAIL = QSize(128, 72)


class LivePreviews(QObject):
    """The previews of the people waiting in one room's lobby.

    Signals:
        ``image_ready(str, QImage)``: a new thumbnail of the person waiting in a seat.
        ``state_changed(str)``: the preview of a seat changed (``state(seat)``): asking,
        showing, camera off, closed -- or gone, with the person.
    """

    image_ready = Signal(str, QImage)
    state_changed = Signal(str)

    def __init__(self, executor: Executor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        """False: the policy turned previews off (nobody is asked)."""
        self.managed = False
        """True when the organisation's policy decides ``enabled`` (else the user's)."""
        self.frames = TileFrames(executor, self, default_size=THUMBNAIL)
        self.frames.frame_ready.connect(self._on_image)
        self.frames.closed = True
        self._images: dict[str, QImage] = {}
        self._states: dict[str, PreviewState] = {}
        self._previews: LobbyPreviews | None = None

    def start(self, client: SignalingClient, *, enabled: bool) -> None:
        """Follow the lobby of the room ``client`` is about to open (call before sending
        the request, so the previews hear our own ``admitted``)."""
        self.enabled = enabled
        self._images.clear()
        self._states.clear()
        self.frames.closed = False
        self._previews = LobbyPreviews(
            client, self.frames.video_frame, self._on_state, enabled=enabled
        )

    async def stop(self) -> None:
        """Stop every preview (the session is over)."""
        previews, self._previews = self._previews, None
        if previews is not None:
            await previews.close()
        self.frames.close()

    def state(self, seat: str) -> PreviewState | None:
        """Where the preview of ``seat`` stands (None: not asked yet, or off)."""
        return self._states.get(seat)

    def image(self, seat: str) -> QImage | None:
        """The latest thumbnail of ``seat`` (None: no picture yet)."""
        return self._images.get(seat)

    @property
    def viewers(self) -> Mapping[str, PreviewViewer]:
        """The open preview connections, by seat."""
        return self._previews.viewers if self._previews is not None else {}

    def forget(self, seat: str) -> None:
        """The person in ``seat`` no longer waits."""
        self.frames.forget(seat)
        self._images.pop(seat, None)
        if self._states.pop(seat, None) is not None:
            self.state_changed.emit(seat)

    def _on_state(self, seat: str, state: PreviewState) -> None:
        if self._previews is None and state != "closed":
            return
        self._states[seat] = state
        self.state_changed.emit(seat)

    def _on_image(self, seat: str, image: QImage) -> None:
        # a frame scaled after the person left (or the preview closed) is dropped
        if self._states.get(seat) not in ("showing", "asking"):
            return
        self._images[seat] = image
        self.image_ready.emit(seat, image)
