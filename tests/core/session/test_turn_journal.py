"""The turn manager's outputs as journal rows: ids and numbers, each kind catalogued."""

from __future__ import annotations

import typing

from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import (
    FloorEndedEntry,
    FloorGivenEntry,
    HandLoweredEntry,
    HandRaisedEntry,
    QueueOrderEntry,
    RoundFinishedEntry,
    RoundSeatEntry,
    RoundStartedEntry,
    TalkTimeEntry,
    TurnExtendedEntry,
    TurnLimitEntry,
    TurnTimerEntry,
    entry_row,
    parse_entry,
)
from groupdesk.core.session import turn_events as e
from groupdesk.core.session.turn_events import (
    EndTurn,
    ExtendTurn,
    GiveFloor,
    Join,
    JournalEvent,
    Leave,
    LowerHand,
    MuteAll,
    PassInRound,
    RaiseHand,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    TurnOutput,
    VoiceActivity,
)
from groupdesk.core.session.turn_journal import (
    journal_entries,
    journal_entry,
    talk_time_entries,
)
from groupdesk.core.session.turns import TurnManager, TurnSettings

FAC, ANA, BEN, CLO = "f00000000001", "a00000000001", "b00000000001", "c00000000001"


def test_a_session_s_turns_become_journal_rows_of_ids_and_numbers() -> None:
    clock = FakeClock(1000.0)
    turns = TurnManager(
        TurnSettings(turn_seconds=60.0, warn_before_seconds=10.0, extend_seconds=30.0),
        clock=clock,
    )
    out: list[TurnOutput] = turns.handle(Join(FAC, "facilitator"))
    for member in (ANA, BEN, CLO):
        out += turns.handle(Join(member, "participant"))
    out += turns.handle(RaiseHand(ANA, at=1.0))
    out += turns.handle(RaiseHand(BEN, at=2.0))
    out += turns.handle(LowerHand(BEN, BEN))
    out += turns.handle(GiveFloor(FAC))
    out += turns.handle(VoiceActivity(ANA, speaking=True, at=clock.now))
    clock.advance(50.0)
    out += turns.tick()  # the warning, 10 s before the end
    out += turns.handle(ExtendTurn(FAC))
    clock.advance(45.5)
    out += turns.tick()  # time is up at 90 s
    out += turns.handle(VoiceActivity(ANA, speaking=False, at=clock.now))
    out += turns.handle(MuteAll(FAC))  # a mute request: journalled where it is sent
    out += turns.handle(GiveFloor(BEN, BEN))  # refused: not journalled
    out += turns.handle(EndTurn(FAC))
    out += turns.handle(SetTurnLimit(FAC, 120.0))
    out += turns.handle(SetQueueOrder(FAC, "quieter_first"))
    out += turns.handle(StartRound(FAC, among=(ANA, BEN, CLO)))
    out += turns.handle(EndTurn(ANA))
    out += turns.handle(PassInRound(BEN))
    out += turns.handle(SkipInRound(FAC))
    out += turns.handle(Leave(CLO))

    entries = journal_entries(out)
    assert entries == [
        HandRaisedEntry("turn.hand_raised", ANA, 1),
        HandRaisedEntry("turn.hand_raised", BEN, 2),
        HandLoweredEntry("turn.hand_lowered", BEN, BEN, "self"),
        FloorGivenEntry("turn.floor_given", ANA, FAC, 60.0),
        HandLoweredEntry("turn.hand_lowered", ANA, FAC, "floor"),
        TurnTimerEntry("turn.timer_warning", ANA, 10.0),
        TurnExtendedEntry("turn.extended", ANA, FAC, 30.0, 90.0),
        TurnTimerEntry("turn.time_up", ANA),
        FloorEndedEntry("turn.floor_ended", ANA, FAC, 95.5, "ended"),
        TurnLimitEntry("turn.limit_changed", FAC, 120.0),
        QueueOrderEntry("turn.queue_order_changed", FAC, "quieter_first"),
        RoundStartedEntry("round.started", FAC, "current", (ANA, BEN, CLO)),
        FloorGivenEntry("turn.floor_given", ANA, FAC, 120.0),
        FloorEndedEntry("turn.floor_ended", ANA, ANA, 0.0, "round"),
        FloorGivenEntry("turn.floor_given", BEN, FAC, 120.0),
        FloorEndedEntry("turn.floor_ended", BEN, BEN, 0.0, "round"),
        RoundSeatEntry("round.passed", BEN),
        FloorGivenEntry("turn.floor_given", CLO, FAC, 120.0),
        FloorEndedEntry("turn.floor_ended", CLO, FAC, 0.0, "round"),
        RoundSeatEntry("round.skipped", CLO, FAC),
        RoundFinishedEntry("round.finished", None, True, 1, 1, 1),
    ]
    for entry in entries:  # each one a catalogued kind, its payload read back the same
        assert parse_entry(*entry_row(entry)) == entry
        assert "talk" not in str(entry_row(entry)[1])

    assert talk_time_entries(turns.totals()) == [
        TalkTimeEntry("turn.talk_time", ANA, 95.5, 2),
        TalkTimeEntry("turn.talk_time", BEN, 0.0, 1),
        TalkTimeEntry("turn.talk_time", CLO, 0.0, 1),
        TalkTimeEntry("turn.talk_time", FAC, 0.0, 0),
    ]
    assert entry_row(talk_time_entries(turns.totals())[0]) == (
        "turn.talk_time",
        {"seat": ANA, "seconds": 95.5, "turns": 2},
    )


def test_every_journal_event_of_the_manager_has_its_kind() -> None:
    """A new output of the manager is a mypy error in ``journal_entry`` (its match ends in
    ``assert_never``) and a failure here until it has a catalogued kind."""
    kinds = {typing.get_type_hints(type(journal_entry(example)))["kind"] for example in _EXAMPLES}
    assert {type(e) for e in _EXAMPLES} == set(typing.get_args(JournalEvent))
    assert len(kinds) == len(_EXAMPLES) - 2  # passed and skipped share a class, so do timers


def test_seconds_are_kept_to_the_millisecond_and_never_negative() -> None:
    assert journal_entry(e.FloorEnded(ANA, None, 12.3456789, "left")) == FloorEndedEntry(
        "turn.floor_ended", ANA, None, 12.346, "left"
    )
    assert journal_entry(e.TimerWarning(ANA, -0.0001)) == TurnTimerEntry(
        "turn.timer_warning", ANA, 0.0
    )


def _examples() -> list[JournalEvent]:
    return [
        e.HandRaised(ANA, 1),
        e.HandLowered(ANA, None, "left"),
        e.FloorGiven(ANA, FAC, None),
        e.FloorEnded(ANA, None, 1.0, "left"),
        e.TurnExtended(ANA, FAC, 30.0, 90.0),
        e.TurnLimitChanged(FAC, None),
        e.QueueOrderChanged(FAC, "raised"),
        e.TimerWarning(ANA, 5.0),
        e.TimeUp(ANA),
        e.RoundStarted(FAC, "random", (ANA,)),
        e.RoundPassed(ANA),
        e.RoundSkipped(ANA, FAC),
        e.RoundFinished(FAC, False, 0, 0, 0),
    ]


_EXAMPLES = _examples()
