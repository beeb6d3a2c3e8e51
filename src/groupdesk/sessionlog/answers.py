"""What participants answered before admission: one row per person admitted to a session.

The answers hold personal data (a location, a phone number, an emergency contact);
this file is the only place they are kept, encrypted with the rest of the log, and
they are read back only for facilitators (the lobby, the crisis panel, the notes).
Writers expect the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from groupdesk.core.models import AskedItem, ParticipantAnswers
from groupdesk.sessionlog.records import get_member, get_session, ts

_COLUMNS = (
    "id, session_id, seat, answers, asked, answered_at, member_id, guest_name, unmet,"
    " override_reason, identity_verified, from_previous"
)


def _row(row: tuple[Any, ...]) -> ParticipantAnswers:
    return ParticipantAnswers(
        id=row[0],
        session_id=row[1],
        seat=row[2],
        answers=json.loads(row[3]),
        asked=tuple(AskedItem(**item) for item in json.loads(row[4])),
        answered_at=datetime.fromisoformat(row[5]),
        member_id=row[6],
        guest_name=row[7],
        unmet=tuple(json.loads(row[8])),
        override_reason=row[9],
        identity_verified=bool(row[10]),
        from_previous=tuple(json.loads(row[11])),
    )


def add_participant_answers(conn: Any, answers: ParticipantAnswers) -> ParticipantAnswers:
    """Keep what a person answered when they were admitted (``answers.id`` is ignored).
    The same seat admitted again to the session (after a drop) replaces its row."""
    get_session(conn, answers.session_id)
    if answers.member_id is not None:
        get_member(conn, answers.member_id)
    asked = [{"id": i.id, "kind": i.kind, "required": i.required} for i in answers.asked]
    cursor = conn.execute(
        "INSERT INTO participant_answers (session_id, seat, answers, asked, answered_at,"
        " member_id, guest_name, unmet, override_reason, identity_verified, from_previous)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session_id, seat) DO UPDATE SET answers = excluded.answers,"
        " asked = excluded.asked, answered_at = excluded.answered_at,"
        " member_id = excluded.member_id, guest_name = excluded.guest_name,"
        " unmet = excluded.unmet, override_reason = excluded.override_reason,"
        " identity_verified = excluded.identity_verified,"
        " from_previous = excluded.from_previous"
        " RETURNING id",
        (
            answers.session_id,
            answers.seat,
            json.dumps(dict(answers.answers), ensure_ascii=False),
            json.dumps(asked),
            ts(answers.answered_at),
            answers.member_id,
            answers.guest_name,
            json.dumps(list(answers.unmet)),
            answers.override_reason,
            int(answers.identity_verified),
            json.dumps(list(answers.from_previous)),
        ),
    )
    (row_id,) = cursor.fetchone()
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM participant_answers WHERE id = ?", (row_id,)
    ).fetchone()
    return _row(row)


def participant_answers(conn: Any, session_id: int) -> list[ParticipantAnswers]:
    """Everyone's answers at a session, in the order they were admitted."""
    get_session(conn, session_id)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM participant_answers WHERE session_id = ? ORDER BY answered_at, id",
        (session_id,),
    ).fetchall()
    return [_row(row) for row in rows]


def previous_answers(conn: Any, member_id: int, before_session: int) -> ParticipantAnswers | None:
    """A member's answers at their latest session other than ``before_session``, or None."""
    get_member(conn, member_id)
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM participant_answers"
        " WHERE member_id = ? AND session_id <> ? ORDER BY answered_at DESC, id DESC LIMIT 1",
        (member_id, before_session),
    ).fetchone()
    return None if row is None else _row(row)


def set_identity_verified(conn: Any, session_id: int, seat: str, verified: bool) -> bool:
    """Mark the identity of whoever was admitted in ``seat`` verified (or not); False
    when nobody was admitted there."""
    cursor = conn.execute(
        "UPDATE participant_answers SET identity_verified = ? WHERE session_id = ? AND seat = ?",
        (int(verified), session_id, seat),
    )
    return bool(cursor.rowcount)
