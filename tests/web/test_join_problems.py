"""Each way a join can fail shows its own plain message, in the browser's language."""

from __future__ import annotations

import asyncio
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

from groupdesk.core.protocol import Decline, EndRoom, parse_invite_link
from groupdesk.server.app import ServerConfig
from groupdesk.server.rooms import RoomRules

pytestmark = pytest.mark.slow


async def _end_text(page: object) -> str:
    await wait_step(page, "end")  # type: ignore[arg-type]
    return await visible_text(page)  # type: ignore[arg-type]


@run_async
async def test_an_incomplete_link_says_so_before_anything_else(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (server, _fac, _opened), chromium() as page:
        await page.goto(f"{server.url}/join#r=abc")
        text = await _end_text(page)
        assert "This link is not complete" in text
        assert "Part of the link is missing." in text
        assert (await page_state(page))["problem"] == "bad_link"


@run_async
async def test_a_wrong_link_and_an_expired_link_have_their_own_messages(tmp_path: Path) -> None:
    config = ServerConfig(rules=RoomRules(invite_ttl_seconds=1.0))
    async with server_and_facilitator(tmp_path, config) as (server, _fac, opened):
        invite = parse_invite_link(opened.invite)
        wrong = f"{server.url}/join#r={invite.room}&k={'x' * len(invite.secret)}"
        async with chromium() as page:
            await go_to_lobby(page, wrong)
            text = await _end_text(page)
            assert "This link does not work" in text
            assert "Ask the facilitator for a new link." in text

            await asyncio.sleep(1.0)  # the invite's lifetime is over
            await go_to_lobby(page, opened.invite)
            text = await _end_text(page)
            assert "This link has expired" in text
            assert "This link does not work" not in text


@run_async
async def test_refused_admission_and_the_end_of_the_room(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (_server, fac, opened), chromium() as page:
        await go_to_lobby(page, opened.invite, name="Dan")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Decline(member=lobby.waiting[0].member))
        text = await _end_text(page)
        assert "You were not let in" in text
        assert "did not let you into this session" in text

        second = await page.context.new_page()
        await go_to_lobby(second, opened.invite, name="Eve")
        await wait_step(second, "lobby")
        await next_lobby_with_someone(fac)
        await fac.send(EndRoom())
        text = await _end_text(second)
        assert "The session has ended" in text
        assert "You were not let in" not in text


@run_async
async def test_french_from_the_browser_and_english_on_request(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_server, fac, opened),
        chromium(locale="fr-CA") as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        assert await page.inner_text("#check-title") == "Vérifiez votre caméra et votre micro"
        assert await page.get_attribute("html", "lang") == "fr-CA"
        await page.click("#lang-switch")
        assert await page.inner_text("#check-title") == "Check your camera and microphone"
        await page.click("#lang-switch")

        await go_to_lobby(page, opened.invite, name="Fanny")
        await page.wait_for_selector("text=L'animateur ou l'animatrice va vous faire entrer.")
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Decline(member=lobby.waiting[0].member))
        text = await _end_text(page)
        assert "Vous n'avez pas été admis" in text


@run_async
async def test_a_camera_refused_by_the_browser_gets_plain_help(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_server, _fac, opened),
        chromium(fake_ui=False) as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page.wait_for_selector("#check-problem:not([hidden])", timeout=15000)
        text = await visible_text(page)
        assert "Your browser blocked the camera and microphone" in text
        assert "choose “Allow” for the camera and microphone" in text
        assert await page.is_visible("#check-retry")
        assert await page.inner_text("#check-continue") == "Continue anyway"
        assert (await page_state(page))["checkProblem"] == "denied"
