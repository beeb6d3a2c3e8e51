"""An SFU room for real: the facilitator's client and bots (aiortc) publish once to Janus
through groupdesk-server and decode each other's streams from it; a member without
camera and microphone is there, connected, without a picture; audio only takes no video
from Janus, and video comes back when asked; a member who leaves is gone from everyone's
call."""

from __future__ import annotations

import asyncio
import time

import pytest
from media_helpers import eventually, run
from sfu_helpers import CuttableProxy, Facilitator, Participant, needs_janus, sfu_server

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.core.protocol import ServerSignal
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged
from groupdesk.media.sfu import SfuCall

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(
    width=160, height=90, fps=10, hand_raises_per_minute=0, chatter=True, talk_ratio=1.0
)
NAMES = ["Ana", "Bea", "Cai", "Dan"]


@needs_janus
def test_four_bots_and_the_facilitator_decode_each_other_through_janus() -> None:
    async def scenario() -> None:
        async with sfu_server() as (server, credential):
            host = Facilitator()
            quiet = Participant()  # neither camera nor microphone
            swarm = None
            try:
                invite = await host.open_room(server, credential)
                swarm = await run_bots(invite, 4, NAMES, SMALL)
                await host.admit_all(4)
                await swarm.wait_admitted(30)
                # then Eve, who has neither camera nor microphone: the others hear so
                await quiet.knock(server, invite, "Eve")
                await host.admit_all(1)
                eve = await asyncio.wait_for(quiet.link.ready(), 30)
                bots = swarm.bots
                calls = {bot.member_id: bot.mesh for bot in bots}
                assert all(isinstance(c, SfuCall) for c in calls.values())
                assert isinstance(host.call, SfuCall)
                everyone = {host.member_id, *calls}
                assert len(everyone) == 5

                def decoded(enough_video: int, enough_audio: int) -> bool:
                    for member_id, call in calls.items():
                        assert call is not None
                        for other in everyone - {member_id}:
                            peer = call.peers.get(other)
                            if peer is None:
                                return False
                            got = peer.received
                            if got.video_frames < enough_video or got.audio_frames < enough_audio:
                                return False
                    return all(
                        host.recorder.video[m] >= enough_video
                        and host.recorder.audio[m] >= enough_audio
                        for m in calls
                    )

                await eventually(lambda: decoded(10, 50), 90, what="everybody decodes everybody")

                # Eve publishes nothing: the others show her connected, with no picture
                # (as a mesh shows a member without tracks), not "connecting" forever
                assert eve.publisher is None
                await eventually(
                    lambda: _last_state(host.media_events, eve.local_id) is PeerState.CONNECTED,
                    30,
                    what="Eve connected on the facilitator's side",
                )
                assert eve.local_id not in host.call.peers
                assert eve.local_id in host.call.members
                assert host.call.silent == {eve.local_id}
                # and a bot counts itself connected to everyone, Eve included, with no
                # connection to her (before, it waited for one for ever)
                await eventually(
                    lambda: all(bot.meshed for bot in bots), 30, what="every bot connected"
                )
                assert all(eve.local_id in bot.mesh.silent for bot in bots if bot.mesh)
                assert host.recorder.video[eve.local_id] == 0
                # ... and she sees and hears everyone who publishes
                await eventually(
                    lambda: all(
                        m in eve.peers and eve.peers[m].received.video_frames >= 5 for m in everyone
                    ),
                    60,
                    what="Eve decodes everyone",
                )

                # audio only: Janus forwards the facilitator none of the others' video
                # (not their smallest layer); their sound goes on
                await _audio_only_takes_no_video(host, list(calls.values()))
                for member_id, call in calls.items():
                    assert isinstance(call, SfuCall)
                    publisher = call.publisher
                    assert publisher is not None
                    assert publisher.pc.connectionState == "connected"
                    # one stream sent (to the media server); every other connection receives
                    assert all(
                        t.sender.track is None
                        for p in call.peers.values()
                        for t in p.pc.getTransceivers()
                    )
                    sent = await publisher.stats(None)
                    print(
                        member_id,
                        f"upload {sent.send_bitrate / 1000:.0f} kbit/s",
                        {
                            m: (p.received.video_frames, p.received.audio_frames)
                            for m, p in call.peers.items()
                        },
                    )
                print("facilitator", dict(host.recorder.video), dict(host.recorder.audio))
                # nothing went member to member: the room's media went through Janus
                assert not [m for m in host.messages if isinstance(m, ServerSignal)]

                # Dan leaves: his stream is gone from everyone's call
                dan = bots[3]
                dan_id = dan.member_id
                assert dan_id is not None
                await dan.leave()
                others = [c for m, c in calls.items() if m != dan_id] + [host.call]

                def dan_gone() -> bool:
                    return all(dan_id not in c.peers and dan_id not in c.members for c in others)

                await eventually(dan_gone, 30, what="Dan gone from every call")
                states = [
                    e.state
                    for e in host.media_events
                    if isinstance(e, PeerStateChanged) and e.member_id == dan_id
                ]
                assert states[-1] is PeerState.CLOSED
                # the others still decode each other
                remaining = [c for m, c in calls.items() if m != dan_id]
                seen = {
                    id(c): {m: p.received.video_frames for m, p in c.peers.items()}
                    for c in remaining
                }
                await eventually(
                    lambda: all(
                        all(
                            p.received.video_frames > seen[id(c)].get(m, 0) + 3
                            for m, p in c.peers.items()
                        )
                        for c in remaining
                    ),
                    30,
                    what="the rest of the room still flowing",
                )
            finally:
                if swarm is not None:
                    await swarm.stop()
                await quiet.close()
                await host.close()

    run(scenario(), timeout=240)


