"""The safety signal in the room's core: sent, seen, withdrawn, handled, with their times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groupdesk.core.journal_kinds import SafetyEntry, entry_row, parse_entry
from groupdesk.core.protocol import (
    Admitted,
    ClientApp,
    MemberInfo,
    Role,
    SafetySignal,
    ServerApp,
)
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import (
    Changed,
    Journal,
    MemberChanged,
    RoomOutput,
    SafetySignalled,
    Send,
)
from groupdesk.core.session.room_state import LiveStage

ROOM = "r" * 12
ME, ANA, BEN = "f00000000001", "a00000000001", "b00000000002"
START = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)


class Wall:
    """A fake wall clock the test moves on."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def later(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _room(role: Role, wall: Wall) -> Room:
    room = Room(wall=wall)
    room.start(role)
    room.set_stage(LiveStage.LIVE)
    me = ME if role == "facilitator" else BEN
    members = (
        MemberInfo(member=ME, display_name="Fac", role="facilitator"),
        MemberInfo(member=ANA, display_name="Ana", role="participant"),
        MemberInfo(member=BEN, display_name="Ben", role="participant"),
    )
    room.receive(
        Admitted(
            room=ROOM,
            member=me,
            role=role,
            members=members,
            ice_servers=(),
            resume_token="t" * 16,
            grace_seconds=60.0,
        )
    )
    return room


def _signal(room: Room, withdrawn: bool = False) -> list[RoomOutput]:
    return room.receive(ServerApp(sender=ANA, event=SafetySignal(withdrawn=withdrawn)))


def _entries(outputs: list[RoomOutput]) -> list[object]:
    return [out.entry for out in outputs if isinstance(out, Journal)]


def test_a_signal_is_sent_seen_withdrawn_and_handled_each_journalled_with_its_time() -> None:
    wall = Wall()
    room = _room("facilitator", wall)
    out = _signal(room)
    assert out == [
        MemberChanged(ANA),
        SafetySignalled(ANA),
        Journal(SafetyEntry("safety.sent", ANA, None)),
    ]
    (call,) = room.safety.open_calls()
    assert (call.seat, call.sent_at, call.state) == (ANA, START, "new")
    assert room.seats.members[ANA].safety_signal  # the tile shows it
    assert room.safety.unseen() == [ANA]
    assert _signal(room) == []  # sent twice: still the one call

    wall.later(2.5)
    assert _entries(room.safety_seen([ANA])) == [SafetyEntry("safety.seen", ANA, None, 2.5)]
    assert room.safety_seen([ANA]) == []  # seen once
    assert call.seen_at == START + timedelta(seconds=2.5)

    wall.later(10)
    out = _signal(room, withdrawn=True)
    assert out == [
        MemberChanged(ANA),
        SafetySignalled(ANA),
        Journal(SafetyEntry("safety.withdrawn", ANA, None, 12.5)),
    ]
    assert not room.seats.members[ANA].safety_signal  # the tile no longer shows it
    assert [(c.seat, c.state) for c in room.safety.open_calls()] == [(ANA, "withdrawn")]  # stays

    wall.later(60)
    out = room.safety_handled(ANA)
    assert _entries(out) == [SafetyEntry("safety.handled", ANA, None, 72.5)]
    assert SafetySignalled(ANA) in out
    assert room.safety.open_calls() == []
    assert room.safety_handled(ANA) == []  # handled once
    assert _signal(room, withdrawn=True) == []  # nothing open to withdraw


def test_a_signal_stays_until_handled_and_comes_back_when_sent_again_after_withdrawal() -> None:
    wall = Wall()
    room = _room("facilitator", wall)
    _signal(room)
    wall.later(5)
    _signal(room, withdrawn=True)
    wall.later(5)
    out = _signal(room)  # signalled again: new, to be seen again
    assert _entries(out) == [SafetyEntry("safety.sent", ANA, None)]
    (call,) = room.safety.open_calls()
    assert (call.state, call.sent_at, call.seen_at) == ("new", START + timedelta(seconds=10), None)
    assert room.seats.members[ANA].safety_signal


def test_the_safety_entries_are_catalogued_ids_only() -> None:
    for entry in (
        SafetyEntry("safety.sent", ANA, 3),
        SafetyEntry("safety.handled", ANA, None, 1.5),
    ):
        kind, data = entry_row(entry)
        assert parse_entry(kind, data) == entry
        assert set(data) <= {"seat", "member", "seconds"}


def test_only_a_facilitator_sees_or_handles_one_and_a_participant_sends_and_withdraws() -> None:
    wall = Wall()
    participant = _room("participant", wall)
    assert _signal(participant) != []  # ignored, said so
    assert participant.safety.open_calls() == []
    assert not participant.seats.members[ANA].safety_signal
    assert participant.safety_seen([ANA]) == []
    assert participant.safety_handled(ANA) == []

    out = participant.request_safety(True)
    assert out == [Send(ClientApp(event=SafetySignal())), Changed()]
    assert participant.safety_requested
    assert participant.request_safety(True) == []  # once
    out = participant.request_safety(False)
    assert out == [Send(ClientApp(event=SafetySignal(withdrawn=True))), Changed()]
    assert not participant.safety_requested

    facilitator = _room("facilitator", wall)
    assert facilitator.request_safety(True) == []
