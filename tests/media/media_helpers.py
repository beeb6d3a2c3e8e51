"""Helpers for media tests: a call of N real aiortc members on loopback, and a recording sink."""

from __future__ import annotations

import asyncio
import time
from array import array
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

import av

from groupdesk.media.events import AudioLevel, MediaEvent, PeerStats, VoiceActivity
from groupdesk.media.loopback import LoopbackRoom
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource, read_frame_stamp

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
    """Run one scenario on a fresh event loop, with an overall time limit."""

    async def bounded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(bounded())


async def eventually(
    check: Callable[[], bool], timeout: float = 30.0, interval: float = 0.1, what: str = ""
) -> None:
    """Wait until ``check()`` holds (no timing is asserted: the limit only ends a hung test)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(interval)


def speech_frame(pts: int) -> av.AudioFrame:
    """20 ms of a loud square wave (mono 48 kHz) at ``pts``: heard, and speech to the VAD."""
    frame = av.AudioFrame(format="s16", layout="mono", samples=960)
    frame.planes[0].update(array("h", [12_000, -12_000] * 480).tobytes())
    frame.sample_rate, frame.pts, frame.time_base = 48_000, pts, Fraction(1, 48_000)
    return frame


@dataclass
class Recorder:
    """A media sink that remembers what arrived from whom."""

    video: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    keyframes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    audio: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    stamps: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    read_stamps: bool = False
    shares: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    share_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.video[member_id] += 1
        if frame.key_frame:
            self.keyframes[member_id] += 1
        self.sizes[member_id] = (frame.width, frame.height)
        if self.read_stamps and read_frame_stamp(frame) is not None:
            self.stamps[member_id] += 1

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio[member_id] += 1

    def share_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.shares[member_id] += 1
        self.share_sizes[member_id] = (frame.width, frame.height)


@dataclass
class Member:
    """One member of a test call: its mesh, what it received and the events it saw."""

    mesh: Mesh
    recorder: Recorder
    events: list[MediaEvent]
    video_source: TestPatternSource | None = None
    audio_source: SpeechLikeAudioSource | None = None

    @property
    def id(self) -> str:
        return self.mesh.local_id

    def levels_from(self, member_id: str) -> list[AudioLevel]:
        return [e for e in self.events if isinstance(e, AudioLevel) and e.member_id == member_id]

    def speaking_from(self, member_id: str) -> list[VoiceActivity]:
        return [e for e in self.events if isinstance(e, VoiceActivity) and e.member_id == member_id]

    def stats_from(self, member_id: str) -> list[PeerStats]:
        return [e for e in self.events if isinstance(e, PeerStats) and e.member_id == member_id]


class Call:
    """N members with test patterns and speech-like audio, joined through a loopback room."""

    def __init__(
        self,
        size: int,
        *,
        width: int = 320,
        height: int = 180,
        fps: int = 15,
        video: bool = True,
        **mesh_options: Any,
    ) -> None:
        self.room = LoopbackRoom()
        self._video = (width, height, fps) if video else None
        self._mesh_options = mesh_options
        self.members: list[Member] = [self._member(f"member-{i}", i) for i in range(size)]

    def _member(self, member_id: str, seed: int) -> Member:
        recorder = Recorder()
        events: list[MediaEvent] = []
        video_source = TestPatternSource(member_id, *self._video) if self._video else None
        audio_source = SpeechLikeAudioSource(seed=seed, talk_ratio=1.0)
        mesh = Mesh(
            member_id,
            self.room.channel(member_id),
            video=video_source,
            audio=audio_source,
            sink=recorder,
            share_sink=recorder,
            **self._mesh_options,
        )
        mesh.events.subscribe(events.append)
        return Member(mesh, recorder, events, video_source, audio_source)

    async def restart_member(self, index: int) -> Member:
        """Kill member ``index``'s program (no goodbye, on any line) and start a new one that
        resumes the same seat; returns the new member, which takes the old one's place."""
        old = self.members[index]
        await self.room.drop(old.id)
        await kill_network(old.mesh)
        await old.mesh.close()  # frees its resources; nothing of it reaches the others now
        new = self._member(old.id, seed=len(self.members) + index)
        self.members[index] = new
        await self.room.resume(new.id, new.mesh)
        return new

    async def __aenter__(self) -> Call:
        for member in self.members:
            await self.room.join(member.id, member.mesh)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for member in self.members:
            await member.mesh.close()
        await self.room.close()

    async def wait_all(
        self, check: Callable[[Member, Member], bool], timeout: float = 60.0, what: str = ""
    ) -> None:
        """Wait until ``check(receiver, sender)`` holds for every ordered pair."""

        def every_pair() -> bool:
            return all(
                check(receiver, sender)
                for receiver in self.members
                for sender in self.members
                if receiver is not sender
            )

        await eventually(every_pair, timeout, what=what)


async def kill_network(mesh: Mesh) -> None:
    """Close the sockets under every connection of ``mesh`` without a word to the other
    side (no DTLS close_notify can go out after this), as a killed process would."""
    for peer in mesh.peers.values():
        for transceiver in peer.pc.getTransceivers():
            ice = transceiver.receiver.transport.transport
            await ice._connection.close()


async def gather(*aws: Awaitable[Any]) -> list[Any]:
    return list(await asyncio.gather(*aws))
