"""A co-facilitator's machine restored from a snapshot carries on exactly as the original."""

from __future__ import annotations

import dataclasses

import pytest
from turns_helpers import ANA, BEN, CLO, CO, FACILITATOR, FakeClock, make_room

from groupdesk.core.session.turn_events import (
    EndTurn,
    ExtendTurn,
    GiveFloor,
    Leave,
    MuteAllButSpeaker,
    MuteChanged,
    PassInRound,
    RaiseHand,
    SetQueueOrder,
    StartRound,
    TurnInput,
    VoiceActivity,
)
from groupdesk.core.session.turns import TurnManager, TurnSettings

SETTINGS = TurnSettings(turn_seconds=90.0, seed=7)


def _busy_room(clock: FakeClock) -> TurnManager:
    """A room mid-session: hands up, quieter-first, a round under way, someone speaking."""
    room = make_room(clock, SETTINGS)
    room.handle(VoiceActivity(ANA, True, clock.now))
    clock.advance(30)
    room.handle(VoiceActivity(ANA, False, clock.now))
    room.handle(SetQueueOrder(FACILITATOR, "quieter_first"))
    room.handle(StartRound(FACILITATOR, "random"))
    room.handle(EndTurn(FACILITATOR))
    room.handle(RaiseHand(ANA, at=1.0))
    room.handle(RaiseHand(FACILITATOR, at=2.0))
    room.handle(MuteChanged(BEN, True, clock.now))
    speaker = room.speaker
    assert speaker is not None
    room.handle(VoiceActivity(speaker, True, clock.now))
    clock.advance(80)
    room.tick()  # the warning went out before the snapshot
    room.handle(ExtendTurn(CO, 5))
    return room


def _script(speaker: str) -> list[TurnInput | float]:
    """What happens next: inputs, and floats for the clock moving on."""
    return [
        3.0,
        VoiceActivity(CLO, True, 0.0),  # a stale stamp: clamped the same way on both
        10.0,
        MuteAllButSpeaker(CO),
        PassInRound(speaker),
        4.0,
        EndTurn(CO),
        20.0,
        StartRound(CO, "random"),
        Leave(ANA),
        GiveFloor(CO, BEN),
        EndTurn(CO),
        StartRound(FACILITATOR, "quieter_first"),
        150.0,
    ]


def _play(room: TurnManager, clock: FakeClock, script: list[TurnInput | float]) -> list[object]:
    seen: list[object] = []
    for step in script:
        if isinstance(step, float):
            clock.advance(step)
            seen.append(room.tick())
        else:
            seen.append(room.handle(step))
        seen.append((room.facilitator_view(), room.participant_view(CLO), room.next_deadline()))
    return seen


def test_snapshot_then_restore_behaves_identically() -> None:
    clock = FakeClock()
    original = _busy_room(clock)
    snapshot = original.snapshot()
    restored = TurnManager.restore(snapshot, SETTINGS, clock=clock)
    assert restored.snapshot() == snapshot
    assert restored.facilitator_view() == original.facilitator_view()
    start = clock.now
    speaker = original.speaker
    assert speaker is not None
    first = _play(original, clock, _script(speaker))
    clock.now = start
    second = _play(restored, clock, _script(speaker))
    assert second == first
    assert restored.turn_counts() == original.turn_counts()


def test_a_restore_on_another_clock_keeps_the_timers_age() -> None:
    clock = FakeClock()
    original = _busy_room(clock)
    other = FakeClock(now=5.0)  # the co-facilitator's machine counts from elsewhere
    restored = TurnManager.restore(original.snapshot(), SETTINGS, clock=other)
    for room, moving in ((original, clock), (restored, other)):
        moving.advance(12)
        timer = room.facilitator_view().timer
        assert timer is not None
        assert (timer.elapsed, timer.remaining) == (92.0, 3.0)
    talk = [t.seconds for t in restored.facilitator_view().talk]
    assert talk == [t.seconds for t in original.facilitator_view().talk]
    assert restored.queue() == original.queue() == (FACILITATOR, ANA)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hands": (("ghost", 1.0),)}, "not present"),
        ({"speaker": "ghost"}, "speaker must be present"),
        ({"turn_by": None}, "who gave it"),
        ({"members": ((ANA, "participant"), (ANA, "facilitator"))}, "once"),
        ({"queue_order": "alphabetical"}, "unknown queue order"),
        ({"extension": -5.0}, "positive"),
    ],
)
def test_a_damaged_snapshot_is_refused(change: dict[str, object], message: str) -> None:
    clock = FakeClock()
    snapshot = _busy_room(clock).snapshot()
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(snapshot, **change)  # type: ignore[arg-type]
