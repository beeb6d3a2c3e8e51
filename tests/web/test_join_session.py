"""A real browser joins a room from its invite link and meets an aiortc facilitator."""

from __future__ import annotations

import socket
from collections import defaultdict
from pathlib import Path

import av
import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    next_app,
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
    ClientChat,
    Error,
    MediaState,
    MemberJoined,
    MemberLeft,
    ParticipantHello,
    RaiseHand,
    RequestMute,
    SafetySignal,
    ServerChat,
    TurnState,
    Waiting,
    parse_invite_link,
)
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged
from groupdesk.media.link import MeshLink, ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.rooms import RoomRegistry
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow


class Decoded:
    """A media sink counting the frames the facilitator's side decoded, per member."""

    def __init__(self) -> None:
        self.video: dict[str, int] = defaultdict(int)
        self.audio: dict[str, int] = defaultdict(int)
        self.sizes: dict[str, tuple[int, int]] = {}

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.video[member_id] += 1
        self.sizes[member_id] = (frame.width, frame.height)

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio[member_id] += 1


ANA, CHLOE, BEA = "eeeeeeeeeeee", "888888888888", "111111111111"
"""Ids in the room: the browser (Chloé) offers to Ana and answers Bea's offer."""


def only_loopback_interface() -> bool:
    """Whether this process sees no network interface but ``lo``."""
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def ice_addresses(mesh: Mesh, member_id: str) -> set[str]:
    """Every local and remote ICE candidate address of the connection to ``member_id``."""
    found: set[str] = set()
    for transceiver in mesh.peers[member_id].pc.getTransceivers():
        connection = transceiver.receiver.transport.transport._connection  # aioice
        for candidate in [*connection.local_candidates, *connection.remote_candidates]:
            found.add(candidate.host)
    return found


class AiortcMember:
    """A member on aiortc: signalling client, mesh with a test pattern and speech-like audio."""

    def __init__(self, name: str, seed: int) -> None:
        self.name = name
        self.seed = seed
        self.client = SignalingClient()
        self.decoded = Decoded()
        self.link = MeshLink(self.client, self._make_mesh)
        self._last: dict[str, int] = {}
        self.states: list[PeerStateChanged] = []

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            video=TestPatternSource(self.name, 320, 180, 15),
            audio=SpeechLikeAudioSource(seed=self.seed, talk_ratio=1.0),
            sink=self.decoded,
            stats_interval=None,
        )
        mesh.events.subscribe(self._on_event)
        return mesh

    def _on_event(self, event: MediaEvent) -> None:
        if isinstance(event, PeerStateChanged):
            self.states.append(event)

    def dropped(self, member_id: str) -> bool:
        """Whether the mesh ever said the link to ``member_id`` dropped (reconnecting)."""
        return any(
            e.member_id == member_id and e.state is PeerState.RECONNECTING for e in self.states
        )

    def video_stopped(self, member_id: str) -> bool:
        """No new video frame from ``member_id`` since the previous call."""
        now = self.decoded.video[member_id]
        before, self._last[member_id] = self._last.get(member_id), now
        return before == now

    def progress(self, member_id: str) -> str:
        """What was decoded from ``member_id`` and the state of the connection, for a failure."""
        peer = self.link.mesh.peers.get(member_id) if self.link.mesh else None
        state = peer.pc.connectionState if peer else "no peer"
        return (
            f"{self.decoded.video[member_id]} video and {self.decoded.audio[member_id]} audio "
            f"frames, connection {state}"
        )

    def hears_and_sees(self, member_id: str) -> bool:
        return self.decoded.video[member_id] >= 15 and self.decoded.audio[member_id] >= 50

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


