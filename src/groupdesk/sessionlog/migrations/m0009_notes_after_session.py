"""Version 9: notes after the session, one-to-one sessions, presence in the room.

- ``sessions.kind``: a group meeting, or an individual (one-to-one) meeting.
- ``attendance.in_room``: present in the room of a hybrid session, not on the call.
- ``notes``: the template a note was started from, and its signature (by, at). Once
  signed, its text and signature are fixed (triggers): changes are ``note_addenda``.
- ``note_revisions`` and ``note_addenda`` are never rewritten (triggers; retention
  still deletes them with what they belong to).
- ``note_drafts``: the text autosaved while typing, before it is kept as a revision.
- ``referrals``: a member referred to a resource of the directory.
- ``addenda_fts``: full-text search over addenda, with the notes' tokenizer.
"""

VERSION = 9

STATEMENTS = (
    "ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'group'",
    "ALTER TABLE attendance ADD COLUMN in_room INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE notes ADD COLUMN template TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE notes ADD COLUMN signed_by TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE notes ADD COLUMN signed_at TEXT",
    """CREATE TRIGGER notes_signed_fixed BEFORE UPDATE ON notes
       WHEN OLD.signed_at IS NOT NULL AND (NEW.body IS NOT OLD.body
            OR NEW.signed_at IS NOT OLD.signed_at OR NEW.signed_by IS NOT OLD.signed_by
            OR NEW.revision IS NOT OLD.revision)
       BEGIN SELECT RAISE(ABORT, 'a signed note cannot change: add an addendum'); END""",
    """CREATE TRIGGER note_revisions_fixed BEFORE UPDATE ON note_revisions
       BEGIN SELECT RAISE(ABORT, 'a revision of a note cannot change'); END""",
    """CREATE TABLE note_addenda (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES notes(id),
        body TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX note_addenda_note ON note_addenda(note_id)",
    """CREATE TRIGGER note_addenda_fixed BEFORE UPDATE ON note_addenda
       BEGIN SELECT RAISE(ABORT, 'an addendum cannot change'); END""",
    """CREATE VIRTUAL TABLE addenda_fts USING fts5(
        body, content='note_addenda', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER addenda_fts_insert AFTER INSERT ON note_addenda BEGIN
        INSERT INTO addenda_fts(rowid, body) VALUES (NEW.id, NEW.body);
    END""",
    """CREATE TRIGGER addenda_fts_delete AFTER DELETE ON note_addenda BEGIN
        INSERT INTO addenda_fts(addenda_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
    END""",
    """CREATE TABLE note_drafts (
        note_id INTEGER PRIMARY KEY REFERENCES notes(id),
        body TEXT NOT NULL,
        saved_at TEXT NOT NULL
    )""",
    """CREATE TABLE referrals (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        session_id INTEGER REFERENCES sessions(id),
        note_id INTEGER REFERENCES notes(id),
        resource_id TEXT NOT NULL,
        resource_name TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX referrals_member ON referrals(member_id)",
    "CREATE INDEX referrals_session ON referrals(session_id)",
)
