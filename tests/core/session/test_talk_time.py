"""Talk time from voice activity: muted intervals, leaving mid-speech, odd event streams."""

from __future__ import annotations

import pytest
from turns_helpers import ANA, BEN, CLO, CO, FACILITATOR, FakeClock

from groupdesk.core.session.talk_time import TalkTimeMeter
from groupdesk.core.session.turn_events import Join, Leave, MuteChanged, VoiceActivity
from groupdesk.core.session.turns import TurnManager


def test_speech_is_counted_between_on_and_off() -> None:
    meter = TalkTimeMeter()
    meter.voice(ANA, True, 10.0)
    meter.voice(ANA, False, 14.5)
    meter.voice(ANA, True, 20.0)
    assert meter.seconds(ANA, 21.0) == 5.5  # an open interval counts up to now
    meter.voice(ANA, False, 22.0)
    assert meter.seconds(ANA, 100.0) == 6.5
    assert meter.seconds(BEN, 100.0) == 0.0


def test_nothing_is_counted_while_muted() -> None:
    meter = TalkTimeMeter()
    meter.mute(ANA, True, 0.0)
    meter.voice(ANA, True, 1.0)  # speaking into a muted microphone
    meter.voice(ANA, False, 5.0)
    assert meter.seconds(ANA, 5.0) == 0.0
    meter.voice(ANA, True, 6.0)
    meter.mute(ANA, False, 8.0)  # unmutes mid-sentence: counted from here
    meter.mute(ANA, True, 11.0)  # and mutes again
    meter.voice(ANA, False, 12.0)
    assert meter.seconds(ANA, 20.0) == 3.0


def test_duplicate_events_neither_restart_nor_close_twice() -> None:
    meter = TalkTimeMeter()
    meter.voice(ANA, True, 0.0)
    meter.voice(ANA, True, 3.0)  # a repeated "on" does not restart the interval
    meter.voice(ANA, False, 4.0)
    meter.voice(ANA, False, 9.0)  # a repeated "off" does nothing
    assert meter.seconds(ANA, 10.0) == 4.0


def test_an_event_from_the_past_is_applied_at_the_latest_time_seen() -> None:
    meter = TalkTimeMeter()
    meter.voice(ANA, True, 10.0)
    meter.voice(BEN, True, 20.0)
    meter.voice(ANA, False, 15.0)  # arrives late: Ana is counted up to 20
    assert meter.seconds(ANA, 30.0) == 10.0
    meter.voice(BEN, False, 5.0)  # stamped before Ben started: a zero-length close
    assert meter.seconds(BEN, 30.0) == 0.0
    meter.voice(CLO, True, 40.0)
    assert meter.seconds(CLO, 45.0) == 5.0  # shown to the facilitator...
    meter.voice(CLO, False, 42.0)  # ...then a late "off": what was shown is not taken back
    assert meter.seconds(CLO, 50.0) == 5.0
    with pytest.raises(ValueError, match="finite"):
        meter.voice(ANA, True, float("nan"))


def test_leaving_mid_speech_closes_the_interval(room: TurnManager, clock: FakeClock) -> None:
    room.handle(VoiceActivity(ANA, True, clock.now))
    clock.advance(7)
    room.handle(Leave(ANA))
    clock.advance(100)
    assert room.talk_seconds(ANA) == 7.0  # kept for the session's record
    room.handle(VoiceActivity(ANA, False, clock.now))  # the stray "off" changes nothing
    assert room.talk_seconds(ANA) == 7.0
    room.handle(Join(ANA, "participant"))  # back after a drop: the total carries on
    room.handle(VoiceActivity(ANA, True, clock.now))
    clock.advance(3)
    assert room.talk_seconds(ANA) == 10.0


def test_shares_against_the_fair_share_and_who_has_not_spoken(
    room: TurnManager, clock: FakeClock
) -> None:
    def speak(member: str, seconds: float) -> None:
        room.handle(VoiceActivity(member, True, clock.now))
        clock.advance(seconds)
        room.handle(VoiceActivity(member, False, clock.now))

    speak(FACILITATOR, 30)
    speak(ANA, 60)
    speak(BEN, 10)
    speak(CLO, 0.5)  # a cough is not having spoken
    room.handle(MuteChanged(BEN, True, clock.now))
    view = room.facilitator_view()
    assert view.fair_share == 1 / 5
    shares = {t.member: (t.seconds, t.share) for t in view.talk}
    assert shares == {
        FACILITATOR: (30.0, 30 / 100.5),
        CO: (0.0, 0.0),
        ANA: (60.0, 60 / 100.5),
        BEN: (10.0, 10 / 100.5),
        CLO: (0.5, 0.5 / 100.5),
    }
    assert view.not_yet_spoken == (CO, CLO)
    assert view.muted == (BEN,)
    room.handle(Leave(ANA))  # shares are among the members present
    view = room.facilitator_view()
    assert view.fair_share == 1 / 4
    assert [t.share for t in view.talk if t.member == BEN] == [10 / 40.5]


def test_nobody_has_a_share_before_anyone_speaks(room: TurnManager) -> None:
    view = room.facilitator_view()
    assert {t.share for t in view.talk} == {None}
    assert view.not_yet_spoken == (FACILITATOR, CO, ANA, BEN, CLO)