@run_async
async def test_a_browser_joins_and_media_flows_both_ways(tmp_path: Path) -> None:
    ana, bea = AiortcMember("Ana", 1), AiortcMember("Bea", 2)
    ids = [ANA, CHLOE, BEA]
    async with server_and_facilitator(tmp_path, client=ana.client, member_ids=ids) as (
        _server,
        fac,
        opened,
    ):
        try:
            async with chromium() as page:
                await go_to_lobby(page, opened.invite, name="Chloé")
                await wait_step(page, "lobby")
                await page.wait_for_selector("text=The facilitator will let you in.")

                # The facilitator sees the name and the answers, then lets her in.
                lobby = await next_lobby_with_someone(fac)
                entry = lobby.waiting[0]
                assert (entry.member, entry.display_name) == (CHLOE, "Chloé")
                assert entry.declared == {
                    "private_place": True,
                    "alone": True,
                    "headphones": True,
                    "no_recording": True,
                    "group_rules": True,
                    "location": "Rimouski",
                    "phone": "418 555-0199",
                }
                await fac.send(Admit(member=CHLOE))
                await next_of(fac, MemberJoined)
                await wait_step(page, "session")

                # Bea joins from aiortc too: a mesh of three.
                invite = parse_invite_link(opened.invite)
                await bea.client.connect(invite.websocket_url)
                await bea.client.send(
                    ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea")
                )
                await next_of(bea.client, Waiting)
                await next_lobby_with_someone(fac)
                await fac.send(Admit(member=BEA))

                # Both aiortc members decode the browser's video and audio ...
                await eventually(
                    lambda: ana.hears_and_sees(CHLOE) and bea.hears_and_sees(CHLOE),
                    timeout=45,
                    what=lambda: (
                        "the browser's video and audio decoded by aiortc; decoded so far: "
                        f"{ana.progress(CHLOE)} (Ana), {bea.progress(CHLOE)} (Bea)"
                    ),
                )
                assert ana.decoded.sizes[CHLOE][0] >= 160
                # ... over loopback only (./run-tests gives the suite a network namespace
                # whose only interface is lo; on a shared network Chromium also checks
                # from its interface address, which aiortc then learns as peer-reflexive).
                if only_loopback_interface():
                    for member in (ana, bea):
                        assert ice_addresses(await member.link.ready(), CHLOE) == {"127.0.0.1"}

                # ... and the browser plays theirs (the page's own state, over CDP).
                async def browser_plays() -> bool:
                    members = (await page_state(page))["members"]
                    return all(
                        member_id in members
                        and members[member_id]["video"]["framesDecoded"] >= 15
                        and members[member_id]["video"]["framesShown"] >= 10
                        and members[member_id]["audio"]["bytesReceived"] > 2000
                        for member_id in (ANA, BEA)
                    )

                await eventually(browser_plays, timeout=45, what="the browser playing Ana and Bea")
                state = await page_state(page)
                assert state["member"] == CHLOE
                for member_id, name, role in (
                    (ANA, "Ana", "facilitator"),
                    (BEA, "Bea", "participant"),
                ):
                    member = state["members"][member_id]
                    assert (member["name"], member["role"], member["state"]) == (
                        name,
                        role,
                        "connected",
                    )
                    assert member["video"]["codec"] == "video/VP8"
                    assert member["audio"]["codec"] == "audio/opus"

                # Chat both ways, hand and queue place, the safety signal.
                await fac.send(ClientChat(text="Bienvenue Chloé"))
                await page.wait_for_selector("#chat-log li:has-text('Bienvenue Chloé')")
                await page.fill("#chat-input", "Merci!")
                await page.select_option("#chat-to", "facilitator")
                await page.click("#chat-form button[type=submit]")
                chat: ServerChat = await next_of(fac, ServerChat)
                assert (chat.sender, chat.text, chat.private) == (CHLOE, "Merci!", True)

                await page.click("#btn-hand")
                hand = await next_app(fac, RaiseHand)
                assert hand.sender == CHLOE
                await fac.send(ClientApp(event=TurnState(queue=(BEA, CHLOE))))
                await page.wait_for_selector("text=you are number 2 in line")

                await page.click("#btn-safety")
                safety = await next_app(fac, SafetySignal)
                assert (safety.sender, safety.event) == (CHLOE, SafetySignal())
                await page.wait_for_selector("text=Text-only mode requested.")

                shot = save_screenshot(await page.screenshot(), tmp_path, "join-session.png")
                assert shot.stat().st_size > 10_000

                # Bea, a participant, cannot mute Chloé: the server refuses, and the page
                # checks who asked even when a server (an older one) relays it.
                await bea.client.send(RequestMute(member=CHLOE))
                assert (await next_of(bea.client, Error)).code == "control_refused"
                with pytest.MonkeyPatch.context() as older_server:
                    older_server.setattr(RoomRegistry, "_check_control", lambda self, seat: None)
                    await bea.client.send(RequestMute(member=CHLOE))
                    await bea.client.send(ClientChat(text="after the request"))
                    await page.wait_for_selector("#chat-log li:has-text('after the request')")
                assert not (await page_state(page))["self"]["muted"]
                # The facilitator can: the page mutes and says why; everyone is told (the
                # tile shows it), and silence is sent.
                await fac.send(RequestMute(member=CHLOE))
                muted = await next_app(fac, MediaState)
                assert (muted.sender, muted.event) == (
                    CHLOE,
                    MediaState(muted=True, camera_off=False),
                )
                assert await page.inner_text("#btn-mic") == "Turn on my microphone"
                await page.wait_for_selector("#mute-request:visible")
                # Her own button unmutes and mutes again.
                await page.click("#btn-mic")
                unmuted = await next_app(fac, MediaState)
                assert unmuted.event == MediaState(muted=False, camera_off=False)
                await page.click("#btn-mic")
                muted = await next_app(fac, MediaState)
                assert muted.event == MediaState(muted=True, camera_off=False)
                # Muted, the page's track is disabled and Chromium sends frames of silence:
                # two seconds more of them reach Ana, whose receive watchdog says nothing.
                heard = ana.decoded.audio[CHLOE]
                await eventually(
                    lambda: ana.decoded.audio[CHLOE] >= heard + 100,
                    timeout=15,
                    what="silence frames from the muted page",
                )
                assert not ana.dropped(CHLOE)

                # Audio only: no video goes out, and the others are asked to send none.
                ana_mesh = await ana.link.ready()
                await page.click("#btn-audio-only")
                audio_only = await next_app(fac, MediaState)
                assert audio_only.event == MediaState(muted=True, camera_off=True)
                await eventually(
                    lambda: not ana_mesh.peers[CHLOE].video_track.wanted,
                    what="Ana asked to stop sending video",
                )
                await eventually(
                    lambda: ana.video_stopped(CHLOE), timeout=10, what="no more video from Chloé"
                )
                await page_holds(
                    page, f"!window.groupdeskState.members['{ANA}'].hasVideo", "Ana's tile off"
                )
                await page.click("#btn-audio-only")
                await eventually(
                    lambda: (
                        ana_mesh.peers[CHLOE].video_track.wanted and not ana.video_stopped(CHLOE)
                    ),
                    timeout=15,
                    what="video from Chloé again",
                )

                # A lost path is replaced by a new generation of the connection: Ana
                # answers Chloé, so she asks Chloé to offer anew; Bea offers herself.
                bea_mesh = await bea.link.ready()
                await ana_mesh.restart(CHLOE)
                await bea_mesh.restart(CHLOE)

                # Between the old connection's close and the new one, a mesh has no peer
                # for Chloé at all: look it up, do not index it.
                def new_generation(mesh: Mesh) -> bool:
                    peer = mesh.peers.get(CHLOE)
                    return peer is not None and peer.gen == 1

                await eventually(
                    lambda: new_generation(ana_mesh) and new_generation(bea_mesh),
                    what="new connections to Chloé",
                )
                before = {m.name: m.decoded.video[CHLOE] for m in (ana, bea)}
                await eventually(
                    lambda: all(m.decoded.video[CHLOE] > before[m.name] + 15 for m in (ana, bea)),
                    timeout=30,
                    what="Chloé's video over the new connections",
                )
                shown = {
                    m: (await page_state(page))["members"][m]["video"]["framesDecoded"]
                    for m in (ANA, BEA)
                }

                async def browser_plays_again() -> bool:
                    members = (await page_state(page))["members"]
                    return all(
                        members[m]["state"] == "connected"
                        and members[m]["video"]["framesDecoded"] > 15
                        and members[m]["video"]["framesDecoded"] != shown[m]
                        for m in (ANA, BEA)
                    )

                await eventually(browser_plays_again, timeout=30, what="Ana and Bea again")
        finally:
            await ana.close()
            await bea.close()