def _last_state(events: list[MediaEvent], member: str) -> PeerState | None:
    states = [e.state for e in events if isinstance(e, PeerStateChanged) and e.member_id == member]
    return states[-1] if states else None


async def _received(call: SfuCall) -> tuple[int, int, int]:
    """RTP packets of video and of audio, and bytes (UDP payload), that ``call`` has
    received of every feed so far."""
    video = audio = octets = 0
    for peer in call.peers.values():
        for stat in (await peer.pc.getStats()).values():
            if stat.type == "inbound-rtp":
                if stat.kind == "video":
                    video += stat.packetsReceived
                else:
                    audio += stat.packetsReceived
            elif stat.type == "transport":
                octets += stat.bytesReceived
    return video, audio, octets


async def _audio_only_takes_no_video(host: Facilitator, others: list[MediaCall | None]) -> None:
    """The facilitator goes audio only as the app does (camera off, no video asked):
    from then on, no video packet reaches it (its download is the others' sound) and it
    sends none, and the pictures come back when it asks again (Janus asks each publisher
    for a keyframe)."""
    call = host.call
    assert isinstance(call, SfuCall)
    feeds = len(call.peers)
    bots = [c for c in others if isinstance(c, SfuCall)]

    def host_frames() -> list[int]:
        """Frames of the facilitator's picture each bot has decoded."""
        return [c.peers[host.member_id].received.video_frames for c in bots]

    async def audio_moves_on(packets_each: int) -> tuple[int, int, int]:
        """Wait until ``packets_each`` more audio packets came of every feed (50 a
        second: the measure of time here is the audio itself); the counts then."""
        start = (await _received(call))[1]
        while (now := await _received(call))[1] < start + packets_each * feeds:
            await asyncio.sleep(0.1)
        return now

    with_video, started = await _received(call), time.monotonic()
    with_video_end = await asyncio.wait_for(audio_moves_on(100), 30)
    video_seconds = time.monotonic() - started
    call.set_send_video(False)
    await call.set_receive_video(False)

    async def video_stops() -> None:
        """Until half a second of sound (25 packets of each feed) brings no video."""
        while True:
            before = (await _received(call))[0]
            if (await audio_moves_on(25))[0] == before:
                return

    await asyncio.wait_for(video_stops(), 30)  # the layer messages reached Janus
    quiet, started, sent = await _received(call), time.monotonic(), host_frames()
    quiet_end = await asyncio.wait_for(audio_moves_on(100), 30)
    quiet_seconds = time.monotonic() - started
    assert quiet_end[0] == quiet[0], "video packets reached an audio-only member"
    assert host_frames() == sent, "an audio-only member's picture still reached the others"

    def kbps(a: tuple[int, int, int], b: tuple[int, int, int], seconds: float) -> float:
        return (b[2] - a[2]) * 8 / seconds / 1000

    print(
        f"facilitator's download from {feeds} feeds: with video"
        f" {kbps(with_video, with_video_end, video_seconds):.0f} kbit/s"
        f" ({with_video_end[0] - with_video[0]} video packets),"
        f" audio only {kbps(quiet, quiet_end, quiet_seconds):.0f} kbit/s"
        f" ({quiet_end[0] - quiet[0]} video packets)"
    )
    # bytes per audio packet received: audio alone now, audio and video before
    per_audio_before = (with_video_end[2] - with_video[2]) / (with_video_end[1] - with_video[1])
    per_audio_quiet = (quiet_end[2] - quiet[2]) / (quiet_end[1] - quiet[1])
    assert per_audio_quiet < per_audio_before

    fanouts = [c.fanout for c in others if isinstance(c, SfuCall) and c.fanout is not None]
    assert len(fanouts) == feeds
    keyframes = [f.keyframes_encoded for f in fanouts]
    shown = dict(host.recorder.video)
    call.set_send_video(True)
    await call.set_receive_video(True)
    await eventually(
        lambda: all(host.recorder.video[m] >= shown.get(m, 0) + 5 for m in call.peers),
        30,
        what="every picture back after audio only",
    )
    # Janus asked every publisher for a keyframe to start the picture again with
    assert all(f.keyframes_encoded > k for f, k in zip(fanouts, keyframes, strict=True))
    await eventually(
        lambda: all(now > then + 5 for now, then in zip(host_frames(), sent, strict=True)),
        30,
        what="the facilitator's picture back at every bot",
    )


