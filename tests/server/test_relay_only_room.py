"""A relay-only room: the server tells every member, and relays no address but the relay's."""

from __future__ import annotations

from typing import Any

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientSignal,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    ServerSignal,
    parse_invite_link,
)
from groupdesk.server.rooms import Action, RoomRegistry, Send

HOST = "a=candidate:1 1 udp 2130706431 192.168.1.23 50000 typ host\r\n"
SRFLX = (
    "a=candidate:2 1 udp 1694498815 203.0.113.7 61000 typ srflx raddr 192.168.1.23 rport 50000\r\n"
)
RELAY = (
    "a=candidate:3 1 udp 16777215 198.51.100.9 49170 typ relay raddr 203.0.113.7 rport 61000\r\n"
)
OFFER = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    "m=audio 50000 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 192.168.1.23\r\n"
    "a=rtcp:50000 IN IP4 192.168.1.23\r\n" + HOST + SRFLX + RELAY
)


def _of(actions: list[Action], conn: int, kind: type[Any]) -> list[Any]:
    return [
        a.message
        for a in actions
        if isinstance(a, Send) and a.conn == conn and isinstance(a.message, kind)
    ]


def _room(relay_only: bool) -> tuple[RoomRegistry, int, Admitted, int, Admitted]:
    """A facilitator and one admitted participant, in a room relay-only or not."""
    reg = RoomRegistry()
    f = reg.connect()
    reg.authenticate_facilitator(f, FacilitatorHello(name="ana", credential="c" * 20))
    opened = reg.handle(f, OpenRoom(relay_only=relay_only))
    [fseat] = _of(opened, f, Admitted)
    invite = parse_invite_link(_of(opened, f, RoomOpened)[0].invite)
    p = reg.connect()
    hello = ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea")
    member = _of(reg.handle(p, hello), f, Lobby)[0].waiting[0].member
    [pseat] = _of(reg.handle(f, Admit(member=member)), p, Admitted)
    return reg, f, fseat, p, pseat


def test_every_member_of_a_relay_only_room_is_told_to_use_the_relay_alone() -> None:
    _, _, fseat, _, pseat = _room(relay_only=True)
    assert fseat.ice_transport_policy == pseat.ice_transport_policy == "relay"
    _, _, fseat, _, pseat = _room(relay_only=False)
    assert fseat.ice_transport_policy == pseat.ice_transport_policy == "all"


def test_a_relay_only_room_relays_no_address_but_the_relay_s() -> None:
    reg, f, _, p, pseat = _room(relay_only=True)
    payload = {"type": "media.offer", "gen": 0, "sdp": OFFER}
    [relayed] = _of(
        reg.handle(p, ClientSignal(to=_seat_of(reg, f), payload=payload)), f, ServerSignal
    )
    sdp = relayed.payload["sdp"]
    assert "192.168.1.23" not in sdp
    assert "203.0.113.7" not in sdp
    assert "198.51.100.9 49170 typ relay raddr 0.0.0.0 rport 0" in sdp
    assert "c=IN IP4 0.0.0.0\r\n" in sdp
    assert "a=rtcp:50000 IN IP4 0.0.0.0\r\n" in sdp
    # a trickled host candidate is not relayed at all; a relay one is, blanked
    host = {"type": "media.candidate", "gen": 0, "candidate": HOST[2:].strip(), "sdpMid": "0"}
    assert reg.handle(p, ClientSignal(to=_seat_of(reg, f), payload=host)) == []
    relay = {**host, "candidate": RELAY[2:].strip()}
    [late] = _of(reg.handle(p, ClientSignal(to=_seat_of(reg, f), payload=relay)), f, ServerSignal)
    assert late.payload["candidate"].endswith("typ relay raddr 0.0.0.0 rport 0")
    assert pseat.member == late.sender


def test_an_ordinary_room_relays_signals_as_they_are() -> None:
    reg, f, _, p, _ = _room(relay_only=False)
    payload = {"type": "media.offer", "gen": 0, "sdp": OFFER}
    [relayed] = _of(
        reg.handle(p, ClientSignal(to=_seat_of(reg, f), payload=payload)), f, ServerSignal
    )
    assert relayed.payload == payload


def _seat_of(reg: RoomRegistry, conn: int) -> str:
    member = reg._conns[conn].member
    assert member is not None
    return member
