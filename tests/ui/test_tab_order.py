"""Tab by keyboard goes through every control of each screen once, in the order the
screen reads, and comes back to the start: no table or list keeps it (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from keyboard_screens import (
    SCREENS,
    describe,
    open_screen,
    out_of_reading_order,
    press_tab_around,
    tab_stops,
)
from ui_helpers import Run, Windows


@pytest.mark.parametrize("screen", SCREENS)
def test_tab_reaches_every_control_once_in_reading_order_and_comes_back(
    run: Run[Any], windows: Windows, memory_keyring: Any, screen: str
) -> None:
    async def scenario() -> None:
        window = await open_screen(windows, screen)
        try:
            stops = tab_stops(window)
            start = stops[0]
            chain = [start, *press_tab_around(window, start, limit=6 * len(stops))]
            reached = {id(w) for w in chain}
            missed = [describe(w) for w in stops if id(w) not in reached]
            assert not missed, f"Tab never reaches: {missed}"
            assert len(reached) == len(chain), "a control is reached twice"
            wrong = out_of_reading_order(chain)
            assert not wrong, "\n".join(wrong)
        finally:
            await windows.close_all()

    run(scenario())
