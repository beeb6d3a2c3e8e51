"""Version 3: notes with every revision kept, and an FTS5 index over the current text."""

VERSION = 3

STATEMENTS = (
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        session_id INTEGER REFERENCES sessions(id),
        member_id INTEGER REFERENCES members(id),
        body TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX notes_group ON notes(group_id)",
    "CREATE INDEX notes_session ON notes(session_id)",
    "CREATE INDEX notes_member ON notes(member_id)",
    """CREATE TABLE note_revisions (
        note_id INTEGER NOT NULL REFERENCES notes(id),
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (note_id, revision)
    )""",
    # External content: the index holds tokens only, the text lives in notes.
    """CREATE VIRTUAL TABLE notes_fts USING fts5(
        body, content='notes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(rowid, body) VALUES (NEW.id, NEW.body);
    END""",
    """CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
    END""",
    """CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
        INSERT INTO notes_fts(rowid, body) VALUES (NEW.id, NEW.body);
    END""",
)
