"""No plaintext on disk: a marker written everywhere appears in no file we can find."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from .conftest import decrypted_pages

CHILD = Path(__file__).with_name("leak_child.py")


def _files_with(root: Path, needle: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def test_marker_never_reaches_disk_in_clear(tmp_path: Path) -> None:
    marker = "zqx" + secrets.token_hex(6)
    key = secrets.token_bytes(32)
    tmpdir = tmp_path / "tmp"
    data_dir = tmp_path / "data" / "GroupDesk"
    log_file = tmp_path / "logs" / "groupdesk.log"
    for folder in (tmpdir, log_file.parent):
        folder.mkdir(parents=True)
    env = dict(
        os.environ,
        TMPDIR=str(tmpdir),
        SQLITE_TMPDIR=str(tmpdir),
        GROUPDESK_TEST_KEY=key.hex(),
    )
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), str(log_file), marker],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdin is not None
    try:
        line = child.stdout.readline()
        assert line == "open\n", child.stderr.read() if child.stderr else ""
        wal = data_dir / "groupdesk.db-wal"
        assert wal.exists()
        assert wal.stat().st_size > 0  # the WAL is in use right now
        open_leaks = _files_with(tmp_path, marker.encode())
        child.stdin.write("\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out == "closed\n"
    assert open_leaks == []
    assert _files_with(tmp_path, marker.encode()) == []
    assert marker not in err
    # The scans are not vacuous: the log file was written, and the marker is
    # really in the database, readable once decrypted.
    assert log_file.stat().st_size > 0
    assert marker.encode() in decrypted_pages(data_dir / "groupdesk.db", key)
    assert (tmp_path / "data" / "backup.gdbk").exists()
