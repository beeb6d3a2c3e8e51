"""SFU rooms for real: groupdesk-server mediates between each member and Janus.

The registry's rules run without sockets; the rest runs a real Janus (Debian's ``janus``)
and a real groupdesk-server in the tests' private network namespace, with members as
real aiortc RTCPeerConnections that publish a test pattern once and decode everybody
else's through Janus."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import av
import pytest
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from server_harness import Net, Peer, run_async, serving

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientApp,
    ClientChat,
    ClientSfu,
    EndRoom,
    Error,
    FacilitatorHello,
    Inquire,
    Lobby,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    Remove,
    Resume,
    RoomInfo,
    RoomOpened,
    ServerChat,
    ServerMessage,
    ServerSfu,
    Share,
    SharePermission,
    SideRoom,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.server.janus_client import JanusAdmin, post_json
from groupdesk.server.janus_rooms import JanusRooms
from groupdesk.server.rooms import Action, RoomRegistry, RoomRules, Send, SfuUnshare, ToSfu
from groupdesk.server.sfu_bridge import SfuBridge
from janus_harness import free_port, needs_janus, running_janus, sfu_config

M = TypeVar("M", bound=ServerMessage)
SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


# ------------------------------------------------------------ the registry's rules


def _of(actions: list[Action], conn: int, kind: type[Any]) -> list[Any]:
    return [
        a.message
        for a in actions
        if isinstance(a, Send) and a.conn == conn and isinstance(a.message, kind)
    ]


def _registry_room(media: str, *, relay_only: bool = False) -> tuple[RoomRegistry, Any]:
    """A registry with one room (``media``): facilitator ana, participant bea, and
    ``cai`` waiting in the lobby; returns the registry and a namespace of its parts."""
    reg = RoomRegistry()
    f = reg.connect()
    reg.authenticate_facilitator(f, FacilitatorHello(name="ana", credential="c" * 20))
    opened = reg.handle(f, OpenRoom(relay_only=relay_only), media=media)  # type: ignore[arg-type]
    [ana] = _of(opened, f, Admitted)
    invite = parse_invite_link(_of(opened, f, RoomOpened)[0].invite)
    p = reg.connect()
    hello = ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea")
    [lobby] = _of(reg.handle(p, hello), f, Lobby)
    [bea] = _of(reg.handle(f, Admit(member=lobby.waiting[0].member)), p, Admitted)
    w = reg.connect()
    hello = ParticipantHello(room=invite.room, secret=invite.secret, display_name="Cai")
    reg.handle(w, hello)
    q = reg.connect()
    [info] = _of(reg.handle(q, Inquire(room=invite.room, secret=invite.secret)), q, RoomInfo)

    class Parts:
        pass

    parts = Parts()
    vars(parts).update(f=f, p=p, w=w, ana=ana, bea=bea, info=info, room=invite.room)
    return reg, parts


def test_an_sfu_room_says_so_and_hands_checked_sfu_messages_to_the_bridge() -> None:
    reg, r = _registry_room("sfu")
    assert r.ana.media == "sfu"
    assert r.bea.media == "sfu"
    assert r.info.media == "sfu"
    assert r.info.previews is True
    assert reg.seated_members(media="sfu") == {r.room: frozenset({r.ana.member, r.bea.member})}
    assert reg.seated_members(media="mesh") == {}
    assert reg.member_conn(r.room, r.bea.member) == r.p

    offer = ClientSfu(feed=r.bea.member, kind="offer", sdp=SDP)
    assert reg.handle(r.p, offer) == [ToSfu(r.room, r.bea.member, offer)]
    answer = ClientSfu(feed=r.ana.member, kind="answer", sdp=SDP)
    assert reg.handle(r.p, answer) == [ToSfu(r.room, r.bea.member, answer)]
    for candidate in (
        ClientSfu(feed=r.bea.member, kind="candidate"),
        ClientSfu(
            feed=r.ana.member,
            kind="candidate",
            candidate="candidate:1 1 udp 1 ::1 9 typ host",
            mid="0",
        ),
    ):
        assert reg.handle(r.p, candidate) == [ToSfu(r.room, r.bea.member, candidate)]
    nothing = ClientSfu(feed=r.bea.member, kind="none")  # no camera, no microphone
    assert reg.handle(r.p, nothing) == [ToSfu(r.room, r.bea.member, nothing)]

    refused = [
        (ClientSfu(feed=r.ana.member, kind="offer", sdp=SDP), "bad_message"),  # not yours
        (ClientSfu(feed=r.bea.member, kind="answer", sdp=SDP), "bad_message"),  # your own
        (ClientSfu(feed=r.bea.member, kind="layer", layer=0), "bad_message"),
        (ClientSfu(feed=r.ana.member, kind="none"), "bad_message"),  # not yours to say
        (ClientSfu(feed="0123456789ab", kind="answer", sdp=SDP), "unknown_member"),
    ]
    for message, code in refused:
        with pytest.raises(ProtocolError) as error:
            reg.handle(r.p, message)
        assert error.value.code == code, message
    # someone in the lobby, or not yet identified, reaches no media server
    for conn, code in ((r.w, "not_admitted"), (reg.connect(), "not_authenticated")):
        with pytest.raises(ProtocolError) as error:
            reg.handle(conn, ClientSfu(feed=r.bea.member, kind="offer", sdp=SDP))
        assert error.value.code == code


def test_only_who_may_share_publishes_a_share_and_it_ends_when_they_stop_or_lose_it() -> None:
    reg, r = _registry_room("sfu")
    share = ClientSfu(feed=r.bea.member, kind="offer", sdp=SDP, track="share")
    with pytest.raises(ProtocolError) as error:  # a participant nobody allowed
        reg.handle(r.p, share)
    assert error.value.code == "control_refused"
    with pytest.raises(ProtocolError) as error:  # somebody else's share
        reg.handle(r.p, ClientSfu(feed=r.ana.member, kind="offer", sdp=SDP, track="share"))
    assert error.value.code == "bad_message"
    mine = ClientSfu(feed=r.ana.member, kind="offer", sdp=SDP, track="share")
    assert reg.handle(r.f, mine) == [ToSfu(r.room, r.ana.member, mine)]  # a facilitator may
    allow = ClientApp(event=SharePermission(allowed=(r.bea.member,)))
    assert not [a for a in reg.handle(r.f, allow) if isinstance(a, SfuUnshare)]
    assert reg.handle(r.p, share) == [ToSfu(r.room, r.bea.member, share)]
    # receiving someone's share, and its candidates, ask nothing of the permission
    answer = ClientSfu(feed=r.ana.member, kind="answer", sdp=SDP, track="share")
    assert reg.handle(r.p, answer) == [ToSfu(r.room, r.bea.member, answer)]
    # a share that stops, or a permission taken back, ends the share at Janus
    stop = [a for a in reg.handle(r.f, ClientApp(event=Share())) if isinstance(a, SfuUnshare)]
    assert stop == [SfuUnshare(r.room, r.ana.member)]
    revoke = ClientApp(event=SharePermission(allowed=()))
    assert [a for a in reg.handle(r.f, revoke) if isinstance(a, SfuUnshare)] == [
        SfuUnshare(r.room, r.bea.member)
    ]
    with pytest.raises(ProtocolError) as error:
        reg.handle(r.p, share)
    assert error.value.code == "control_refused"
    # "camera" is the default: older messages stay valid, and say nothing of a track
    older = {"v": 1, "type": "sfu", "feed": r.bea.member, "kind": "ended"}
    assert parse_server_message(json.dumps(older)) == ServerSfu(
        feed=r.bea.member, kind="ended", track="camera"
    )
    with pytest.raises(ProtocolError):
        parse_server_message(json.dumps({**older, "track": "microphone"}))
    # in a mesh room, a share is an app event only: nothing for a media server
    reg, m = _registry_room("mesh")
    assert not [a for a in reg.handle(m.f, ClientApp(event=Share())) if isinstance(a, SfuUnshare)]


def test_a_relay_only_sfu_room_does_not_force_turn_towards_the_media_server() -> None:
    # members see only Janus's address; TURN (which denies private ranges) stays a fallback
    _reg, r = _registry_room("sfu", relay_only=True)
    assert r.ana.ice_transport_policy == "all"
    assert r.bea.ice_transport_policy == "all"
    assert r.info.previews is False  # the lobby's preview would still be direct
    _reg, mesh = _registry_room("mesh", relay_only=True)
    assert mesh.bea.ice_transport_policy == "relay"


def test_a_mesh_room_refuses_sfu_and_a_relay_only_room_offers_no_preview() -> None:
    reg, r = _registry_room("mesh", relay_only=True)
    assert r.ana.media == "mesh"
    assert r.info.media == "mesh"
    assert r.info.previews is False  # a preview would be a direct connection
    with pytest.raises(ProtocolError) as error:
        reg.handle(r.p, ClientSfu(feed=r.bea.member, kind="offer", sdp=SDP))
    assert error.value.code == "not_sfu"
    assert reg.seated_members(media="sfu") == {}
    _reg, plain = _registry_room("mesh")
    assert plain.info.previews is True


# ------------------------------------------------------------ a member with aiortc


def _chroma(name: str) -> tuple[int, int]:
    """The colour TestPatternSource gives ``name`` (how a receiver tells feeds apart)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return 64 + digest[0] // 2, 64 + digest[1] // 2


