"""Encrypted backup and restore, row for row; a bad backup never replaces anything."""

from __future__ import annotations

import os
import secrets
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.core.models import IncidentStep
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import (
    BackupFailed,
    DatabaseDamaged,
    KeyStore,
    Store,
    WrongKey,
    restore_backup,
)
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.db import COUNTED_TABLES
from memory_keyring import MemoryKeyring

from .conftest import file_hash

T0 = datetime(2026, 4, 1, 18, 0, tzinfo=UTC)
TABLES = (*COUNTED_TABLES, "journal_head")


def _fill(store: Store) -> None:
    group = store.create_group("Groupe", "description")
    member = store.add_member(group.id, "Ana", phone="514-555-0100", consent="given")
    session = store.create_session(group.id, T0, T0 + timedelta(hours=2), "hybrid", ["Julie"])
    store.start_session(session.id, T0)
    store.record_join(session.id, member.id, T0)
    store.append_event(session.id, SeatEvent("member.mute_requested", "0a1b2c3d4e5f", member.id))
    store.add_checklist_result(session.id, "facilitator", {"private_room": True})
    steps = (IncidentStep("a", "A", T0, "vu"), IncidentStep("b"))
    incident = Incident(
        seat="s1",
        member=member.id,
        guest_name="",
        opened_at=T0,
        closed_at=T0,
        steps=steps,
        observation="",
        resources_used=("emergency_911",),
        outcome="safe",
        referral=(),
    )
    store.add_incident(session.id, incident)
    note = store.add_note(group.id, "note de séance", session_id=session.id)
    store.revise_note(note.id, "note de séance, révisée")
    store.end_session(session.id, T0 + timedelta(hours=2))


def _dump(path: Path, key: bytes) -> dict[str, list[tuple[Any, ...]]]:
    conn = connect(path, key, readonly=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES} | {
            "version": conn.execute("PRAGMA user_version").fetchall(),
            "fts": conn.execute(
                "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'revisee'"
            ).fetchall(),
        }
    finally:
        conn.close()


def test_backup_then_restore_row_for_row(
    data_dir: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    _fill(store)
    (tmp_path / "backups").mkdir()
    backup = store.backup(tmp_path / "backups" / "log.gdbk")
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # Nothing of the content in the clear. (Long strings: a 3-byte name like "Ana" turns
    # up by chance in a few hundred KB of ciphertext about once in a hundred runs.)
    sealed = backup.read_bytes()
    for plain in ("514-555-0100", "note de séance", "SQLite format 3"):
        assert plain.encode() not in sealed
    store.close()
    original = _dump(data_dir / "groupdesk.db", key)
    assert original["fts"] == [(1,)]

    # Things change after the backup; the restore brings back the backup's state.
    store = Store.open(data_dir, key)
    store.create_group("Créé après la sauvegarde")
    store.close()
    changed_hash = file_hash(data_dir / "groupdesk.db")

    report = restore_backup(data_dir, backup, key)
    assert report.journal_rows == len(original["journal"])
    assert report.previous is not None
    assert report.previous.name.startswith("groupdesk.db.before-restore-")
    assert file_hash(report.previous) == changed_hash  # the previous file is kept as it was
    assert _dump(data_dir / "groupdesk.db", key) == original
    reopened = Store.open(data_dir, key)
    assert reopened.verify().ok
    assert [g.name for g in reopened.list_groups()] == ["Groupe"]
    reopened.close()


def test_backup_never_overwrites(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "exists.gdbk"
    target.write_bytes(b"precious")
    with pytest.raises(BackupFailed) as caught:
        store.backup(target)
    assert caught.value.code == "sessionlog.backup_exists"
    assert target.read_bytes() == b"precious"


def test_recovery_key_opens_a_backup_on_a_new_computer(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    new = KeyStore(data_dir).create(passphrase="phrase de passe")
    store = Store.open(data_dir, new.key)
    _fill(store)
    backup = store.backup(tmp_path / "log.gdbk")
    store.close()
    fresh = tmp_path / "new-laptop"
    fresh.mkdir()
    import shutil

    shutil.copyfile(backup, fresh / "groupdesk.db")
    key = KeyStore(fresh).unlock_with_recovery_key(new.recovery_key, new_passphrase="nouvelle")
    reopened = Store.open(fresh, key)
    assert reopened.verify().ok
    assert [g.name for g in reopened.list_groups()] == ["Groupe"]
    reopened.close()


def test_damaged_backup_is_refused_and_nothing_replaced(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    _fill(store)
    backup = store.backup(tmp_path / "log.gdbk")
    store.close()
    data = bytearray(backup.read_bytes())
    data[2 * 4096 + 100] ^= 1
    backup.write_bytes(bytes(data))
    before = file_hash(data_dir / "groupdesk.db")
    with pytest.raises(DatabaseDamaged) as caught:
        restore_backup(data_dir, backup, key)
    assert caught.value.code == "sessionlog.damaged.hmac"
    assert file_hash(data_dir / "groupdesk.db") == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["groupdesk.db", "journal.witness"]


def test_backup_with_a_broken_chain_is_refused(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    _fill(store)
    backup = store.backup(tmp_path / "log.gdbk")
    store.close()
    conn = connect(backup, key)
    conn.execute("DROP TRIGGER journal_redact_only")
    conn.execute("UPDATE journal SET kind = 'forged' WHERE seq = 2")
    conn.close()
    before = file_hash(data_dir / "groupdesk.db")
    with pytest.raises(BackupFailed) as caught:
        restore_backup(data_dir, backup, key)
    assert "entry 2" in str(caught.value)
    assert file_hash(data_dir / "groupdesk.db") == before


def test_backup_under_another_key_is_refused(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    _fill(store)
    backup = store.backup(tmp_path / "log.gdbk")
    store.close()
    with pytest.raises(WrongKey):
        restore_backup(data_dir, backup, secrets.token_bytes(32))
