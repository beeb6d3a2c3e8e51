"""Notes: the current text, every revision kept, and full-text search (FTS5).

Functions take a DB-API connection; writers expect the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from groupdesk.core.models import Note, NoteRevision
from groupdesk.sessionlog.errors import NotFound

_COLUMNS = "id, group_id, session_id, member_id, body, revision, created_at, updated_at"


def _note(row: tuple[Any, ...]) -> Note:
    note_id, group_id, session_id, member_id, body, revision, created, updated = row
    return Note(
        id=note_id,
        group_id=group_id,
        session_id=session_id,
        member_id=member_id,
        body=body,
        revision=revision,
        created_at=datetime.fromisoformat(created),
        updated_at=datetime.fromisoformat(updated),
    )


def get(conn: Any, note_id: int) -> Note:
    """One note by id."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        raise NotFound(what="note", id=note_id)
    return _note(row)


def add(
    conn: Any,
    group_id: int,
    body: str,
    now: datetime,
    *,
    session_id: int | None = None,
    member_id: int | None = None,
) -> Note:
    """Write a new note (revision 1)."""
    Note(id=1, group_id=group_id, body=body, session_id=session_id, member_id=member_id)
    ts = now.astimezone(UTC).isoformat(timespec="microseconds")
    cursor = conn.execute(
        "INSERT INTO notes (group_id, session_id, member_id, body, revision, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
        (group_id, session_id, member_id, body, ts, ts),
    )
    note_id = int(cursor.lastrowid)
    conn.execute(
        "INSERT INTO note_revisions (note_id, revision, body, created_at) VALUES (?, 1, ?, ?)",
        (note_id, body, ts),
    )
    return get(conn, note_id)


def revise(conn: Any, note_id: int, body: str, now: datetime) -> Note:
    """Save a new text for a note; the previous texts stay in its history."""
    current = get(conn, note_id)
    revision = current.revision + 1
    ts = now.astimezone(UTC).isoformat(timespec="microseconds")
    conn.execute(
        "UPDATE notes SET body = ?, revision = ?, updated_at = ? WHERE id = ?",
        (body, revision, ts, note_id),
    )
    conn.execute(
        "INSERT INTO note_revisions (note_id, revision, body, created_at) VALUES (?, ?, ?, ?)",
        (note_id, revision, body, ts),
    )
    return get(conn, note_id)


def history(conn: Any, note_id: int) -> list[NoteRevision]:
    """Every saved text of a note, oldest first."""
    get(conn, note_id)
    rows = conn.execute(
        "SELECT note_id, revision, body, created_at FROM note_revisions"
        " WHERE note_id = ? ORDER BY revision",
        (note_id,),
    ).fetchall()
    return [
        NoteRevision(note_id=n, revision=r, body=b, created_at=datetime.fromisoformat(c))
        for n, r, b, c in rows
    ]


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a person typed: every word, as a prefix, all required."""
    words = [w for w in text.split() if w.strip('"')]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def search(conn: Any, text: str, *, group_id: int | None = None, limit: int = 100) -> list[Note]:
    """Notes whose current text matches every word of ``text``, best match first."""
    query = fts_query(text)
    if not query:
        return []
    sql = (
        f"SELECT {', '.join('n.' + c.strip() for c in _COLUMNS.split(','))}"
        " FROM notes_fts JOIN notes AS n ON n.id = notes_fts.rowid"
        " WHERE notes_fts MATCH ?"
    )
    params: list[Any] = [query]
    if group_id is not None:
        sql += " AND n.group_id = ?"
        params.append(group_id)
    sql += " ORDER BY notes_fts.rank LIMIT ?"
    params.append(limit)
    return [_note(row) for row in conn.execute(sql, params).fetchall()]
