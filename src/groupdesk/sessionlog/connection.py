"""Opening the SQLCipher file: the key, the PRAGMAs, and the startup integrity gate.

The gate looks at an existing file read-only (``mode=ro``) before anything may
write to it: size against the page size (truncation), whether the key decrypts
page 1 (a wrong key, another installation's database and a damaged first page
told apart by the key check value and database salt in keystore.json),
``cipher_integrity_check`` (every page's HMAC), ``quick_check``, and the schema
version. A file that fails is left exactly as it was, with no ``-wal`` or
``-shm`` beside it, and the error says what is wrong.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3

from groupdesk.sessionlog.errors import DatabaseDamaged, ForeignLog, SchemaTooNew, WrongKey
from groupdesk.sessionlog.keys import key_check
from groupdesk.sessionlog.migrations import LATEST

log = logging.getLogger(__name__)

PAGE_SIZE = 4096  # SQLCipher 4 default; every database here uses it
_WRITE_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    # 8 MiB of pages (2,000 of 4 KiB), whatever the build's default (SQLite's is 2 MiB):
    # a notes search over 50,000 notes then reads few pages twice. 32 MiB saved under a
    # millisecond more (bench_notes.py) and would keep four times as much decrypted text
    # in memory.
    "PRAGMA cache_size = -8000",
)


def key_pragma(key: bytes) -> str:
    """The raw-key form SQLCipher takes: no KDF, the 256-bit key itself."""
    if len(key) != 32:
        raise ValueError("a session-log key is 32 bytes")
    return f"x'{key.hex()}'"


def connect(path: Path, key: bytes, *, readonly: bool = False) -> Any:
    """A keyed connection in autocommit mode (transactions are explicit)."""
    mode = "ro" if readonly else "rw"
    conn = sqlcipher3.connect(
        f"file:{quote(str(path))}?mode={mode}", uri=True, isolation_level=None
    )
    try:
        # SQLCipher would otherwise print its own decryption errors on stderr;
        # the gate reports them in words instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key_pragma(key)}"')
        if not readonly:
            for pragma in _WRITE_PRAGMAS:
                conn.execute(pragma).fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def _damaged(path: Path, reason: str, **params: Any) -> DatabaseDamaged:
    log.error("session log failed the integrity gate: %s", reason)
    return DatabaseDamaged(f"sessionlog.damaged.{reason}", path=str(path), **params)


_SALT_BYTES = 16
_RESERVE = 80  # SQLCipher 4 per-page trailer: 16-byte IV + 64-byte HMAC-SHA512


def header_page_count(path: Path, key: bytes) -> int | None:
    """The page count the database header records, decrypted from page 1 (diagnosis only).

    None when page 1 does not decrypt to a plausible header (then the size
    cannot be compared). SQLCipher 4 with a raw key: AES-256-CBC, the IV at the
    start of the page trailer, the first 16 bytes of the file are the salt.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    with path.open("rb") as f:
        page = f.read(PAGE_SIZE)
    if len(page) < PAGE_SIZE:
        return None
    trailer = PAGE_SIZE - _RESERVE
    decryptor = Cipher(algorithms.AES(key), modes.CBC(page[trailer : trailer + 16])).decryptor()
    header = bytes(16) + decryptor.update(page[16:trailer]) + decryptor.finalize()
    if int.from_bytes(header[16:18], "big") != PAGE_SIZE or header[20] != _RESERVE:
        return None
    if header[24:28] != header[92:96]:
        return None
    return int.from_bytes(header[28:32], "big")


def _looks_truncated(path: Path, key: bytes) -> bool:
    recorded = header_page_count(path, key)
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return recorded is not None and not has_wal and recorded * PAGE_SIZE > path.stat().st_size


def file_salt(path: Path) -> bytes:
    """The first 16 bytes of the file: SQLCipher's salt, random per database, not secret."""
    with path.open("rb") as f:
        return f.read(_SALT_BYTES)


