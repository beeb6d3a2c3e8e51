"""The records the journal covers: notes, their revisions, signatures and addenda, stays
in sessions, referrals.

Each write of such a row appends a ``RecordKept`` entry to the hash-chained journal with
the SHA-256 of the row's content (``digest``), in the same transaction. ``verify_records``
then reads every covered row and its newest entry: a row changed, added or deleted
outside the app no longer matches, and is named. Retention, which deletes rows with
what they belong to, also redacts their entries (payload NULL), so a purge is not
mistaken for tampering. The text being typed (``note_drafts``) is not covered: it is
work in progress until it is kept as a revision.

Functions take a DB-API connection; writers expect the caller's transaction.
"""

# ruff: noqa: S608 -- SQL splices only module constants and integer id lists; values are bound.
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from groupdesk.core.journal_kinds import RecordKept
from groupdesk.sessionlog import journal

_NOTE_KINDS = ("note.saved", "note.signed", "note.addendum")
COVERED_KINDS = (*_NOTE_KINDS, "attendance.kept", "referral.recorded")


def digest_of(*values: Any) -> str:
    """The SHA-256 (hex) of the canonical JSON of ``values``: a row's content."""
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- what each covered row's digest is made of ----------------------------------
# A revision's digest holds whom its note is about (group, session, member): moving a
# note to another member outside the app must not verify as sound.
_REVISION = (
    "SELECT r.note_id, r.revision, r.body, r.created_at, n.group_id, n.session_id,"
    " n.member_id FROM note_revisions AS r LEFT JOIN notes AS n ON n.id = r.note_id"
)
_SIGNATURE = (
    "SELECT id, revision, signed_by, signed_at, body FROM notes WHERE signed_at IS NOT NULL"
)
_ADDENDUM = "SELECT id, note_id, body, author, created_at FROM note_addenda"
_STAY = "SELECT id, session_id, member_id, guest_name, joined_at, left_at, in_room FROM attendance"
_REFERRAL = (
    "SELECT id, member_id, session_id, note_id, resource_id, resource_name, detail, created_at"
    " FROM referrals"
)


def _one(conn: Any, sql: str, where: str, *params: Any) -> tuple[Any, ...]:
    row = conn.execute(f"{sql} WHERE {where}", params).fetchone()
    if row is None:
        raise LookupError(sql)
    return tuple(row)


def _append(conn: Any, session_id: int | None, entry: RecordKept, now: datetime) -> None:
    journal.append(conn, session_id, entry, now)


def revision_kept(conn: Any, note_id: int, revision: int, now: datetime) -> None:
    """Journal revision ``revision`` of a note, just written."""
    row = _one(conn, _REVISION, "r.note_id = ? AND r.revision = ?", note_id, revision)
    session_id = _note_session(conn, note_id)
    entry = RecordKept("note.saved", row=note_id, revision=revision, digest=digest_of(*row))
    _append(conn, session_id, entry, now)


def signature_kept(conn: Any, note_id: int, now: datetime) -> None:
    """Journal the signature of a note, just signed."""
    row = conn.execute(_SIGNATURE + " AND id = ?", (note_id,)).fetchone()
    if row is None:
        raise LookupError(note_id)
    entry = RecordKept("note.signed", row=note_id, revision=row[1], digest=digest_of(*row))
    _append(conn, _note_session(conn, note_id), entry, now)


def addendum_kept(conn: Any, addendum_id: int, now: datetime) -> None:
    """Journal an addendum, just written."""
    row = _one(conn, _ADDENDUM, "id = ?", addendum_id)
    entry = RecordKept("note.addendum", row=addendum_id, note=row[1], digest=digest_of(*row))
    _append(conn, _note_session(conn, int(row[1])), entry, now)


def stay_kept(conn: Any, stay_id: int, now: datetime) -> None:
    """Journal a stay in a session, as it now is (written at each change)."""
    row = _one(conn, _STAY, "id = ?", stay_id)
    entry = RecordKept("attendance.kept", row=stay_id, member=row[2], digest=digest_of(*row))
    _append(conn, int(row[1]), entry, now)


def referral_kept(conn: Any, referral_id: int, now: datetime) -> None:
    """Journal a referral, just written."""
    row = _one(conn, _REFERRAL, "id = ?", referral_id)
    entry = RecordKept("referral.recorded", row=referral_id, member=row[1], digest=digest_of(*row))
    _append(conn, row[2], entry, now)


