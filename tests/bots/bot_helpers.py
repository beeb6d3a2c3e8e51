"""Helpers for the bot tests: a real server on 127.0.0.1 and a facilitator with a real mesh."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import av

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    MemberJoined,
    MemberLeft,
    OpenRoom,
    Question,
    RoomConsent,
    RoomOpened,
    ServerApp,
    ServerMessage,
    Welcome,
)
from groupdesk.media.events import AudioLevel, MediaEvent
from groupdesk.media.link import MeshLink, ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource, read_frame_stamp
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import SignalingClient

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
    """Run one scenario on a fresh event loop, with an overall limit (a hung test ends)."""

    async def bounded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(bounded())


async def eventually(check: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Wait until ``check()`` holds; the limit only ends a hung test (no timing is asserted)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.1)


@dataclass
class Recorder:
    """A media sink counting decoded frames per member (and readable test-pattern stamps)."""

    video: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stamped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    audio: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.video[member_id] += 1
        if read_frame_stamp(frame) is not None:
            self.stamped[member_id] += 1

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio[member_id] += 1


class Facilitator:
    """A facilitator as the desktop app would be: signalling client, mesh link, recorder."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.recorder = Recorder()
        self.media_events: list[MediaEvent] = []
        self.messages: list[ServerMessage] = []
        self.link = MeshLink(self.client, self._make_mesh)
        self.client.on_message(self.messages.append)
        self.invite = ""
        self.member_id = ""

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            video=TestPatternSource("Facilitator", 320, 180, 10),
            audio=SpeechLikeAudioSource(seed=99, talk_ratio=1.0),
            sink=self.recorder,
            stats_interval=None,
        )
        mesh.events.subscribe(self.media_events.append)
        return mesh

    async def open_room(
        self,
        server: RunningServer,
        credential: str,
        questions: tuple[Question, ...] | None = None,
        consent: RoomConsent | None = None,
    ) -> str:
        await self.client.connect(server.ws_url)
        await self.client.send(FacilitatorHello(name="ana", credential=credential))
        await eventually(lambda: bool(self.of(Welcome)), what="welcome")
        await self.client.send(OpenRoom(questions=questions, consent=consent))
        await eventually(lambda: bool(self.of(RoomOpened)) and bool(self.of(Admitted)))
        self.invite = self.of(RoomOpened)[0].invite
        self.member_id = self.of(Admitted)[0].member
        return self.invite

    def of(self, kind: type[T]) -> list[T]:
        return [m for m in self.messages if isinstance(m, kind)]

    def waiting(self) -> int:
        lobbies = self.of(Lobby)
        return len(lobbies[-1].waiting) if lobbies else 0

    async def admit_all(self, count: int) -> None:
        """Wait until ``count`` people wait in the lobby, then admit them all."""
        await eventually(lambda: self.waiting() >= count, what=f"{count} in the lobby")
        for entry in self.of(Lobby)[-1].waiting:
            await self.client.send(Admit(member=entry.member))

    def joined(self) -> list[str]:
        return [m.member.member for m in self.of(MemberJoined)]

    def left(self) -> dict[str, str]:
        return {m.member: m.reason for m in self.of(MemberLeft)}

    def app_events(self, member_id: str) -> list[str]:
        return [m.event.EVENT for m in self.of(ServerApp) if m.sender == member_id]

    def hears(self, member_id: str) -> bool:
        return any(
            isinstance(e, AudioLevel) and e.member_id == member_id for e in self.media_events
        )

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


@contextlib.asynccontextmanager
async def room(
    grace_seconds: float = 60.0,
    questions: tuple[Question, ...] | None = None,
    consent: RoomConsent | None = None,
) -> AsyncIterator[tuple[RunningServer, Facilitator]]:
    """A server on 127.0.0.1 (in-memory credentials) and a facilitator with an open room
    (``questions``: what the room asks participants; none: the default checklist;
    ``consent``: the consent text it offers, if any)."""
    store = CredentialStore(None, cost=2**10)
    credential = store.add("ana")
    config = ServerConfig(rules=RoomRules(grace_seconds=grace_seconds))
    server = await start_server("127.0.0.1", 0, config=config, credentials=store)
    facilitator = Facilitator()
    try:
        await facilitator.open_room(server, credential, questions, consent)
        yield server, facilitator
    finally:
        await facilitator.close()
        await server.stop()


class BotsProcess:
    """``groupdesk bots`` as a real program, its output read line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    @classmethod
    async def start(cls, *args: str, lang: str = "en") -> BotsProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "GROUPDESK_LANG": lang}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "groupdesk",
            "bots",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        return cls(process)

    async def line_with(self, text: str, timeout: float = 60.0) -> str:
        """The next line of standard output that contains ``text``."""
        assert self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.process.stdout.readline()
                if not raw:
                    raise AssertionError(f"the program ended without printing {text!r}")
                line = raw.decode("utf-8")
                self.lines.append(line)
                if text in line:
                    return line

    async def finish(self, timeout: float = 30.0) -> tuple[int, str, str]:
        """Wait for the exit; returns its code, the rest of its output and its errors."""
        async with asyncio.timeout(timeout):
            out, err = await self.process.communicate()
        code = self.process.returncode
        assert code is not None
        return code, out.decode("utf-8"), err.decode("utf-8")

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
