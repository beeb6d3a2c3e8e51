"""A notice line on the live page that says one thing about the room, kept up to date.

Subclasses say what (:meth:`LiveNotice.text`, "" for nothing); the notice shows it,
hidden when empty, again when the room changes and in the new language on a switch.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QWidget

from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import notice_label


class LiveNotice(QObject):
    """Keeps ``label`` (a notice on ``parent``) saying :meth:`text` as ``live`` changes."""

    def __init__(self, live: LiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.live = live
        self.label: QLabel = notice_label(parent)
        self.label.installEventFilter(self)
        live.changed.connect(self.refresh)

    def text(self) -> str:
        """What the person reads now ("": nothing to say)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Show the notice as things are now (hidden when there is nothing to say)."""
        text = self.text()
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.label.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        """The interface's language changed: say it again in the new one."""
        if watched is self.label and event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        return False
