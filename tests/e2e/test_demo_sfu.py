"""``groupdesk demo --sfu``: the rehearsal's media go through a real Janus on this computer.

Janus gathers on no loopback interface, so the test gives the private network namespace
an interface of its own with 127.x addresses (as a laptop has its Wi-Fi): the app and the
simulated participants then reach Janus there, and every tile shows decoded video."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from groupdesk.server import janus
from groupdesk.server.coturn import only_loopback_network
from janus_harness import janus_media_interface

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("janus") is None
        or janus.find_library_dir() is None
        or not only_loopback_network(),
        reason="needs Debian's janus and the tests' private network namespace",
    ),
]


def _demo(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        GROUPDESK_PASSPHRASE="rehearsal passphrase for the sfu demo test",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "groupdesk",
            "--lang",
            "en",
            "demo",
            "--participants",
            "3",
            "--data-dir",
            str(tmp_path / "rehearsal"),
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )


def test_demo_sfu_sends_every_members_media_through_janus(tmp_path: Path) -> None:
    with janus_media_interface():  # an interface besides loopback, as a laptop has
        done = _demo(tmp_path, "--sfu", "--duration", "20")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Media go through Janus on this computer (SFU)" in done.stdout
    tiles = dict(re.findall(r"^(.+): (\d+) video frames shown", done.stdout, re.MULTILINE))
    participants = {name: int(n) for name, n in tiles.items() if name != "Facilitator"}
    assert len(participants) == 3, done.stdout
    for name, frames in participants.items():
        assert frames > 30, (name, done.stdout)  # their video, decoded through Janus


def test_demo_sfu_without_janus_says_why(tmp_path: Path) -> None:
    env_path = tmp_path / "bin"
    env_path.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "groupdesk", "--lang", "fr_CA", "demo", "--sfu", "--data-dir",
         str(tmp_path / "r"), "--duration", "5"],
        env={**os.environ, "PATH": str(env_path), "QT_QPA_PLATFORM": "offscreen",
             "GROUPDESK_PASSPHRASE": "rehearsal passphrase for the sfu demo test"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Le serveur média de la répétition, Janus, n'est pas installé" in done.stderr
