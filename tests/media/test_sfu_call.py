"""The SFU call's client side, against real aiortc peers standing in for the media server.

Each test plays the media server's part by hand with aiortc peer connections on
loopback: it answers the call's publish offer, or offers it a member's stream, and
watches what the call sends on the wire (``ClientSfu``). The real Janus, through the real
server, is tested in tests/e2e/test_sfu_room.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from typing import Any

import av
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack
from media_helpers import Recorder, eventually, run

from groupdesk.core.protocol import (
    SFU_NO_VIDEO,
    Admitted,
    ClientMessage,
    ClientSfu,
    MemberInfo,
    ServerSfu,
    ServerSignal,
)
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged, QualityChanged
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.mesh import Mesh
from groupdesk.media.peer import new_peer_connection
from groupdesk.media.sfu import LARGEST_LAYER, SfuCall, ice_ufrag
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource

ME = "a00000000001"
BEA = "b00000000002"
CAI = "c00000000003"


class Wire:
    """What the call sends the server, as the server would parse it."""

    def __init__(self) -> None:
        self.sent: list[ClientSfu] = []
        self.signals: list[tuple[str, dict[str, Any]]] = []

    async def send(self, message: ClientMessage) -> None:
        assert isinstance(message, ClientSfu)
        self.sent.append(message)

    async def send_signal(self, to: str, payload: dict[str, Any]) -> None:
        self.signals.append((to, payload))

    def of(self, kind: str, feed: str) -> list[ClientSfu]:
        return [m for m in self.sent if m.kind == kind and m.feed == feed]

    async def next(self, kind: str, feed: str, count: int = 1) -> ClientSfu:
        """The ``count``-th message of ``kind`` about ``feed`` (waits for it)."""
        await eventually(lambda: len(self.of(kind, feed)) >= count, 20, what=f"{kind} {feed}")
        return self.of(kind, feed)[count - 1]


class SmallVideo(VideoStreamTrack):
    """A small moving picture (what a member would publish), cheap to encode."""

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = av.VideoFrame(width=160, height=96, format="yuv420p")
        for plane in frame.planes:
            plane.update(bytes([pts % 251]) * plane.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        return frame


class MediaServer:
    """The media server's side of each connection, by hand: what it got from us, and
    what it sends of other members."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.pcs: list[RTCPeerConnection] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def _pc(self) -> RTCPeerConnection:
        pc = new_peer_connection([])
        self.pcs.append(pc)
        return pc

    async def accept(self, call: SfuCall, offer: ClientSfu) -> RTCPeerConnection:
        """Take the call's publish offer and answer it, counting the frames that come."""
        pc = self._pc()

        def on_track(track: Any) -> None:
            self._tasks.add(asyncio.get_running_loop().create_task(self._read(track)))

        pc.on("track", on_track)
        assert offer.sdp is not None
        await pc.setRemoteDescription(RTCSessionDescription(offer.sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        await call.handle_sfu(ServerSfu(feed=ME, kind="answer", sdp=pc.localDescription.sdp))
        return pc

    async def _read(self, track: Any) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            self.received[track.kind] += 1

    async def offer(self, call: SfuCall, wire: Wire, feed: str) -> RTCPeerConnection:
        """Offer ``feed``'s stream (a picture and sound) and take the call's answer."""
        pc = self._pc()
        for track in (AudioStreamTrack(), SmallVideo()):
            pc.addTrack(track)
        for transceiver in pc.getTransceivers():
            transceiver.direction = "sendonly"
        await pc.setLocalDescription(await pc.createOffer())
        answers = len(wire.of("answer", feed))
        await call.handle_sfu(ServerSfu(feed=feed, kind="offer", sdp=pc.localDescription.sdp))
        answer = await wire.next("answer", feed, answers + 1)
        assert answer.sdp is not None
        await pc.setRemoteDescription(RTCSessionDescription(answer.sdp, "answer"))
        return pc

    async def close(self) -> None:
        for pc in self.pcs:
            await pc.close()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _call(wire: Wire, recorder: Recorder | None = None, **options: Any) -> SfuCall:
    return SfuCall(
        ME,
        wire,
        video=TestPatternSource("Me", 160, 96, 10),
        audio=SpeechLikeAudioSource(seed=1, talk_ratio=1.0),
        sink=recorder,
        stats_interval=None,
        **options,
    )


def _states(events: list[MediaEvent], member: str) -> list[PeerState]:
    return [e.state for e in events if isinstance(e, PeerStateChanged) and e.member_id == member]


def test_publishes_one_sendonly_stream_that_reaches_the_media_server() -> None:
    async def scenario() -> None:
        wire, server = Wire(), MediaServer()
        call = _call(wire)
        try:
            await call.publish()
            offer = await wire.next("offer", ME)
            assert offer.sdp is not None
            assert offer.sdp.count("a=sendonly") == 2  # audio and video, nothing received
            assert "a=recvonly" not in offer.sdp
            assert "a=fingerprint:sha-512" not in offer.sdp
            end = await wire.next("candidate", ME)  # every candidate is in the offer
            assert (end.candidate, end.mid, end.mline) == (None, None, None)
            await call.publish()  # already on its way: not offered twice
            assert len(wire.of("offer", ME)) == 1
            await server.accept(call, offer)
            await eventually(
                lambda: server.received["video"] >= 5 and server.received["audio"] >= 25,
                30,
                what="our camera and microphone at the media server",
            )
            publisher = call.publisher
            assert publisher is not None
            assert publisher.pc.connectionState == "connected"
            assert call.peers == {}  # nobody else in the room: nothing received
            assert call.security_code() is None  # the media server sees the media
            assert call.media == "sfu"
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_each_offered_feed_is_received_and_goes_when_it_ends_or_leaves() -> None:
    async def scenario() -> None:
        wire, server, recorder = Wire(), MediaServer(), Recorder()
        call = _call(wire, recorder)
        events: list[MediaEvent] = []
        call.events.subscribe(events.append)
        try:
            await call.member_joined(BEA)
            await call.member_joined(CAI)
            assert _states(events, BEA) == [PeerState.CONNECTING]
            await server.offer(call, wire, BEA)
            answer = wire.of("answer", BEA)[0]
            assert answer.sdp is not None
            assert answer.sdp.count("a=recvonly") == 2  # we send nothing back
            await server.offer(call, wire, CAI)
            await eventually(
                lambda: all(recorder.video[m] >= 3 and recorder.audio[m] >= 10 for m in (BEA, CAI)),
                30,
                what="both members' pictures and sound",
            )
            assert PeerState.CONNECTED in _states(events, BEA)
            assert set(call.peers) == {BEA, CAI}

            await call.handle_sfu(ServerSfu(feed=BEA, kind="ended"))
            assert BEA not in call.peers
            assert _states(events, BEA)[-1] is PeerState.RECONNECTING  # may publish again
            await server.offer(call, wire, BEA)  # it does
            assert call.peers[BEA].gen == 0
            await call.member_left(BEA)
            assert BEA not in call.peers
            assert _states(events, BEA)[-1] is PeerState.CLOSED
            await call.member_left(CAI)
            assert call.peers == {}
            assert _states(events, CAI)[-1] is PeerState.CLOSED
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_a_new_offer_for_a_feed_replaces_its_connection_unless_ice_is_the_same() -> None:
    async def scenario() -> None:
        wire, server, recorder = Wire(), MediaServer(), Recorder()
        call = _call(wire, recorder)
        events: list[MediaEvent] = []
        call.events.subscribe(events.append)
        try:
            await call.member_joined(BEA)
            first = await server.offer(call, wire, BEA)
            await eventually(lambda: recorder.video[BEA] >= 2, 30, what="Bea's picture")
            peer = call.peers[BEA]
            # the media server renegotiates (same ICE): the connection stays
            await first.setLocalDescription(await first.createOffer())
            sdp = first.localDescription.sdp
            assert ice_ufrag(sdp) == ice_ufrag(peer.pc.remoteDescription.sdp)
            await call.handle_sfu(ServerSfu(feed=BEA, kind="offer", sdp=sdp))
            answer = await wire.next("answer", BEA, 2)
            assert call.peers[BEA] is peer
            assert answer.sdp is not None
            await first.setRemoteDescription(RTCSessionDescription(answer.sdp, "answer"))
            # a new subscription (new ICE): a new connection, the tile says reconnecting
            await server.offer(call, wire, BEA)
            replaced = call.peers[BEA]
            assert replaced is not peer
            assert replaced.gen == 1
            assert _states(events, BEA)[-1] in (PeerState.RECONNECTING, PeerState.CONNECTED)
            assert PeerState.RECONNECTING in _states(events, BEA)
            seen = recorder.video[BEA]
            await eventually(lambda: recorder.video[BEA] > seen + 2, 30, what="Bea again")
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_our_stream_is_offered_again_when_the_media_server_hangs_up_refuses_or_ends_it() -> None:
    async def scenario() -> None:
        wire, server = Wire(), MediaServer()
        call = _call(wire, restart_backoff=(0.05, 0.2))
        try:
            await call.publish()
            pc = await server.accept(call, await wire.next("offer", ME))
            await eventually(lambda: server.received["video"] >= 2, 30, what="our picture")
            await pc.close()  # the media server hangs up (DTLS close_notify)...
            await call.handle_sfu(ServerSfu(feed=ME, kind="ended"))  # ...and the server says so
            second = await wire.next("offer", ME, 2)
            hung_up = Counter(call.republished)  # whichever said it first: once
            assert sum(hung_up.values()) == 1
            assert set(hung_up) <= {"failed", "ended"}
            assert call.publisher is not None
            assert call.publisher.gen == 1
            before = server.received["video"]
            await server.accept(call, second)
            await eventually(
                lambda: server.received["video"] > before + 2, 30, what="our picture again"
            )
            await call.handle_sfu(ServerSfu(feed=ME, kind="failed", reason="media_server_refused"))
            third = await wire.next("offer", ME, 3)
            assert call.republished == hung_up + Counter(refused=1)
            # an "ended" while our new offer waits for its answer is about the old one
            await call.handle_sfu(ServerSfu(feed=ME, kind="ended"))
            assert call.republished == hung_up + Counter(refused=1)
            await server.accept(call, third)
            publisher = call.publisher
            assert publisher is not None
            await eventually(
                lambda: publisher.pc.connectionState == "connected", 30, what="third stream up"
            )
            # our seat was resumed: the server closed our old media session
            await call.handle_sfu(ServerSfu(feed=ME, kind="ended"))
            assert call.republished == hung_up + Counter(refused=1, ended=1)
            await wire.next("offer", ME, 4)
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_without_a_word_from_the_server_our_stream_is_offered_again_all_the_same() -> None:
    async def scenario() -> None:
        wire, server = Wire(), MediaServer()
        call = _call(wire, restart_backoff=(0.05, 0.2), connect_timeout=1.0)
        try:
            await call.publish()
            pc = await server.accept(call, await wire.next("offer", ME))
            await eventually(lambda: server.received["video"] >= 2, 30, what="our picture")
            await pc.close()  # no "ended" follows: after the wait, a new offer anyway
            await wire.next("offer", ME, 2)
            assert call.republished == {"failed": 1}
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_audio_only_asks_for_no_video_and_shows_none() -> None:
    async def scenario() -> None:
        wire, server, recorder = Wire(), MediaServer(), Recorder()
        call = _call(wire, recorder)
        events: list[MediaEvent] = []
        call.events.subscribe(events.append)
        try:
            await call.member_joined(BEA)
            await server.offer(call, wire, BEA)
            await eventually(lambda: recorder.video[BEA] >= 2, 30, what="Bea's picture")
            assert wire.of("layer", BEA) == []  # the desktop keeps the largest layer
            await call.set_receive_video(False)
            assert wire.of("layer", BEA)[-1].layer == SFU_NO_VIDEO  # Janus forwards none
            assert isinstance(events[-1], QualityChanged)
            assert not events[-1].receive_video
            shown, heard = recorder.video[BEA], recorder.audio[BEA]
            await eventually(lambda: recorder.audio[BEA] > heard + 25, 30, what="Bea's sound")
            assert recorder.video[BEA] == shown  # no picture while audio only
            await call.set_receive_video(True)
            assert wire.of("layer", BEA)[-1].layer == LARGEST_LAYER
            await eventually(lambda: recorder.video[BEA] > shown, 30, what="Bea's picture again")
            # audio only before a member's stream is offered: none of its video at once
            await call.set_receive_video(False)
            await call.member_joined(CAI)
            await server.offer(call, wire, CAI)
            assert [m.layer for m in wire.of("layer", CAI)] == [SFU_NO_VIDEO]
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_without_camera_and_microphone_we_say_none_and_a_feed_saying_none_is_connected() -> None:
    async def scenario() -> None:
        wire, server = Wire(), MediaServer()
        call = SfuCall(ME, wire, stats_interval=None)  # no camera, no microphone
        events: list[MediaEvent] = []
        call.events.subscribe(events.append)
        try:
            await call.publish()
            assert [(m.feed, m.kind) for m in wire.sent] == [(ME, "none")]
            assert call.publisher is None  # no connection to the media server
            # Bea publishes nothing either: there, connected, with no connection to show
            await call.member_joined(BEA)
            await call.handle_sfu(ServerSfu(feed=BEA, kind="none"))
            assert _states(events, BEA) == [PeerState.CONNECTING, PeerState.CONNECTED]
            assert BEA not in call.peers
            # said by the server before signalling said Cai was there: connected at once
            await call.handle_sfu(ServerSfu(feed=CAI, kind="none"))
            await call.member_joined(CAI)
            assert _states(events, CAI) == [PeerState.CONNECTED]
            # Bea plugs a camera in: her stream is offered, and received
            await server.offer(call, wire, BEA)
            await eventually(
                lambda: call.peers[BEA].pc.connectionState == "connected", 30, what="Bea's stream"
            )
            await call.handle_sfu(ServerSfu(feed=BEA, kind="none"))  # and unplugs it
            assert BEA not in call.peers
            assert _states(events, BEA)[-1] is PeerState.CONNECTED
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_a_side_room_drops_what_comes_from_the_other_side() -> None:
    async def scenario() -> None:
        wire, server, recorder = Wire(), MediaServer(), Recorder()
        call = _call(wire, recorder)
        try:
            call.set_blocked({BEA})  # heard of before Bea's stream came
            await call.member_joined(BEA)
            await server.offer(call, wire, BEA)
            peer = call.peers[BEA]
            await eventually(
                lambda: peer.received.blocked_audio_frames > 25, 30, what="Bea's dropped sound"
            )
            assert recorder.audio[BEA] == 0
            assert recorder.video[BEA] == 0
            call.set_blocked(())
            await eventually(lambda: recorder.audio[BEA] > 0, 30, what="Bea heard again")
        finally:
            await call.close()
            await server.close()

    run(scenario())


def test_ice_ufrag_reads_the_first_credentials() -> None:
    sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:abcd\r\na=ice-ufrag:efgh\r\n"
    assert ice_ufrag(sdp) == "abcd"
    assert ice_ufrag("v=0\r\n") is None


# ------------------------------------------------------------ the link chooses


class Session(Wire):
    """A signalling client as the link sees it: sends, and hands messages to listeners."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: list[Any] = []

    def on_message(self, callback: Any) -> Any:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)


def _admitted(media: str) -> Admitted:
    return Admitted(
        room="r" * 22,
        member=ME,
        role="participant",
        members=(
            MemberInfo(ME, "Me", "participant"),
            MemberInfo(BEA, "Bea", "facilitator"),
        ),
        ice_servers=(),
        resume_token="t" * 32,
        grace_seconds=30.0,
        media=media,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("media", ["mesh", "sfu"])
def test_the_link_makes_the_call_the_room_uses(media: str) -> None:
    async def scenario() -> None:
        session = Session()
        link = MeshLink(
            session,
            lambda admitted: make_call(
                admitted, session, audio=SpeechLikeAudioSource(seed=2, talk_ratio=1.0)
            ),
        )
        try:
            await link.handle(_admitted(media))
            call = await link.ready()
            assert call.media == media
            assert call.members == {BEA}
            if media == "sfu":
                assert isinstance(call, SfuCall)
                offer = await session.next("offer", ME)  # published once seated
                assert offer.sdp is not None
                assert "m=video" not in offer.sdp  # no camera: sound only
                assert session.signals == []  # nothing member to member
                # a member's signal means nothing here; the server's sfu messages do
                await link.handle(ServerSignal(sender=BEA, payload={"type": "media.offer"}))
                await link.handle(ServerSfu(feed=BEA, kind="ended"))
                assert BEA in call.members
            else:
                assert isinstance(call, Mesh)
                assert session.sent == []  # no sfu message in a mesh
                await link.handle(ServerSfu(feed=BEA, kind="ended"))  # ignored
                assert session.sent == []
        finally:
            await link.stop()

    run(scenario())