def _plane_mean(frame: av.VideoFrame, index: int) -> float:
    plane = frame.planes[index]
    data = bytes(plane)
    width = plane.width
    rows = [data[y * plane.line_size : y * plane.line_size + width] for y in range(plane.height)]
    return sum(sum(row) for row in rows) / (width * plane.height)


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What groupdesk-server logged (aiortc's own debug lines are the test's members')."""
    return "\n".join(
        f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name.startswith("groupdesk")
    )


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait (at most ``timeout`` seconds) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        await asyncio.sleep(0.05)


class SfuMember:
    """A member as a client would be: its WebSocket, one publishing PeerConnection to
    Janus, one receiving PeerConnection per other member's feed (offered by the server)."""

    def __init__(self, peer: Peer, admitted: Admitted) -> None:
        self.peer = peer
        self.id = admitted.member
        self.admitted_token = admitted.resume_token
        self.pub: RTCPeerConnection | None = None
        self.subs: dict[str, RTCPeerConnection] = {}
        self.frames: Counter[str] = Counter()  # frames decoded of each feed, right colour
        self.offers: Counter[str] = Counter()  # offers answered, for each feed
        self.tracks: defaultdict[str, set[str]] = defaultdict(set)  # kinds received of each
        self.wrong: Counter[str] = Counter()
        self.sfu: list[ServerSfu] = []
        self.errors: list[Error] = []
        self.inbox: asyncio.Queue[ServerMessage] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._answered = asyncio.Event()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def next(self, kind: type[M], timeout: float = 5) -> M:
        """The next message of ``kind`` besides the sfu ones (earlier others skipped)."""

        async def find() -> M:
            while True:
                message = await self.inbox.get()
                if isinstance(message, kind):
                    return message

        return await asyncio.wait_for(find(), timeout)

    def kinds(self, feed: str) -> list[str]:
        return [m.kind for m in self.sfu if m.feed == feed]

    async def publish(self, *, answered: bool = True) -> None:
        """Publish a test pattern (a new PeerConnection); wait for the answer if
        ``answered``."""
        if self.pub is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.pub.close(), 5)
        pc = self.pub = RTCPeerConnection()
        pc.addTransceiver(TestPatternSource(self.id, 160, 90, fps=10), direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        self._answered.clear()
        await self.peer.send(ClientSfu(feed=self.id, kind="offer", sdp=pc.localDescription.sdp))
        await self.peer.send(ClientSfu(feed=self.id, kind="candidate"))  # end of candidates
        if answered:
            await asyncio.wait_for(self._answered.wait(), 20)

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError, asyncio.CancelledError):
            while True:
                message = await self.peer.recv(timeout=120)
                if isinstance(message, ServerSfu):
                    self.sfu.append(message)
                    await self._on_sfu(message)
                elif isinstance(message, Error):
                    self.errors.append(message)
                else:
                    self.inbox.put_nowait(message)

    async def _on_sfu(self, message: ServerSfu) -> None:
        if message.kind == "answer" and message.feed == self.id and self.pub is not None:
            assert message.sdp is not None
            await self.pub.setRemoteDescription(RTCSessionDescription(message.sdp, "answer"))
            self._answered.set()
        elif message.kind == "offer":
            # a new receiving PeerConnection, or (no "ended" since the last offer) Janus
            # renegotiating the one there is
            assert message.sdp is not None
            pc = self.subs.get(message.feed) or RTCPeerConnection()
            if message.feed not in self.subs:
                self.subs[message.feed] = pc
                pc.on("track", lambda track, feed=message.feed: self._watch(feed, track))
            self.offers[message.feed] += 1
            await pc.setRemoteDescription(RTCSessionDescription(message.sdp, "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            answer = ClientSfu(feed=message.feed, kind="answer", sdp=pc.localDescription.sdp)
            await self.peer.send(answer)
        elif message.kind == "ended":
            pc = self.subs.pop(message.feed, None)
            if pc is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(pc.close(), 5)

    async def add_audio(self) -> None:
        """Renegotiate the publishing PeerConnection with a microphone-like track too:
        the same feed offers again (Janus ``configure``)."""
        assert self.pub is not None
        self.pub.addTransceiver(SpeechLikeAudioSource(), direction="sendonly")
        await self.pub.setLocalDescription(await self.pub.createOffer())
        self._answered.clear()
        sdp = self.pub.localDescription.sdp
        await self.peer.send(ClientSfu(feed=self.id, kind="offer", sdp=sdp))
        await asyncio.wait_for(self._answered.wait(), 20)

    def _watch(self, feed: str, track: MediaStreamTrack) -> None:
        self.tracks[feed].add(track.kind)
        if track.kind == "video":
            self._tasks.append(asyncio.get_running_loop().create_task(self._count(feed, track)))

    async def _count(self, feed: str, track: MediaStreamTrack) -> None:
        u, v = _chroma(feed)
        with contextlib.suppress(MediaStreamError, asyncio.CancelledError):
            while True:
                frame = await track.recv()
                assert isinstance(frame, av.VideoFrame)
                yuv = frame.reformat(format="yuv420p")
                if abs(_plane_mean(yuv, 1) - u) < 8 and abs(_plane_mean(yuv, 2) - v) < 8:
                    self.frames[feed] += 1
                else:
                    self.wrong[feed] += 1

    async def close(self) -> None:
        self.reader.cancel()
        for task in self._tasks:
            task.cancel()
        for pc in [*self.subs.values(), *([self.pub] if self.pub else [])]:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(pc.close(), 5)
        await asyncio.gather(self.reader, *self._tasks, return_exceptions=True)


async def _admit(net: Net, ana: SfuMember, invite: str, name: str) -> SfuMember:
    """Admit a newcomer while ana's reader runs (her lobby updates land in her inbox)."""
    peer = await net.waiting(invite, name)

    async def lobby() -> Lobby:
        while True:
            message = await ana.inbox.get()
            if isinstance(message, Lobby) and message.waiting:
                return message

    waiting = await asyncio.wait_for(lobby(), 5)
    await ana.peer.send(Admit(member=waiting.waiting[-1].member))
    return SfuMember(peer, await peer.expect(Admitted))


async def _session_refused(api_url: str, token: str) -> bool:
    async with aiohttp.ClientSession() as http:
        body = {"janus": "create", "transaction": "t" * 12, "token": token}
        reply = await post_json(http, api_url, body, 5.0)
    return reply.get("janus") == "error" and reply["error"]["code"] == 403


# ------------------------------------------------------------ through a real Janus


@needs_janus
@run_async
async def test_members_publish_once_and_decode_everybody_through_janus(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="groupdesk")
    members: list[SfuMember] = []
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=6), sfu=sfu_config(server))
        async with (
            serving(tmp_path, config) as (running, net, creds),
            server.admin() as admin,
        ):
            bridge = running.server.sfu
            rooms = running.server.janus_rooms
            assert isinstance(bridge, SfuBridge)
            assert rooms is not None
            fpeer = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(fpeer)
            assert ana_seat.media == "sfu"
            ana = SfuMember(fpeer, ana_seat)
            members.append(ana)
            bea = await _admit(net, ana, opened.invite, "Bea")
            cai = await _admit(net, ana, opened.invite, "Cai")
            members += [bea, cai]
            assert bea.id != cai.id
            started = time.monotonic()
            await asyncio.gather(*(m.publish() for m in members))
            print(f"3 publications answered: {(time.monotonic() - started) * 1000:.0f} ms")

            def everybody_sees_everybody(enough: int = 5) -> bool:
                return all(m.frames[o.id] >= enough for m in members for o in members if o is not m)

            await until(everybody_sees_everybody, 45, "each member decodes the two others")
            print(f"3 members decode each other: {(time.monotonic() - started) * 1000:.0f} ms")
            assert all(not m.frames[m.id] for m in members)  # nobody gets its own back
            assert all(not m.errors for m in members), [m.errors for m in members]

            # a late joiner gets an offer for each current publisher, and publishes too
            dan = await _admit(net, ana, opened.invite, "Dan")
            members.append(dan)
            await dan.publish()
            await until(everybody_sees_everybody, 45, "the late joiner and the others")
            assert sorted(m.feed for m in dan.sfu if m.kind == "offer") == sorted(
                m.id for m in (ana, bea, cai)
            )

            # the one removed loses its Janus session and token; the others get "ended"
            room = rooms.room(opened.room)
            assert room is not None
            cai_token = rooms.token(opened.room, cai.id)
            cai_session = bridge.session_id(opened.room, cai.id)
            assert cai_token is not None
            assert cai_session in await admin.sessions()
            await ana.peer.send(Remove(member=cai.id))
            await until(
                lambda: all("ended" in m.kinds(cai.id) for m in (ana, bea, dan)), 10, "ended"
            )
            await bridge.settled()
            await rooms.settled()
            assert cai_session not in await admin.sessions()
            assert await _session_refused(server.settings.api_url, cai_token)
            assert rooms.token(opened.room, cai.id) is None
            assert all(cai.id not in m.subs for m in (ana, bea, dan))
            assert bridge.publishing(opened.room) == {ana.id, bea.id, dan.id}
            # the others still see each other
            before = {m.id: dict(m.frames) for m in (ana, bea, dan)}
            await until(
                lambda: all(
                    m.frames[o.id] > before[m.id][o.id] + 5
                    for m in (ana, bea, dan)
                    for o in (ana, bea, dan)
                    if o is not m
                ),
                20,
                "the others go on",
            )

            # the room ends: every session and the VideoRoom are gone
            sessions = {bridge.session_id(opened.room, m.id) for m in (ana, bea, dan)}
            await ana.peer.send(EndRoom())
            await until(lambda: bridge.publishing(opened.room) == frozenset(), 10, "unpublished")
            await bridge.settled()
            await rooms.settled()
            assert not sessions & await admin.sessions()
            assert rooms.room(opened.room) is None
            exists = await admin.videoroom({"request": "exists", "room": room.janus_id})
            assert exists["exists"] is False
        for m in members:
            await m.close()
    log = server_log(caplog)
    assert "v=0" not in log
    assert "a=fingerprint" not in log
    assert "ice-pwd" not in log
    assert cai_token not in log
    assert "publishes (joinandconfigure" in log  # the log says what happened, not the SDP


