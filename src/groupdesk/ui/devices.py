"""Camera, microphone and speaker through Qt Multimedia, as media's sources; synthetic stand-ins.

:class:`QtCameraSource` and :class:`QtMicrophoneSource` implement
``groupdesk.media.sources``' interface (``PushedVideoSource`` /
``PushedAudioSource``), so what they capture can feed the mesh. With no camera
or no microphone, :class:`DeviceTest` uses the synthetic sources of
``groupdesk.media.sources`` instead (a test pattern with the facilitator's name,
speech-like audio) and says so in ``synthetic_video`` / ``synthetic_audio``.

Frames are converted and scaled in a worker thread (swscale through ``av``);
the UI thread only receives preview-sized ``QImage`` objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import sys
import threading
from array import array
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import av
import platformdirs
from aiortc.mediastreams import MediaStreamError
from av.video.reformatter import VideoReformatter
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QAudio,
    QAudioDevice,
    QAudioFormat,
    QAudioSink,
    QAudioSource,
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)

from groupdesk.media.levels import SILENCE_DBFS, frame_level_dbfs
from groupdesk.media.sources import (
    AUDIO_FRAME_SAMPLES,
    AUDIO_SAMPLE_RATE,
    AUDIO_TIME_BASE,
    AudioSource,
    PushedAudioSource,
    PushedVideoSource,
    SpeechLikeAudioSource,
    TestPatternSource,
    VideoSource,
)
from groupdesk.ui.widgets import spawn

log = logging.getLogger(__name__)

#: The largest frame a camera hands to the mesh (the mesh lowers it further as the group grows).
MAX_CAPTURE = QSize(1280, 720)
#: The size of the synthetic test pattern.
PATTERN_SIZE = QSize(640, 360)
_FRAME_BYTES = AUDIO_FRAME_SAMPLES * 2


#: Where the devices chosen on the device check are kept (beside the policy's settings.json).
DEVICES_FILE_NAME = "devices.json"
#: The kinds of device remembered.
DEVICE_KINDS = ("camera", "microphone", "speaker")


class _Device(Protocol):
    """What is read of a ``QCameraDevice`` or ``QAudioDevice`` to remember it."""

    def id(self) -> QByteArray: ...

    def description(self) -> str: ...


def devices_file() -> Path:
    """``devices.json`` in the per-user config folder.

    Device ids belong to this machine, not to the person or the organisation, so
    they are not user settings of the policy (which an administrator can lock and
    ``--print-effective-policy`` reports): they get a small file of their own,
    next to ``settings.json``, found the same way (XDG on Linux).
    """
    return platformdirs.user_config_path("GroupDesk", appauthor=False) / DEVICES_FILE_NAME


def device_key(device: _Device) -> str:
    """The id Qt gives ``device``, as text (stable across restarts on the same machine)."""
    return bytes(device.id().data()).decode("utf-8", "replace")


def remembered_devices() -> dict[str, str]:
    """The device id chosen for each kind on the device check (an unreadable file: none)."""
    try:
        data = json.loads(devices_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in DEVICE_KINDS and isinstance(v, str) and v}


def remember_device(kind: str, device: _Device) -> None:
    """Keep ``device`` as the ``kind`` to use from now on (a write that fails is logged)."""
    chosen = remembered_devices()
    chosen[kind] = device_key(device)
    path = devices_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
    except OSError:
        log.warning("the %s chosen could not be remembered in %s", kind, path, exc_info=True)


def remembered_index(kind: str, devices: Sequence[_Device], default: int = 0) -> int:
    """The index in ``devices`` of the ``kind`` chosen on the device check.

    ``default`` when none was chosen, or when the one chosen is gone (unplugged,
    another machine): that is said in the log.
    """
    wanted = remembered_devices().get(kind)
    if wanted is None or not devices:
        return default
    for index, device in enumerate(devices):
        if device_key(device) == wanted:
            return index
    log.info(
        "the %s chosen on the device check (%s) is not connected: using another one", kind, wanted
    )
    return default


def audio_format() -> QAudioFormat:
    """48 kHz, mono, signed 16-bit: what media's audio sources carry."""
    fmt = QAudioFormat()
    fmt.setSampleRate(AUDIO_SAMPLE_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


_reformatters = threading.local()


def scaled_image(frame: av.VideoFrame, size: QSize) -> QImage:
    """``frame`` scaled to fit ``size`` (aspect kept) as an RGB ``QImage``; for a worker thread.

    Each worker keeps one swscale context, single-threaded: ``frame.reformat()`` makes a
    new one per frame with its own slice threads, whose join (when a frame is freed,
    possibly on the UI thread) stalled the UI. ``bgra`` is Qt's ``Format_RGB32`` byte for
    byte on little-endian machines, the format Qt paints without its thread pool.
    """
    scale = min(size.width() / frame.width, size.height() / frame.height)
    width = max(2, int(frame.width * scale) // 2 * 2)
    height = max(2, int(frame.height * scale) // 2 * 2)
    reformatter = getattr(_reformatters, "current", None)
    if reformatter is None:
        reformatter = _reformatters.current = VideoReformatter()
    if sys.byteorder == "little":
        rgb = reformatter.reformat(frame, width=width, height=height, format="bgra", threads=1)
        image_format = QImage.Format.Format_RGB32
    else:  # pragma: no cover - no big-endian machine runs this
        rgb = reformatter.reformat(frame, width=width, height=height, format="rgb24", threads=1)
        image_format = QImage.Format.Format_RGB888
    plane = rgb.planes[0]
    image = QImage(bytes(plane), width, height, plane.line_size, image_format)
    return image.copy()  # own the pixels: the bytes above go away with this call


#: Qt pixel formats that map to an FFmpeg format byte for byte (the usual camera outputs).
_AV_FORMATS = {
    QVideoFrameFormat.PixelFormat.Format_YUV420P: "yuv420p",
    QVideoFrameFormat.PixelFormat.Format_NV12: "nv12",
    QVideoFrameFormat.PixelFormat.Format_NV21: "nv21",
    QVideoFrameFormat.PixelFormat.Format_YUYV: "yuyv422",
    QVideoFrameFormat.PixelFormat.Format_UYVY: "uyvy422",
    QVideoFrameFormat.PixelFormat.Format_BGRX8888: "bgr0",
    QVideoFrameFormat.PixelFormat.Format_BGRA8888: "bgra",
    QVideoFrameFormat.PixelFormat.Format_RGBX8888: "rgb0",
    QVideoFrameFormat.PixelFormat.Format_RGBA8888: "rgba",
    QVideoFrameFormat.PixelFormat.Format_XRGB8888: "0rgb",
    QVideoFrameFormat.PixelFormat.Format_ARGB8888: "argb",
    QVideoFrameFormat.PixelFormat.Format_XBGR8888: "0bgr",
    QVideoFrameFormat.PixelFormat.Format_ABGR8888: "abgr",
}


def _av_frame_from_qt(frame: QVideoFrame) -> av.VideoFrame | None:
    """A captured ``QVideoFrame`` as a yuv420p ``av.VideoFrame`` (at most MAX_CAPTURE); a worker.

    The planes are copied as they are and converted by swscale: no GPU context is
    needed in the worker thread. Other formats (MJPEG...) go through ``toImage``.
    """
    fmt = _AV_FORMATS.get(frame.pixelFormat())
    if fmt is None:
        return _av_frame_via_image(frame)
    if not frame.map(QVideoFrame.MapMode.ReadOnly):
        return None
    try:
        width, height = frame.width() // 2 * 2, frame.height() // 2 * 2
        captured = av.VideoFrame(width, height, fmt)
        for index, plane in enumerate(captured.planes):
            data = frame.bits(index)
            stride = frame.bytesPerLine(index)
            row = min(stride, plane.line_size)
            pad = bytes(plane.line_size - row)
            plane.update(
                b"".join(
                    bytes(data[y * stride : y * stride + row]) + pad for y in range(plane.height)
                )
            )
    finally:
        frame.unmap()
    return _fit(captured)


def _av_frame_via_image(frame: QVideoFrame) -> av.VideoFrame | None:
    image = frame.toImage()
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width() // 2 * 2, image.height() // 2 * 2
    stride = image.bytesPerLine()
    data = bytes(image.constBits())
    rgb = av.VideoFrame(width, height, "rgb24")
    plane = rgb.planes[0]
    pad = bytes(plane.line_size - width * 3)
    plane.update(b"".join(data[y * stride : y * stride + width * 3] + pad for y in range(height)))
    return _fit(rgb)


def _fit(frame: av.VideoFrame) -> av.VideoFrame:
    """``frame`` in yuv420p, scaled down (aspect kept) to fit MAX_CAPTURE."""
    scale = min(1.0, MAX_CAPTURE.width() / frame.width, MAX_CAPTURE.height() / frame.height)
    width = max(2, int(frame.width * scale) // 2 * 2)
    height = max(2, int(frame.height * scale) // 2 * 2)
    return frame.reformat(width=width, height=height, format="yuv420p")


class QtSinkSource(PushedVideoSource):
    """The frames a Qt video sink hands over on the UI thread, as a media ``VideoSource``:
    each is converted in a worker thread, and a frame that arrives while the worker is
    busy is dropped (the newest frame wins, as in ``PushedVideoSource``)."""

    def __init__(self, executor: Executor) -> None:
        super().__init__()
        self._executor = executor
        self._sink = QVideoSink()
        self._converting = False
        self._sink.videoFrameChanged.connect(self._on_frame)

    def _on_frame(self, frame: QVideoFrame) -> None:
        if self._converting or self.readyState != "live":
            return
        self._converting = True
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, _av_frame_from_qt, QVideoFrame(frame)
        )
        future.add_done_callback(self._converted)

    def _converted(self, future: asyncio.Future[av.VideoFrame | None]) -> None:
        self._converting = False
        if future.cancelled() or future.exception() is not None:
            return
        converted = future.result()
        if converted is not None and self.readyState == "live":
            self.push(converted)


class QtCameraSource(QtSinkSource):
    """A camera captured through Qt Multimedia, as a media ``VideoSource`` (see
    :class:`QtSinkSource`)."""

    def __init__(self, device: QCameraDevice, executor: ThreadPoolExecutor) -> None:
        super().__init__(executor)
        self.device = device
        self._camera = QCamera(device)
        self._session = QMediaCaptureSession()
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._camera.start()

    def stop(self) -> None:
        """Stop the camera and end the source."""
        self._camera.stop()
        super().stop()


class QtMicrophoneSource(PushedAudioSource):
    """A microphone captured through Qt Multimedia, as a media ``AudioSource`` (20 ms frames).

    The device opens when its audio is first read (by the device check's meter, or the
    call once someone listens), not before: a participant waiting in the lobby, whose
    camera the facilitator may see, has a closed microphone.
    """

    def __init__(self, device: QAudioDevice) -> None:
        super().__init__()
        self.device = device
        self._input = QAudioSource(device, audio_format())
        self._pending = bytearray()
        self._pts = 0
        self._io: QIODevice | None = None
        self.opened = False

    def open(self) -> None:
        """Start capturing (once); ``recv`` does it."""
        if self.opened:
            return
        self.opened = True
        self._io = self._input.start()
        if self._io is not None:
            self._io.readyRead.connect(self._read)

    async def recv(self) -> av.AudioFrame:
        """The next 20 ms of the microphone (opening it the first time)."""
        self.open()
        return await super().recv()

    def _read(self) -> None:
        if self._io is None:
            return
        self._pending += bytes(self._io.readAll().data())
        while len(self._pending) >= _FRAME_BYTES:
            chunk = bytes(self._pending[:_FRAME_BYTES])
            del self._pending[:_FRAME_BYTES]
            frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_FRAME_SAMPLES)
            frame.planes[0].update(chunk)
            frame.sample_rate = AUDIO_SAMPLE_RATE
            frame.pts = self._pts
            frame.time_base = AUDIO_TIME_BASE
            self._pts += AUDIO_FRAME_SAMPLES
            self.push(frame)

    def stop(self) -> None:
        """Stop capturing and end the source."""
        self._input.stop()
        super().stop()


@cache
def chime(seconds: float = 1.2) -> bytes:
    """A soft two-note chime (s16 mono, 48 kHz) to check that the speaker works."""
    samples = array("h")
    total = int(seconds * AUDIO_SAMPLE_RATE)
    half = total // 2
    for i in range(total):
        pitch = 660.0 if i < half else 880.0
        t = (i % half) / AUDIO_SAMPLE_RATE
        envelope = math.exp(-3.0 * t) * min(1.0, t * 200)
        samples.append(int(0.3 * 32767 * envelope * math.sin(2 * math.pi * pitch * t)))
    return samples.tobytes()


class DeviceTest(QObject):
    """The device check before going live: the chosen camera, microphone and speaker.

    Signals:
        ``preview_changed(QImage)``: a new preview-sized picture of the camera.
        ``level_changed(float)``: the microphone level of the last 20 ms, in dBFS.
        ``devices_changed()``: the lists of devices, or the sources in use, changed.
    """

    preview_changed = Signal(QImage)
    level_changed = Signal(float)
    devices_changed = Signal()

    def __init__(self, facilitator_name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.facilitator_name = facilitator_name
        self.preview_size = QSize(480, 270)
        self.cameras: list[QCameraDevice] = []
        self.microphones: list[QAudioDevice] = []
        self.speakers: list[QAudioDevice] = []
        self.camera_index = 0
        self.microphone_index = 0
        self.speaker_index = 0
        self.video_source: VideoSource | None = None
        self.audio_source: AudioSource | None = None
        self.failed: set[str] = set()
        """"camera" / "microphone": found but not opened (e.g. in use by another program)."""
        self.level_dbfs = SILENCE_DBFS
        self.frames_shown = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-video")
        self._tasks: list[asyncio.Task[Any]] = []
        self._sink: QAudioSink | None = None
        self._sound: QBuffer | None = None
        # Qt Multimedia loads its backend on first use: not before the page is shown.
        self._media_devices: QMediaDevices | None = None

    # -- what the page reads ---------------------------------------------------------

    @property
    def synthetic_video(self) -> bool:
        """True when no camera was found or opened: the preview is a test pattern."""
        return not self.cameras or "camera" in self.failed

    @property
    def synthetic_audio(self) -> bool:
        """True when no microphone was found or opened: the meter follows test audio."""
        return not self.microphones or "microphone" in self.failed

    @property
    def running(self) -> bool:
        """True while the preview and the meter are live."""
        return bool(self._tasks)

    def refresh(self) -> None:
        """Read the lists of cameras, microphones and speakers again."""
        if self._media_devices is None:
            self._media_devices = QMediaDevices(self)
            self._media_devices.videoInputsChanged.connect(self._devices_plugged)
            self._media_devices.audioInputsChanged.connect(self._devices_plugged)
            self._media_devices.audioOutputsChanged.connect(self._devices_plugged)
        self.cameras = list(QMediaDevices.videoInputs())
        self.microphones = list(QMediaDevices.audioInputs())
        self.speakers = list(QMediaDevices.audioOutputs())
        # The devices chosen earlier (kept in devices.json), else the first (the speaker:
        # the system's default output, which is what a live session plays on then).
        self.camera_index = remembered_index("camera", self.cameras)
        self.microphone_index = remembered_index("microphone", self.microphones)
        default_output = QMediaDevices.defaultAudioOutput()
        default_speaker = next((i for i, d in enumerate(self.speakers) if d == default_output), 0)
        self.speaker_index = remembered_index("speaker", self.speakers, default_speaker)
        self.devices_changed.emit()

    # -- choosing and running ----------------------------------------------------------

    def start(self) -> None:
        """Open the chosen camera and microphone (or the synthetic ones) and show them."""
        self.stop()
        if self._media_devices is None:
            self.refresh()
        self.failed.clear()
        self.video_source = self._open_video()
        self.audio_source = self._open_audio()
        self._tasks = [
            spawn(self._video_pump(self.video_source)),
            spawn(self._audio_pump(self.audio_source)),
        ]
        self.devices_changed.emit()

    def stop(self) -> None:
        """Release the devices (leaving the page, closing the window)."""
        for task in self._tasks:
            task.cancel()
        self._tasks = []
        for source in (self.video_source, self.audio_source):
            if source is not None:
                source.stop()
        self.video_source = self.audio_source = None
        self.level_dbfs = SILENCE_DBFS
        self._stop_sound()

    def close(self) -> None:
        """Stop, and end the worker thread."""
        self.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def choose_camera(self, index: int) -> None:
        """Use camera ``index`` of ``cameras`` (here and in live sessions from now on)."""
        self.camera_index = index
        if 0 <= index < len(self.cameras):
            remember_device("camera", self.cameras[index])
        if self.running:
            self.start()

    def choose_microphone(self, index: int) -> None:
        """Use microphone ``index`` of ``microphones`` (here and in live sessions from now on)."""
        self.microphone_index = index
        if 0 <= index < len(self.microphones):
            remember_device("microphone", self.microphones[index])
        if self.running:
            self.start()

    def choose_speaker(self, index: int) -> None:
        """Use speaker ``index`` of ``speakers`` (the test sound; the others' voices live)."""
        self.speaker_index = index
        if 0 <= index < len(self.speakers):
            remember_device("speaker", self.speakers[index])

    def play_test_sound(self) -> bool:
        """Play the chime on the chosen speaker; False when there is no speaker."""
        if not self.speakers:
            return False
        self._stop_sound()
        device = self.speakers[self.speaker_index]
        self._sound = QBuffer(self)
        self._sound.setData(QByteArray(chime()))
        self._sound.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(device, audio_format(), self)
        self._sink.stateChanged.connect(self._sound_state)
        self._sink.start(self._sound)
        return True

    # -- internals ------------------------------------------------------------------

    def _open_video(self) -> VideoSource:
        if self.cameras:
            try:
                return QtCameraSource(self.cameras[self.camera_index], self._executor)
            except Exception:  # a camera that fails to open: say so with the test pattern
                log.exception("the camera could not be opened")
                self.failed.add("camera")
        name = self.facilitator_name or "GroupDesk"
        return TestPatternSource(name, PATTERN_SIZE.width(), PATTERN_SIZE.height(), fps=15)

    def _open_audio(self) -> AudioSource:
        if self.microphones:
            try:
                return QtMicrophoneSource(self.microphones[self.microphone_index])
            except Exception:
                log.exception("the microphone could not be opened")
                self.failed.add("microphone")
        return SpeechLikeAudioSource(seed=7, talk_ratio=0.7)

    async def _video_pump(self, source: VideoSource) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await source.recv()
                size = QSize(self.preview_size)
                image = await loop.run_in_executor(self._executor, scaled_image, frame, size)
                self.frames_shown += 1
                self.preview_changed.emit(image)

    async def _audio_pump(self, source: AudioSource) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await source.recv()
                self.level_dbfs = frame_level_dbfs(frame)
                self.level_changed.emit(self.level_dbfs)

    def _devices_plugged(self) -> None:
        was_running = self.running
        self.refresh()
        if was_running:
            self.start()

    def _sound_state(self, state: QAudio.State) -> None:
        if state == QAudio.State.IdleState:
            self._stop_sound()

    def _stop_sound(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._sound is not None:
            self._sound.close()
            self._sound.deleteLater()
            self._sound = None
