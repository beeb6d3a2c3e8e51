"""Autosave's timing rule, with a timer that never runs by itself (no sleeps): typing on
does not push the save back, a change during a save is saved right after it, a failed
save says why and is tried again; and the resource filter, accents optional."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QTimer
from ui_helpers import Run, next_emission

from groupdesk.core.models import NoteDraft
from groupdesk.sessionlog.errors import NoteSigned
from groupdesk.ui.records.autosave import DELAY_MS, Autosave
from groupdesk.ui.records.note_dialogs import matches

SAVED_AT = datetime(2026, 12, 6, 18, 42, tzinfo=UTC)


class CountingTimer(QTimer):
    """A timer that counts its starts."""

    def __init__(self) -> None:
        super().__init__()
        self.starts = 0

    def start(self, *args: Any) -> None:
        self.starts += 1
        super().start(*args)


def test_continuous_typing_is_saved_within_the_delay_not_pushed_back(
    run: Run[Any], qapp: Any
) -> None:
    async def scenario() -> None:
        text = ""
        saved: list[str] = []
        release = asyncio.Event()

        async def save(note_id: int, body: str) -> NoteDraft:
            await release.wait()
            saved.append(body)
            return NoteDraft(note_id=note_id, body=body, saved_at=SAVED_AT)

        timer = CountingTimer()
        autosave = Autosave(save, lambda: text, timer=timer)
        autosave.attach(7)
        for char in "Bonjour":
            text += char
            autosave.changed()
        assert timer.isActive()
        assert timer.starts == 1  # not restarted by each keystroke (not a plain debounce)
        assert timer.interval() == DELAY_MS <= 2000
        autosave.tick()
        await asyncio.sleep(0)
        assert autosave.saving
        text += " à tous"  # typed while the save is under way
        autosave.changed()
        assert not timer.isActive()  # waits for the save under way
        release.set()
        (draft,) = await next_emission(autosave.saved)
        assert draft.body == "Bonjour"
        assert timer.isActive()  # the change made meanwhile is next
        assert timer.starts == 2
        autosave.tick()
        (draft,) = await next_emission(autosave.saved)
        assert saved == ["Bonjour", "Bonjour à tous"]
        assert not autosave.pending
        timer.stop()

    run(scenario())


def test_a_failed_save_is_said_and_tried_again_on_the_next_change(run: Run[Any], qapp: Any) -> None:
    async def scenario() -> None:
        failures = [NoteSigned(id=7)]

        async def save(note_id: int, body: str) -> NoteDraft:
            if failures:
                raise failures.pop()
            return NoteDraft(note_id=note_id, body=body, saved_at=SAVED_AT)

        timer = QTimer()
        autosave = Autosave(save, lambda: "texte", timer=timer)
        autosave.attach(7)
        autosave.changed()
        await autosave.flush()
        assert autosave.error
        assert autosave.dirty  # nothing lost: still to save
        autosave.changed()
        assert timer.isActive()
        await autosave.flush()
        assert autosave.error is None
        assert autosave.saved_at == SAVED_AT
        timer.stop()

    run(scenario())


def test_the_resource_filter_takes_words_with_or_without_accents() -> None:
    assert matches("1 866 APPELLE, prévention du suicide — CA-QC", "prevention 866")
    assert matches("Jeunesse, J'écoute — 1 800 668-6868 — CA", "ÉCOUTE")
    assert not matches("Info-Social — 811 — CA-QC", "prevention")
