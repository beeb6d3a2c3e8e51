"""When to remind the facilitator to take a break: a pure rule on a monotonic clock.

The organisation's ``break_reminder_minutes`` is the interval. A reminder is due once
per interval of the live session (after N minutes, after 2N...), never more often: a
reminder shown or dismissed is not shown again before the next interval, and a laptop
that slept through several intervals gets one reminder, not a burst. The Qt side
(``ui/live_break.py``) asks :meth:`BreakReminder.due` on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BreakReminder:
    """Decides when a break reminder is due during one live session.

    Times are seconds of a monotonic clock (``time.monotonic``), never wall time.
    """

    minutes: int
    started: float
    reminded: int = 0
    """How many intervals have been reminded of (or skipped over) so far."""

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise ValueError(f"a break reminder needs at least one minute, not {self.minutes!r}")

    def intervals(self, now: float) -> int:
        """Whole intervals of the session elapsed at ``now``."""
        return max(0, int((now - self.started) // (self.minutes * 60)))

    def due(self, now: float) -> bool:
        """Whether a reminder is due at ``now`` (a new interval has been reached)."""
        return self.intervals(now) > self.reminded

    def remind(self, now: float) -> int:
        """Mark the reminder of ``now``'s interval given; the minutes of session elapsed."""
        self.reminded = max(self.reminded, self.intervals(now))
        return int((now - self.started) // 60)

    def next_at(self) -> float:
        """The clock time the next reminder is due at."""
        return self.started + (self.reminded + 1) * self.minutes * 60.0
