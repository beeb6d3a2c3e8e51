"""Screen sharing in the room's core: who may share (a facilitator always, a participant
while allowed), a share ended when the permission is taken back, a participant acting as
a facilitator ignored, a newcomer told, and the journal (who, when, what kind; never the
content or a document's name)."""

from __future__ import annotations

from datetime import UTC, datetime

from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import ShareEntry, SharePermissionEntry, entry_row
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
    Share,
    SharePermission,
)
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import Ignored, Journal, RoomOutput, Send, ShareChanged
from groupdesk.core.session.room_state import LiveStage
from groupdesk.core.session.share import ShareBoard, ShownShare, may_share

ROOM = "room-0001"
ME, CO = "f00000000001", "f00000000002"
ANA, BEN, ZOE = "a00000000001", "b00000000002", "c00000000003"
WHEN = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)


def _info(seat: str, name: str, role: Role = "participant") -> MemberInfo:
    return MemberInfo(member=seat, display_name=name, role=role)


def _room(me: str, role: Role) -> Room:
    """``me``'s app in a room with a facilitator (ME), a co-facilitator (CO), Ana and Ben."""
    room = Room(clock=FakeClock(), wall=lambda: WHEN)
    room.start(role)
    if role == "facilitator" and me == ME:
        room.know_group([Member(id=1, group_id=1, display_name="Ana")], expected=[1])
        room.receive(Lobby(room=ROOM, waiting=(LobbyEntry(ANA, "Ana", {}, 0.0),)))
        room.admit(ANA)  # admitted as group member 1
    room.set_stage(LiveStage.LIVE)
    people = ((ME, "Julie", "facilitator"), (CO, "Eve", "facilitator"))
    people += ((ANA, "Ana", "participant"), (BEN, "Ben", "participant"))
    others = [_info(s, n, r) for s, n, r in people if s != me]  # type: ignore[arg-type]
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


def _sent(outputs: list[RoomOutput]) -> list[object]:
    return [
        o.message.event for o in outputs if isinstance(o, Send) and isinstance(o.message, ClientApp)
    ]


def _journal(outputs: list[RoomOutput]) -> list[object]:
    return [o.entry for o in outputs if isinstance(o, Journal)]


def _app(room: Room, sender: str, event: Share | SharePermission) -> list[RoomOutput]:
    return room.receive(ServerApp(sender=sender, event=event))


def test_the_rule_a_facilitator_always_a_participant_while_allowed() -> None:
    assert may_share("facilitator", ME, ())
    assert not may_share("participant", ANA, ())
    assert may_share("participant", ANA, (ANA,))
    assert not may_share(None, ANA, (ANA,))  # not seated: never


def test_the_share_started_last_is_shown_and_the_one_before_comes_back() -> None:
    board = ShareBoard(allowed=frozenset({ANA}))
    assert board.start(ANA, "participant", "screen")
    assert board.start(ME, "facilitator", "document")
    assert board.shown == ShownShare(ME, "document")
    board.stop(ME)
    assert board.shown == ShownShare(ANA, "screen")
    assert not board.start(BEN, "participant", "window")  # never allowed
    assert board.shown == ShownShare(ANA, "screen")


def test_a_facilitator_shares_a_document_and_the_journal_keeps_who_when_and_the_kind() -> None:
    room = _room(ME, "facilitator")
    out = room.start_share("document")
    assert _sent(out) == [Share(kind="document")]
    assert ShareChanged() in out
    assert room.shares.shown == ShownShare(ME, "document")
    assert _journal(out) == [ShareEntry("share.started", ME, None, "document")]
    out = room.stop_share()
    assert _sent(out) == [Share()]
    assert _journal(out) == [ShareEntry("share.stopped", ME, None, "document")]
    assert room.shares.shown is None
    # the row holds ids and the kind of source: nothing shown, no file name
    assert entry_row(ShareEntry("share.started", ME, None, "document")) == (
        "share.started",
        {"seat": ME, "member": None, "source": "document"},
    )


def test_a_participant_may_not_share_until_allowed() -> None:
    ana = _room(ANA, "participant")
    assert not ana.may_share_now
    assert ana.start_share("screen") == []  # the page's button is not even there
    _app(ana, ME, SharePermission(allowed=(ANA,)))
    assert ana.may_share_now
    assert _sent(ana.start_share("screen")) == [Share(kind="screen")]
    assert ana.my_share == "screen"


def test_allowing_and_revoking_journals_and_ends_the_participants_share() -> None:
    room = _room(ME, "facilitator")
    out = room.allow_share(ANA, True)
    assert _sent(out) == [SharePermission(allowed=(ANA,))]
    assert _journal(out) == [SharePermissionEntry("share.allowed", ANA, 1, ME)]
    out = _app(room, ANA, Share(kind="screen"))
    assert _journal(out) == [ShareEntry("share.started", ANA, 1, "screen")]
    assert room.shares.shown == ShownShare(ANA, "screen")
    out = room.allow_share(ANA, False)
    assert _sent(out) == [SharePermission(allowed=())]
    assert _journal(out) == [
        SharePermissionEntry("share.disallowed", ANA, 1, ME),
        ShareEntry("share.stopped", ANA, 1, "screen", by=ME),
    ]
    assert room.shares.shown is None  # not shown any more, even if Ana's app went on


def test_a_participants_own_share_stops_when_the_permission_is_taken_back() -> None:
    ana = _room(ANA, "participant")
    _app(ana, ME, SharePermission(allowed=(ANA,)))
    ana.start_share("window")
    out = _app(ana, ME, SharePermission(allowed=()))
    assert ana.my_share is None  # the adapter stops the capture on ShareChanged
    assert ShareChanged() in out
    assert _sent(out) == [Share()]
    assert _journal(out) == []  # a participant's app keeps no journal


def test_a_share_of_a_participant_nobody_allowed_is_not_shown() -> None:
    room = _room(ME, "facilitator")
    out = _app(room, BEN, Share(kind="screen"))
    assert out == [Ignored(BEN, "share", "not_allowed")]
    assert room.shares.shown is None


def test_a_participant_acting_as_a_facilitator_is_ignored() -> None:
    ben = _room(BEN, "participant")
    out = _app(ben, ANA, SharePermission(allowed=(ANA,)))  # Ana is no facilitator
    assert out == [Ignored(ANA, "share_permission", "not_a_facilitator")]
    assert _app(ben, ANA, Share(kind="screen")) == [Ignored(ANA, "share", "not_allowed")]
    assert ben.shares.shown is None
    assert ben.allow_share(ANA, True) == []  # nor may a participant's app allow anyone


def test_a_newcomer_is_told_who_may_share_and_what_is_shared() -> None:
    room = _room(ME, "facilitator")
    room.allow_share(ANA, True)
    room.start_share("screen")
    out = room.receive(MemberJoined(member=_info(ZOE, "Zoé")))
    assert _sent(out) == [SharePermission(allowed=(ANA,)), Share(kind="screen")]


def test_a_sharer_who_leaves_stops_sharing() -> None:
    room = _room(ME, "facilitator")
    room.allow_share(ANA, True)
    _app(room, ANA, Share(kind="document"))
    out = room.receive(MemberLeft(member=ANA, reason="left"))
    assert ShareEntry("share.stopped", ANA, 1, "document") in _journal(out)
    assert room.shares.shown is None


def test_a_co_facilitator_may_share_without_permission() -> None:
    room = _room(ME, "facilitator")
    out = _app(room, CO, Share(kind="window"))
    assert _journal(out) == [ShareEntry("share.started", CO, None, "window")]
    assert room.shares.shown == ShownShare(CO, "window")
