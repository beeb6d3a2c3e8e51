"""SQLCipher's cost over plain SQLite for the session log's own work, measured in one run.

    .venv/bin/python benchmarks/bench_sessionlog.py [--events 10000] [--notes 20000]

Both sides run the same schema (the real migrations), the same PRAGMAs (WAL,
synchronous=FULL, temp_store=MEMORY, secure_delete=ON) and the same Python
code (journal hashing, note revisions, FTS5 queries); the only difference is
the connection: sqlcipher3 with the raw key vs the standard library's sqlite3
unencrypted. Note that the two link different SQLite versions (bundled in
sqlcipher3 vs the system's). Printed:

- journal insert, one transaction per event (what the API does: fsync-bound)
- journal insert, all events in one transaction (CPU-bound: shows the cipher)
- FTS search over the notes
- open time with the key from the keyring (unlock + integrity gate + migrations
  check) on the populated database

SQLCipher's documented overhead is 5-15 %. No assertion: this is a report.
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import keyring  # noqa: E402
import keyring.backend  # noqa: E402

from groupdesk.core.journal_kinds import SeatEvent  # noqa: E402
from groupdesk.sessionlog import KeyStore, Store, journal, notes  # noqa: E402
from groupdesk.sessionlog.connection import connect, integrity_gate  # noqa: E402
from groupdesk.sessionlog.migrations import migrate  # noqa: E402
from groupdesk.sessionlog.paths import db_path  # noqa: E402

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
)
WORDS = (
    "anxiété",
    "sommeil",
    "famille",
    "travail",
    "colère",
    "deuil",
    "soutien",
    "isolement",
    "confiance",
    "parole",
    "écoute",
    "groupe",
    "tour",
    "table",
    "emploi",
    "logement",
    "santé",
    "crise",
    "ressource",
    "entraide",
    "respiration",
)


def plain(path: Path) -> Any:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma).fetchall()
    return conn


def encrypted(path: Path, key: bytes) -> Any:
    path.touch()
    return connect(path, key)


def unkeyed(path: Path) -> Any:
    """The same engine as SQLCipher (same SQLite version and build), with no key."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma).fetchall()
    return conn


KINDS = ("enc", "raw", "pln")


def open_kind(kind: str, path: Path, key: bytes) -> Any:
    if kind == "enc":
        return encrypted(path, key)
    return unkeyed(path) if kind == "raw" else plain(path)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def insert_events(conn: Any, count: int, per_transaction: bool) -> None:
    now = datetime.now(UTC)
    if not per_transaction:
        conn.execute("BEGIN IMMEDIATE")
    for i in range(count):
        if per_transaction:
            conn.execute("BEGIN IMMEDIATE")
        seat = f"{i % 12:012x}"
        journal.append(conn, None, SeatEvent("lobby.admitted", seat, i % 300), now)
        if per_transaction:
            conn.execute("COMMIT")
    if not per_transaction:
        conn.execute("COMMIT")


def fill_notes(conn: Any, count: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    now = datetime.now(UTC)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO groups (id, name, created_at) VALUES (1, 'G', ?)", (now.isoformat(),))
    for _ in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(60))
        notes.add(conn, 1, body, now)
    conn.execute("COMMIT")


def search_notes(conn: Any, queries: list[str]) -> int:
    return sum(len(notes.search(conn, q, limit=50)) for q in queries)


