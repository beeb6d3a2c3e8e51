"""Crisis incidents: the record the crisis panel leaves when it closes, one row each.

Each protocol step is kept with its text as shown, the time it was ticked and the
observation beside it; then the general observations, the resources used and referred
to (policy ids) and the outcome. It is personal and clinical data: this encrypted file
is the only place it is kept (the journal says ``crisis.recorded`` with the row's id).
Writers expect the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from groupdesk.core.models import CrisisIncident, IncidentStep
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog.records import get_member, get_session, ts

_COLUMNS = (
    "id, session_id, started_at, member_id, ended_at, steps, summary, seat, guest_name,"
    " resources_used, outcome, referral"
)


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _step(item: dict[str, Any]) -> IncidentStep:
    return IncidentStep(
        step=str(item["step"]),
        text=str(item.get("text") or ""),
        done_at=_dt(item.get("done_at")),
        observation=str(item.get("observation") or ""),
    )


def _row(row: tuple[Any, ...]) -> CrisisIncident:
    return CrisisIncident(
        id=row[0],
        session_id=row[1],
        started_at=datetime.fromisoformat(row[2]),
        member_id=row[3],
        ended_at=_dt(row[4]),
        steps=tuple(_step(item) for item in json.loads(row[5])),
        summary=row[6],
        seat=row[7],
        guest_name=row[8],
        resources_used=tuple(json.loads(row[9])),
        outcome=row[10],
        referral=tuple(json.loads(row[11])),
    )


def record_of(session_id: int, incident: Incident) -> CrisisIncident:
    """The validated record of a crisis panel's ``incident`` (its id is set on writing)."""
    return CrisisIncident(
        id=1,
        session_id=session_id,
        started_at=incident.opened_at,
        member_id=incident.member,
        ended_at=incident.closed_at,
        steps=incident.steps,
        summary=incident.observation,
        seat=incident.seat,
        guest_name=incident.guest_name.strip(),
        resources_used=incident.resources_used,
        outcome=incident.outcome or "",
        referral=incident.referral,
    )


def add_incident(conn: Any, record: CrisisIncident) -> CrisisIncident:
    """Keep a crisis incident (``record.id`` is ignored); the stored record comes back."""
    get_session(conn, record.session_id)
    if record.member_id is not None:
        get_member(conn, record.member_id)
    steps = [
        {
            "step": s.step,
            "text": s.text,
            "done_at": ts(s.done_at),
            "observation": s.observation,
        }
        for s in record.steps
    ]
    cursor = conn.execute(
        "INSERT INTO crisis_incidents (session_id, member_id, started_at, ended_at, steps,"
        " summary, seat, guest_name, resources_used, outcome, referral)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.session_id,
            record.member_id,
            ts(record.started_at),
            ts(record.ended_at),
            json.dumps(steps, ensure_ascii=False),
            record.summary,
            record.seat,
            record.guest_name,
            json.dumps(list(record.resources_used)),
            record.outcome,
            json.dumps(list(record.referral)),
        ),
    )
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM crisis_incidents WHERE id = ?", (cursor.lastrowid,)
    ).fetchone()
    return _row(row)


def incidents(conn: Any, session_id: int) -> list[CrisisIncident]:
    """The crisis incidents of a session, in the order they opened."""
    get_session(conn, session_id)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM crisis_incidents WHERE session_id = ? ORDER BY started_at, id",
        (session_id,),
    ).fetchall()
    return [_row(row) for row in rows]
