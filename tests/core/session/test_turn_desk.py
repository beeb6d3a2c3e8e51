"""The facilitator's turn desk: app events in, broadcasts, mute requests and journal out."""

from __future__ import annotations

import pytest
from turns_helpers import FakeClock

from groupdesk.core.protocol import (
    LowerHand,
    MediaState,
    PassTurn,
    RaiseHand,
    Reaction,
    SafetySignal,
    TurnState,
)
from groupdesk.core.session import turn_events as ev
from groupdesk.core.session.turn_desk import AskMute, Broadcast, Record, Refusal, TurnDesk
from groupdesk.core.session.turns import TurnSettings

FAC, ANA, BEN, CLO = "f00000000001", "a00000000001", "b00000000001", "c00000000001"


def broadcasts(outputs: list[object]) -> list[TurnState]:
    return [o.state for o in outputs if isinstance(o, Broadcast)]


def kinds(outputs: list[object]) -> list[str]:
    return [o.entry.kind for o in outputs if isinstance(o, Record)]


@pytest.fixture
def desk(clock: FakeClock) -> TurnDesk:
    desk = TurnDesk(FAC, TurnSettings(turn_seconds=60.0, warn_before_seconds=10.0), clock=clock)
    desk.joined(FAC, "facilitator")
    for member in (ANA, BEN, CLO):
        desk.joined(member, "participant")
    return desk


def test_hands_from_the_room_are_queued_for_their_sender_and_broadcast(
    desk: TurnDesk, clock: FakeClock
) -> None:
    out = desk.received(BEN, RaiseHand())
    assert broadcasts(out)[-1].queue == (BEN,)
    assert kinds(out) == ["turn.hand_raised"]
    clock.advance(1)
    out = desk.received(ANA, RaiseHand())
    assert broadcasts(out)[-1].queue == (BEN, ANA)
    # a lowered hand is the sender's own: Ana cannot lower Ben's
    out = desk.received(ANA, LowerHand())
    assert broadcasts(out)[-1].queue == (BEN,)
    assert desk.manager.queue() == (BEN,)


def test_strangers_and_unrelated_events_change_nothing(desk: TurnDesk) -> None:
    assert desk.received("d00000000001", RaiseHand()) == []  # not seated here
    assert desk.received(ANA, Reaction(kind="thumbs_up")) == []
    assert desk.received(ANA, SafetySignal()) == []
    # another facilitator's broadcast does not move this desk's floor
    assert desk.received(ANA, TurnState(floor=ANA)) == []
    assert desk.manager.speaker is None


def test_the_floor_and_its_timer_reach_the_room_when_seen_to_change(
    desk: TurnDesk, clock: FakeClock
) -> None:
    desk.received(ANA, RaiseHand())
    out = desk.command(ev.GiveFloor(FAC))
    state = broadcasts(out)[-1]
    assert state.floor == ANA
    assert state.queue == ()
    assert state.timer is not None
    assert state.timer.limit == 60.0
    assert kinds(out) == ["turn.floor_given", "turn.hand_lowered"]
    clock.advance(20)
    assert desk.tick() == []  # the seconds counting on are the receivers' to count
    clock.advance(31)
    assert desk.next_deadline() is not None
    out = desk.tick()
    state = broadcasts(out)[-1]
    assert state.timer is not None
    assert state.timer.warning
    assert not state.timer.over
    assert state.timer.remaining == pytest.approx(9.0)
    clock.advance(10)
    out = desk.tick()
    assert broadcasts(out)[-1].timer.over  # type: ignore[union-attr]
    assert desk.manager.speaker == ANA  # a soft limit: nothing is cut


def test_a_participant_passes_only_their_own_turn_in_a_round(desk: TurnDesk) -> None:
    out = desk.command(ev.StartRound(FAC))
    state = broadcasts(out)[-1]
    assert state.round is not None
    assert state.round.current == ANA
    assert state.round.total == 3
    # Ben cannot pass for Ana
    assert desk.received(BEN, PassTurn()) == [
        Refusal(ev.Refused(ev.PassInRound(BEN), "not_your_turn"), mine=False)
    ]
    out = desk.received(ANA, PassTurn())
    assert broadcasts(out)[-1].round.current == BEN  # type: ignore[union-attr]
    assert "round.passed" in kinds(out)


def test_talk_time_counts_voice_only_while_the_microphone_is_on(
    desk: TurnDesk, clock: FakeClock
) -> None:
    desk.voice(ANA, True, clock.now)
    clock.advance(5)
    desk.voice(ANA, False, clock.now)
    desk.received(BEN, MediaState(muted=True, camera_off=False))
    desk.voice(BEN, True, clock.now)
    clock.advance(5)
    desk.voice(BEN, False, clock.now)
    talk = {t.member: t.seconds for t in desk.view().talk}
    assert talk[ANA] == pytest.approx(5.0)
    assert talk[BEN] == 0.0
    closing = {o.entry.seat: o.entry.seconds for o in desk.closing() if isinstance(o, Record)}
    assert closing[ANA] == pytest.approx(5.0)
    assert closing[BEN] == 0.0


def test_mute_all_but_the_speaker_asks_the_others(desk: TurnDesk) -> None:
    desk.command(ev.GiveFloor(FAC, BEN))
    desk.received(CLO, MediaState(muted=True, camera_off=False))
    out = desk.command(ev.MuteAllButSpeaker(FAC))
    assert [o for o in out if isinstance(o, AskMute)] == [AskMute(FAC, (ANA,))]


def test_a_refused_command_of_ours_is_shown_and_changes_nothing(desk: TurnDesk) -> None:
    out = desk.command(ev.GiveFloor(FAC))  # nobody in line
    assert out == [Refusal(ev.Refused(ev.GiveFloor(FAC), "queue_empty"), mine=True)]
    with pytest.raises(ValueError, match="its facilitator"):
        desk.command(ev.EndTurn(ANA))  # the desk's commands are its facilitator's


def test_quieter_first_reorders_the_queue_as_talk_time_grows(
    desk: TurnDesk, clock: FakeClock
) -> None:
    desk.command(ev.SetQueueOrder(FAC, "quieter_first"))
    desk.received(ANA, RaiseHand())
    clock.advance(1)
    desk.received(BEN, RaiseHand())
    desk.voice(ANA, True, clock.now)
    clock.advance(3)
    out = desk.voice(ANA, False, clock.now)
    assert broadcasts(out)[-1].queue == (BEN, ANA)


def test_spotlight_and_a_member_leaving(desk: TurnDesk) -> None:
    assert broadcasts(desk.set_spotlight(CLO))[-1].spotlight == CLO
    desk.received(CLO, RaiseHand())
    out = desk.left(CLO)
    state = broadcasts(out)[-1]
    assert state.spotlight is None
    assert state.queue == ()
    assert desk.received(CLO, RaiseHand()) == []
