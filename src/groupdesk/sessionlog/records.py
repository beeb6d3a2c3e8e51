"""Groups, members, sessions, attendance and checklist results (crisis incidents: incidents.py).

Rows are parsed into the validated models of ``groupdesk.core.models``; values
are validated by building the model before anything is written. Writers expect
the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from groupdesk.core.models import (
    Attendance,
    ChecklistResult,
    Group,
    Member,
    Modality,
    Session,
    SessionKind,
)
from groupdesk.sessionlog import coverage
from groupdesk.sessionlog.errors import NotFound, NotIndividual


def ts(value: datetime | None) -> str | None:
    """A stored time: ISO 8601 in UTC, so that text order is time order."""
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _need(row: tuple[Any, ...] | None, what: str, ident: int) -> tuple[Any, ...]:
    if row is None:
        raise NotFound(what=what, id=ident)
    return row


# -- groups ---------------------------------------------------------------
_GROUP = "id, name, description, archived, created_at"


def _group(row: tuple[Any, ...]) -> Group:
    return Group(
        id=row[0],
        name=row[1],
        description=row[2],
        archived=bool(row[3]),
        created_at=_dt(row[4]),
    )


def get_group(conn: Any, group_id: int) -> Group:
    """One group by id."""
    row = conn.execute(f"SELECT {_GROUP} FROM groups WHERE id = ?", (group_id,)).fetchone()
    return _group(_need(row, "group", group_id))


def create_group(conn: Any, name: str, description: str, now: datetime) -> Group:
    """A new group."""
    Group(id=1, name=name, description=description)
    cursor = conn.execute(
        "INSERT INTO groups (name, description, created_at) VALUES (?, ?, ?)",
        (name, description, ts(now)),
    )
    return get_group(conn, int(cursor.lastrowid))


def update_group(
    conn: Any, group_id: int, *, name: str | None = None, description: str | None = None
) -> Group:
    """Rename a group or change its description."""
    current = get_group(conn, group_id)
    new = Group(
        id=group_id,
        name=current.name if name is None else name,
        description=current.description if description is None else description,
        archived=current.archived,
        created_at=current.created_at,
    )
    conn.execute(
        "UPDATE groups SET name = ?, description = ? WHERE id = ?",
        (new.name, new.description, group_id),
    )
    return new


def archive_group(conn: Any, group_id: int, archived: bool = True) -> Group:
    """Hide a group from the default list (its records stay)."""
    get_group(conn, group_id)
    conn.execute("UPDATE groups SET archived = ? WHERE id = ?", (int(archived), group_id))
    return get_group(conn, group_id)


def list_groups(conn: Any, include_archived: bool = False) -> list[Group]:
    """Groups by name."""
    where = "" if include_archived else " WHERE archived = 0"
    rows = conn.execute(f"SELECT {_GROUP} FROM groups{where} ORDER BY name, id").fetchall()
    return [_group(row) for row in rows]


# -- members --------------------------------------------------------------
MEMBER_FIELDS = (
    "display_name",
    "pseudonym",
    "phone",
    "emergency_contact",
    "region",
    "language",
    "modality",
    "consent",
)
MEMBER_COLUMNS = "id, group_id, " + ", ".join(MEMBER_FIELDS) + ", archived"


def member_row(row: tuple[Any, ...]) -> Member:
    """A member from a row of ``MEMBER_COLUMNS``."""
    return Member(*row)


def get_member(conn: Any, member_id: int) -> Member:
    """One member by id."""
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)
    ).fetchone()
    return member_row(_need(row, "member", member_id))


def add_member(conn: Any, group_id: int, fields: Mapping[str, Any], now: datetime) -> Member:
    """A new member of a group."""
    get_group(conn, group_id)
    probe = Member(id=1, group_id=group_id, **fields)
    values = [str(getattr(probe, f)) for f in MEMBER_FIELDS]
    cursor = conn.execute(
        f"INSERT INTO members (group_id, {', '.join(MEMBER_FIELDS)}, created_at)"
        f" VALUES (?, {', '.join('?' * len(MEMBER_FIELDS))}, ?)",
        (group_id, *values, ts(now)),
    )
    return get_member(conn, int(cursor.lastrowid))


def update_member(conn: Any, member_id: int, changes: Mapping[str, Any]) -> Member:
    """Change some fields of a member."""
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"unknown member fields: {sorted(unknown)}")
    current = get_member(conn, member_id)
    merged = {f: getattr(current, f) for f in MEMBER_FIELDS} | dict(changes)
    new = Member(id=member_id, group_id=current.group_id, archived=current.archived, **merged)
    conn.execute(
        f"UPDATE members SET {', '.join(f + ' = ?' for f in MEMBER_FIELDS)} WHERE id = ?",
        (*[str(getattr(new, f)) for f in MEMBER_FIELDS], member_id),
    )
    return new


def archive_member(conn: Any, member_id: int, archived: bool = True) -> Member:
    """Hide a member from the default list (their records stay)."""
    get_member(conn, member_id)
    conn.execute("UPDATE members SET archived = ? WHERE id = ?", (int(archived), member_id))
    return get_member(conn, member_id)


def list_members(conn: Any, group_id: int, include_archived: bool = False) -> list[Member]:
    """The members of a group, by display name."""
    where = "" if include_archived else " AND archived = 0"
    rows = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE group_id = ?{where} ORDER BY display_name, id",
        (group_id,),
    ).fetchall()
    return [member_row(row) for row in rows]


# -- sessions -------------------------------------------------------------
_SESSION = (
    "id, group_id, planned_start, planned_end, modality, facilitators, actual_start, actual_end,"
    " kind"
)


def _session(row: tuple[Any, ...]) -> Session:
    return Session(
        id=row[0],
        group_id=row[1],
        planned_start=datetime.fromisoformat(row[2]),
        planned_end=datetime.fromisoformat(row[3]),
        modality=Modality(row[4]),
        facilitators=tuple(json.loads(row[5])),
        actual_start=_dt(row[6]),
        actual_end=_dt(row[7]),
        kind=SessionKind(row[8]),
    )


def get_session(conn: Any, session_id: int) -> Session:
    """One session by id."""
    row = conn.execute(f"SELECT {_SESSION} FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return _session(_need(row, "session", session_id))


def create_session(
    conn: Any,
    group_id: int,
    planned_start: datetime,
    planned_end: datetime,
    *,
    modality: Modality | str,
    facilitators: Sequence[str],
    expected_member_ids: Sequence[int] = (),
    kind: SessionKind | str = SessionKind.GROUP,
) -> Session:
    """Plan a session of a group, with the members expected at it (a one-to-one
    meeting: exactly one)."""
    get_group(conn, group_id)
    kind = SessionKind(kind)
    if kind is SessionKind.INDIVIDUAL and len(set(expected_member_ids)) != 1:
        raise NotIndividual(count=len(set(expected_member_ids)))
    for member_id in expected_member_ids:
        if get_member(conn, member_id).group_id != group_id:
            raise ValueError(f"member {member_id} is not in group {group_id}")
    probe = Session(
        id=1,
        group_id=group_id,
        planned_start=planned_start,
        planned_end=planned_end,
        modality=Modality(modality),
        facilitators=tuple(facilitators),
        kind=kind,
    )
    cursor = conn.execute(
        "INSERT INTO sessions (group_id, planned_start, planned_end, modality, facilitators,"
        " kind) VALUES (?, ?, ?, ?, ?, ?)",
        (
            group_id,
            ts(planned_start),
            ts(planned_end),
            str(probe.modality),
            json.dumps(list(probe.facilitators), ensure_ascii=False),
            str(probe.kind),
        ),
    )
    session_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO expected_members (session_id, member_id) VALUES (?, ?)",
        [(session_id, member_id) for member_id in dict.fromkeys(expected_member_ids)],
    )
    return get_session(conn, session_id)


def expected_members(conn: Any, session_id: int) -> list[int]:
    """The ids of the members expected at a session."""
    get_session(conn, session_id)
    rows = conn.execute(
        "SELECT member_id FROM expected_members WHERE session_id = ? ORDER BY member_id",
        (session_id,),
    ).fetchall()
    return [int(row[0]) for row in rows]


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """How many members were expected at a session, and how many joined it."""

    expected: int
    attended: int


def session_counts(conn: Any, group_id: int | None = None) -> dict[int, SessionCounts]:
    """Expected and attending members of every session (of one group), by session id."""
    where, params = ("", ()) if group_id is None else (" WHERE s.group_id = ?", (group_id,))
    rows = conn.execute(
        "SELECT s.id,"
        " (SELECT count(*) FROM expected_members AS e WHERE e.session_id = s.id),"
        " (SELECT count(DISTINCT a.member_id) FROM attendance AS a WHERE a.session_id = s.id)"
        f" FROM sessions AS s{where}",
        params,
    ).fetchall()
    return {int(r[0]): SessionCounts(expected=int(r[1]), attended=int(r[2])) for r in rows}


def set_session_time(conn: Any, session_id: int, column: str, when: datetime) -> Session:
    """Record the actual start or end of a session."""
    if column not in ("actual_start", "actual_end"):
        raise ValueError(column)
    current = get_session(conn, session_id)
    Session(
        id=current.id,
        group_id=current.group_id,
        planned_start=current.planned_start,
        planned_end=current.planned_end,
        modality=current.modality,
        facilitators=current.facilitators,
        actual_start=when if column == "actual_start" else current.actual_start,
        actual_end=when if column == "actual_end" else current.actual_end,
        kind=current.kind,
    )
    conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (ts(when), session_id))
    return get_session(conn, session_id)


def list_sessions(conn: Any, group_id: int | None = None) -> list[Session]:
    """Sessions by planned start (all groups, or one)."""
    if group_id is None:
        rows = conn.execute(f"SELECT {_SESSION} FROM sessions ORDER BY planned_start, id")
    else:
        rows = conn.execute(
            f"SELECT {_SESSION} FROM sessions WHERE group_id = ? ORDER BY planned_start, id",
            (group_id,),
        )
    return [_session(row) for row in rows.fetchall()]


# -- attendance -----------------------------------------------------------
_ATTENDANCE = "id, session_id, member_id, joined_at, left_at, guest_name, in_room"


def _attendance(row: tuple[Any, ...]) -> Attendance:
    return Attendance(
        id=row[0],
        session_id=row[1],
        member_id=row[2],
        joined_at=datetime.fromisoformat(row[3]),
        left_at=_dt(row[4]),
        guest_name=row[5],
        in_room=bool(row[6]),
    )


def record_join(
    conn: Any,
    session_id: int,
    member_id: int | None,
    when: datetime,
    guest_name: str = "",
    *,
    in_room: bool = False,
) -> Attendance:
    """A group member (``member_id``) or a guest (``guest_name``, as declared) joined,
    on the call or (``in_room``) present in the room of a hybrid session; journaled."""
    get_session(conn, session_id)
    if member_id is not None:
        get_member(conn, member_id)
    guest_name = guest_name.strip()
    Attendance(
        id=1, session_id=session_id, member_id=member_id, joined_at=when, guest_name=guest_name
    )
    cursor = conn.execute(
        "INSERT INTO attendance (session_id, member_id, guest_name, joined_at, in_room)"
        " VALUES (?, ?, ?, ?, ?)",
        (session_id, member_id, guest_name, ts(when), int(in_room)),
    )
    coverage.stay_kept(conn, int(cursor.lastrowid), when)
    row = conn.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE id = ?", (cursor.lastrowid,)
    ).fetchone()
    return _attendance(row)


def _close(conn: Any, stay: Attendance, when: datetime) -> Attendance:
    closed = Attendance(
        id=stay.id,
        session_id=stay.session_id,
        member_id=stay.member_id,
        joined_at=stay.joined_at,
        left_at=when,
        guest_name=stay.guest_name,
        in_room=stay.in_room,
    )
    conn.execute("UPDATE attendance SET left_at = ? WHERE id = ?", (ts(when), stay.id))
    coverage.stay_kept(conn, stay.id, when)
    return closed


def record_leave(conn: Any, session_id: int, member_id: int, when: datetime) -> Attendance:
    """The member left: closes their open stay in the session."""
    row = conn.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE session_id = ? AND member_id = ?"
        " AND left_at IS NULL ORDER BY joined_at DESC, id DESC LIMIT 1",
        (session_id, member_id),
    ).fetchone()
    return _close(conn, _attendance(_need(row, "attendance", member_id)), when)


def close_stay(conn: Any, session_id: int, stay_id: int, when: datetime) -> Attendance:
    """One stay (a member's or a guest's) ends: the person left."""
    row = conn.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE session_id = ? AND id = ? AND left_at IS NULL",
        (session_id, stay_id),
    ).fetchone()
    return _close(conn, _attendance(_need(row, "attendance", stay_id)), when)


def group_attendance(conn: Any, group_id: int) -> dict[int, list[Attendance]]:
    """Every stay in every session of a group, by session id (by join time within)."""
    rows = conn.execute(
        f"SELECT {', '.join('a.' + c.strip() for c in _ATTENDANCE.split(','))}"
        " FROM attendance AS a JOIN sessions AS s ON s.id = a.session_id"
        " WHERE s.group_id = ? ORDER BY a.joined_at, a.id",
        (group_id,),
    ).fetchall()
    stays: dict[int, list[Attendance]] = {}
    for row in rows:
        stay = _attendance(row)
        stays.setdefault(stay.session_id, []).append(stay)
    return stays


def group_expected(conn: Any, group_id: int) -> dict[int, list[int]]:
    """The members expected at each session of a group, by session id."""
    rows = conn.execute(
        "SELECT e.session_id, e.member_id FROM expected_members AS e"
        " JOIN sessions AS s ON s.id = e.session_id WHERE s.group_id = ?"
        " ORDER BY e.session_id, e.member_id",
        (group_id,),
    ).fetchall()
    expected: dict[int, list[int]] = {}
    for session_id, member_id in rows:
        expected.setdefault(int(session_id), []).append(int(member_id))
    return expected


def attendance(conn: Any, session_id: int) -> list[Attendance]:
    """Every stay in a session, by join time."""
    rows = conn.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE session_id = ? ORDER BY joined_at, id",
        (session_id,),
    ).fetchall()
    return [_attendance(row) for row in rows]


# -- checklists -----------------------------------------------------------
def add_checklist_result(
    conn: Any,
    session_id: int,
    checklist: str,
    answers: Mapping[str, bool],
    *,
    completed_at: datetime,
    member_id: int | None = None,
) -> ChecklistResult:
    """Record the answers to a checklist."""
    get_session(conn, session_id)
    probe = ChecklistResult(
        id=1,
        session_id=session_id,
        checklist=checklist,
        answers=answers,
        member_id=member_id,
        completed_at=completed_at,
    )
    cursor = conn.execute(
        "INSERT INTO checklist_results (session_id, member_id, checklist, answers, completed_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            session_id,
            member_id,
            checklist,
            json.dumps(dict(probe.answers), ensure_ascii=False),
            ts(completed_at),
        ),
    )
    return ChecklistResult(
        id=int(cursor.lastrowid),
        session_id=session_id,
        checklist=checklist,
        answers=answers,
        member_id=member_id,
        completed_at=completed_at,
    )


def checklist_results(conn: Any, session_id: int) -> list[ChecklistResult]:
    """The checklist results of a session."""
    rows = conn.execute(
        "SELECT id, session_id, checklist, answers, member_id, completed_at"
        " FROM checklist_results WHERE session_id = ? ORDER BY id",
        (session_id,),
    ).fetchall()
    return [
        ChecklistResult(
            id=r[0],
            session_id=r[1],
            checklist=r[2],
            answers=json.loads(r[3]),
            member_id=r[4],
            completed_at=_dt(r[5]),
        )
        for r in rows
    ]
