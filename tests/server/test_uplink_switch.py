"""media_mode auto, live: the registry takes members' uplink reports in a mesh room that
may move to the media server, and moves it once when one member's uplink stays too poor
(the rule is core/uplink.py's). No socket: the registry answers with actions."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from server_harness import run_async, serving

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientUplink,
    ErrorCode,
    FacilitatorHello,
    Inquire,
    Lobby,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    Resume,
    RoomInfo,
    RoomOpened,
    ServerMedia,
    parse_invite_link,
)
from groupdesk.core.uplink import UplinkRule
from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.server.rooms import Action, RoomRegistry, Send, SwitchToSfu


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _of(actions: list[Action], conn: int, kind: type[Any]) -> list[Any]:
    return [
        a.message
        for a in actions
        if isinstance(a, Send) and a.conn == conn and isinstance(a.message, kind)
    ]


class Room:
    """A registry with one mesh room (facilitator ``f``), ``n`` participants seated
    (``seated``) and one waiting (``w``)."""

    def __init__(self, *, watch: bool, seated: int = 3) -> None:
        self.clock = Clock()
        self.reg = RoomRegistry(clock=self.clock, uplink_rule=UplinkRule())
        self.f = self.reg.connect()
        self.reg.authenticate_facilitator(self.f, FacilitatorHello(name="ana", credential="c" * 20))
        opened = self.reg.handle(self.f, OpenRoom(), watch_uplink=watch)
        [self.admitted] = _of(opened, self.f, Admitted)
        self.invite = parse_invite_link(_of(opened, self.f, RoomOpened)[0].invite)
        self.seated: list[int] = []
        for i in range(seated):
            conn = self.reg.connect()
            [lobby] = _of(self.reg.handle(conn, self._hello(f"P{i}")), self.f, Lobby)
            self.reg.handle(self.f, Admit(member=lobby.waiting[-1].member))
            self.seated.append(conn)
        self.w = self.reg.connect()
        self.reg.handle(self.w, self._hello("Waiting"))

    def _hello(self, name: str) -> ParticipantHello:
        return ParticipantHello(room=self.invite.room, secret=self.invite.secret, display_name=name)

    def report(self, conn: int, kbps: int, *, wait: float = 5.0) -> list[Action]:
        self.clock.now += wait
        return self.reg.handle(conn, ClientUplink(kbps=kbps, streams=3))

    def info(self) -> RoomInfo:
        q = self.reg.connect()
        inquire = Inquire(room=self.invite.room, secret=self.invite.secret)
        [info] = _of(self.reg.handle(q, inquire), q, RoomInfo)
        return info


def test_a_members_poor_uplink_moves_an_auto_room_to_the_media_server_once() -> None:
    room = Room(watch=True)
    assert room.admitted.uplink  # the room asks for reports
    slow = room.seated[0]
    assert room.report(slow, 200) == []
    assert room.report(room.seated[1], 5000) == []  # the others are fine
    assert room.report(slow, 200) == []
    assert room.report(slow, 200) == [SwitchToSfu(room.invite.room)]
    assert room.report(slow, 200) == []  # said once
    assert room.info().media == "mesh"  # until Janus has made the VideoRoom

    changes = room.reg.seat_changes
    told = room.reg.switched(room.invite.room)
    everyone = [room.f, *room.seated, room.w]  # the one waiting too: the lobby says it
    assert {a.conn for a in told if isinstance(a, Send)} == set(everyone)
    assert all(
        _of(told, c, ServerMedia) == [ServerMedia(media="sfu", why="uplink")] for c in everyone
    )
    assert room.reg.seat_changes > changes  # Janus tokens for everyone seated
    assert room.reg.seated_members(media="sfu") == {
        room.invite.room: frozenset(room.reg.seated_members()[room.invite.room])
    }
    assert room.info().media == "sfu"  # the lobby's page says how media travel now


def test_after_the_switch_admissions_and_resumes_say_sfu_and_ask_no_reports() -> None:
    room = Room(watch=True)
    for _ in range(3):
        room.report(room.seated[0], 100)
    room.reg.switched(room.invite.room)
    waiting = room.reg.connect()
    hello = ParticipantHello(room=room.invite.room, secret=room.invite.secret, display_name="Late")
    [lobby] = _of(room.reg.handle(waiting, hello), room.f, Lobby)
    [late] = _of(room.reg.handle(room.f, Admit(member=lobby.waiting[-1].member)), waiting, Admitted)
    assert late.media == "sfu"
    assert not late.uplink
    room.reg.disconnect(room.f)
    back = room.reg.connect()
    [resumed] = _of(room.reg.handle(back, Resume(token=room.admitted.resume_token)), back, Admitted)
    assert resumed.media == "sfu"
    assert not resumed.uplink
    # a report already on its way when the room moved is no error: it changes nothing
    assert room.report(room.seated[1], 100) == []


def test_janus_unavailable_keeps_the_mesh_and_tells_the_facilitators_only() -> None:
    room = Room(watch=True)
    for _ in range(3):
        room.report(room.seated[0], 100)
    told = room.reg.switched(room.invite.room, reason=ErrorCode.MEDIA_SERVER_UNAVAILABLE)
    assert {a.conn for a in told if isinstance(a, Send)} == {room.f}
    assert _of(told, room.f, ServerMedia) == [
        ServerMedia(media="mesh", reason="media_server_unavailable")
    ]
    assert room.info().media == "mesh"
    assert room.report(room.seated[0], 100) == []  # no second try: no flicker


@pytest.mark.parametrize(
    ("who", "watch", "code"),
    [
        ("seated", False, ErrorCode.UPLINK_NOT_WATCHED),  # a mesh-policy room
        ("lobby", True, ErrorCode.NOT_ADMITTED),
        ("too_soon", True, ErrorCode.RATE_LIMITED),
    ],
)
def test_reports_are_refused_where_they_mean_nothing(
    who: str, watch: bool, code: ErrorCode
) -> None:
    room = Room(watch=watch)
    assert room.admitted.uplink is watch
    conn = room.w if who == "lobby" else room.seated[0]
    if who == "too_soon":
        room.report(conn, 100)
    with pytest.raises(ProtocolError) as refused:
        room.report(conn, 100, wait=1.0 if who == "too_soon" else 5.0)
    assert refused.value.error_code is code
    # nothing lost: the room goes on as a mesh, and a good report later is taken
    assert room.info().media == "mesh"
    if watch and who != "lobby":
        assert room.report(conn, 100) == []


def test_a_report_is_checked_at_the_edge() -> None:
    for bad in ({"kbps": -1}, {"kbps": 1.5}, {"kbps": True}, {"streams": 0}, {"limited": "yes"}):
        with pytest.raises(ProtocolError):
            ClientUplink(**{"kbps": 100, "streams": 1, **bad})  # type: ignore[arg-type]


# ------------------------------------------------------------ through the real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@run_async
async def test_a_janus_that_cannot_take_the_room_leaves_it_a_mesh_and_the_facilitator_told(
    tmp_path: Path,
) -> None:
    admin = f"http://127.0.0.1:{_free_port()}/admin"  # nothing listens there
    api = f"http://127.0.0.1:{_free_port()}/janus"
    config = ServerConfig(
        sfu=SfuConfig(admin, "x" * 24, "auto", api), uplink=UplinkRule(min_interval_s=0.0)
    )
    async with serving(tmp_path, config) as (_running, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, seat = await net.open_room(ana)
        assert seat.media == "mesh"
        assert seat.uplink
        bea = await net.waiting(opened.invite, "Bea")
        assert (await net.admit(ana, bea)).uplink
        for _ in range(3):
            await bea.send(ClientUplink(kbps=100, streams=1))
        told = await ana.expect(ServerMedia, timeout=10)
        assert told == ServerMedia(media="mesh", reason="media_server_unavailable")
        await bea.silent()  # a participant hears nothing of it: the call goes on
        await bea.send(ClientUplink(kbps=100, streams=1))  # nor is asked again: no flicker
        await ana.silent()
    # a mesh-policy server asks nobody for reports, and refuses one
    (tmp_path / "mesh").mkdir()
    async with serving(tmp_path / "mesh") as (_running, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        _opened, seat = await net.open_room(ana)
        assert not seat.uplink
        await ana.send(ClientUplink(kbps=100, streams=1, ref="u1"))
        assert (await ana.expect_error("uplink_not_watched")).ref == "u1"
