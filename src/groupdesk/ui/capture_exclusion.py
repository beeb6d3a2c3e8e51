"""Hide the facilitator's window from screen capture and sharing, where the OS offers it.

Policy ``exclude_screen_capture`` (or the person's choice, unless the organisation
decides): another program that records or shares the screen then sees the window
blank, so a facilitator who shares their screen in another app cannot show the group
by mistake.

- Windows 10 version 2004 (build 19041) and later:
  ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``.
- macOS: ``NSWindow.sharingType = NSWindowSharingNone`` on the window of the
  ``NSView`` that Qt's ``winId()`` is, through the Objective-C runtime.
- Linux (X11, Wayland) and older Windows: not offered; the menu says so.

Each OS call sits behind a small interface (:class:`User32`, :class:`ObjcRuntime`)
so the logic is tested on Linux with fakes of them.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Protocol

log = logging.getLogger(__name__)

WDA_NONE = 0x00
WDA_EXCLUDEFROMCAPTURE = 0x11
WINDOWS_MIN_BUILD = 19041  # Windows 10 version 2004: the first with WDA_EXCLUDEFROMCAPTURE
NS_WINDOW_SHARING_NONE = 0
NS_WINDOW_SHARING_READ_ONLY = 1  # the default of every NSWindow


class CaptureBackend(Protocol):
    """Sets whether one native window may be captured."""

    def available(self) -> bool:
        """Whether this system can hide a window from capture."""
        ...

    def apply(self, win_id: int, excluded: bool) -> bool:
        """Hide (``excluded``) or show again the window ``win_id``; False when refused."""
        ...


class Unsupported:
    """Linux (X11, Wayland) and old Windows: no way to hide a window from capture."""

    def available(self) -> bool:
        """Never."""
        return False

    def apply(self, win_id: int, excluded: bool) -> bool:
        """Nothing to do (False: not hidden)."""
        return False


class User32(Protocol):
    """The one function of ``user32.dll`` used here."""

    def SetWindowDisplayAffinity(self, hwnd: int, affinity: int) -> int:  # noqa: N802 -- Win32
        """Nonzero on success."""
        ...


class WindowsCapture:
    """``SetWindowDisplayAffinity`` on the window's HWND (Qt's ``winId()`` on Windows)."""

    def __init__(self, user32: User32, build: int) -> None:
        self.user32 = user32
        self.build = build

    def available(self) -> bool:
        """Windows 10 version 2004 or later."""
        return self.build >= WINDOWS_MIN_BUILD

    def apply(self, win_id: int, excluded: bool) -> bool:
        """Exclude the window from capture, or include it again."""
        if not self.available():
            return False
        affinity = WDA_EXCLUDEFROMCAPTURE if excluded else WDA_NONE
        ok = bool(self.user32.SetWindowDisplayAffinity(win_id, affinity))
        if not ok:
            log.warning("Windows refused the window display affinity %#x", affinity)
        return ok


class ObjcRuntime(Protocol):
    """Two shapes of ``objc_msgSend``: one returning an object, one taking an integer."""

    def send_id(self, receiver: int, selector: str) -> int:
        """``[receiver selector]`` (0: nil)."""
        ...

    def send_uint(self, receiver: int, selector: str, value: int) -> None:
        """``[receiver selector:value]`` with an ``NSUInteger`` argument."""
        ...


class MacCapture:
    """``[[view window] setSharingType:]`` on the ``NSView`` Qt's ``winId()`` is."""

    def __init__(self, runtime: ObjcRuntime) -> None:
        self.runtime = runtime

    def available(self) -> bool:
        """Every macOS the app runs on has ``NSWindow.sharingType``."""
        return True

    def apply(self, win_id: int, excluded: bool) -> bool:
        """Set the sharing type of the view's window (none, or the default read-only)."""
        window = self.runtime.send_id(win_id, "window")
        if not window:
            log.warning("the view has no NSWindow yet: its sharing type is not set")
            return False
        sharing = NS_WINDOW_SHARING_NONE if excluded else NS_WINDOW_SHARING_READ_ONLY
        self.runtime.send_uint(window, "setSharingType:", sharing)
        return True


class _LibObjc:
    """The real Objective-C runtime, through ctypes (macOS only)."""

    def __init__(self) -> None:
        lib = ctypes.cdll.LoadLibrary("/usr/lib/libobjc.A.dylib")
        lib.sel_registerName.restype = ctypes.c_void_p
        lib.sel_registerName.argtypes = [ctypes.c_char_p]
        self._lib = lib
        address = ctypes.cast(lib.objc_msgSend, ctypes.c_void_p).value
        if address is None:
            raise OSError("objc_msgSend was not found")
        self._send_id = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(address)
        self._send_uint = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)(
            address
        )

    def _selector(self, name: str) -> int:
        return int(self._lib.sel_registerName(name.encode()))

    def send_id(self, receiver: int, selector: str) -> int:
        return int(self._send_id(receiver, self._selector(selector)) or 0)

    def send_uint(self, receiver: int, selector: str, value: int) -> None:
        self._send_uint(receiver, self._selector(selector), value)


def system_backend() -> CaptureBackend:
    """The backend of the OS the app runs on."""
    if sys.platform == "win32":
        user32 = ctypes.WinDLL("user32", use_last_error=True)
        user32.SetWindowDisplayAffinity.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        user32.SetWindowDisplayAffinity.restype = ctypes.c_int
        return WindowsCapture(user32, sys.getwindowsversion().build)
    if sys.platform == "darwin":
        try:
            return MacCapture(_LibObjc())
        except OSError:
            log.warning("the Objective-C runtime could not be loaded")
            return Unsupported()
    return Unsupported()
