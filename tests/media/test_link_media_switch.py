"""The link follows a room whose media move to the media server while open (media_mode
auto): it reports our uplink while the room asks for it, and on ``media`` ``sfu`` closes
the mesh and makes the room's new call, with everyone the mesh knew, without rejoining.
Real aiortc calls, a fake signalling session (what goes on the wire is recorded). The
whole room through a real Janus, with a page, is tests/web/test_sfu_page.py's."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from media_helpers import eventually, run

from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    ClientSfu,
    ClientUplink,
    MemberInfo,
    ServerMedia,
    ServerMessage,
)
from groupdesk.media.call import MediaCall
from groupdesk.media.events import PeerStats
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.mesh import Mesh
from groupdesk.media.quality import LADDER, below_group_profile, uplink_reading
from groupdesk.media.sfu import SfuCall
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource

ME, BEA, CAI = "a00000000001", "b00000000002", "c00000000003"


class Session:
    """The signalling client as the link uses it: what it sends, recorded."""

    def __init__(self) -> None:
        self.sent: list[ClientMessage] = []
        self.signals: list[tuple[str, dict[str, Any]]] = []
        self.listeners: list[Callable[[ServerMessage], Awaitable[None] | None]] = []

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        self.signals.append((to_member_id, payload))

    async def send(self, message: ClientMessage, /) -> None:
        self.sent.append(message)

    def on_message(
        self, callback: Callable[[ServerMessage], Awaitable[None] | None], /
    ) -> Callable[[], None]:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)


def _admitted(*, uplink: bool, media: str = "mesh") -> Admitted:
    members = tuple(MemberInfo(m, m, "participant") for m in (ME, BEA, CAI))
    return Admitted(
        room="room-0001",
        member=ME,
        role="participant",
        members=members,
        ice_servers=(),
        resume_token="t" * 32,
        grace_seconds=60,
        ice_transport_policy="relay",
        media=media,  # type: ignore[arg-type]
        uplink=uplink,
    )


def _stats(member: str, estimate: int | None, sent: int) -> PeerStats:
    return PeerStats(member, 0.02, 0.0, 10.0, 0, sent, estimate, 0.0)


def test_the_link_swaps_its_mesh_for_an_sfu_call_and_stops_reporting() -> None:
    async def scenario() -> None:
        session = Session()
        made: list[Admitted] = []
        audio = SpeechLikeAudioSource(seed=1)
        video = TestPatternSource("Me", 160, 90, 10)

        def make(admitted: Admitted) -> MediaCall:
            made.append(admitted)
            return make_call(admitted, session, audio=audio, video=video)

        link = MeshLink(session, make, report_every=0.05)
        try:
            await link.handle(_admitted(uplink=True))
            mesh = link.mesh
            assert isinstance(mesh, Mesh)
            assert mesh.members == {BEA, CAI}
            mesh.events.emit(_stats(BEA, 200_000, 400_000))  # congested: a ceiling
            mesh.events.emit(_stats(CAI, 250_000, 400_000))
            await eventually(lambda: any(isinstance(m, ClientUplink) for m in session.sent))
            [report] = [m for m in session.sent if isinstance(m, ClientUplink)]
            assert report == ClientUplink(kbps=450, streams=2, limited=True)
            # audio only, and Cai on the other side of a side room: so in the new call too
            mesh.set_send_video(False)
            await mesh.set_receive_video(False)
            mesh.set_blocked({CAI})

            await link.handle(ServerMedia(media="sfu", why="uplink"))
            call = link.mesh
            assert isinstance(call, SfuCall)
            assert mesh.peers == {}  # the mesh's connections are closed
            assert made[-1] == dataclasses.replace(
                _admitted(uplink=True), media="sfu", ice_transport_policy="all", uplink=False
            )
            assert call.members == {BEA, CAI}  # nobody rejoined
            assert (call.send_video, call.receive_video, call.blocked) == (False, False, {CAI})
            # it publishes our microphone to the media server, and reports no more
            await eventually(lambda: any(isinstance(m, ClientSfu) for m in session.sent))
            offer = next(m for m in session.sent if isinstance(m, ClientSfu))
            assert (offer.feed, offer.kind) == (ME, "offer")
            reports = len([m for m in session.sent if isinstance(m, ClientUplink)])
            call.events.emit(_stats(BEA, 10_000, 400_000))
            await link.handle(ServerMedia(media="sfu", why="uplink"))  # said twice: nothing
            assert link.mesh is call
            await link.handle(_admitted(uplink=False, media="sfu"))  # a resume: the same call
            assert link.mesh is call
            assert len([m for m in session.sent if isinstance(m, ClientUplink)]) == reports
        finally:
            await link.stop()

    run(scenario(), timeout=60)


def test_a_resume_into_a_room_that_moved_meanwhile_takes_its_new_call() -> None:
    async def scenario() -> None:
        session = Session()
        link = MeshLink(session, lambda admitted: make_call(admitted, session))
        try:
            await link.handle(_admitted(uplink=True))
            assert isinstance(link.mesh, Mesh)
            await link.handle(_admitted(uplink=False, media="sfu"))  # we missed ``media``
            assert isinstance(link.mesh, SfuCall)
            assert link.mesh.members == {BEA, CAI}
            # the facilitators' notice that the room stays a mesh changes no call
            session2 = Session()
            link2 = MeshLink(session2, lambda admitted: make_call(admitted, session2))
            await link2.handle(_admitted(uplink=True))
            mesh = link2.mesh
            await link2.handle(ServerMedia(media="mesh", reason="media_server_unavailable"))
            assert link2.mesh is mesh
            await link2.stop()
        finally:
            await link.stop()

    run(scenario(), timeout=60)


def test_the_uplink_reading_is_a_ceiling_only_when_something_limits_it() -> None:
    assert uplink_reading([], stepped_down=False) is None
    assert uplink_reading([(None, 300_000)], stepped_down=False) is None  # no estimate yet
    # a simple picture sends little: the estimate follows it, and says nothing of a ceiling
    fine = uplink_reading([(130_000, 100_000), (900_000, 100_000)], stepped_down=False)
    assert fine is not None
    assert (fine.kbps, fine.streams, fine.limited) == (1030, 2, False)
    # every link congested (their estimates below what we send): our uplink is the limit
    congested = uplink_reading([(200_000, 400_000), (150_000, 400_000)], stepped_down=False)
    assert congested is not None
    assert congested.limited
    # one receiver's downlink alone is not our uplink
    one = uplink_reading([(200_000, 400_000), (900_000, 400_000)], stepped_down=False)
    assert one is not None
    assert not one.limited
    stepped = uplink_reading([(300_000, 260_000)], stepped_down=True)
    assert stepped is not None
    assert stepped.limited
    assert below_group_profile(None, 3)
    assert below_group_profile(LADDER[1], 3)
    assert not below_group_profile(LADDER[1], 5)
