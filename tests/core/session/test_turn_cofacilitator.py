"""Two facilitators' desks: the co-facilitator sees the lead's state, acts through it, and
carries the turns on when the lead leaves. The desks talk through the real wire form."""

from __future__ import annotations

import pytest
from turns_helpers import FakeClock

from groupdesk.core.protocol import (
    AppEvent,
    PassTurn,
    RaiseHand,
    TurnCommand,
    TurnState,
    TurnSync,
    app_event_wire,
    parse_app_event,
)
from groupdesk.core.session import turn_events as ev
from groupdesk.core.session.turn_desk import Broadcast, DeskOutput, Tell, TurnDesk
from groupdesk.core.session.turn_sync import snapshot_of, sync_of
from groupdesk.core.session.turns import TurnManager, TurnSettings

LEAD, CO, ANA, BEN = "f00000000001", "f00000000002", "a00000000001", "b00000000001"
ROLES = ((LEAD, "facilitator"), (CO, "facilitator"), (ANA, "participant"), (BEN, "participant"))


def over_the_wire(event: AppEvent) -> AppEvent:
    return parse_app_event(*app_event_wire(event))


class Room:
    """Two desks on two machines whose clocks disagree by an hour; what one tells the
    facilitators reaches the other as the server would relay it."""

    def __init__(self) -> None:
        self.lead_clock, self.co_clock = FakeClock(1000.0), FakeClock(4600.0)
        settings = TurnSettings(turn_seconds=60.0, warn_before_seconds=10.0)
        self.lead = TurnDesk(LEAD, settings, clock=self.lead_clock)
        self.co = TurnDesk(CO, settings, clock=self.co_clock, lead=False)
        self.room: list[TurnState] = []
        for seat, role in ROLES:
            self.relay(LEAD, self.lead.joined(seat, role))
            self.relay(CO, self.co.joined(seat, role))

    def advance(self, seconds: float) -> None:
        self.lead_clock.advance(seconds)
        self.co_clock.advance(seconds)

    def relay(self, sender: str, outputs: list[DeskOutput]) -> None:
        other = self.co if sender == LEAD else self.lead
        for output in outputs:
            if isinstance(output, Tell):
                self.relay(other.me, other.received(sender, over_the_wire(output.event)))
            elif isinstance(output, Broadcast):
                self.room.append(output.state)
                self.relay(other.me, other.received(sender, over_the_wire(output.state)))

    def member_says(self, member: str, event: AppEvent) -> None:
        for desk in (self.lead, self.co):  # the server relays a member's event to both
            self.relay(desk.me, desk.received(member, event))


def test_the_sync_restores_the_same_view_on_a_clock_an_hour_apart() -> None:
    clock, other = FakeClock(1000.0), FakeClock(4600.0)
    lead = TurnManager(TurnSettings(turn_seconds=60.0), clock=clock)
    for seat, role in ROLES:
        lead.handle(ev.Join(seat, role))
    lead.handle(ev.RaiseHand(BEN))
    clock.advance(2)
    lead.handle(ev.RaiseHand(ANA))
    lead.handle(ev.VoiceActivity(BEN, True, clock.now))
    lead.handle(ev.GiveFloor(LEAD, BEN))
    clock.advance(20)
    sync = over_the_wire(sync_of(lead.snapshot()))
    assert isinstance(sync, TurnSync)
    restored = TurnManager.restore(snapshot_of(sync, other.now), clock=other)
    mine, theirs = lead.facilitator_view(), restored.facilitator_view()
    assert [q.member for q in theirs.queue] == [q.member for q in mine.queue] == [ANA]
    assert theirs.speaker == BEN
    assert theirs.timer is not None
    assert theirs.timer.elapsed == pytest.approx(20.0)
    clock.advance(5)
    other.advance(5)  # Ben still speaks: both count on alike
    assert restored.talk_seconds(BEN) == pytest.approx(lead.talk_seconds(BEN)) == 25.0


def test_the_co_facilitator_sees_acts_through_the_lead_and_carries_on() -> None:
    room = Room()
    room.member_says(BEN, RaiseHand())
    room.advance(1)
    room.member_says(ANA, RaiseHand())
    assert [q.member for q in room.co.view().queue] == [BEN, ANA]

    # The co-facilitator gives the floor: the command goes to the lead, which applies it.
    out = room.co.command(ev.GiveFloor(CO))
    assert out == [Tell(TurnCommand("give_floor"))]
    room.relay(CO, out)
    assert room.lead.manager.speaker == BEN
    assert room.room[-1].floor == BEN
    assert room.co.view().speaker == BEN  # from the lead's share
    room.relay(LEAD, room.lead.voice(BEN, True, room.lead_clock.now))
    room.advance(30)
    room.relay(LEAD, room.lead.heartbeat())
    assert room.co.manager.talk_seconds(BEN) == pytest.approx(30.0)

    # The lead's app leaves: the co-facilitator carries on, the timer and line intact.
    broadcasts_before = len(room.room)
    room.relay(CO, room.co.left(LEAD))
    assert room.co.lead
    assert len(room.room) > broadcasts_before  # the room hears from the new lead
    state = room.room[-1]
    assert state.floor == BEN
    assert state.queue == (ANA,)
    assert state.timer is not None
    assert state.timer.elapsed == pytest.approx(30.0)
    room.advance(21)  # the warning comes on the new lead's clock
    [warned] = [o for o in room.co.tick() if isinstance(o, Broadcast)]
    assert warned.state.timer is not None
    assert warned.state.timer.warning
    # and members' acts now reach it
    assert room.co.command(ev.StartRound(CO))
    room.member_says(ANA, PassTurn())
    detail = room.co.view().round
    assert detail is not None
    assert detail.outcomes == ((ANA, "passed"),)


def test_a_participant_cannot_pose_as_a_facilitator_to_the_desks() -> None:
    room = Room()
    room.member_says(ANA, RaiseHand())
    assert room.lead.received(BEN, TurnCommand("give_floor", member=BEN)) == []
    assert room.lead.manager.speaker is None
    forged = TurnSync(members=())
    assert room.co.received(BEN, forged) == []
    assert [q.member for q in room.co.view().queue] == [ANA]  # not wiped
    # nor a facilitator's desk that leads take another's state over its own
    assert room.lead.received(CO, sync_of(room.co.manager.snapshot())) == []
