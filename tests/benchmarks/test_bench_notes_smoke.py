"""The notes benchmark still runs: ``bench_notes.py --quick`` (5,000 notes, about 20 s)
prints every row of its search and autosave tables, and the log it built verifies.

Only the rows are checked, never the figures (the suite runs on shared machines).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH = REPO_ROOT / "benchmarks" / "bench_notes.py"
SEARCH_ROWS = (
    "accented word",
    "same, typed without accents",
    "prefix (5 letters)",
    "two words",
    "common word",
    "word + group",
    "word + member",
    "word + 3-month window",
    "word + group + window",
)


@pytest.mark.slow
def test_quick_run_prints_the_search_and_autosave_rows() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    lines = out.splitlines()

    def row(prefix: str) -> list[str]:
        found = [line for line in lines if line.startswith(prefix)]
        assert found, f"no row starting with {prefix!r} in:\n{out}"
        return found[0][len(prefix) :].split()

    assert row("bench_notes: ")[0] == "5,000"
    for label in SEARCH_ROWS:
        cells = row(label)
        assert cells[-2].endswith("x"), cells  # enc/sqlite3 ratio
        assert cells[-3] in {"same", "DIFF"}, cells  # the two sides' query plans
        assert float(cells[-1]) > 0, f"{label}: the queries found nothing"  # hits per query
    assert "over 270 queries" in " ".join(row("all search queries, encrypted: "))
    assert "over 240 queries" in " ".join(row("all but the common word, encrypted: "))
    assert "p95" in row("common word on bare FTS5, ranked by bm25")
    assert row("save_draft, ")[-1].endswith("x")
    assert row("verify (chain + every covered row): ")[-1] == "sound"
