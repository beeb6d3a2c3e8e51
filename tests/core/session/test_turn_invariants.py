"""Invariants of the turn manager under any sequence of inputs (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from turns_helpers import FakeClock

from groupdesk.core.session.turn_events import (
    EndTurn,
    ExtendTurn,
    GiveFloor,
    Join,
    Leave,
    LowerHand,
    MuteAll,
    MuteChanged,
    PassInRound,
    RaiseHand,
    SetQueueOrder,
    SkipInRound,
    StartRound,
    StopRound,
    TurnInput,
    TurnOutput,
    VoiceActivity,
)
from groupdesk.core.session.turns import TurnManager, TurnSettings

MEMBERS = ("f", "a", "b", "c", "d")
member = st.sampled_from(MEMBERS)
leader = st.sampled_from(("f", "f", "f", "a"))  # mostly the facilitator, so commands go through
inputs: st.SearchStrategy[TurnInput] = st.one_of(
    st.builds(Join, member, st.sampled_from(["participant", "participant", "facilitator"])),
    st.builds(Leave, member),
    st.builds(RaiseHand, member, st.none() | st.floats(0, 10)),
    st.builds(LowerHand, member, member),
    st.builds(GiveFloor, leader, st.none() | member),
    st.builds(EndTurn, leader),
    st.builds(ExtendTurn, leader),
    st.builds(SetQueueOrder, leader, st.sampled_from(["raised", "quieter_first"])),
    st.builds(MuteAll, leader),
    st.builds(StartRound, leader, st.sampled_from(["current", "random", "quieter_first"])),
    st.builds(PassInRound, member),
    st.builds(SkipInRound, leader),
    st.builds(StopRound, leader),
)
# Voice and mute events get a stamp relative to now, sometimes in the past.
media = st.tuples(st.sampled_from(["voice", "mute"]), member, st.booleans(), st.floats(-5.0, 0.0))
waits = st.sampled_from([0.5, 5.0, 20.0, 50.0]) | st.floats(0.0, 60.0)
steps = st.lists(st.one_of(inputs, media, waits), max_size=60)


def _join_all(room: TurnManager) -> None:
    room.handle(Join("f", "facilitator"))
    for m in MEMBERS[1:]:
        room.handle(Join(m, "participant"))


def _apply(room: TurnManager, clock: FakeClock, step: object) -> list[TurnOutput]:
    if isinstance(step, float):
        clock.advance(step)
        return room.tick()
    if isinstance(step, tuple):
        kind, who, flag, back = step
        event = VoiceActivity if kind == "voice" else MuteChanged
        return room.handle(event(who, flag, max(0.0, clock.now + back)))  # the session starts at 0
    return room.handle(step)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(steps)
def test_the_state_stays_sound(script: list[object]) -> None:
    clock = FakeClock(0.0)
    room = TurnManager(TurnSettings(turn_seconds=60.0), clock=clock)
    _join_all(room)
    before = dict.fromkeys(MEMBERS, 0.0)
    for step in script:
        _apply(room, clock, step)
        queue = room.queue()
        assert len(set(queue)) == len(queue), "no one twice in line"
        assert set(queue) <= set(room.members), "only present members in line"
        assert room.speaker is None or room.speaker in room.members
        view = room.facilitator_view()
        if view.round is not None:
            assert set(view.round.pending) <= set(room.members)
            assert view.round.progress.current == room.speaker, "the floor follows the round"
        talk = {m: room.talk_seconds(m) for m in MEMBERS}
        assert all(talk[m] >= before[m] for m in MEMBERS), "talk time never goes down"
        assert all(0.0 <= s <= clock.now for s in talk.values())
        assert sum(talk.values()) <= clock.now * len(MEMBERS)
        before = talk
        for m in room.members:
            place = room.participant_view(m).place
            assert place is None or queue[place - 1] == m


@settings(max_examples=60, deadline=None)
@given(steps, steps)
def test_a_restored_machine_answers_like_the_original(
    before: list[object], after: list[object]
) -> None:
    clock = FakeClock(0.0)
    room = TurnManager(TurnSettings(turn_seconds=60.0), clock=clock)
    _join_all(room)
    for step in before:
        _apply(room, clock, step)
    copy = TurnManager.restore(room.snapshot(), TurnSettings(turn_seconds=60.0), clock=clock)
    for step in after:
        now = clock.now
        said = _apply(room, clock, step)
        clock.now = now
        assert _apply(copy, clock, step) == said
        assert copy.facilitator_view() == room.facilitator_view()
        assert copy.next_deadline() == room.next_deadline()
