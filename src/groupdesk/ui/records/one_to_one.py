"""Whom each one-to-one meeting is with, for the lists of past sessions. No Qt.

A one-to-one meeting (``SessionKind.INDIVIDUAL``) expects exactly one member: the
lists say "one-to-one with Ana". Read through the asynchronous log (never SQL on the
UI thread).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from groupdesk.core.models import Session, SessionKind

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog


async def one_to_one_names(log_: SessionLog, sessions: Iterable[Session]) -> dict[int, str]:
    """Session id -> the name of the member each one-to-one meeting among ``sessions`` is
    with (archived members too: the meeting happened)."""
    individual = [s for s in sessions if s.kind is SessionKind.INDIVIDUAL]
    names: dict[int, str] = {}
    for group_id in sorted({s.group_id for s in individual}):
        members = await log_.list_members(group_id, include_archived=True)
        names.update((m.id, m.display_name) for m in members)
    found: dict[int, str] = {}
    for session in individual:
        expected = await log_.expected_members(session.id)
        found[session.id] = ", ".join(names.get(m, "?") for m in expected)
    return found
