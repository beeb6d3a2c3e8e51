"""The lobby preview from a real browser: an aiortc facilitator sees the waiting page's camera.

The page (``server/web/preview.js``) answers the facilitator's ``preview.offer`` with a
small, slow, video-only copy of its camera; the facilitator's side is
:class:`groupdesk.media.preview.LobbyPreviews`, as in the desktop app.
"""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    save_screenshot,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import Admit, Decline
from groupdesk.media.preview import LobbyPreviews
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow

PREVIEW_WIDTH, PREVIEW_HEIGHT = 320, 180
"""What the page sends (preview.js's PREVIEW, media/preview.py's PREVIEW_PROFILE)."""

SLOW_CAMERA_FPS = 2
"""A camera that delivers few frames (a dim webcam, a busy machine): a clone's size changes
with its next frame, not when its constraints apply, so the page must report the size when
asked, not keep what it read at the last change (that was 640x360, now and then)."""


class Watcher:
    """A facilitator's signalling client with lobby previews, recording frames and states."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.frames: dict[str, list[av.VideoFrame]] = {}
        self.sizes: dict[str, list[tuple[int, int]]] = {}  # of every frame, in order
        self.states: list[tuple[str, str]] = []
        self.previews = LobbyPreviews(self.client, self._frame, self._state)

    def _frame(self, member: str, frame: av.VideoFrame) -> None:
        kept = self.frames.setdefault(member, [])
        kept.append(frame)
        self.sizes.setdefault(member, []).append((frame.width, frame.height))
        del kept[:-40]  # the newest only: enough to compare, light on memory

    def _state(self, member: str, state: str) -> None:
        self.states.append((member, state))

    def count(self, member: str) -> int:
        viewer = self.previews.viewers.get(member)
        return viewer.frames if viewer else 0

    def says(self, member: str) -> str:
        viewer = self.previews.viewers.get(member)
        link = f", connection {viewer._pc.connectionState}" if viewer else ""
        return (
            f"preview of {member}: {self.previews.state(member)}, {self.count(member)} frames{link}"
        )


async def waiting(page: Page, fac: SignalingClient, invite: str, name: str) -> tuple[str, str]:
    """Take the page to the lobby: its seat (as the facilitator sees it) and its text."""
    await go_to_lobby(page, invite, name=name)
    await wait_step(page, "lobby")
    seat = (await next_lobby_with_someone(fac)).waiting[0].member
    return seat, await visible_text(page)


async def seen(page: Page, ana: Watcher, seat: str, timeout: float = 45) -> None:
    """Wait until the page says a facilitator sees it (saying what both sides saw if not)."""
    said: list[object] = []

    async def check() -> bool:
        said[:] = [(await page_state(page))["lobbyPreview"]]
        return bool(said[0]["seen"])  # type: ignore[index]

    await eventually(check, timeout, lambda: f"the page seen: {said}, {ana.says(seat)}")


def moved(a: av.VideoFrame, b: av.VideoFrame) -> int:
    """How many pixels clearly changed between two frames (their luma, by more than 32):
    Chromium's fake camera turns a shape and counts its frames."""
    if (a.width, a.height) != (b.width, b.height):
        return a.width * a.height
    x, y = a.planes[0], b.planes[0]
    width, stride_x, stride_y = a.width, x.line_size, y.line_size
    xb, yb = bytes(x), bytes(y)
    return sum(
        abs(xb[row * stride_x + col] - yb[row * stride_y + col]) > 32
        for row in range(a.height)
        for col in range(width)
    )


@run_async
async def test_the_facilitator_sees_the_waiting_page_until_admission(tmp_path: Path) -> None:
    ana = Watcher()
    async with server_and_facilitator(tmp_path, client=ana.client) as (_server, fac, opened):
        try:
            async with chromium(camera_fps=SLOW_CAMERA_FPS) as page:
                seat, text = await waiting(page, fac, opened.invite, "Chloé")
                assert "the facilitator may see you through your camera" in text
                assert "No sound is sent." in text

                # The facilitator's preview shows moving video, small, and never sound.
                await eventually(
                    lambda: ana.count(seat) >= 15, timeout=45, what=lambda: ana.says(seat)
                )
                assert ana.previews.state(seat) == "showing"
                first = ana.frames[seat][-1]
                before = ana.count(seat)
                await eventually(lambda: ana.count(seat) >= before + 5, what=lambda: ana.says(seat))
                assert moved(first, ana.frames[seat][-1]) > 50
                sizes = {(f.width, f.height) for f in ana.frames[seat]}
                assert all(w <= PREVIEW_WIDTH and h <= PREVIEW_HEIGHT for w, h in sizes), sizes
                viewer = ana.previews.viewers[seat]
                answer = viewer._pc.remoteDescription.sdp
                assert "m=video" in answer
                assert "m=audio" not in answer
                assert "a=sendonly" in answer

                # The page says so, and sends a clone made small, not the camera itself. Its
                # size is final now: a clone reports the size of the frames it delivered, and
                # the small frames the facilitator decoded above came from it.
                await page.wait_for_selector("#lobby-seen:has-text('The facilitator can see you.')")
                preview = (await page_state(page))["lobbyPreview"]
                assert preview["watchers"] == [fac.member]
                assert (preview["camera"], preview["seen"], preview["connected"]) == (True, True, 1)
                assert (preview["width"], preview["height"]) == (PREVIEW_WIDTH, PREVIEW_HEIGHT)
                assert preview["frameRate"] <= 10
                camera_button = page.locator("#lobby-camera")
                assert await camera_button.inner_text() == "Turn off my camera"
                save_screenshot(await page.screenshot(), tmp_path, "lobby-preview.png")

                # Camera off while waiting: the facilitator is told, no picture goes out.
                await camera_button.focus()
                await page.keyboard.press("Enter")  # by keyboard, as anyone may
                await eventually(
                    lambda: ana.previews.state(seat) == "camera_off", what=lambda: ana.says(seat)
                )
                await page.wait_for_selector("#lobby-seen:has-text('Your camera is off')")
                assert await camera_button.inner_text() == "Turn on my camera"
                assert await camera_button.get_attribute("data-on") == "true"
                preview = (await page_state(page))["lobbyPreview"]
                assert (preview["camera"], preview["seen"]) == (False, False)
                assert await page.is_hidden("#lobby-preview")

                # And on again: showing again, from new frames, small from the first one.
                before = len(ana.sizes[seat])
                await camera_button.click()
                await eventually(
                    lambda: (
                        ana.previews.state(seat) == "showing" and len(ana.sizes[seat]) > before + 3
                    ),
                    timeout=30,
                    what=lambda: ana.says(seat),
                )
                sizes = set(ana.sizes[seat][before:])
                assert all(w <= PREVIEW_WIDTH and h <= PREVIEW_HEIGHT for w, h in sizes), sizes
                await page.wait_for_selector("#lobby-seen:has-text('The facilitator can see you.')")

                # Admission ends the preview on both sides; the camera goes on to the session.
                await fac.send(Admit(member=seat))
                await wait_step(page, "session")
                await eventually(lambda: ana.previews.viewers == {}, what="the preview closed")
                assert (seat, "closed") in ana.states
                await page_holds(
                    page,
                    "window.groupdeskState.lobbyPreview.watchers.length === 0"
                    " && !window.groupdeskState.lobbyPreview.active",
                    "the page hung up its previews",
                )
                state = await page_state(page)
                assert state["self"]["cameraOff"] is False
                assert await page.inner_text("#btn-camera") == "Turn off my camera"
                # the clone was stopped, never the camera: the session's own view still plays
                assert (
                    await page.evaluate(
                        "document.querySelector('#grid li.self video')"
                        ".srcObject.getVideoTracks()[0].readyState"
                    )
                    == "live"
                )
        finally:
            await ana.previews.close()


