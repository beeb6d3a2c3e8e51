"""The test call: camera, microphone and speaker checked with nobody else, nothing sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_harness import (
    chromium,
    eventually,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.server.app import start_server

pytestmark = pytest.mark.slow

_PREVIEW_PLAYS = """(() => {
  const v = document.getElementById('test-preview');
  return v.readyState >= 2 && !v.paused && v.videoWidth > 0 && v.currentTime > 0;
})()"""
_METER_WIDTH = "parseFloat(document.querySelector('#test-level span').style.width || '0')"


@run_async
async def test_the_test_call_checks_everything_and_sends_nothing(tmp_path: Path) -> None:
    server = await start_server("127.0.0.1", 0)
    try:
        async with chromium() as page:
            requests: list[tuple[str, str]] = []
            sockets: list[str] = []
            page.on("request", lambda r: requests.append((r.method, r.url)))
            page.on("websocket", lambda ws: sockets.append(ws.url))
            response = await page.goto(f"{server.url}/test")
            assert response is not None
            assert "default-src 'none'" in response.headers["content-security-policy"]
            await wait_step(page, "test")
            # The camera shows, the bar moves with the (fake) microphone.
            await page_holds(page, _PREVIEW_PLAYS, "the camera preview playing")
            assert "Your camera works" in await visible_text(page)
            widths: list[float] = []

            async def meter_moved() -> bool:
                widths.append(await page.evaluate(_METER_WIDTH))
                return len(set(widths)) >= 3 and max(widths) > 0

            await page_holds(page, "window.groupdeskState.testCall.maxLevel > 0.1", "a level")
            await eventually(meter_moved, timeout=15, what=lambda: f"the bar moving: {widths}")

            # The speaker: a tune, and the person says they heard it.
            await page.click("#test-play")
            await page.click("#test-heard-yes")
            assert "Your sound works." in await visible_text(page)

            # Five seconds of their voice, played back to them.
            await page.click("#test-record")
            await page.wait_for_selector("text=Recording… Say a few words now.")
            await page_holds(
                page,
                "window.groupdeskState.testCall.playback === 'ended'",
                "the recording played back to its end",
                timeout=25,
            )
            found: dict[str, Any] = (await page_state(page))["testCall"]
            assert found["recording"] == "recorded"
            assert found["recordedBytes"] > 2000
            assert found["recordedLevel"] >= 0.3
            assert await page.evaluate("document.getElementById('test-playback').duration") > 3
            await page.click("#test-voice-yes")
            text = await visible_text(page)
            assert "Your microphone works: the group will hear you." in text
            assert "Everything works. You are ready for the group." in text
            assert "You can close this page." in text
            assert await page.is_hidden("#test-back")  # no group to go back to

            # In French too.
            await page.click("#lang-switch")
            text = await visible_text(page)
            assert "Testez votre caméra et votre son" in text
            assert "Tout fonctionne. Vous êtes prêt ou prête pour le groupe." in text

            # Nothing was sent: no WebSocket, and nothing asked of the server but the
            # page and its own files.
            assert sockets == []
            origin = server.url
            for method, url in requests:
                assert method == "GET", (method, url)
                if url.startswith(("blob:", "data:")):
                    continue
                assert url.startswith(origin), url
                path = urlsplit(url).path
                assert path == "/test" or path.startswith("/web/"), url
            assert ("GET", f"{origin}/test") in requests
    finally:
        await server.stop()


@run_async
async def test_the_device_check_opens_the_test_call_and_comes_back(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (_s, _fac, opened), chromium() as page:
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page.wait_for_selector("#check-continue:visible")
        await page.click("#check-test")
        await wait_step(page, "test")
        await page_holds(page, _PREVIEW_PLAYS, "the camera preview playing")
        await page.click("#test-play")
        await page.click("#test-heard-no")
        assert "Turn up the volume" in await visible_text(page)
        await page.click("#test-back")
        await wait_step(page, "check")
        assert await page.inner_text("#check-continue") == "Everything works: continue"
