"""When the facilitator is reminded to take a break: once per interval, on a clock."""

from __future__ import annotations

import pytest

from groupdesk.core.break_reminder import BreakReminder


def test_nothing_before_the_interval_then_one_reminder_per_interval() -> None:
    rule = BreakReminder(minutes=60, started=1000.0)
    assert not rule.due(1000.0 + 59 * 60)
    assert rule.due(1000.0 + 60 * 60)
    assert rule.remind(1000.0 + 60 * 60 + 5) == 60
    assert not rule.due(1000.0 + 61 * 60)  # once per interval, dismissed or not
    assert not rule.due(1000.0 + 119 * 60)
    assert rule.due(1000.0 + 120 * 60)
    assert rule.next_at() == 1000.0 + 120 * 60


def test_a_laptop_that_slept_through_intervals_gets_one_reminder() -> None:
    rule = BreakReminder(minutes=30, started=0.0)
    assert rule.due(3 * 30 * 60 + 10)
    assert rule.remind(3 * 30 * 60 + 10) == 90
    assert not rule.due(3 * 30 * 60 + 20)
    assert rule.due(4 * 30 * 60)


def test_a_clock_before_the_start_is_no_reminder() -> None:
    rule = BreakReminder(minutes=10, started=500.0)
    assert not rule.due(0.0)
    assert rule.intervals(0.0) == 0


def test_an_interval_below_a_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        BreakReminder(minutes=0, started=0.0)
