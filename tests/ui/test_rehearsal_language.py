"""``groupdesk demo``'s rehearsal in the main window: the names it shows, in French."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from live_helpers import wait_for
from ui_helpers import Run, Windows

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.ui.demo import DemoOptions, run_demo

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(width=320, height=180, fps=10, receive_video=False, hand_raises_per_minute=0)


def test_the_french_rehearsal_names_its_facilitator_and_group_in_french(
    run: Run[Any], windows: Windows, memory_keyring: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    windows.languages.set_language("fr_CA")
    window = windows.open()
    seen: list[str] = []  # the accessible name of the facilitator's own tile

    async def people(invite: str, names: list[str]) -> Callable[[], Awaitable[None]]:
        swarm = await run_bots(invite, len(names), names, SMALL)
        return swarm.stop

    async def watch() -> None:
        grid = window.live_page.grid
        await wait_for(lambda: any(t.member.is_self for t in grid.tiles.values()), 60)
        seen.extend(t.accessibleName() for t in grid.tiles.values() if t.member.is_self)

    async def scenario() -> None:
        watching = asyncio.ensure_future(watch())
        try:
            options = DemoOptions(names=("Ana",), duration=1.0)
            assert await run_demo(window, options, None, people) == 0
        finally:
            watching.cancel()
        log = window.workspace.log
        assert log is not None
        [group] = await log.list_groups()
        assert group.name == "Répétition"
        [session] = await log.list_sessions()
        assert session.facilitators == ("Animation",)
        await windows.close_all()

    run(scenario())
    assert seen == ["Animation, vous"]
    # The closing per-tile lines write numbers as French does (2,5 per second, not 2.5).
    tiles = [line for line in capsys.readouterr().out.splitlines() if "par seconde" in line]
    assert len(tiles) == 2
    assert all(re.search(r" \d+,\d par seconde", line) for line in tiles), tiles
