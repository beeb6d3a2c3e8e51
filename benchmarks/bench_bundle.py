"""The onedir bundle: its size, the installed size, and how fast it starts against source.

    .venv/bin/python benchmarks/bench_bundle.py [--bundle dist/groupdesk] [--runs 5]

Build the bundle first (``./installers/build bundle``; ``./installers/build deb`` too
for the .deb's figures). Rows:
- bundle: the folder's size on disk and its file count; the .deb's size and the
  size it declares installed (``Installed-Size``), when dist/ has one.
- start: the same three commands run by the bundle's executable and by
  ``python -m groupdesk`` (this checkout, this venv), alternately in the same run so
  that both see the same machine load; the median of ``--runs`` and the ratio
  frozen / source (goal: 1.0 or less, the frozen start no slower):
    version     ``--version``: the process, the imports of the command line, exit;
    window      ``--screenshot FILE`` offscreen: to the main window shown and drawn
                (the app saves the picture once the window has settled, then exits):
                what a person waits for when they open GroupDesk;
    self-test   ``--self-test``: every library loaded and used once (WebRTC call,
                SQLCipher, Qt Multimedia).
  "Cold" here is a new process each time; the files are in the page cache after the
  first run (dropping the cache would disturb everyone else on a shared machine),
  which is also what a person who opens the app twice in a day sees.

Everything runs on this machine; read the figures with the core count and load
printed. No assertion: this is a report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "version": ["--version"],
    "window": ["--screenshot", "{tmp}/shot.png", "--data-dir", "{tmp}/log"],
    "self-test": ["--self-test", "--lang", "en"],
}


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes on disk (symlinks counted as links) and the number of files."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_file():
            total += path.stat().st_blocks * 512
            files += 1
    return total, files


def deb_figures(dist: Path) -> tuple[Path, int, int] | None:
    """The newest .deb in ``dist``: path, size, Installed-Size in bytes."""
    debs = sorted(dist.glob("groupdesk_*.deb"), key=lambda p: p.stat().st_mtime)
    if not debs:
        return None
    deb = debs[-1]
    field = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Installed-Size"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return deb, deb.stat().st_size, int(field.strip()) * 1024


def _environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    return env


def time_once(program: list[str], command: str) -> float:
    """Seconds from starting ``program`` with ``command`` to its exit (code 0 checked)."""
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as folder:
        tmp = Path(folder)
        args = [a.format(tmp=tmp) for a in COMMANDS[command]]
        start = time.monotonic()
        done = subprocess.run(
            [*program, *args], env=_environment(tmp), capture_output=True, text=True,
            timeout=180, check=False, cwd=tmp,
        )  # fmt: skip
        elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(program)} {command} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "groupdesk")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frozen = args.bundle / "groupdesk"
    if not frozen.exists():
        print(f"no bundle at {args.bundle}: build it with ./installers/build bundle")
        return 1
    source = [sys.executable, "-m", "groupdesk"]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    size, files = folder_size(args.bundle)
    print(f"bundle   {args.bundle}: {_mib(size)} on disk, {files} files")
    deb = deb_figures(args.bundle.parent)
    if deb:
        path, deb_size, installed = deb
        print(f"deb      {path.name}: {_mib(deb_size)}; installed {_mib(installed)}")
    print(f"start    median of {args.runs}, frozen vs python -m groupdesk, alternately:")
    for command in COMMANDS:
        times: dict[str, list[float]] = {"frozen": [], "source": []}
        time_once([str(frozen)], command)  # the first run reads the files into the cache
        time_once(source, command)
        for _ in range(args.runs):
            times["frozen"].append(time_once([str(frozen)], command))
            times["source"].append(time_once(source, command))
        f, s = statistics.median(times["frozen"]), statistics.median(times["source"])
        print(f"  {command:10} frozen {f:6.2f} s   source {s:6.2f} s   ratio {f / s:4.2f}")
    print(f"machine: load {os.getloadavg()[0]:.1f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
