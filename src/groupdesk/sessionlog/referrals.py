"""Referrals: a member referred to a resource of the directory, kept with the member.

Functions take a DB-API connection; writers expect the caller's transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from groupdesk.core.models import Referral
from groupdesk.sessionlog import coverage, notes
from groupdesk.sessionlog.records import get_member, get_session

_COLUMNS = "id, member_id, resource_id, resource_name, created_at, session_id, note_id, detail"


def _referral(row: tuple[Any, ...]) -> Referral:
    ref_id, member_id, resource_id, name, created, session_id, note_id, detail = row
    return Referral(
        id=ref_id,
        member_id=member_id,
        resource_id=resource_id,
        resource_name=name,
        created_at=datetime.fromisoformat(created),
        session_id=session_id,
        note_id=note_id,
        detail=detail,
    )


def add_referral(conn: Any, given: Referral) -> Referral:
    """Keep a referral (``given.id`` is ignored), journaled with its digest."""
    get_member(conn, given.member_id)
    if given.session_id is not None:
        get_session(conn, given.session_id)
    if given.note_id is not None:
        # Refused here with NotFound, not by the foreign key as an IntegrityError.
        note = notes.get(conn, given.note_id)
        if note.member_id not in (None, given.member_id):
            raise ValueError(f"note {note.id} is about another member")
    cursor = conn.execute(
        "INSERT INTO referrals (member_id, session_id, note_id, resource_id, resource_name,"
        " detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            given.member_id,
            given.session_id,
            given.note_id,
            given.resource_id,
            given.resource_name,
            given.detail,
            given.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        ),
    )
    referral_id = int(cursor.lastrowid)
    coverage.referral_kept(conn, referral_id, given.created_at)
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM referrals WHERE id = ?",  # noqa: S608 -- constant columns
        (referral_id,),
    ).fetchone()
    return _referral(row)


def referrals(
    conn: Any, *, member_id: int | None = None, session_id: int | None = None
) -> list[Referral]:
    """Referrals of a member and/or made at a session, oldest first."""
    where: list[str] = []
    params: list[Any] = []
    if member_id is not None:
        where.append("member_id = ?")
        params.append(member_id)
    if session_id is not None:
        where.append("session_id = ?")
        params.append(session_id)
    sql = f"SELECT {_COLUMNS} FROM referrals"  # noqa: S608 -- constant columns
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_referral(row) for row in conn.execute(sql + " ORDER BY id", params).fetchall()]
