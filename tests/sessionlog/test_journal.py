"""The hash-chained journal: tampering behind the API's back is found and the row named."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from groupdesk.core.journal_kinds import JournalEntryError, SeatEvent
from groupdesk.sessionlog import Store
from groupdesk.sessionlog.connection import connect

GUARDS = (
    "journal_no_delete",
    "journal_redact_only",
    "journal_head_no_delete",
    "journal_head_forward",
)


def _with_events(store: Store, count: int = 10) -> None:
    group = store.create_group("G")
    for i in range(count):
        store.append_event(None, SeatEvent("lobby.admitted", f"member {i}", i))
    assert group.id == 1


def _raw(store: Store, data_dir: Path, key: bytes) -> Any:
    """A second, raw connection with the key and without the guard triggers."""
    conn = connect(data_dir / "groupdesk.db", key)
    for name in GUARDS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def _restore_guards(conn: Any) -> None:
    from groupdesk.sessionlog.migrations import m0001_core

    for statement in m0001_core.STATEMENTS:
        if statement.startswith("CREATE TRIGGER"):
            conn.execute(statement)


def test_sound_journal_verifies(store: Store) -> None:
    _with_events(store)
    report = store.verify()
    assert report.ok
    assert report.journal_rows == 10
    assert "10" in report.message("en")


def test_api_refuses_edits_and_deletes(store: Store) -> None:
    _with_events(store, 3)
    conn = store.connection
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE journal SET kind = 'x' WHERE seq = 2")
    with pytest.raises(Exception, match="cannot be deleted"):
        conn.execute("DELETE FROM journal WHERE seq = 3")
    with pytest.raises(Exception, match="only moves forward"):
        conn.execute("UPDATE journal_head SET seq = 1")
    assert store.verify().ok


@pytest.mark.parametrize(
    ("tamper", "seq", "reason"),
    [
        (
            'UPDATE journal SET payload = \'{"i":4,"to":"someone else"}\' WHERE seq = 5',
            5,
            "verify.payload_changed",
        ),
        (
            "UPDATE journal SET ts = '2020-01-01T00:00:00+00:00' WHERE seq = 3",
            3,
            "verify.row_changed",
        ),
        ("UPDATE journal SET kind = 'crisis.started' WHERE seq = 7", 7, "verify.row_changed"),
        # Retention's redaction (text gone, digest kept) still verifies:
        ("UPDATE journal SET payload = NULL, salt = NULL WHERE seq = 2", None, None),
        ("UPDATE journal SET payload = NULL WHERE seq = 2", 2, "verify.payload_changed"),
        ("DELETE FROM journal WHERE seq = 4", 4, "verify.missing_rows"),
        ("DELETE FROM journal WHERE seq >= 9", 9, "verify.tail_missing"),
        ("DELETE FROM journal WHERE seq = 1", 1, "verify.missing_rows"),
    ],
)
def test_tampering_is_found_and_named(
    store: Store, data_dir: Path, key: bytes, tamper: str, seq: int | None, reason: str | None
) -> None:
    _with_events(store)
    raw = _raw(store, data_dir, key)
    raw.execute(tamper)
    _restore_guards(raw)  # dropped guards are found too (test_journal_anchor.py)
    raw.close()
    report = store.verify()
    if reason is None:
        assert report.ok
        return
    assert not report.ok
    assert report.bad_seq == seq
    assert report.reason == reason
    assert f"{seq}" in report.message("en")
    assert f"{seq}" in report.message("fr_CA")


def test_rechaining_after_an_edit_is_found_at_the_edit(
    store: Store, data_dir: Path, key: bytes
) -> None:
    """Editing a payload and recomputing only its digest breaks the row hash."""
    from groupdesk.sessionlog.journal import payload_digest

    _with_events(store)
    raw = _raw(store, data_dir, key)
    salt = raw.execute("SELECT salt FROM journal WHERE seq = 6").fetchone()[0]
    forged = '{"i":5,"to":"forged"}'
    raw.execute(
        "UPDATE journal SET payload = ?, digest = ? WHERE seq = 6",
        (forged, payload_digest(bytes(salt), forged)),
    )
    raw.close()
    report = store.verify()
    assert (report.ok, report.bad_seq, report.reason) == (False, 6, "verify.row_changed")


def test_the_log_refuses_a_kind_outside_the_catalogue_and_writes_nothing(store: Store) -> None:
    _with_events(store, 2)
    forged = SeatEvent(cast(Any, "member.raised_hand"), "0a1b2c3d4e5f", 1)
    with pytest.raises(JournalEntryError, match="is not a journal kind"):
        store.append_event(None, forged)
    assert [e.kind for e in store.journal()] == ["lobby.admitted", "lobby.admitted"]
    assert store.verify().ok
