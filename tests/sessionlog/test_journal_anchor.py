"""The journal anchored outside the database: an attacker holding the key who cuts the
tail and rewinds the head, rewrites a row and recomputes the chain, drops a guard
trigger, or removes or forges the outside copies, is found by ``verify``, the row named;
a clean log, a purged one, a crash mid-witness and a computer with no keyring are sound."""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest

from groupdesk.app import main
from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.sessionlog import KeyStore, Store, anchor
from groupdesk.sessionlog.backup import restore_backup
from groupdesk.sessionlog.connection import connect, file_salt
from groupdesk.sessionlog.errors import BackupFailed
from groupdesk.sessionlog.journal import GENESIS, canonical_payload, chain_hash, payload_digest
from groupdesk.sessionlog.keys import KEYRING_SERVICE
from groupdesk.sessionlog.migrations import m0001_core
from groupdesk.sessionlog.witness import HEADER_BYTES, RECORD_BYTES
from memory_keyring import MemoryKeyring

ROWS = 12
PASSPHRASE = "correct horse battery staple"  # TEST ONLY
GUARDS = {
    "journal_no_delete": "journal",
    "journal_redact_only": "journal",
    "journal_head_no_delete": "journal_head",
    "journal_head_forward": "journal_head",
}
#: Guards of later versions are checked the same way (taken from the migrations).
LATER_GUARDS = {"notes_signed_fixed": "notes", "note_revisions_fixed": "note_revisions"}