def _note_session(conn: Any, note_id: int) -> int | None:
    row = conn.execute("SELECT session_id FROM notes WHERE id = ?", (note_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def adopt(conn: Any, now: datetime) -> int:
    """Journal every covered row written before the journal covered them (once, when the
    log moves to version 9); returns how many."""
    count = 0
    for note_id, revision in conn.execute(
        "SELECT note_id, revision FROM note_revisions ORDER BY note_id, revision"
    ).fetchall():
        revision_kept(conn, int(note_id), int(revision), now)
        count += 1
    for (stay_id,) in conn.execute("SELECT id FROM attendance ORDER BY id").fetchall():
        stay_kept(conn, int(stay_id), now)
        count += 1
    return count


# -- retention ---------------------------------------------------------------------
def _in(ids: Iterable[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in ids) + ")"


def redact(
    conn: Any,
    *,
    notes: Sequence[int] = (),
    stays: Sequence[int] = (),
    referrals: Sequence[int] = (),
) -> int:
    """Redact (payload NULL) the entries of rows retention deletes; returns how many."""
    clauses = []
    if notes:
        clauses.append(
            "(kind IN ('note.saved', 'note.signed') AND json_extract(payload, '$.row') IN "
            f"{_in(notes)}) OR (kind = 'note.addendum' AND json_extract(payload, '$.note') IN "
            f"{_in(notes)})"
        )
    if stays:
        clauses.append(
            f"(kind = 'attendance.kept' AND json_extract(payload, '$.row') IN {_in(stays)})"
        )
    if referrals:
        clauses.append(
            f"(kind = 'referral.recorded' AND json_extract(payload, '$.row') IN {_in(referrals)})"
        )
    if not clauses:
        return 0
    return int(
        conn.execute(
            "UPDATE journal SET payload = NULL, salt = NULL"
            f" WHERE payload IS NOT NULL AND ({' OR '.join(clauses)})"
        ).rowcount
    )


# -- verification ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RecordProblem:
    """A covered row that does not match the journal: a reason key (``verify.<what>_
    changed|unjournaled|deleted``) and its parameters: the row named (``row``, and
    ``revision`` for a note's), and the journal entry (``seq``) when there is one."""

    reason: str
    params: dict[str, Any]


def _entries(conn: Any) -> dict[tuple[str, int, int | None], tuple[int, str]]:
    """The newest entry of each covered row: (kind, row, revision) -> (seq, digest)."""
    newest: dict[tuple[str, int, int | None], tuple[int, str]] = {}
    marks = ",".join("'" + k + "'" for k in COVERED_KINDS)
    cursor = conn.execute(
        f"SELECT seq, kind, payload FROM journal WHERE kind IN ({marks})"
        " AND payload IS NOT NULL ORDER BY seq"
    )
    while batch := cursor.fetchmany(1000):
        for seq, kind, payload in batch:
            data = json.loads(payload)
            revision = data.get("revision") if kind == "note.saved" else None
            newest[(kind, int(data["row"]), revision)] = (int(seq), str(data["digest"]))
    return newest


def _check(
    conn: Any,
    newest: dict[tuple[str, int, int | None], tuple[int, str]],
    seen: set[tuple[str, int, int | None]],
    spec: tuple[str, str, str],
) -> RecordProblem | None:
    kind, sql, what = spec
    cursor = conn.execute(sql)
    while batch := cursor.fetchmany(1000):
        for row in batch:
            key = (kind, int(row[0]), int(row[1]) if kind == "note.saved" else None)
            seen.add(key)
            found = newest.get(key)
            params = {"row": key[1], "revision": key[2] or 0}
            if found is None:
                return RecordProblem(f"verify.{what}_unjournaled", params)
            if found[1] != digest_of(*row):
                return RecordProblem(f"verify.{what}_changed", {**params, "seq": found[0]})
    return None


def verify_records(conn: Any) -> RecordProblem | None:
    """The first covered row that does not match its journal entry, or None."""
    # A note row deleted outside the app (foreign keys are off by default in a bare
    # connection) leaves its revisions behind: name the note, not a changed revision.
    orphan = conn.execute(
        "SELECT r.note_id FROM note_revisions AS r LEFT JOIN notes AS n ON n.id = r.note_id"
        " WHERE n.id IS NULL ORDER BY r.note_id LIMIT 1"
    ).fetchone()
    if orphan is not None:
        return RecordProblem("verify.note_deleted", {"row": int(orphan[0]), "revision": 0})
    newest = _entries(conn)
    seen: set[tuple[str, int, int | None]] = set()
    specs = (
        ("note.saved", _REVISION, "note_revision"),
        ("note.signed", _SIGNATURE, "note_signature"),
        ("note.addendum", _ADDENDUM, "addendum"),
        ("attendance.kept", _STAY, "stay"),
        ("referral.recorded", _REFERRAL, "referral"),
    )
    for spec in specs:
        problem = _check(conn, newest, seen, spec)
        if problem is not None:
            return problem
    # A note's current text is its newest revision's.
    stale = conn.execute(
        "SELECT n.id, n.revision FROM notes AS n LEFT JOIN note_revisions AS r"
        " ON r.note_id = n.id AND r.revision = n.revision"
        " WHERE r.body IS NOT n.body ORDER BY n.id LIMIT 1"
    ).fetchone()
    if stale is not None:
        return RecordProblem(
            "verify.note_text_changed", {"row": int(stale[0]), "revision": int(stale[1])}
        )
    what = {
        "note.saved": "note_revision",
        "note.signed": "note_signature",
        "note.addendum": "addendum",
        "attendance.kept": "stay",
        "referral.recorded": "referral",
    }
    for key, (seq, _digest) in sorted(newest.items(), key=lambda item: item[1][0]):
        if key not in seen:
            params = {"row": key[1], "revision": key[2] or 0, "seq": seq}
            return RecordProblem(f"verify.{what[key[0]]}_deleted", params)
    return None
