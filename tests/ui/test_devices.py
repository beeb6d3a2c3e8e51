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
