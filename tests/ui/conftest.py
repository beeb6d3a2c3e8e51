"""Fixtures for the window tests: a qasync loop, the language switcher, windows on real logs."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.core import i18n
from groupdesk.ui.language import LanguageSwitcher

T = TypeVar("T")


@pytest.fixture
def run(qapp: QApplication) -> Iterator[Run[Any]]:
    """Run a scenario coroutine to completion on a qasync loop (the app's own loop)."""
    # As in the app: closing a window must not stop the loop under a running scenario.
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)

    def run_(coro: Coroutine[Any, Any, T]) -> T:
        try:
            return loop.run_until_complete(asyncio.wait_for(coro, 60))
        finally:
            _finish_leftovers(loop)
            # Collect the scenario's windows now, on the GUI thread: left to a later
            # collection, they could be destroyed from a worker thread, and Qt would
            # warn that their timers "cannot be stopped from another thread".
            gc.collect()

    try:
        yield run_
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def _finish_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what the scenario left running and let it end on the loop, as asyncio.run
    does: an aiortc connection still being set up when the scenario hung up would
    otherwise take its next step from Qt's event processing after the loop stopped
    ("no running event loop", and a coroutine never awaited)."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.wait(tasks, timeout=10))
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler(
                {
                    "message": "a task left by the scenario failed",
                    "exception": task.exception(),
                    "task": task,
                }
            )


@pytest.fixture
def languages(qapp: QApplication) -> Iterator[LanguageSwitcher]:
    """The language switcher, in English; back to English (no translators) afterwards."""
    switcher = LanguageSwitcher(qapp)
    switcher.set_language("en")
    yield switcher
    switcher.set_language("en")
    i18n.set_language("en")
    switcher.deleteLater()


@pytest.fixture
def windows(qtbot: Any, languages: LanguageSwitcher, tmp_path: Path) -> Windows:
    """Open main windows on a log in this test's folder."""
    return Windows(qtbot, languages, tmp_path)
