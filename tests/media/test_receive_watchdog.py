"""The receive watchdog on a fake clock: what the mesh reports about a peer whose media
stops arriving (issue 12: a silent drop during a crisis surfaced within 2 s)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged
from groupdesk.media.mesh import Mesh
from groupdesk.media.peer import Peer
from groupdesk.media.watchdog import (
    CHECK_EVERY_S,
    RESUME_AFTER_S,
    STALL_AFTER_S,
    Arrivals,
    ReceiveWatch,
    Verdict,
)

PEER = "member-b"
AUDIO_PER_CHECK = round(CHECK_EVERY_S / 0.02)  # 20 ms frames


class _Nowhere:
    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        raise AssertionError("no signalling in these tests")


@dataclass
class _Pc:
    """What the watchdog reads of a peer connection."""

    connectionState: str = "connected"  # noqa: N815 (aiortc's name)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _Link:
    """The mesh, one connected peer and its counters, checked as the mesh's timer would."""

    def __init__(self) -> None:
        self.clock = _Clock()
        self.mesh = Mesh("member-a", _Nowhere(), stats_interval=None, clock=self.clock)
        self.peer = Peer(PEER, 0, True, _Pc(), watch=ReceiveWatch())  # type: ignore[arg-type]
        self.mesh._peers[PEER] = self.peer
        self.events: list[MediaEvent] = []
        self.mesh.events.subscribe(self.events.append)

    def run(self, seconds: float, *, audio: bool, video: bool = False) -> None:
        """``seconds`` of checks, with audio (and video) frames arriving, or none."""
        for _ in range(round(seconds / CHECK_EVERY_S)):
            self.clock.now += CHECK_EVERY_S
            if audio:
                if self.peer.blocked:
                    self.peer.received.blocked_audio_frames += AUDIO_PER_CHECK
                else:
                    self.peer.received.audio_frames += AUDIO_PER_CHECK
            if video:
                self.peer.received.video_frames += 1
            self.mesh.check_receiving()

    def states(self) -> list[PeerState]:
        return [e.state for e in self.events if isinstance(e, PeerStateChanged)]


def test_a_peer_whose_audio_stops_is_reported_reconnecting() -> None:
    link = _Link()
    link.run(3.0, audio=True)
    link.run(STALL_AFTER_S - 2 * CHECK_EVERY_S, audio=False)
    assert link.states() == []  # a short gap is no drop
    link.run(2 * CHECK_EVERY_S, audio=False)
    assert link.states() == [PeerState.RECONNECTING]
    link.run(30.0, audio=False)
    assert link.states() == [PeerState.RECONNECTING]  # said once


def test_a_stalled_peer_is_connected_again_once_media_flows() -> None:
    link = _Link()
    link.run(2.0, audio=True)
    link.run(2.0, audio=False)
    link.run(RESUME_AFTER_S - CHECK_EVERY_S, audio=True)
    assert link.states() == [PeerState.RECONNECTING]  # not yet: hysteresis
    link.run(CHECK_EVERY_S, audio=True)
    assert link.states() == [PeerState.RECONNECTING, PeerState.CONNECTED]


def test_bursts_through_a_broken_link_do_not_flap() -> None:
    link = _Link()
    link.run(2.0, audio=True)
    link.run(1.5, audio=False)
    for _ in range(10):  # a packet burst now and then, silence between
        link.run(CHECK_EVERY_S, audio=True)
        link.run(1.5, audio=False)
    assert link.states() == [PeerState.RECONNECTING]


def test_a_peer_that_never_sent_audio_raises_no_alarm() -> None:
    link = _Link()  # a page without a microphone, camera off
    link.run(10.0, audio=False)
    link.run(3.0, audio=False, video=True)  # its camera, then off again
    link.run(10.0, audio=False)
    assert link.states() == []


def test_a_muted_member_sends_silence_frames_so_nothing_is_reported() -> None:
    link = _Link()  # muted: frames of silence still come, 50 a second
    link.run(30.0, audio=True)
    assert link.states() == []


def test_a_blocked_peer_is_not_watched_until_its_audio_is_back() -> None:
    link = _Link()
    link.run(2.0, audio=True)
    link.mesh.set_blocked([PEER])  # a side room: it sends us nothing
    link.run(0.2, audio=True)  # what was on its way
    link.run(20.0, audio=False)
    link.mesh.set_blocked([])
    link.run(5.0, audio=False)  # just unblocked, its audio not back yet: grace
    assert link.states() == []
    link.run(1.0, audio=True)
    link.run(STALL_AFTER_S + CHECK_EVERY_S, audio=False)  # back, then lost
    assert link.states() == [PeerState.RECONNECTING]


def test_a_connection_that_is_not_up_is_left_to_ice() -> None:
    link = _Link()
    link.run(2.0, audio=True)
    link.peer.pc.connectionState = "failed"  # type: ignore[misc]  # the mesh restarts it
    link.run(5.0, audio=False)
    assert link.states() == []


def test_a_busy_event_loop_is_not_silence() -> None:
    link = _Link()
    link.run(2.0, audio=True)
    link.clock.now += 3.0  # the loop was held up: frames wait, unread
    link.mesh.check_receiving()
    link.run(CHECK_EVERY_S, audio=True)
    assert link.states() == []


def test_a_mesh_without_the_watchdog_reports_nothing() -> None:
    clock = _Clock()
    mesh = Mesh("member-a", _Nowhere(), stats_interval=None, clock=clock, stall_after=None)
    events: list[MediaEvent] = []
    mesh.events.subscribe(events.append)
    peer = Peer(PEER, 0, True, _Pc())  # type: ignore[arg-type]
    mesh._peers[PEER] = peer
    peer.received.audio_frames = 100
    for _ in range(50):
        clock.now += CHECK_EVERY_S
        mesh.check_receiving()
    assert events == []


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="stall_after"):
        ReceiveWatch(stall_after=0)


def test_the_verdicts_of_one_watch() -> None:
    watch = ReceiveWatch(stall_after=1.0, resume_after=0.2, max_step=0.5)
    assert watch.check(0.0, Arrivals(5, 0), expected=True) is None
    assert watch.check(0.5, Arrivals(5, 0), expected=True) is None
    assert watch.check(1.0, Arrivals(5, 0), expected=True) is Verdict.STALLED
    assert watch.check(1.1, Arrivals(6, 0), expected=True) is None
    assert watch.check(1.2, Arrivals(7, 0), expected=True) is Verdict.RESUMED
