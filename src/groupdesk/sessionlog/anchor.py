"""The journal's head kept outside the database: the witness file and the anchor.

The hash chain inside the database proves nothing against someone holding the
key: they can delete the newest rows and rewind ``journal_head``, or rewrite a
row and recompute every hash after it. So the chain is also kept outside the
database file:

* the **witness** (``witness.py``): every row's (seq, hash), appended after
  each commit; the first row whose hash differs from it is named;
* the **anchor**: the head (seq, hash, time) authenticated with an HMAC under
  a key derived from the log key, kept in ``keystore.json`` and, when a real
  backend is there, in the OS keyring; written when the log closes, after a
  session ends, when ``journal_anchor()`` is asked (each PDF prints it) and at
  most every ``ANCHOR_INTERVAL`` seconds otherwise; also inside each backup.

Order of writes: the database commits, then the witness is appended (and
fsynced before an anchor), then the anchor. So the witness may lag the
database (a crash: ``verify`` re-witnesses and says so) and the anchor may lag
the witness, never the other way round. The anchor only moves forward from an
anchor the database still matches: tampering found later is never blessed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from groupdesk.sessionlog.connection import file_salt
from groupdesk.sessionlog.errors import KeystoreDamaged
from groupdesk.sessionlog.keys import KEYRING_SERVICE, KeyStore, keyring_available
from groupdesk.sessionlog.migrations import statements
from groupdesk.sessionlog.paths import db_path
from groupdesk.sessionlog.witness import (
    append_after,
    last_witnessed,
    read_witness,
    witness_path,
    write_witness,
)

log = logging.getLogger(__name__)

#: At most this often (seconds) an ordinary write moves the anchor.
ANCHOR_INTERVAL = 60.0
_KEY_LABEL = b"groupdesk journal anchor v1"
_MAC_LABEL = "groupdesk journal anchor v1"
_HEX32 = re.compile(r"[0-9a-f]{64}")
#: The table a backup carries its anchor in (only in backups, dropped at restore).
BACKUP_TABLE = "backup_anchor"


def anchor_key(key: bytes) -> bytes:
    """The HMAC key of anchors, derived from the log key (never the log key itself)."""
    return hmac.new(key, _KEY_LABEL, hashlib.sha256).digest()


def keyring_username(db_salt: bytes) -> str:
    """The keyring entry of one database's anchor (its file salt: one per database)."""
    return f"journal anchor {db_salt.hex()}"


@dataclass(frozen=True, slots=True)
class Anchor:
    """The journal head at a moment: seq, hash, UTC time, and whether a keyring copy was made."""

    seq: int
    hash: bytes
    at: str
    keyring: bool = False

    def _mac(self, akey: bytes) -> str:
        text = f"{_MAC_LABEL}|{self.seq}|{self.hash.hex()}|{self.at}|{int(self.keyring)}"
        return hmac.new(akey, text.encode(), hashlib.sha256).hexdigest()

    def record(self, akey: bytes) -> dict[str, Any]:
        """The JSON object kept in keystore.json, the keyring and backups."""
        return {
            "seq": self.seq,
            "hash": self.hash.hex(),
            "at": self.at,
            "keyring": self.keyring,
            "mac": self._mac(akey),
        }


class ForgedAnchorError(ValueError):
    """An anchor record that is malformed or whose HMAC does not verify."""


def parse_anchor(value: Any, akey: bytes) -> Anchor:
    """The anchor in ``value`` (a JSON object) once its HMAC verifies; ForgedAnchorError if not."""
    if not isinstance(value, Mapping):
        raise ForgedAnchorError("not an object")
    seq, row_hash, at, in_keyring, mac = (
        value.get(name) for name in ("seq", "hash", "at", "keyring", "mac")
    )
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise ForgedAnchorError("seq")
    if not isinstance(row_hash, str) or not _HEX32.fullmatch(row_hash):
        raise ForgedAnchorError("hash")
    if not isinstance(at, str) or not isinstance(in_keyring, bool) or not isinstance(mac, str):
        raise ForgedAnchorError("fields")
    anchor = Anchor(seq, bytes.fromhex(row_hash), at, in_keyring)
    if not hmac.compare_digest(anchor._mac(akey), mac):
        raise ForgedAnchorError("mac")
    return anchor


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing verify says: a message key, the row it names (if any), its parameters."""

    reason: str
    seq: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """What the outside copies say: the first problem (or None) and benign notes."""

    problem: Finding | None
    notes: tuple[Finding, ...] = ()


# -- the triggers the migrations create --------------------------------------
_CREATE_TRIGGER = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s.*?\bON\s+(\w+)",
    re.IGNORECASE | re.DOTALL,
)
_DROP_TRIGGER = re.compile(r"^\s*DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)", re.IGNORECASE)


def _normal(sql: str) -> str:
    text = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"(?i)^CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ", text)


def expected_triggers(version: int) -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, normalised SQL) as the migrations up to ``version`` leave them."""
    expected: dict[str, tuple[str, str]] = {}
    for _version, sql in statements(version):
        for statement in sql:
            if created := _CREATE_TRIGGER.match(statement):
                expected[created.group(1)] = (created.group(2), _normal(statement))
            elif dropped := _DROP_TRIGGER.match(statement):
                expected.pop(dropped.group(1), None)
    return expected


