"""Retention: delete what is past the organisation's period, then make it unrecoverable.

A member's records are kept until ``retention_years`` after their last session
(their last join; their creation date if they never attended). A session is
purged once it ended before the cutoff and everyone who attended it is past
their own period too, so the history of someone still active is not cut. The
journal keeps its rows (the chain must still verify) but loses the text of
purged sessions' events: payload and salt are set to NULL, the digest stays.
The purge is itself journaled (counts only). Afterwards the FTS index is
merged and the file VACUUMed (with secure_delete on), so purged text is gone
from the file even for someone who has the key. ``preview`` shows what a purge would
delete, from the same selection (``_select``), without changing anything.
"""

# ruff: noqa: S608 -- SQL splices only integer id lists built here; values are bound.
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from groupdesk.core.journal_kinds import RetentionPurge
from groupdesk.sessionlog import coverage, journal
from groupdesk.sessionlog.records import ts

log = logging.getLogger(__name__)

DEFAULT_RETENTION_YEARS = 5


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed (counts only) and the cutoff it used."""

    cutoff: datetime
    retention_years: int
    sessions: int
    members: int
    notes: int
    journal_redacted: int


def cutoff_for(now: datetime, years: int) -> datetime:
    """``now`` minus ``years`` calendar years (29 February becomes the 28th)."""
    if years < 1:
        raise ValueError("the retention period is at least one year")
    now = now.astimezone(UTC)
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _ids(conn: Any, sql: str, *params: Any) -> list[int]:
    return [int(row[0]) for row in conn.execute(sql, params).fetchall()]


def _in(ids: list[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in ids) + ")"


@dataclass(frozen=True, slots=True)
class _Selection:
    """The ids of every row a purge at ``cutoff`` removes (one query each)."""

    cutoff: datetime
    members: list[int]
    sessions: list[int]
    notes: list[int]
    stays: list[int]
    referrals: list[int]


def _select(conn: Any, now: datetime, retention_years: int) -> _Selection:
    """What is past the period: the one selection both the preview and the purge use."""
    cutoff = cutoff_for(now, retention_years)
    limit = ts(cutoff)
    members = _ids(
        conn,
        "SELECT m.id FROM members AS m WHERE coalesce("
        " (SELECT max(a.joined_at) FROM attendance AS a WHERE a.member_id = m.id),"
        " m.created_at) < ? ORDER BY m.id",
        limit,
    )
    gone = _in(members)
    sessions = _ids(
        conn,
        "SELECT s.id FROM sessions AS s"
        " WHERE coalesce(s.actual_end, s.planned_end) < ?"
        # a member still kept keeps the session; a guest's stay goes with it
        f" AND NOT EXISTS (SELECT 1 FROM attendance AS a WHERE a.session_id = s.id"
        f"  AND a.member_id IS NOT NULL AND a.member_id NOT IN {gone}) ORDER BY s.id",
        limit,
    )
    old = _in(sessions)
    note_ids = _ids(
        conn,
        f"SELECT id FROM notes WHERE session_id IN {old} OR member_id IN {gone} ORDER BY id",
    )
    stay_ids = _ids(
        conn, f"SELECT id FROM attendance WHERE session_id IN {old} OR member_id IN {gone}"
    )
    referral_ids = _ids(
        conn,
        f"SELECT id FROM referrals WHERE session_id IN {old} OR member_id IN {gone}"
        f" OR note_id IN {_in(note_ids)}",
    )
    return _Selection(cutoff, members, sessions, note_ids, stay_ids, referral_ids)


@dataclass(frozen=True, slots=True)
class PreviewSession:
    """A session a purge would delete: its id, its group's name and its date."""

    id: int
    group_name: str
    start: datetime


