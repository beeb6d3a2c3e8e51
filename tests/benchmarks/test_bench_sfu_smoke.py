"""The mesh-against-SFU benchmark still runs: ``bench_sfu.py --quick`` prints both rows.

Only the rows are checked, never the figures (the suite runs on shared machines).
About 40 s: Janus, a server per mode, three member processes in each call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from groupdesk.server import janus

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH = REPO_ROOT / "benchmarks" / "bench_sfu.py"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("janus") is None or janus.find_library_dir() is None,
    reason="needs Debian's janus",
)
def test_quick_run_prints_a_mesh_and_an_sfu_call_where_everyone_saw_everyone() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    mesh = re.search(
        r"^ 3 members mesh \(mesh, 3 reported\): up \d+ .*\(3/3 saw everyone\)$", out, re.M
    )
    sfu = re.search(
        r"^ 3 members sfu  \(sfu, 3 reported\): up \d+ .*\(3/3 saw everyone\)$", out, re.M
    )
    assert mesh is not None, out
    assert sfu is not None, out  # the SFU call really went through Janus
    assert re.search(r"3 members: \d+\.\d\d \(SFU \d+, mesh \d+ kbit/s\)", out), out
    assert "goal: SFU upload at most 1000 kbit/s for every member:" in out
