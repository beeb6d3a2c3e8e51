"""Attendance across a group's sessions, and the attrition flag."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from groupdesk.core.models import Attendance, Session, SessionKind
from groupdesk.core.records.attendance import (
    Mark,
    attendance_table,
    attrition_text,
    mark_text,
)

ON, ROOM, ABS, NOT, NOT_HELD = (
    Mark.PRESENT_ONLINE,
    Mark.PRESENT_IN_ROOM,
    Mark.ABSENT,
    Mark.NOT_EXPECTED,
    Mark.NOT_HELD,
)


def _session(
    sid: int, day: int, kind: SessionKind = SessionKind.GROUP, held: bool = True
) -> Session:
    start = datetime(2026, 10, day, 23, tzinfo=UTC)
    return Session(
        id=sid,
        group_id=1,
        planned_start=start,
        planned_end=start.replace(hour=23, minute=59),
        actual_start=start if held else None,
        kind=kind,
    )


_IDS = iter(range(1, 10_000))


def _stay(sid: int, member: int, *, in_room: bool = False) -> Attendance:
    start = datetime(2026, 10, 1, 23, tzinfo=UTC)
    return Attendance(next(_IDS), sid, member, start, in_room=in_room)


# Five weekly sessions, given newest first to show they are put in order; 1:1 meetings
# with Chloé (3) before the group; Ana (1) misses the last two; Ben (2) is in the room.
SESSIONS = (
    _session(14, 29),
    _session(13, 22),
    _session(12, 15),
    _session(11, 8),
    _session(10, 1, SessionKind.INDIVIDUAL),
)
EXPECTED = {10: (3,), 11: (1, 2, 3), 12: (1, 2, 3), 13: (1, 2, 3), 14: (1, 2, 3)}
STAYS = {
    10: [_stay(10, 3)],
    11: [_stay(11, 1), _stay(11, 2, in_room=True), _stay(11, 3)],
    12: [_stay(12, 1), _stay(12, 2, in_room=True), _stay(12, 3)],
    13: [_stay(13, 2, in_room=True), _stay(13, 3), _stay(13, 4)],
    14: [_stay(14, 2, in_room=True)],
}


def test_marks_counts_and_the_attrition_flag() -> None:
    table = attendance_table(SESSIONS, EXPECTED, STAYS, missed_in_row=2)
    assert [s.id for s in table.sessions] == [10, 11, 12, 13, 14]
    ana, ben, chloe = table.row(1), table.row(2), table.row(3)
    assert ana is not None
    assert ben is not None
    assert chloe is not None
    # Ana's row ignores Chloé's one-to-one meeting
    assert ana.marks == (NOT, ON, ON, ABS, ABS)
    assert (ana.attended, ana.expected, ana.missed_in_row, ana.attrition) == (2, 4, 2, True)
    assert ben.marks == (NOT, ROOM, ROOM, ROOM, ROOM)  # in the room of a hybrid session
    assert (ben.attended, ben.expected, ben.missed_in_row, ben.attrition) == (4, 4, 0, False)
    assert chloe.marks == (ON, ON, ON, ON, ABS)  # her one-to-one counts for her
    assert (chloe.attended, chloe.expected, chloe.missed_in_row) == (4, 5, 1)
    assert not chloe.attrition
    assert [r.member_id for r in table.flagged] == [1]
    assert [r.member_id for r in table.rows] == [3, 1, 2, 4]  # by first appearance


def test_the_threshold_is_the_policy_s() -> None:
    assert attendance_table(SESSIONS, EXPECTED, STAYS, missed_in_row=3).flagged == ()
    flagged = attendance_table(SESSIONS, EXPECTED, STAYS, missed_in_row=1).flagged
    assert [r.member_id for r in flagged] == [3, 1]
    with pytest.raises(ValueError, match="at least 1"):
        attendance_table(SESSIONS, EXPECTED, STAYS, missed_in_row=0)


def test_coming_unexpected_is_present_and_sessions_not_expected_do_not_break_a_run() -> None:
    table = attendance_table(SESSIONS, EXPECTED, STAYS)
    dan = table.row(4)
    assert dan is not None
    assert dan.marks == (NOT, NOT, NOT, ON, NOT)
    assert (dan.attended, dan.expected, dan.present, dan.attrition) == (0, 0, 1, False)
    # Ana not expected at a session between two absences: still two in a row
    expected = {**EXPECTED, 13: (2, 3), 12: (1, 2, 3)}
    stays = {**STAYS, 12: [_stay(12, 2)]}
    ana = attendance_table(SESSIONS, expected, stays, members=[1]).row(1)
    assert ana is not None
    assert ana.marks == (NOT, ON, ABS, NOT, ABS)
    assert (ana.missed_in_row, ana.attrition) == (2, True)


def test_a_session_not_held_counts_for_no_one() -> None:
    sessions = (*SESSIONS, _session(15, 30, held=False))
    expected = {**EXPECTED, 15: (1, 2, 3)}
    table = attendance_table(sessions, expected, STAYS, members=[2, 1])
    assert [r.member_id for r in table.rows] == [2, 1]
    ben = table.row(2)
    assert ben is not None
    assert ben.marks[-1] is NOT_HELD
    assert (ben.expected, ben.missed_in_row, ben.attrition) == (4, 0, False)


def test_marks_and_the_flag_in_words() -> None:
    table = attendance_table(SESSIONS, EXPECTED, STAYS)
    ana, ben = table.row(1), table.row(2)
    assert ana is not None
    assert ben is not None
    assert attrition_text(ana, "en") == "Missed 2 sessions in a row"
    assert attrition_text(ana, "fr_CA") == "2 séances manquées de suite"
    assert attrition_text(ben, "en") == ""
    assert mark_text(ROOM, "fr_CA") == "présence dans la salle"
    assert mark_text(ON, "en") == "present online"
    assert {mark_text(m, "fr_CA") for m in Mark} == {
        "présence en ligne",
        "présence dans la salle",
        "absence",
        "non attendu",
        "n'a pas eu lieu",
    }
