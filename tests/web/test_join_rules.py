"""The group's rules on the page (real Chromium): shown above the ticks before the person
agrees to them, in the page's language, and during the session behind "Group rules"."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    go_to_lobby,
    next_lobby_with_someone,
    next_of,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import Admit, MemberJoined, RoomText

pytestmark = pytest.mark.slow

RULES = RoomText(
    en="Group rules\n\n- What is said in the group stays in the group.\n- Raise your hand.",
    fr_ca="Règles du groupe\n\n- Ce qui se dit dans le groupe y reste.\n- Levez la main.",
)

# Whether the rules come before the "I agree to the group rules" tick in reading order.
RULES_FIRST = """() => {
  const rules = document.getElementById('answers-rules-text');
  const tick = document.querySelector('input[name=group_rules]');
  return Boolean(rules.compareDocumentPosition(tick) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


@run_async
async def test_the_rules_come_before_the_tick_and_stay_at_hand(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path, rules=RULES) as (_server, fac, opened),
        chromium() as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
        await page.click("#check-continue")
        await wait_step(page, "name")
        await page.fill("#name-input", "Chloé")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")

        assert await page.locator("#answers-rules").is_visible()
        shown = await page.inner_text("#answers-rules-text")
        assert "What is said in the group stays in the group." in shown
        assert "Raise your hand." in shown.splitlines()[-1]  # its own lines kept
        assert await page.evaluate(RULES_FIRST)
        assert "Read the group's rules before you agree to them." in await visible_text(page)
        assert (await page_state(page))["rules"] == {"en": RULES.en, "fr_CA": RULES.fr_ca}

        await page.click("#lang-switch")  # in French, the French rules
        shown = await page.inner_text("#answers-rules-text")
        assert "Ce qui se dit dans le groupe y reste." in shown
        assert await page.get_attribute("#answers-rules-text", "lang") == "fr-CA"
        assert "Règles du groupe" in await page.inner_text("#answers-rules-title")
        await page.click("#lang-switch")

        for box in ("private_place", "alone", "headphones", "no_recording", "group_rules"):
            await page.check(f"input[name={box}]")
        await page.fill("#question-location", "Matane")
        await page.fill("#question-phone", "418 555-0123")
        await page.click("#answers-form button[type=submit]")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].declared["group_rules"] is True
        await fac.send(Admit(member=lobby.waiting[0].member))
        await next_of(fac, MemberJoined)
        await wait_step(page, "session")

        # During the session: "Group rules" opens them, Escape closes them.
        button = page.locator("#btn-rules")
        assert await button.is_visible()
        assert await button.inner_text() == "Group rules"
        await button.click()
        dialog = page.locator("#rules-dialog")
        assert await dialog.is_visible()
        assert "Raise your hand." in await page.inner_text("#rules-dialog-text")
        await page.keyboard.press("Escape")
        await page_holds(page, "!document.getElementById('rules-dialog').open", "closed")
        await button.click()
        await page.click("#rules-dialog button[type=submit]")  # Close
        await page_holds(page, "!document.getElementById('rules-dialog').open", "closed")


@run_async
async def test_a_room_without_rules_shows_no_rules(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_server, fac, opened),
        chromium() as page,
    ):
        await go_to_lobby(page, opened.invite)
        assert (await page_state(page))["rules"] is None
        assert not await page.locator("#answers-rules").is_visible()
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Admit(member=lobby.waiting[0].member))
        await wait_step(page, "session")
        assert not await page.locator("#btn-rules").is_visible()