@needs_janus
@run_async
async def test_the_server_trusts_no_client_in_an_sfu_room(tmp_path: Path) -> None:
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=4), sfu=sfu_config(server))
        async with serving(tmp_path, config, names=("ana", "gil")) as (_running, net, creds):
            ana = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(ana)
            gil = await net.facilitator("gil", creds["gil"], "Gil")
            _other_room, gil_seat = await net.open_room(gil)
            inv = parse_invite_link(opened.invite)
            asker = await net.peer()
            await asker.send(Inquire(room=inv.room, secret=inv.secret))
            info = await asker.expect(RoomInfo)
            assert info.media == "sfu"
            assert info.previews is True
            bea = await net.waiting(opened.invite, "Bea")
            # in the lobby: no media server
            await bea.send(ClientSfu(feed=ana_seat.member, kind="answer", sdp=SDP, ref="lobby"))
            assert (await bea.expect_error("not_admitted")).ref == "lobby"
            bea_seat = await net.admit(ana, bea)
            assert bea_seat.media == "sfu"
            refused = [
                # a feed of another room
                (ClientSfu(feed=gil_seat.member, kind="answer", sdp=SDP), "unknown_member"),
                # publishing as someone else
                (ClientSfu(feed=ana_seat.member, kind="offer", sdp=SDP), "bad_message"),
                # answering yourself
                (ClientSfu(feed=bea_seat.member, kind="answer", sdp=SDP), "bad_message"),
                # an answer, layer or candidate for a feed nobody offered you
                (ClientSfu(feed=ana_seat.member, kind="answer", sdp=SDP), "out_of_order"),
                (ClientSfu(feed=ana_seat.member, kind="layer", layer=1), "out_of_order"),
                (ClientSfu(feed=ana_seat.member, kind="candidate"), "out_of_order"),
                # a share nobody allowed, or somebody else's share
                (
                    ClientSfu(feed=bea_seat.member, kind="offer", sdp=SDP, track="share"),
                    "control_refused",
                ),
                (
                    ClientSfu(feed=ana_seat.member, kind="offer", sdp=SDP, track="share"),
                    "bad_message",
                ),
            ]
            for message, code in refused:
                await bea.send(message)
                await bea.expect_error(code)
            # a share is a picture: one with sound is refused before Janus hears of it
            with_audio = SDP + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
            await ana.send(
                ClientSfu(feed=ana_seat.member, kind="offer", sdp=with_audio, track="share")
            )
            await ana.expect_error("bad_message")
            # a publication Janus refuses: "failed" for that feed, signalling goes on
            await bea.send(ClientSfu(feed=bea_seat.member, kind="offer", sdp=SDP))
            failed = await bea.expect(ServerSfu, timeout=15)
            assert (failed.feed, failed.kind) == (bea_seat.member, "failed")
            assert failed.reason == "media_server_refused"  # not an SDP Janus can use


