"""Version 10: search finds œ and æ typed as oe and ae ("soeur" finds "sœur").

FTS5's unicode61 tokenizer removes diacritics but keeps the ligatures œ and æ as
letters of their own, so "coeur" did not find "cœur". The index now holds the text with
the ligatures spelled out (the same ``fold`` in the insert and delete triggers, as an
external-content index requires), and notes.fts_query folds what is typed the same way.
The text kept in ``notes`` and ``note_addenda`` is unchanged.
"""

VERSION = 10

# ruff: noqa: S608 -- the statements splice only the constant ligature replacements of fold()


def fold(column: str) -> str:
    """SQL that spells out the ligatures of ``column`` (what notes.fold does in Python)."""
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE")):
        column = f"replace({column}, '{ligature}', '{letters}')"
    return column


STATEMENTS = (
    "DROP TRIGGER notes_fts_insert",
    "DROP TRIGGER notes_fts_delete",
    "DROP TRIGGER notes_fts_update",
    "DROP TRIGGER addenda_fts_insert",
    "DROP TRIGGER addenda_fts_delete",
    "INSERT INTO notes_fts(notes_fts) VALUES ('delete-all')",
    "INSERT INTO addenda_fts(addenda_fts) VALUES ('delete-all')",
    f"INSERT INTO notes_fts(rowid, body) SELECT id, {fold('body')} FROM notes",
    f"INSERT INTO addenda_fts(rowid, body) SELECT id, {fold('body')} FROM note_addenda",
    f"""CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(rowid, body) VALUES (NEW.id, {fold("NEW.body")});
    END""",
    f"""CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, body)
        VALUES ('delete', OLD.id, {fold("OLD.body")});
    END""",
    f"""CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, body)
        VALUES ('delete', OLD.id, {fold("OLD.body")});
        INSERT INTO notes_fts(rowid, body) VALUES (NEW.id, {fold("NEW.body")});
    END""",
    f"""CREATE TRIGGER addenda_fts_insert AFTER INSERT ON note_addenda BEGIN
        INSERT INTO addenda_fts(rowid, body) VALUES (NEW.id, {fold("NEW.body")});
    END""",
    f"""CREATE TRIGGER addenda_fts_delete AFTER DELETE ON note_addenda BEGIN
        INSERT INTO addenda_fts(addenda_fts, rowid, body)
        VALUES ('delete', OLD.id, {fold("OLD.body")});
    END""",
)
