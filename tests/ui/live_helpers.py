"""Helpers for the live-session tests: a log with a prepared session, synthetic peers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from groupdesk.core.models import Member, Session
from groupdesk.core.protocol import RoomInfo
from groupdesk.media.sources import (
    AudioSource,
    SpeechLikeAudioSource,
    TestPatternSource,
    VideoSource,
)
from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.live_entry import AnswerRoom
from groupdesk.ui.live_session import LiveSession, LiveStage

#: Small video for tests on a shared two-core machine.
WIDTH, HEIGHT, FPS = 320, 180, 10


def synthetic(name: str, seed: int = 0) -> Callable[[], tuple[VideoSource, AudioSource]]:
    """A sources factory: a test pattern with ``name`` and speech-like audio."""

    def make() -> tuple[VideoSource, AudioSource]:
        return (
            TestPatternSource(name, WIDTH, HEIGHT, fps=FPS),
            SpeechLikeAudioSource(seed=seed, talk_ratio=0.6),
        )

    return make


async def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the loop run until ``predicate()`` holds."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def prepared_log(
    data_dir: Path, names: list[str]
) -> tuple[SessionLog, Session, list[Member]]:
    """A new log with one group of ``names`` and a session prepared for all of them."""
    log = await SessionLog.open(data_dir, KeyStore(data_dir).create().key)
    group = await log.create_group("Proches aidants")
    members = [await log.add_member(group.id, name) for name in names]
    start = datetime.now(UTC)
    session = await log.create_session(
        group.id,
        start,
        start + timedelta(hours=2),
        facilitators=["Julie Tremblay"],
        expected_member_ids=[m.id for m in members],
    )
    return log, session, members


async def knock(
    invite: str, name: str, seed: int = 0, *, also: Mapping[str, Any] | None = None
) -> LiveSession:
    """A participant (the desktop app's participant mode) waiting in the lobby, having
    met every required item of the default checklist (headphones: every other one);
    ``also``: more answers (a consent's version...)."""
    peer = LiveSession()
    declared: dict[str, Any] = {
        "private_place": True,
        "alone": True,
        "headphones": seed % 2 == 0,
        "no_recording": True,
        "group_rules": True,
        "location": "Trois-Rivières, Mauricie",
        "phone": f"819-555-01{seed % 100:02d}",
        **(also or {}),
    }
    assert await peer.join(invite, name, declared=declared, sources=synthetic(name, seed))
    assert peer.stage is LiveStage.WAITING
    return peer


#: Answers meeting every required item of the default checklist.
MET_ANSWERS: Mapping[str, Any] = {
    "private_place": True,
    "alone": True,
    "headphones": True,
    "no_recording": True,
    "group_rules": True,
    "location": "Trois-Rivières, Mauricie",
    "phone": "819-555-0142",
}


def answering(declared: Mapping[str, Any] = MET_ANSWERS) -> AnswerRoom:
    """A participant window's answers to the room's questions, given without the dialog
    (``MainWindow.live_answers``), for the tests that are not about the questions: by
    default, every required item of the default checklist met."""

    async def answer(_info: RoomInfo) -> Mapping[str, Any]:
        return dict(declared)

    return answer
