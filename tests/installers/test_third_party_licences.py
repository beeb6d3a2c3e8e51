"""THIRD_PARTY_LICENSES.txt names every distribution and native library a bundle carries."""

from __future__ import annotations

import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

INSTALLERS = Path(__file__).resolve().parents[2] / "installers"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installers_{name}", INSTALLERS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


third_party = _load("third_party")
lock = _load("lock")


def _runtime_modules() -> list[str]:
    """The top-level modules of every distribution GroupDesk needs at run time."""
    wanted = set(lock.closure(lock.roots(extras=())))
    return [
        module
        for module, owners in metadata.packages_distributions().items()
        if any(lock._canonical(owner) in wanted for owner in owners)
    ]


def test_every_runtime_distribution_is_listed_with_its_licence_text() -> None:
    wanted = lock.closure(lock.roots(extras=()))
    dists = third_party.bundled_distributions(_runtime_modules())
    text = third_party.render(dists, [])
    assert {lock._canonical(d.metadata["Name"]) for d in dists} >= set(wanted) - {"groupdesk"}
    assert third_party.missing_from(text, dists) == []
    assert f"\naiortc {metadata.version('aiortc')}: BSD-3-Clause\n" in text
    # the full texts: aiortc's own licence file, and the LGPL for Qt (no file in its wheel)
    assert "--- licenses/LICENSE" in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert "GroupDesk itself is free software under the GNU General Public License" in text


def test_a_distribution_left_out_is_reported() -> None:
    dists = third_party.bundled_distributions(["aiortc", "av"])
    text = third_party.render(dists[:1], [])
    assert third_party.missing_from(text, dists) == [f"av {metadata.version('av')}"]


def test_native_libraries_are_named_with_their_licence(tmp_path: Path) -> None:
    internal = tmp_path / "_internal"
    (internal / "av.libs").mkdir(parents=True)
    (internal / "PySide6" / "Qt" / "plugins" / "platforms").mkdir(parents=True)
    for name in (
        "av.libs/libavcodec-5e6b81c2.so.62.28.102",
        "av.libs/libx264-d6533a8d.so.165",
        "av.libs/libvpx-edb6de90.so.12.0.0",
        "av.libs/libopus-114e2b1a.so.0.11.1",
        "libQt6Core.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libpython3.11.so.1.0",
    ):
        (internal / name).write_bytes(b"\x7fELF")
    (internal / "libQt6Gui.so.6").symlink_to(internal / "libQt6Core.so.6")  # counted once
    (tmp_path / "groupdesk").write_bytes(b"\x7fELF")
    found = dict(third_party.native_libraries(tmp_path))
    text = third_party.render([], list(found.items()))
    assert found["_internal/av.libs/libx264-d6533a8d.so.165"].licence == "GPL-2.0-or-later"
    assert found["_internal/av.libs/libvpx-edb6de90.so.12.0.0"].licence == "BSD-3-Clause"
    assert found["_internal/libQt6Core.so.6"].licence == "LGPL-3.0-only"
    assert found["_internal/PySide6/Qt/plugins/platforms/libqxcb.so"].licence == "LGPL-3.0-only"
    assert "_internal/libQt6Gui.so.6" not in found
    assert "groupdesk" in found  # PyInstaller's bootloader
    assert "x264 (H.264 encoder): GPL-2.0-or-later" in text
    assert "Opus: BSD-3-Clause" in text


def test_a_native_library_nobody_looked_at_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "_internal").mkdir()
    (tmp_path / "_internal" / "libmystery.so.1").write_bytes(b"\x7fELF")
    with pytest.raises(third_party.UnknownLibraryError, match=r"libmystery\.so\.1"):
        third_party.native_libraries(tmp_path)


def test_the_lock_names_every_runtime_dependency() -> None:
    """A dependency added to pyproject.toml without refreshing requirements.lock fails here
    (the bundle's build environment would not have it)."""
    locked = {
        line.split("==")[0]
        for line in (INSTALLERS / "requirements.lock").read_text().splitlines()
        if line and not line.startswith("#")
    }
    needed = set(lock.closure(lock.roots(extras=()))) - {"groupdesk"}
    assert needed - locked == set()
    assert {"pyinstaller", "pyside6", "aiortc", "av", "sqlcipher3"} <= locked