def check_triggers(conn: Any) -> Finding | None:
    """The first trigger removed, changed or added behind the migrations' back."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    expected = expected_triggers(version)
    found = {
        str(name): (str(table), _normal(str(sql or "")))
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
    }
    for name, (table, sql) in expected.items():
        if name not in found:
            return Finding("verify.trigger_missing", params={"trigger": name, "table": table})
        if found[name] != (table, sql):
            return Finding("verify.trigger_changed", params={"trigger": name, "table": table})
    for name, (table, _sql) in found.items():
        if name not in expected:
            return Finding("verify.trigger_unexpected", params={"trigger": name, "table": table})
    return None


# -- reading the database ----------------------------------------------------
def chain_hashes(conn: Any) -> list[bytes]:
    """Every row's hash in seq order (the chain is checked first, so seq runs 1..n)."""
    cursor = conn.execute("SELECT hash FROM journal ORDER BY seq")
    hashes: list[bytes] = []
    while batch := cursor.fetchmany(4096):
        hashes.extend(bytes(row[0]) for row in batch)
    return hashes


def head(conn: Any) -> tuple[int, bytes]:
    """The journal head (seq, hash) as recorded in the database."""
    seq, row_hash = conn.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    return int(seq), bytes(row_hash)


def _row_hash(conn: Any, seq: int) -> bytes | None:
    if seq == 0:
        return bytes(32)  # the empty journal's head
    row = conn.execute("SELECT hash FROM journal WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else bytes(row[0])


#: ``PRAGMA application_id`` of a log whose journal is anchored ("GDWA"): once set, a
#: missing witness and anchors read as removed, not as a log made before anchoring.
ANCHORED_MARK = 0x47445741


def _marked(conn: Any) -> bool:
    return int(conn.execute("PRAGMA application_id").fetchone()[0]) == ANCHORED_MARK


def _mark(conn: Any) -> None:
    conn.execute(f"PRAGMA application_id = {ANCHORED_MARK}")


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- backups -----------------------------------------------------------------
def write_backup_anchor(conn: Any, schema: str, key: bytes) -> Anchor:
    """Put the head of the exported copy ``schema`` inside it, authenticated."""
    sql = f"SELECT seq, hash FROM {schema}.journal_head"  # noqa: S608 -- our schema name
    seq, row_hash = conn.execute(sql).fetchone()
    anchor = Anchor(int(seq), bytes(row_hash), _utc_now())
    conn.execute(f"CREATE TABLE {schema}.{BACKUP_TABLE} (id INTEGER PRIMARY KEY, record TEXT)")
    conn.execute(
        f"INSERT INTO {schema}.{BACKUP_TABLE} (id, record) VALUES (1, ?)",  # noqa: S608
        (json.dumps(anchor.record(anchor_key(key)), sort_keys=True),),
    )
    return anchor


def read_backup_anchor(conn: Any, key: bytes) -> Anchor | None:
    """The anchor a backup carries (None for backups made before anchors); ForgedAnchorError
    when it is there but does not verify."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (BACKUP_TABLE,)
    ).fetchone()
    if exists is None:
        return None
    row = conn.execute(f"SELECT record FROM {BACKUP_TABLE} WHERE id = 1").fetchone()  # noqa: S608
    if row is None:
        raise ForgedAnchorError("empty")
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        raise ForgedAnchorError("not JSON") from None
    return parse_anchor(value, anchor_key(key))


# -- the outside copies --------------------------------------------------------
class Anchoring:
    """The witness and the anchor of one open log (used from the Store's thread)."""

    def __init__(
        self,
        data_dir: Path,
        key: bytes,
        db_salt: bytes,
        *,
        clock: Callable[[], float] | None = None,
        now: Callable[[], str] = _utc_now,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.witness = witness_path(self.data_dir)
        self._key = key
        self._akey = anchor_key(key)
        self._username = keyring_username(db_salt)
        self.clock = clock or time.monotonic
        self.now = now
        self.interval = ANCHOR_INTERVAL
        self._witnessed: int | None = None
        self._anchored_at = self.clock()
        self._last: Anchor | None = None

    # -- where anchors live ---------------------------------------------
    def _keystore_value(self) -> tuple[bool, Any]:
        """(keystore.json usable for anchors, its anchor value or None)."""
        try:
            return KeyStore(self.data_dir).anchor_record(self._key)
        except KeystoreDamaged:
            return False, None

    def _keyring_value(self) -> tuple[bool, Any]:
        """(a keyring backend answered, the anchor it holds or None)."""
        if not keyring_available():
            return False, None
        try:
            text = keyring.get_password(KEYRING_SERVICE, self._username)
        except keyring.errors.KeyringError as error:
            log.warning("keyring read of the journal anchor failed: %s", type(error).__name__)
            return False, None
        if text is None:
            return True, None
        try:
            return True, json.loads(text)
        except ValueError:
            return True, text  # not JSON: parse_anchor calls it forged

    def _recorded(self) -> list[tuple[str, Anchor]]:
        """The anchors that verify, by where they are kept (forged ones are left out)."""
        found: list[tuple[str, Anchor]] = []
        for where, (_usable, value) in (
            ("keystore", self._keystore_value()),
            ("keyring", self._keyring_value()),
        ):
            if value is None:
                continue
            try:
                found.append((where, parse_anchor(value, self._akey)))
            except ForgedAnchorError:
                continue
        return found

    def store_anchor(self, anchor: Anchor) -> None:
        """Keep ``anchor`` in keystore.json and, when a backend is there, in the keyring."""
        in_keyring = False
        if keyring_available():
            copy = Anchor(anchor.seq, anchor.hash, anchor.at, keyring=True)
            try:
                keyring.set_password(
                    KEYRING_SERVICE,
                    self._username,
                    json.dumps(copy.record(self._akey), sort_keys=True),
                )
                in_keyring = True
            except keyring.errors.KeyringError as error:
                log.warning("keyring refused the journal anchor: %s", type(error).__name__)
        anchor = Anchor(anchor.seq, anchor.hash, anchor.at, keyring=in_keyring)
        try:
            KeyStore(self.data_dir).record_anchor(self._key, anchor.record(self._akey))
        except OSError as error:
            log.warning("journal anchor not written to keystore.json: %s", error)
        self._last = anchor
        self._anchored_at = self.clock()

    # -- after open, after each commit, at close -------------------------
    def _began(self, conn: Any) -> bool:
        """Whether anchoring ever began for this log: an anchor value anywhere (even a
        forged one) or the database's mark."""
        if self._keystore_value()[1] is not None or self._keyring_value()[1] is not None:
            return True
        return _marked(conn)

    def start(self, conn: Any, *, catch_up: bool = False) -> None:
        """At open: a log never anchored (new, or made before anchoring: no witness, no
        anchor anywhere, no mark in the database header) is witnessed and anchored now.
        Otherwise appends resume where the witness stops; a missing or damaged witness
        is left for verify to report, and a lagging one for verify to catch up and say
        so (unless migrations just wrote rows: ``catch_up``)."""
        recorded = self._recorded()
        self._last = max((a for _w, a in recorded), key=lambda a: a.seq, default=None)
        if not self.witness.exists() and not self._began(conn):
            write_witness(self.witness, chain_hashes(conn))
            _mark(conn)
            self._witnessed = len(chain_hashes(conn))
            self.anchor_now(conn)
            log.info("journal witness and anchor started")
            return
        if catch_up:
            self._append(conn, sync=True)
        else:
            self._witnessed = last_witnessed(self.witness)
        if self._witnessed is not None and not _marked(conn):
            _mark(conn)  # anchored before the mark existed, or restored

    def after_commit(self, conn: Any) -> None:
        """Witness the rows committed since the last witnessed one; anchor if it is time."""
        self._append(conn, sync=False)
        if self.clock() - self._anchored_at >= self.interval:
            self.anchor_now(conn)

    def _append(self, conn: Any, *, sync: bool) -> None:
        def rows_after(last: int) -> list[tuple[int, bytes]]:
            return [
                (int(seq), bytes(row_hash))
                for seq, row_hash in conn.execute(
                    "SELECT seq, hash FROM journal WHERE seq > ? ORDER BY seq", (last,)
                )
            ]

        try:
            self._witnessed = append_after(self.witness, rows_after, sync=sync)
        except OSError as error:
            log.warning("journal witness not written (it lags; verify catches up): %s", error)

    def anchor_now(self, conn: Any) -> tuple[int, bytes]:
        """Witness what is committed, then anchor the head if the database still matches
        the last anchor and the witness holds the head. Returns the head."""
        self._append(conn, sync=True)
        seq, row_hash = head(conn)
        last = self._last
        if self._witnessed != seq:
            log.warning("journal anchor not moved: the witness does not hold the head")
        elif last is not None and (last.seq > seq or _row_hash(conn, last.seq) != last.hash):
            log.warning("journal anchor not moved: the database no longer matches it")
        elif (
            last is None
            or (last.seq, last.hash) != (seq, row_hash)
            or (not last.keyring and keyring_available())
        ):
            self.store_anchor(Anchor(seq, row_hash, self.now()))
        self._anchored_at = self.clock()
        return seq, row_hash

    # -- verify ------------------------------------------------------------
    def check(self, conn: Any) -> AnchorCheck:  # noqa: PLR0911, PLR0912 -- one list of checks
        """Compare the database's chain with the witness and the anchors."""
        notes: list[Finding] = []
        keystore_ok, keystore_value = self._keystore_value()
        keyring_ok, keyring_value = self._keyring_value()
        anchors: list[tuple[str, Anchor]] = []
        for where, value in (("keystore", keystore_value), ("keyring", keyring_value)):
            if value is None:
                continue
            try:
                anchors.append((where, parse_anchor(value, self._akey)))
            except ForgedAnchorError as error:
                log.warning("journal anchor in %s does not verify (%s)", where, error)
                return AnchorCheck(Finding("verify.anchor_forged", params={"where": where}))
        hashes = chain_hashes(conn)
        rows = len(hashes)
        content = read_witness(self.witness)
        if content is None:
            if rows or anchors or _marked(conn):
                return AnchorCheck(Finding("verify.witness_missing", params={"rows": rows}))
        elif content.problem is not None:
            return AnchorCheck(Finding(content.problem, content.bad_record))
        witnessed = () if content is None else content.hashes
        for index, (inside, outside) in enumerate(zip(hashes, witnessed, strict=False)):
            if not hmac.compare_digest(inside, outside):
                return AnchorCheck(Finding("verify.witness_mismatch", index + 1))
        if len(witnessed) > rows:
            return AnchorCheck(_cut(rows, len(witnessed)))
        for where, anchor in anchors:
            if anchor.seq > rows:
                return AnchorCheck(_cut(rows, anchor.seq))
            if anchor.seq and not hmac.compare_digest(hashes[anchor.seq - 1], anchor.hash):
                return AnchorCheck(Finding("verify.anchor_mismatch", anchor.seq, {"where": where}))
            if anchor.seq > len(witnessed):
                return AnchorCheck(
                    Finding(
                        "verify.witness_short",
                        len(witnessed) + 1,
                        {"anchor": anchor.seq, "last": len(witnessed)},
                    )
                )
        by_where = dict(anchors)
        if keystore_ok and "keystore" not in by_where:
            return AnchorCheck(Finding("verify.anchor_missing", params={"where": "keystore"}))
        keystore_anchor = by_where.get("keystore")
        keyring_expected = keystore_anchor is not None and keystore_anchor.keyring
        if keyring_ok and keyring_expected and "keyring" not in by_where:
            return AnchorCheck(Finding("verify.anchor_missing", params={"where": "keyring"}))
        if not anchors:
            notes.append(Finding("verify.note.no_anchor"))
        if content is not None and content.partial:
            notes.append(Finding("verify.note.witness_partial", params={"bytes": content.partial}))
        if len(witnessed) < rows:
            notes.append(Finding("verify.note.rewitnessed", len(witnessed) + 1, {"last": rows}))
        if content is not None and (content.partial or len(witnessed) < rows):
            self._append(conn, sync=True)
        return AnchorCheck(None, tuple(notes))


def _cut(kept: int, last: int) -> Finding:
    return Finding("verify.cut", kept + 1, {"last": last, "kept": kept})


def keep_anchor(data_dir: Path, key: bytes, anchor: Anchor) -> None:
    """Keep ``anchor`` outside the log in ``data_dir`` (keystore.json, keyring); used
    again after a restore on a new computer, once keystore.json exists."""
    salt = file_salt(db_path(data_dir))
    Anchoring(data_dir, key, salt).store_anchor(anchor)


def reset_after_restore(
    data_dir: Path, key: bytes, hashes: Sequence[bytes], anchor: Anchor
) -> None:
    """A restored database starts a new witness (its rows) under the backup's anchor;
    the previous witness is kept beside it, like the previous database."""
    path = witness_path(data_dir)
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        os.replace(path, path.with_name(f"{path.name}.before-restore-{stamp}"))
    write_witness(path, hashes)
    keep_anchor(data_dir, key, anchor)
