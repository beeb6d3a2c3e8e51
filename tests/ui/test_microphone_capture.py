"""QtMicrophoneSource on a real audio stack: a private PulseAudio server's source.

The test reuses test_audio_playback's private PulseAudio server (``pulse_env``: a null
sink as the only speaker) and gives it a microphone: Qt Multimedia does not list a
sink's monitor as an input, so a remap source on the monitor stands in for one (the
default source), hearing whatever the speaker plays. ``pacat`` plays a 1 kHz tone on
the speaker while QtMicrophoneSource captures in a subprocess
(microphone_capture_helper.py: Qt reads the list of devices once, so the server must be
up before Qt first looks). Asserted: no recording stream on the microphone until its
audio is first read (a participant in the lobby has a closed microphone), one then
(the helper's), gone once the source is stopped; 20 ms s16 mono 48 kHz frames in
order; the tone captured at the level it was played.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

import pytest
from test_audio_playback import (  # the fixture, and what the playback test measures with
    _QT_MACHINE,
    SINK,
    _goertzel,
    _rms,
    pulse_env,  # noqa: F401
)

from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE

pytestmark = pytest.mark.slow

HELPER = Path(__file__).with_name("microphone_capture_helper.py")
#: The microphone: a remap source on the speaker's monitor.
MICROPHONE = "groupdesk_microphone"
#: The tone played on the speaker (20 whole periods in a 20 ms frame) and its amplitude.
TONE_HZ, AMPLITUDE = 1000.0, 8000
#: How much audio the helper reads.
READ_S = 1.5
#: The tone plays longer than the helper can take.
_TONE_S = 60


def _tone() -> bytes:
    step = 2 * math.pi * TONE_HZ / AUDIO_SAMPLE_RATE
    period = round(AUDIO_SAMPLE_RATE / TONE_HZ)
    one = array("h", (round(AMPLITUDE * math.sin(step * i)) for i in range(period)))
    if sys.byteorder == "big":
        one.byteswap()
    return one.tobytes() * (_TONE_S * AUDIO_SAMPLE_RATE // period)


def _add_microphone(env: dict[str, str]) -> None:
    """A source on the speaker's monitor, the default: what Qt lists as the microphone."""
    for command in (
        [
            "pactl",
            "load-module",
            "module-remap-source",
            f"master={SINK}.monitor",
            f"source_name={MICROPHONE}",
            "source_properties=device.description=GroupDesk-test-microphone",
        ],
        ["pactl", "set-default-source", MICROPHONE],
    ):
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=10)


