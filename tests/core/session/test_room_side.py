"""The private side room in the room's core: who is aside, whose media each app leaves
alone (on both sides), a newcomer told, the journal (ids only), controls from
facilitators only."""

from __future__ import annotations

from datetime import UTC, datetime

from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import SideRoomEntry
from groupdesk.core.models import Member
from groupdesk.core.protocol import (
    Admitted,
    ClientApp,
    Lobby,
    LobbyEntry,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    Role,
    ServerApp,
    SideRoom,
)
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import (
    Ignored,
    Journal,
    MediaReach,
    RoomOutput,
    Send,
)
from groupdesk.core.session.room_side import SIDE_ROOM_REMINDER_S
from groupdesk.core.session.room_state import LiveStage

ROOM = "room-0001"
ME, CO = "f00000000001", "f00000000002"
ANA, BEN, ZOE = "a00000000001", "b00000000002", "c00000000003"
WHEN = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)


def _info(seat: str, name: str, role: Role = "participant") -> MemberInfo:
    return MemberInfo(member=seat, display_name=name, role=role)


def _room(me: str, role: Role, clock: FakeClock | None = None) -> Room:
    """``me``'s app in a room with a facilitator (ME), a co-facilitator (CO), Ana and Ben."""
    room = Room(clock=clock or FakeClock(), wall=lambda: WHEN)
    room.start(role)
    if role == "facilitator" and me == ME:
        room.know_group([Member(id=1, group_id=1, display_name="Ana")], expected=[1])
        room.receive(Lobby(room=ROOM, waiting=(LobbyEntry(ANA, "Ana", {}, 0.0),)))
        room.admit(ANA)  # no questions asked: admitted as member 1
    room.set_stage(LiveStage.LIVE)
    others = [
        _info(s, n, r)
        for s, n, r in (
            (ME, "Julie", "facilitator"),
            (CO, "Eve", "facilitator"),
            (ANA, "Ana", "participant"),
            (BEN, "Ben", "participant"),
        )
        if s != me
    ]
    room.receive(
        Admitted(
            room=ROOM,
            member=me,
            role=role,
            members=(_info(me, "Me", role), *others),
            ice_servers=(),
            resume_token="t" * 16,
            grace_seconds=60.0,
        )
    )
    return room


def _reach(outputs: list[RoomOutput]) -> list[frozenset[str]]:
    return [out.blocked for out in outputs if isinstance(out, MediaReach)]


def test_the_facilitator_steps_aside_with_a_member_and_comes_back() -> None:
    room = _room(ME, "facilitator")
    out = room.open_side_room(ANA)
    assert [o.message for o in out if isinstance(o, Send)] == [
        ClientApp(event=SideRoom(members=(ME, ANA)))
    ]
    assert _reach(out) == [frozenset({CO, BEN})]  # we leave the others alone
    assert [o.entry for o in out if isinstance(o, Journal)] == [
        SideRoomEntry("side_room.entered", ANA, 1, ME)
    ]
    assert room.side.aside(ANA)
    assert room.open_side_room(ME) == []  # not with oneself

    # a newcomer is kept away and told
    out = room.receive(MemberJoined(member=_info(ZOE, "Zoé")))
    assert _reach(out) == [frozenset({CO, BEN, ZOE})]
    assert Send(ClientApp(event=SideRoom(members=tuple(sorted((ME, ANA)))))) in out

    out = room.close_side_room()
    assert [o.message for o in out if isinstance(o, Send)] == [ClientApp(event=SideRoom())]
    assert _reach(out) == [frozenset()]
    assert [o.entry for o in out if isinstance(o, Journal)] == [
        SideRoomEntry("side_room.left", ANA, 1, ME)
    ]
    assert room.close_side_room() == []  # nobody aside any more


def test_every_app_leaves_the_other_side_alone() -> None:
    aside = SideRoom(members=(ME, ANA))
    ben = _room(BEN, "participant")
    assert _reach(ben.receive(ServerApp(sender=ME, event=aside))) == [frozenset({ME, ANA})]
    ana = _room(ANA, "participant")
    assert _reach(ana.receive(ServerApp(sender=ME, event=aside))) == [frozenset({CO, BEN})]
    co = _room(CO, "facilitator")  # the co-facilitator goes on with the group
    assert _reach(co.receive(ServerApp(sender=ME, event=aside))) == [frozenset({ME, ANA})]
    assert [o for o in co.receive(ServerApp(sender=ME, event=aside))] == []  # said twice
    assert _reach(ben.receive(ServerApp(sender=ME, event=SideRoom()))) == [frozenset()]


def test_a_side_room_from_a_participant_is_ignored() -> None:
    ben = _room(BEN, "participant")
    out = ben.receive(ServerApp(sender=ANA, event=SideRoom(members=(ANA, BEN))))
    assert out == [Ignored(ANA, "side_room", "not_a_facilitator")]
    assert not ben.side.active


def test_the_side_room_closes_when_one_of_the_pair_leaves() -> None:
    room = _room(ME, "facilitator")
    room.open_side_room(ANA)
    out = room.receive(MemberLeft(member=ANA, reason="left"))
    assert Send(ClientApp(event=SideRoom())) in out  # everyone together again, told
    assert _reach(out) == [frozenset()]
    assert not room.side.active
    ben = _room(BEN, "participant")
    ben.receive(ServerApp(sender=ME, event=SideRoom(members=(ME, ANA))))
    out = ben.receive(MemberLeft(member=ANA, reason="removed"))
    assert _reach(out) == [frozenset()]  # a participant's app does not wait to be told


def test_the_opener_tells_everyone_again_every_few_seconds() -> None:
    clock = FakeClock()
    room = _room(ME, "facilitator", clock)
    assert room.side_room_reminder() == []  # nothing open
    room.open_side_room(ANA)
    clock.advance(SIDE_ROOM_REMINDER_S - 0.1)
    assert room.side_room_reminder() == []
    clock.advance(0.1)
    told = Send(ClientApp(event=SideRoom(members=tuple(sorted((ME, ANA))))))
    assert room.side_room_reminder() == [told]  # a page that reloaded meanwhile learns it
    assert room.side_room_reminder() == []
    co = _room(CO, "facilitator", clock)
    co.receive(ServerApp(sender=ME, event=SideRoom(members=(ME, ANA))))
    clock.advance(60)
    assert co.side_room_reminder() == []  # the one who opened it tells
    room.close_side_room()
    assert room.side_room_reminder() == []


def test_members_across_the_side_room_are_not_taken_for_frozen() -> None:
    from groupdesk.core.call_quality import FROZEN_AFTER_S
    from groupdesk.core.session.room_events import MemberChanged
    from groupdesk.core.session.room_state import PeerState

    clock = FakeClock()
    ben = _room(BEN, "participant", clock)
    for seat in (ME, ANA, CO):
        ben.link(seat, PeerState.CONNECTED)
        ben.frame(seat)
    ben.receive(ServerApp(sender=ME, event=SideRoom(members=(ME, ANA))))
    clock.advance(FROZEN_AFTER_S + 1)  # no picture from anyone since
    # only the co-facilitator, who is on our side, is frozen; the pair is just away
    assert ben.tick() == [MemberChanged(CO)]
