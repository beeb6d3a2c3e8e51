"""Real aiortc members on loopback, negotiated through an in-process signalling room."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, pack_remb_fci, unpack_remb_fci
from media_helpers import Call, Member, Recorder, eventually, run

from groupdesk.media.events import PeerState, PeerStateChanged, QualityChanged
from groupdesk.media.loopback import LoopbackRoom
from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import Candidate
from groupdesk.media.quality import LadderController
from groupdesk.media.sources import SpeechLikeAudioSource

pytestmark = pytest.mark.slow


def _hears_and_sees(receiver: Member, sender: Member) -> bool:
    rec = receiver.recorder
    return (
        rec.video[sender.id] >= 10
        and rec.audio[sender.id] >= 25
        and any(level.level_dbfs > -40 for level in receiver.levels_from(sender.id))
        and any(change.speaking for change in receiver.speaking_from(sender.id))
    )


@pytest.mark.parametrize("size", [2, 4, 6])
def test_every_member_receives_every_other_members_audio_and_video(size: int) -> None:
    async def scenario() -> None:
        async with Call(size, stats_interval=1.0) as call:
            await call.wait_all(_hears_and_sees, what="audio, video and levels from everyone")
            await call.wait_all(
                lambda r, s: bool(r.stats_from(s.id)), what="connection stats for every peer"
            )
            for member in call.members:
                assert set(member.mesh.peers) == {m.id for m in call.members} - {member.id}
                # Offers go one way only: from the smaller id.
                assert all(
                    p.offerer == (member.id < p.member_id) for p in member.mesh.peers.values()
                )
                # The local member's own level is measured too (talk time).
                assert member.levels_from(member.id)
                stats = member.stats_from(next(iter(member.mesh.peers)))[-1]
                assert stats.recv_bitrate > 0
                assert stats.send_bitrate > 0

    run(scenario(), timeout=150)


@pytest.mark.parametrize("encode_once", [True, False], ids=["fan-out", "per-peer-encoding"])
def test_video_is_decodable_for_every_peer_with_and_without_fan_out(encode_once: bool) -> None:
    async def scenario() -> None:
        async with Call(3, encode_once=encode_once, stats_interval=None) as call:
            for member in call.members:
                member.recorder.read_stamps = True
            await call.wait_all(
                lambda r, s: r.recorder.stamps[s.id] >= 10,
                what="decoded frames whose stamps read back",
            )
            for member in call.members:
                assert member.mesh.fanout is not None
                assert (member.mesh.fanout.frames_encoded > 0) == encode_once

    run(scenario())


class _KeyframeCounter:
    """Counts VP8 keyframes arriving at one RTP receiver: what is on the wire."""

    def __init__(self, receiver: Any) -> None:
        self.count = 0
        original = receiver._handle_rtp_packet

        async def handle(packet: Any, arrival_time_ms: int) -> None:
            if packet.payload:
                descriptor, data = VpxPayloadDescriptor.parse(packet.payload)
                if descriptor.partition_start and descriptor.partition_id == 0 and data:
                    self.count += not data[0] & 1  # the VP8 frame tag's P bit
            await original(packet, arrival_time_ms)

        receiver._handle_rtp_packet = handle


def _video_receiver(member: Member, sender_id: str) -> Any:
    pc = member.mesh.peers[sender_id].pc
    return next(t.receiver for t in pc.getTransceivers() if t.kind == "video")


def test_a_keyframe_request_from_one_peer_gives_one_keyframe_to_all() -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            sender, asking, other = call.members
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 15, what="video flowing")
            fanout = sender.mesh.fanout
            assert fanout is not None
            counters = [_KeyframeCounter(_video_receiver(m, sender.id)) for m in (asking, other)]
            await asyncio.sleep(0.6)  # past the keyframe merge window
            encoded = fanout.keyframes_encoded
            decoded = {m.id: m.recorder.video[sender.id] for m in (asking, other)}

            # A real PLI, over RTCP, from one receiver of the sender's video.
            receiver = _video_receiver(asking, sender.id)
            ssrc = receiver.getSynchronizationSources()[0].source
            await receiver._send_rtcp_pli(ssrc)

            await eventually(
                lambda: all(c.count == 1 for c in counters), what="a keyframe at every peer"
            )
            await asyncio.sleep(1.0)
            assert fanout.keyframes_encoded == encoded + 1
            assert [c.count for c in counters] == [1, 1]
            # still flowing after the keyframe (how fast depends on the load of the machine)
            assert all(m.recorder.video[sender.id] > decoded[m.id] for m in (asking, other))

    run(scenario())


def test_audio_only_sending_stops_video_and_keeps_audio() -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            quiet = call.members[0]
            others = call.members[1:]
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 10, what="video flowing")
            quiet.mesh.set_send_video(False)
            assert QualityChanged(None, True) in quiet.events
            await asyncio.sleep(0.5)  # what was in flight lands
            video = {m.id: m.recorder.video[quiet.id] for m in others}
            audio = {m.id: m.recorder.audio[quiet.id] for m in others}
            encoded = quiet.mesh.fanout.frames_encoded if quiet.mesh.fanout else 0
            await asyncio.sleep(1.5)
            assert {m.id: m.recorder.video[quiet.id] for m in others} == video
            assert all(m.recorder.audio[quiet.id] > audio[m.id] + 25 for m in others)
            assert quiet.mesh.fanout is not None
            assert quiet.mesh.fanout.frames_encoded == encoded
            # The others still see each other, and the quiet member still sees them.
            assert others[0].recorder.video[others[1].id] > 10
            quiet.mesh.set_send_video(True)
            await eventually(
                lambda: all(m.recorder.video[quiet.id] > video[m.id] + 5 for m in others),
                what="video back",
            )

    run(scenario())


def test_audio_only_receiving_asks_peers_to_stop_sending_video() -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            poor, first, second = call.members
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 10, what="video flowing")
            await poor.mesh.set_receive_video(False)
            await asyncio.sleep(0.7)
            before = dict(poor.recorder.video)
            between = first.recorder.video[second.id]
            await asyncio.sleep(1.5)
            assert dict(poor.recorder.video) == before
            assert all(poor.recorder.audio[m.id] > 50 for m in (first, second))
            assert first.recorder.video[second.id] > between + 10
            assert all(m.recorder.video[poor.id] > 10 for m in (first, second))
            await poor.mesh.set_receive_video(True)
            await eventually(
                lambda: all(poor.recorder.video[m.id] > before[m.id] + 5 for m in (first, second)),
                what="video back",
            )

    run(scenario())


def _break_path(member: Member, remote_id: str) -> None:
    """Cut the ICE path under one member's connection to ``remote_id``, as a lost network would."""
    pc = member.mesh.peers[remote_id].pc
    ice = pc.getTransceivers()[0].receiver.transport.transport
    asyncio.get_running_loop().create_task(ice._connection.close())


