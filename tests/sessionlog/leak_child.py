"""Child of test_no_plaintext: writes a marker everywhere, TMPDIR pointed at a test dir.

Run as ``python leak_child.py DATA_DIR LOG_FILE MARKER`` with the key (hex) in
GROUPDESK_TEST_KEY. A separate process so that SQLite reads TMPDIR at start.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.sessionlog import Store


def main() -> None:
    data_dir, log_file, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    logging.basicConfig(filename=log_file, level=logging.DEBUG)
    assert tempfile.gettempdir() == os.environ["TMPDIR"]
    key = bytes.fromhex(os.environ["GROUPDESK_TEST_KEY"])
    store = Store.open(data_dir, key)
    group = store.create_group("Groupe")
    member = store.add_member(group.id, f"Ana {marker}name", phone="514-555-0100")
    t0 = datetime(2026, 1, 5, 18, tzinfo=UTC)
    session = store.create_session(group.id, t0, t0 + timedelta(hours=2))
    store.append_event(session.id, SeatEvent("lobby.admitted", f"{marker}journal", member.id))
    note = store.add_note(group.id, f"séance difficile {marker}note", session_id=session.id)
    store.revise_note(note.id, f"séance difficile {marker}note, révisée")
    # Work that could spill to temp files: big sorts, FTS, checks, backup, VACUUM.
    for i in range(3000):
        store.add_note(group.id, f"remplissage {i} " + "mot " * 30)
    assert [n.id for n in store.search_notes(f"{marker}note")] == [note.id]
    conn = store.connection
    conn.execute("SELECT body FROM notes ORDER BY body DESC, random()").fetchall()
    assert store.verify().ok
    store.backup(data_dir.parent / "backup.gdbk")
    print("open", flush=True)
    sys.stdin.readline()  # the parent scans the files while the log is open (WAL in use)
    store.purge(now=datetime(2026, 2, 1, tzinfo=UTC), retention_years=5)
    store.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
