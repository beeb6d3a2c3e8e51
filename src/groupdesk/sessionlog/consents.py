"""Members' consents to the remote modality: to which version, when, how.

A consent is only ever added (a new version of the text needs a new consent); the
member's ``consent`` status follows: recording one sets it to ``given``. Writers
expect the caller's transaction.
"""

# ruff: noqa: S608 -- f-strings only splice module constants (column lists); values are bound.
from __future__ import annotations

from datetime import datetime
from typing import Any

from groupdesk.core.models import Consent, ConsentMethod, ConsentStatus, Member
from groupdesk.sessionlog.records import MEMBER_COLUMNS, get_group, get_member, member_row, ts

_CONSENT = "id, member_id, version, given_at, method"


def _consent(row: tuple[Any, ...]) -> Consent:
    return Consent(
        id=row[0],
        member_id=row[1],
        version=row[2],
        given_at=datetime.fromisoformat(row[3]),
        method=ConsentMethod(row[4]),
    )


def record_consent(
    conn: Any,
    member_id: int,
    version: str,
    method: ConsentMethod | str,
    *,
    given_at: datetime,
    now: datetime,
) -> Consent:
    """A member consented to ``version`` of the text, ``given_at``, by ``method``; their
    status becomes ``given``."""
    get_member(conn, member_id)
    probe = Consent(
        id=1, member_id=member_id, version=version, given_at=given_at, method=ConsentMethod(method)
    )
    cursor = conn.execute(
        "INSERT INTO consents (member_id, version, given_at, method, recorded_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (member_id, probe.version, ts(given_at), str(probe.method), ts(now)),
    )
    conn.execute(
        "UPDATE members SET consent = ? WHERE id = ?", (str(ConsentStatus.GIVEN), member_id)
    )
    row = conn.execute(
        f"SELECT {_CONSENT} FROM consents WHERE id = ?", (cursor.lastrowid,)
    ).fetchone()
    return _consent(row)


def consents(conn: Any, member_id: int) -> list[Consent]:
    """Every consent of a member, oldest first."""
    get_member(conn, member_id)
    rows = conn.execute(
        f"SELECT {_CONSENT} FROM consents WHERE member_id = ? ORDER BY given_at, id",
        (member_id,),
    ).fetchall()
    return [_consent(row) for row in rows]


def latest_consents(conn: Any, group_id: int) -> dict[int, Consent]:
    """The latest consent of each member of a group who has one, by member id."""
    get_group(conn, group_id)
    rows = conn.execute(
        f"SELECT {', '.join('c.' + c for c in _CONSENT.split(', '))}"
        " FROM consents AS c JOIN members AS m ON m.id = c.member_id"
        " WHERE m.group_id = ? ORDER BY c.given_at, c.id",
        (group_id,),
    ).fetchall()
    return {consent.member_id: consent for consent in map(_consent, rows)}


def without_consent(conn: Any, group_id: int, version: str) -> list[Member]:
    """The group's members (not archived) who have not consented to ``version``: their
    latest consent is to another version or there is none, or they withdrew it since."""
    rows = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members AS m WHERE group_id = ? AND archived = 0"
        " AND (consent <> ? OR (SELECT c.version FROM consents AS c WHERE c.member_id = m.id"
        "  ORDER BY c.given_at DESC, c.id DESC LIMIT 1) IS NOT ?)"
        " ORDER BY display_name, id",
        (group_id, str(ConsentStatus.GIVEN), version),
    ).fetchall()
    return [member_row(row) for row in rows]