@pytest.mark.parametrize("failing_side", ["offerer", "answerer", "answerer-pc-closed"])
def test_a_failed_path_restarts_and_only_that_tile_freezes(failing_side: str) -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            low, high, bystander = call.members  # low offers to high
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 10, what="video flowing")
            bystander_peers = {k: p.pc for k, p in bystander.mesh.peers.items()}
            before_high = high.recorder.video[low.id]
            before_low = low.recorder.video[high.id]

            if failing_side == "offerer":
                _break_path(low, high.id)
            elif failing_side == "answerer":
                _break_path(high, low.id)
            else:  # the peer connection itself goes away under the mesh
                await high.mesh.peers[low.id].pc.close()

            def gen(member: Member, other: Member) -> int | None:
                # None for a moment: the old connection is closing, the new one not made yet.
                peer = member.mesh.peers.get(other.id)
                return peer.gen if peer is not None else None

            await eventually(
                lambda: gen(low, high) == 1 and gen(high, low) == 1,
                what="a new generation on both sides",
            )
            await eventually(
                lambda: (
                    high.recorder.video[low.id] > before_high + 10
                    and low.recorder.video[high.id] > before_low + 10
                ),
                what="video again between the two",
            )
            for member, other in ((low, high), (high, low)):
                states = [
                    e.state
                    for e in member.events
                    if isinstance(e, PeerStateChanged) and e.member_id == other.id
                ]
                assert PeerState.RECONNECTING in states
                assert states[-1] == PeerState.CONNECTED
            # The third member noticed nothing: same connections, no state change.
            assert {k: p.pc for k, p in bystander.mesh.peers.items()} == bystander_peers
            assert not any(
                isinstance(e, PeerStateChanged) and e.state == PeerState.RECONNECTING
                for e in bystander.events
            )

    run(scenario())


def test_a_member_who_leaves_is_disconnected_and_the_others_carry_on() -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            stay, also_stay, leaving = call.members
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 5, what="video flowing")
            await call.room.leave(leaving.id)
            await leaving.mesh.close()
            await eventually(
                lambda: (
                    leaving.id not in stay.mesh.peers and leaving.id not in also_stay.mesh.peers
                ),
                what="the member gone",
            )
            assert PeerStateChanged(leaving.id, PeerState.CLOSED) in stay.events
            before = stay.recorder.video[also_stay.id]
            await eventually(lambda: stay.recorder.video[also_stay.id] > before + 10)

    run(scenario())


def test_hanging_up_stops_reading_the_sources() -> None:
    async def scenario() -> None:
        async with Call(2, stats_interval=None) as call:
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 5, what="video flowing")
            member = call.members[0]
            await member.mesh.close()
            assert member.video_source is not None
            assert member.audio_source is not None
            read = (member.video_source._pacer.index, member.audio_source._pacer.index)
            await asyncio.sleep(0.5)
            # A source handed to the next call is not drained by this one.
            assert (member.video_source._pacer.index, member.audio_source._pacer.index) == read
            assert member.mesh.peers == {}

    run(scenario())


