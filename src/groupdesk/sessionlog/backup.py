"""Encrypted backup and restore with ``sqlcipher_export``.

A backup is a complete SQLCipher database under the same key, so the recovery
key opens it even on a new computer. It is written to a temporary name,
fsynced, then linked into place: a backup never overwrites an existing file.

Restore checks the backup first (integrity gate read-only, then the journal
chain), exports it into a temporary file in the data folder, checks that copy,
keeps the current database as ``groupdesk.db.before-restore-<timestamp>`` and
then renames the copy over ``groupdesk.db``: at no moment is the current file
lost. Run it with the application closed.

Each backup carries the journal head it was taken at (``anchor.BACKUP_TABLE``,
authenticated under the key). Restore checks the backup's chain against it,
leaves the table out of the restored log, then starts a new witness and keeps
that anchor outside the database (``anchor.reset_after_restore``).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from groupdesk.core.i18n import tr
from groupdesk.sessionlog import journal
from groupdesk.sessionlog.anchor import (
    BACKUP_TABLE,
    Anchor,
    ForgedAnchorError,
    chain_hashes,
    read_backup_anchor,
    reset_after_restore,
    write_backup_anchor,
)
from groupdesk.sessionlog.connection import connect, integrity_gate, key_pragma
from groupdesk.sessionlog.errors import BackupFailed
from groupdesk.sessionlog.paths import create_private_file, db_path, fsync_dir

log = logging.getLogger(__name__)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _export(conn: Any, schema: str, dest: Path, key: bytes, source: str = "main") -> None:
    """Copy every table of ``source`` into a new encrypted database at ``dest``, with
    the journal head it holds as its anchor."""
    version = int(conn.execute(f"PRAGMA {source}.user_version").fetchone()[0])
    conn.execute(f"ATTACH DATABASE ? AS {schema} KEY ?", (str(dest), key_pragma(key)))
    try:
        conn.execute("SELECT sqlcipher_export(?, ?)", (schema, source)).fetchall()
        # sqlcipher_export does not copy user_version: the schema version must follow.
        conn.execute(f"PRAGMA {schema}.user_version = {version}")
        write_backup_anchor(conn, schema, key)
    finally:
        conn.execute(f"DETACH DATABASE {schema}")


def write_backup(conn: Any, key: bytes, dest: Path) -> Path:
    """Export the open database ``conn`` to ``dest`` (which must not exist yet)."""
    dest = Path(dest).absolute()
    if dest.exists():
        raise BackupFailed("sessionlog.backup_exists", path=str(dest))
    tmp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    try:
        _export(conn, "backup_target", tmp, key)
        _fsync(tmp)
        try:
            os.link(tmp, dest)  # fails if dest appeared meanwhile: never overwrite
        except FileExistsError:
            raise BackupFailed("sessionlog.backup_exists", path=str(dest)) from None
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(dest.parent)
    log.info("backup written (%d bytes)", dest.stat().st_size)
    return dest


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """Where the previous database was kept (None when there was none)."""

    previous: Path | None
    journal_rows: int
    anchor: Anchor | None = None


def _check_backup(source: Path, key: bytes) -> tuple[int, Anchor]:
    """The backup's journal rows and its anchor, once its chain verifies and ends where
    the anchor says (a backup made before anchors: its own head, its chain checked)."""
    integrity_gate(source, key)
    conn = connect(source, key, readonly=True)
    try:
        rows, problem = journal.verify_chain(conn)
        try:
            anchor = read_backup_anchor(conn, key)
        except ForgedAnchorError:
            where = tr("verify.where.backup", "en")
            raise BackupFailed(detail=tr("verify.anchor_forged", "en", where=where)) from None
        seq, row_hash = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
    finally:
        conn.close()
    if problem is not None:
        reason = tr(problem.reason, "en", seq=problem.seq, **dict(problem.params))
        raise BackupFailed(detail=reason)
    if anchor is None:
        log.info("backup made before journal anchors: its own head is anchored")
        return rows, Anchor(int(seq), bytes(row_hash), datetime.now(UTC).isoformat())
    if anchor.seq > int(seq):
        reason = tr("verify.cut", "en", seq=int(seq) + 1, last=anchor.seq, kept=int(seq))
        raise BackupFailed(detail=reason)
    if anchor.seq != int(seq) or anchor.hash != bytes(row_hash):
        where = tr("verify.where.backup", "en")
        reason = tr("verify.anchor_mismatch", "en", seq=anchor.seq, where=where)
        raise BackupFailed(detail=reason)
    return rows, anchor


def restore_backup(
    data_dir: Path, source: Path, key: bytes, *, backup_key: bytes | None = None
) -> RestoreReport:
    """Replace the log in ``data_dir`` with the backup at ``source`` (re-keyed to ``key``)."""
    source = Path(source).absolute()
    if not source.is_file():
        raise BackupFailed(detail=f"{source} is not a file")
    rows, anchor = _check_backup(source, backup_key or key)
    data_dir = Path(data_dir)
    current = db_path(data_dir)
    tmp = data_dir / f".{current.name}.restore-{os.getpid()}"
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    create_private_file(tmp)
    try:
        conn = connect(tmp, key)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchall()
            conn.execute(
                "ATTACH DATABASE ? AS backup_source KEY ?",
                (f"file:{source}?mode=ro", key_pragma(backup_key or key)),
            )
            try:
                conn.execute("SELECT sqlcipher_export('main', 'backup_source')").fetchall()
                version = int(conn.execute("PRAGMA backup_source.user_version").fetchone()[0])
                conn.execute(f"PRAGMA main.user_version = {version}")
            finally:
                conn.execute("DETACH DATABASE backup_source")
            conn.execute(f"DROP TABLE IF EXISTS main.{BACKUP_TABLE}")  # its anchor goes outside
            hashes = chain_hashes(conn)
        finally:
            conn.close()
        _fsync(tmp)
        integrity_gate(tmp, key)
        previous = _set_aside(current)
        os.replace(tmp, current)
        fsync_dir(data_dir)
    finally:
        tmp.unlink(missing_ok=True)
    reset_after_restore(data_dir, key, hashes, anchor)
    log.info("session log restored from a backup (%d journal rows)", rows)
    return RestoreReport(previous=previous, journal_rows=rows, anchor=anchor)


def _set_aside(current: Path) -> Path | None:
    """Keep the current database (and its WAL) under a before-restore name."""
    if not current.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    previous = current.with_name(f"{current.name}.before-restore-{stamp}")
    os.link(current, previous)  # the current name keeps pointing at it until the rename
    for suffix in ("-wal", "-shm"):
        side = current.with_name(current.name + suffix)
        if side.exists():
            # A stale WAL must never be replayed onto the restored file.
            os.replace(side, previous.with_name(previous.name + suffix))
    with contextlib.suppress(OSError):
        os.chmod(previous, 0o600)
    return previous
