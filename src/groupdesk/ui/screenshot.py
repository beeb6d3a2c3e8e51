"""A PNG picture of a window, for machines with no display (and for the README)."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget

from groupdesk.ui.widgets import next_emission
from groupdesk.ui.workspace import Workspace

#: How long the first page may take to appear (key derivation, integrity check).
SETTLE_TIMEOUT = 120.0


#: Messages about the machine, not about GroupDesk: the offscreen platform has no
#: window manager to pass size hints to; Qt Multimedia looks for optional libraries
#: (VA-API, PipeWire) and an audio server that a headless box does not have.
MACHINE_NOISE = re.compile(
    r"does not support propagateSizeHints"
    r"|^Couldn't (load|resolve) [\w(). -]+ (library|symbols)$"
    r"|^PulseAudioService: pa_context_connect\(\) failed$"
    r"|^Using Qt multimedia with FFmpeg"
)


def quiet_offscreen_warnings() -> None:
    """Drop Qt's messages about a display-less machine (see ``MACHINE_NOISE``).

    They say nothing to the person running the command, and would bury the line
    that says where the screenshot is.
    """

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if not MACHINE_NOISE.search(message):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def default_screenshot_path(now: datetime | None = None) -> Path:
    """``<user cache dir>/GroupDesk/screenshots/groupdesk-<UTC time>.png``."""
    now = now or datetime.now(UTC)
    folder = Path(platformdirs.user_cache_dir("GroupDesk", appauthor=False)) / "screenshots"
    return folder / f"groupdesk-{now:%Y%m%d-%H%M%S}.png"


def save_screenshot(window: QWidget, path: Path) -> Path:
    """Render ``window`` into a PNG at ``path`` (folders created); returns the absolute path.

    Raises ``OSError`` when the file cannot be written.
    """
    path = path.expanduser().absolute()
    picture = window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(path), "PNG"):
        raise OSError(f"cannot write a PNG to {path}")
    return path


async def screenshot_when_settled(
    window: QWidget, workspace: Workspace, path: Path, *, timeout: float = SETTLE_TIMEOUT
) -> int:
    """Wait for the first page the person would act on, save it, say where; the exit code."""
    try:
        while not workspace.settled:
            await next_emission(workspace.changed, timeout=timeout)
    except TimeoutError:
        pass  # still opening after all this time: the picture shows that, which is the truth
    # Let pending layout and paint requests run before the picture is taken.
    await asyncio.sleep(0.05)
    try:
        saved = save_screenshot(window, path)
    except OSError as error:
        print(failed_message(path, error), file=sys.stderr)
        return 1
    print(saved_message(saved))
    return 0


def saved_message(path: Path) -> str:
    """The message "Screenshot of the window saved to PATH", in the current language."""
    return QCoreApplication.translate(
        "Screenshot", "Screenshot of the window saved to {path}"
    ).format(path=path)


def failed_message(path: Path, error: OSError) -> str:
    """The message "Could not save the screenshot to PATH", in the current language."""
    return QCoreApplication.translate(
        "Screenshot", "Could not save the screenshot to {path}: {reason}"
    ).format(path=path, reason=error.strerror or error)
