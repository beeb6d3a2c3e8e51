"""The startup gate: each kind of damage gets its own error, and the file is never touched."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest

from groupdesk.core.journal_kinds import SeatEvent
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
        store.append_event(None, SeatEvent("lobby.admitted", f"{i:012x}", i))
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


def _installation(folder: Path, passphrase: str) -> tuple[Path, bytes]:
    """A whole installation: keystore.json under ``passphrase`` and its populated log."""
    new = KeyStore(folder).create(passphrase=passphrase)
    _populated(folder, new.key, notes=3)
    Store.open(folder, new.key, create=False).close()  # a later unlock, as every day
    return folder / "groupdesk.db", new.key


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


def test_a_log_from_another_installation_is_not_called_damaged(
    tmp_path: Path, no_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db_a, _ = _installation(tmp_path / "A", "phrase A")
    db_b, _ = _installation(tmp_path / "B", "phrase B")
    original_b = db_b.read_bytes()
    db_b.write_bytes(db_a.read_bytes())  # A's database beside B's keystore.json
    key_b = KeyStore(tmp_path / "B").unlock("phrase B")
    error = _unchanged_after(db_b, lambda: Store.open(tmp_path / "B", key_b, create=False))
    assert isinstance(error, WrongKey)  # the recovery key of installation A can open it
    assert error.code == "sessionlog.foreign_log"
    assert "belongs to another installation" in str(error)
    assert "appartient à une autre installation" in error.message("fr_CA")
    assert "damaged" not in str(error).replace("not damaged", "")

    # The other way round: A's keystore.json beside B's database, on the command line.
    (tmp_path / "C").mkdir()
    (tmp_path / "C" / "keystore.json").write_bytes((tmp_path / "A" / "keystore.json").read_bytes())
    (tmp_path / "C" / "groupdesk.db").write_bytes(original_b)
    from groupdesk.app import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GROUPDESK_PASSPHRASE", "phrase A")
        assert main(["--data-dir", str(tmp_path / "C"), "log", "verify"]) == 1
    err = capsys.readouterr().err
    assert "belongs to another installation" in err
    assert "restore a backup" not in err


@pytest.mark.parametrize("offset", [3, 40, 1000], ids=["salt", "header", "page body"])
def test_a_damaged_first_page_is_still_called_damaged(
    data_dir: Path, no_keyring: None, offset: int
) -> None:
    path, key = _installation(data_dir, "phrase")
    _flip(path, offset)
    error = _unchanged_after(path, lambda: Store.open(data_dir, key, create=False))
    assert isinstance(error, DatabaseDamaged)
    assert error.code == "sessionlog.damaged.first_page"
    assert "restore a backup" in str(error)


def test_a_keystore_from_before_the_salt_is_upgraded_on_first_unlock(
    data_dir: Path, no_keyring: None
) -> None:
    path, key = _installation(data_dir, "phrase")
    keystore = data_dir / "keystore.json"
    meta = json.loads(keystore.read_text())
    assert meta["db_salt"] == path.read_bytes()[:16].hex()  # nothing secret: the file's salt
    del meta["db_salt"]
    keystore.write_text(json.dumps(meta))
    foreign = data_dir.parent / "foreign.db"
    _populated(data_dir.parent / "other", secrets.token_bytes(32), notes=1).rename(foreign)
    original = path.read_bytes()
    path.write_bytes(foreign.read_bytes())
    error = _unchanged_after(path, lambda: Store.open(data_dir, key, create=False))
    assert error.code == "sessionlog.damaged.first_page_or_foreign"  # no evidence yet: both said
    assert "another installation" in str(error)

    path.write_bytes(original)
    Store.open(data_dir, key, create=False).close()
    assert json.loads(keystore.read_text())["db_salt"] == original[:16].hex()


def _refusals() -> dict[str, Callable[[Path, bytes], Callable[[], object]]]:
    def wrong_key(data_dir: Path, key: bytes) -> Callable[[], object]:
        return lambda: Store.open(data_dir, secrets.token_bytes(32))

    def damaged_page(data_dir: Path, key: bytes) -> Callable[[], object]:
        _flip(data_dir / "groupdesk.db", 4 * PAGE_SIZE + 1000)
        return lambda: Store.open(data_dir, key)

    def damaged_first_page(data_dir: Path, key: bytes) -> Callable[[], object]:
        _flip(data_dir / "groupdesk.db", 1000)
        return lambda: Store.open(data_dir, key)

    def newer_schema(data_dir: Path, key: bytes) -> Callable[[], object]:
        conn = connect(data_dir / "groupdesk.db", key)
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
        conn.close()
        return lambda: Store.open(data_dir, key)

    def recovery_key_of_another_log(data_dir: Path, key: bytes) -> Callable[[], object]:
        from groupdesk.sessionlog.connection import probe_key

        return lambda: probe_key(data_dir / "groupdesk.db", secrets.token_bytes(32))

    return {f.__name__: f for f in (wrong_key, damaged_page, damaged_first_page, newer_schema,
                                     recovery_key_of_another_log)}  # fmt: skip


@pytest.mark.parametrize("case", list(_refusals()))
def test_a_refused_log_leaves_its_folder_exactly_as_it_was(
    data_dir: Path, key: bytes, case: str
) -> None:
    _populated(data_dir, key, notes=5)
    action = _refusals()[case](data_dir, key)
    before = _listing(data_dir)
    assert [name for name, _, _ in before] == ["groupdesk.db", "journal.witness"]
    with pytest.raises(SessionLogError):
        action()
    assert _listing(data_dir) == before  # no -wal, no -shm, nothing touched
