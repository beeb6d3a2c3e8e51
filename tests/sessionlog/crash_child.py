"""Writer killed by test_crash and scripts/soak_sessionlog.py: prints the journal head per commit.

``python crash_child.py DATA_DIR`` with the key (hex) in GROUPDESK_TEST_KEY.
Each transaction appends a journal event and, every third time, a note (FTS);
the head (the transaction's last seq) is printed only after COMMIT returned.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.sessionlog import Store, journal, notes


def main() -> None:
    store = Store.open(Path(sys.argv[1]), bytes.fromhex(os.environ["GROUPDESK_TEST_KEY"]))
    groups = store.list_groups() or [store.create_group("Groupe")]
    group_id = groups[0].id
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    i = 0
    while True:
        i += 1
        now = datetime.now(UTC)
        with store.transaction() as conn:
            journal.append(conn, None, SeatEvent("lobby.admitted", "x" * (i % 200), i), now)
            if i % 3 == 0:  # a note is journaled too (its revision's digest)
                notes.add(conn, group_id, f"note {i} " + "texte " * (i % 50), now)
            head = conn.execute("SELECT seq FROM journal_head").fetchone()[0]
        out.write(f"{head}\n")
        out.flush()


if __name__ == "__main__":
    main()
