"""The impaired-network benchmark still runs: ``bench_network.py --quick`` prints every row.

Only the rows are checked, never the figures (the suite runs on shared machines).
About 40 s: a server, an aiortc member and two headless Chromium participants, two
runs of 2 s per loss condition (their median and range), a 3 s outage, 6 s after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH = REPO_ROOT / "benchmarks" / "bench_network.py"

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import chromium_baseline  # noqa: E402


@pytest.mark.slow
def test_quick_run_prints_every_condition_for_both_receivers() -> None:
    chromium_missing = chromium_baseline.unavailable()
    if chromium_missing and os.environ.get("CI"):
        pytest.fail(f"the impaired-network benchmark needs {chromium_missing}")
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
    if chromium_missing:
        assert "bench_network: skipped" in out
        return
    assert "skipped" not in out, out
    lines = out.splitlines()
    for condition in ("0% +100ms", "2% +100ms", "5% +100ms", "12% +100ms", "outage 3 s"):
        for receiver in ("aiortc", "chromium"):
            words = [*condition.split(), receiver]
            rows = [line for line in lines if line.split()[: len(words)] == words]
            assert len(rows) == 1, f"no {condition} row for {receiver} in:\n{out}"
    for receiver in ("aiortc", "chromium"):
        assert f"after the outage, {receiver}: first picture" in out
    assert "2 run(s) of each" in out
    assert "load average (1 5 15 min):" in out
    row = next(line for line in lines if line.split()[:3] == ["5%", "+100ms", "aiortc"])
    frozen_range = row.split()[4]  # median, then min-max over the runs
    low, high = (float(x) for x in frozen_range.split("-"))
    assert low <= float(row.split()[3]) <= high, row
    assert "aiortc / chromium frozen time" in out
    assert "goal: aiortc frozen time no worse than Chromium's:" in out
    assert "no freeze over 2 s at 5% loss:" in out
