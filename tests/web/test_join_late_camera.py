"""The device check waits for the browser's answer, and a camera allowed later is used."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_harness import (
    chromium,
    eventually,
    next_app,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)
from test_join_session import ANA, CHLOE, AiortcMember

from groupdesk.core.protocol import Admit, MediaState

pytestmark = pytest.mark.slow

# The browser's permission box, held open until the test answers it: getUserMedia waits.
_PERMISSION_BOX = """
(() => {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let answer;
  const answered = new Promise((resolve) => { answer = resolve; });
  window.testAnswerPermission = () => answer();
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    await answered;
    return real(constraints);
  };
})();
"""


@run_async
async def test_continue_is_offered_only_once_the_check_has_a_result(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (_s, _fac, opened), chromium() as page:
        await page.add_init_script(script=_PERMISSION_BOX)
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page.wait_for_selector("#check-asking:visible")
        text = await visible_text(page)
        assert "Allow the camera and microphone in the box your browser shows." in text
        assert "continue" not in text.lower()
        assert await page.is_hidden("#check-continue")
        assert (await page_state(page))["checking"] is True

        await page.evaluate("window.testAnswerPermission()")
        await page.wait_for_selector("#check-continue:visible")
        assert await page.inner_text("#check-continue") == "Everything works: continue"
        assert await page.is_hidden("#check-asking")
        state = await page_state(page)
        assert (state["checking"], state["checkProblem"]) == (False, None)


@run_async
async def test_a_camera_allowed_after_joining_reaches_the_facilitator(tmp_path: Path) -> None:
    ana = AiortcMember("Ana", 1)
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=[ANA, CHLOE]) as (
            _s,
            fac,
            opened,
        ),
        chromium(fake_ui=False) as page,
    ):
        try:
            origin = "http://" + urlsplit(opened.invite).netloc
            # The microphone is allowed, the camera not (its box was closed unanswered).
            await page.context.grant_permissions(["microphone"], origin=origin)
            await page.goto(opened.invite)
            await wait_step(page, "check")
            await page_holds(
                page, "window.groupdeskState.checkProblem === 'camera_denied'", "camera refused"
            )
            assert "Your browser blocked the camera" in await visible_text(page)
            assert await page.inner_text("#check-continue") == "Continue without camera"
            await page.click("#check-continue")
            await page.fill("#name-input", "Chloé")
            await page.keyboard.press("Enter")
            await page.click("#answers-form button[type=submit]")
            await page.click("#answers-anyway")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await wait_step(page, "session")
            await eventually(
                lambda: ana.decoded.audio[CHLOE] >= 50, timeout=45, what="Chloé's sound at Ana's"
            )
            assert ana.decoded.video[CHLOE] == 0
            assert await page.is_disabled("#btn-camera")

            # She allows the camera in the browser's settings: the page takes it up, says
            # so, tells the room, and Ana decodes her video.
            await page.context.grant_permissions(["camera", "microphone"], origin=origin)
            camera_on = await next_app(fac, MediaState)
            while camera_on.event == MediaState(muted=False, camera_off=True):
                camera_on = await next_app(fac, MediaState)  # said when she came in
            assert (camera_on.sender, camera_on.event) == (
                CHLOE,
                MediaState(muted=False, camera_off=False),
            )
            await eventually(
                lambda: ana.decoded.video[CHLOE] >= 15,
                timeout=45,
                what=lambda: f"Chloé's late camera at Ana's: {ana.progress(CHLOE)}",
            )
            assert ana.decoded.sizes[CHLOE][0] >= 160
            await page.wait_for_selector("#announcer:has-text('Your camera is on now')")
            assert await page.inner_text("#btn-camera") == "Turn off my camera"
            state = await page_state(page)
            assert (state["cameraLate"], state["self"]["cameraOff"]) == (1, False)
        finally:
            await ana.close()
