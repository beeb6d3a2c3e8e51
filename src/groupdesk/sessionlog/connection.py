"""Opening the SQLCipher file: the key, the PRAGMAs, and the startup integrity gate.

The gate looks at an existing file read-only (``mode=ro``) before anything may
write to it: size against the page size (truncation), whether the key decrypts
page 1 (wrong key, told apart from a damaged first page by the key check value
in keystore.json), ``cipher_integrity_check`` (every page's HMAC),
``quick_check``, and the schema version. A file that fails is left exactly as
it was, and the error says what is wrong.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3

from groupdesk.sessionlog.errors import DatabaseDamaged, SchemaTooNew, WrongKey
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


def _first_read(conn: Any, path: Path, key: bytes, expected_check: str | None) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        code = getattr(error, "sqlite_errorname", "")
        if code == "SQLITE_NOTADB":
            if expected_check is not None and hmac.compare_digest(key_check(key), expected_check):
                raise _damaged(path, "first_page") from None
            raise WrongKey(path=str(path)) from None
        if _looks_truncated(path, key):
            raise _damaged(path, "truncated", size=path.stat().st_size, page=PAGE_SIZE) from None
        raise _damaged(path, "malformed", detail=str(error)) from None


def integrity_gate(path: Path, key: bytes, expected_check: str | None = None) -> int:
    """Check an existing database without writing to it; returns its schema version."""
    size = path.stat().st_size
    if size == 0 or size % PAGE_SIZE:
        raise _damaged(path, "truncated", size=size, page=PAGE_SIZE)
    conn = connect(path, key, readonly=True)
    try:
        _first_read(conn, path, key, expected_check)
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
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    if version > LATEST:
        raise SchemaTooNew(path=str(path), found=version, supported=LATEST)
    return version


def probe_key(path: Path, key: bytes) -> None:
    """Raise WrongKey (or DatabaseDamaged) unless ``key`` decrypts ``path``."""
    conn = connect(path, key, readonly=True)
    try:
        _first_read(conn, path, key, None)
    finally:
        conn.close()
