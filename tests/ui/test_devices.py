"""The device check with no devices (this machine, CI): synthetic sources, said plainly."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from page_helpers import open_window, seed_log, wait_for
from PySide6.QtGui import QImage
from ui_helpers import Run, Windows, next_emission

from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.ui import devices as devices_module
from groupdesk.ui.devices_page import meter_value


def test_with_no_devices_the_page_shows_the_synthetic_sources_and_says_so(
    run: Run[Any], windows: Windows, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scaling_threads: set[str] = set()
    real_scale = devices_module.scaled_image

    def spy(*args: Any) -> QImage:
        scaling_threads.add(threading.current_thread().name)
        return real_scale(*args)

    monkeypatch.setattr(devices_module, "scaled_image", spy)

    async def scenario() -> None:
        await seed_log(windows, facilitator="Julie Pelletier")
        window = await open_window(windows)
        window.devices_action.trigger()  # Ctrl+D
        page = window.devices_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        test = page.devices
        assert test.cameras == []
        assert test.microphones == []
        assert test.speakers == []
        assert test.synthetic_video
        assert test.synthetic_audio
        assert isinstance(test.video_source, TestPatternSource)
        assert test.video_source.name == "Julie Pelletier"  # the facilitator's name
        assert isinstance(test.audio_source, SpeechLikeAudioSource)
        assert page.notice.isVisibleTo(page)
        assert "No camera or microphone was found" in page.notice.text()
        assert page.camera.currentText() == "Test pattern (no camera found)"
        assert not page.camera.isEnabled()
        assert not page.play_button.isEnabled()
        assert page.speaker_note.isVisibleTo(page)

        # The preview shows frames, and they change.
        await next_emission(test.preview_changed)
        first = page.preview.pixmap().toImage()
        await next_emission(test.preview_changed)
        await next_emission(test.preview_changed)
        second = page.preview.pixmap().toImage()
        assert not first.isNull()
        assert first.width() <= page.preview.width()
        assert first != second
        assert threading.main_thread().name not in scaling_threads  # scaled off the UI thread

        # The meter moves with the speech-like audio.
        levels: list[int] = []
        for _ in range(60):  # 1.2 s of 20 ms frames
            await next_emission(test.level_changed)
            levels.append(page.meter.value())
        assert max(levels) > 40
        assert len(set(levels)) > 5

        # Leaving the page releases the sources.
        window.back_action.trigger()  # Alt+Left
        assert window.pages.currentWidget() is window.home_page
        assert test.video_source is None
        assert not test.running
        await windows.close_all()

    run(scenario())


def test_the_meter_maps_decibels_to_its_bar() -> None:
    assert meter_value(-100.0) == 0
    assert meter_value(-60.0) == 0
    assert meter_value(-30.0) == 50
    assert meter_value(0.0) == 100
    assert meter_value(6.0) == 100


def test_a_captured_qt_frame_becomes_a_media_frame_and_a_preview(qapp: Any) -> None:
    """What a camera hands over (a QVideoFrame) reaches the mesh as yuv420p, at most 720p."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor
    from PySide6.QtMultimedia import QVideoFrame

    image = QImage(1920, 1080, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    frame = devices_module._av_frame_from_qt(QVideoFrame(image))
    assert frame is not None
    assert (frame.width, frame.height, frame.format.name) == (1280, 720, "yuv420p")
    preview = devices_module.scaled_image(frame, QSize(320, 320))
    assert (preview.width(), preview.height()) == (320, 180)  # the aspect is kept
    red = preview.pixelColor(160, 90)
    assert red.red() > 150
    assert red.green() < 80


def test_the_test_sound_is_a_short_chime(qapp: Any) -> None:
    sound = devices_module.chime()
    assert len(sound) == int(1.2 * 48_000) * 2  # s16 mono at 48 kHz
    assert max(sound) > 0


def test_a_camera_frame_in_nv12_is_copied_plane_by_plane(qapp: Any) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    frame = QVideoFrame(
        QVideoFrameFormat(QSize(640, 360), QVideoFrameFormat.PixelFormat.Format_NV12)
    )
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    frame.bits(0)[:] = bytes([200]) * frame.mappedBytes(0)  # bright luma
    frame.bits(1)[:] = bytes([128]) * frame.mappedBytes(1)  # no colour
    frame.unmap()
    converted = devices_module._av_frame_from_qt(frame)
    assert converted is not None
    assert (converted.width, converted.height, converted.format.name) == (640, 360, "yuv420p")
    luma = bytes(converted.planes[0])
    assert abs(luma[len(luma) // 2] - 200) <= 2


class _FakeCamera:
    """What the page reads of a QCameraDevice."""

    def description(self) -> str:
        return "USB webcam"


def test_a_device_in_use_by_another_program_is_said_plainly(
    run: Run[Any], windows: Windows, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found but not opened (Qt's device list is faked: this machine has none)."""

    def busy(*_: object) -> None:
        raise RuntimeError("the device is in use by another program")

    monkeypatch.setattr(devices_module, "QtCameraSource", busy)

    async def scenario() -> None:
        await seed_log(windows, facilitator="Julie Pelletier")
        window = await open_window(windows)
        window.devices_action.trigger()
        page = window.devices_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        test = page.devices
        test.cameras = [_FakeCamera()]  # type: ignore[list-item]
        test.start()
        assert test.failed == {"camera"}
        assert test.synthetic_video
        assert isinstance(test.video_source, TestPatternSource)
        assert "found but could not be opened" in page.notice.text()
        test.stop()
        await windows.close_all()

    run(scenario())
