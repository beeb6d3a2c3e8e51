"""The receive watchdog with real aiortc members on loopback: one member's packets stop
reaching the other without any goodbye (the link is still up for ICE), and the other's
mesh reports that member ``reconnecting`` long before ICE would notice, then
``connected`` when the packets flow again. A muted member (silence frames) raises none.
"""

from __future__ import annotations

from typing import Any

import pytest
from media_helpers import Recorder, eventually, run

from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged
from groupdesk.media.loopback import LoopbackRoom
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SwitchableSpeechSource

pytestmark = pytest.mark.slow


class _Member:
    def __init__(self, room: LoopbackRoom, member_id: str) -> None:
        self.recorder = Recorder()
        self.source = SwitchableSpeechSource()
        self.source.muted = True  # silence frames all along
        self.mesh = Mesh(
            member_id,
            room.channel(member_id),
            audio=self.source,
            sink=self.recorder,
            stats_interval=None,
        )
        self.events: list[MediaEvent] = []
        self.mesh.events.subscribe(self.events.append)

    def states_about(self, other: _Member) -> list[PeerState]:
        return [
            e.state
            for e in self.events
            if isinstance(e, PeerStateChanged) and e.member_id == other.mesh.local_id
        ]


def _cut(sender: _Member, receiver: _Member, cut: bool) -> None:
    """Every packet ``sender`` sends ``receiver`` (RTP, RTCP, DTLS) vanishes, or flows
    again; ICE's own checks still pass both ways, so its link stays up."""
    pc = sender.mesh.peers[receiver.mesh.local_id].pc
    for transport in {
        id(t.sender.transport.transport): t.sender.transport.transport for t in pc.getTransceivers()
    }.values():
        if cut:
            saved = transport._send

            async def vanish(data: bytes, *, _saved: Any = saved) -> None:
                del data  # lost on the way

            transport._watchdog_saved_send = saved
            transport._send = vanish
        else:
            transport._send = transport._watchdog_saved_send


def test_a_silent_loss_is_reported_and_the_return_too() -> None:
    async def scenario() -> None:
        room = LoopbackRoom()
        a, b = _Member(room, "member-a"), _Member(room, "member-b")
        try:
            await room.join("member-a", a.mesh)
            await room.join("member-b", b.mesh)
            a_id, b_id = a.mesh.local_id, b.mesh.local_id

            # Both muted: silence frames keep coming, so two seconds of them raise nothing.
            await eventually(
                lambda: a.recorder.audio[b_id] >= 100 and b.recorder.audio[a_id] >= 100,
                timeout=60,
                what="two seconds of muted audio both ways",
            )
            assert a.states_about(b) == [PeerState.CONNECTING, PeerState.CONNECTED]
            assert b.states_about(a) == [PeerState.CONNECTING, PeerState.CONNECTED]

            _cut(a, b, True)
            await eventually(
                lambda: b.states_about(a)[-1] is PeerState.RECONNECTING,
                timeout=10,  # ICE consent would take ~30 s
                what="b to report a reconnecting",
            )
            assert b.mesh.peers[a_id].pc.connectionState == "connected"  # ICE saw nothing
            assert b.mesh.restarts == {}  # the watchdog only reports
            heard_by_a = a.recorder.audio[b_id]
            await eventually(lambda: a.recorder.audio[b_id] >= heard_by_a + 50, timeout=10)
            assert a.states_about(b) == [PeerState.CONNECTING, PeerState.CONNECTED]

            _cut(a, b, False)
            await eventually(
                lambda: b.states_about(a)[-1] is PeerState.CONNECTED,
                timeout=10,
                what="b to report a connected again",
            )
            assert b.states_about(a) == [
                PeerState.CONNECTING,
                PeerState.CONNECTED,
                PeerState.RECONNECTING,
                PeerState.CONNECTED,
            ]
            assert b.mesh.peers[a_id].gen == 0  # the same connection, never replaced
        finally:
            await a.mesh.close()
            await b.mesh.close()
            await room.close()

    run(scenario())