def _congest(receiver: Any, bitrate: int) -> None:
    """Make an RTP receiver report (REMB) ``bitrate`` whatever it measures: a congested link."""
    original = receiver._send_rtcp

    async def send_rtcp(packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            _, ssrcs = unpack_remb_fci(packet.fci)
            packet.fci = pack_remb_fci(bitrate, ssrcs)
        await original(packet)

    receiver._send_rtcp = send_rtcp


def test_a_congested_receiver_brings_the_sender_down_the_ladder_to_audio_only() -> None:
    async def scenario() -> None:
        ladder = LadderController(down_hold_s=0.5)
        async with Call(2, stats_interval=0.5, ladder=ladder) as call:
            sender, receiver = call.members
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 10, what="video flowing")
            assert receiver.recorder.sizes[sender.id] == (320, 180)
            _congest(_video_receiver(receiver, sender.id), 30_000)
            # Down the ladder: the frames that arrive get smaller...
            await eventually(
                lambda: receiver.recorder.sizes[sender.id] == (240, 134), what="smaller video"
            )
            # ...then video stops, audio goes on.
            await eventually(lambda: QualityChanged(None, True) in sender.events, what="audio only")
            profiles = [e.profile for e in sender.events if isinstance(e, QualityChanged)]
            assert profiles[-1] is None
            assert [p.width for p in profiles[:-1] if p is not None][-1] == 240
            await asyncio.sleep(0.5)
            video, audio = receiver.recorder.video[sender.id], receiver.recorder.audio[sender.id]
            await asyncio.sleep(1.0)
            assert receiver.recorder.video[sender.id] == video
            assert receiver.recorder.audio[sender.id] > audio + 25

    run(scenario())


class _LosingChannel:
    """A signalling channel that loses the first offer it is given."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.lost = 0

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        if payload.get("type") == "media.offer" and not self.lost:
            self.lost += 1
            return
        await self.inner.send_signal(to_member_id, payload)


def test_a_lost_offer_is_asked_for_again() -> None:
    async def scenario() -> None:
        room = LoopbackRoom()
        recorders = {name: Recorder() for name in ("a", "b")}
        channel = _LosingChannel(room.channel("a"))
        meshes = [
            Mesh(
                "a",
                channel,
                audio=SpeechLikeAudioSource(seed=1, talk_ratio=1.0),
                sink=recorders["a"],
                stats_interval=None,
                connect_timeout=1.0,
            ),
            Mesh(
                "b",
                room.channel("b"),
                audio=SpeechLikeAudioSource(seed=2, talk_ratio=1.0),
                sink=recorders["b"],
                stats_interval=None,
                connect_timeout=1.0,
            ),
        ]
        try:
            for mesh in meshes:
                await room.join(mesh.local_id, mesh)
            await eventually(
                lambda: recorders["a"].audio["b"] > 10 and recorders["b"].audio["a"] > 10,
                what="audio both ways after the lost offer",
            )
            assert channel.lost == 1
            assert meshes[0].peers["b"].gen == 1
        finally:
            for mesh in meshes:
                await mesh.close()
            await room.close()

    run(scenario())


class _TricklingChannel:
    """Sends SDP without its candidates, then each candidate alone, as a browser does."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.trickled = 0

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        if payload.get("type") not in ("media.offer", "media.answer"):
            await self.inner.send_signal(to_member_id, payload)
            return
        lines = payload["sdp"].split("\r\n")
        candidates: list[tuple[str, int]] = []
        mline = -1
        kept = []
        for line in lines:
            if line.startswith("m="):
                mline += 1
            if line.startswith("a=candidate:"):
                candidates.append((line.removeprefix("a="), mline))
            elif line != "a=end-of-candidates":
                kept.append(line)
        await self.inner.send_signal(to_member_id, {**payload, "sdp": "\r\n".join(kept)})
        for candidate, index in candidates:
            self.trickled += 1
            await self.inner.send_signal(
                to_member_id,
                Candidate(payload["gen"], candidate, None, index).to_payload(),
            )
        await self.inner.send_signal(to_member_id, Candidate(payload["gen"], "").to_payload())


def test_trickled_candidates_connect_as_well() -> None:
    async def scenario() -> None:
        room = LoopbackRoom()
        recorders = {name: Recorder() for name in ("a", "b")}
        channels = {name: _TricklingChannel(room.channel(name)) for name in ("a", "b")}
        meshes = [
            Mesh(
                name,
                channels[name],
                audio=SpeechLikeAudioSource(seed=seed, talk_ratio=1.0),
                sink=recorders[name],
                stats_interval=None,
            )
            for seed, name in enumerate(("a", "b"))
        ]
        try:
            for mesh in meshes:
                await room.join(mesh.local_id, mesh)
            await eventually(
                lambda: recorders["a"].audio["b"] > 10 and recorders["b"].audio["a"] > 10,
                what="audio both ways with trickled candidates",
            )
            assert channels["a"].trickled > 0
            assert channels["b"].trickled > 0
        finally:
            for mesh in meshes:
                await mesh.close()
            await room.close()

    run(scenario())
