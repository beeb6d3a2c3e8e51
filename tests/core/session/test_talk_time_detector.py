"""Talk time from a voice-activity detector that is late at both ends (attack, hangover)."""

from __future__ import annotations

import pytest
from turns_helpers import ANA, FACILITATOR, FakeClock

from groupdesk.core.session.talk_time import TalkTimeMeter
from groupdesk.core.session.turn_events import Join, MuteChanged, VoiceActivity
from groupdesk.core.session.turn_sync import snapshot_of, sync_of
from groupdesk.core.session.turns import TurnManager, TurnSettings

ATTACK, HANGOVER = 0.25, 0.5
LEAD_SEAT, ANA_SEAT = (
    "f00000000001",
    "a00000000001",
)  # exact in binary: the sums below are exact too


def test_each_utterance_is_counted_from_its_start_to_its_end_not_the_detectors() -> None:
    meter = TalkTimeMeter(attack=ATTACK, hangover=HANGOVER)
    # Speech 10.0-13.0: the detector says so at 10.25 and says it stopped at 13.5.
    meter.voice(ANA, True, 10.0 + ATTACK)
    meter.voice(ANA, False, 13.0 + HANGOVER)
    assert meter.seconds(ANA, 14.0) == 3.0
    # Speech 20.0-22.0, then 22.0-25.0 in a second utterance.
    meter.voice(ANA, True, 20.0 + ATTACK)
    meter.voice(ANA, False, 22.0 + HANGOVER)
    meter.voice(ANA, True, 23.0 + ATTACK)
    meter.voice(ANA, False, 25.0 + HANGOVER)
    assert meter.seconds(ANA, 30.0) == 7.0


def test_a_running_utterance_trails_by_the_hangover_and_never_goes_down() -> None:
    meter = TalkTimeMeter(attack=ATTACK, hangover=HANGOVER)
    meter.voice(ANA, True, 10.0 + ATTACK)
    shown = [meter.seconds(ANA, t) for t in (10.25, 10.5, 11.0, 12.5, 13.5)]
    assert shown == [0.0, 0.0, 0.5, 2.0, 3.0]
    meter.voice(ANA, False, 13.5)  # speech ended at 13.0
    assert meter.seconds(ANA, 13.5) == 3.0


def test_a_mute_ends_the_utterance_when_it_happens() -> None:
    meter = TalkTimeMeter(attack=ATTACK, hangover=HANGOVER)
    meter.voice(ANA, True, 10.0 + ATTACK)
    meter.mute(ANA, True, 12.0)  # the microphone sends silence from here
    meter.voice(ANA, False, 12.0 + HANGOVER)
    assert meter.seconds(ANA, 20.0) == 2.0
    meter.voice(ANA, True, 21.0 + ATTACK)  # speaking into a muted microphone
    meter.mute(ANA, False, 22.0)  # unmuted mid-sentence: counted from here
    meter.voice(ANA, False, 24.0 + HANGOVER)
    assert meter.seconds(ANA, 30.0) == 4.0


def test_the_turn_manager_passes_the_detectors_delays_to_its_meter() -> None:
    clock = FakeClock(0.0)
    settings = TurnSettings(voice_attack_seconds=ATTACK, voice_hangover_seconds=HANGOVER)
    room = TurnManager(settings, clock=clock)
    room.handle(Join(FACILITATOR, "facilitator"))
    room.handle(Join(ANA, "participant"))
    room.handle(VoiceActivity(ANA, True, 1.0 + ATTACK))
    room.handle(VoiceActivity(ANA, False, 4.0 + HANGOVER))
    room.handle(MuteChanged(ANA, True, 5.0))
    clock.now = 10.0
    assert room.talk_seconds(ANA) == 3.0
    copy = TurnManager.restore(room.snapshot(), settings, clock=clock)
    copy.handle(MuteChanged(ANA, False, 10.0))
    copy.handle(VoiceActivity(ANA, True, 11.0 + ATTACK))
    copy.handle(VoiceActivity(ANA, False, 12.0 + HANGOVER))
    clock.now = 20.0
    assert copy.talk_seconds(ANA) == 4.0
    with pytest.raises(ValueError, match="delays"):
        TurnSettings(voice_hangover_seconds=-0.1)
    with pytest.raises(ValueError, match="delays"):
        TalkTimeMeter(attack=float("nan"))


def test_a_co_facilitator_carries_on_the_talk_time_shown_without_a_jump() -> None:
    clock = FakeClock(0.0)
    settings = TurnSettings(voice_attack_seconds=ATTACK, voice_hangover_seconds=HANGOVER)
    lead = TurnManager(settings, clock=clock)
    lead.handle(Join(LEAD_SEAT, "facilitator"))
    lead.handle(Join(ANA_SEAT, "participant"))
    lead.handle(VoiceActivity(ANA_SEAT, True, 1.0 + ATTACK))  # speaking since 1.0
    clock.now = 1.25  # shown from 1.5 (the hangover): nothing yet
    early = TurnManager.restore(snapshot_of(sync_of(lead.snapshot()), 1.25), settings, clock=clock)
    assert early.talk_seconds(ANA_SEAT) == lead.talk_seconds(ANA_SEAT) == 0.0
    clock.now = 5.0
    shown = lead.talk_seconds(ANA_SEAT)
    assert shown == 3.5  # 1.0 to 4.5: the "stopped" may still come for 4.5
    copy = TurnManager.restore(snapshot_of(sync_of(lead.snapshot()), 5.0), settings, clock=clock)
    assert copy.talk_seconds(ANA_SEAT) == shown
    clock.now = 6.0
    assert copy.talk_seconds(ANA_SEAT) == lead.talk_seconds(ANA_SEAT) == 4.5
    own = TurnManager.restore(lead.snapshot(), settings, clock=clock)
    assert own.talk_seconds(ANA_SEAT) == 4.5
