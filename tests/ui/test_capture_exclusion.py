"""The OS calls that hide a window from capture, with fakes of user32 and the
Objective-C runtime (the real ones run on Windows and macOS)."""

from __future__ import annotations

from groupdesk.ui.capture_exclusion import (
    NS_WINDOW_SHARING_NONE,
    NS_WINDOW_SHARING_READ_ONLY,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_NONE,
    MacCapture,
    Unsupported,
    WindowsCapture,
    system_backend,
)


class FakeUser32:
    def __init__(self, result: int = 1) -> None:
        self.result = result
        self.calls: list[tuple[int, int]] = []

    def SetWindowDisplayAffinity(self, hwnd: int, affinity: int) -> int:  # noqa: N802
        self.calls.append((hwnd, affinity))
        return self.result


class FakeObjc:
    def __init__(self, window: int = 0x7000) -> None:
        self.window = window
        self.sent: list[tuple[int, str, int | None]] = []

    def send_id(self, receiver: int, selector: str) -> int:
        self.sent.append((receiver, selector, None))
        return self.window

    def send_uint(self, receiver: int, selector: str, value: int) -> None:
        self.sent.append((receiver, selector, value))


def test_windows_sets_the_display_affinity_of_the_hwnd() -> None:
    user32 = FakeUser32()
    backend = WindowsCapture(user32, build=22631)
    assert backend.available()
    assert backend.apply(0x1234, True)
    assert backend.apply(0x1234, False)
    assert user32.calls == [(0x1234, WDA_EXCLUDEFROMCAPTURE), (0x1234, WDA_NONE)]
    assert WDA_EXCLUDEFROMCAPTURE == 0x11


def test_windows_before_2004_has_no_exclusion_and_a_refusal_is_reported() -> None:
    old = WindowsCapture(FakeUser32(), build=18363)
    assert not old.available()
    assert not old.apply(1, True)
    assert old.user32.calls == []  # type: ignore[attr-defined]
    assert not WindowsCapture(FakeUser32(result=0), build=19041).apply(1, True)


def test_macos_sets_the_sharing_type_of_the_view_s_window() -> None:
    objc = FakeObjc()
    backend = MacCapture(objc)
    assert backend.available()
    assert backend.apply(0x5000, True)
    assert backend.apply(0x5000, False)
    assert objc.sent == [
        (0x5000, "window", None),
        (0x7000, "setSharingType:", NS_WINDOW_SHARING_NONE),
        (0x5000, "window", None),
        (0x7000, "setSharingType:", NS_WINDOW_SHARING_READ_ONLY),
    ]
    assert not MacCapture(FakeObjc(window=0)).apply(0x5000, True)  # no NSWindow yet


def test_linux_offers_none() -> None:
    backend = system_backend()
    assert isinstance(backend, Unsupported)
    assert not backend.available()
    assert not backend.apply(1, True)
