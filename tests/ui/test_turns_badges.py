"""The tiles show each hand's number in line and the speaker's turn timer."""

from __future__ import annotations

from typing import Any

from turn_helpers import ANA, BEN, CLO, FAC, NAMES

from groupdesk.core.protocol import Role
from groupdesk.core.session.room_state import LiveMember
from groupdesk.core.session.turn_views import TimerView
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.turn_texts import short_timer_text
from groupdesk.ui.video_grid import VideoGrid


def _seat(live: LiveSession, seat: str) -> None:
    role: Role = "facilitator" if seat == FAC else "participant"
    live.seats.seat(LiveMember(seat, NAMES[seat], role, is_self=seat == FAC))
    live.members_changed.emit()


def test_tiles_show_the_place_in_line_and_the_speakers_timer(qtbot: Any) -> None:
    live = LiveSession()
    grid = VideoGrid(live)
    qtbot.addWidget(grid)
    grid.resize(800, 500)
    for seat in (FAC, ANA, CLO):
        _seat(live, seat)
    timer = TimerView(CLO, 0.0, 65.0, 120.0, 0.0, 55.0, warning=False, over=False)
    grid.set_turn_badges({ANA: 1, BEN: 2}, CLO, short_timer_text(timer))
    assert grid.tiles[ANA].hand_place == 1
    assert "number 1 in line" in grid.tiles[ANA].accessibleName()
    assert "has the floor, 1:05 / 2:00" in grid.tiles[CLO].accessibleName()
    assert "has the floor" in grid.tiles[CLO].toolTip()
    assert "in line" not in grid.tiles[FAC].accessibleName()
    assert not grid.tiles[ANA].grab().isNull()  # the badges paint

    _seat(live, BEN)  # a tile made after the badges gets its own
    assert "number 2 in line" in grid.tiles[BEN].accessibleName()

    grid.set_turn_badges({BEN: 1}, None, "")
    assert "in line" not in grid.tiles[ANA].accessibleName()
    assert "number 1 in line" in grid.tiles[BEN].accessibleName()
    assert "has the floor" not in grid.tiles[CLO].accessibleName()


def test_a_hand_without_a_place_still_shows_as_raised(qtbot: Any) -> None:
    """An older facilitator's app keeps no queue: the hand is a badge without a number."""
    live = LiveSession()
    grid = VideoGrid(live)
    qtbot.addWidget(grid)
    _seat(live, ANA)
    live.seats.show(ANA, hand_raised=True)
    live.member_updated.emit(ANA)
    assert "hand raised" in grid.tiles[ANA].accessibleName()
    grid.set_turn_badges({ANA: 3}, None, "")
    assert "number 3 in line" in grid.tiles[ANA].accessibleName()
    assert "hand raised" not in grid.tiles[ANA].accessibleName()
