"""The journal's witness: an append-only file beside the database, outside it.

``journal.witness`` (0600, like the database) holds a 16-byte header, then one
40-byte record per journal row: the row's seq (8 bytes, big-endian) and its
hash (32 bytes), in order from seq 1. Records are appended right after each
write transaction commits, so the witness may lag the database (a crash
between the two) but is never ahead of it. A last record cut short by a crash
is tolerated: it is reported, and dropped the next time records are appended.

The file is not secret (the hashes reveal nothing without the rows) and not
authenticated: it is checked against the database and against the anchor
(``anchor.py``), which is.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from groupdesk.sessionlog.paths import create_private_file, fsync_dir

try:
    import fcntl
except ImportError:  # pragma: no cover -- Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

WITNESS_NAME = "journal.witness"
MAGIC = b"GDWITNES"
VERSION = 1
HASH_BYTES = 32
RECORD_BYTES = 8 + HASH_BYTES
HEADER = MAGIC + VERSION.to_bytes(2, "big") + RECORD_BYTES.to_bytes(2, "big") + bytes(4)
HEADER_BYTES = len(HEADER)


def witness_path(data_dir: Path) -> Path:
    """The witness file of the log in ``data_dir``."""
    return Path(data_dir) / WITNESS_NAME


@dataclass(frozen=True, slots=True)
class WitnessContent:
    """What the witness holds: row hashes by seq from 1, or why it cannot be read.

    ``problem`` is a message key (``verify.witness_*``) when the file is not a
    witness at all; ``partial`` is the length of a last record cut short.
    """

    hashes: Sequence[bytes]
    partial: int = 0
    problem: str | None = None
    bad_record: int | None = None

    @property
    def last_seq(self) -> int:
        """The last seq witnessed (0 for none)."""
        return len(self.hashes)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _record(seq: int, row_hash: bytes) -> bytes:
    if len(row_hash) != HASH_BYTES:
        raise ValueError("a journal hash is 32 bytes")
    return seq.to_bytes(8, "big") + row_hash


def read_witness(path: Path) -> WitnessContent | None:
    """The witness's records, None when the file does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < HEADER_BYTES or data[:HEADER_BYTES] != HEADER:
        return WitnessContent((), problem="verify.witness_bad_header")
    body = data[HEADER_BYTES:]
    whole = len(body) - len(body) % RECORD_BYTES
    hashes: list[bytes] = []
    for offset in range(0, whole, RECORD_BYTES):
        seq = int.from_bytes(body[offset : offset + 8], "big")
        if seq != len(hashes) + 1:
            # records out of order or skipped: not something a crash does
            return WitnessContent(
                tuple(hashes), problem="verify.witness_out_of_order", bad_record=len(hashes) + 1
            )
        hashes.append(body[offset + 8 : offset + RECORD_BYTES])
    return WitnessContent(tuple(hashes), partial=len(body) - whole)


def last_witnessed(path: Path) -> int | None:
    """The seq of the last whole record (cheap: reads the header and the last record);
    None when the file is missing or its header or last record is not right."""
    try:
        with path.open("rb") as f:
            header = f.read(HEADER_BYTES)
            if header != HEADER:
                return None
            size = f.seek(0, os.SEEK_END) - HEADER_BYTES
            whole = size - size % RECORD_BYTES
            if whole == 0:
                return 0
            f.seek(HEADER_BYTES + whole - RECORD_BYTES)
            seq = int.from_bytes(f.read(8), "big")
    except FileNotFoundError:
        return None
    return seq if seq == whole // RECORD_BYTES else None


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    """An exclusive lock on the witness: the app and ``groupdesk log verify`` may both
    append (each takes the rows after the last whole record it finds under the lock)."""
    if fcntl is None:  # pragma: no cover -- Windows: one process writes the log at a time
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def append_after(
    path: Path, rows_after: Callable[[int], Sequence[tuple[int, bytes]]], *, sync: bool = False
) -> int | None:
    """Append the rows ``rows_after(last)`` returns (seq > last, committed) after the last
    whole record ``last``; a partial last record (a crash) is cut off first. Returns the
    last seq witnessed, or None when there is no witness to append to (missing, not a
    witness, or the rows do not follow on: verify says which)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        with _locked(fd):
            if os.pread(fd, HEADER_BYTES, 0) != HEADER:
                return None
            size = os.lseek(fd, 0, os.SEEK_END) - HEADER_BYTES
            extra = size % RECORD_BYTES
            last = (size - extra) // RECORD_BYTES
            if (
                last
                and int.from_bytes(os.pread(fd, 8, HEADER_BYTES + (last - 1) * RECORD_BYTES), "big")
                != last
            ):
                return None
            rows = rows_after(last)
            if rows and int(rows[0][0]) != last + 1:
                return None
            if extra:
                log.warning("journal witness: a last record cut short (%d bytes) dropped", extra)
                os.ftruncate(fd, HEADER_BYTES + last * RECORD_BYTES)
            if rows:
                os.lseek(fd, 0, os.SEEK_END)
                _write_all(fd, b"".join(_record(int(seq), bytes(h)) for seq, h in rows))
                last = int(rows[-1][0])
            if sync:
                os.fsync(fd)
            return last
    finally:
        os.close(fd)


def write_witness(path: Path, hashes: Sequence[bytes]) -> None:
    """Replace the witness with records 1..n for ``hashes`` (a new log, a first witness
    of an older log, or a restore): written aside, fsynced, then renamed into place."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
        try:
            _write_all(fd, HEADER)
            for start in range(0, len(hashes), 4096):
                chunk = hashes[start : start + 4096]
                _write_all(fd, b"".join(_record(start + i + 1, h) for i, h in enumerate(chunk)))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
