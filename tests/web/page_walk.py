"""One walk through every state of the participant page, for the tests that look at each
(axe-core, the phone layout): the real server and its facilitator, participants on
signalling clients, one page taken from the first screen to the end, then refused.

``visit(state)`` is awaited in each state, with the page showing it. ``MAIN_ACTION``
names each state's main action (what a person does next there)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from browser_harness import (
    Page,
    next_lobby_with_someone,
    page_holds,
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
LIVE = "#step-session .controls"
MAIN_ACTION = {
    "camera blocked": "#check-retry",
    "device check with its result": "#check-continue",
    "name": "#name-form button[type=submit]",
    "questions, rules and consent": "#answers-form > .actions button[type=submit]",
    "the consent's agreement": "#consent-agree",
    "required answers missing": "#answers-anyway",
    "lobby": "#lobby-leave",
    "live with one other": LIVE,
    "live with three others": LIVE,
    "Messages open": "#chat-input",
    "a raised hand": LIVE,
    "the side-room notice": LIVE,
    "the room ended": "#end-title",
    "refused": "#end-title",
}

Visit = Callable[[str], Awaitable[None]]


async def walk_page_states(page: Page, tmp_path: Path, visit: Visit) -> None:
    """Take ``page`` (a browser launched without the fake permission prompt) through every
    state, calling ``visit`` in each."""
    bea, dan = SignalingClient(), SignalingClient()
    async with server_and_facilitator(
        tmp_path, member_ids=[ANA, CHLOE, BEA, DAN], rules=RULES, consent=CONSENT
    ) as (_server, fac, opened):
        try:
            # Nothing granted yet: the browser refuses the camera (headless, no prompt).
            await page.goto(opened.invite)
            await wait_step(page, "check")
            await page.wait_for_selector("#check-problem:not([hidden])")
            await visit("camera blocked")
            # Allowed in the browser's settings: the page takes the devices up by itself
            # (a "Try again" tapped now would race it; test_join_problems taps it).
            await page.context.grant_permissions(["camera", "microphone"])
            await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
            # The state is set before the check's result is drawn: wait for what is shown.
            await page.wait_for_selector("#check-continue:visible")
            await visit("device check with its result")
            await page.click("#check-continue")
            await wait_step(page, "name")
            await visit("name")
            await page.fill("#name-input", "Chloé")
            await page.keyboard.press("Enter")
            await wait_step(page, "answers")
            await visit("questions, rules and consent")
            await page.eval_on_selector(
                "#consent-text", "(el) => { el.scrollTop = el.scrollHeight; }"
            )
            await page.evaluate("window.scrollTo(0, 0)")
            await visit("the consent's agreement")
            await page.click("#answers-form > .actions button[type=submit]")
            await page.wait_for_selector("#answers-unmet:not([hidden])")
            await visit("required answers missing")
            await page.click("#answers-anyway")
            await wait_step(page, "lobby")
            await visit("lobby")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await wait_step(page, "session")
            await page_holds(page, f"'{ANA}' in window.groupdeskState.members", "Ana's tile")
            await visit("live with one other")
            await seat_participant(fac, bea, opened.invite, "Bea")
            await seat_participant(fac, dan, opened.invite, "Dan")
            await page.wait_for_selector(f"#grid [data-member='{DAN}']")
            await visit("live with three others")
            if await page.is_hidden("#chat"):
                await page.click("#btn-chat")
            await page.fill("#chat-input", "Bonjour")
            await page.click("#chat-form button[type=submit]")
            for n in range(12):  # more than the panel holds: its list scrolls
                await bea.send(ClientChat(text=f"Hello everyone, message {n + 1}"))
            await page.wait_for_selector("#chat-log li >> nth=12")
            await visit("Messages open")
            await page.click("#btn-hand")
            await page_holds(page, "window.groupdeskState.self.handRaised", "the hand up")
            await visit("a raised hand")
            await fac.send(ClientApp(event=SideRoom(members=(ANA, BEA))))
            await page.wait_for_selector("#side-room:not(:empty)")
            await visit("the side-room notice")
            await fac.send(EndRoom())
            await wait_step(page, "end")
            await visit("the room ended")
        finally:
            await bea.close()
            await dan.close()

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
        await page.click("#answers-form > .actions button[type=submit]")
        await page.click("#answers-anyway")
        await next_lobby_with_someone(fac2)
        await fac2.send(Decline(member=CHLOE))
        await wait_step(page, "end")
        await visit("refused")


async def go_to_session_fast(page: Page, fac: SignalingClient, invite: str) -> None:
    """Take ``page`` (fake permission prompt) from ``invite`` to the room, admitted by ``fac``."""
    await page.goto(invite)
    await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
    await page.click("#check-continue")
    await page.fill("#name-input", "Chloé")
    await page.keyboard.press("Enter")
    await page.click("#answers-form > .actions button[type=submit]")
    await page.click("#answers-anyway")
    await next_lobby_with_someone(fac)
    await fac.send(Admit(member=CHLOE))
    await wait_step(page, "session")
