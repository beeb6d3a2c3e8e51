"""Texts the turn widgets share: durations as m:ss, the speaker's timer, members' names.

The turns panel, the participant's strip and the tiles say the same timer the same
way; the adapter that feeds the tiles uses :func:`short_timer_text` too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from groupdesk.core.session.turn_views import TimerView
from groupdesk.core.session.turn_wire import SeenTimer

Timer = TimerView | SeenTimer
"""The speaker's timer, as the manager shows it or as a member's app counts it on."""

WARNING_STYLE = (
    "QLabel { color: #5c4200; background: #fff4d6; border: 1px solid #f0d48a;"
    " border-radius: 4px; padding: 4px; }"
)
"""A gentle warning: the turn nears its soft limit."""
OVER_STYLE = (
    "QLabel { color: #6b3000; background: #ffe3c7; border: 1px solid #f0b27a;"
    " border-radius: 4px; padding: 4px; font-weight: bold; }"
)
"""The soft limit is reached: said plainly, still not an error (nothing is cut)."""


def clock_text(seconds: float) -> str:
    """``seconds`` as minutes and seconds, "2:05" (whole seconds, never negative)."""
    whole = max(0, math.floor(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def timer_text(timer: Timer) -> str:
    """The timer in words: "1:05 of 3:00", with the time left near the end, or that
    the time is up (the limit is soft: the turn goes on until someone ends it)."""
    elapsed = clock_text(timer.elapsed)
    if timer.limit is None:
        return QCoreApplication.translate("TurnTexts", "{elapsed} (no limit)").format(
            elapsed=elapsed
        )
    limit = clock_text(timer.limit)
    if timer.over:
        return QCoreApplication.translate("TurnTexts", "{elapsed} of {limit}: time is up").format(
            elapsed=elapsed, limit=limit
        )
    if timer.warning and timer.remaining is not None:
        left = clock_text(math.ceil(timer.remaining))
        return QCoreApplication.translate("TurnTexts", "{elapsed} of {limit}: {left} left").format(
            elapsed=elapsed, limit=limit, left=left
        )
    return QCoreApplication.translate("TurnTexts", "{elapsed} of {limit}").format(
        elapsed=elapsed, limit=limit
    )


def short_timer_text(timer: Timer | None) -> str:
    """The timer for a tile: "1:05 / 3:00", "1:05" without a limit, "" without a timer."""
    if timer is None:
        return ""
    if timer.limit is None:
        return clock_text(timer.elapsed)
    return f"{clock_text(timer.elapsed)} / {clock_text(timer.limit)}"


def timer_style(timer: Timer | None) -> str:
    """The style of a label showing ``timer``: plain, warning, or over the limit."""
    if timer is None:
        return ""
    if timer.over:
        return OVER_STYLE
    return WARNING_STYLE if timer.warning else ""


def member_name(names: Mapping[str, str], seat: str, self_seat: str) -> str:
    """``seat``'s name, "(you)" after one's own; someone no longer in the room has none."""
    name = names.get(seat) or QCoreApplication.translate("TurnTexts", "someone who left")
    if seat == self_seat:
        return QCoreApplication.translate("TurnTexts", "{name} (you)").format(name=name)
    return name
