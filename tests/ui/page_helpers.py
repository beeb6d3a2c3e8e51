"""Helpers for the tests of the group, prepare and devices pages: a log with data, waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ui_helpers import Windows

from groupdesk.core.models import Group, Member
from groupdesk.core.session_plan import Clock
from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage

T0 = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the loop run until ``predicate()`` holds (``TimeoutError`` after ``timeout``)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def open_window(windows: Windows, now: Clock | None = None) -> MainWindow:
    """A window on the log of ``windows`` (the keyring holds the key), open on the home page;
    ``now`` is its clock (``ui_helpers.WINDOWS_CLOCK`` when not given)."""
    window = windows.open(now=now)
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    return window


async def seed_log(
    windows: Windows, *, members: int = 0, facilitator: str = ""
) -> tuple[Group, list[Member]]:
    """Create the log with one group of ``members`` people and one past session."""
    log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
    try:
        group = await log.create_group("Proches aidants", "Le mardi soir")
        people = [
            await log.add_member(group.id, f"Personne {i + 1}", phone=f"514-555-01{i:02d}")
            for i in range(members)
        ]
        past = await log.create_session(
            group.id,
            T0,
            T0 + timedelta(hours=2),
            facilitators=[facilitator] if facilitator else [],
            expected_member_ids=[m.id for m in people[:3]],
        )
        await log.start_session(past.id, T0)
        for member in people[:2]:
            await log.record_join(past.id, member.id, T0)
        await log.end_session(past.id, T0 + timedelta(hours=2))
        return group, people
    finally:
        await log.close()


def select_group(window: MainWindow, group_id: int) -> None:
    """Click the group in the list."""
    groups = window.home_page.groups.list
    for row in range(groups.count()):
        if groups.item(row).data(256) == group_id:  # Qt.ItemDataRole.UserRole
            groups.setCurrentRow(row)
            return
    raise AssertionError(f"group {group_id} is not listed")
