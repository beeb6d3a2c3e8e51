"""Where the session log lives, and how its files are created private to the user."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "GroupDesk"
DB_NAME = "groupdesk.db"
KEYSTORE_NAME = "keystore.json"
_POSIX = os.name == "posix"


def default_data_dir() -> Path:
    """The per-user data folder that holds the session log."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(data_dir: Path) -> Path:
    """The database file inside ``data_dir``."""
    return Path(data_dir) / DB_NAME


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the user only (0700 on POSIX)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if _POSIX:
        os.chmod(path, 0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file 0600 if it does not exist (SQLite gives -wal/-shm the same mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    if _POSIX:
        os.chmod(path, 0o600)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (no-op where unsupported)."""
    if not _POSIX:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with ``data``, 0600, fsynced."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)
