"""Helpers for the notes page tests: a log with one past session, the page, waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from groupdesk.core.models import Member, Session
from groupdesk.sessionlog import SessionLog

T0 = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)
FACILITATOR = "Julie Lavoie"
NAMES = ("Ana Tremblay", "Benoît Côté", "Chloé Gagnon")
"""Ana and Benoît come, Chloé is expected and absent."""


@dataclass(frozen=True)
class Seeded:
    """What ``seed`` wrote: the group's id, its members and the past session."""

    group_id: int
    members: list[Member]
    session: Session


async def seed(log: SessionLog) -> Seeded:
    """One group, three members expected at a past session, two of whom came."""
    group = await log.create_group("Proches aidants", "Le mardi soir")
    members = [await log.add_member(group.id, name) for name in NAMES]
    session = await log.create_session(
        group.id,
        T0,
        T0 + timedelta(hours=2),
        facilitators=[FACILITATOR],
        expected_member_ids=[m.id for m in members],
    )
    await log.start_session(session.id, T0)
    for member in members[:2]:
        await log.record_join(session.id, member.id, T0 + timedelta(minutes=2))
        await log.record_leave(session.id, member.id, T0 + timedelta(minutes=100))
    session = await log.end_session(session.id, T0 + timedelta(hours=2))
    return Seeded(group.id, members, session)


async def seed_dir(data_dir: Path, key: bytes) -> Seeded:
    """``seed`` in a new log in ``data_dir``, closed afterwards."""
    log = await SessionLog.open(data_dir, key)
    try:
        return await seed(log)
    finally:
        await log.close()


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the loop run until ``predicate()`` holds (``TimeoutError`` after ``timeout``)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


def texts_shown(root: QWidget) -> list[str]:
    """Every text a widget under ``root`` shows or names (labels, fields, lists, buttons,
    tooltips, accessible names, window titles)."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        found += [widget.toolTip(), widget.accessibleName(), widget.windowTitle()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            found += [widget.toPlainText(), widget.placeholderText()]
            found.append(widget.document().toPlainText())
        if isinstance(widget, QListWidget):
            found += [widget.item(i).text() for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
    return found
