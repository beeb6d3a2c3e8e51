"""The private side room isolates on the wire in a mixed room: the facilitator's real
desktop app (aiortc, offscreen Qt), a real headless Chromium participant (the web page)
and a bot (aiortc), through the app's embedded server on loopback.

While the facilitator is aside with the page, the bot decodes no frame of either and the
page neither receives RTP from the bot nor sends it any (the page's own WebRTC
statistics); then everyone receives everyone again on the same connections; then the
facilitator steps aside with the bot and the page is left out, both ways. Every window
is measured in frames on the links still open, never by sleeping."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from live_helpers import FPS, HEIGHT, WIDTH, prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.bots.behaviour import BotBehaviour
from groupdesk.bots.bot import Bot
from groupdesk.core.protocol import parse_invite_link
from groupdesk.media.mesh import Mesh
from groupdesk.ui.live_session import LiveSession, LiveStage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))  # the browser harness
from browser_harness import (
    Page,
    chromium,
    go_to_lobby,
    need_chromium,
    page_state,
    wait_step,
)

pytestmark = pytest.mark.slow

INSIDE = "You are in a private conversation with the facilitator. The others can't see or hear you."

PageCounters = dict[str, int]


def _decoded(mesh: Mesh, sender: str) -> tuple[int, int]:
    """Video and audio frames an aiortc member decoded from ``sender``'s RTP, whether
    shown or dropped by its own check."""
    got = mesh.peers[sender].received
    return got.video_frames + got.blocked_video_frames, got.audio_frames + got.blocked_audio_frames


def _page_counters(state: dict[str, Any], other: str) -> PageCounters:
    """What the page sent to ``other`` and received from them (its RTCPeerConnection's
    getStats, polled by the page every second)."""
    info = state["members"][other]
    return {
        "sent audio packets": info["sent"]["audio"]["packets"],
        "sent video packets": info["sent"]["video"]["packets"],
        "received audio packets": info["audio"]["packetsReceived"],
        "received video packets": info["video"]["packetsReceived"],
        "decoded video frames": info["video"]["framesDecoded"],
    }


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 15.0) -> None:
    """Wait, bounded, for an async check (the page's state, read over CDP)."""
    try:
        async with asyncio.timeout(timeout):
            while not await check():
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


def test_the_side_room_isolates_a_browser_and_aiortc_members_on_the_wire(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    need_chromium()

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Chloé", "Dan"])
        live = LiveSession()
        quiet = BotBehaviour(width=WIDTH, height=HEIGHT, fps=FPS, hand_raises_per_minute=0)
        dan = Bot("Dan", 2, quiet)
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            async with chromium(camera_fps=10) as page:
                await go_to_lobby(page, live.invite, name="Chloé")
                await wait_for(lambda: len(live.lobby) == 1)
                await live.admit_all()
                await wait_step(page, "session")
                await dan.join(parse_invite_link(live.invite))
                await wait_for(lambda: len(live.lobby) == 1)
                await live.admit_all()
                await dan.wait_meshed(20)
                await _scenario(live, dan, page)
        finally:
            await dan.leave()
            await live.close()
            await log.close()

    run(scenario())


async def _scenario(live: LiveSession, dan: Bot, page: Page) -> None:
    assert live.stage is LiveStage.LIVE
    await wait_for(lambda: live.mesh is not None and len(live.mesh.peers) == 2)
    fac_mesh, dan_mesh = live.mesh, dan.mesh
    assert fac_mesh is not None
    assert dan_mesh is not None
    julie, dan_seat = live.self_seat, dan_mesh.local_id
    chloe = (await page_state(page))["member"]
    aiortc = {julie: fac_mesh, dan_seat: dan_mesh}

    def decoded() -> dict[tuple[str, str], tuple[int, int]]:
        """By (aiortc receiver, sender): the frames decoded."""
        return {
            (r, s): _decoded(mesh, s)
            for r, mesh in aiortc.items()
            for s in (julie, dan_seat, chloe)
            if s != r
        }

    async def page_now() -> dict[str, PageCounters]:
        state = await page_state(page)
        return {m: _page_counters(state, m) for m in (julie, dan_seat) if m in state["members"]}

    async def aiortc_gets(links: list[tuple[str, str]], video: int, audio: int) -> None:
        """Until each aiortc (receiver, sender) link decoded that many more frames."""
        start = decoded()
        try:
            await wait_for(
                lambda: all(
                    _decoded(aiortc[r], s)[0] >= start[r, s][0] + video
                    and _decoded(aiortc[r], s)[1] >= start[r, s][1] + audio
                    for r, s in links
                ),
                timeout=15,
            )
        except TimeoutError:
            now = decoded()
            seen = {link: (start[link], now[link]) for link in links}
            raise AssertionError(f"timed out waiting for frames on {seen}") from None

    async def page_gets(senders: list[str], audio: int, *, video: bool = True) -> None:
        """Until the page received ``audio`` more packets (and decoded video frames) from
        each of ``senders``, by its own statistics."""
        start = await page_now()

        async def grown() -> bool:
            now = await page_now()
            return all(
                now[m]["received audio packets"] >= start[m]["received audio packets"] + audio
                and (not video or now[m]["decoded video frames"] > start[m]["decoded video frames"])
                for m in senders
            )

        await _until(grown, f"the page receiving from {senders}")

    # Everyone receives everyone: the aiortc members decode each other and the page ...
    every = [(r, s) for r in aiortc for s in (julie, dan_seat, chloe) if s != r]
    await aiortc_gets(every, 10, 50)
    # ... and the page decodes both of them, and sends to both.
    await page_gets([julie, dan_seat], 50)
    connections = {seat: dict(mesh.peers) for seat, mesh in aiortc.items()}
    first = await page_now()

    # (1) Julie steps aside with Chloé's page.
    await live.open_side_room(chloe)
    await wait_for(lambda: dan.blocked == dan_mesh.blocked == {julie, chloe})
    assert fac_mesh.blocked == {dan_seat}

    async def page_inside() -> bool:
        return bool((await page.inner_text("#side-room")).strip() == INSIDE)

    await _until(page_inside, "the page's side-room notice")
    # The settle: what was already on its way lands (frames on the pair's open link).
    await aiortc_gets([(julie, chloe)], 10, 50)
    await page_gets([julie], 50)
    during, page_during = decoded(), await page_now()
    # The window: two seconds and more of the pair talking, seen from both ends.
    await aiortc_gets([(julie, chloe)], 20, 100)
    await page_gets([julie], 100)
    after, page_after = decoded(), await page_now()
    across = [(dan_seat, julie), (dan_seat, chloe), (julie, dan_seat)]
    assert {link: after[link] for link in across} == {link: during[link] for link in across}
    assert page_after[dan_seat] == page_during[dan_seat], (page_during, page_after)
    # it was not idle before: the page sent to Dan and received from him
    assert page_during[dan_seat]["sent audio packets"] > first[dan_seat]["sent audio packets"] > 0

    # (2) Back together: everyone receives everyone again, on the same connections.
    await live.close_side_room()
    await wait_for(lambda: not dan.blocked and not dan_mesh.blocked and not fac_mesh.blocked)
    back = await page_now()
    await aiortc_gets([*across, (julie, chloe)], 10, 50)
    await page_gets([julie, dan_seat], 50)
    again = await page_now()
    assert again[dan_seat]["sent audio packets"] > back[dan_seat]["sent audio packets"]
    assert again[dan_seat]["sent video packets"] > back[dan_seat]["sent video packets"]
    assert {seat: dict(mesh.peers) for seat, mesh in aiortc.items()} == connections
    assert (await page_state(page))["members"][dan_seat]["state"] == "connected"

    # (3) Julie steps aside with Dan: now the page is the one left out, both ways.
    await live.open_side_room(dan_seat)
    await wait_for(lambda: dan_mesh.blocked == {chloe} and fac_mesh.blocked == {chloe})

    async def page_outside() -> bool:
        return bool((await page.inner_text("#side-room")).strip().startswith("Short pause"))

    await _until(page_outside, "the page's short-pause notice")
    await aiortc_gets([(julie, dan_seat), (dan_seat, julie)], 10, 50)  # the settle
    during, page_during = decoded(), await page_now()
    # three seconds of the pair (at least two of the page's statistics polls)
    await aiortc_gets([(julie, dan_seat), (dan_seat, julie)], 30, 150)
    after, page_after = decoded(), await page_now()
    left_out = [(julie, chloe), (dan_seat, chloe)]
    assert {link: after[link] for link in left_out} == {link: during[link] for link in left_out}
    assert page_after == page_during

    await live.close_side_room()
    await wait_for(lambda: not dan_mesh.blocked and not fac_mesh.blocked)
    await aiortc_gets(left_out, 10, 50)
    await page_gets([julie, dan_seat], 50)
    assert {seat: dict(mesh.peers) for seat, mesh in aiortc.items()} == connections