@run_async
async def test_a_dropped_connection_resumes_the_same_seat(tmp_path: Path) -> None:
    async with server_and_facilitator(tmp_path) as (server, fac, opened), chromium() as page:
        await go_to_lobby(page, opened.invite)
        lobby = await next_lobby_with_someone(fac)
        await fac.send(Admit(member=lobby.waiting[0].member))
        await wait_step(page, "session")
        before = (await page_state(page))["member"]

        # The network goes away and the server sees the connection drop.
        await page.context.set_offline(True)
        for outbox in list(server.server._outboxes.values()):
            if outbox.conn != min(server.server._outboxes):
                await outbox.ws.close()
        await page.wait_for_selector("#reconnecting:not([hidden])")
        assert "Reconnecting…" in await visible_text(page)
        assert "Your place is kept." in await visible_text(page)

        # It comes back within the grace period: same seat, same member id.
        await page.context.set_offline(False)
        await eventually(
            lambda: page.evaluate("window.groupdeskState.signaling === 'open'"),
            what="the page back in the room",
        )
        state = await page_state(page)
        assert state["member"] == before
        assert state["resumes"] == 1
        assert state["step"] == "session"
        assert await page.is_hidden("#reconnecting")

        # A reload takes the seat back too, with the token from sessionStorage; the
        # invite's secret is in no storage of the browser.
        secret = parse_invite_link(opened.invite).secret
        stored = await page.evaluate("JSON.stringify([sessionStorage, localStorage])")
        assert "resume" in stored
        assert secret not in stored
        await page.reload()
        await wait_step(page, "session")
        state = await page_state(page)
        assert (state["member"], state["resumes"]) == (before, 1)
        assert state["self"]["name"] == "Chloé"
        cookies = await page.context.cookies()
        assert cookies == []

        # Leaving frees the seat at once and says so.
        await page.click("#btn-leave")
        await wait_step(page, "end")
        assert "You left the session" in await visible_text(page)
        left = await next_of(fac, MemberLeft)
        assert (left.member, left.reason) == (before, "left")
        keys = await page.evaluate("Object.keys(sessionStorage)")
        assert not [key for key in keys if key.startswith("groupdesk.resume")]


