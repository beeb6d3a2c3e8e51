"""The rules of a session plan, without Qt: times that cross midnight, the proposed times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from groupdesk.core.models import Modality
from groupdesk.core.session_plan import PlanProblem, SessionPlan, default_times

MONTREAL_WINTER = timezone(timedelta(hours=-5))


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MONTREAL_WINTER)


def _plan(start: datetime, end: datetime, max_minutes: int = 480) -> SessionPlan:
    return SessionPlan(
        group_id=1,
        modality=Modality.REMOTE,
        facilitator="Julie",
        co_facilitator="",
        start=start,
        end=end,
        max_minutes=max_minutes,
    )


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (_at(6, 22, 30), _at(6, 23), _at(7, 1)),  # ends after midnight
        (_at(6, 23, 30), _at(7, 0), _at(7, 2)),  # starts at midnight, the next day
        (_at(7, 0, 10), _at(7, 1), _at(7, 3)),
        (_at(6, 23, 59) + timedelta(seconds=59.9), _at(7, 0), _at(7, 2)),
    ],
)
def test_the_proposed_times_are_the_next_whole_hour_and_always_valid(
    now: datetime, start: datetime, end: datetime
) -> None:
    assert default_times(now, max_minutes=480) == (start, end)
    assert _plan(*default_times(now, max_minutes=480)).problems() == []


def test_the_proposed_length_is_the_organisations_maximum_when_shorter() -> None:
    assert default_times(_at(6, 22, 30), max_minutes=45) == (_at(6, 23), _at(6, 23, 45))
    assert _plan(*default_times(_at(6, 22, 30), 45), max_minutes=45).problems() == []


def test_a_session_may_end_after_midnight() -> None:
    assert _plan(_at(6, 23), _at(7, 0, 30)).problems() == []


def test_an_end_before_the_start_or_too_late_is_named() -> None:
    assert _plan(_at(6, 23), _at(6, 22, 30)).problems() == [PlanProblem.END_BEFORE_START]
    assert _plan(_at(6, 23), _at(6, 23)).problems() == [PlanProblem.END_BEFORE_START]
    # 23:00 to 22:30 the next day is not "before": it is longer than allowed.
    assert _plan(_at(6, 23), _at(7, 22, 30)).problems() == [PlanProblem.TOO_LONG]


def test_a_clock_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        default_times(datetime(2026, 12, 6, 22, 30), 480)
    with pytest.raises(ValueError, match="aware"):
        _plan(datetime(2026, 12, 6, 23), _at(7, 1))
