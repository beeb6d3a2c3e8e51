"""Notes at scale: search latency over 50,000 notes and the cost of an autosave, on the
real encrypted session log, against plain ``sqlite3`` in the same run.

    .venv/bin/python benchmarks/bench_notes.py [--notes 50000] [--queries 200] [--saves 200]
    .venv/bin/python benchmarks/bench_notes.py --quick      # 5,000 notes, CI smoke

The log is a real SQLCipher file opened by ``Store``, filled in one transaction through
``notes.add`` (so every note has its revision, its FTS5 row and its journal entry),
with varied French text over groups, members and two years of weekly sessions: a Zipf
spectrum over 4,000 words, real ones (accented or not) spread so that a searched word is
in 0.1 % to 40 % of the notes, three plain words in nearly all of them (the "common
word" row). A tenth of the notes are signed and carry an addendum.

Search rows time ``notes.search_hits`` (what the notes screen calls: up to 100 notes,
newest first), one query at a time, median and p95 over ``--queries`` queries each, for:

- enc      the encrypted log (sqlcipher3, the raw key);
- sqlite3  the same schema (the real migrations) and the same ``search_hits`` code on the
           standard library's ``sqlite3``, unencrypted, holding the same rows, with the
           same page cache: ``enc/sqlite3`` is the cost of encryption;
- plan     whether both sides ran the same query plans (EXPLAIN QUERY PLAN of every
           statement of the row's first query): ``same``, or ``DIFF`` when the two
           SQLite versions chose differently (the ratio then says less);
- bare     a bare FTS5 table (same ``unicode61 remove_diacritics 2`` tokenizer, same
           texts) on the standard library's ``sqlite3``: MATCH, ORDER BY rowid DESC,
           LIMIT, excerpts, no join, no filter, no addenda. The floor.

Autosave rows time one keystroke burst saved: ``Store.save_draft`` of a 2-5 kB text
(its own transaction, synchronous=FULL: what the editor does every 2 s) against the same
upsert of the draft row on plain ``sqlite3`` with the same PRAGMAs.

A last line times the common word on the bare table ranked by bm25 (ORDER BY rank, the
order the search had before): ranking costs a pass over every match, which no LIMIT
shortens; newest first stops at the LIMIT.

The goal is a p95 under 20 ms for search. No assertion: this is a report (the smoke test
only checks the rows are printed). The two sides link different SQLite versions.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from groupdesk.sessionlog import Store, notes  # noqa: E402
from groupdesk.sessionlog.migrations import migrate  # noqa: E402

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -8000",  # as the log's connection (sessionlog/connection.py)
)
# Words a practitioner writes; the accented ones are searched with and without accents.
ACCENTED = (
    "déménagement",
    "anxiété",
    "colère",
    "fièvre",
    "garçon",
    "français",
    "fenêtre",
    "prêt",
    "réseau",
    "sécurité",
    "répit",
    "écoute",
    "détresse",
    "préoccupation",
    "intérêt",
    "hôpital",
    "évaluation",
    "idéation",
    "démarche",
    "séparation",
    "deuxième",
    "problème",
    "thérapie",
    "médicament",
    "célébration",
    "reçu",
    "leçon",
    "aîné",
    "mère",
    "père",
    "frère",
    "sœur",
    "bébé",
    "créativité",
    "journée",
    "soirée",
    "énergie",
    "difficulté",
    "émotion",
    "hésitation",
)
PLAIN = (
    "sommeil",
    "famille",
    "travail",
    "deuil",
    "soutien",
    "isolement",
    "confiance",
    "parole",
    "groupe",
    "tour",
    "emploi",
    "logement",
    "santé",
    "crise",
    "ressource",
    "entraide",
    "respiration",
    "rendez-vous",
    "partage",
    "voisin",
    "enfant",
    "conjoint",
    "retraite",
    "budget",
    "transport",
    "école",
    "cuisine",
    "marche",
    "musique",
    "lecture",
    "alcool",
    "habitude",
    "objectif",
    "progrès",
    "rechute",
    "téléphone",
    "courriel",
    "Montréal",
    "Québec",
    "Rimouski",
    "Sherbrooke",
    "Gatineau",
    "Saguenay",
    "CLSC",
    "811",
)
GLUE = (
    "le", "la", "les", "de", "du", "des", "et", "à", "au", "en", "avec", "pour", "sans",
    "sur", "dans", "son", "sa", "ses", "une", "un", "très", "peu", "aussi", "encore",
    "depuis", "après", "avant", "parle", "mentionne", "rapporte", "exprime", "souhaite",
    "évoque", "décrit", "a", "est", "semble", "reste", "devient", "là", "où", "déjà",
)  # fmt: skip
FIRST = ("Ana", "Léo", "Zoé", "Émile", "Noémie", "François", "Hélène", "Jérôme", "Maëlle")


_SYLLABLES = (
    "ba", "bé", "cha", "ço", "dé", "di", "è", "fa", "fê", "ga", "gè", "jo", "la", "lé",
    "ma", "mè", "na", "né", "pa", "pè", "ra", "ré", "sa", "sé", "ta", "té", "va", "vê",
    "tion", "ment", "ité", "ère", "çon", "ette", "ôle", "ance", "ique", "eur", "îne",
)  # fmt: skip
VOCABULARY_SIZE = 4000


def _vocabulary() -> tuple[list[str], list[float]]:
    """A Zipf spectrum (weight 1/rank) over real and made-up French words: the three most
    common plain words at the top, the other real words spread from rank 10 to 3,000 (so a
    searched word is in 0.5 % to 40 % of the notes), made-up words (with accents)
    around them."""
    rng = random.Random(1)
    made_up: set[str] = set()
    while len(made_up) < VOCABULARY_SIZE:
        made_up.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    words = sorted(made_up - set(ACCENTED) - set(PLAIN))
    rng.shuffle(words)
    real = [w for pair in zip(ACCENTED, PLAIN[3:], strict=False) for w in pair]
    real += list(ACCENTED[len(PLAIN) - 3 :]) + list(PLAIN[3 + len(ACCENTED) :])
    step = (3000 - 10) // len(real)
    for i, word in enumerate(real):
        words.insert(10 + i * step, word)
    words[0:0] = PLAIN[:3]
    words = words[:VOCABULARY_SIZE]
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.05
        cumulative.append(total)
    return words, cumulative


VOCABULARY, _CUMULATIVE = _vocabulary()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(FIRST)]
    for _ in range(rng.randint(8, 22)):
        if rng.random() < 0.45:
            words.append(rng.choice(GLUE))
        else:
            words.extend(rng.choices(VOCABULARY, cum_weights=_CUMULATIVE))
    return " ".join(words) + rng.choice((".", ".", ".", " ?", " !"))


def note_text(rng: random.Random, low: int = 3, high: int = 12) -> str:
    """A note of ``low`` to ``high`` sentences of French."""
    return " ".join(_sentence(rng) for _ in range(rng.randint(low, high)))


@dataclass
class Built:
    groups: list[int]
    members: list[int]
    first_day: date
    last_day: date
    seconds: float


def build_log(store: Store, count: int, rng: random.Random) -> Built:
    """``count`` notes over 12 groups of 8 members, weekly sessions for two years; one
    transaction, through the sessionlog functions (revisions, FTS5 rows, journal)."""
    from groupdesk.sessionlog import records

    start = time.perf_counter()
    first = datetime(2024, 9, 2, 18, 0, tzinfo=UTC)
    weeks = 104
    groups: list[int] = []
    members: list[int] = []
    sessions: list[tuple[int, int, datetime]] = []  # (session, group, start)
    by_group: dict[int, list[int]] = {}
    with store.transaction() as conn:
        for g in range(12):
            group = records.create_group(conn, f"Groupe {g + 1} — {rng.choice(PLAIN)}", "", first)
            groups.append(group.id)
            for m in range(8):
                member = records.add_member(
                    conn, group.id, {"display_name": f"{FIRST[m]} {g}-{m}"}, first
                )
                members.append(member.id)
                by_group.setdefault(group.id, []).append(member.id)
            for w in range(weeks):
                when = first + timedelta(weeks=w, days=g % 5)
                session = records.create_session(
                    conn,
                    group.id,
                    when,
                    when + timedelta(hours=2),
                    modality="remote",
                    facilitators=("Julie",),
                )
                sessions.append((session.id, group.id, when))
        for i in range(count):
            session_id, group_id, when = sessions[i % len(sessions)]
            member_id = None if i % 9 == 0 else rng.choice(by_group[group_id])
            written = when + timedelta(hours=rng.randint(2, 96))
            note = notes.add(
                conn,
                group_id,
                note_text(rng),
                written,
                session_id=session_id,
                member_id=member_id,
            )
            if i % 10 == 0:
                notes.sign(conn, note.id, "Julie Tremblay", written)
                notes.add_addendum(conn, note.id, note_text(rng, 1, 2), "Julie", written)
    return Built(
        groups,
        members,
        first.date(),
        (first + timedelta(weeks=weeks)).date(),
        time.perf_counter() - start,
    )


def plain_copy(store: Store, path: Path) -> Any:
    """The same rows on the standard library's sqlite3: the real schema, plus a bare FTS5
    table over the same texts."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma).fetchall()
    migrate(conn)
    src = store.connection
    conn.execute("BEGIN")
    for table in ("groups", "members", "sessions", "notes", "note_revisions", "note_addenda"):
        rows = src.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ",".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.execute(
        "CREATE VIRTUAL TABLE bare USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO bare(rowid, body) SELECT id, body FROM notes")
    conn.execute("COMMIT")
    return conn