@dataclass(frozen=True, slots=True)
class PreviewMember:
    """A member a purge would delete: id and display name."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PurgePreview:
    """What a purge at ``cutoff`` would remove, without removing anything."""

    cutoff: datetime
    retention_years: int
    sessions: tuple[PreviewSession, ...]
    members: tuple[PreviewMember, ...]
    notes: int
    stays: int
    referrals: int

    @property
    def empty(self) -> bool:
        """Nothing to purge."""
        return not (self.sessions or self.members or self.notes or self.stays or self.referrals)


def preview(conn: Any, now: datetime, retention_years: int) -> PurgePreview:
    """What ``purge_in_transaction`` would delete at ``now`` (reads only)."""
    chosen = _select(conn, now, retention_years)
    sessions = tuple(
        PreviewSession(int(i), str(name), datetime.fromisoformat(start))
        for i, name, start in conn.execute(
            "SELECT s.id, g.name, coalesce(s.actual_start, s.planned_start)"
            " FROM sessions AS s JOIN groups AS g ON g.id = s.group_id"
            f" WHERE s.id IN {_in(chosen.sessions)} ORDER BY 3, s.id"
        ).fetchall()
    )
    members = tuple(
        PreviewMember(int(i), str(name))
        for i, name in conn.execute(
            f"SELECT id, display_name FROM members WHERE id IN {_in(chosen.members)} ORDER BY id"
        ).fetchall()
    )
    return PurgePreview(
        cutoff=chosen.cutoff,
        retention_years=retention_years,
        sessions=sessions,
        members=members,
        notes=len(chosen.notes),
        stays=len(chosen.stays),
        referrals=len(chosen.referrals),
    )


def purge_in_transaction(conn: Any, now: datetime, retention_years: int) -> PurgeReport:
    """Delete and redact everything past the period (inside the caller's transaction)."""
    chosen = _select(conn, now, retention_years)
    cutoff, limit = chosen.cutoff, ts(chosen.cutoff)
    members, sessions, note_ids = chosen.members, chosen.sessions, chosen.notes
    stay_ids, referral_ids = chosen.stays, chosen.referrals
    gone, old, notes = _in(members), _in(sessions), _in(note_ids)
    redacted = conn.execute(
        f"UPDATE journal SET payload = NULL, salt = NULL"
        f" WHERE session_id IN {old} AND payload IS NOT NULL"
    ).rowcount
    # The journal entries that cover what goes (a note of a kept session, a stay of a
    # member whose period is over) are redacted too: their rows are gone on purpose.
    redacted += coverage.redact(conn, notes=note_ids, stays=stay_ids, referrals=referral_ids)
    conn.execute(f"DELETE FROM referrals WHERE id IN {_in(referral_ids)}")
    conn.execute(f"DELETE FROM note_drafts WHERE note_id IN {notes}")
    conn.execute(f"DELETE FROM note_addenda WHERE note_id IN {notes}")
    conn.execute(f"DELETE FROM note_revisions WHERE note_id IN {notes}")
    conn.execute(f"DELETE FROM notes WHERE id IN {notes}")
    for table in ("attendance", "checklist_results", "participant_answers", "crisis_incidents"):
        conn.execute(f"DELETE FROM {table} WHERE session_id IN {old} OR member_id IN {gone}")
    conn.execute(f"DELETE FROM sessions WHERE id IN {old}")
    conn.execute(f"DELETE FROM consents WHERE member_id IN {gone}")
    conn.execute(f"DELETE FROM members WHERE id IN {gone}")
    report = PurgeReport(
        cutoff=cutoff,
        retention_years=retention_years,
        sessions=len(sessions),
        members=len(members),
        notes=len(note_ids),
        journal_redacted=int(redacted),
    )
    purged = RetentionPurge(
        "retention.purged",
        cutoff=limit,
        retention_years=retention_years,
        sessions=report.sessions,
        members=report.members,
        notes=report.notes,
        journal_redacted=report.journal_redacted,
    )
    journal.append(conn, None, purged, now)
    # Merge the FTS segments so no token of a deleted note survives in the index.
    conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO addenda_fts(addenda_fts) VALUES ('optimize')")
    return report


def compact(conn: Any) -> None:
    """VACUUM and empty the WAL, so deleted pages leave the file (outside a transaction)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
