"""What ``installers/linux/make-deb`` puts in the .deb, read back with dpkg-deb.

A small stand-in bundle folder is packaged (the real one takes a minute to build;
installers/ci-check installs, runs and removes the real .deb).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

MAKE_DEB = Path(__file__).resolve().parents[2] / "installers" / "linux" / "make-deb"

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")


def _make_deb(tmp_path: Path, name: str) -> Path:
    bundle = tmp_path / "bundle"
    if not bundle.exists():
        (bundle / "_internal").mkdir(parents=True)
        (bundle / "groupdesk").write_text("#!/bin/sh\necho GroupDesk\n")
        (bundle / "groupdesk").chmod(0o755)
        (bundle / "_internal" / "libQt6Core.so.6").write_bytes(b"\x7fELF")
        (bundle / "_internal" / "libQt6Core.so.6").chmod(0o755)
        (bundle / "THIRD_PARTY_LICENSES.txt").write_text("components\n")
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1780000000",
        "GROUPDESK_DEB_COMPRESSION": "gzip",
        "GROUPDESK_DEB_LEVEL": "1",
        "GROUPDESK_DEB_STAGE": str(tmp_path / f"stage-{name}"),
    }
    done = subprocess.run(
        [str(MAKE_DEB), str(bundle), "1.2.3", str(tmp_path / name)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    deb = Path(done.stdout.strip())
    assert deb.name.startswith("groupdesk_1.2.3_")
    assert deb.suffix == ".deb"
    return deb


def _dpkg_deb(*args: str) -> str:
    return subprocess.run(
        ["dpkg-deb", *args], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def test_the_package_installs_to_opt_with_a_command_a_menu_entry_and_a_policy_folder(
    tmp_path: Path,
) -> None:
    deb = _make_deb(tmp_path, "out")
    contents = {line.split()[-1] if " -> " not in line else line.split()[-3]: line
                for line in _dpkg_deb("--contents", str(deb)).splitlines()}  # fmt: skip
    assert contents["./opt/groupdesk/groupdesk"].startswith("-rwxr-xr-x root/root")
    assert contents["./usr/bin/groupdesk"].endswith(
        "./usr/bin/groupdesk -> /opt/groupdesk/groupdesk"
    )
    assert contents["./etc/groupdesk/policies/"].startswith("drwxr-xr-x root/root")
    assert not any(p.startswith("./etc/groupdesk/policies/") and p != "./etc/groupdesk/policies/"
                   for p in contents)  # fmt: skip
    assert contents["./opt/groupdesk/_internal/libQt6Core.so.6"].startswith("-rw-r--r--")
    for path in (
        "./usr/share/applications/groupdesk.desktop",
        "./usr/share/icons/hicolor/scalable/apps/groupdesk.svg",
        "./usr/share/man/man1/groupdesk.1.gz",
        "./usr/share/doc/groupdesk/copyright",
        "./usr/share/doc/groupdesk/examples/policies/managed/10-organisation.json",
        "./opt/groupdesk/THIRD_PARTY_LICENSES.txt",
    ):
        assert path in contents
    control = _dpkg_deb("--field", str(deb))
    assert "Package: groupdesk\n" in control
    assert "Version: 1.2.3\n" in control
    depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libpulse0", "libgl1", "libegl1"):
        assert f" {library}," in depends or depends.endswith(f" {library}")


def test_the_copyright_file_says_the_licence_and_where_the_others_are(tmp_path: Path) -> None:
    deb = _make_deb(tmp_path, "out")
    unpacked = tmp_path / "unpacked"
    _dpkg_deb("--extract", str(deb), str(unpacked))
    copyright_text = (unpacked / "usr/share/doc/groupdesk/copyright").read_text()
    assert "License: GPL-3.0-or-later" in copyright_text
    assert "/opt/groupdesk/THIRD_PARTY_LICENSES.txt" in copyright_text


def test_two_builds_of_the_same_folder_give_the_same_bytes(tmp_path: Path) -> None:
    first = _make_deb(tmp_path, "one").read_bytes()
    second = _make_deb(tmp_path, "two").read_bytes()
    assert first == second
