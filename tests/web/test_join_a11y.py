"""axe-core on every state of the participant page, in real Chromium: English and French,
on a phone (390x844) and a desktop (1366x768). Zero violations, whatever their impact.

One page per language and size walks through the states with the real server, its
facilitator and participants on signalling clients: the first screen with the camera
blocked, the device check with its result, the name, the questions with the group's rules
and the consent, the lobby, the live room with one and with three others, Messages open,
a raised hand, the side-room notice, the end of the room; then a second visit that the
facilitator refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    axe_violations,
    chromium,
    describe_violations,
    need_axe,
    next_lobby_with_someone,
    page_holds,
    run_async,
    seat_participant,
    server_and_facilitator,
    wait_step,
)

from groupdesk.core.protocol import (
    Admit,
    ClientApp,
    ClientChat,
    Decline,
    EndRoom,
    RoomConsent,
    RoomText,
    SideRoom,
)
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow

ANA, CHLOE, BEA, DAN = "000000000000", "111111111111", "222222222222", "333333333333"
RULES = RoomText(
    en="Group rules\n\n- What is said in the group stays in the group.\n- Raise your hand.",
    fr_ca="Règles du groupe\n\n- Ce qui se dit dans le groupe y reste.\n- Levez la main.",
)
CONSENT = RoomConsent(
    version="2026-03",
    text=RoomText(
        en="Taking part remotely\n\nSomeone near you could overhear. You can stop at any time.",
        fr_ca="Participer à distance\n\nQuelqu'un près de vous pourrait entendre.",
    ),
)
SIZES = {"phone": (390, 844), "desktop": (1366, 768)}
LOCALES = {"en": "en-US", "fr_CA": "fr-CA"}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("language", sorted(LOCALES))
@run_async
async def test_every_page_state_passes_axe(tmp_path: Path, language: str, size: str) -> None:
    need_axe()
    found: dict[str, str] = {}

    async def check(state: str) -> None:
        violations = await axe_violations(page)
        if violations:
            found[state] = describe_violations(violations)

    bea, dan = SignalingClient(), SignalingClient()
    async with (
        server_and_facilitator(
            tmp_path, member_ids=[ANA, CHLOE, BEA, DAN], rules=RULES, consent=CONSENT
        ) as (_server, fac, opened),
        chromium(fake_ui=False, locale=LOCALES[language], viewport=SIZES[size]) as page,
    ):
        try:
            # Nothing granted yet: the browser refuses the camera (headless, no prompt).
            await page.goto(opened.invite)
            await wait_step(page, "check")
            await page.wait_for_selector("#check-problem:not([hidden])")
            await check("camera blocked")
            await page.context.grant_permissions(["camera", "microphone"])
            await page.click("#check-retry")
            await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
            await check("device check with its result")
            await page.click("#check-continue")
            await wait_step(page, "name")
            await check("name")
            await page.fill("#name-input", "Chloé")
            await page.keyboard.press("Enter")
            await wait_step(page, "answers")
            await page.eval_on_selector(
                "#consent-text", "(el) => { el.scrollTop = el.scrollHeight; }"
            )
            await check("questions, rules and consent")
            await page.click("#answers-form button[type=submit]")
            await page.wait_for_selector("#answers-unmet:not([hidden])")
            await check("required answers missing")
            await page.click("#answers-anyway")
            await wait_step(page, "lobby")
            await check("lobby")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await wait_step(page, "session")
            await page_holds(page, f"'{ANA}' in window.groupdeskState.members", "Ana's tile")
            await check("live with one other")
            await seat_participant(fac, bea, opened.invite, "Bea")
            await seat_participant(fac, dan, opened.invite, "Dan")
            await page.wait_for_selector(f"#grid [data-member='{DAN}']")
            await check("live with three others")
            if await page.is_hidden("#chat"):
                await page.click("#btn-chat")
            await page.fill("#chat-input", "Bonjour")
            await page.click("#chat-form button[type=submit]")
            await bea.send(ClientChat(text="Hello everyone"))
            await page.wait_for_selector("#chat-log li >> nth=1")
            await check("Messages open")
            await page.click("#btn-hand")
            await page_holds(page, "window.groupdeskState.self.handRaised", "the hand up")
            await check("a raised hand")
            await fac.send(ClientApp(event=SideRoom(members=(ANA, BEA))))
            await page.wait_for_selector("#side-room:not(:empty)")
            await check("the side-room notice")
            await fac.send(EndRoom())
            await wait_step(page, "end")
            await check("the room ended")

            # A second visit, which the facilitator refuses.
            await page.goto("about:blank")
            async with server_and_facilitator(tmp_path / "again", member_ids=[ANA, CHLOE]) as (
                _s,
                fac2,
                opened2,
            ):
                await page.goto(opened2.invite)
                await page_holds(page, "window.groupdeskState.checkProblem === null", "devices")
                await page.click("#check-continue")
                await page.fill("#name-input", "Chloé")
                await page.keyboard.press("Enter")
                await page.click("#answers-form button[type=submit]")
                await page.click("#answers-anyway")
                await next_lobby_with_someone(fac2)
                await fac2.send(Decline(member=CHLOE))
                await wait_step(page, "end")
                await check("refused")
        finally:
            await bea.close()
            await dan.close()
    assert not found, "\n".join(f"== {state}\n{text}" for state, text in found.items())
