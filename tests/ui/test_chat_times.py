"""The time of each chat line is written the way the chosen language writes times."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from groupdesk.ui.chat_panel import ChatPanel
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.live_members import ChatLine
from groupdesk.ui.live_session import LiveSession


class _Live(QObject):
    """What the chat panel reads of a live session: its lines and members."""

    chat_changed = Signal()
    members_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.members: dict[str, Any] = {}
        at = datetime(2026, 12, 6, 23, 5).astimezone()  # local 23:05
        self.chat = [ChatLine("me", "Bonsoir", at, outgoing=True)]


def test_chat_times_follow_the_language(qtbot: Any, languages: LanguageSwitcher) -> None:
    panel = ChatPanel(cast(LiveSession, _Live()))
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.lines.item(0).text() == "11:05\u202fp.m.  You: Bonsoir"

    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert panel.lines.item(0).text() == "23\u00a0h\u00a005  Vous\u00a0: Bonsoir"
