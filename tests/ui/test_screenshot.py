"""With no display, ``groupdesk`` renders its window offscreen, saves a PNG and says where."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    assert done.stdout.splitlines() == [
        f"Screenshot of the window saved to {out}",
        "It shows what the window shows (group names, sessions, attendance): only you can "
        "read the file (0600). Keep it in a private folder.",
    ]
    assert _image_size(out) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
    assert _mode(out) == 0o600
    assert _mode(out.parent) == 0o700  # made by GroupDesk for it


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_screenshot_over_a_readable_file_becomes_private(
    unlocked_log: Path, tmp_path: Path
) -> None:
    """--screenshot FILE: 0600 even over an existing 0644 file; the person's folder kept as is."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    out = shared / "x.png"
    out.write_bytes(b"old")
    out.chmod(0o644)
    done = _groupdesk(
        "--data-dir", str(unlocked_log), "--screenshot", str(out),
        QT_QPA_PLATFORM="offscreen", GROUPDESK_PASSPHRASE=PASSPHRASE, GROUPDESK_LANG="fr_CA",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "vous seul pouvez lire le fichier (0600)" in done.stdout
    assert _mode(out) == 0o600
    assert _image_size(out) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
    assert _mode(shared) == 0o755


def test_with_no_display_the_app_saves_a_screenshot_by_itself(tmp_path: Path) -> None:
    """No DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM: the plain ``groupdesk`` command.

    The picture goes to a private folder, tightened if it was left readable by others.
    """
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "GroupDesk" / "screenshots"
    cache.mkdir(parents=True)
    cache.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run(
        [str(GROUPDESK), "--data-dir", str(tmp_path / "new"), "--lang", "fr_CA"],
        env={k: v for k, v in env.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
        | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    prefix = "Capture d'écran de la fenêtre enregistrée dans "
    said, private = done.stdout.splitlines()
    assert said.startswith(prefix)
    assert private == (
        "Elle montre ce que montre la fenêtre (noms de groupes, séances, présences) : vous "
        "seul pouvez la lire (fichier 0600 dans un dossier qui vous est réservé, 0700)."
    )
    saved = Path(said.removeprefix(prefix))
    assert saved.parent == cache
    assert _mode(saved) == 0o600
    assert _mode(cache) == 0o700
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


def test_a_screenshot_folder_that_is_a_link_is_refused(tmp_path: Path, qtbot: Any) -> None:
    """The default folder as a symbolic link to a shared place: nothing is written there."""
    from PySide6.QtWidgets import QLabel

    from groupdesk.ui.screenshot import default_screenshot_path, save_screenshot

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    target = default_screenshot_path()
    target.parent.parent.mkdir(parents=True)
    target.parent.symlink_to(shared)
    label = QLabel("Groupe du mardi")
    qtbot.addWidget(label)
    with pytest.raises(PermissionError, match="cannot be made private"):
        save_screenshot(label, target)
    assert list(shared.iterdir()) == []
