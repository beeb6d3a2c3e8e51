"""The facilitator's break reminder on the live screen (policy ``break_reminder_minutes``).

Once per interval of a live session the facilitator reads a gentle reminder that a
short break may help; it stays until dismissed and makes no sound. Participants never
see it: only a facilitator's app counts. When to remind is decided by
``core/break_reminder.py``; this widget asks it on a timer, with an injected clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from groupdesk.core.break_reminder import BreakReminder
from groupdesk.core.session.room_state import LiveStage
from groupdesk.ui.live_session import LiveSession

#: How often the reminder is checked; it shows at most this late.
CHECK_INTERVAL_MS = 30_000


class BreakReminderBar(QWidget):
    """A dismissible line above the video: "You have been facilitating for 60 minutes…"."""

    def __init__(
        self,
        live: LiveSession,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.live = live
        self.clock = clock
        self.minutes = 60
        """The interval (the policy's ``break_reminder_minutes``), set before a session."""
        self.rule: BreakReminder | None = None
        self.elapsed = 0
        """The minutes of session the shown reminder counts."""
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.setObjectName("breakReminder")
        self.setStyleSheet(
            "QWidget#breakReminder { background: #e8f1fb; border: 1px solid #b6cfe8;"
            " border-radius: 4px; } QLabel { color: #1d3b5c; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        live.changed.connect(self.follow)
        self.hide()
        self.retranslate()

    def follow(self) -> None:
        """Start counting when a facilitator's session goes live; stop when it ends."""
        counting = self.live.facilitator and self.live.stage is LiveStage.LIVE
        if counting and self.rule is None:
            self.rule = BreakReminder(self.minutes, self.clock())
            self.timer.start()
        elif not counting and self.rule is not None:
            self.rule = None
            self.timer.stop()
            self.hide()

    def check(self) -> bool:
        """Show the reminder if one is due now (the timer calls this; so can tests)."""
        now = self.clock()
        if self.rule is None or not self.rule.due(now):
            return False
        self.elapsed = self.rule.remind(now)
        self.retranslate()
        self.show()
        return True

    def dismiss(self) -> None:
        """Hide the reminder until the next interval."""
        self.hide()

    def retranslate(self) -> None:
        """Texts in the current language."""
        # at least 10 minutes (the schema's minimum): always a plural, in both languages
        text = self.tr(
            "You have been facilitating for {minutes} minutes. A short break may help you "
            "and the group: when the moment is right, you can propose a pause of a few minutes."
        ).format(minutes=self.elapsed)
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.dismiss_button.setText(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss the break reminder"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
