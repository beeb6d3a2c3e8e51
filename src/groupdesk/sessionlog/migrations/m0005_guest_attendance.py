"""Version 5: guests in the attendance.

Everyone admitted to a session is in its attendance: a group member by id, or a
guest -- admitted without being matched to a member -- by the name they declared.
SQLite cannot relax ``member_id``'s NOT NULL in place, so the table is rebuilt
(nothing references it; its rows keep their ids) with a ``guest_name`` column and a
check that each stay is a member's or a named guest's, never both or neither.
"""

VERSION = 5

STATEMENTS = (
    """CREATE TABLE attendance_v5 (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        member_id INTEGER REFERENCES members(id),
        guest_name TEXT NOT NULL DEFAULT '',
        joined_at TEXT NOT NULL,
        left_at TEXT,
        CHECK ((member_id IS NULL) <> (guest_name = ''))
    )""",
    "INSERT INTO attendance_v5 (id, session_id, member_id, joined_at, left_at)"
    " SELECT id, session_id, member_id, joined_at, left_at FROM attendance",
    "DROP TABLE attendance",
    "ALTER TABLE attendance_v5 RENAME TO attendance",
    "CREATE INDEX attendance_session ON attendance(session_id)",
    "CREATE INDEX attendance_member ON attendance(member_id)",
)
