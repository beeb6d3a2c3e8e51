"""Version 4: who is expected at a session, and members that can be archived.

Expected members are the list the facilitator prepares a session with; rows go
with their session or member (ON DELETE CASCADE), so the retention purge needs
no change. An archived member keeps every record and leaves the default lists.
"""

VERSION = 4

STATEMENTS = (
    """CREATE TABLE expected_members (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        PRIMARY KEY (session_id, member_id)
    )""",
    "CREATE INDEX expected_members_member ON expected_members(member_id)",
    "ALTER TABLE members ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))",
)
