"""What the facilitator shares, as media video sources: a document's pages, a screen, a window.

A **document** (a PDF through Qt's ``QPdfDocument``, or an image) is rendered one page at
a time into a picture fitted to :data:`~groupdesk.media.share.SHARE_PROFILE` and sent
again and again by a :class:`~groupdesk.media.share.StillSource` until the next page.
A **screen** or a **window** comes from Qt Multimedia's ``QScreenCapture`` /
``QWindowCapture`` where the system offers them; where it does not (an offscreen
platform, no capture backend) :func:`capture_available` says so and the UI says "not
available on this system". Tests inject their own source through :data:`CaptureFactory`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import av
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtMultimedia import (
    QMediaCaptureSession,
    QScreenCapture,
    QWindowCapture,
)
from PySide6.QtPdf import QPdfDocument

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import ShareKind
from groupdesk.media.share import SHARE_PROFILE, StillSource
from groupdesk.media.sources import VideoSource
from groupdesk.ui.devices import QtSinkSource

SHARE_SIZE = QSize(SHARE_PROFILE.width, SHARE_PROFILE.height)
"""The largest picture a share sends (its profile's)."""

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")
"""The images a document share opens (anything else is tried as a PDF)."""

CaptureFactory = Callable[[ShareKind], VideoSource | None]
"""Opens a screen (``screen``) or a window (``window``) capture; None: not available."""


class DocumentError(GroupDeskError):
    """A document that cannot be shared (unreadable, not a PDF or an image, no pages)."""

    key = "live.error.document_unreadable"


def image_frame(image: QImage, size: QSize = SHARE_SIZE) -> av.VideoFrame:
    """``image`` fitted within ``size`` (aspect kept, never enlarged), as a yuv420p frame."""
    if image.width() > size.width() or image.height() > size.height():
        image = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = max(2, image.width() // 2 * 2), max(2, image.height() // 2 * 2)
    stride = image.bytesPerLine()
    data = bytes(image.constBits())
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    pad = bytes(plane.line_size - width * 3)
    plane.update(b"".join(data[y * stride : y * stride + width * 3] + pad for y in range(height)))
    return frame.reformat(format="yuv420p")


class DocumentPages:
    """A document opened for sharing: its pages, the one shown, and the source sending it.

    ``path`` is a PDF or an image (:data:`IMAGE_SUFFIXES`); raises :class:`DocumentError`
    when it cannot be read. The file is read, never changed or copied.
    """

    def __init__(self, path: Path, size: QSize = SHARE_SIZE) -> None:
        self.path = path
        self._size = QSize(size)
        self._pdf: QPdfDocument | None = None
        self._image: QImage | None = None
        if path.suffix.lower() in IMAGE_SUFFIXES:
            image = QImage(str(path))
            if image.isNull():
                raise DocumentError
            self._image = image
        else:
            pdf = QPdfDocument()
            if pdf.load(str(path)) != QPdfDocument.Error.None_ or pdf.pageCount() < 1:
                raise DocumentError
            self._pdf = pdf
        self.page = 0
        self.source = StillSource(image_frame(self.render(0), self._size))

    @property
    def page_count(self) -> int:
        """How many pages (an image has one)."""
        return self._pdf.pageCount() if self._pdf is not None else 1

    def render(self, page: int) -> QImage:
        """Page ``page`` (from 0) as a picture that fits the share's size, on white."""
        if self._pdf is None:
            assert self._image is not None
            return self._image
        points = self._pdf.pagePointSize(page)
        scale = min(
            self._size.width() / max(1.0, points.width()),
            self._size.height() / max(1.0, points.height()),
        )
        size = QSize(max(2, int(points.width() * scale)), max(2, int(points.height() * scale)))
        rendered = self._pdf.render(page, size)
        page_image = QImage(size, QImage.Format.Format_RGB888)
        page_image.fill(Qt.GlobalColor.white)  # a PDF page's background is transparent
        painter = QPainter(page_image)
        painter.drawImage(0, 0, rendered)
        painter.end()
        return page_image

    def go_to(self, page: int) -> bool:
        """Show page ``page`` (from 0) to everyone; False when there is no such page."""
        if not 0 <= page < self.page_count or page == self.page:
            return False
        self.page = page
        self.source.show(image_frame(self.render(page), self._size))
        return True

    def next(self) -> bool:
        """The next page, if any."""
        return self.go_to(self.page + 1)

    def previous(self) -> bool:
        """The page before, if any."""
        return self.go_to(self.page - 1)

    def close(self) -> None:
        """Stop sending and let the document go."""
        self.source.stop()
        if self._pdf is not None:
            self._pdf.close()


def capture_available(kind: ShareKind) -> bool:
    """Whether this system can capture a screen (``screen``) or a window (``window``) with
    Qt Multimedia: not on an offscreen or minimal platform, nor without a screen or a
    window to capture."""
    if kind == "document":
        return True
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return False
    if kind == "screen":
        return QGuiApplication.primaryScreen() is not None
    return bool(QWindowCapture.capturableWindows())


class QtCaptureSource(QtSinkSource):
    """The primary screen, or the first window the system lets us capture, through Qt
    Multimedia; frames are converted in ``executor`` (the newest wins), at most 1280x720.
    ``failed`` is set when the capture reports an error (then it sends nothing)."""

    def __init__(self, kind: ShareKind, executor: Executor) -> None:
        super().__init__(executor)
        self._session = QMediaCaptureSession()
        self._session.setVideoSink(self._sink)
        self.failed = False
        self._screen: QScreenCapture | None = None
        self._window: QWindowCapture | None = None
        if kind == "screen":
            self._screen = QScreenCapture()
            self._screen.setScreen(QGuiApplication.primaryScreen())
            self._screen.errorOccurred.connect(self._on_error)
            self._session.setScreenCapture(self._screen)
            self._screen.start()
        else:
            self._window = QWindowCapture()
            windows = QWindowCapture.capturableWindows()
            if windows:
                self._window.setWindow(windows[0])
            self._window.errorOccurred.connect(self._on_error)
            self._session.setWindowCapture(self._window)
            self._window.start()

    def _on_error(self, *_: object) -> None:
        self.failed = True

    def stop(self) -> None:
        """Stop capturing and end the source."""
        for capture in (self._screen, self._window):
            if capture is not None:
                capture.stop()
        super().stop()


def qt_capture(executor: Executor) -> CaptureFactory:
    """The real capture factory: Qt Multimedia's, where :func:`capture_available`."""

    def open_capture(kind: ShareKind) -> VideoSource | None:
        if kind == "document" or not capture_available(kind):
            return None
        return QtCaptureSource(kind, executor)

    return open_capture


__all__ = [
    "SHARE_SIZE",
    "CaptureFactory",
    "DocumentError",
    "DocumentPages",
    "QtCaptureSource",
    "capture_available",
    "image_frame",
    "qt_capture",
]
