"""Kill -9 a writer at a random moment, then check what survived (used by a test and the soak)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from groupdesk.sessionlog import Store

CHILD = Path(__file__).with_name("crash_child.py")


@dataclass(frozen=True)
class CrashResult:
    """What one run saw: the last seq the child reported committed, and the journal head after."""

    last_reported: int
    head: int
    verified: bool
    reason: str


def crash_once(data_dir: Path, key: bytes, delay: float) -> CrashResult:
    """Start the writer, let it write for ``delay`` seconds, SIGKILL it, reopen and verify."""
    env = dict(os.environ, GROUPDESK_TEST_KEY=key.hex())
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        ready = proc.stdout.readline()
        if ready != b"ready\n":
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"writer did not start: {ready!r} {err}")
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # Only whole lines count: a seq cut mid-write was never fully reported.
    text = proc.stdout.read().decode()
    lines = text.split("\n")[:-1]
    reported = [int(line) for line in lines if line.isdigit()]
    if proc.stderr is not None:
        proc.stderr.close()
    proc.stdout.close()
    store = Store.open(data_dir, key, create=False)
    try:
        report = store.verify()
        head = int(store.connection.execute("SELECT seq FROM journal_head").fetchone()[0])
    finally:
        store.close()
    return CrashResult(
        last_reported=max(reported, default=-1),
        head=head,
        verified=report.ok,
        reason=report.message("en"),
    )
