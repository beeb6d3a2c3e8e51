"""The consent to taking part remotely on the page (real Chromium): the room's text, read
before the person agrees; agreed, the hello declares its version; not agreed, nothing of
it (not a gate: the facilitator decides); readable on a phone, the way on still at hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    save_screenshot,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import CONSENT_ANSWER, RoomConsent, RoomText

pytestmark = pytest.mark.slow

ADVANTAGES = "Advantages: you take part from home, with no travel."
DRAWBACKS = "Drawbacks: someone near you could overhear; the connection can fail."
CONSENT = RoomConsent(
    version="2026-03",
    text=RoomText(
        en="\n".join(
            [
                "Taking part in the group remotely",
                "",
                ADVANTAGES,
                DRAWBACKS,
                *(f"{n}. What we do with what you say, part {n}." for n in range(1, 25)),
                "You can stop at any time.",
            ]
        ),
        fr_ca="Participer au groupe à distance\n\nAvantages : vous participez de chez vous."
        "\nInconvénients : quelqu'un près de vous pourrait entendre.",
    ),
)
RULES = RoomText(
    en="What is said in the group stays in the group.", fr_ca="Ce qui se dit reste ici."
)


@run_async
async def test_agreeing_declares_the_consent_version_in_the_page_language(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path, consent=CONSENT, rules=RULES) as (_s, fac, opened),
        chromium() as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
        await page.click("#check-continue")
        await wait_step(page, "name")
        await page.fill("#name-input", "Inès")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")

        # The section, its text (its own lines), and the tick; the rules stay as they are.
        assert await page.is_visible("#answers-rules")
        assert await page.inner_text("#consent-title") == "Taking part remotely"
        shown = await page.inner_text("#consent-text")
        assert ADVANTAGES in shown.splitlines()
        assert DRAWBACKS in shown.splitlines()
        assert "I have read this and I agree to take part remotely" in await visible_text(page)
        assert not await page.is_checked("#consent-agree")
        assert (await page_state(page))["consent"]["version"] == "2026-03"

        await page.click("#lang-switch")
        assert await page.inner_text("#consent-title") == "Participer à distance"
        assert "Inconvénients" in await page.inner_text("#consent-text")
        assert await page.get_attribute("#consent-text", "lang") == "fr-CA"
        assert "j'accepte de participer à distance" in await visible_text(page)
        await page.click("#lang-switch")

        await page.get_by_label("I have read this and I agree to take part remotely").check()
        for box in ("private_place", "alone", "no_recording", "group_rules"):
            await page.check(f"input[name={box}]")
        await page.fill("#question-location", "Sept-Îles")
        await page.fill("#question-phone", "418 555-0142")
        await page.click("#answers-form button[type=submit]")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        declared = lobby.waiting[0].declared
        assert declared[CONSENT_ANSWER] == "2026-03"
        assert declared["location"] == "Sept-Îles"


@run_async
async def test_on_a_phone_the_consent_is_readable_and_not_agreeing_still_knocks(
    tmp_path: Path,
) -> None:
    async with (
        server_and_facilitator(tmp_path, consent=CONSENT) as (_s, fac, opened),
        chromium() as page,
    ):
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
        await page.click("#check-continue")
        await wait_step(page, "name")
        await page.fill("#name-input", "Noé")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")

        # Nothing wider than the phone; the long text scrolls in its own box, on screen.
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        text = page.locator("#consent-text")
        await text.scroll_into_view_if_needed()
        box = await text.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
        assert 100 <= box["height"] <= 844 / 2
        assert await text.evaluate("(el) => el.scrollHeight > el.clientHeight")  # it scrolls
        assert ADVANTAGES in await text.inner_text()
        await text.evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
        assert await text.evaluate("(el) => el.scrollTop > 0")  # the end can be read
        screenshot = await page.screenshot()
        save_screenshot(screenshot, tmp_path, "join-consent-390x844.png")

        # Not ticked: the hello says nothing of it, and the person waits all the same.
        for box in ("private_place", "alone", "no_recording", "group_rules"):
            await page.check(f"input[name={box}]")
        await page.fill("#question-location", "Baie-Comeau")
        await page.fill("#question-phone", "418 555-0177")
        # The main button is within reach, and within the phone's width.
        button = page.locator("#answers-form button[type=submit]")
        await button.scroll_into_view_if_needed()
        box = await button.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= 844
        await button.click()
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        declared = lobby.waiting[0].declared
        assert CONSENT_ANSWER not in declared
        assert declared["group_rules"] is True