async def _sees(member: SfuMember, other: SfuMember, more: int, timeout: float = 20) -> None:
    """Until ``member`` has decoded ``more`` further frames of ``other``'s feed."""
    start = member.frames[other.id]
    await until(
        lambda: member.frames[other.id] >= start + more,
        timeout,
        f"{member.id} decodes {more} more frames of {other.id}",
    )


@needs_janus
@run_async
async def test_a_member_who_stops_publishing_or_comes_back_is_received_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=4), sfu=sfu_config(server))
        async with serving(tmp_path, config) as (running, net, creds):
            bridge = running.server.sfu
            assert bridge is not None
            fpeer = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(fpeer)
            ana = SfuMember(fpeer, ana_seat)
            bea = await _admit(net, ana, opened.invite, "Bea")
            bea_token = bea.admitted_token
            try:
                await asyncio.gather(ana.publish(), bea.publish())
                await _sees(ana, bea, 5)
                await _sees(bea, ana, 5)

                # a subscriber picks a layer (aiortc publishes one: Janus keeps it)
                await ana.peer.send(ClientSfu(feed=bea.id, kind="layer", layer=0))
                await _sees(ana, bea, 5)

                # bea offers again on the same PeerConnection, with a microphone too: Janus
                # reconfigures her publication, and ana receives it anew, audio included
                await bea.add_audio()
                await until(lambda: ana.kinds(bea.id)[-2:] == ["ended", "offer"], 15, "anew")
                await until(lambda: ana.tracks[bea.id] == {"audio", "video"}, 15, "audio too")
                await _sees(ana, bea, 5)
                await _sees(bea, ana, 5)  # her own reception is untouched

                # ana's receiving connection of bea's feed fails (her network changed):
                # Janus hangs it up, and the server offers the feed to her again
                offers = ana.offers[bea.id]
                await ana.subs[bea.id].close()
                await until(lambda: ana.offers[bea.id] > offers, 60, "bea's feed offered anew")
                assert ana.kinds(bea.id)[-2:] == ["ended", "offer"]
                await _sees(ana, bea, 5)

                # bea's publishing PeerConnection closes: Janus hangs up, everyone hears
                assert bea.pub is not None
                await bea.pub.close()
                await until(lambda: "ended" in ana.kinds(bea.id), 15, "ana hears bea ended")
                await until(lambda: "ended" in bea.kinds(bea.id), 15, "bea hears it too")
                assert bridge.publishing(opened.room) == {ana.id}
                # her camera and microphone are gone: she says she publishes nothing, and
                # ana hears so (her tile: connected, no picture)
                await bea.peer.send(ClientSfu(feed=bea.id, kind="none"))
                await until(lambda: ana.kinds(bea.id)[-1:] == ["none"], 15, "ana hears none")
                # ... and when she publishes again, ana gets a new offer for her feed
                await bea.publish()
                await until(lambda: ana.kinds(bea.id)[-1:] == ["offer"], 15, "offered again")
                await _sees(ana, bea, 5)

                # bea's signalling connection drops (her media go on) and she resumes: a
                # fresh Janus session, so she hears that what she sent and received
                # ended, and gets ana's feed again
                ended_before = ana.kinds(bea.id).count("ended")
                dropped = bea
                dropped.reader.cancel()
                await dropped.peer.close()
                peer = await net.peer()
                await peer.send(Resume(token=bea_token))
                admitted = await peer.expect(Admitted)
                assert admitted.resumed
                assert admitted.media == "sfu"
                bea = SfuMember(peer, admitted)
                await until(lambda: "offer" in bea.kinds(ana.id), 15, "ana's feed offered again")
                await dropped.close()
                assert bea.kinds(bea.id) == ["ended"]
                assert bea.kinds(ana.id)[:2] == ["ended", "offer"]
                await until(
                    lambda: ana.kinds(bea.id).count("ended") == ended_before + 1, 15, "bea ended"
                )
                assert ana.kinds(bea.id)[-1] == "ended"
                await _sees(bea, ana, 5)
                await bea.publish()
                await until(lambda: ana.kinds(bea.id)[-1:] == ["offer"], 15, "offered again")
                await _sees(ana, bea, 5)
                assert not ana.errors
                assert not bea.errors
                assert "SFU: Janus failed" not in caplog.text  # the layer's configure too
            finally:
                await ana.close()
                await bea.close()


