"""An SFU room for real: the facilitator's client and bots (aiortc) publish once to Janus
through groupdesk-server and decode each other's streams from it; a member who leaves
is gone from everyone's call."""

from __future__ import annotations

import pytest
from media_helpers import eventually, run
from sfu_helpers import CuttableProxy, Facilitator, needs_janus, sfu_server

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.core.protocol import ServerSignal
from groupdesk.media.events import PeerState, PeerStateChanged
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
            swarm = None
            try:
                invite = await host.open_room(server, credential)
                swarm = await run_bots(invite, 4, NAMES, SMALL)
                await host.admit_all(4)
                await swarm.wait_admitted(30)
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
                await host.close()

    run(scenario(), timeout=240)


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
