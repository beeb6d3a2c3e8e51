"""A PNG picture of a window, for machines with no display (and for the README)."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMessageLogContext,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QWidget

from groupdesk.core.i18n import tr as catalogue_text  # not "tr": lupdate reads that as Qt's
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


def screenshot_folder() -> Path:
    """``<user cache dir>/GroupDesk/screenshots``: private to the user (0700)."""
    return Path(platformdirs.user_cache_dir("GroupDesk", appauthor=False)) / "screenshots"


def default_screenshot_path(now: datetime | None = None) -> Path:
    """``<screenshot folder>/groupdesk-<UTC time>.png``."""
    now = now or datetime.now(UTC)
    return screenshot_folder() / f"groupdesk-{now:%Y%m%d-%H%M%S}.png"


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (and missing parents) 0700; tighten it if it exists with looser modes.

    Refuses (``PermissionError``) a folder that is a symbolic link or belongs to
    someone else: a picture of the log must not land where another user can read it.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "posix":
        return
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        reason = catalogue_text("screenshot.folder_not_private", folder=folder)
        raise PermissionError(errno.EPERM, reason)
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)


def _missing_folders_private(folder: Path) -> None:
    """Create the folders of a path the person chose, 0700; leave existing ones alone."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=0o700)


def save_screenshot(window: QWidget, path: Path) -> Path:
    """Render ``window`` into a PNG at ``path`` readable by the user only; the absolute path.

    The window shows group names, sessions and attendance: the file is 0600, in
    0700 folders when GroupDesk makes them, and the default folder is tightened
    to 0700 even if it existed with looser modes. Raises ``OSError`` when the
    file cannot be written.
    """
    path = path.expanduser().absolute()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not window.grab().save(buffer, "PNG"):
        raise OSError(f"cannot make a PNG of {window.objectName() or 'the window'}")
    buffer.close()
    if path.parent == screenshot_folder():
        _private_folder(path.parent)
    else:
        _missing_folders_private(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # a file that was already there keeps no looser mode
        os.write(fd, data.data())
    finally:
        os.close(fd)
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
    """ "Screenshot of the window saved to PATH", and that only the user can read it."""
    saved = QCoreApplication.translate(
        "Screenshot", "Screenshot of the window saved to {path}"
    ).format(path=path)
    private = path.parent == screenshot_folder()
    key = "screenshot.private_folder" if private else "screenshot.private_file"
    return f"{saved}\n{catalogue_text(key)}"


def failed_message(path: Path, error: OSError) -> str:
    """The message "Could not save the screenshot to PATH", in the current language."""
    return QCoreApplication.translate(
        "Screenshot", "Could not save the screenshot to {path}: {reason}"
    ).format(path=path, reason=error.strerror or error)
