"""What the lobby says of the camera, and what a screen reader finds on the end page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_harness import (
    chromium,
    go_to_lobby,
    next_app,
    next_lobby_with_someone,
    page_holds,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import Admit, EndRoom, RaiseHand

pytestmark = pytest.mark.slow

# Every live region a screen reader would still find (not inside a hidden section).
_LIVE_TEXT = """() => [...document.querySelectorAll(
    '[aria-live], [role=status], [role=alert], [role=log]')]
  .filter((el) => !el.closest('[hidden]'))
  .map((el) => el.textContent.trim()).filter(Boolean)"""


@run_async
async def test_the_lobby_speaks_of_the_camera_only_when_one_is_on(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_s, fac, opened),
        chromium(fake_ui=False) as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page.wait_for_selector("#check-problem:visible")
        await page.click("#check-continue")  # without camera and microphone
        await page.fill("#name-input", "Chloé")
        await page.keyboard.press("Enter")
        await page.click("#answers-form button[type=submit]")
        await page.click("#answers-anyway")
        await next_lobby_with_someone(fac)
        await page.wait_for_selector("text=The facilitator will let you in.")
        text = await visible_text(page)
        assert "camera" not in text.lower(), text

        # The camera is allowed while she waits: now the note says it.
        origin = "http://" + urlsplit(opened.invite).netloc
        await page.context.grant_permissions(["camera", "microphone"], origin=origin)
        await page.wait_for_selector("#lobby-preview-note:visible")
        text = await visible_text(page)
        assert "the facilitator may see you through your camera" in text
        assert await page.inner_text("#lobby-camera") == "Turn off my camera"


@run_async
async def test_the_end_page_keeps_no_announcement_of_the_session(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (_s, fac, opened), chromium() as page:
        await go_to_lobby(page, opened.invite)
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Admit(member=lobby.waiting[0].member))
        await wait_step(page, "session")
        await page.click("#btn-hand")
        await next_app(fac, RaiseHand)
        await page_holds(
            page,
            "document.getElementById('announcer').textContent.includes('Your hand is raised')",
            "the raised hand announced",
        )
        await fac.send(EndRoom())
        await wait_step(page, "end")
        assert "The session has ended" in await visible_text(page)
        assert await page.inner_text("#announcer") == ""
        assert await page.evaluate(_LIVE_TEXT) == []
