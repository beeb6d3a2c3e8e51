"""The auto-lock rule: idle time since the last input, a hold while live, the delay."""

from __future__ import annotations

import pytest

from groupdesk.core.auto_lock import IdleLock


def test_locks_once_the_minutes_have_passed_without_input() -> None:
    idle = IdleLock(minutes=10, last_input=1000.0)
    assert not idle.due(1000.0 + 599.9)
    assert idle.remaining(1000.0 + 599.0) == pytest.approx(1.0)
    assert idle.due(1000.0 + 600.0)


def test_input_before_the_deadline_postpones_it() -> None:
    idle = IdleLock(minutes=10, last_input=0.0)
    idle.note_input(540.0)
    assert not idle.due(600.0)
    assert not idle.due(1139.0)
    assert idle.due(1140.0)


def test_an_input_reported_late_never_moves_the_last_input_back() -> None:
    idle = IdleLock(minutes=1, last_input=100.0)
    idle.note_input(50.0)
    assert not idle.due(159.0)


def test_idle_time_does_not_count_while_held_and_restarts_after() -> None:
    idle = IdleLock(minutes=5, last_input=0.0)
    idle.hold(10.0, True)  # a live session starts
    assert not idle.due(10_000.0)
    assert idle.remaining(10_000.0) == 300.0
    idle.hold(10_000.0, False)  # it ends: five full minutes from now
    assert not idle.due(10_299.0)
    assert idle.due(10_300.0)


def test_a_new_delay_counts_from_when_it_is_chosen() -> None:
    idle = IdleLock(minutes=30, last_input=0.0)
    idle.set_minutes(1, now=1000.0)  # already idle 1000 s, but no lock at once
    assert not idle.due(1059.0)
    assert idle.due(1060.0)


def test_less_than_a_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        IdleLock(minutes=0, last_input=0.0)
    idle = IdleLock(minutes=3, last_input=0.0)
    with pytest.raises(ValueError, match="at least one minute"):
        idle.set_minutes(0, now=1.0)
    assert idle.minutes == 3
