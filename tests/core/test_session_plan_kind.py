"""A one-to-one meeting is planned with exactly one member."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groupdesk.core.models import Modality, SessionKind
from groupdesk.core.session_plan import PlanProblem, SessionPlan

START = datetime(2026, 12, 6, 18, tzinfo=UTC)


def _plan(kind: SessionKind, expected: tuple[int, ...]) -> SessionPlan:
    return SessionPlan(
        group_id=1,
        modality=Modality.REMOTE,
        facilitator="Julie",
        co_facilitator="",
        start=START,
        end=START + timedelta(hours=1),
        expected_member_ids=expected,
        kind=kind,
    )


def test_a_one_to_one_meeting_expects_exactly_one_member() -> None:
    assert _plan(SessionKind.INDIVIDUAL, (4,)).problems() == []
    assert _plan(SessionKind.INDIVIDUAL, ()).problems() == [PlanProblem.NOT_ONE_MEMBER]
    assert _plan(SessionKind.INDIVIDUAL, (4, 5)).problems() == [PlanProblem.NOT_ONE_MEMBER]


def test_a_group_session_expects_any_number() -> None:
    assert _plan(SessionKind.GROUP, ()).problems() == []
    assert _plan(SessionKind.GROUP, (4, 5)).problems() == []
