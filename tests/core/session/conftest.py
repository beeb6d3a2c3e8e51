"""Fixtures: a fake clock and a room with two facilitators and three participants."""

from __future__ import annotations

import pytest
from turns_helpers import FakeClock, make_room

from groupdesk.core.session.turns import TurnManager


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def room(clock: FakeClock) -> TurnManager:
    return make_room(clock)