@run_async
async def test_camera_off_in_the_lobby_stays_off_in_the_session_in_french(tmp_path: Path) -> None:
    ana = Watcher()
    async with server_and_facilitator(tmp_path, client=ana.client) as (_server, fac, opened):
        try:
            async with chromium(locale="fr-CA") as page:
                seat, text = await waiting(page, fac, opened.invite, "Noé")
                assert "peut vous voir par votre caméra" in text
                assert "Aucun son n'est transmis." in text
                await page.wait_for_selector('#lobby-seen:has-text("L\'animateur")')
                assert await page.inner_text("#lobby-camera") == "Couper ma caméra"

                # Malformed preview payloads are ignored; a facilitator who stops watching
                # is hung up on, and one who asks again is answered again.
                errors: list[object] = []

                def page_error(error: object) -> None:  # playwright wants a Python function
                    errors.append(error)

                page.on("pageerror", page_error)
                for bad in (
                    {"type": "preview.offer"},
                    {"type": "preview.offer", "sdp": 12},
                    {"type": "preview.camera", "on": "yes"},
                    {"type": "preview.answer", "sdp": "v=0"},
                    {"type": "preview.whatever"},
                ):
                    await fac.send_signal(seat, bad)
                await ana.previews.sync([])
                await page_holds(
                    page,
                    "window.groupdeskState.lobbyPreview.watchers.length === 0",
                    "the page hung up when the facilitator stopped",
                )
                await ana.previews.sync([seat])
                await eventually(
                    lambda: ana.previews.state(seat) == "showing", what=lambda: ana.says(seat)
                )
                await seen(page, ana, seat)
                assert (await page_state(page))["lobbyPreview"]["answered"] == 2
                assert errors == []

                await page.click("#lobby-camera")
                await eventually(
                    lambda: ana.previews.state(seat) == "camera_off", what=lambda: ana.says(seat)
                )
                await page.wait_for_selector("#lobby-seen:has-text('Votre caméra est coupée')")
                assert await page.inner_text("#lobby-camera") == "Rallumer ma caméra"
                # asked again with the camera off: answered, with camera false and no picture
                await ana.previews.sync([])
                await ana.previews.sync([seat])
                await page_holds(
                    page, "window.groupdeskState.lobbyPreview.answered === 3", "a third answer"
                )
                await eventually(
                    lambda: ana.previews.state(seat) == "camera_off", what=lambda: ana.says(seat)
                )
                assert ana.count(seat) == 0

                # Admitted with the camera off: the session starts with it off.
                await fac.send(Admit(member=seat))
                await wait_step(page, "session")
                state = await page_state(page)
                assert state["self"]["cameraOff"] is True
                assert await page.inner_text("#btn-camera") == "Rallumer ma caméra"
                await eventually(lambda: ana.previews.viewers == {}, what="the preview closed")
        finally:
            await ana.previews.close()


@run_async
async def test_a_declined_person_hangs_up_the_preview(tmp_path: Path) -> None:
    ana = Watcher()
    async with server_and_facilitator(tmp_path, client=ana.client) as (_server, fac, opened):
        try:
            async with chromium() as page:
                seat, _text = await waiting(page, fac, opened.invite, "Dan")
                await seen(page, ana, seat)
                await fac.send(Decline(member=seat))
                await wait_step(page, "end")
                await eventually(lambda: ana.previews.viewers == {}, what="the preview closed")
                preview = (await page_state(page))["lobbyPreview"]
                assert (preview["active"], preview["watchers"], preview["camera"]) == (
                    False,
                    [],
                    False,
                )
        finally:
            await ana.previews.close()
