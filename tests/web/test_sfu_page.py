"""The page in an SFU room: real Chromium, a real server, a real Janus, aiortc members.

The page publishes its camera and microphone once, with simulcast, to the organisation's
media server (through the server's ``sfu`` messages), plays the others' streams from it,
takes the small layer on a narrow screen, and says that media pass through that server
and are not end-to-end encrypted (no security code). Janus runs from Debian's package in
the tests' private network namespace, its media on loopback addresses of an interface
of their own (tests/janus_harness.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import (
    AudioStreamTrack,
    MediaStreamError,
    MediaStreamTrack,
    VideoStreamTrack,
)
from browser_harness import (
    Page,
    axe_violations,
    chromium,
    describe_violations,
    eventually,
    go_to_lobby,
    need_axe,
    next_lobby_with_someone,
    next_of,
    page_holds,
    page_state,
    run_async,
    save_screenshot,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientApp,
    ClientSfu,
    ClientUplink,
    ParticipantHello,
    ServerMessage,
    ServerSfu,
    SharePermission,
    parse_invite_link,
)
from groupdesk.core.uplink import UplinkRule
from groupdesk.media.call import MediaCall
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.mesh import Mesh
from groupdesk.media.sfu import SfuCall
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import ServerConfig
from groupdesk.server.janus import Janus
from groupdesk.server.janus_client import post_json
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import SignalingClient
from janus_harness import needs_janus, running_janus, sfu_config

if TYPE_CHECKING:
    from playwright.async_api import WebSocketRoute

pytestmark = pytest.mark.slow

ANA, CHLOE, DAN = "0000000a0a0a", "00000000c1c1", "00000000d2d2"
HERE = Path(__file__).resolve().parent
WEB = HERE.parents[1] / "src" / "groupdesk" / "server" / "web"
STRINGS: dict[str, dict[str, str]] = json.loads((WEB / "strings.json").read_text("utf-8"))
NARROW = (360, 740)  # a phone held upright, in CSS pixels
WIDE = (1100, 800)


def test_the_page_sfu_module() -> None:
    """web/sfu.js outside the browser (sfu.test.mjs): what it sends for each message."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("the page's module tests need node")
        pytest.skip("the page's module tests need node")
    done = subprocess.run(
        [node, "--test", "sfu.test.mjs"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = len(re.findall(r"^test\(", (HERE / "sfu.test.mjs").read_text(), re.MULTILINE))
    assert written >= 6
    assert f"# pass {written}" in done.stdout  # every test ran, and passed


def _sfu_config(server: Janus) -> ServerConfig:
    return ServerConfig(rules=RoomRules(max_members=6), sfu=sfu_config(server))


class SfuMember:
    """An aiortc member of an SFU room over the server's ``sfu`` messages: it publishes a
    test pattern and silence, answers every offer of someone's feed, and counts the
    frames it decodes of each feed (with their size)."""

    def __init__(self, client: SignalingClient) -> None:
        self.client = client
        self.publisher: RTCPeerConnection | None = None
        self.subscribers: dict[str, RTCPeerConnection] = {}
        self.frames: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.answered = asyncio.Event()
        self.tasks: set[asyncio.Task[None]] = set()
        self.errors: list[BaseException] = []
        client.on_message(self._heard)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.errors.append(task.exception())  # type: ignore[arg-type]

    def _heard(self, message: ServerMessage) -> None:
        if isinstance(message, ServerSfu):
            self._spawn(self._handle(message))

    async def publish(self, video: MediaStreamTrack | None = None) -> None:
        """Publish silence and ``video`` (default: aiortc's 640x480 test frames)."""
        member = self.client.member
        assert member is not None
        pc = RTCPeerConnection()
        self.publisher = pc
        for track in (AudioStreamTrack(), video or VideoStreamTrack()):
            pc.addTransceiver(track, direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())  # aiortc gathers in here
        await self.client.send(ClientSfu(feed=member, kind="offer", sdp=pc.localDescription.sdp))
        # aiortc gathers every candidate before the offer: all are in it, and none follows
        await self.client.send(ClientSfu(feed=member, kind="candidate"))

    async def _handle(self, message: ServerSfu) -> None:
        if message.kind == "answer" and self.publisher is not None:
            assert message.sdp is not None
            await self.publisher.setRemoteDescription(RTCSessionDescription(message.sdp, "answer"))
            self.answered.set()
        elif message.kind == "offer":
            assert message.sdp is not None
            await self._subscribe(message.feed, message.sdp)

    async def _subscribe(self, feed: str, sdp: str) -> None:
        old = self.subscribers.pop(feed, None)
        if old is not None:
            await old.close()
        pc = RTCPeerConnection()
        self.subscribers[feed] = pc

        @pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                self._spawn(self._count(feed, track))

        await pc.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        await self.client.send(ClientSfu(feed=feed, kind="answer", sdp=pc.localDescription.sdp))
        await self.client.send(ClientSfu(feed=feed, kind="candidate"))

    async def _count(self, feed: str, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.frames[feed].append((frame.width, frame.height))

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        for pc in [*self.subscribers.values(), self.publisher]:
            if pc is not None:
                await pc.close()


async def _janus_handles(server: Janus) -> list[dict[str, Any]]:
    """Every handle's ``handle_info`` from Janus's Admin API."""
    settings = server.settings
    url = settings.admin_url

    async def ask(where: str, kind: str) -> dict[str, Any]:
        body = {"janus": kind, "transaction": secrets.token_hex(6)}
        body["admin_secret"] = settings.admin_secret
        return await post_json(http, where, body, 5.0)

    infos = []
    async with aiohttp.ClientSession() as http:
        for session in (await ask(url, "list_sessions")).get("sessions", []):
            listed = await ask(f"{url}/{session}", "list_handles")
            for handle in listed.get("handles", []):
                info = await ask(f"{url}/{session}/{handle}", "handle_info")
                infos.append(info.get("info") or {})
    return infos


async def _simulcast_in_janus(server: Janus, feed: str) -> list[dict[str, Any]]:
    """What Janus says of the simulcast of ``feed``'s video, in each subscription to it."""
    found = []
    for info in await _janus_handles(server):
        plugin = info.get("plugin_specific") or {}
        if plugin.get("type") != "subscriber":
            continue
        for stream in plugin.get("streams") or []:
            if stream.get("type") == "video" and stream.get("feed_id") == int(feed, 16):
                found.append(stream.get("simulcast") or {})
    return found


async def _admit(fac: SignalingClient, member: str) -> None:
    await next_lobby_with_someone(fac)
    await fac.send(Admit(member=member))


async def _received(page: Page, member: str) -> dict[str, Any]:
    """What the page receives of ``member`` (its state's video figures)."""
    state = await page_state(page)
    info = state["members"].get(member) or {}
    video: dict[str, Any] = info.get("video") or {}
    return video


async def _failure_shown(page: Page, lang: str, key: str) -> bool:
    shown = await page.is_visible("#sfu-failed")
    return shown and (await page.inner_text("#sfu-failed")).strip() == STRINGS[lang][key]


async def _member_state(page: Page, member: str, wanted: str) -> bool:
    info = (await page_state(page))["members"].get(member) or {}
    return bool(info.get("state") == wanted)


async def _language(page: Page, lang: str) -> None:
    if await page.evaluate("document.documentElement.lang") != ("fr-CA" if lang == "fr" else "en"):
        await page.click("#lang-switch")


@needs_janus
@run_async
async def test_a_page_publishes_simulcast_and_plays_the_others_through_janus(
    tmp_path: Path,
) -> None:
    async with running_janus() as jan:
        ana = SfuMember(SignalingClient())
        async with (
            server_and_facilitator(
                tmp_path, config=_sfu_config(jan), client=ana.client, member_ids=[ANA, CHLOE]
            ) as (_server, fac, opened),
            chromium() as chloe,
        ):
            try:
                await ana.publish()
                await asyncio.wait_for(ana.answered.wait(), 20)
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await wait_step(chloe, "lobby")
                # before joining, the lobby says how media travel here
                assert await chloe.is_visible("#lobby-media")
                lobby = await visible_text(chloe)
                assert STRINGS["en"]["lobby.media_sfu"] in lobby
                assert STRINGS["en"]["lobby.preview_note"] in lobby  # previews stay on
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")

                # the page plays Ana's stream, relayed by Janus
                async def plays_ana() -> bool:
                    video = await _received(chloe, ANA)
                    return int(video.get("framesShown", 0)) > 20

                await eventually(plays_ana, 40, lambda: f"Ana's frames on the page: {ana.frames}")
                # Ana (aiortc) decodes the page's stream
                await eventually(
                    lambda: len(ana.frames[CHLOE]) > 20, 40, "Ana decodes the page's video"
                )
                # the page publishes simulcast: three rids, at least two layers encoded
                state = await page_state(chloe)
                sfu = state["sfu"]
                assert sfu["rids"] == ["h", "m", "l"]
                assert sfu["published"] is True
                assert sfu["layers"] == {ANA: 2}  # a wide window: the large layer

                async def two_layers() -> bool:
                    sent = (await page_state(chloe))["sfu"]["sent"]
                    return sum(1 for layer in sent.values() if layer["frames"] > 0) >= 2

                await eventually(two_layers, 20, "two simulcast layers encoded")
                sent = (await page_state(chloe))["sfu"]["sent"]
                assert sent["h"]["width"] > sent["m"]["width"] > 0
                before, started = sent, time.monotonic()
                await asyncio.sleep(5)  # a measurement window, not a wait for anything
                after = (await page_state(chloe))["sfu"]["sent"]
                seconds = time.monotonic() - started
                kbps = {
                    rid: round((after[rid]["bytes"] - before[rid]["bytes"]) * 8 / seconds / 1000)
                    for rid in after
                }
                print(f"page sends: {after}; kbit/s by layer {kbps}, total {sum(kbps.values())}")
                print(f"Ana decoded {len(ana.frames[CHLOE])} frames of the page")
                # and Janus receives it as simulcast: the same rids on the page's publisher
                # and Janus takes it as simulcast: Ana's subscription has layers to pick
                (simulcast,) = await _simulcast_in_janus(jan, CHLOE)
                assert "substream" in simulcast, simulcast
                assert not any(await _simulcast_in_janus(jan, ANA))  # aiortc: one layer

                # no security code in SFU mode: the media-server notice instead, in both languages
                assert not await chloe.is_visible("#security")
                for lang in ("en", "fr"):
                    await _language(chloe, lang)
                    text = await visible_text(chloe)
                    assert STRINGS[lang]["media.server_notice"] in text
                    assert STRINGS[lang]["security.label"] not in text
                    assert STRINGS[lang]["security.explain"] not in text

                # the media server goes away: Ana's stream ends, and the page says that
                # sound and video cannot get through, in both languages
                await _language(chloe, "en")
                assert not await chloe.is_visible("#sfu-failed")
                await jan.stop()
                await eventually(
                    lambda: _member_state(chloe, ANA, "connecting"), 20, "Ana's feed ended"
                )
                await eventually(
                    lambda: _failure_shown(chloe, "en", "media.server_unavailable"),
                    30,
                    "the page says the media server cannot be reached",
                )
                await _language(chloe, "fr")
                await eventually(
                    lambda: _failure_shown(chloe, "fr", "media.server_unavailable"),
                    10,
                    "en français",
                )
                # the media server is back: the page publishes again, and the notice goes
                await jan.start()
                await chloe.wait_for_selector("#sfu-failed", state="hidden", timeout=60000)
                assert (await page_state(chloe))["sfu"]["published"] is True
                assert not ana.errors, ana.errors
            finally:
                await ana.close()


@needs_janus
@run_async
async def test_a_narrow_page_takes_the_small_layer_and_the_large_one_once_wide(
    tmp_path: Path,
) -> None:
    async with running_janus() as jan:
        ana = SfuMember(SignalingClient())
        async with (
            server_and_facilitator(
                tmp_path,
                config=_sfu_config(jan),
                client=ana.client,
                member_ids=[ANA, CHLOE, DAN],
            ) as (_server, fac, opened),
            chromium() as chloe,
            chromium(viewport=NARROW) as dan,
        ):
            # Ana's desktop app has neither camera nor microphone: its call publishes
            # nothing and says so, and the pages show her as a mesh would: connected,
            # her initials, not "connecting" forever
            quiet = SfuCall(ANA, ana.client, stats_interval=None)
            try:
                await quiet.publish()
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")
                await go_to_lobby(dan, opened.invite, name="Dan")
                await _admit(fac, DAN)
                await wait_step(dan, "session")
                for page in (chloe, dan):
                    await eventually(
                        lambda page=page: _connected_without_picture(page, ANA),
                        20,
                        "Ana connected, with her initials",
                    )

                async def width_on(page: Page, member: str) -> int:
                    video = await _received(page, member)
                    return int(video.get("width", 0)) if video.get("framesDecoded") else 0

                # Dan's narrow page asks the small layer of Chloé's simulcast
                await eventually(lambda: width_on(dan, CHLOE), 40, "Dan receives Chloé's video")
                assert (await page_state(dan))["sfu"]["layers"][CHLOE] == 0
                # (the layers settle: Chloé's encoder starts its top layer a little later)
                small = await width_on(dan, CHLOE)
                await eventually(lambda: width_on(chloe, DAN), 40, "Chloé receives Dan's video")

                async def chloe_sends_two_layers() -> bool:
                    sent = (await page_state(chloe))["sfu"]["sent"]
                    return sum(1 for layer in sent.values() if layer["frames"] > 0) >= 2

                await eventually(chloe_sends_two_layers, 20, "Chloé's two layers")
                small = await width_on(dan, CHLOE)
                sent = (await page_state(chloe))["sfu"]["sent"]
                large_sent = max(layer["width"] for layer in sent.values())
                assert 0 < small < large_sent, (small, sent)

                shot = await dan.screenshot(full_page=True)
                save_screenshot(shot, tmp_path, "sfu-page-phone.png")
                # turned wide: the large layer is asked for, and comes
                await dan.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
                await eventually(
                    lambda: _layer_asked(dan, CHLOE, 2), 10, "Dan asks the large layer"
                )

                async def large() -> bool:
                    return await width_on(dan, CHLOE) > small

                await eventually(
                    large, 30, lambda: f"Dan's view of Chloé grows past {small} pixels wide"
                )
                wide = await width_on(dan, CHLOE)
                print(f"Dan receives Chloé: narrow {small} px wide, then {wide} px")
                # Dan leaves: Chloé's connection for his stream goes, and his tile
                await dan.click("#btn-leave")
                await eventually(lambda: _feed_gone(chloe, DAN), 20, "Dan's feed gone")
                assert not await chloe.is_visible(f"li.tile[data-member='{DAN}']")
                assert await _connected_without_picture(chloe, ANA)
                assert not ana.errors, ana.errors
            finally:
                await quiet.close()
                await ana.close()


async def _connected_without_picture(page: Page, member: str) -> bool:
    """``member``'s tile shows initials, no picture and no "Connecting…": connected."""
    info = (await page_state(page))["members"].get(member) or {}
    tile = f"li.tile[data-member='{member}']"
    if info.get("state") != "connected" or not await page.is_visible(f"{tile} .initials"):
        return False
    badges = await page.inner_text(f"{tile} .badges")
    return STRINGS["en"]["grid.connecting"] not in badges and not await page.is_visible(
        f"{tile} video"
    )


async def _feed_gone(page: Page, member: str) -> bool:
    state = await page_state(page)
    return member not in state["sfu"]["feeds"] and member not in state["members"]


async def _layer_asked(page: Page, member: str, layer: int) -> bool:
    sfu = (await page_state(page))["sfu"]
    return bool(sfu and sfu["layers"].get(member) == layer)


@run_async
async def test_the_lobby_says_nobody_sees_the_camera_in_a_room_without_previews(
    tmp_path: Path,
) -> None:
    async with (
        server_and_facilitator(tmp_path, member_ids=[ANA, CHLOE], relay_only=True) as (
            _server,
            _fac,
            opened,
        ),
        chromium() as chloe,
    ):
        await go_to_lobby(chloe, opened.invite, name="Chloé")
        await wait_step(chloe, "lobby")
        assert (await page_state(chloe))["previews"] is False
        for lang in ("en", "fr"):
            await _language(chloe, lang)
            text = await visible_text(chloe)
            assert STRINGS[lang]["lobby.no_preview"] in text
            assert STRINGS[lang]["lobby.preview_note"] not in text
            assert STRINGS[lang]["lobby.media_sfu"] not in text  # a mesh room
        assert (await page_state(chloe))["lobbyPreview"]["active"] is False


@needs_janus
@run_async
async def test_a_page_that_reconnects_publishes_and_plays_again(tmp_path: Path) -> None:
    async with running_janus() as jan:
        ana = SfuMember(SignalingClient())
        async with (
            server_and_facilitator(
                tmp_path, config=_sfu_config(jan), client=ana.client, member_ids=[ANA, CHLOE]
            ) as (_server, fac, opened),
            chromium() as chloe,
        ):
            try:
                sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []

                def through(ws: WebSocketRoute) -> None:
                    # everything passes both ways, as without the route
                    sockets.append((ws, ws.connect_to_server()))

                await chloe.route_web_socket("**/ws", through)
                await ana.publish()
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")
                await eventually(lambda: _frames_shown(chloe, ANA, 10), 40, "Ana on the page")
                await eventually(lambda: len(ana.frames[CHLOE]) > 10, 40, "the page at Ana's")

                # the page's connection to the server drops; it takes its seat back
                page_side, server_side = sockets[-1]
                await server_side.close()
                await page_side.close()
                await eventually(lambda: len(sockets) > 1, 20, "the page connects again")
                await eventually(lambda: _resumed(chloe), 20, "the page is seated again (resumed)")
                # its media start afresh: it publishes again, and both streams flow again
                shown = int((await _received(chloe, ANA)).get("framesShown", 0))
                decoded = len(ana.frames[CHLOE])
                await eventually(lambda: _offers(chloe, 2), 20, "the page offers its stream again")
                await eventually(
                    lambda: _frames_shown(chloe, ANA, shown + 20), 40, "Ana on the page again"
                )
                await eventually(
                    lambda: len(ana.frames[CHLOE]) > decoded + 20, 40, "the page at Ana's again"
                )
                assert not await chloe.is_visible("#sfu-failed")
                assert not ana.errors, ana.errors
            finally:
                await ana.close()


async def _frames_shown(page: Page, member: str, more_than: int) -> bool:
    return int((await _received(page, member)).get("framesShown", 0)) > more_than


async def _resumed(page: Page) -> bool:
    state = await page_state(page)
    return bool(state["resumes"] >= 1 and state["signaling"] == "open")


async def _offers(page: Page, at_least: int) -> bool:
    sfu = (await page_state(page))["sfu"]
    return bool(sfu and sfu["offers"] >= at_least and sfu["published"])


@needs_janus
@run_async
async def test_the_sfu_lobby_and_room_pass_axe(tmp_path: Path) -> None:
    need_axe()
    async with running_janus() as jan:
        ana = SfuMember(SignalingClient())
        async with (
            server_and_facilitator(
                tmp_path, config=_sfu_config(jan), client=ana.client, member_ids=[ANA, CHLOE]
            ) as (_server, fac, opened),
            chromium(viewport=NARROW) as chloe,
        ):
            try:
                await ana.publish()
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await wait_step(chloe, "lobby")
                assert await chloe.is_visible("#lobby-media")
                violations = await axe_violations(chloe)
                assert not violations, describe_violations(violations)
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")
                await eventually(lambda: _frames_shown(chloe, ANA, 5), 40, "Ana on the page")
                for lang in ("en", "fr"):
                    await _language(chloe, lang)
                    assert await chloe.is_visible("#sfu-notice")
                    violations = await axe_violations(chloe)
                    assert not violations, describe_violations(violations)
            finally:
                await ana.close()


P1, P2, P3, P4 = "0000000b1b1b", "0000000b2b2b", "0000000b3b3b", "0000000b4b4b"


@needs_janus
@run_async
async def test_six_members_five_aiortc_and_a_page_decode_each_other_through_janus(
    tmp_path: Path,
) -> None:
    """Issue 16's room: the facilitator and four participants in aiortc, one in Chromium,
    each publishing once to Janus and decoding all five others from it."""
    async with running_janus() as jan:
        ana = SfuMember(SignalingClient())
        ids = [ANA, P1, P2, P3, P4, CHLOE]
        async with (
            server_and_facilitator(
                tmp_path, config=_sfu_config(jan), client=ana.client, member_ids=ids
            ) as (server, fac, opened),
            chromium() as chloe,
        ):
            invite = parse_invite_link(opened.invite)
            members = [ana]
            try:  # small pictures: five aiortc members encode and decode in this process
                await ana.publish(TestPatternSource("Ana", 160, 90, fps=10))
                for member_id, name in zip(ids[1:5], ("Bo", "Cy", "Di", "Ed"), strict=True):
                    client = SignalingClient()
                    member = SfuMember(client)
                    members.append(member)
                    await client.connect(server.ws_url)
                    hello = ParticipantHello(
                        room=invite.room, secret=invite.secret, display_name=name
                    )
                    await client.send(hello)
                    await _admit(fac, member_id)
                    admitted = await next_of(client, Admitted)
                    assert admitted.media == "sfu"
                    await member.publish(TestPatternSource(name, 160, 90, fps=10))
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await wait_step(chloe, "lobby")
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")

                def everyone_decodes_everyone() -> bool:
                    return all(
                        len(member.frames[other]) > 10
                        for member, me in zip(members, ids[:5], strict=True)
                        for other in ids
                        if other != me
                    )

                def decoded() -> str:
                    pairs = zip(ids[:5], members, strict=True)
                    return str({me: {f: len(v) for f, v in m.frames.items()} for me, m in pairs})

                await eventually(everyone_decodes_everyone, 60, decoded)

                async def the_page_plays_everyone() -> bool:
                    for other in ids[:5]:
                        if int((await _received(chloe, other)).get("framesShown", 0)) <= 10:
                            return False
                    return True

                await eventually(the_page_plays_everyone, 60, "the page plays all five")
                # every member published exactly one stream: one connection to Janus
                for member in members:
                    assert member.publisher is not None
                    assert len(member.subscribers) == 5
                assert (await page_state(chloe))["sfu"]["published"] is True
                for member in members:
                    assert not member.errors, member.errors
            finally:
                for member in members:
                    await member.close()


class _AiortcMember:
    """A member as the desktop app and the bots make their call: signalling, the link,
    and the room's call (``make_call``: a mesh, or through Janus), with a test pattern."""

    def __init__(self, name: str, client: SignalingClient | None = None) -> None:
        self.client = client or SignalingClient()
        self.name = name
        self.link = MeshLink(self.client, self._make_call)

    def _make_call(self, admitted: Admitted) -> MediaCall:
        video = TestPatternSource(self.name, 160, 90, fps=10)
        return make_call(admitted, self.client, video=video, audio=SpeechLikeAudioSource(seed=3))

    @property
    def call(self) -> MediaCall | None:
        return self.link.mesh

    def received(self, other: str) -> int:
        peer = self.call.peers.get(other) if self.call is not None else None
        return peer.received.video_frames if peer is not None else 0

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


@needs_janus
@run_async
async def test_an_auto_mesh_room_moves_to_janus_for_a_poor_uplink_and_everyone_follows(
    tmp_path: Path,
) -> None:
    """media_mode auto: a room of four (three aiortc, one page) opens as a mesh; the
    facilitator's uplink reports say it is too poor for the mesh; the server moves the
    room to Janus once, and every call follows without anyone rejoining: the page closes
    its mesh, publishes to Janus and plays everyone from it, and says that sound and video
    are no longer end-to-end encrypted; the aiortc members decode everyone through Janus."""
    async with running_janus() as jan:
        config = ServerConfig(
            rules=RoomRules(max_members=6),
            sfu=sfu_config(jan, "auto"),
            uplink=UplinkRule(min_interval_s=0.0),  # the three reports at once, not in 15 s
        )
        ana = _AiortcMember("Ana")
        ids = [ANA, P1, P2, CHLOE]
        async with (
            server_and_facilitator(tmp_path, config=config, client=ana.client, member_ids=ids) as (
                server,
                fac,
                opened,
            ),
            chromium(extra_flags=("--auto-select-desktop-capture-source=Entire screen",)) as chloe,
        ):
            invite = parse_invite_link(opened.invite)
            members = [ana]
            try:
                for member_id, name in zip(ids[1:3], ("Bo", "Cy"), strict=True):
                    member = _AiortcMember(name)
                    members.append(member)
                    await member.client.connect(server.ws_url)
                    hello = ParticipantHello(
                        room=invite.room, secret=invite.secret, display_name=name
                    )
                    await member.client.send(hello)
                    await _admit(fac, member_id)
                await go_to_lobby(chloe, opened.invite, name="Chloé")
                await wait_step(chloe, "lobby")
                await _admit(fac, CHLOE)
                await wait_step(chloe, "session")
                assert all(isinstance(m.call, Mesh) for m in members)
                assert (await page_state(chloe))["media"] == "mesh"

                async def page_meshed() -> bool:
                    for other in ids[:3]:
                        if not await _member_state(chloe, other, "connected"):
                            return False
                    return True

                await eventually(page_meshed, 30, "the page's mesh connected")
                # Ana lets Chloé share, and she shares her screen over the mesh
                await ana.client.send(ClientApp(event=SharePermission(allowed=(CHLOE,))))
                await chloe.wait_for_selector("#btn-share:not([hidden])", timeout=10_000)
                await chloe.click("#btn-share")
                await page_holds(chloe, "window.groupdeskState.share.mine === 'screen'", "sharing")
                for _ in range(3):
                    await ana.client.send(ClientUplink(kbps=150, streams=3))

                def moved() -> bool:
                    return all(isinstance(m.call, SfuCall) for m in members)

                await eventually(moved, 30, "every aiortc call through Janus")
                await page_holds(chloe, "window.groupdeskState.media === 'sfu'", "the page moved")
                assert await chloe.is_visible("#sfu-notice")
                assert not await chloe.is_visible("#security")  # no code: not end to end
                # her share goes on through Janus without her picking a screen again
                await page_holds(
                    chloe, "window.groupdeskState.sfu?.share === 'connected'", "the share moved"
                )
                assert (await page_state(chloe))["share"]["mine"] == "screen"

                def share_through_janus() -> bool:
                    call = members[1].call
                    peer = call.share_peers.get(CHLOE) if isinstance(call, SfuCall) else None
                    return peer is not None and peer.received.share_frames >= 3

                await eventually(share_through_janus, 30, "Chloé's share at Bo's, from Janus")

                def everyone_through_janus() -> bool:
                    return all(
                        m.received(other) > 10
                        for m, me in zip(members, ids[:3], strict=True)
                        for other in ids
                        if other != me
                    )

                await eventually(everyone_through_janus, 60, "the aiortc members decode all")
                shown = {m: int((await _received(chloe, m)).get("framesShown", 0)) for m in ids[:3]}

                async def the_page_plays_everyone() -> bool:
                    for other in ids[:3]:
                        now = int((await _received(chloe, other)).get("framesShown", 0))
                        if now <= shown[other] + 10:
                            return False
                    return True

                await eventually(the_page_plays_everyone, 60, "the page plays all three")
                state = await page_state(chloe)
                assert state["sfu"]["published"] is True
                assert set(state["sfu"]["feeds"]) == set(ids[:3])
            finally:
                for member in members:
                    await member.close()