def _events(store: Store, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        store.append_event(None, SeatEvent("lobby.admitted", f"membre {i}", i))


def _log(data_dir: Path, *, passphrase: str | None = None, rows: int = ROWS) -> bytes:
    """A log kept the ordinary way (keystore.json, keyring or passphrase), then closed."""
    key = KeyStore(data_dir).create(passphrase).key
    store = Store.open(data_dir, key)
    store.create_group("Groupe du mardi")
    _events(store, rows)
    store.close()
    return key


@contextmanager
def _attacker(data_dir: Path, key: bytes) -> Iterator[Any]:
    """The database opened with sqlcipher3 and the key, guards dropped, then put back as
    they were (so only the tampering itself is left to find)."""
    conn = connect(data_dir / "groupdesk.db", key)
    for name in GUARDS:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield conn
    finally:
        for statement in m0001_core.STATEMENTS:
            if statement.startswith("CREATE TRIGGER"):
                conn.execute(statement)
        conn.close()


def _verify(data_dir: Path, key: bytes) -> Any:
    store = Store.open(data_dir, key, create=False)
    try:
        return store.verify()
    finally:
        store.close()


def _cli(data_dir: Path, capsys: pytest.CaptureFixture[str], lang: str = "en") -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "--lang", lang, "log", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _cut(conn: Any, after: int) -> None:
    """Delete the rows after ``after`` and rewind the head onto row ``after``."""
    conn.execute("DELETE FROM journal WHERE seq > ?", (after,))
    (last_hash,) = conn.execute("SELECT hash FROM journal WHERE seq = ?", (after,)).fetchone()
    conn.execute("UPDATE journal_head SET seq = ?, hash = ?", (after, last_hash))


def _rewrite(conn: Any, seq: int, data: dict[str, Any]) -> None:
    """Give row ``seq`` a new payload and recompute its digest and every hash after it."""
    salt = secrets.token_bytes(16)
    payload = canonical_payload(data)
    conn.execute(
        "UPDATE journal SET payload = ?, salt = ?, digest = ? WHERE seq = ?",
        (payload, salt, payload_digest(salt, payload), seq),
    )
    prev = GENESIS
    rows = conn.execute(
        "SELECT seq, session_id, ts, kind, digest FROM journal ORDER BY seq"
    ).fetchall()
    for row_seq, session_id, ts, kind, digest in rows:
        row_hash = chain_hash(prev, row_seq, session_id, ts, kind, bytes(digest))
        conn.execute(
            "UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, row_hash, row_seq)
        )
        prev = row_hash
    conn.execute("UPDATE journal_head SET hash = ?", (prev,))


def _keystore(data_dir: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((data_dir / "keystore.json").read_bytes())
    return meta


def _keyring_entry(data_dir: Path) -> tuple[str, str]:
    return KEYRING_SERVICE, anchor.keyring_username(file_salt(data_dir / "groupdesk.db"))


# -- sound logs -----------------------------------------------------------------
def test_a_clean_log_is_anchored_outside_and_verifies(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _log(data_dir)
    witness = data_dir / "journal.witness"
    assert witness.stat().st_size == HEADER_BYTES + ROWS * RECORD_BYTES
    assert witness.stat().st_mode & 0o777 == 0o600
    kept = _keystore(data_dir)["anchor"]
    assert (kept["seq"], kept["keyring"]) == (ROWS, True)
    assert json.loads(memory_keyring.entries[_keyring_entry(data_dir)])["seq"] == ROWS
    store = Store.open(data_dir, key)
    try:
        report = store.verify()
        assert (report.ok, report.journal_rows, report.notes) == (True, ROWS, ())
        seq, hash_hex = store.journal_anchor()
        head = store.connection.execute("SELECT seq, hash FROM journal_head").fetchone()
        assert (seq, hash_hex) == (head[0], bytes(head[1]).hex()) == (ROWS, kept["hash"])
    finally:
        store.close()
    code, said = _cli(data_dir, capsys)
    assert (code, said.strip()) == (
        0,
        f"The session log is sound: {ROWS} journal entries verified.",
    )


def test_after_a_retention_purge_the_log_still_verifies(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    old = datetime(2019, 3, 5, 18, 0, tzinfo=UTC)
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group("G")
    member = store.add_member(group.id, "Ancien")
    session = store.create_session(group.id, old, old + timedelta(hours=2))
    store.start_session(session.id, old)
    store.record_join(session.id, member.id, old)
    store.append_event(session.id, SeatEvent("lobby.admitted", "zqxgone", member.id), old)
    store.end_session(session.id, old + timedelta(hours=2))
    report = store.purge(now=datetime(2026, 6, 1, tzinfo=UTC), retention_years=5)
    assert report.sessions == 1
    assert any(e.data is None for e in store.journal(session.id))  # payloads really nulled
    store.close()
    report = _verify(data_dir, key)
    assert (report.ok, report.notes) == (True, ())


def test_with_no_keyring_backend_the_keystore_anchor_is_enough(
    data_dir: Path, no_keyring: None
) -> None:
    key = _log(data_dir, passphrase=PASSPHRASE)
    assert _keystore(data_dir)["anchor"]["keyring"] is False
    report = _verify(data_dir, key)
    assert (report.ok, report.journal_rows, report.notes) == (True, ROWS, ())
    with _attacker(data_dir, key) as conn:
        _cut(conn, 7)
    assert _verify(data_dir, key).bad_seq == 8  # the witness and keystore.json still tell


@pytest.mark.parametrize("lost", ["half a record", "the last two records and a half"])
def test_a_crash_that_cuts_the_witness_is_tolerated_and_said(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, lost: str
) -> None:
    monkeypatch.setattr(anchor, "ANCHOR_INTERVAL", math.inf)  # only explicit anchors
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    _events(store, 5)
    assert store.journal_anchor()[0] == 5
    _events(store, 3, start=5)  # witnessed, not yet anchored
    store.connection.close()  # the process dies: no anchor at close
    witness = data_dir / "journal.witness"
    size = witness.stat().st_size
    cut = RECORD_BYTES // 2 + (2 * RECORD_BYTES if lost.startswith("the last two") else 0)
    with witness.open("r+b") as f:
        f.truncate(size - cut)
    report = _verify(data_dir, key)
    assert report.ok
    said = report.message("en")
    assert "cut short" in said
    first = 6 if lost.startswith("the last two") else 8
    assert f"entries {first} to 8 were saved but not yet in the witness file" in said
    assert "incomplet" in report.message("fr_CA")
    assert witness.stat().st_size == HEADER_BYTES + 8 * RECORD_BYTES
    assert _verify(data_dir, key).notes == ()  # repaired once, quiet after


# -- (a) the newest rows deleted and the head rewound -------------------------
@pytest.mark.parametrize("witness_too", [False, True])
def test_a_cut_tail_with_a_rewound_head_is_named(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    witness_too: bool,
) -> None:
    key = _log(data_dir)
    with _attacker(data_dir, key) as conn:
        _cut(conn, 8)
        assert conn.execute("SELECT seq FROM journal_head").fetchone() == (8,)
    if witness_too:  # the witness cut to match: the anchor still knows
        witness = data_dir / "journal.witness"
        with witness.open("r+b") as f:
            f.truncate(HEADER_BYTES + 8 * RECORD_BYTES)
    report = _verify(data_dir, key)
    assert (report.ok, report.bad_seq, report.reason) == (False, 9, "verify.cut")
    assert "journal entries 9 to 12 are missing: the journal was cut after entry 8" in (
        report.message("en")
    )
    assert "les entrées 9 à 12 du journal sont absentes" in report.message("fr_CA")
    code, said = _cli(data_dir, capsys, "fr_CA")
    assert code == 1
    assert "coupé après l'entrée 8" in said


# -- (b) a row rewritten and the chain recomputed from there -------------------
def test_a_rewritten_row_with_a_recomputed_chain_is_named(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _log(data_dir)
    with _attacker(data_dir, key) as conn:
        _rewrite(conn, 5, {"i": 4, "to": "quelqu'un d'autre"})
    store = Store.open(data_dir, key)
    try:
        from groupdesk.sessionlog.journal import verify_chain

        assert verify_chain(store.connection) == (ROWS, None)  # the chain alone is fooled
        report = store.verify()
    finally:
        store.close()
    assert (report.ok, report.bad_seq, report.reason) == (False, 5, "verify.witness_mismatch")
    assert "journal entry 5 differs from its hash kept outside the database" in (
        report.message("en")
    )
    assert "l'entrée 5 du journal diffère" in report.message("fr_CA")
    code, said = _cli(data_dir, capsys)
    assert code == 1
    assert "journal entry 5 differs" in said


def test_a_rewrite_with_the_witness_forged_too_is_caught_by_the_anchor(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    from groupdesk.sessionlog.witness import write_witness

    key = _log(data_dir)
    with _attacker(data_dir, key) as conn:
        _rewrite(conn, 5, {"i": 4, "to": "forged"})
        hashes = anchor.chain_hashes(conn)
    write_witness(data_dir / "journal.witness", hashes)
    report = _verify(data_dir, key)
    assert (report.ok, report.bad_seq, report.reason) == (False, ROWS, "verify.anchor_mismatch")
    assert "differs from the journal head anchored in keystore.json" in report.message("en")


# -- (c) the append-only triggers dropped or changed ------------------------------
@pytest.mark.parametrize("trigger", [*GUARDS, *LATER_GUARDS])
def test_a_dropped_guard_trigger_is_named(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    trigger: str,
) -> None:
    table = {**GUARDS, **LATER_GUARDS}[trigger]
    key = _log(data_dir)
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.close()
    report = _verify(data_dir, key)
    assert (report.ok, report.reason) == (False, "verify.trigger_missing")
    assert report.params == {"trigger": trigger, "table": table}
    expected = f"the guard trigger {trigger} on table {table} was removed"
    assert expected in report.message("en")
    assert f"{trigger} de la table {table} a été supprimé" in report.message("fr_CA")
    code, said = _cli(data_dir, capsys)
    assert code == 1
    assert expected in said


def test_a_weakened_guard_trigger_is_named(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    key = _log(data_dir)
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute("DROP TRIGGER journal_head_forward")
    conn.execute(
        "CREATE TRIGGER journal_head_forward BEFORE UPDATE ON journal_head"
        " WHEN NEW.id <> OLD.id"
        " BEGIN SELECT RAISE(ABORT, 'the journal head only moves forward'); END"
    )
    conn.execute("CREATE TRIGGER journal_quiet BEFORE DELETE ON journal_head BEGIN SELECT 1; END")
    conn.close()
    report = _verify(data_dir, key)
    assert (report.reason, report.params) == (
        "verify.trigger_changed",
        {"trigger": "journal_head_forward", "table": "journal_head"},
    )
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute("DROP TRIGGER journal_head_forward")
    conn.execute(next(s for s in m0001_core.STATEMENTS if "journal_head_forward" in s))
    conn.close()
    report = _verify(data_dir, key)
    assert (report.reason, report.params) == (
        "verify.trigger_unexpected",
        {"trigger": "journal_quiet", "table": "journal_head"},
    )


# -- (d) the witness or the anchor missing or forged ----------------------------------
def _forge_seq(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "seq": record["seq"] - 4}


@pytest.mark.parametrize(
    ("case", "reason", "said"),
    [
        ("witness deleted", "verify.witness_missing", "journal.witness) is missing"),
        ("witness replaced", "verify.witness_bad_header", "is not a GroupDesk witness"),
        ("keystore anchor removed", "verify.anchor_missing", "missing from keystore.json"),
        ("keystore anchor forged", "verify.anchor_forged", "kept in keystore.json fails"),
        ("keyring anchor removed", "verify.anchor_missing", "missing from the OS keyring"),
        ("keyring anchor forged", "verify.anchor_forged", "kept in the OS keyring fails"),
    ],
)
def test_a_missing_or_forged_outside_copy_is_said(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    case: str,
    reason: str,
    said: str,
) -> None:
    key = _log(data_dir)
    witness = data_dir / "journal.witness"
    entry = _keyring_entry(data_dir)
    if case == "witness deleted":
        witness.unlink()
    elif case == "witness replaced":
        witness.write_bytes(b"\0" * witness.stat().st_size)
    elif case.startswith("keystore"):
        meta = _keystore(data_dir)
        if case.endswith("removed"):
            del meta["anchor"]
        else:
            meta["anchor"] = _forge_seq(meta["anchor"])
        (data_dir / "keystore.json").write_text(json.dumps(meta))
    elif case.endswith("removed"):
        del memory_keyring.entries[entry]
    else:
        memory_keyring.entries[entry] = json.dumps(
            _forge_seq(json.loads(memory_keyring.entries[entry]))
        )
    report = _verify(data_dir, key)
    assert (report.ok, report.reason) == (False, reason)
    assert said in report.message("en")
    assert report.message("fr_CA") != report.message("en")
    code, printed = _cli(data_dir, capsys)
    assert code == 1
    assert said in printed
    assert "sound" not in printed


@pytest.mark.parametrize("anchors_too", [False, True])
def test_a_witness_deleted_is_not_recreated_by_opening(
    data_dir: Path, memory_keyring: MemoryKeyring, anchors_too: bool
) -> None:
    key = _log(data_dir)
    (data_dir / "journal.witness").unlink()
    if anchors_too:  # every copy outside removed: the mark in the database header says
        meta = _keystore(data_dir)
        del meta["anchor"]
        (data_dir / "keystore.json").write_text(json.dumps(meta))
        memory_keyring.entries.pop(_keyring_entry(data_dir))
    for _ in range(2):
        assert _verify(data_dir, key).reason == "verify.witness_missing"
    assert not (data_dir / "journal.witness").exists()


# -- backups and restore ---------------------------------------------------------------
def test_a_restored_log_verifies_against_its_backups_anchor(
    data_dir: Path, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    _events(store, 6)
    backup = store.backup(tmp_path / "log.gdbk")
    _events(store, 4, start=6)
    store.close()
    restore_backup(data_dir, backup, key)
    assert _keystore(data_dir)["anchor"]["seq"] == 6
    assert json.loads(memory_keyring.entries[_keyring_entry(data_dir)])["seq"] == 6
    assert (data_dir / "journal.witness").stat().st_size == HEADER_BYTES + 6 * RECORD_BYTES
    assert len(list(data_dir.glob("journal.witness.before-restore-*"))) == 1
    store = Store.open(data_dir, key)
    try:
        report = store.verify()
        assert (report.ok, report.journal_rows, report.notes) == (True, 6, ())
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master")}
        assert anchor.BACKUP_TABLE not in tables
    finally:
        store.close()


@pytest.mark.parametrize("tamper", ["cut", "forged anchor"])
def test_a_tampered_backup_is_refused_against_its_anchor(
    data_dir: Path, memory_keyring: MemoryKeyring, tmp_path: Path, tamper: str
) -> None:
    key = _log(data_dir)
    store = Store.open(data_dir, key)
    backup = store.backup(tmp_path / "log.gdbk")
    store.close()
    with _attacker_of(backup, key) as conn:
        if tamper == "cut":
            _cut(conn, 9)
        else:
            record = json.loads(conn.execute("SELECT record FROM backup_anchor").fetchone()[0])
            conn.execute("UPDATE backup_anchor SET record = ?", (json.dumps(_forge_seq(record)),))
    before = (data_dir / "groupdesk.db").read_bytes()
    with pytest.raises(BackupFailed) as refused:
        restore_backup(data_dir, backup, key)
    assert (
        "entries 10 to 12 are missing" if tamper == "cut" else "fails its authentication"
    ) in str(refused.value)
    assert (data_dir / "groupdesk.db").read_bytes() == before


@contextmanager
def _attacker_of(path: Path, key: bytes) -> Iterator[Any]:
    conn = connect(path, key)
    for name in GUARDS:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield conn
    finally:
        conn.close()


def test_the_anchor_moves_at_most_every_interval_and_after_a_session_ends(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    key = KeyStore(data_dir).create().key
    now = [0.0]
    store = Store.open(data_dir, key, clock=lambda: now[0])
    group = store.create_group("G")
    start = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
    session = store.create_session(group.id, start, start + timedelta(hours=2))
    store.start_session(session.id, start)
    _events(store, 3)
    assert _keystore(data_dir)["anchor"]["seq"] == 0  # witnessed (4 rows), not anchored yet
    assert (data_dir / "journal.witness").stat().st_size == HEADER_BYTES + 4 * RECORD_BYTES
    now[0] = anchor.ANCHOR_INTERVAL
    _events(store, 1)
    assert _keystore(data_dir)["anchor"]["seq"] == 5
    store.end_session(session.id, start + timedelta(hours=2))
    assert _keystore(data_dir)["anchor"]["seq"] == 6
    assert keyring.get_password(*_keyring_entry(data_dir)) is not None
    store.close()


def test_a_restore_on_a_new_computer_keeps_the_backups_anchor(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io
    import sys

    old = tmp_path / "old"
    new_key = KeyStore(old).create()
    store = Store.open(old, new_key.key)
    _events(store, 4)
    store.backup(tmp_path / "log.gdbk")
    store.close()
    memory_keyring.entries.clear()
    fresh = tmp_path / "fresh"
    monkeypatch.setattr(sys, "stdin", io.StringIO(new_key.recovery_key + "\n"))
    args = [
        "--data-dir",
        str(fresh),
        "log",
        "--recovery-key",
        "restore",
        str(tmp_path / "log.gdbk"),
    ]
    assert main(args) == 0
    capsys.readouterr()
    assert _keystore(fresh)["anchor"]["seq"] == 4  # keystore.json made after the restore
    code, said = _cli(fresh, capsys)
    assert (code, said.strip()) == (0, "The session log is sound: 4 journal entries verified.")


def test_two_open_logs_share_the_witness_without_duplicates(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    """The app and ``groupdesk log verify`` (or a second app) may both have it open."""
    key = _log(data_dir, rows=3)
    first = Store.open(data_dir, key)
    second = Store.open(data_dir, key)
    try:
        _events(first, 1)
        _events(second, 2)
        _events(first, 1)
        assert second.verify().notes == ()
        report = first.verify()
        assert (report.ok, report.journal_rows, report.notes) == (True, 7, ())
    finally:
        first.close()
        second.close()
    assert (data_dir / "journal.witness").stat().st_size == HEADER_BYTES + 7 * RECORD_BYTES
    assert _verify(data_dir, key).ok


def test_a_note_rewritten_with_its_journal_entry_and_the_chain_is_named(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    """The journal covers notes (a digest per revision); rewriting both and the chain
    after them fools the chain and the coverage, not the witness."""
    from groupdesk.sessionlog import coverage
    from groupdesk.sessionlog.migrations import m0009_notes_after_session

    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group("G")
    _events(store, 2)
    note = store.add_note(group.id, "Ana a parlé de son retour au travail.")
    _events(store, 3, start=2)
    store.close()
    guard = next(s for s in m0009_notes_after_session.STATEMENTS if "note_revisions_fixed" in s)
    with _attacker(data_dir, key) as conn:
        conn.execute("DROP TRIGGER note_revisions_fixed")
        forged = "Ana n'a rien dit."
        conn.execute("UPDATE note_revisions SET body = ? WHERE note_id = ?", (forged, note.id))
        conn.execute("UPDATE notes SET body = ? WHERE id = ?", (forged, note.id))
        seq, payload = conn.execute(
            "SELECT seq, payload FROM journal WHERE kind = 'note.saved'"
        ).fetchone()
        revision = conn.execute(
            coverage._REVISION + " WHERE r.note_id = ?",  # what the digest is made of
            (note.id,),
        ).fetchone()
        _rewrite(conn, seq, {**json.loads(payload), "digest": coverage.digest_of(*revision)})
        assert coverage.verify_records(conn) is None  # the coverage alone is fooled
        conn.execute(guard)
    report = _verify(data_dir, key)
    assert (report.ok, report.bad_seq, report.reason) == (False, seq, "verify.witness_mismatch")
