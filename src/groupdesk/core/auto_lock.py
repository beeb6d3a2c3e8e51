"""When to lock the session log for lack of input: a pure rule, driven by a monotonic clock.

The Qt side (``ui/access/auto_lock.py``) reports input and asks :meth:`IdleLock.due`
on a timer; nothing here knows about windows, timers or the log.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Auto-lock delays the person may pick from (minutes); the policy's ceiling bounds them.
AUTO_LOCK_CHOICES = (1, 2, 5, 10, 15, 30, 60)


@dataclass
class IdleLock:
    """Decides whether ``minutes`` without input have passed since the last input.

    Times are seconds of a monotonic clock (``time.monotonic``), never wall time:
    a clock change or a suspended laptop must not lock early nor late by hours.
    While ``held`` (a live session is on screen) idle time does not count: locking
    would cut the call's record, so the countdown starts again when the hold ends.
    """

    minutes: int
    last_input: float
    held: bool = False

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise ValueError(f"auto-lock needs at least one minute, not {self.minutes!r}")

    @property
    def limit_seconds(self) -> float:
        """The idle time allowed, in seconds."""
        return self.minutes * 60.0

    def note_input(self, now: float) -> None:
        """A key, a click, a wheel turn or the mouse moved at ``now``."""
        self.last_input = max(self.last_input, now)

    def hold(self, now: float, held: bool) -> None:
        """Start or stop holding (a live session); the hold's end counts as input."""
        if self.held and not held:
            self.note_input(now)
        self.held = held

    def set_minutes(self, minutes: int, now: float) -> None:
        """A new delay, counted from ``now`` (so a shorter choice never locks at once)."""
        if minutes < 1:
            raise ValueError(f"auto-lock needs at least one minute, not {minutes!r}")
        self.minutes = minutes
        self.note_input(now)

    def remaining(self, now: float) -> float:
        """Seconds left before the lock is due (never below zero; the limit while held)."""
        if self.held:
            return self.limit_seconds
        return max(0.0, self.limit_seconds - (now - self.last_input))

    def due(self, now: float) -> bool:
        """True when the log should lock now."""
        return not self.held and now - self.last_input >= self.limit_seconds