class _BenchKeyring(keyring.backend.KeyringBackend):
    """In-process keyring, used only when this machine has no OS keyring."""

    priority = 1  # type: ignore[assignment]
    entries: dict[tuple[str, str], str] = {}  # noqa: RUF012

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def ratio(enc: float, pln: float) -> str:
    return f"{enc / pln:.2f}x ({(enc / pln - 1) * 100:+.0f}%)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SQLCipher vs plain SQLite for the session log")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the CPU-bound parts")
    args = parser.parse_args(argv)
    key = secrets.token_bytes(32)
    import random

    rng = random.Random(7)
    queries = [" ".join(rng.sample(WORDS, rng.choice((1, 2)))) for _ in range(args.queries)]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        results: dict[str, dict[str, float]] = {}
        n = args.events

        def journal_run(kind: str, run: int, per_transaction: bool) -> float:
            path = root / f"journal-{kind}-{per_transaction}-{run}.db"
            conn = open_kind(kind, path, key)
            migrate(conn)
            elapsed = timed(lambda: insert_events(conn, n, per_transaction))
            conn.close()
            return elapsed

        # Round robin (enc, raw, sqlite3, enc, ...) so that disk and CPU noise from
        # other work on the machine falls on every side alike; best of N.
        for per_transaction in (True, False):
            name = "journal, 1 txn/event" if per_transaction else "journal, 1 txn total"
            times: dict[str, list[float]] = {kind: [] for kind in KINDS}
            for r in range(args.repeat):
                for kind in KINDS:
                    times[kind].append(journal_run(kind, r, per_transaction))
            results[name] = {kind: min(values) for kind, values in times.items()}

        fills: dict[str, list[float]] = {kind: [] for kind in KINDS}
        conns: dict[str, Any] = {}
        for r in range(args.repeat):
            for kind in KINDS:
                conn = open_kind(kind, root / f"notes-{kind}-{r}.db", key)
                migrate(conn)
                fills[kind].append(timed(lambda conn=conn: fill_notes(conn, args.notes, 1)))
                if r == args.repeat - 1:
                    conns[kind] = conn  # the last copies serve the searches
                else:
                    conn.close()
        results[f"{args.notes} notes insert"] = {k: min(v) for k, v in fills.items()}
        searches: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for _ in range(args.repeat):
            for kind, conn in conns.items():
                searches[kind].append(timed(lambda c=conn: search_notes(c, queries)))
        results[f"FTS search x{len(queries)}"] = {k: min(v) for k, v in searches.items()}
        for conn in conns.values():
            conn.close()

        # Open time with the key from the keyring, on the populated database.
        if not keyring_usable():
            keyring.set_keyring(_BenchKeyring())
        data_dir = root / "GroupDesk"
        key2 = KeyStore(data_dir).create().key
        store = Store.open(data_dir, key2)
        fill_notes(store.connection, args.notes, 2)
        insert_events(store.connection, n, False)
        store.close()
        size_mb = (data_dir / "groupdesk.db").stat().st_size / 1e6
        opens, unlocks, gates = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            unlocked = KeyStore(data_dir).unlock()
            unlocks.append(time.perf_counter() - start)
            opened = Store.open(data_dir, unlocked)
            opens.append(time.perf_counter() - start)
            opened.close()
            gates.append(timed(lambda k=unlocked: integrity_gate(db_path(data_dir), k)))

    print(f"SQLCipher {sqlcipher_version()}; stdlib sqlite3 {sqlite3.sqlite_version}")
    print("enc = SQLCipher with the key; raw = same library, no key; sqlite3 = stdlib, no key")
    header = f"{'work':<24}{'enc':>9}{'raw':>9}{'sqlite3':>9}   {'enc/raw':<17}enc/sqlite3"
    print(header)
    for name, t in results.items():
        print(
            f"{name:<24}{t['enc'] * 1000:>7.0f}ms{t['raw'] * 1000:>7.0f}ms{t['pln'] * 1000:>7.0f}ms"
            f"   {ratio(t['enc'], t['raw']):<17}{ratio(t['enc'], t['pln'])}"
        )
    events_per_s = n / results["journal, 1 txn/event"]["enc"]
    print(f"journal events committed one by one: {events_per_s:,.0f}/s encrypted")
    print(
        f"open with keyring key (unlock + gate + migrate), {size_mb:.1f} MB file: "
        f"median {statistics.median(opens) * 1000:.0f} ms, best {min(opens) * 1000:.0f} ms"
        f" (keyring: {type(keyring.get_keyring()).__name__})"
    )
    print(
        f"  of which unlock {min(unlocks) * 1000:.1f} ms; integrity gate (cipher_integrity_check"
        f" + quick_check, read-only) {min(gates) * 1000:.0f} ms"
    )
    return 0


def keyring_usable() -> bool:
    from groupdesk.sessionlog import keyring_available

    return keyring_available()


def sqlcipher_version() -> str:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    version = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    conn.close()
    return version


if __name__ == "__main__":
    raise SystemExit(main())
