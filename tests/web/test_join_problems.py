"""Each way a join can fail shows its own plain message, in the browser's language."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from browser_harness import (
    Page,
    chromium,
    go_to_lobby,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import Admit, Decline, EndRoom, parse_invite_link
from groupdesk.server.app import ServerConfig
from groupdesk.server.rooms import RoomRules

pytestmark = pytest.mark.slow


async def _end_text(page: Page) -> str:
    await wait_step(page, "end")
    return await visible_text(page)


@run_async
async def test_an_incomplete_link_says_so_before_anything_else(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (server, _fac, _opened), chromium() as page:
        await page.goto(f"{server.url}/join#r=abc")
        text = await _end_text(page)
        assert "This link is not complete" in text
        assert "Part of the link is missing." in text
        assert (await page_state(page))["problem"] == "bad_link"


@run_async
async def test_a_wrong_link_and_an_expired_link_say_so_before_the_device_check(
    tmp_path: Path,
) -> None:
    config = ServerConfig(rules=RoomRules(invite_ttl_seconds=1.0))
    async with server_and_facilitator(tmp_path, config) as (server, _fac, opened):
        invite = parse_invite_link(opened.invite)
        wrong = f"{server.url}/join#r={invite.room}&k={'x' * len(invite.secret)}"
        async with chromium() as page:
            await page.goto(wrong)
            text = await _end_text(page)
            assert "This link does not work" in text
            assert "Ask the facilitator for a new link." in text
            state = await page_state(page)
            assert state["problem"] == "bad_invite"
            assert state["steps"] == ["end"]  # no device check, no form

            await asyncio.sleep(1.0)  # the invite's lifetime is over
            await page.goto("about:blank")
            await page.goto(opened.invite)
            text = await _end_text(page)
            assert "This link has expired" in text
            assert "This link does not work" not in text
            assert (await page_state(page))["steps"] == ["end"]


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

        # The end of the room reaches someone in the session and someone still waiting.
        seated = await page.context.new_page()
        await go_to_lobby(seated, opened.invite, name="Eve")
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Admit(member=lobby.waiting[0].member))
        await wait_step(seated, "session")
        waiting = await page.context.new_page()
        await go_to_lobby(waiting, opened.invite, name="Fay")
        await wait_step(waiting, "lobby")
        await next_lobby_with_someone(fac)
        await fac.send(EndRoom())
        for ended in (seated, waiting):
            text = await _end_text(ended)
            assert "The session has ended" in text
            assert "You were not let in" not in text
            assert (await page_state(ended))["problem"] == "room_ended"


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
        # Headless Chromium on Linux: a computer's Chrome, so the steps of one.
        assert "Click the small icon at the left of the web address" in text
        assert await page.is_visible("#check-retry")
        assert await page.inner_text("#check-continue") == "Continue without camera and microphone"
        state = await page_state(page)
        assert (state["checkProblem"], state["checkHelp"]) == ("denied", "desktop_chrome")


async def _tab_to(page: Page, element_id: str) -> None:
    """Press Tab until ``element_id`` has the focus (a keyboard user's way there)."""
    for _ in range(30):
        if await page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


_UNLABELLED = """() => [...document.querySelectorAll('button, input, select, textarea')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => !((el.labels && el.labels.length) || el.getAttribute('aria-label')
                    || el.textContent.trim()))
  .map((el) => el.id || el.name || el.outerHTML.slice(0, 60))"""


@run_async
async def test_the_way_in_works_with_the_keyboard_alone_and_every_control_is_named(
    tmp_path: Path,
) -> None:
    async with server_and_facilitator(tmp_path) as (_server, fac, opened), chromium() as page:
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
        # the way on shows once the browser answered (checkProblem is null before, too):
        # Tab cannot reach a hidden button, so wait for it as a person would see it
        await page.wait_for_selector("#check-continue:not([hidden])", timeout=20_000)
        assert await page.evaluate(_UNLABELLED) == []
        # Following the skip link keeps the invite in the URL (and the page as it is).
        await page.focus(".skip")
        await page.keyboard.press("Enter")
        assert page.url == opened.invite
        assert await page.evaluate("document.activeElement.id") == "main"
        await _tab_to(page, "check-continue")
        await page.keyboard.press("Enter")
        await wait_step(page, "name")
        await _tab_to(page, "name-input")
        await page.keyboard.type("Gil")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")
        assert await page.evaluate(_UNLABELLED) == []
        await page.keyboard.press("Tab")
        await page.keyboard.press("Space")  # the first answer: a private place
        await _tab_to(page, "question-phone")
        await page.keyboard.type("555-0100")
        await page.keyboard.press("Enter")
        # required answers left blank: the notice has the focus, and asking anyway still knocks
        await page.wait_for_selector("#answers-unmet:not([hidden])")
        assert await page.evaluate("document.activeElement.id") == "answers-unmet"
        assert await page.evaluate(_UNLABELLED) == []
        await _tab_to(page, "answers-anyway")
        await page.keyboard.press("Enter")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].display_name == "Gil"
        assert lobby.waiting[0].declared["private_place"] is True
        assert lobby.waiting[0].declared["alone"] is False
        assert lobby.waiting[0].declared["phone"] == "555-0100"
        await fac.send(Admit(member=lobby.waiting[0].member))
        await wait_step(page, "session")
        assert await page.evaluate(_UNLABELLED) == []
        await _tab_to(page, "btn-hand")
        await page.keyboard.press("Enter")
        assert (await page_state(page))["self"]["handRaised"] is True


@run_async
async def test_a_plain_http_link_explains_why_the_camera_is_off(tmp_path: Path) -> None:
    # A name other than localhost makes the page an insecure context, as on a LAN
    # server without TLS; the resolver maps that name to 127.0.0.1.
    async with (
        server_and_facilitator(tmp_path) as (server, fac, opened),
        chromium(extra_flags=("--host-resolver-rules=MAP groupdesk.test 127.0.0.1",)) as page,
    ):
        link = opened.invite.replace("127.0.0.1", "groupdesk.test")
        # as --public-url says on such a server: a name for 127.0.0.1 that the server
        # does not know is a page of another site (DNS rebinding), refused on /ws
        server.server.registry.public_url = link.split("/join")[0]
        await page.goto(link)
        await wait_step(page, "check")
        await page.wait_for_selector("#check-problem:not([hidden])")
        text = await visible_text(page)
        assert "This link cannot use the camera" in text
        assert "https://" in text
        await page.click("#check-continue")
        await page.fill("#name-input", "Hana")
        await page.keyboard.press("Enter")
        await page.click("#answers-form button[type=submit]")
        await page.click("#answers-anyway")  # nothing answered: said, never a gate
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].display_name == "Hana"
        assert server.url.startswith("http://127.0.0.1")
