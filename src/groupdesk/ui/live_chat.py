"""The chat of a live session, as shown: the lines received and sent (the server keeps none)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from groupdesk.ui.live_members import ChatLine

#: The longest chat line sent; longer text is cut.
MAX_CHAT = 2000


class LiveChat(QObject):
    """The chat lines of one session, oldest first.

    Signals: ``changed()``: a line arrived or was sent.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ChatLine] = []

    def clear(self) -> None:
        """Forget every line (a new session)."""
        self.lines = []

    def received(self, sender: str, text: str, *, private: bool) -> None:
        """A line from ``sender`` (a seat), to everyone or to us alone (``private``)."""
        self.lines.append(ChatLine(sender, text, datetime.now(UTC), private=private))
        self.changed.emit()

    def sent(self, sender: str, text: str, to: str | None) -> None:
        """A line we sent from our seat, to everyone or privately to one seat (``to``)."""
        self.lines.append(
            ChatLine(sender, text, datetime.now(UTC), to=to, private=to is not None, outgoing=True)
        )
        self.changed.emit()
