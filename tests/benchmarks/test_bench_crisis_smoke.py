"""The crisis-drop benchmark still runs: ``bench_crisis_drop.py --quick`` prints every
kind of row (about 20 s: two clean drops, one silent loss waited for 10 s).

Only the rows are checked, never the figures (the suite runs on shared machines).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH = REPO_ROOT / "benchmarks" / "bench_crisis_drop.py"


@pytest.mark.slow
def test_quick_run_prints_the_drop_to_panel_rows() -> None:
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

    def row(prefix: str) -> str:
        found = [line for line in lines if line.startswith(prefix)]
        assert found, f"no row starting with {prefix!r} in:\n{out}"
        return found[0]

    row("bench_crisis_drop: cores ")
    row("(a) clean drop: the participant hangs up without leaving")
    assert "(2 runs, " in row("panel: p50 ")  # both drops reached the panel
    assert "panel / transport at p50: " in row("transport (baseline): p50 ")
    silent = row("(b) silent network loss: ")
    assert silent.endswith("every packet either way vanishes") or ": skipped: " in silent
    assert "what detects a silent loss" in out
