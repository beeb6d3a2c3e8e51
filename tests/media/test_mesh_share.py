"""Screen sharing over the mesh with real aiortc members on loopback: a share travels on
the second video track (the camera goes on), at a size fit for text, to everyone, with
few keyframes; a newcomer gets it; it stops for everyone when it stops."""

from __future__ import annotations

import av
import pytest
from media_helpers import Call, Member, eventually, run

from groupdesk.media.share import SHARE_PROFILE, StillSource

pytestmark = pytest.mark.slow


def _page(width: int = 1600, height: int = 900) -> av.VideoFrame:
    """A document's page: wider than the share's profile, so it is fitted."""
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    plane.update(bytes([240]) * plane.buffer_size)
    return frame


def _others(call: Call, sharer: Member) -> list[Member]:
    return [m for m in call.members if m is not sharer]


def test_a_share_reaches_everyone_on_its_own_track_and_stops_for_everyone() -> None:
    async def scenario() -> None:
        async with Call(3, stats_interval=None) as call:
            sharer = call.members[0]
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 5, what="cameras")
            source = StillSource(_page())
            await sharer.mesh.set_share(source)
            assert sharer.mesh.sharing

            def shared(count: int) -> bool:
                return all(m.recorder.shares[sharer.id] >= count for m in _others(call, sharer))

            await eventually(lambda: shared(10), 60, what="the share at everyone's")
            for member in _others(call, sharer):
                # fitted to 1280x720 for text, aspect kept; the camera still comes as it was
                assert member.recorder.share_sizes[sharer.id] == (1280, 720)
                assert member.recorder.sizes[sharer.id] == (320, 180)
                assert member.recorder.shares[member.id] == 0  # nobody else shares
            fanout = sharer.mesh.share_fanout
            assert fanout is not None
            assert fanout.profile == SHARE_PROFILE
            # one keyframe for each peer that joined the share, none for a still page
            assert fanout.keyframes_encoded <= 3 < fanout.frames_encoded

            await sharer.mesh.set_share(None)
            source.stop()
            assert not sharer.mesh.sharing
            assert all(p.share_track is None for p in sharer.mesh.peers.values())
            # the cameras go on; the share does not come back
            stopped = {m.id: m.recorder.shares[sharer.id] for m in _others(call, sharer)}
            cameras = {m.id: m.recorder.video[sharer.id] for m in _others(call, sharer)}
            await eventually(
                lambda: all(
                    m.recorder.video[sharer.id] >= cameras[m.id] + 15 for m in _others(call, sharer)
                ),
                60,
                what="more camera frames after the share stopped",
            )
            for member in _others(call, sharer):
                assert member.recorder.shares[sharer.id] <= stopped[member.id] + 2  # in flight

    run(scenario())
