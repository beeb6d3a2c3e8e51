"""The devices chosen on the device check are remembered and used live (Qt's lists faked:
this machine has no devices); one that has gone gives way to the first."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from live_helpers import prepared_log, wait_for
from PySide6.QtCore import QByteArray
from PySide6.QtMultimedia import QMediaDevices
from ui_helpers import Run, Windows

from groupdesk.media.sources import TestPatternSource, VideoSource
from groupdesk.ui import devices as devices_module
from groupdesk.ui import join_dialog
from groupdesk.ui.live_session import LiveStage
from groupdesk.ui.workspace import Stage


class _FakeCamera:
    """What GroupDesk reads of a QCameraDevice."""

    def __init__(self, key: str, name: str) -> None:
        self.key = key
        self.name = name

    def id(self) -> QByteArray:
        return QByteArray(self.key.encode())

    def description(self) -> str:
        return self.name


CAMERAS = [_FakeCamera("/dev/video0", "Laptop camera"), _FakeCamera("/dev/video2", "USB webcam")]


class _TwoCameras(QMediaDevices):
    @staticmethod
    def videoInputs() -> list[Any]:  # noqa: N802 -- Qt's name
        return list(CAMERAS)

    @staticmethod
    def audioInputs() -> list[Any]:  # noqa: N802 -- Qt's name
        return []

    @staticmethod
    def audioOutputs() -> list[Any]:  # noqa: N802 -- Qt's name
        return []


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Two cameras in Qt's list; each camera opened is recorded (a test pattern stands in)."""
    cameras: list[Any] = []

    def camera(device: Any, *_: object) -> VideoSource:
        cameras.append(device)
        return TestPatternSource(device.description(), 320, 180, fps=10)

    for module in (devices_module, join_dialog):
        monkeypatch.setattr(module, "QMediaDevices", _TwoCameras)
        monkeypatch.setattr(module, "QtCameraSource", camera)
    return cameras


def test_the_camera_chosen_on_the_device_check_is_the_one_the_room_uses(
    run: Run[Any], windows: Windows, memory_keyring: Any, opened: list[Any]
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir, ["Ana"])
        await log.close()
        window = windows.open()
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        window.devices_action.trigger()  # Ctrl+D
        page = window.devices_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert page.camera.count() == 2
        assert page.camera.currentText() == "Laptop camera"
        assert opened[-1] is CAMERAS[0]
        page.camera.setCurrentIndex(1)
        page.camera.activated.emit(1)  # the person picks the USB webcam
        assert opened[-1] is CAMERAS[1]
        file = devices_module.devices_file()
        assert json.loads(file.read_text(encoding="utf-8")) == {"camera": "/dev/video2"}
        window.back_action.trigger()
        opened.clear()

        # Another window (as after a restart) shows the choice, and the room uses it.
        window.close()
        await window.workspace.close()
        windows.opened.remove(window)
        window = windows.open()
        await window.workspace.start()
        window.devices_action.trigger()
        page = window.devices_page
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert page.camera.currentText() == "USB webcam"
        window.back_action.trigger()
        opened.clear()
        live = window.live
        try:
            assert await window.open_room_now(session.id)
            await wait_for(lambda: live.stage is LiveStage.LIVE)
            assert opened == [CAMERAS[1]]
        finally:
            await live.close()
            await windows.close_all()

    run(scenario())


def test_a_remembered_camera_that_is_gone_gives_way_to_the_first(
    run: Run[Any],
    windows: Windows,
    memory_keyring: Any,
    opened: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The same for the facilitator and in participant mode (both use ``device_sources``)."""
    devices_module.remember_device("camera", _FakeCamera("/dev/video9", "Unplugged webcam"))

    async def scenario() -> None:
        window = windows.open()
        with caplog.at_level(logging.INFO, logger=devices_module.__name__):
            video, audio = join_dialog.device_sources(window.live)()
        assert opened == [CAMERAS[0]]
        assert "camera chosen on the device check (/dev/video9) is not connected" in caplog.text
        assert window.live.device_failures == set()
        for source in (video, audio):
            assert source is not None
            source.stop()

        # Chosen again and still there: used.
        devices_module.remember_device("camera", CAMERAS[1])
        opened.clear()
        video, audio = join_dialog.device_sources(window.live)()
        assert opened == [CAMERAS[1]]
        for source in (video, audio):
            assert source is not None
            source.stop()
        await windows.close_all()

    run(scenario())


def test_an_unreadable_devices_file_means_no_choice(qapp: Any) -> None:
    file = devices_module.devices_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("{not json", encoding="utf-8")
    assert devices_module.remembered_devices() == {}
    assert devices_module.remembered_index("camera", CAMERAS) == 0
    file.write_text(json.dumps({"camera": 3, "lamp": "x", "speaker": "s"}), encoding="utf-8")
    assert devices_module.remembered_devices() == {"speaker": "s"}
