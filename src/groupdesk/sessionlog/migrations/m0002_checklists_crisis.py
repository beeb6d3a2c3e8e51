"""Version 2: confidentiality checklist results and crisis incidents."""

VERSION = 2

STATEMENTS = (
    """CREATE TABLE checklist_results (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        member_id INTEGER REFERENCES members(id),
        checklist TEXT NOT NULL,
        answers TEXT NOT NULL DEFAULT '{}',
        completed_at TEXT
    )""",
    "CREATE INDEX checklist_results_session ON checklist_results(session_id)",
    """CREATE TABLE crisis_incidents (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        member_id INTEGER REFERENCES members(id),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        steps TEXT NOT NULL DEFAULT '[]',
        summary TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX crisis_incidents_session ON crisis_incidents(session_id)",
)