def _capture(env: dict[str, str], tmp_path: Path) -> tuple[dict[str, Any], array[int], str]:
    """The helper's events, the samples it read, and what to show if something is wrong."""
    raw = tmp_path / "microphone.raw"
    tone = tmp_path / "tone.raw"
    tone.write_bytes(_tone())
    with tone.open("rb") as tone_in:
        player = subprocess.Popen(
            [
                "pacat",
                f"--device={SINK}",
                "--raw",
                "--format=s16le",
                f"--rate={AUDIO_SAMPLE_RATE}",
                "--channels=1",
                "--latency-msec=20",
            ],
            env=env,
            stdin=tone_in,
        )
    try:
        helper = subprocess.run(
            [sys.executable, str(HELPER), MICROPHONE, str(READ_S), str(raw)],
            env={**env, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        player.terminate()
        player.wait(10)
    server_log = Path(env["XDG_RUNTIME_DIR"], "pulseaudio.log").read_text(errors="replace")
    context = (
        f"\n--- helper (exit {helper.returncode}) stdout:\n{helper.stdout}"
        f"\n--- helper stderr:\n{helper.stderr}\n--- PulseAudio log:\n{server_log}"
    )
    assert helper.returncode == 0, "the helper failed" + context
    said = [json.loads(line) for line in helper.stdout.splitlines()]
    qt_warnings = [
        e["message"] for e in said if e["event"] == "qt" and not _QT_MACHINE.match(e["message"])
    ]
    assert not qt_warnings, f"Qt warned: {qt_warnings}" + context
    samples = array("h")
    samples.frombytes(raw.read_bytes())
    if sys.byteorder == "big":
        samples.byteswap()
    return {e["event"]: e for e in said}, samples, context


def test_the_microphone_records_only_once_read_and_hears_the_tone(
    pulse_env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    _add_microphone(pulse_env)
    events, samples, context = _capture(pulse_env, tmp_path)
    devices, before, read, after = (
        events[name] for name in ("devices", "before_read", "read", "after_stop")
    )
    print(f"Qt lists as audio inputs: {devices['inputs']} (default {devices['default']!r})")

    # Made, the Qt loop running for a second, but not read: the microphone is closed.
    assert before["recording"] == [], (
        f"recording on {MICROPHONE} before its audio was first read: {before['recording']}"
        + context
    )
    assert not before["opened"], "opened before its audio was read" + context
    # Read: one recording stream, the helper's.
    assert read["opened"], context
    assert [r["pid"] for r in read["recording"]] == [str(devices["pid"])], (
        f"not one recording stream of the helper's while reading: {read['recording']}" + context
    )
    # Stopped: the stream is gone.
    assert after["recording"] == [], f"still recording once stopped: {after}" + context

    # 20 ms s16 mono 48 kHz frames, one after the other.
    frames = read["frames"]
    assert {
        (f["format"], f["layout"], f["samples"], f["rate"], f["time_base"]) for f in frames
    } == {("s16", "mono", AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE, f"1/{AUDIO_SAMPLE_RATE}")}, (
        f"frames not 20 ms s16 mono 48 kHz: {frames}" + context
    )
    # In order from the first read (none dropped unless the reader fell 200 ms behind).
    pts = [f["pts"] for f in frames]
    steps = [b - a for a, b in itertools.pairwise(pts)]
    assert pts[0] == 0, f"pts not from 0: {pts}" + context
    assert all(s > 0 and s % AUDIO_FRAME_SAMPLES == 0 for s in steps), (
        f"pts not increasing in whole frames: {pts}" + context
    )
    dropped = sum(s // AUDIO_FRAME_SAMPLES - 1 for s in steps)
    assert len(samples) == len(frames) * AUDIO_FRAME_SAMPLES, context

    # The tone, at the level it was played: in each frame from when it is first heard
    # (the stream's first frames may be silence while the server starts it).
    windows = [
        samples[i : i + AUDIO_FRAME_SAMPLES] for i in range(0, len(samples), AUDIO_FRAME_SAMPLES)
    ]
    levels = [_goertzel(w, TONE_HZ) for w in windows]
    heard = [i for i, level in enumerate(levels) if level > AMPLITUDE / 2]
    assert heard, f"the tone was never heard: levels {[round(x) for x in levels]}" + context
    onset = heard[0]
    after_onset = levels[onset:]
    level = sorted(after_onset)[len(after_onset) // 2]
    rms = sorted(_rms(w) for w in windows[onset:])[len(after_onset) // 2]
    quiet = sum(x < AMPLITUDE / 2 for x in after_onset)
    figures = (
        f"first frame {read['first_frame_s'] * 1000:.0f} ms after the first read, tone heard "
        f"from frame {onset} ({onset * 20} ms in); {len(frames)} frames read in "
        f"{read['read_s']:.2f} s ({dropped} dropped); tone level {level:.0f} "
        f"(played {AMPLITUDE}), RMS {rms:.0f} "
        f"(a pure tone: {AMPLITUDE / math.sqrt(2):.0f}); {quiet} of {len(after_onset)} frames "
        f"after the onset under half level; stream gone {after['after_s'] * 1000:.0f} ms "
        f"after stop()"
    )
    print(figures)
    levels_text = f"\n{figures}\nlevels {[round(x) for x in levels]}"
    assert onset * AUDIO_FRAME_SAMPLES < AUDIO_SAMPLE_RATE // 2, (
        "the tone heard only after 500 ms" + levels_text + context
    )
    assert 0.8 * AMPLITUDE < level < 1.2 * AMPLITUDE, (
        "the tone not at the level it was played" + levels_text + context
    )
    # Nothing but the tone (RMS of a sine: amplitude / sqrt 2), and (nearly) no gap.
    assert abs(rms * math.sqrt(2) - level) < 0.1 * level, "not just the tone" + levels_text
    assert quiet <= 0.05 * len(after_onset), "gaps in the tone" + levels_text + context
