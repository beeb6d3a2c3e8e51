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

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from groupdesk.core.models import Note, NoteAddendum, NoteDraft, NoteRevision
from groupdesk.sessionlog import coverage
from groupdesk.sessionlog.errors import NoteNotSigned, NoteSigned, NotFound

_COLUMNS = (
    "id, group_id, session_id, member_id, body, revision, created_at, updated_at,"
    " template, signed_by, signed_at"
)
_N_COLUMNS = ", ".join("n." + c.strip() for c in _COLUMNS.split(","))


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


#: Notes found by an addendum checked against the filters one by one (each note's row
#: read, a few microseconds); past this many, the ids the filters keep are gathered.
_CHECKED = 500


def _candidates(
    group_id: int | None,
    member_id: int | None,
    since: date | None,
    until: date | None,
) -> tuple[str, list[Any]] | None:
    """The condition on a note's columns the filters set, and its parameters (None
    without a filter). The notes it keeps are gathered from indexes (group, member,
    session), reading a row only to check what no index holds: the group of the notes
    of the group's sessions in a date window, the date of a note without a session."""
    where: list[str] = []
    params: list[Any] = []
    dated = since is not None or until is not None
    if group_id is not None:
        # With dates, the group's sessions in the window pick the notes (an index on
        # session ids), not the group's every note (each row read for its date).
        where.append("+group_id = ?" if dated else "group_id = ?")
        params.append(group_id)
    if member_id is not None:
        where.append("member_id = ?")
        params.append(member_id)
    if dated:
        start = "coalesce(actual_start, planned_start)"
        window: list[str] = [] if group_id is None else ["group_id = ?"]
        own: list[str] = []
        bounds: list[Any] = []
        if since is not None:
            window.append(f"{start} >= ?")
            own.append("created_at >= ?")
            bounds.append(_day_start(since))
        if until is not None:
            window.append(f"{start} < ?")
            own.append("created_at < ?")
            bounds.append(_day_start(until + timedelta(days=1)))
        where.append(
            f"(session_id IN (SELECT id FROM sessions WHERE {' AND '.join(window)})"
            f" OR (session_id IS NULL AND {' AND '.join(own)}))"
        )
        params.extend([*([] if group_id is None else [group_id]), *bounds, *bounds])
    if not where:
        return None
    return " AND ".join(where), params


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
    """Up to ``limit`` notes whose text (or an addendum's) has every word of ``text``,
    newest first (the note started last comes first; a note revised or found by its
    addendum keeps its note's place), one hit per note: the note's own text when it
    matches, else its newest matching addendum. Filtered by group, member and the date
    of their session (of the note when it has none) from ``since`` to ``until``
    included (UTC days). Accents match with or without them (é, è, ç: the index's
    tokenizer removes diacritics).

    Newest first keeps a search fast whatever the number of matches: the index is read
    in rowid order and stops at ``limit`` (ranking by bm25 scored every match: about
    100 ms for a word in every note of 50,000). Filters are checked on ids from the
    notes' indexes rather than on every matching note's row (each read is decrypted).
    """
    query = fts_query(text)
    if not query or limit <= 0:
        return []
    chosen = _candidates(group_id, member_id, since, until)

    def among_kept(column: str, floor: int = 0) -> tuple[str, list[Any]]:
        # The unary + keeps SQLite from looking each match up in the notes' indexes one
        # by one: the ids the filters keep (newer than ``floor``) are gathered once, then
        # every match is checked against them.
        if chosen is None:
            return "", []
        return (
            f" AND +{column} IN (SELECT id FROM notes WHERE {chosen[0]} AND id > ?)",
            [*chosen[1], floor],
        )

    # The notes whose own text matches: the doclist walked newest first, filtered on
    # ids, each note read (and decrypted) only once it is kept.
    kept, kept_params = among_kept("notes_fts.rowid")
    in_text = conn.execute(
        f"SELECT {_N_COLUMNS}, snippet(notes_fts, 0, '[', ']', '…', 12)"
        " FROM notes_fts CROSS JOIN notes AS n ON n.id = notes_fts.rowid"
        f" WHERE notes_fts MATCH ?{kept} ORDER BY notes_fts.rowid DESC LIMIT ?",
        [query, *kept_params, limit],
    ).fetchall()
    hits = {int(row[0]): NoteHit(note=_note(row[:11]), excerpt=str(row[11])) for row in in_text}
    # The notes found by an addendum: only those newer than the last note found by its
    # own text can still enter the list. With filters, a few are checked one by one
    # (their notes read); past _CHECKED, the ids the filters keep are gathered instead.
    floor = min(hits) if len(hits) >= limit else 0
    by_addendum = conn.execute(
        "SELECT a.note_id, max(a.id) FROM note_addenda AS a WHERE a.note_id > ?"
        " AND +a.id IN (SELECT rowid FROM addenda_fts WHERE addenda_fts MATCH ?)"
        " GROUP BY a.note_id ORDER BY a.note_id DESC LIMIT ?",
        [floor, query, limit if chosen is None else _CHECKED + 1],
    ).fetchall()
    if chosen is not None and len(by_addendum) <= _CHECKED:
        # Each note by its id (NOT INDEXED: whichever SQLite runs it, the same plan).
        passed = {
            int(row[0])
            for row in conn.execute(
                "SELECT notes.id FROM json_each(?) AS j CROSS JOIN notes NOT INDEXED"
                f" ON notes.id = j.value WHERE {chosen[0]}",
                [json.dumps([int(n) for n, _a in by_addendum]), *chosen[1]],
            )
        }
        by_addendum = [(n, a) for n, a in by_addendum if int(n) in passed][:limit]
    elif chosen is not None:
        kept, kept_params = among_kept("a.note_id", floor)
        by_addendum = conn.execute(
            "SELECT a.note_id, max(a.id) FROM note_addenda AS a WHERE a.note_id > ?"
            " AND +a.id IN (SELECT rowid FROM addenda_fts WHERE addenda_fts MATCH ?)"
            f"{kept} GROUP BY a.note_id ORDER BY a.note_id DESC LIMIT ?",
            [floor, query, *kept_params, limit],
        ).fetchall()
    extra = {int(n): int(a) for n, a in by_addendum if int(n) not in hits}
    listed = sorted({*hits, *extra}, reverse=True)[:limit]
    extra = {n: extra[n] for n in listed if n in extra}
    if extra:
        # The ids as one JSON parameter: any ``limit`` stays under SQLite's count of them.
        ids = sorted(extra.values())
        excerpts = dict(
            conn.execute(
                "SELECT rowid, snippet(addenda_fts, 0, '[', ']', '…', 12) FROM addenda_fts"
                " WHERE addenda_fts MATCH ? AND rowid BETWEEN ? AND ?"
                " AND +rowid IN (SELECT value FROM json_each(?))",
                [query, ids[0], ids[-1], json.dumps(ids)],
            ).fetchall()
        )
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM notes WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(extra))],
        ).fetchall()
        for row in rows:
            addendum = extra[int(row[0])]
            hits[int(row[0])] = NoteHit(
                note=_note(row), excerpt=str(excerpts.get(addendum, "")), addendum=addendum
            )
    # A note deleted between these reads (retention) is simply not listed.
    return [hits[note_id] for note_id in listed if note_id in hits]


def search(conn: Any, text: str, *, group_id: int | None = None, limit: int = 100) -> list[Note]:
    """Notes whose text (or an addendum's) matches every word of ``text``, newest first."""
    return [hit.note for hit in search_hits(conn, text, group_id=group_id, limit=limit)]
