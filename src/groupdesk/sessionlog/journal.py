"""The append-only session journal: one global hash chain over every event.

Row: seq, session_id, ts, kind, payload (canonical JSON), salt (16 random
bytes), digest = SHA-256(salt || payload), prev_hash, and
hash = SHA-256(prev_hash || seq || session_id || ts || kind || digest).
``journal_head`` holds the last (seq, hash), updated in the same transaction,
so deleting the tail is detected too. Retention may set payload and salt to
NULL (the digest stays), so the chain still verifies once the text is gone.

These functions take any DB-API connection (sqlcipher3, or sqlite3 in the
benchmark) and expect the caller to hold the write transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from groupdesk.core.journal_kinds import JournalEntry, entry_row
from groupdesk.core.models import JournalEvent

GENESIS = bytes(32)


def canonical_payload(data: Mapping[str, Any]) -> str:
    """The one JSON text of ``data`` that gets hashed (sorted keys, no spaces)."""
    return json.dumps(dict(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_digest(salt: bytes, payload: str) -> bytes:
    """SHA-256(salt || payload): the salt stops guessing short payloads from the digest."""
    return hashlib.sha256(salt + payload.encode("utf-8")).digest()


def _field(value: str) -> bytes:
    raw = value.encode("utf-8")
    return len(raw).to_bytes(4, "big") + raw


def chain_hash(  # noqa: PLR0917 -- the hashed fields, in their hashed order
    prev_hash: bytes, seq: int, session_id: int | None, ts: str, kind: str, digest: bytes
) -> bytes:
    """The hash that links row ``seq`` to the one before it."""
    h = hashlib.sha256(prev_hash)
    h.update(seq.to_bytes(8, "big"))
    h.update((session_id or 0).to_bytes(8, "big"))
    h.update(_field(ts))
    h.update(_field(kind))
    h.update(digest)
    return h.digest()


def append(conn: Any, session_id: int | None, entry: JournalEntry, ts: datetime) -> JournalEvent:
    """Add one event at the end of the chain (inside the caller's transaction); its kind
    and payload come from the catalogue (``core/journal_kinds.py``), which refuses any
    other with :class:`~groupdesk.core.journal_kinds.JournalEntryError`."""
    kind, data = entry_row(entry)
    return _append_row(conn, session_id, kind, data, ts)


def _append_row(
    conn: Any, session_id: int | None, kind: str, data: Mapping[str, Any], ts: datetime
) -> JournalEvent:
    """Chain one row as given (``append`` checks it first; only the fixtures of older
    versions, whose rows predate the catalogue, write one raw)."""
    event = JournalEvent(seq=1, session_id=session_id, ts=ts, kind=kind, data=data)  # validates
    head_seq, head_hash = conn.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    seq = int(head_seq) + 1
    ts_text = ts.astimezone(UTC).isoformat(timespec="microseconds")
    payload = canonical_payload(data)
    salt = secrets.token_bytes(16)
    digest = payload_digest(salt, payload)
    row_hash = chain_hash(bytes(head_hash), seq, session_id, ts_text, kind, digest)
    conn.execute(
        "INSERT INTO journal (seq, session_id, ts, kind, payload, salt, digest, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, session_id, ts_text, kind, payload, salt, digest, bytes(head_hash), row_hash),
    )
    conn.execute("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1", (seq, row_hash))
    return JournalEvent(
        seq=seq, session_id=session_id, ts=event.ts, kind=kind, data=json.loads(payload)
    )


def head(conn: Any) -> tuple[int, str]:
    """The ``journal_head`` row: (last seq, its hash in hexadecimal)."""
    seq, row_hash = conn.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    return int(seq), bytes(row_hash).hex()


def _event(row: tuple[Any, ...]) -> JournalEvent:
    seq, session_id, ts, kind, payload = row
    return JournalEvent(
        seq=seq,
        session_id=session_id,
        ts=datetime.fromisoformat(ts),
        kind=kind,
        data=None if payload is None else json.loads(payload),
    )


def events(conn: Any, session_id: int | None = None) -> list[JournalEvent]:
    """The events of one session (or all, with None), in order."""
    sql = "SELECT seq, session_id, ts, kind, payload FROM journal"
    if session_id is None:
        rows = conn.execute(sql + " ORDER BY seq").fetchall()
    else:
        rows = conn.execute(sql + " WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
    return [_event(row) for row in rows]


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """Where the chain breaks: the row (seq) and a reason code with its parameters."""

    seq: int
    reason: str
    params: Mapping[str, Any]


def _rows(conn: Any) -> Iterator[tuple[Any, ...]]:
    cursor = conn.execute(
        "SELECT seq, session_id, ts, kind, payload, salt, digest, prev_hash, hash"
        " FROM journal ORDER BY seq"
    )
    while batch := cursor.fetchmany(1000):
        yield from batch


def verify_chain(conn: Any) -> tuple[int, ChainProblem | None]:  # noqa: PLR0911
    """Walk the chain: (rows checked, the first problem or None)."""
    expected_seq = 1
    prev = GENESIS
    count = 0
    for seq, session_id, ts, kind, payload, salt, digest, prev_hash, row_hash in _rows(conn):
        count += 1
        if seq != expected_seq:
            return count, ChainProblem(expected_seq, "verify.missing_rows", {"found": seq})
        if not hmac.compare_digest(bytes(prev_hash), prev):
            return count, ChainProblem(seq, "verify.broken_link", {})
        if (payload is None) != (salt is None):
            return count, ChainProblem(seq, "verify.payload_changed", {})
        if payload is not None and not hmac.compare_digest(
            payload_digest(bytes(salt), payload), bytes(digest)
        ):
            return count, ChainProblem(seq, "verify.payload_changed", {})
        computed = chain_hash(prev, seq, session_id, ts, kind, bytes(digest))
        if not hmac.compare_digest(computed, bytes(row_hash)):
            return count, ChainProblem(seq, "verify.row_changed", {})
        prev = computed
        expected_seq += 1
    head = conn.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    last = expected_seq - 1
    if head is None:
        return count, ChainProblem(max(last, 1), "verify.head_missing", {})
    head_seq, head_hash = int(head[0]), bytes(head[1])
    if head_seq != last:
        return count, ChainProblem(
            min(head_seq, last + 1), "verify.tail_missing", {"head": head_seq, "last": last}
        )
    if not hmac.compare_digest(head_hash, prev):
        return count, ChainProblem(max(last, 1), "verify.head_mismatch", {})
    return count, None
