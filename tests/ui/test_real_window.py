"""On a machine with a display, ``groupdesk`` opens a real X11 window (Qt's xcb platform).

The other window tests run offscreen, which needs none of the X/xcb libraries that
Qt's xcb plugin loads (libxcb-cursor0, libxcb-icccm4, libxkbcommon-x11-0, ...). Here
the installed app runs on a real X server (Xvfb), so a library that
``scripts/setup.sh`` forgot makes Qt abort ("Could not load the Qt platform plugin
xcb") and this test fail, instead of the person's first ``./run-app``.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.main_window import DEFAULT_SIZE

GROUPDESK = Path(sys.executable).parent / "groupdesk"
PASSPHRASE = "a passphrase for the real window"


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private X server (Xvfb) on a free display number; its name (":N")."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: run scripts/setup.sh --test")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        # Xvfb writes the display number once it accepts connections.
        ready, _, _ = select.select([read_end], [], [], 20)
        number = os.read(read_end, 32).decode().strip() if ready else ""
        if not number:
            server.kill()
            _, err = server.communicate(timeout=5)
            pytest.fail(f"Xvfb did not start: {err.decode(errors='replace')}")
        yield f":{number}"
    finally:
        os.close(read_end)
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        if server.stderr is not None:
            server.stderr.close()


@pytest.fixture
def unlocked_log(tmp_path: Path, no_keyring: None) -> Path:
    """A passphrase-protected log with one group."""
    data_dir = tmp_path / "log"

    async def make() -> None:
        log = await SessionLog.open(data_dir, KeyStore(data_dir).create(passphrase=PASSPHRASE).key)
        await log.create_group("Groupe du mardi")
        await log.close()

    asyncio.run(make())
    return data_dir


def test_the_app_opens_a_real_window_on_an_x_display(
    x_display: str, unlocked_log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "window.png"
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env |= {
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",  # no fallback: the real window or a failure
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "GROUPDESK_PASSPHRASE": PASSPHRASE,
        "GROUPDESK_LANG": "en",
    }
    done = subprocess.run(
        [str(GROUPDESK), "--data-dir", str(unlocked_log), "--screenshot", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Could not load the Qt platform plugin" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
