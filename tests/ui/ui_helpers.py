"""Helpers for the window tests: waiting on signals from a qasync scenario, opening windows."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import SignalInstance

from groupdesk.core.session_plan import Clock
from groupdesk.ui import widgets
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.workspace import Workspace

T = TypeVar("T")
Run = Callable[[Coroutine[Any, Any, T]], T]


async def next_emission(signal: SignalInstance, timeout: float = 10.0) -> tuple[Any, ...]:
    """The app's own helper (CONVENTIONS item 9), with a test's more patient timeout."""
    return await widgets.next_emission(signal, timeout)


async def until(workspace: Workspace, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait for ``workspace.changed`` until ``predicate()`` holds."""
    while not predicate():
        await next_emission(workspace.changed, timeout)


def local_clock(year: int, month: int, day: int, hour: int, minute: int) -> Clock:
    """A clock stopped at this local (wall) time of this computer's time zone."""
    at = datetime(year, month, day, hour, minute).astimezone()
    return lambda: at


#: The windows' clock unless a test gives one: 22:30, when the proposed two-hour
#: session ends after midnight, so no page test depends on the hour it runs at.
WINDOWS_CLOCK = local_clock(2026, 12, 6, 22, 30)


class Windows:
    """Opens windows on logs in ``tmp_path`` and closes them (and their logs) at the end."""

    def __init__(self, qtbot: Any, languages: LanguageSwitcher, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.languages = languages
        self.data_dir = tmp_path / "log"
        self.opened: list[MainWindow] = []

    def open(self, *, env_passphrase: str | None = None, now: Clock | None = None) -> MainWindow:
        """A window; ``now`` is its clock (``WINDOWS_CLOCK`` when not given)."""
        workspace = Workspace(
            self.data_dir, env_passphrase=env_passphrase, now=now or WINDOWS_CLOCK
        )
        window = MainWindow(workspace, self.languages, settings=UserSettings())
        self.qtbot.addWidget(window)
        window.show()
        self.opened.append(window)
        return window

    async def close_all(self) -> None:
        """Close the windows and their logs."""
        for window in self.opened:
            window.close()
            await window.workspace.close()
        self.opened.clear()
