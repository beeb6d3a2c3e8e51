"""Version 1: groups, members, sessions, attendance and the hash-chained journal."""

VERSION = 1

_MODALITY = "CHECK ({col} IN ('in_person', 'remote', 'hybrid'))"

STATEMENTS = (
    """CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        created_at TEXT NOT NULL
    )""",
    f"""CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        display_name TEXT NOT NULL,
        pseudonym TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        emergency_contact TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT '',
        modality TEXT NOT NULL DEFAULT 'remote' {_MODALITY.format(col="modality")},
        consent TEXT NOT NULL DEFAULT 'pending'
            CHECK (consent IN ('pending', 'given', 'withdrawn')),
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX members_group ON members(group_id)",
    f"""CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        planned_start TEXT NOT NULL,
        planned_end TEXT NOT NULL,
        actual_start TEXT,
        actual_end TEXT,
        modality TEXT NOT NULL {_MODALITY.format(col="modality")},
        facilitators TEXT NOT NULL DEFAULT '[]'
    )""",
    "CREATE INDEX sessions_group ON sessions(group_id)",
    """CREATE TABLE attendance (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        member_id INTEGER NOT NULL REFERENCES members(id),
        joined_at TEXT NOT NULL,
        left_at TEXT
    )""",
    "CREATE INDEX attendance_session ON attendance(session_id)",
    "CREATE INDEX attendance_member ON attendance(member_id)",
    # The journal: payload and salt become NULL when retention purges them; the
    # digest stays, so the chain still verifies with the text gone.
    """CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        session_id INTEGER,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT,
        salt BLOB,
        digest BLOB NOT NULL,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL
    )""",
    "CREATE INDEX journal_session ON journal(session_id)",
    """CREATE TABLE journal_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL
    )""",
    "INSERT INTO journal_head (id, seq, hash) VALUES (1, 0, zeroblob(32))",
    """CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
       BEGIN SELECT RAISE(ABORT, 'journal rows cannot be deleted'); END""",
    """CREATE TRIGGER journal_redact_only BEFORE UPDATE ON journal
       WHEN NOT (NEW.payload IS NULL AND NEW.salt IS NULL
                 AND NEW.seq = OLD.seq AND NEW.session_id IS OLD.session_id
                 AND NEW.ts = OLD.ts AND NEW.kind = OLD.kind
                 AND NEW.digest = OLD.digest AND NEW.prev_hash = OLD.prev_hash
                 AND NEW.hash = OLD.hash)
       BEGIN SELECT RAISE(ABORT, 'journal rows are append-only'); END""",
    """CREATE TRIGGER journal_head_no_delete BEFORE DELETE ON journal_head
       BEGIN SELECT RAISE(ABORT, 'the journal head cannot be deleted'); END""",
    """CREATE TRIGGER journal_head_forward BEFORE UPDATE ON journal_head
       WHEN NEW.seq <> OLD.seq + 1 OR NEW.id <> OLD.id
       BEGIN SELECT RAISE(ABORT, 'the journal head only moves forward'); END""",
)
