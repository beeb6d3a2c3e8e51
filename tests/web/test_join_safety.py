"""The page's discreet safety option in a real Chromium, on a phone-sized screen: the
room's ordinary-looking words, the signal to the facilitator alone, and its withdrawal."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    go_to_lobby,
    next_app,
    next_lobby_with_someone,
    next_of,
    run_async,
    save_screenshot,
    seat_participant,
    server_and_facilitator,
    wait_step,
)

from groupdesk.core.protocol import (
    Admit,
    ClientChat,
    MemberJoined,
    QuestionText,
    SafetySignal,
    SafetyWording,
    ServerApp,
    ServerChat,
)
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow

ANA, CHLOE, BEA = "eeeeeeeeeeee", "888888888888", "111111111111"
WORDING = SafetyWording(
    option=QuestionText(en="Switch to text only", fr_ca="Passer en mode texte seulement"),
    sent=QuestionText(en="Text-only mode requested.", fr_ca="Mode texte seulement demandé."),
    withdraw=QuestionText(en="Back to normal mode", fr_ca="Revenir au mode normal"),
    withdrawn=QuestionText(en="Normal mode restored.", fr_ca="Mode normal rétabli."),
)


@run_async
async def test_the_page_sends_the_discreet_signal_and_withdraws_it(tmp_path: Path) -> None:
    bea = SignalingClient()
    async with (
        server_and_facilitator(tmp_path, member_ids=[ANA, CHLOE, BEA], safety=WORDING) as (
            _server,
            ana,
            opened,
        ),
        chromium() as page,
    ):
        try:
            await page.set_viewport_size({"width": 390, "height": 844})  # a phone
            await go_to_lobby(page, opened.invite, name="Chloé")
            await next_lobby_with_someone(ana)
            await ana.send(Admit(member=CHLOE))
            await next_of(ana, MemberJoined)
            await wait_step(page, "session")
            await seat_participant(ana, bea, opened.invite, "Bea")

            # On a phone, with the chat closed: the option is there, in ordinary words.
            if await page.is_visible("#chat"):
                await page.click("#btn-chat")
            assert await page.is_hidden("#chat")
            option = page.locator("#btn-safety")
            assert await option.is_visible()
            assert await option.inner_text() == "Switch to text only"
            await option.click()
            sent = await next_app(ana, SafetySignal)
            assert (sent.sender, sent.event) == (CHLOE, SafetySignal())
            await (
                page.locator("#safety-status")
                .filter(has_text="Text-only mode requested.")
                .wait_for(timeout=20_000)
            )
            assert await option.inner_text() == "Back to normal mode"
            text = await page.inner_text("body")
            for alarming in ("safety", "help", "danger", "only the facilitator"):
                assert alarming not in text.lower()
            save_screenshot(await page.screenshot(), tmp_path, "join-safety-phone.png")

            await option.click()  # taken back
            withdrawn = await next_app(ana, SafetySignal)
            assert (withdrawn.sender, withdrawn.event) == (CHLOE, SafetySignal(withdrawn=True))
            await (
                page.locator("#safety-status")
                .filter(has_text="Normal mode restored.")
                .wait_for(timeout=20_000)
            )
            assert await option.inner_text() == "Switch to text only"

            # Bea, another participant, heard none of it: up to Ana's marker, only that.
            await ana.send(ClientChat(text="marker"))
            heard = []
            while True:
                message = await bea.receive(20)
                heard.append(message)
                if isinstance(message, ServerChat) and message.text == "marker":
                    break
            assert not [
                m for m in heard if isinstance(m, ServerApp) and isinstance(m.event, SafetySignal)
            ]

            # In French, the room's French words.
            await page.click("#lang-switch")
            await (
                page.locator("#btn-safety")
                .filter(has_text="Passer en mode texte seulement")
                .wait_for(timeout=20_000)
            )
        finally:
            await bea.close()
