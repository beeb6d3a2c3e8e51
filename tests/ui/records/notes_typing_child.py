"""Run by test_notes_kill.py: the real notes page, offscreen, on a real log, typing.

Reads the log's key (hex) on stdin; argv: data folder, session id, note id, the
characters to type. Prints ``ready`` once the note is open, then types one character
every ``INTERVAL_MS`` with a QTimer and prints ``<index> <time.monotonic()>`` after
each, flushed, until its parent kills it (or it has typed them all).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from groupdesk.core.policy_values import load_policy
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.records.notes_page import NotesPage

INTERVAL_MS = 15


async def main(data_dir: Path, key: bytes, session_id: int, note_id: int, text: str) -> None:
    log = await SessionLog.open(data_dir, key, create=False)
    page = NotesPage(log, load_policy())
    page.resize(900, 600)
    page.show()
    if not await page.open_session(session_id, note_id):
        raise SystemExit("the notes page could not open the session")
    editor = page.editor
    done = asyncio.get_running_loop().create_future()
    typed = 0

    def type_one() -> None:
        nonlocal typed
        if typed == len(text):
            timer.stop()
            done.set_result(None)
            return
        QTest.keyClicks(editor, text[typed])
        print(typed, time.monotonic(), flush=True)
        typed += 1

    timer = QTimer()
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(type_one)
    print("ready", flush=True)
    timer.start()
    await done


if __name__ == "__main__":
    folder, session, note, to_type = sys.argv[1:5]
    key_hex = sys.stdin.readline().strip()
    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(
            main(Path(folder), bytes.fromhex(key_hex), int(session), int(note), to_type)
        )
