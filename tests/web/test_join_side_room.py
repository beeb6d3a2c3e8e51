"""The private side room between real Chromium pages: the pair and the others stop
sending to each other (no RTP either way, from the pages' own WebRTC statistics), each
page says what is happening (in French on one, readable on a phone), and everyone
exchanges again when the facilitator brings them back."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    need_chromium,
    next_lobby_with_someone,
    page_state,
    save_screenshot,
    server_and_facilitator,
    wait_step,
)

from groupdesk.core.protocol import Admit, ClientApp, SideRoom

pytestmark = pytest.mark.slow

ANA, CHLOE, DAN, EVE, FAY = (
    "eeeeeeeeeeee",
    "888888888888",
    "222222222222",
    "444444444444",
    "666666666666",
)
"""Ana facilitates from a raw signalling client (no media); Chloé (English), Dan (French,
on a phone-sized screen), Eve and Fay (English) are Chromium pages; Fay comes late."""
NAMES = {CHLOE: "Chloé", DAN: "Dan", EVE: "Eve", FAY: "Fay"}

INSIDE = "You are in a private conversation with the facilitator. The others can't see or hear you."
OUTSIDE_EN = "Short pause: Chloé is with the facilitator for a moment."
OUTSIDE_FR = "Courte pause : Chloé est avec l'animateur ou l'animatrice pour un moment."
TILE_FR = "Avec l'animateur ou l'animatrice pour un moment"

Counters = dict[str, int]


def run_bounded(fn: Callable[[Path], Coroutine[Any, Any, None]]) -> Callable[[Path], None]:
    """Run the async test on a fresh event loop, bounded in time (three pages join one
    after the other: more than browser_harness.run_async's 90 s may be needed)."""

    @functools.wraps(fn)
    def wrapper(tmp_path: Path) -> None:
        need_chromium()
        asyncio.run(asyncio.wait_for(fn(tmp_path), 240))

    return wrapper


def counters(state: dict[str, Any], other: str) -> Counters:
    """What a page sent to ``other`` and received from them, from its RTCPeerConnection's
    getStats (outbound-rtp and inbound-rtp, polled by the page every second)."""
    info = state["members"][other]
    return {
        "sent audio packets": info["sent"]["audio"]["packets"],
        "sent video packets": info["sent"]["video"]["packets"],
        "sent video bytes": info["sent"]["video"]["bytes"],
        "received audio packets": info["audio"]["packetsReceived"],
        "received video packets": info["video"]["packetsReceived"],
        "decoded video frames": info["video"]["framesDecoded"],
    }


class Group:
    """The three pages, read together."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages

    def links(self) -> list[tuple[str, str]]:
        """Every (page, other page) pair."""
        return [(a, b) for a in self.pages for b in self.pages if a != b]

    async def read(self) -> dict[tuple[str, str], Counters]:
        """Each page's counters toward each other page, by (page, other)."""
        states = {seat: await page_state(page) for seat, page in self.pages.items()}
        return {
            (seat, other): counters(states[seat], other)
            for seat in self.pages
            for other in self.pages
            if other != seat and other in states[seat]["members"]
        }

    async def grown(
        self,
        since: dict[tuple[str, str], Counters],
        links: list[tuple[str, str]],
        by: int,
        *,
        video: bool = True,
    ) -> bool:
        """Whether, on every link, audio packets came in (``by`` of them) and, with
        ``video``, video frames were decoded."""
        now = await self.read()
        return all(
            link in now
            and link in since
            and now[link]["received audio packets"] >= since[link]["received audio packets"] + by
            and (
                not video or now[link]["decoded video frames"] > since[link]["decoded video frames"]
            )
            for link in links
        )


async def notice(page: Page) -> str:
    text: str = await page.inner_text("#side-room")
    return text.strip()


async def tile_of(page: Page, seat: str) -> dict[str, Any]:
    """What a member's tile shows: its badges, whether its video is hidden and its
    sound muted."""
    tile = page.locator(f"#grid li[data-member='{seat}']")
    return {
        "badges": await tile.locator(".badges").inner_text(),
        "video hidden": await tile.locator("video").evaluate("v => v.hidden"),
        "sound muted": await tile.locator("audio").evaluate("a => a.muted"),
    }


@run_bounded
async def test_the_side_room_isolates_on_the_wire_and_says_so(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path, member_ids=[ANA, *NAMES]) as (_s, ana, opened),
        chromium(camera_fps=10) as chloe,
    ):
        browser = chloe.context.browser
        assert browser is not None
        dan_context = await browser.new_context(
            locale="fr-CA", viewport={"width": 390, "height": 844}
        )
        eve_context = await browser.new_context(locale="en-US")
        fay_context = await browser.new_context(locale="en-US")

        async def seat(seat: str, page: Page) -> None:
            await go_to_lobby(page, opened.invite, name=NAMES[seat])
            await next_lobby_with_someone(ana)
            await ana.send(Admit(member=seat))
            await wait_step(page, "session")

        try:
            dan, eve = await dan_context.new_page(), await eve_context.new_page()
            pages = {CHLOE: chloe, DAN: dan, EVE: eve}
            for member, page in pages.items():
                await seat(member, page)
            group = Group(pages)
            everyone = group.links()
            across = [link for link in everyone if CHLOE in link]  # the side room cuts these
            between_others = [(DAN, EVE), (EVE, DAN)]
            start = await group.read()
            await eventually(
                lambda: group.grown(start, everyone, 50),
                timeout=60,
                what="every page hearing and seeing every other",
            )

            # Ana steps aside with Chloé (a participant's side room never gets here: the
            # server refuses it, and the page ignores one: tests/web/state.test.mjs).
            await ana.send(ClientApp(event=SideRoom(members=(ANA, CHLOE))))
            await eventually(lambda: _says(chloe, INSIDE), 20, "Chloé's notice")
            await eventually(lambda: _says(dan, OUTSIDE_FR), 20, "Dan's notice, in French")
            await eventually(lambda: _says(eve, OUTSIDE_EN), 20, "Eve's notice")
            assert await chloe.get_attribute("#side-room", "role") == "status"
            tile = await tile_of(dan, CHLOE)
            assert TILE_FR in tile["badges"]
            assert tile["video hidden"]
            assert tile["sound muted"]
            assert TILE_FR in (await tile_of(dan, ANA))["badges"]
            assert (await tile_of(chloe, DAN))["sound muted"]
            assert not (await tile_of(dan, EVE))["sound muted"]
            box = await dan.locator("#side-room").bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390
            save_screenshot(await dan.screenshot(), tmp_path, "join-side-room-phone-fr.png")
            save_screenshot(await chloe.screenshot(), tmp_path, "join-side-room-inside.png")

            # Dan turns his camera off meanwhile: Chloé must not get his video back after.
            await dan.click("#btn-camera")

            # After a settle (packets already on their way), nothing crosses the side
            # room while Dan and Eve keep exchanging.
            settle = await group.read()
            await eventually(
                lambda: group.grown(settle, between_others, 100, video=False),
                timeout=30,
                what="Dan and Eve exchanging while Chloé is aside",
            )
            during = await group.read()
            await eventually(
                lambda: group.grown(during, between_others, 150, video=False),
                timeout=30,
                what="Dan and Eve exchanging while Chloé is aside",
            )
            after = await group.read()
            grew = {
                link: {k: (during[link][k], after[link][k]) for k in after[link]}
                for link in across
                if after[link] != during[link]
            }
            assert not grew, f"media crossed the side room: {grew}"

            # Fay comes in meanwhile; Ana's app tells her of the side room. Chloé's page
            # connects to her blocked from the start: not one packet goes to Fay.
            fay = await fay_context.new_page()
            await seat(FAY, fay)
            await ana.send(ClientApp(event=SideRoom(members=(ANA, CHLOE))))
            await eventually(lambda: _says(fay, OUTSIDE_EN), 20, "Fay's notice")
            pages[FAY] = fay
            joined = await group.read()
            await eventually(
                lambda: group.grown(joined, [(FAY, EVE)], 100), 30, "Fay hearing and seeing Eve"
            )
            await eventually(lambda: _connected(chloe, FAY), 30, "Chloé's page connected to Fay's")
            connected = await group.read()
            await eventually(
                lambda: group.grown(connected, [(FAY, EVE)], 100), 30, "Fay hearing Eve on"
            )
            now = await group.read()
            for counter in ("sent audio packets", "sent video packets"):
                assert now[(CHLOE, FAY)][counter] == 0, now[(CHLOE, FAY)]
            for counter in ("received audio packets", "received video packets"):
                assert now[(FAY, CHLOE)][counter] == 0, now[(FAY, CHLOE)]
            across = [link for link in group.links() if CHLOE in link]

            # Back together: everyone exchanges again, the notices go, Dan's camera stays off.
            await ana.send(ClientApp(event=SideRoom()))
            back = await group.read()
            await eventually(
                lambda: group.grown(back, across, 100, video=False),
                timeout=30,
                what="sound crossing again between Chloé and the others",
            )
            video_back = [link for link in across if link[1] != DAN]  # Dan's camera is off
            await eventually(lambda: group.grown(back, video_back, 0), 30, "video crossing again")
            now = await group.read()
            for link in across:
                assert now[link]["sent audio packets"] > back[link]["sent audio packets"], link
            assert (
                now[(CHLOE, DAN)]["decoded video frames"]
                == back[(CHLOE, DAN)]["decoded video frames"]
            )
            for page in pages.values():
                assert await notice(page) == ""
            tile = await tile_of(dan, CHLOE)
            assert TILE_FR not in tile["badges"]
            assert not tile["video hidden"]
            assert not tile["sound muted"]
        finally:
            for context in (dan_context, eve_context, fay_context):
                await context.close()


async def _connected(page: Page, other: str) -> bool:
    members = (await page_state(page))["members"]
    return other in members and members[other]["state"] == "connected"


async def _says(page: Page, text: str) -> bool:
    return await notice(page) == text
