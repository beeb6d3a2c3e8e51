"""Numbered schema migrations, tracked with ``PRAGMA user_version``.

Each module holds ``VERSION`` and ``STATEMENTS``; version N takes a database at
N-1 to N inside one transaction. Never edit a released migration: add one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from groupdesk.sessionlog.migrations import (
    m0001_core,
    m0002_checklists_crisis,
    m0003_notes_fts,
    m0004_expected_archive,
    m0005_guest_attendance,
    m0006_consents,
    m0007_participant_answers,
    m0008_crisis_incident_record,
    m0009_notes_after_session,
    m0010_fold_ligatures,
)

MIGRATIONS: tuple[ModuleType, ...] = (
    m0001_core,
    m0002_checklists_crisis,
    m0003_notes_fts,
    m0004_expected_archive,
    m0005_guest_attendance,
    m0006_consents,
    m0007_participant_answers,
    m0008_crisis_incident_record,
    m0009_notes_after_session,
    m0010_fold_ligatures,
)
LATEST: int = MIGRATIONS[-1].VERSION

for _number, _module in enumerate(MIGRATIONS, start=1):
    assert _number == _module.VERSION, f"migration {_module.__name__} out of order"


def statements(target: int) -> Sequence[tuple[int, Sequence[str]]]:
    """The statements of every migration up to ``target``, with their version."""
    return [(m.VERSION, m.STATEMENTS) for m in MIGRATIONS if target >= m.VERSION]


def migrate(
    conn: Any,
    *,
    target: int = LATEST,
    after: Mapping[int, Callable[[Any], object]] | None = None,
) -> list[int]:
    """Bring ``conn`` (autocommit mode) up to ``target``; returns the versions applied.

    Each migration is its own transaction, so a failure leaves the database at
    the last complete version. ``after[version]``, if given, runs in that version's
    transaction once its statements are done (work on the rows, in Python), so the
    version is never recorded without it.
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    applied: list[int] = []
    for version, sql in statements(target):
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in sql:
                conn.execute(statement)
            if after is not None and version in after:
                after[version](conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(version)
    return applied
