"""With no display, ``groupdesk`` renders its window offscreen, saves a PNG and says where."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.main_window import DEFAULT_SIZE

GROUPDESK = Path(sys.executable).parent / "groupdesk"
PASSPHRASE = "a passphrase for the screenshot"


def _groupdesk(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``groupdesk`` with no display and no usable keyring."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    clean |= {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"} | env
    return subprocess.run(
        [str(GROUPDESK), *args], env=clean, capture_output=True, text=True, timeout=90, check=False
    )


def _image_size(path: Path) -> tuple[int, int]:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    return image.width(), image.height()


@pytest.fixture
def unlocked_log(tmp_path: Path, no_keyring: None) -> Path:
    """A passphrase-protected log with one group, made through the public API."""
    data_dir = tmp_path / "log"

    async def make() -> None:
        new_key = KeyStore(data_dir).create(passphrase=PASSPHRASE)
        log = await SessionLog.open(data_dir, new_key.key)
        await log.create_group("Groupe du mardi")
        await log.close()

    asyncio.run(make())
    return data_dir


def test_the_screenshot_shows_the_unlocked_window(unlocked_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots" / "x.png"
    done = _groupdesk(
        "--data-dir", str(unlocked_log), "--screenshot", str(out),
        QT_QPA_PLATFORM="offscreen", GROUPDESK_PASSPHRASE=PASSPHRASE, GROUPDESK_LANG="en",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Screenshot of the window saved to {out}"
    assert _image_size(out) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())


def test_with_no_display_the_app_saves_a_screenshot_by_itself(tmp_path: Path) -> None:
    """No DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM: the plain ``groupdesk`` command."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run(
        [str(GROUPDESK), "--data-dir", str(tmp_path / "new"), "--lang", "fr_CA"],
        env={k: v for k, v in env.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
        | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    prefix = "Capture d'écran de la fenêtre enregistrée dans "
    assert done.stdout.startswith(prefix)
    saved = Path(done.stdout.strip().removeprefix(prefix))
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "GroupDesk" / "screenshots"
    assert saved.parent == cache
    assert saved.name.startswith("groupdesk-")
    assert _image_size(saved) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
    # A first run only shows the choice: it never creates a log by itself.
    assert not (tmp_path / "new" / "keystore.json").exists()
    # Nothing about the machine (window manager, PipeWire, VA-API) buries the path.
    assert done.stderr.strip() == ""


def test_the_language_chosen_in_the_menu_wins_over_the_locale(tmp_path: Path) -> None:
    from groupdesk.ui.settings import UserSettings

    UserSettings().set_language("fr_CA")
    out = tmp_path / "fr.png"
    env = {"QT_QPA_PLATFORM": "offscreen", "LANG": "en_CA.UTF-8", "LC_ALL": ""}
    env |= {"GROUPDESK_LANG": "", "LC_MESSAGES": "", "LANGUAGE": ""}
    chosen = _groupdesk("--data-dir", str(tmp_path / "new"), "--screenshot", str(out), **env)
    assert chosen.stdout.startswith("Capture d'écran de la fenêtre enregistrée dans")
    overridden = _groupdesk(
        "--data-dir", str(tmp_path / "new"), "--screenshot", str(out), "--lang", "en", **env
    )
    assert overridden.stdout.startswith("Screenshot of the window saved to")