@needs_janus
def test_a_resumed_seat_publishes_again_and_receives_everyone_again() -> None:
    """The facilitator's signalling connection drops; the client takes its seat back, the
    server closes its old media session, and its call publishes again and takes the
    others' streams anew: everyone sees and hears everyone again."""

    async def scenario() -> None:
        async with sfu_server() as (server, credential):
            proxy = CuttableProxy(server.port)
            await proxy.start()
            host = Facilitator()
            swarm = None
            try:
                invite = await host.open_room(server, credential, proxy.ws_url)
                swarm = await run_bots(invite, 2, NAMES[:2], SMALL)
                await host.admit_all(2)
                await swarm.wait_admitted(30)
                call = host.call
                assert isinstance(call, SfuCall)
                bots = [(bot.member_id, bot.mesh) for bot in swarm.bots]

                def flowing(since: dict[str, int]) -> bool:
                    to_host = all(host.recorder.video[m] > since.get(m, 0) + 5 for m, _ in bots)
                    from_host = all(
                        c is not None
                        and host.member_id in c.peers
                        and c.peers[host.member_id].received.video_frames > 5
                        for _, c in bots
                    )
                    return to_host and from_host

                await eventually(lambda: flowing({}), 60, what="everybody decodes everybody")
                publisher = call.publisher
                assert publisher is not None

                proxy.cut()  # the network under the signalling goes; the client resumes
                await eventually(
                    lambda: call.publisher is not publisher, 60, what="our stream offered again"
                )
                assert sum(call.republished.values()) == 1  # said by the server and by DTLS: once
                since = dict(host.recorder.video)
                # the bots get a new offer for the facilitator's feed: new connections
                await eventually(lambda: flowing(since), 60, what="everyone again, both ways")
                new = call.publisher
                assert new is not None
                assert new.pc.connectionState == "connected"
                print("republished:", call.republished)
            finally:
                if swarm is not None:
                    await swarm.stop()
                await host.close()
                await proxy.stop()

    run(scenario(), timeout=240)
