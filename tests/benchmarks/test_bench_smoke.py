"""The benchmarks still run: ``bench_call.py --quick`` and ``bench_server.py --abuse --quick``
print every kind of row.

Only the rows are checked, never the figures (the suite runs on shared machines).
bench_call, about 25 s: two aiortc members for a 2 s window, then two headless Chromium
peers; bench_server --abuse, about 10 s: four small floods on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH = REPO_ROOT / "benchmarks" / "bench_call.py"
BENCH_SERVER = REPO_ROOT / "benchmarks" / "bench_server.py"

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import chromium_baseline  # noqa: E402


@pytest.mark.slow
def test_quick_run_prints_the_aiortc_and_chromium_rows() -> None:
    chromium_missing = chromium_baseline.unavailable()
    if chromium_missing and os.environ.get("CI"):
        pytest.fail(f"the Chromium baseline needs {chromium_missing}")
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    lines = result.stdout.splitlines()

    def row(prefix: str) -> str:
        found = [line for line in lines if line.lstrip().startswith(prefix)]
        assert found, f"no row starting with {prefix!r} in:\n{result.stdout}"
        return found[0]

    row("bench_call: ")
    row("full mesh: everyone sends video")
    assert row("2      on").split()[-1] == "640x360"  # N, fan-out ... profile
    row("peer baseline: 2 members, 640x360")
    assert "/" in row("aiortc, fan-out on")  # median/p90
    if chromium_missing:
        assert "chromium: skipped" in result.stdout
        return
    assert "/" in row("chromium ")
    row("chromium, where it goes:")
    assert "latency median" in row("aiortc / chromium (fan-out on)")
    assert "candidates exchanged: 127.0.0.1;" in result.stdout


@pytest.mark.slow
def test_abuse_run_prints_every_attack_and_what_the_server_answered() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH_SERVER), "--abuse", "--quick"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    assert "1. sign-in flood: 60 connections from 127.0.0.2" in out, out
    assert "real sign-in, credential not yet seen (scrypt): no flood median" in out
    assert "real sign-ins under flood answered: welcome 5" in out  # nobody refused
    assert "sign_in_busy" in out
    assert "2. connection flood: 100 sockets from 127.0.0.3: 64 accepted, 36 refused" in out
    assert "3. message flood, 500 messages a socket: 1 socket:" in out
    assert "refused lobby_address_full 12; a real member from 127.0.0.1 then waits" in out


def test_only_loopback_udp_candidates_are_passed_between_the_pages() -> None:
    sdp = (
        "v=0\r\n"
        "a=candidate:1 1 udp 2122194687 127.0.0.1 47401 typ host generation 0\r\n"
        "a=candidate:2 1 udp 2122063615 192.0.2.2 56139 typ host generation 0\r\n"
        "a=candidate:3 1 udp 2122267903 ::1 45643 typ host generation 0\r\n"
        "a=candidate:4 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active\r\n"
        "a=end-of-candidates\r\n"
    )
    kept = chromium_baseline.loopback_only(sdp)
    assert chromium_baseline.candidate_addresses(kept) == ["127.0.0.1"]
    assert "udp 2122194687 127.0.0.1 47401" in kept
    assert kept.startswith("v=0\r\n")
    assert kept.endswith("a=end-of-candidates\r\n")
