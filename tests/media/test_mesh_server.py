"""The mesh riding on the real signalling server (127.0.0.1) and its client."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_helpers import Member, Recorder, eventually, run

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    ServerMessage,
    Waiting,
    Welcome,
    parse_invite_link,
)
from groupdesk.media.events import MediaEvent
from groupdesk.media.link import MeshLink, ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow


class Seat:
    """One person in the room: a signalling client, and the mesh the link makes on admission."""

    def __init__(self, name: str, seed: int) -> None:
        self.name = name
        self.client = SignalingClient()
        self.recorder = Recorder()
        self.events: list[MediaEvent] = []
        self.link = MeshLink(self.client, self._make_mesh)
        self.seed = seed

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            video=TestPatternSource(self.name, 320, 180, 15),
            audio=SpeechLikeAudioSource(seed=self.seed, talk_ratio=1.0),
            sink=self.recorder,
            stats_interval=None,
        )
        mesh.events.subscribe(self.events.append)
        return mesh

    async def member(self) -> Member:
        return Member(await self.link.ready(), self.recorder, self.events)

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


async def _next(client: SignalingClient, kind: type[ServerMessage]) -> ServerMessage:
    while True:
        message = await client.receive(10)
        if isinstance(message, kind):
            return message


NAMES = ["Ana", "Bea", "Chloé", "Dominic", "Élise", "Farid"]


@pytest.mark.parametrize("size", [2, 4, 6])
def test_members_connect_through_the_real_server(tmp_path: Path, size: int) -> None:
    """Each of 2, 4 and 6 members decodes every other member's audio and video."""

    async def scenario() -> None:
        store = CredentialStore(tmp_path)
        credential = store.add("ana")
        server = await start_server("127.0.0.1", 0, credentials=store)
        seats = [Seat(name, seed) for seed, name in enumerate(NAMES[:size])]
        ana = seats[0].client
        try:
            await ana.connect(server.ws_url)
            await ana.send(FacilitatorHello(name="ana", credential=credential))
            await _next(ana, Welcome)
            await ana.send(OpenRoom())
            opened = await _next(ana, RoomOpened)
            assert isinstance(opened, RoomOpened)
            invite = parse_invite_link(opened.invite)
            for seat in seats[1:]:
                await seat.client.connect(invite.websocket_url)
                await seat.client.send(
                    ParticipantHello(room=invite.room, secret=invite.secret, display_name=seat.name)
                )
                await _next(seat.client, Waiting)
                lobby = await _next(ana, Lobby)
                while not isinstance(lobby, Lobby) or not lobby.waiting:
                    lobby = await _next(ana, Lobby)
                await ana.send(Admit(member=lobby.waiting[0].member))
                await _next(seat.client, Admitted)

            members = [await seat.member() for seat in seats]

            def everyone_hears_and_sees() -> bool:
                return all(
                    receiver.recorder.video[sender.id] >= 10
                    and receiver.recorder.audio[sender.id] >= 25
                    and receiver.levels_from(sender.id)
                    for receiver in members
                    for sender in members
                    if receiver is not sender
                )

            await eventually(everyone_hears_and_sees, timeout=90, what=f"media among {size}")
            for member in members:
                assert len(member.mesh.peers) == size - 1
                for peer in member.mesh.peers.values():
                    # No ICE server was configured: none is contacted (aiortc's default
                    # would be a public STUN server).
                    ice = peer.pc.getTransceivers()[0].receiver.transport.transport
                    connection = ice.iceGatherer._connection
                    assert (connection.stun_server, connection.turn_server) == (None, None)

            # One leaves: the others are told by the server and hang up on them.
            leaving = seats[-1]
            left_id = members[-1].id
            await leaving.close()
            await eventually(
                lambda: all(left_id not in m.mesh.peers for m in members[:-1]),
                what="the member gone from the others' meshes",
            )
        finally:
            for seat in seats:
                await seat.close()
            await server.stop()

    run(scenario())
