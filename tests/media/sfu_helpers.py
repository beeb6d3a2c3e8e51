"""Helpers for SFU-room tests: a real Janus in the tests' private namespace (the shared
tests/janus_harness.py), a real groupdesk-server using it, and a facilitator client as
the desktop app makes its call."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import av
from media_helpers import eventually

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    ServerMessage,
    Welcome,
    parse_invite_link,
)
from groupdesk.core.uplink import UplinkRule
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import SignalingClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the Janus harness
from janus_harness import needs_janus, running_janus, sfu_config

__all__ = [
    "CuttableProxy",
    "Facilitator",
    "Participant",
    "Recorder",
    "needs_janus",
    "sfu_server",
]


@contextlib.asynccontextmanager
async def sfu_server(
    max_members: int = 8, media_mode: str = "sfu", uplink: UplinkRule | None = None
) -> AsyncIterator[tuple[RunningServer, str]]:
    """Janus, and a groupdesk-server on 127.0.0.1 whose rooms are SFU rooms through it
    (``media_mode`` auto: small rooms are a mesh that may move there, by ``uplink``);
    yields the server and facilitator ``ana``'s credential."""
    async with running_janus() as janus:
        store = CredentialStore(None, cost=2**10)
        credential = store.add("ana")
        config = ServerConfig(
            rules=RoomRules(max_members=max_members),
            sfu=sfu_config(janus, media_mode),
            uplink=uplink or UplinkRule(),
        )
        running = await start_server("127.0.0.1", 0, config=config, credentials=store)
        try:
            yield running, credential
        finally:
            await running.stop()


class CuttableProxy:
    """A TCP relay on 127.0.0.1 to the signalling server whose connections can be cut
    (both sides see a dead socket: the client resumes its seat through it)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]
        pipes = [
            asyncio.ensure_future(self._pipe(reader, up_writer)),
            asyncio.ensure_future(self._pipe(up_reader, writer)),
        ]
        await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        for task in pipes:
            task.cancel()
        for w in (writer, up_writer):
            w.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()

    def cut(self) -> None:
        """Drop every open connection abruptly."""
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


@dataclass
class Recorder:
    """A media sink counting decoded frames per member."""

    video: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    audio: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.video[member_id] += 1

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio[member_id] += 1


class Facilitator:
    """A facilitator's client as the desktop app makes it: signalling, the link, and the
    call the room uses (``make_call``), with a test pattern and speech-like audio."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.recorder = Recorder()
        self.media_events: list[MediaEvent] = []
        self.messages: list[ServerMessage] = []
        self.link = MeshLink(self.client, self._make_call)
        self.client.on_message(self.messages.append)
        self.invite = ""
        self.member_id = ""

    def _make_call(self, admitted: Admitted) -> MediaCall:
        call = make_call(
            admitted,
            self.client,
            video=TestPatternSource("Facilitator", 160, 90, 10),
            audio=SpeechLikeAudioSource(seed=99, talk_ratio=1.0),
            sink=self.recorder,
        )
        call.events.subscribe(self.media_events.append)
        return call

    @property
    def call(self) -> MediaCall:
        assert self.link.mesh is not None
        return self.link.mesh

    def of(self, kind: type[ServerMessage]) -> list[ServerMessage]:
        return [m for m in self.messages if isinstance(m, kind)]

    async def open_room(self, server: RunningServer, credential: str, url: str = "") -> str:
        """Sign in and open a room (through ``url``, else straight to ``server``)."""
        await self.client.connect(url or server.ws_url)
        await self.client.send(FacilitatorHello(name="ana", credential=credential))
        await eventually(lambda: bool(self.of(Welcome)), what="welcome")
        await self.client.send(OpenRoom())
        await eventually(lambda: bool(self.of(RoomOpened)) and bool(self.of(Admitted)))
        opened = self.of(RoomOpened)[0]
        admitted = self.of(Admitted)[0]
        assert isinstance(opened, RoomOpened)
        assert isinstance(admitted, Admitted)
        self.invite, self.member_id = opened.invite, admitted.member
        return self.invite

    async def admit_all(self, count: int) -> None:
        """Wait until ``count`` people wait in the lobby, then admit them all."""

        def waiting() -> int:
            lobbies = self.of(Lobby)
            last = lobbies[-1] if lobbies else None
            return len(last.waiting) if isinstance(last, Lobby) else 0

        await eventually(lambda: waiting() >= count, what=f"{count} in the lobby")
        last = self.of(Lobby)[-1]
        assert isinstance(last, Lobby)
        for entry in last.waiting:
            await self.client.send(Admit(member=entry.member))

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


class Participant:
    """A participant's client as the desktop app makes it, with neither camera nor
    microphone: its call (``make_call``) has nothing to publish."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.media_events: list[MediaEvent] = []
        self.link = MeshLink(self.client, self._make_call)

    def _make_call(self, admitted: Admitted) -> MediaCall:
        call = make_call(admitted, self.client)
        call.events.subscribe(self.media_events.append)
        return call

    async def knock(self, server: RunningServer, invite: str, name: str) -> None:
        """Open the invite: wait in the lobby until a facilitator admits us."""
        link = parse_invite_link(invite)
        await self.client.connect(server.ws_url)
        await self.client.send(
            ParticipantHello(room=link.room, secret=link.secret, display_name=name)
        )

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()
