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
