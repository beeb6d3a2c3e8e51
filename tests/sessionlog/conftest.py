"""Fixtures for the session log: a data folder, a key, an open log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from groupdesk.sessionlog import Store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A folder for one session log (not yet created)."""
    return tmp_path / "GroupDesk"


@pytest.fixture
def key() -> bytes:
    """A random raw key."""
    return secrets.token_bytes(32)


@pytest.fixture
def store(data_dir: Path, key: bytes) -> Iterator[Store]:
    """An open, empty log on disk."""
    opened = Store.open(data_dir, key)
    try:
        yield opened
    finally:
        opened.close()


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def decrypted_bytes(db: Path, key: bytes, workdir: Path) -> bytes:
    """The whole database exported to a plaintext SQLite file, as raw bytes.

    What someone holding the key could read: every table, index and FTS segment.
    """
    import shutil

    from groupdesk.sessionlog.connection import connect

    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "copy.db"
    plain = workdir / "plain.db"
    for path in (copy, plain):
        path.unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    wal = db.with_name(db.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    conn = connect(copy, key)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
    conn.execute("SELECT sqlcipher_export('plain')").fetchall()
    conn.execute("DETACH DATABASE plain")
    conn.close()
    data = plain.read_bytes()
    assert data.startswith(b"SQLite format 3\x00")  # really plaintext: the scan means something
    return data


def decrypted_pages(db: Path, key: bytes) -> bytes:
    """Every page of the file itself decrypted in place: free pages and slack included.

    SQLCipher 4 with a raw key: AES-256-CBC per page, the IV at the start of
    the 80-byte trailer; page 1 starts after the 16-byte salt.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from groupdesk.sessionlog.connection import PAGE_SIZE

    data = db.read_bytes()
    out = bytearray()
    trailer = PAGE_SIZE - 80
    for start in range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE):
        page = data[start : start + PAGE_SIZE]
        skip = 16 if start == 0 else 0
        decryptor = Cipher(algorithms.AES(key), modes.CBC(page[trailer : trailer + 16])).decryptor()
        out += decryptor.update(page[skip:trailer]) + decryptor.finalize()
    return bytes(out)
