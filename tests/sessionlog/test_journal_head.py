"""The journal's head as the log holds it: what an export prints on every page."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.sessionlog import SessionLog, Store
from groupdesk.sessionlog.connection import connect


def test_the_head_is_the_last_row_s_sequence_and_hash(store: Store) -> None:
    assert store.journal_head() == (0, "0" * 64)  # nothing journaled yet: the genesis
    for seat in ("s1", "s2", "s3"):
        store.append_event(None, SeatEvent("lobby.admitted", seat, None))
    seq, hash_hex = store.journal_head()
    row = store.connection.execute("SELECT seq, hash FROM journal ORDER BY seq DESC").fetchone()
    assert (seq, hash_hex) == (3, bytes(row[1]).hex())
    assert len(hash_hex) == 64
    assert hash_hex != hashlib.sha256(b"").hexdigest()


def test_the_async_log_reads_it_on_its_writer_thread(data_dir: Path, key: bytes) -> None:
    async def scenario() -> tuple[int, str]:
        log = await SessionLog.open(data_dir, key)
        try:
            await log.append_event(None, SeatEvent("lobby.admitted", "s1", None))
            return await log.journal_head()
        finally:
            await log.close()

    seq, hash_hex = asyncio.run(scenario())
    conn = connect(data_dir / "groupdesk.db", key)
    try:
        head = conn.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    finally:
        conn.close()
    assert (seq, hash_hex) == (1, bytes(head[1]).hex())
