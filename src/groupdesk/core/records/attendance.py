"""Attendance across a group's sessions, with the attrition flag of the policy.

Per member, one mark per session (present online, present in the room, absent, not
expected, or the session was not held), the sessions attended of those they were
expected at, the current run of sessions missed in a row, and a flag when that run
reaches the policy's ``attrition_missed_in_row`` (higher attrition online is a known
risk). A one-to-one session counts only for the member it was with.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from groupdesk.core.i18n import tr
from groupdesk.core.models import Attendance, Session, SessionKind


class Mark(enum.StrEnum):
    """A member's mark for one session."""

    PRESENT_ONLINE = "present_online"
    PRESENT_IN_ROOM = "present_in_room"
    ABSENT = "absent"
    NOT_EXPECTED = "not_expected"
    NOT_HELD = "not_held"
    """The session did not take place (not started and nobody came): it counts for no one."""

    @property
    def present(self) -> bool:
        """True for either kind of presence."""
        return self in (Mark.PRESENT_ONLINE, Mark.PRESENT_IN_ROOM)


@dataclass(frozen=True)
class AttendanceRow:
    """One member's attendance: a mark per session (in the table's order), sessions
    attended of those they were expected at, sessions missed in a row up to the latest
    one held, and the attrition flag."""

    member_id: int
    marks: tuple[Mark, ...]
    attended: int
    expected: int
    missed_in_row: int
    attrition: bool

    @property
    def present(self) -> int:
        """Sessions present at, expected there or not."""
        return sum(1 for mark in self.marks if mark.present)


@dataclass(frozen=True)
class AttendanceTable:
    """The group's sessions (oldest first) and a row per member, with the threshold used."""

    sessions: tuple[Session, ...]
    rows: tuple[AttendanceRow, ...]
    missed_in_row_threshold: int

    def row(self, member_id: int) -> AttendanceRow | None:
        """The row of ``member_id`` (None: never expected nor present)."""
        return next((r for r in self.rows if r.member_id == member_id), None)

    @property
    def flagged(self) -> tuple[AttendanceRow, ...]:
        """The rows with the attrition flag."""
        return tuple(r for r in self.rows if r.attrition)


def _held(session: Session, stays: Sequence[Attendance]) -> bool:
    return session.actual_start is not None or bool(stays)


def _mark(
    member_id: int, session: Session, expected: frozenset[int], stays: Sequence[Attendance]
) -> Mark:
    if session.kind is SessionKind.INDIVIDUAL:
        with_them = member_id in expected or any(s.member_id == member_id for s in stays)
        if not with_them:  # someone else's one-to-one meeting
            return Mark.NOT_EXPECTED
    mine = [s for s in stays if s.member_id == member_id]
    if mine:
        return Mark.PRESENT_IN_ROOM if any(s.in_room for s in mine) else Mark.PRESENT_ONLINE
    return Mark.ABSENT if member_id in expected else Mark.NOT_EXPECTED


def _missed_in_row(marks: Sequence[Mark]) -> int:
    """Absences since the last presence; sessions one was not expected at, or that were
    not held, neither break the run nor add to it."""
    run = 0
    for mark in reversed(marks):
        if mark is Mark.ABSENT:
            run += 1
        elif mark.present:
            break
    return run


def attendance_table(
    sessions: Iterable[Session],
    expected: Mapping[int, Iterable[int]],
    stays: Mapping[int, Iterable[Attendance]],
    *,
    missed_in_row: int = 2,
    members: Iterable[int] | None = None,
) -> AttendanceTable:
    """The attendance of a group over ``sessions`` (put oldest first by planned start).

    ``expected``: session id -> the ids of the members expected; ``stays``: session id ->
    its stays (guests' are left out); ``missed_in_row``: the policy's
    ``attrition_missed_in_row`` (at least 1). ``members``: the rows wanted, in order
    (default: everyone expected or present, by first appearance). A session not started
    with no stays was not held: it is marked so and counts for no one.
    """
    if missed_in_row < 1:
        raise ValueError(f"missed_in_row must be at least 1, got {missed_in_row}")
    ordered = tuple(sorted(sessions, key=lambda s: (s.planned_start, s.id)))
    expected_of = {s.id: frozenset(expected.get(s.id, ())) for s in ordered}
    stays_of = {
        s.id: tuple(a for a in stays.get(s.id, ()) if a.member_id is not None) for s in ordered
    }
    if members is None:
        seen: dict[int, None] = {}
        for session in ordered:
            seen.update(dict.fromkeys(sorted(expected_of[session.id])))
            seen.update(dict.fromkeys(a.member_id for a in stays_of[session.id] if a.member_id))
        members = seen
    rows = []
    for member_id in dict.fromkeys(members):
        marks = tuple(
            _mark(member_id, s, expected_of[s.id], stays_of[s.id])
            if _held(s, stays_of[s.id])
            else Mark.NOT_HELD
            for s in ordered
        )
        run = _missed_in_row(marks)
        expected_at = [
            m for s, m in zip(ordered, marks, strict=True)
            if m is not Mark.NOT_HELD and member_id in expected_of[s.id]
        ]  # fmt: skip
        rows.append(
            AttendanceRow(
                member_id=member_id,
                marks=marks,
                attended=sum(1 for m in expected_at if m.present),
                expected=len(expected_at),
                missed_in_row=run,
                attrition=run >= missed_in_row,
            )
        )
    return AttendanceTable(ordered, tuple(rows), missed_in_row)


def mark_text(mark: Mark, lang: str) -> str:
    """The mark in words (``present online``, ``absence``...)."""
    return tr(f"records.attendance.{mark.value}", lang)


def attrition_text(row: AttendanceRow, lang: str) -> str:
    """The attrition flag in words ("Missed 2 sessions in a row"), "" without the flag."""
    if not row.attrition:
        return ""
    return tr("records.attendance.attrition", lang, count=row.missed_in_row)