@run_async
async def test_without_camera_or_microphone_permission_one_still_sees_the_group(
    tmp_path: Path,
) -> None:
    # Without permission the browser hides its addresses behind mDNS names; the
    # aiortc members learn the real ones from the browser's connectivity checks.
    ana, bea = AiortcMember("Ana", 1), AiortcMember("Bea", 2)
    ids = [ANA, CHLOE, BEA]
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=ids) as (_s, fac, opened),
        chromium(fake_ui=False) as page,
    ):
        try:
            await page.goto(opened.invite)
            await page.wait_for_selector("#check-problem:not([hidden])")
            await page.click("#check-continue")  # "Continue anyway"
            await page.fill("#name-input", "Chloé")
            await page.keyboard.press("Enter")
            await page.click("#answers-form button[type=submit]")
            await page.click("#answers-anyway")  # nothing answered: the page's own checklist
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await wait_step(page, "session")
            invite = parse_invite_link(opened.invite)
            await bea.client.connect(invite.websocket_url)
            await bea.client.send(
                ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea")
            )
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=BEA))

            async def browser_plays() -> bool:
                members = (await page_state(page))["members"]
                return all(
                    member_id in members and members[member_id]["video"]["framesDecoded"] >= 15
                    for member_id in (ANA, BEA)
                )

            await eventually(browser_plays, timeout=45, what="the browser playing Ana and Bea")
            assert await page.is_disabled("#btn-mic")
            assert await page.is_disabled("#btn-camera")
            # A page without a microphone sends no audio at all: Ana's receive watchdog,
            # connected to it for two seconds more, never calls that a drop.
            ana_mesh = await ana.link.ready()
            shown = (await page_state(page))["members"][ANA]["video"]["framesDecoded"]

            async def two_seconds_more() -> bool:
                members = (await page_state(page))["members"]
                return bool(members[ANA]["video"]["framesDecoded"] >= shown + 30)

            await eventually(two_seconds_more, timeout=30, what="the browser playing Ana on")
            assert ana_mesh.peers[CHLOE].pc.connectionState == "connected"
            assert ana_mesh.peers[CHLOE].received.audio_frames == 0
            assert not ana.dropped(CHLOE)
        finally:
            await ana.close()
            await bea.close()


@run_async
async def test_two_browsers_and_aiortc_in_one_mesh(tmp_path: Path) -> None:
    ana = AiortcMember("Ana", 1)
    dan = "222222222222"
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=[ANA, CHLOE, dan]) as (
            _server,
            fac,
            opened,
        ),
        chromium() as chloe_page,
    ):
        try:
            context = await chloe_page.context.browser.new_context(locale="fr-CA")
            dan_page = await context.new_page()
            for page, name, member_id in ((chloe_page, "Chloé", CHLOE), (dan_page, "Dan", dan)):
                await go_to_lobby(page, opened.invite, name=name)
                await next_lobby_with_someone(fac)
                await fac.send(Admit(member=member_id))
                await wait_step(page, "session")

            async def plays(page: Page, others: tuple[str, ...]) -> bool:
                members = (await page_state(page))["members"]
                return all(
                    m in members
                    and members[m]["video"]["framesDecoded"] >= 15
                    and members[m]["audio"]["bytesReceived"] > 2000
                    for m in others
                )

            await eventually(
                lambda: ana.hears_and_sees(CHLOE) and ana.hears_and_sees(dan),
                timeout=45,
                what="Ana decoding both browsers",
            )
            await eventually(
                lambda: plays(chloe_page, (ANA, dan)), timeout=45, what="Chloé playing Ana and Dan"
            )
            await eventually(
                lambda: plays(dan_page, (ANA, CHLOE)), timeout=45, what="Dan playing Ana and Chloé"
            )
            # Dan's page is in French, from his browser's language.
            assert "Chloé" in await dan_page.inner_text("#grid")
            assert "Couper mon micro" in await dan_page.inner_text("#btn-mic")
            await context.close()
        finally:
            await ana.close()