async def _sees_none(member: SfuMember, other: SfuMember, quiet: float = 1.5) -> None:
    """Until ``member`` decodes no frame of ``other``'s feed for ``quiet`` seconds
    (bounded: 20 s); in flight when Janus paused, a few may still come."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        before = member.frames[other.id]
        await asyncio.sleep(quiet)
        if member.frames[other.id] == before:
            return
    raise AssertionError(f"{member.id} still decodes {other.id}'s frames")


@needs_janus
@run_async
async def test_a_side_room_stops_janus_forwarding_to_and_from_the_others(
    tmp_path: Path,
) -> None:
    # In an SFU room every stream reaches every member's connection: a client that
    # ignored the side room would hear it. Janus itself must stop forwarding.
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=4), sfu=sfu_config(server))
        async with serving(tmp_path, config) as (running, net, creds):
            bridge = running.server.sfu
            assert bridge is not None
            fpeer = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(fpeer)
            ana = SfuMember(fpeer, ana_seat)
            bea = await _admit(net, ana, opened.invite, "Bea")
            cai = await _admit(net, ana, opened.invite, "Cai")
            try:
                await asyncio.gather(ana.publish(), bea.publish(), cai.publish())
                for a, b in ((ana, bea), (ana, cai), (bea, cai)):
                    await _sees(a, b, 5)
                    await _sees(b, a, 5)
                # ana steps aside with bea: cai neither receives them nor reaches them
                await ana.peer.send(ClientApp(event=SideRoom(members=(ana.id, bea.id))))
                await bridge.settled()
                for watcher, watched in ((cai, ana), (cai, bea), (ana, cai), (bea, cai)):
                    await _sees_none(watcher, watched)
                await _sees(ana, bea, 5)  # the two aside go on together
                await _sees(bea, ana, 5)
                # a participant cannot end or make a side room
                await cai.peer.send(ClientApp(event=SideRoom(members=())))
                await until(lambda: bool(cai.errors), 10, "cai refused")
                assert cai.errors[-1].code == "control_refused"
                await _sees_none(cai, ana)
                # back together: Janus forwards again, both ways
                await ana.peer.send(ClientApp(event=SideRoom(members=())))
                await bridge.settled()
                for watcher, watched in ((cai, ana), (cai, bea), (ana, cai), (bea, cai)):
                    await _sees(watcher, watched, 5)
            finally:
                for member in (ana, bea, cai):
                    await member.close()


@needs_janus
@run_async
async def test_a_janus_that_dies_gives_failed_and_signalling_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=4), sfu=sfu_config(server))
        async with serving(tmp_path, config) as (running, net, creds):
            fpeer = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(fpeer)
            ana = SfuMember(fpeer, ana_seat)
            bea = await _admit(net, ana, opened.invite, "Bea")
            rooms = running.server.janus_rooms
            assert rooms is not None
            try:
                await asyncio.gather(ana.publish(), bea.publish())
                await _sees(bea, ana, 3)
                tokens = [rooms.token(opened.room, m.id) for m in (ana, bea)]
                await server.stop()
                await until(lambda: "ended" in bea.kinds(ana.id), 15, "bea hears ana ended")
                await ana.publish(answered=False)  # a new PeerConnection, a new offer
                await until(lambda: "failed" in ana.kinds(ana.id), 15, "ana's publication fails")
                [failed] = [m for m in ana.sfu if m.kind == "failed"]
                assert failed.reason == "media_server_unavailable"
                # the signalling goes on: a chat line still goes through
                await bea.peer.send(ClientChat(text="still here"))
                chat = await ana.next(ServerChat)
                assert chat.text == "still here"
            finally:
                await ana.close()
                await bea.close()
    log = server_log(caplog)
    assert "media_server_unavailable" in log
    assert all(tokens)
    assert not [token for token in tokens if token and token in log]
    assert "v=0" not in log


@needs_janus
@run_async
async def test_after_janus_restarts_members_publish_again_and_see_each_other(
    tmp_path: Path,
) -> None:
    async with running_janus() as server:
        config = ServerConfig(rules=RoomRules(max_members=4), sfu=sfu_config(server))
        async with serving(tmp_path, config) as (running, net, creds):
            rooms = running.server.janus_rooms
            assert rooms is not None
            fpeer = await net.facilitator("ana", creds["ana"], "Ana")
            opened, ana_seat = await net.open_room(fpeer)
            ana = SfuMember(fpeer, ana_seat)
            bea = await _admit(net, ana, opened.invite, "Bea")
            try:
                await asyncio.gather(ana.publish(), bea.publish())
                await _sees(ana, bea, 3)
                await _sees(bea, ana, 3)
                room = rooms.room(opened.room)
                assert room is not None
                await server.stop()
                await server.start()  # its VideoRooms and tokens are gone
                # each hears its own publication and the other's ended ...
                for m, o in ((ana, bea), (bea, ana)):
                    await until(lambda m=m: "ended" in m.kinds(m.id), 15, "own feed ended")
                    await until(lambda m=m, o=o: "ended" in m.kinds(o.id), 15, "other ended")
                # ... publishes again, and the server makes the VideoRoom again for them
                await asyncio.gather(ana.publish(), bea.publish())
                await _sees(ana, bea, 3)
                await _sees(bea, ana, 3)
                again = rooms.room(opened.room)
                assert again is not None
                assert again.janus_id != room.janus_id
            finally:
                await ana.close()
                await bea.close()


@run_async
async def test_rooms_are_a_mesh_when_janus_cannot_make_their_videoroom(tmp_path: Path) -> None:
    admin = f"http://127.0.0.1:{free_port()}/admin"
    api = f"http://127.0.0.1:{free_port()}/janus"
    config = ServerConfig(sfu=SfuConfig(admin, "x" * 24, "sfu", api))
    async with serving(tmp_path, config) as (running, net, creds):
        assert running.server.sfu is not None
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        _opened, seat = await net.open_room(ana)
        assert seat.media == "mesh"
        await ana.send(ClientSfu(feed=seat.member, kind="offer", sdp=SDP))
        await ana.expect_error("not_sfu")
    config = ServerConfig(sfu=SfuConfig(admin, "x" * 24, "mesh", api))
    (tmp_path / "mesh").mkdir()
    async with serving(tmp_path / "mesh", config) as (running, net, creds):
        assert running.server.sfu is None
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        _opened, seat = await net.open_room(ana, OpenRoom(expected_members=12))
        assert seat.media == "mesh"


@needs_janus
@run_async
async def test_auto_sends_rooms_planned_for_more_people_through_janus(tmp_path: Path) -> None:
    async with running_janus() as server:
        sfu = replace(sfu_config(server, "auto"), sfu_from_members=5)
        async with serving(tmp_path, ServerConfig(sfu=sfu)) as (running, net, creds):
            janus_rooms = running.server.janus_rooms
            assert janus_rooms is not None
            for planned, media in ((None, "mesh"), (4, "mesh"), (5, "sfu"), (9, "sfu")):
                ana = await net.facilitator("ana", creds["ana"], "Ana")
                opened, seat = await net.open_room(ana, OpenRoom(expected_members=planned))
                assert seat.media == media, planned
                made = janus_rooms.room(opened.room) is not None
                assert made == (media == "sfu"), planned  # no VideoRoom for a mesh
                await ana.send(EndRoom())
                await ana.close()


@run_async
async def test_a_member_flooding_the_media_server_is_refused_at_the_bridge() -> None:
    """Each member's Janus work waits in a bounded queue: past it, rate_limited (and
    nothing else is lost: the queued work stays queued)."""
    admin = JanusAdmin(f"http://127.0.0.1:{free_port()}/admin", "x" * 24, timeout=1.0)
    rooms = JanusRooms(admin, admin_key="x" * 24, publishers=4)
    delivered: list[tuple[str, str, ServerSfu]] = []
    api = f"http://127.0.0.1:{free_port()}/janus"
    bridge = SfuBridge(
        api,
        rooms,
        lambda room, member, message: delivered.append((room, member, message)),
        queue_size=3,
        token_timeout=1.0,
    )
    member = "0123456789ab"
    bridge.sync({"room-a": frozenset({member})})  # its session waits for a token
    offer = ClientSfu(feed=member, kind="offer", sdp=SDP)
    codes: list[str] = []
    for _ in range(6):
        try:
            bridge.submit("room-a", member, offer)
        except ProtocolError as error:
            codes.append(error.code)
    assert len(codes) >= 3
    assert set(codes) == {"rate_limited"}
    await bridge.settled(timeout=20)
    # no token ever came (Janus is unreachable): each publication queued says so
    reasons = {(m.feed, m.kind, m.reason) for _room, _member, m in delivered}
    assert reasons == {(member, "failed", "media_server_unavailable")}
    await bridge.close()
    await rooms.close()
