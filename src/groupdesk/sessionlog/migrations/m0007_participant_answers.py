"""Version 7: what each participant answered before admission, and how they came in.

One row per admission to a session (a person who comes back after a drop keeps their
row): the answers as JSON (ticks and words: a location, a phone number, an emergency
contact -- personal data, which is why they live only in this encrypted file), the
items as asked, the required items left unmet and the facilitator's reason for
admitting anyway, whether the facilitator verified the person's identity, and which
answers were taken from an earlier session with the person's confirmation.
"""

VERSION = 7

STATEMENTS = (
    """CREATE TABLE participant_answers (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        seat TEXT NOT NULL,
        member_id INTEGER REFERENCES members(id),
        guest_name TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL,
        asked TEXT NOT NULL,
        unmet TEXT NOT NULL DEFAULT '[]',
        override_reason TEXT CHECK (override_reason IS NULL OR length(trim(override_reason)) > 0),
        identity_verified INTEGER NOT NULL DEFAULT 0 CHECK (identity_verified IN (0, 1)),
        from_previous TEXT NOT NULL DEFAULT '[]',
        answered_at TEXT NOT NULL,
        UNIQUE (session_id, seat)
    )""",
    "CREATE INDEX participant_answers_member ON participant_answers(member_id, answered_at)",
)
