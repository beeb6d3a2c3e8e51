"""Notes: the current text, every revision kept, the text being typed (a draft), the
signature that fixes a note, dated addenda after it, and full-text search (FTS5).

A note is written as revisions: each kept text is a row of ``note_revisions``, journaled
with its digest (coverage.py). While the practitioner types, the text is autosaved as
the note's draft (one row, replaced), which ``keep_draft`` turns into a revision; a crash
or a lock loses nothing the draft holds. Signing fixes the text (a trigger refuses any
change); what comes after is an addendum, dated and signed by its author.

Functions take a DB-API connection; writers expect the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from groupdesk.core.models import Note, NoteAddendum, NoteDraft, NoteRevision
from groupdesk.sessionlog import coverage
from groupdesk.sessionlog.errors import NoteNotSigned, NoteSigned, NotFound

_FIELDS = (
    "id, group_id, session_id, member_id, body, revision, created_at, updated_at,"
    " template, signed_by, signed_at"
)
_COLUMNS = _FIELDS
_N_COLUMNS = ", ".join("n." + c.strip() for c in _FIELDS.split(","))


def _ts(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="microseconds")


def _note(row: tuple[Any, ...]) -> Note:
    note_id, group_id, session_id, member_id, body, revision, created, updated = row[:8]
    template, signed_by, signed_at = row[8:11]
    return Note(
        id=note_id,
        group_id=group_id,
        session_id=session_id,
        member_id=member_id,
        body=body,
        revision=revision,
        created_at=datetime.fromisoformat(created),
        updated_at=datetime.fromisoformat(updated),
        template=template,
        signed_by=signed_by,
        signed_at=None if signed_at is None else datetime.fromisoformat(signed_at),
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
    template: str = "",
) -> Note:
    """Write a new note (revision 1), journaled."""
    Note(
        id=1,
        group_id=group_id,
        body=body,
        session_id=session_id,
        member_id=member_id,
        template=template,
    )
    ts = _ts(now)
    cursor = conn.execute(
        "INSERT INTO notes (group_id, session_id, member_id, body, revision, created_at,"
        " updated_at, template) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
        (group_id, session_id, member_id, body, ts, ts, template),
    )
    note_id = int(cursor.lastrowid)
    conn.execute(
        "INSERT INTO note_revisions (note_id, revision, body, created_at) VALUES (?, 1, ?, ?)",
        (note_id, body, ts),
    )
    coverage.revision_kept(conn, note_id, 1, now)
    return get(conn, note_id)


def revise(conn: Any, note_id: int, body: str, now: datetime) -> Note:
    """Keep a new text for a note (the previous texts stay in its history), journaled;
    its draft, if any, is done with. A signed note refuses (``NoteSigned``): add an
    addendum instead. The same text as now is not a new revision."""
    current = get(conn, note_id)
    if current.signed:
        raise NoteSigned(id=note_id)
    Note(id=note_id, group_id=current.group_id, body=body)  # validates the text
    conn.execute("DELETE FROM note_drafts WHERE note_id = ?", (note_id,))
    if body == current.body:
        return current
    revision = current.revision + 1
    ts = _ts(now)
    conn.execute(
        "UPDATE notes SET body = ?, revision = ?, updated_at = ? WHERE id = ?",
        (body, revision, ts, note_id),
    )
    conn.execute(
        "INSERT INTO note_revisions (note_id, revision, body, created_at) VALUES (?, ?, ?, ?)",
        (note_id, revision, body, ts),
    )
    coverage.revision_kept(conn, note_id, revision, now)
    return get(conn, note_id)


def history(conn: Any, note_id: int) -> list[NoteRevision]:
    """Every kept text of a note, oldest first."""
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


# -- drafts ---------------------------------------------------------------------
def save_draft(conn: Any, note_id: int, body: str, now: datetime) -> NoteDraft:
    """Autosave the text being typed (replaces the note's previous draft)."""
    current = get(conn, note_id)
    if current.signed:
        raise NoteSigned(id=note_id)
    draft = NoteDraft(note_id=note_id, body=body, saved_at=now)
    conn.execute(
        "INSERT INTO note_drafts (note_id, body, saved_at) VALUES (?, ?, ?)"
        " ON CONFLICT(note_id) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
        (note_id, body, _ts(now)),
    )
    return draft


def draft(conn: Any, note_id: int) -> NoteDraft | None:
    """The note's autosaved text not yet kept as a revision, or None."""
    row = conn.execute(
        "SELECT note_id, body, saved_at FROM note_drafts WHERE note_id = ?", (note_id,)
    ).fetchone()
    if row is None:
        return None
    return NoteDraft(note_id=row[0], body=row[1], saved_at=datetime.fromisoformat(row[2]))


def keep_draft(conn: Any, note_id: int, now: datetime) -> Note:
    """Turn the note's draft into a revision (nothing to do without one)."""
    pending = draft(conn, note_id)
    if pending is None:
        return get(conn, note_id)
    return revise(conn, note_id, pending.body, now)


def drafts(conn: Any) -> list[NoteDraft]:
    """Every draft not yet kept (what a crash or a lock left), oldest first."""
    rows = conn.execute("SELECT note_id, body, saved_at FROM note_drafts ORDER BY saved_at")
    return [
        NoteDraft(note_id=n, body=b, saved_at=datetime.fromisoformat(s))
        for n, b, s in rows.fetchall()
    ]


# -- signature and addenda ----------------------------------------------------------
def sign(conn: Any, note_id: int, signer: str, now: datetime) -> Note:
    """Sign a note as ``signer``: its draft is kept first, then its text is fixed."""
    keep_draft(conn, note_id, now)
    current = get(conn, note_id)
    if current.signed:
        raise NoteSigned(id=note_id)
    Note(
        id=note_id,
        group_id=current.group_id,
        body=current.body,
        signed_by=signer.strip(),
        signed_at=now,
    )  # validates the name
    conn.execute(
        "UPDATE notes SET signed_by = ?, signed_at = ? WHERE id = ?",
        (signer.strip(), _ts(now), note_id),
    )
    coverage.signature_kept(conn, note_id, now)
    return get(conn, note_id)


def add_addendum(conn: Any, note_id: int, body: str, author: str, now: datetime) -> NoteAddendum:
    """Add a dated addendum to a signed note (an unsigned note is simply revised)."""
    current = get(conn, note_id)
    if not current.signed:
        raise NoteNotSigned(id=note_id)
    NoteAddendum(id=1, note_id=note_id, body=body, author=author.strip(), created_at=now)
    cursor = conn.execute(
        "INSERT INTO note_addenda (note_id, body, author, created_at) VALUES (?, ?, ?, ?)",
        (note_id, body, author.strip(), _ts(now)),
    )
    addendum_id = int(cursor.lastrowid)
    coverage.addendum_kept(conn, addendum_id, now)
    return NoteAddendum(
        id=addendum_id, note_id=note_id, body=body, author=author.strip(), created_at=now
    )


def addenda(conn: Any, note_id: int) -> list[NoteAddendum]:
    """A note's addenda, oldest first."""
    rows = conn.execute(
        "SELECT id, note_id, body, author, created_at FROM note_addenda"
        " WHERE note_id = ? ORDER BY id",
        (note_id,),
    ).fetchall()
    return [
        NoteAddendum(id=i, note_id=n, body=b, author=a, created_at=datetime.fromisoformat(c))
        for i, n, b, a, c in rows
    ]


# -- listing -------------------------------------------------------------------------
def list_notes(
    conn: Any,
    *,
    group_id: int | None = None,
    session_id: int | None = None,
    member_id: int | None = None,
) -> list[Note]:
    """Notes of a group, a session and/or a member, oldest first."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("group_id", group_id), ("session_id", session_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if member_id is not None:
        where.append("member_id = ?")
        params.append(member_id)
    sql = f"SELECT {_COLUMNS} FROM notes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_note(row) for row in conn.execute(sql + " ORDER BY id", params).fetchall()]


# -- search --------------------------------------------------------------------------
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold(text: str) -> str:
    """The ligatures spelled out, as the index holds them (migration 10's ``fold``)."""
    return text.translate(_LIGATURES)


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a person typed: every word, as a prefix, all required."""
    # A control character (NUL above all) ends an FTS5 string early: SQLite then
    # refuses the query ("unterminated string") instead of finding nothing.
    printable = "".join(c if c.isprintable() else " " for c in fold(text))
    words = [w for w in printable.split() if w.strip('"')]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A note that matches a search: the note, and a short excerpt around the match
    (``[`` and ``]`` mark the matched words; in an addendum when ``addendum`` is set)."""

    note: Note
    excerpt: str
    addendum: int | None = None


def _day_start(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat(timespec="microseconds")


def search_hits(
    conn: Any,
    text: str,
    *,
    group_id: int | None = None,
    member_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 100,
) -> list[NoteHit]:
    """Notes whose text (or an addendum's) has every word of ``text``, best match first,
    filtered by group, member and the date of their session (of the note when it has
    none) from ``since`` to ``until`` included (UTC days). Accents match with or without
    them (é, è, ç: the index's tokenizer removes diacritics)."""
    query = fts_query(text)
    if not query:
        return []
    where: list[str] = []
    params: list[Any] = []
    if group_id is not None:
        where.append("n.group_id = ?")
        params.append(group_id)
    if member_id is not None:
        where.append("n.member_id = ?")
        params.append(member_id)
    when = (
        "coalesce((SELECT coalesce(s.actual_start, s.planned_start) FROM sessions AS s"
        " WHERE s.id = n.session_id), n.created_at)"
    )
    if since is not None:
        where.append(f"{when} >= ?")
        params.append(_day_start(since))
    if until is not None:
        where.append(f"{when} < ?")
        params.append(_day_start(until + timedelta(days=1)))
    filters = "".join(" AND " + w for w in where)
    sql = (
        f"SELECT {_N_COLUMNS}, snippet(notes_fts, 0, '[', ']', '…', 12), notes_fts.rank, NULL"
        " FROM notes_fts JOIN notes AS n ON n.id = notes_fts.rowid"
        f" WHERE notes_fts MATCH ?{filters}"
        " UNION ALL "
        f"SELECT {_N_COLUMNS}, snippet(addenda_fts, 0, '[', ']', '…', 12), addenda_fts.rank, a.id"
        " FROM addenda_fts JOIN note_addenda AS a ON a.id = addenda_fts.rowid"
        " JOIN notes AS n ON n.id = a.note_id"
        f" WHERE addenda_fts MATCH ?{filters}"
        " ORDER BY 13 LIMIT ?"
    )
    rows = conn.execute(sql, [query, *params, query, *params, limit]).fetchall()
    hits: list[NoteHit] = []
    seen: set[int] = set()
    for row in rows:
        note = _note(row[:11])
        if note.id in seen:
            continue
        seen.add(note.id)
        hits.append(NoteHit(note=note, excerpt=str(row[11]), addendum=row[13]))
    return hits


def search(conn: Any, text: str, *, group_id: int | None = None, limit: int = 100) -> list[Note]:
    """Notes whose text matches every word of ``text``, best match first."""
    return [hit.note for hit in search_hits(conn, text, group_id=group_id, limit=limit)]
