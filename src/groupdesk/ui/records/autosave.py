"""Autosave: the text being typed reaches the log at most a second after a change.

The first change after a save starts a one-shot timer (``DELAY_MS``); when it fires the
text as it is then is saved as the note's draft. Typing on does not push the save back
(it is not a plain debounce), so continuous typing is saved every second or so; changes
made while a save is under way start the timer again once it is done. The timer is
given (tests pass one they never start and call :meth:`Autosave.tick`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import NoteDraft
from groupdesk.ui.widgets import spawn

DELAY_MS = 1000
"""The longest a change waits before it is saved (the issue allows 2 s in all)."""

_log = logging.getLogger(__name__)

SaveDraft = Callable[[int, str], Awaitable[NoteDraft]]


class Autosave(QObject):
    """Saves one note's text as its draft, a moment after it changes.

    Signals: ``state_changed()`` when saving starts, ends or fails; ``saved(NoteDraft)``
    after each save.
    """

    state_changed = Signal()
    saved = Signal(object)

    def __init__(
        self,
        save: SaveDraft,
        text: Callable[[], str],
        *,
        timer: QTimer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._save_draft = save
        self._text = text
        self.timer = timer if timer is not None else QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.tick)
        self._lock = asyncio.Lock()
        self.note_id: int | None = None
        self.dirty = False
        self.saving = False
        self.saved_at: datetime | None = None
        self.error: str | None = None

    def attach(self, note_id: int | None, saved_at: datetime | None = None) -> None:
        """Follow the note ``note_id`` (None: none) from now on, nothing unsaved."""
        self.timer.stop()
        self.note_id = note_id
        self.dirty = False
        self.saved_at = saved_at
        self.error = None
        self.state_changed.emit()

    @property
    def pending(self) -> bool:
        """Whether a change waits for its save (the timer runs or a save is under way)."""
        return self.dirty or self.saving

    def changed(self) -> None:
        """The text changed: save it within ``DELAY_MS``."""
        if self.note_id is None:
            return
        self.dirty = True
        if not self.saving and not self.timer.isActive():
            self.timer.start()

    def tick(self) -> None:
        """Save now (what the timer does when it fires)."""
        self.timer.stop()
        spawn(self.flush())

    async def flush(self) -> None:
        """Save what is unsaved now, after any save under way."""
        self.timer.stop()
        async with self._lock:
            if not self.dirty or self.note_id is None:
                return
            note_id, body = self.note_id, self._text()
            self.dirty = False
            self.saving = True
            self.state_changed.emit()
            try:
                draft = await self._save_draft(note_id, body)
            except (GroupDeskError, ValueError) as error:
                _log.warning("autosave of note %s failed: %s", note_id, type(error).__name__)
                self.error = error.message() if isinstance(error, GroupDeskError) else str(error)
                self.dirty = True
                draft = None
            finally:
                self.saving = False
        if draft is not None and note_id == self.note_id:
            self.saved_at = draft.saved_at
            self.error = None
            self.saved.emit(draft)
        self.state_changed.emit()
        if self.dirty and self.note_id is not None and self.error is None:
            self.timer.start()
