"""Audio level in dBFS and the voice-activity detector."""

from __future__ import annotations

import fractions
import math
from array import array

import av
import pytest

from groupdesk.media.events import VoiceActivity
from groupdesk.media.levels import (
    SILENCE_DBFS,
    ArrivalClock,
    VadConfig,
    VoiceActivityDetector,
    frame_level_dbfs,
    rms_dbfs,
)
from groupdesk.media.peer import LevelMeter


def test_full_scale_square_wave_is_zero_dbfs() -> None:
    assert rms_dbfs(array("h", [32767, -32768] * 480)) == pytest.approx(0.0, abs=0.01)


def test_sine_is_about_minus_three_dbfs() -> None:
    sine = array("h", (int(32767 * math.sin(2 * math.pi * i / 48)) for i in range(960)))
    assert rms_dbfs(sine) == pytest.approx(-3.01, abs=0.05)


def test_silence_has_a_floor() -> None:
    assert rms_dbfs(array("h", [0] * 960)) == SILENCE_DBFS
    assert rms_dbfs(array("h")) == SILENCE_DBFS


def test_level_of_a_stereo_frame() -> None:
    frame = av.AudioFrame(format="s16", layout="stereo", samples=960)
    frame.planes[0].update(array("h", [16384, -16384] * 960).tobytes())
    assert frame_level_dbfs(frame) == pytest.approx(-6.02, abs=0.05)


def test_level_refuses_float_audio() -> None:
    frame = av.AudioFrame(format="flt", layout="mono", samples=960)
    with pytest.raises(ValueError, match="s16"):
        frame_level_dbfs(frame)


def test_vad_needs_attack_and_keeps_speaking_through_short_pauses() -> None:
    vad = VoiceActivityDetector(VadConfig(threshold_dbfs=-40, attack_s=0.06, hangover_s=0.4))
    changes = [vad.update(-20, 0.02) for _ in range(3)]
    assert changes == [False, False, True]
    assert vad.speaking
    # A 300 ms pause between words does not end the turn...
    assert not any(vad.update(-70, 0.02) for _ in range(15))
    assert vad.speaking
    vad.update(-20, 0.02)
    # ...but 400 ms of silence does.
    changes = [vad.update(-70, 0.02) for _ in range(20)]
    assert changes[-1] is True
    assert changes.count(True) == 1
    assert not vad.speaking


def test_a_click_is_not_speech() -> None:
    vad = VoiceActivityDetector()
    assert not vad.update(-10, 0.02)
    assert not vad.update(-80, 0.02)
    assert not vad.speaking


@pytest.mark.parametrize("bad", [{"threshold_dbfs": 3.0}, {"attack_s": -1.0}])
def test_vad_config_is_validated(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        VadConfig(**bad)


def _tone(pts: int, loud: bool) -> av.AudioFrame:
    """20 ms of mono 48 kHz audio at ``pts`` (1/48000 s units): loud, or silence."""
    frame = av.AudioFrame(format="s16", layout="mono", samples=960)
    frame.planes[0].update(
        array("h", [12000 if loud else 0, -12000 if loud else 0] * 480).tobytes()
    )
    frame.sample_rate = 48_000
    frame.pts = pts
    frame.time_base = fractions.Fraction(1, 48_000)
    return frame


def test_a_busy_loop_does_not_move_when_a_voice_started_and_stopped() -> None:
    """Frames measured late, in a bunch, are stamped when they came (their media time),
    so the speech's length does not grow with the machine's load."""
    events: list[VoiceActivity] = []
    now = [100.0]
    meter = LevelMeter("a00000000001", events.append, clock=lambda: now[0])
    plan = [False] * 10 + [True] * 100 + [False] * 60  # 0.2 s quiet, 2 s of voice, 1.2 s
    for i, loud in enumerate(plan):
        # on time, except the 50 frames around the speech's end: the loop was held 0.8 s
        now[0] = 100.0 + i * 0.02 + (0.8 if 100 <= i < 150 else 0.0)
        meter.feed(_tone(i * 960, loud))
    started, stopped = (e for e in events if isinstance(e, VoiceActivity))
    assert started.speaking
    assert not stopped.speaking
    length = stopped.at - started.at
    config = VadConfig()
    assert length == pytest.approx(2.0 - config.attack_s + config.hangover_s, abs=0.03)


def test_the_arrival_clock_follows_the_media_timeline_and_starts_again_when_it_goes_back() -> None:
    clock = ArrivalClock()
    assert clock.at(0.0, 10.0) == 10.0
    assert clock.at(0.5, 10.9) == pytest.approx(10.5)  # 0.4 s backlog: taken off
    assert clock.at(1.0, 10.95) == pytest.approx(10.95)  # came faster: the new offset
    # A loop stalled 1.5 s is a backlog too: the frame is stamped when it came, and so
    # are those after it while the backlog drains.
    assert clock.at(1.02, 12.5) == pytest.approx(10.97)
    assert clock.at(1.04, 12.51) == pytest.approx(10.99)
    assert clock.at(1.5, 12.52) == pytest.approx(11.45)
    assert clock.at(0.2, 13.0) == pytest.approx(13.0)  # went back: a new timeline
    assert clock.at(0.22, 13.5) == pytest.approx(13.02)
    assert clock.at(None, 13.6) == 13.6
    assert clock.at(50.0, 13.7) <= 13.7  # never later than now


def test_a_loop_held_longer_than_a_second_does_not_lengthen_the_voice_either() -> None:
    """As above with the loop held 1.5 s at the speech's end (a loaded test machine): it
    was once taken for a new media timeline, and the stall counted as speech."""
    events: list[VoiceActivity] = []
    now = [100.0]
    meter = LevelMeter("a00000000001", events.append, clock=lambda: now[0])
    plan = [False] * 10 + [True] * 100 + [False] * 60
    for i, loud in enumerate(plan):
        now[0] = 100.0 + i * 0.02 + (1.5 if 100 <= i < 150 else 0.0)
        meter.feed(_tone(i * 960, loud))
    started, stopped = (e for e in events if isinstance(e, VoiceActivity))
    config = VadConfig()
    length = stopped.at - started.at
    assert length == pytest.approx(2.0 - config.attack_s + config.hangover_s, abs=0.03)
