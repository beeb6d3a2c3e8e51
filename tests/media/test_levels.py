"""Audio level in dBFS and the voice-activity detector."""

from __future__ import annotations

import math
from array import array

import av
import pytest

from groupdesk.media.levels import (
    SILENCE_DBFS,
    VadConfig,
    VoiceActivityDetector,
    frame_level_dbfs,
    rms_dbfs,
)


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
