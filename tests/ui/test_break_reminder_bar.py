"""The facilitator's break reminder on the live screen: once per interval, dismissible,
never on a participant's screen. Real rooms on the embedded server; a fake clock."""

from __future__ import annotations

from typing import Any

import pytest
from live_helpers import answering, prepared_log, synthetic, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.live_break import BreakReminderBar
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.workspace import Stage
from managed_policy import write_managed_policy

pytestmark = pytest.mark.slow


def _speak(languages: LanguageSwitcher, lang: str) -> None:
    """Switch the interface's language and let every widget hear of it."""
    languages.set_language(lang)
    QApplication.sendPostedEvents()
    QApplication.processEvents()


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_the_facilitator_is_reminded_once_per_interval_and_a_participant_never(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    write_managed_policy({"break_reminder_minutes": 45})

    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir, ["Sophie"])
        await log.close()
        host = windows.open()
        await host.workspace.start()
        assert host.workspace.stage is Stage.OPEN
        host.live_sources = synthetic("Julie Tremblay", 9)
        clock = FakeClock()
        bar = host.live_page.break_reminder
        bar.clock = clock
        assert bar.minutes == 45  # the organisation's interval

        guest = windows.open()
        guest.live_sources = synthetic("Sophie", 4)
        guest.live_answers = answering()
        guest_bar = guest.live_page.break_reminder
        guest_bar.clock = clock
        try:
            assert await host.open_room_now(session.id)
            assert host.live.stage is LiveStage.LIVE
            assert await guest.join_now(host.live.invite, "Sophie")
            await wait_for(lambda: len(host.live.lobby) == 1)
            await host.live.admit_all()
            await wait_for(lambda: guest.live.stage is LiveStage.LIVE)

            clock.advance(44 * 60 + 59)
            assert not bar.check()
            assert not bar.isVisibleTo(host.live_page)
            clock.advance(1)
            assert bar.check()
            assert bar.isVisibleTo(host.live_page)
            assert "facilitating for 45 minutes" in bar.label.text()
            assert bar.label.accessibleName() == bar.label.text()
            assert not guest_bar.check()  # a participant is never reminded
            assert not guest_bar.isVisibleTo(guest.live_page)

            qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
            assert not bar.isVisibleTo(host.live_page)
            clock.advance(30 * 60)
            assert not bar.check()  # once per interval
            clock.advance(15 * 60)
            assert bar.check()
            assert "facilitating for 90 minutes" in bar.label.text()

        finally:
            await guest.live.close()
            await host.live.close()
            await windows.close_all()
        assert not bar.isVisibleTo(host.live_page)  # the session is over

    run(scenario())


def test_the_reminder_in_french(qtbot: Any, languages: LanguageSwitcher) -> None:
    bar = BreakReminderBar(LiveSession())
    qtbot.addWidget(bar)
    bar.elapsed = 90
    _speak(languages, "fr_CA")
    assert bar.label.text().startswith("Vous animez depuis 90 minutes. Une courte pause")
    assert bar.dismiss_button.text() == "Fermer"
    assert bar.dismiss_button.accessibleName() == "Fermer le rappel de pause"
