"""The startup gate: each kind of damage gets its own error, and the file is never touched."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest

from groupdesk.sessionlog import (
    DatabaseDamaged,
    KeyStore,
    SchemaTooNew,
    SessionLog,
    SessionLogError,
    Store,
    WrongKey,
    WrongPassphrase,
)
from groupdesk.sessionlog.connection import PAGE_SIZE, connect
from groupdesk.sessionlog.migrations import LATEST
from memory_keyring import MemoryKeyring

from .conftest import file_hash


def _populated(data_dir: Path, key: bytes, notes: int = 200) -> Path:
    store = Store.open(data_dir, key)
    group = store.create_group("Groupe")
    for i in range(notes):
        store.add_note(group.id, f"note {i} " + "texte " * 40)
        store.append_event(None, "test.event", {"i": i})
    store.close()
    path = data_dir / "groupdesk.db"
    assert not (data_dir / "groupdesk.db-wal").exists() or (
        (data_dir / "groupdesk.db-wal").stat().st_size == 0
    )
    return path


def _unchanged_after(path: Path, action: Callable[[], object]) -> SessionLogError:
    before = file_hash(path)
    size = path.stat().st_size
    with pytest.raises(SessionLogError) as caught:
        action()
    assert file_hash(path) == before
    assert path.stat().st_size == size
    return caught.value


def test_wrong_key(data_dir: Path, key: bytes) -> None:
    path = _populated(data_dir, key)
    error = _unchanged_after(path, lambda: Store.open(data_dir, secrets.token_bytes(32)))
    assert isinstance(error, WrongKey)
    assert error.code == "sessionlog.wrong_key"


def test_wrong_passphrase(data_dir: Path, no_keyring: None) -> None:
    new = KeyStore(data_dir).create(passphrase="le bon mot de passe")
    path = _populated(data_dir, new.key, notes=5)
    error = _unchanged_after(path, lambda: KeyStore(data_dir).unlock("le mauvais"))
    assert isinstance(error, WrongPassphrase)


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("page", [1, 5])
def test_flipped_byte_in_a_page(data_dir: Path, key: bytes, page: int) -> None:
    path = _populated(data_dir, key)
    KeyStore(data_dir)  # no keystore: the check value below comes from the test
    _flip(path, (page - 1) * PAGE_SIZE + 1000)
    from groupdesk.sessionlog.keys import key_check

    error = _unchanged_after(path, lambda: Store.open(data_dir, key, expected_check=key_check(key)))
    assert isinstance(error, DatabaseDamaged)
    if page == 1:
        assert error.code == "sessionlog.damaged.first_page"
    else:
        assert error.code == "sessionlog.damaged.hmac"
        assert "5" in str(error)
    assert "HMAC" in str(error)


def test_flipped_first_page_without_keystore_reads_as_wrong_key(data_dir: Path, key: bytes) -> None:
    path = _populated(data_dir, key)
    _flip(path, 1000)
    error = _unchanged_after(path, lambda: Store.open(data_dir, key))
    assert isinstance(error, WrongKey)  # with no key check recorded, the two look alike


@pytest.mark.parametrize("cut", ["mid_page", "page_boundary"])
def test_truncated_file(data_dir: Path, key: bytes, cut: str) -> None:
    path = _populated(data_dir, key)
    size = path.stat().st_size
    pages = size // PAGE_SIZE
    assert pages > 10
    new_size = (pages // 2) * PAGE_SIZE + (123 if cut == "mid_page" else 0)
    with path.open("r+b") as f:
        f.truncate(new_size)
    error = _unchanged_after(path, lambda: Store.open(data_dir, key))
    assert isinstance(error, DatabaseDamaged)
    assert error.code == "sessionlog.damaged.truncated"
    assert "truncated" in str(error)


def test_newer_schema(data_dir: Path, key: bytes) -> None:
    path = _populated(data_dir, key, notes=1)
    conn = connect(path, key)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    error = _unchanged_after(path, lambda: Store.open(data_dir, key))
    assert isinstance(error, SchemaTooNew)
    assert error.params["found"] == LATEST + 1
    assert error.params["supported"] == LATEST
    assert f"schema version {LATEST + 1}" in str(error)


def test_errors_are_distinct_codes() -> None:
    codes = {cls.key for cls in (WrongKey, WrongPassphrase, DatabaseDamaged, SchemaTooNew)}
    assert len(codes) == 4


def test_async_open_reports_the_same_error(
    data_dir: Path, key: bytes, memory_keyring: MemoryKeyring
) -> None:
    path = _populated(data_dir, key, notes=1)

    async def scenario() -> None:
        await SessionLog.open(data_dir, secrets.token_bytes(32))

    error = _unchanged_after(path, lambda: asyncio.run(scenario()))
    assert isinstance(error, WrongKey)