def bare_search(conn: Any, text: str, order: str = "rowid DESC") -> list[Any]:
    return list(
        conn.execute(
            "SELECT rowid, snippet(bare, 0, '[', ']', '…', 12) FROM bare WHERE bare MATCH ?"
            f" ORDER BY {order} LIMIT 100",
            (notes.fts_query(text),),
        ).fetchall()
    )


def strip_accents(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Case:
    """One query of a search row: what is typed, and the filters."""

    text: str
    filters: dict[str, Any]


def cases(rng: random.Random, built: Built, count: int) -> dict[str, list[Case]]:
    """``count`` queries per row, drawn once (the same for every side)."""
    rows: dict[str, list[Case]] = {}

    def add(label: str, make: Callable[[], Case]) -> None:
        rows[label] = [make() for _ in range(count)]

    def accented() -> str:
        return rng.choice(ACCENTED)

    add("accented word", lambda: Case(accented(), {}))
    add("same, typed without accents", lambda: Case(strip_accents(accented()), {}))
    add("prefix (5 letters)", lambda: Case(strip_accents(accented())[:5], {}))
    add("two words", lambda: Case(f"{accented()} {rng.choice(PLAIN)}", {}))
    add("common word", lambda: Case(rng.choice(PLAIN[:3]), {}))
    add("word + group", lambda: Case(accented(), {"group_id": rng.choice(built.groups)}))
    add("word + member", lambda: Case(accented(), {"member_id": rng.choice(built.members)}))

    def dated() -> Case:
        since = built.first_day + timedelta(days=rng.randint(0, 600))
        return Case(accented(), {"since": since, "until": since + timedelta(days=90)})

    add("word + 3-month window", dated)
    add(
        "word + group + window",
        lambda: Case(accented(), {**dated().filters, "group_id": rng.choice(built.groups)}),
    )
    return rows


def plans(conn: Any, case: Case) -> list[list[str]]:
    """The query plan of every statement ``search_hits`` runs for ``case`` (FTS5's own
    statements on its shadow tables left out, and the Bloom filters SQLite 3.53 puts
    before an IN list where 3.40 does not: the same tables, indexes and order)."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        notes.search_hits(conn, case.text, **case.filters)
    finally:
        conn.set_trace_callback(None)
    return [
        [
            str(row[3])
            for row in conn.execute("EXPLAIN QUERY PLAN " + statement)
            if row[3] != "CREATE BLOOM FILTER"  # newer SQLites add one on an IN list
        ]
        for statement in statements
        if statement.startswith("SELECT") and "'main'." not in statement
    ]


def timings(run: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.2f}"


def _goal(label: str, values: Sequence[float]) -> str:
    verdict = "met" if p95(values) < 0.020 else "NOT met"
    return (
        f"{label}: median {ms(statistics.median(values))} ms, p95 {ms(p95(values))} ms"
        f" over {len(values)} queries (goal p95 < 20 ms: {verdict})"
    )


def measure_search(store: Store, plain: Any, rows: dict[str, list[Case]]) -> list[str]:
    lines = [
        f"{'search (ms)':<30}{'enc med':>8}{'p95':>7}{'sqlite3 med':>12}{'p95':>7}"
        f"{'bare med':>9}{'p95':>7}{'plan':>6}{'enc/sqlite3':>12}{'hits':>7}"
    ]
    all_enc: list[float] = []
    specific: list[float] = []  # every row but the common word
    ranked: list[float] = []  # the common word on the bare table, ranked by bm25
    for label, queries in rows.items():
        enc: list[float] = []
        pln: list[float] = []
        bare: list[float] = []
        hits = 0
        for case in queries:
            # Interleaved, so load from other work on the machine falls on every side.
            found: list[Any] = []
            enc.append(
                timings(
                    lambda c=case, out=found: out.extend(
                        notes.search_hits(store.connection, c.text, **c.filters)
                    )
                )
            )
            hits += len(found)
            pln.append(timings(lambda c=case: notes.search_hits(plain, c.text, **c.filters)))
            if not case.filters:
                bare.append(timings(lambda c=case: bare_search(plain, c.text)))
            if label == "common word":
                ranked.append(timings(lambda c=case: bare_search(plain, c.text, "rank")))
        all_enc.extend(enc)
        if label != "common word":
            specific.extend(enc)
        ratio = statistics.median(enc) / statistics.median(pln)
        plan = "same" if plans(store.connection, queries[0]) == plans(plain, queries[0]) else "DIFF"
        bare_cols = (
            f"{ms(statistics.median(bare)):>9}{ms(p95(bare)):>7}" if bare else f"{'-':>9}{'-':>7}"
        )
        lines.append(
            f"{label:<30}{ms(statistics.median(enc)):>8}{ms(p95(enc)):>7}"
            f"{ms(statistics.median(pln)):>12}{ms(p95(pln)):>7}{bare_cols}{plan:>6}"
            f"{ratio:>11.2f}x{hits / len(queries):>7.1f}"
        )
    lines.append(_goal("all search queries, encrypted", all_enc))
    lines.append(_goal("all but the common word, encrypted", specific))
    lines.append(
        f"common word on bare FTS5, ranked by bm25 (ORDER BY rank, the order before): median"
        f" {ms(statistics.median(ranked))} ms, p95 {ms(p95(ranked))} ms"
    )
    return lines


def measure_autosave(store: Store, plain: Any, rng: random.Random, saves: int) -> list[str]:
    """One keystroke burst saved: the text grows a few words each time, 2-5 kB."""
    note_id = int(store.connection.execute("SELECT max(id) FROM notes").fetchone()[0])
    plain.execute("DELETE FROM note_drafts")
    text = note_text(rng, 12, 14)
    while len(text.encode()) < 2000:
        text += " " + _sentence(rng)
    enc: list[float] = []
    pln: list[float] = []
    sizes: list[int] = []
    for _ in range(saves):
        burst = " " + " ".join(rng.choice(GLUE + PLAIN) for _ in range(rng.randint(2, 6)))
        text = text + burst if len(text.encode()) < 5000 else text[:2000] + burst
        sizes.append(len(text.encode()))
        now = datetime.now(UTC).isoformat()
        enc.append(timings(lambda t=text: store.save_draft(note_id, t)))

        def upsert(t: str = text, at: str = now) -> None:
            plain.execute("BEGIN IMMEDIATE")
            plain.execute(
                "INSERT INTO note_drafts (note_id, body, saved_at) VALUES (?, ?, ?)"
                " ON CONFLICT(note_id) DO UPDATE SET body = excluded.body,"
                " saved_at = excluded.saved_at",
                (note_id, t, at),
            )
            plain.execute("COMMIT")

        pln.append(timings(upsert))
    return [
        f"{'autosave (ms)':<30}{'enc med':>8}{'p95':>7}{'sqlite3 med':>12}{'p95':>7}"
        f"{'':>22}{'enc/sqlite3':>12}",
        f"{f'save_draft, {min(sizes) // 1000}-{max(sizes) // 1000 + 1} kB x{saves}':<30}"
        f"{ms(statistics.median(enc)):>8}{ms(p95(enc)):>7}"
        f"{ms(statistics.median(pln)):>12}{ms(p95(pln)):>7}{'':>22}"
        f"{statistics.median(enc) / statistics.median(pln):>11.2f}x",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="notes search and autosave at scale")
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per search row")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="5,000 notes, 30 queries a row")
    args = parser.parse_args(argv)
    if args.quick:
        args.notes, args.queries, args.saves = 5_000, 30, 30
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        store = Store.open(root / "GroupDesk", secrets.token_bytes(32))
        try:
            built = build_log(store, args.notes, rng)
            start = time.perf_counter()
            plain = plain_copy(store, root / "plain.db")
            copied = time.perf_counter() - start
            size = (root / "GroupDesk" / "groupdesk.db").stat().st_size / 1e6
            print(
                f"bench_notes: {args.notes:,} notes, {len(built.groups)} groups,"
                f" {len(built.members)} members, sessions {built.first_day} to {built.last_day}"
            )
            print(
                f"built in {built.seconds:.1f} s through notes.add (one transaction);"
                f" plain copy {copied:.1f} s; encrypted file {size:.1f} MB"
            )
            print(
                f"SQLCipher {store.connection.execute('PRAGMA cipher_version').fetchone()[0]}"
                f" (SQLite {store.connection.execute('SELECT sqlite_version()').fetchone()[0]});"
                f" stdlib sqlite3 {sqlite3.sqlite_version}"
            )
            for line in measure_search(store, plain, cases(rng, built, args.queries)):
                print(line)
            for line in measure_autosave(store, plain, rng, args.saves):
                print(line)
            started = time.perf_counter()
            report = store.verify()
            print(
                f"verify (chain + every covered row): {time.perf_counter() - started:.1f} s,"
                f" {'sound' if report.ok else report.message('en')}"
            )
            plain.close()
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
