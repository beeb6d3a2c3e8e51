"""Play two members' tones through AudioOut on a real audio server, then forget one.

Run by tests/ui/test_audio_playback.py in its own process, after the test started a
private PulseAudio server: Qt Multimedia reads the list of devices once, when it
first looks, so the server (and ``PULSE_SERVER``) must be there before this starts.

Usage: audio_playback_helper.py SINK_NAME BOTH_S ALONE_S

Ana plays ``ANA_HZ`` and Ben ``BEN_HZ`` (``AMPLITUDE`` each) on the speaker the app
would choose (none chosen yet: the system's default, which must be SINK_NAME) for
BOTH_S seconds; then Ben is forgotten while he still has
audio queued, and Ana plays on alone for ALONE_S seconds. Prints one JSON object a
line on stdout: ``devices``, ``start``, ``forget`` (with how much of Ben was sent
before his burst) and ``done`` (with the longest stall of the UI thread), and ``qt``
for each Qt warning.
"""

from __future__ import annotations

import json
import math
import sys
import time
from array import array
from typing import Any

import av
from PySide6.QtCore import QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication

from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE
from groupdesk.ui.audio_out import AudioOut

ANA_HZ = 440.0
BEN_HZ = 660.0
AMPLITUDE = 8000
#: How far ahead of the clock the members' frames arrive (a jitter buffer's worth).
_LEAD_S = 0.04
#: Ben's burst just before he leaves: audio still queued for him when he is forgotten
#: (120 ms: with the lead, under what the mixer keeps before it drops).
_BURST_FRAMES = 6


def _say(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def _on_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        _say("qt", kind=str(kind), message=message)


class _Tone:
    """A sine of one member, 20 ms s16 mono frames with no break in phase."""

    def __init__(self, hz: float) -> None:
        self._step = 2 * math.pi * hz / AUDIO_SAMPLE_RATE
        self._n = 0

    def frame(self) -> av.AudioFrame:
        samples = array(
            "h",
            (
                round(AMPLITUDE * math.sin(self._step * (self._n + i)))
                for i in range(AUDIO_FRAME_SAMPLES)
            ),
        )
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_FRAME_SAMPLES)
        frame.planes[0].update(samples.tobytes())
        frame.sample_rate = AUDIO_SAMPLE_RATE
        frame.pts = self._n
        self._n += AUDIO_FRAME_SAMPLES
        return frame


def main() -> int:
    sink_name, both_s, alone_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    qInstallMessageHandler(_on_qt_message)
    app = QApplication([])
    outputs = QMediaDevices.audioOutputs()
    _say(
        "devices",
        outputs=[bytes(d.id().data()).decode() for d in outputs],
        default=bytes(QMediaDevices.defaultAudioOutput().id().data()).decode(),
    )
    out = AudioOut()
    out.use_chosen_speaker()
    if bytes(out.device.id().data()).decode() != sink_name:
        return 2
    ana, ben = _Tone(ANA_HZ), _Tone(BEN_HZ)
    start = time.monotonic()
    sent = 0  # frames of each member sent so far
    ben_here = True
    _say("start", at=start)

    stalled = 0.0  # the longest the UI thread did not get to run (the machine too busy)
    last = start

    def feed() -> None:
        nonlocal sent, ben_here, stalled, last
        now = time.monotonic()
        elapsed = now - start
        stalled, last = max(stalled, now - last - 0.01), now
        if ben_here and elapsed >= both_s:
            for _ in range(_BURST_FRAMES):
                out.play("ben", ben.frame())
            _say(
                "forget",
                at=time.monotonic(),
                dropped_ms=out.dropped_ms,
                ben_ms=sent * 20,  # before the burst
                burst_ms=_BURST_FRAMES * 20,
            )
            out.forget("ben")
            ben_here = False
        if elapsed >= both_s + alone_s:
            timer.stop()
            _say(
                "done",
                at=time.monotonic(),
                dropped_ms=out.dropped_ms,
                stalled_ms=round(stalled * 1000),
            )
            QTimer.singleShot(400, app.quit)  # what the speaker holds plays out
            return
        while sent * AUDIO_FRAME_SAMPLES / AUDIO_SAMPLE_RATE < elapsed + _LEAD_S:
            out.play("ana", ana.frame())
            if ben_here:
                out.play("ben", ben.frame())
            sent += 1

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(feed)
    timer.start()
    feed()
    app.exec()
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
