"""Helpers for SFU-room tests: a real Janus in the tests' private namespace, a real
groupdesk-server using it, and a facilitator client as the desktop app makes its call.

Janus never gathers ICE candidates on ``lo``, and libnice sends each host candidate's
packets out of that candidate's interface only: so, while Janus runs, Janus gets
127.0.0.2 on an interface of its own and the members (aiortc, in this process) 127.0.0.3
on the same interface (the way tests/server/test_sfu_bridge.py runs it).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import subprocess
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import av
import pytest
from media_helpers import eventually

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    RoomOpened,
    ServerMessage,
    Welcome,
)
from groupdesk.media import ice
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server import janus
from groupdesk.server.app import RunningServer, ServerConfig, SfuConfig, start_server
from groupdesk.server.coturn import only_loopback_network
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.janus import Janus, JanusSettings
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import SignalingClient

needs_janus = pytest.mark.skipif(
    shutil.which("janus") is None
    or janus.find_library_dir() is None
    or not only_loopback_network(),
    reason="needs Debian's janus and the tests' private network namespace",
)

MEDIA_INTERFACE = "gdjanus0"
JANUS_ADDRESS = "127.0.0.2"
MEMBERS_ADDRESS = "127.0.0.3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _media_interface() -> Iterator[None]:
    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)

    ip("link", "add", MEDIA_INTERFACE, "type", "bridge")
    before = ice.restricted_addresses()
    try:
        for address in (JANUS_ADDRESS, MEMBERS_ADDRESS):
            ip("addr", "add", f"{address}/32", "dev", MEDIA_INTERFACE)
        ip("link", "set", MEDIA_INTERFACE, "up")
        ice.restrict_host_addresses((MEMBERS_ADDRESS,))
        yield
    finally:
        ice.restrict_host_addresses(before)
        ip("link", "del", MEDIA_INTERFACE)


@contextlib.asynccontextmanager
async def sfu_server(max_members: int = 8) -> AsyncIterator[tuple[RunningServer, str]]:
    """Janus, and a groupdesk-server on 127.0.0.1 whose rooms are SFU rooms through it;
    yields the server and facilitator ``ana``'s credential."""
    settings = JanusSettings(
        admin_secret=secrets.token_urlsafe(24),
        port=_free_port(),
        admin_port=_free_port(),
        loopback_only=True,
    )
    server = Janus(settings)  # it checks the namespace: before the interface is added
    with _media_interface():
        async with server:
            sfu = SfuConfig(settings.admin_url, settings.admin_secret, "sfu", settings.api_url)
            store = CredentialStore(None, cost=2**10)
            credential = store.add("ana")
            config = ServerConfig(rules=RoomRules(max_members=max_members), sfu=sfu)
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
