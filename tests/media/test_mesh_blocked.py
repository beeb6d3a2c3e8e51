"""Blocked members (the private side room) with real aiortc members on loopback: the
two sides of a side room exchange no media at all, each keeps hearing and seeing its
own side, and once unblocked everyone receives everyone again, without reconnecting."""

from __future__ import annotations

import pytest
from media_helpers import Call, Member, eventually, run

from groupdesk.media.events import AudioLevel, PeerState, PeerStateChanged, VoiceActivity

pytestmark = pytest.mark.slow


def _decoded(receiver: Member, sender: Member) -> tuple[int, int]:
    """Video and audio frames decoded from ``sender`` on this connection, shown or not."""
    got = receiver.mesh.peers[sender.id].received
    return (
        got.video_frames + got.blocked_video_frames,
        got.audio_frames + got.blocked_audio_frames,
    )


def _shown(receiver: Member, sender: Member) -> tuple[int, int]:
    """What reached the sink (the tiles and the speakers)."""
    return receiver.recorder.video[sender.id], receiver.recorder.audio[sender.id]


def _keyframes_sent(sender: Member, receiver: Member) -> int:
    track = sender.mesh.peers[receiver.id].video_track
    assert track is not None
    return track.keyframes_sent


def _apart(call: Call, pair: set[str]) -> list[tuple[Member, Member]]:
    return [(r, s) for r in call.members for s in call.members if (r.id in pair) != (s.id in pair)]


def _together(call: Call, pair: set[str]) -> list[tuple[Member, Member]]:
    return [
        (r, s)
        for r in call.members
        for s in call.members
        if r is not s and (r.id in pair) == (s.id in pair)
    ]


async def _each_gets_more(
    links: list[tuple[Member, Member]], video: int, audio: int, what: str
) -> None:
    """Wait until every (receiver, sender) link decoded ``video`` and ``audio`` more frames:
    time enough, counted in frames, for what was in flight to land."""
    start = {(r.id, s.id): _decoded(r, s) for r, s in links}

    def done() -> bool:
        return all(
            _decoded(r, s)[0] >= start[r.id, s.id][0] + video
            and _decoded(r, s)[1] >= start[r.id, s.id][1] + audio
            for r, s in links
        )

    await eventually(done, 60, what=what)


def test_a_side_room_isolates_both_sides_and_everyone_is_together_after() -> None:
    async def scenario() -> None:
        async with Call(4, stats_interval=None) as call:
            await call.wait_all(
                lambda r, s: _shown(r, s) >= (10, 25), what="audio and video from everyone"
            )
            pair = {call.members[0].id, call.members[1].id}  # a facilitator and a member
            apart, together = _apart(call, pair), _together(call, pair)
            connections = {m.id: dict(m.mesh.peers) for m in call.members}
            for member in call.members:
                others = pair if member.id not in pair else {m.id for m in call.members} - pair
                member.mesh.set_blocked(others)
            shown = {(r.id, s.id): _shown(r, s) for r, s in apart}
            seen = {m.id: len(m.events) for m in call.members}

            # settle: each side receives its own side for a while, in-flight frames land
            await _each_gets_more(together, 15, 50, "the settle, counted in frames")
            during = {(r.id, s.id): _decoded(r, s) for r, s in apart}
            await _each_gets_more(together, 30, 100, "two seconds of media on each side")
            # nothing went over the wire between the sides (the senders sent nothing)...
            assert {(r.id, s.id): _decoded(r, s) for r, s in apart} == during
            # ...and nothing reached a tile or a speaker from the moment it was blocked
            assert {(r.id, s.id): _shown(r, s) for r, s in apart} == shown
            # ...nor a level meter: no level, nobody starts speaking across the sides
            for receiver, sender in apart:
                heard = [
                    e
                    for e in receiver.events[seen[receiver.id] :]
                    if isinstance(e, AudioLevel | VoiceActivity) and e.member_id == sender.id
                ]
                assert all(isinstance(e, VoiceActivity) and not e.speaking for e in heard)

            keyframes = {(r.id, s.id): _keyframes_sent(s, r) for r, s in apart}
            for member in call.members:
                member.mesh.set_blocked(())
            await eventually(
                lambda: all(
                    _shown(r, s)[0] >= shown[r.id, s.id][0] + 10
                    and _shown(r, s)[1] >= shown[r.id, s.id][1] + 25
                    and _keyframes_sent(s, r) > keyframes[r.id, s.id]
                    for r, s in apart
                ),
                60,
                what="everyone receives everyone again, from a keyframe",
            )
            # the same connections throughout: no renegotiation, no restart
            assert {m.id: dict(m.mesh.peers) for m in call.members} == connections
            assert all(not m.mesh.restarts for m in call.members)
            # and nobody was said to have dropped: the receive watchdog expects nothing from
            # across a side room, and after it waits until their audio is back
            assert [
                (m.id, e)
                for m in call.members
                for e in m.events[seen[m.id] :]
                if isinstance(e, PeerStateChanged) and e.state is not PeerState.CONNECTED
            ] == []

    run(scenario(), timeout=180)


def test_a_connection_made_while_blocked_starts_blocked() -> None:
    async def scenario() -> None:
        call = Call(3, stats_interval=None)
        aside, outsider, other = call.members
        aside.mesh.set_blocked({outsider.id, other.id})
        outsider.mesh.set_blocked({aside.id})
        other.mesh.set_blocked({aside.id})
        async with call:
            await eventually(
                lambda: _shown(outsider, other) >= (10, 25) and _shown(other, outsider) >= (10, 25),
                60,
                what="the two outsiders hear and see each other",
            )
            await _each_gets_more([(outsider, other), (other, outsider)], 15, 50, "a settle")
            for receiver, sender in _apart(call, {aside.id}):
                assert _decoded(receiver, sender) == (0, 0)
                assert _shown(receiver, sender) == (0, 0)
            assert not outsider.levels_from(aside.id)
            assert not aside.speaking_from(outsider.id)
            for member in call.members:
                member.mesh.set_blocked(())
            await call.wait_all(lambda r, s: _shown(r, s) >= (10, 25), what="everyone, after")

    run(scenario(), timeout=150)
