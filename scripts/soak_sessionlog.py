"""Soak the session log: kill -9 a writer many times, then check integrity and the hash chain.

    .venv/bin/python scripts/soak_sessionlog.py --runs 1000 [--max-delay 1.0] [--seed N]

The CI test does 50 runs (tests/sessionlog/test_crash.py); this runs as many
as you like against one database, reporting any run where verify fails or a
transaction reported committed is missing. Exit 0 when every run was sound.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.sessionlog.crash_harness import crash_once  # noqa: E402

from groupdesk.sessionlog import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--max-delay", type=float, default=1.0, help="seconds of writing per run")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--dir", type=Path, default=None, help="keep the database here")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    rng = random.Random(seed)
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.dir or Path(scratch) / "GroupDesk"
        Store.open(data_dir, key).close()
        head = 0
        failures = 0
        started = time.monotonic()
        for run in range(1, args.runs + 1):
            result = crash_once(data_dir, key, delay=rng.uniform(0.0, args.max_delay))
            floor = max(result.last_reported, head)
            if not result.verified or not floor <= result.head <= floor + 1:
                failures += 1
                print(f"FAIL run {run} (seed {seed}): {result}", flush=True)
            head = max(head, result.head)
            if run % 50 == 0 or run == args.runs:
                elapsed = time.monotonic() - started
                print(f"{run} runs, {head} transactions, {failures} failures, {elapsed:.0f} s")
    print(f"seed {seed}: {'sound' if failures == 0 else f'{failures} FAILED'}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
