"""A server or a network that is busy turns a participant away with plain words and a retry.

The server's caps (server/limits.py) answer ``too_many_connections``, ``server_full``,
``address_rate_limited`` or ``lobby_address_full``; the page says which, in the person's
language, and offers "Try again" (a later try may pass), instead of waiting forever or
asking the page's own questions of a server that never answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    go_to_lobby,
    next_lobby_with_someone,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.server.app import ServerConfig
from groupdesk.server.limits import LimitSettings

pytestmark = pytest.mark.slow


@run_async
async def test_too_many_connections_from_one_network_says_so_in_both_languages(
    tmp_path: Path,
) -> None:
    # The facilitator's connection is the one this address may hold: the page's is refused.
    config = ServerConfig(limits=LimitSettings(max_connections_per_address=1))
    async with (
        server_and_facilitator(tmp_path, config) as (_server, _fac, opened),
        chromium() as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "end")
        text = await visible_text(page)
        assert "Too many connections from your network" in text
        assert "Wait a few minutes, then click “Try again”." in text
        assert await page.is_visible("#end-retry")
        state = await page_state(page)
        assert state["problem"] == "too_many_connections"
        assert state["steps"] == ["end"]  # no device check for a server that said no

        await page.click("#lang-switch")
        text = await visible_text(page)
        assert "Trop de connexions à partir de votre réseau" in text
        assert "Attendez quelques minutes, puis cliquez sur « Réessayer »." in text


@run_async
async def test_a_lobby_full_of_ones_network_turns_the_next_one_away_with_a_retry(
    tmp_path: Path,
) -> None:
    config = ServerConfig(limits=LimitSettings(lobby_places_per_address=1))
    async with (
        server_and_facilitator(tmp_path, config) as (_server, fac, opened),
        chromium() as first,
    ):
        await go_to_lobby(first, opened.invite, name="Ida")
        await wait_step(first, "lobby")
        await next_lobby_with_someone(fac)

        second = await first.context.new_page()
        await go_to_lobby(second, opened.invite, name="Jo")
        await wait_step(second, "end")
        text = await visible_text(second)
        assert "Too many people from your network are waiting" in text
        assert "until the facilitator has let them in" in text
        assert await second.is_visible("#end-retry")
        assert (await page_state(second))["problem"] == "lobby_address_full"
        # the one already waiting waits on
        assert (await page_state(first))["step"] == "lobby"