def _page_one_failed(
    path: Path, key: bytes, expected_check: str | None, salt: bytes | None
) -> Exception:
    """Page 1 fails its HMAC: a wrong key, another installation's log, or damage."""
    if expected_check is None or not hmac.compare_digest(key_check(key), expected_check):
        return WrongKey(path=str(path))
    # The key is the one keystore.json holds. Page 1 still decrypting to a
    # database header under it, or the file's salt being the one recorded when
    # this key last opened the log, means this is our file, damaged.
    if header_page_count(path, key) is not None or file_salt(path) == salt:
        return _damaged(path, "first_page")
    if salt is not None:
        log.error("the session log's database and keystore.json come from different logs")
        return ForeignLog(path=str(path))
    return _damaged(path, "first_page_or_foreign")


def _first_read(
    conn: Any, path: Path, key: bytes, expected_check: str | None, salt: bytes | None = None
) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        code = getattr(error, "sqlite_errorname", "")
        if code == "SQLITE_NOTADB":
            raise _page_one_failed(path, key, expected_check, salt) from None
        if _looks_truncated(path, key):
            raise _damaged(path, "truncated", size=path.stat().st_size, page=PAGE_SIZE) from None
        raise _damaged(path, "malformed", detail=str(error)) from None


@contextlib.contextmanager
def _leaving_no_trace(path: Path) -> Iterator[None]:
    """On a refusal, remove the ``-wal`` and ``-shm`` files a read-only look at ``path`` made.

    SQLite makes them for any connection to a WAL database, even ``mode=ro``, and
    only the last read-write connection removes them: a log the gate refused would
    otherwise be left with two new files beside it. Files that were already there
    (a crash's WAL, which the gate must read) are kept. On success the read-write
    connection that follows takes them over and removes them when it closes.
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = [sidecar.exists() for sidecar in sidecars]
    try:
        yield
    except BaseException:
        for sidecar, was_there in zip(sidecars, existed, strict=True):
            if not was_there:
                sidecar.unlink(missing_ok=True)
        raise


def integrity_gate(
    path: Path, key: bytes, expected_check: str | None = None, salt: bytes | None = None
) -> int:
    """Check an existing database without writing to it; returns its schema version.

    ``expected_check`` and ``salt`` come from keystore.json: they tell a damaged
    first page from a wrong key or another installation's database.
    """
    size = path.stat().st_size
    if size == 0 or size % PAGE_SIZE:
        raise _damaged(path, "truncated", size=size, page=PAGE_SIZE)
    with _leaving_no_trace(path):
        version = _gate(path, key, expected_check, salt)
        if version > LATEST:
            raise SchemaTooNew(path=str(path), found=version, supported=LATEST)
    return version


def _gate(path: Path, key: bytes, expected_check: str | None, salt: bytes | None) -> int:
    size = path.stat().st_size
    conn = connect(path, key, readonly=True)
    try:
        _first_read(conn, path, key, expected_check, salt)
        if _looks_truncated(path, key):
            raise _damaged(path, "truncated", size=size, page=PAGE_SIZE)
        try:
            bad = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
        except sqlcipher3.DatabaseError as error:
            raise _damaged(path, "malformed", detail=str(error)) from None
        if bad:
            raise _damaged(path, "hmac", detail="; ".join(bad[:3]), count=len(bad))
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
        except sqlcipher3.DatabaseError as error:
            raise _damaged(path, "malformed", detail=str(error)) from None
        if result != ["ok"]:
            raise _damaged(path, "quick_check", detail="; ".join(result[:3]))
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def probe_key(path: Path, key: bytes) -> None:
    """Raise WrongKey (or DatabaseDamaged) unless ``key`` decrypts ``path``."""
    with _leaving_no_trace(path):
        conn = connect(path, key, readonly=True)
        try:
            _first_read(conn, path, key, None)
        finally:
            conn.close()
