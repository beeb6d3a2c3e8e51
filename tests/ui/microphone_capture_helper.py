"""Capture from a real audio input with QtMicrophoneSource, on a qasync loop.

Run by tests/ui/test_microphone_capture.py in its own process, after the test started
a private PulseAudio server with a source (the speaker's monitor) that hears a tone:
Qt Multimedia reads the list of devices once, when it first looks, so the server (and
``PULSE_SERVER``) must be there before this starts.

Usage: microphone_capture_helper.py SOURCE_NAME SECONDS RAW_OUT

Picks the input SOURCE_NAME from what Qt lists, makes a QtMicrophoneSource of it and
lets Qt's loop run for a second without reading it; then reads SECONDS of frames
(their samples written to RAW_OUT, s16 in the machine's order), stops it and waits
for its recording stream to end. What the audio server records from SOURCE_NAME (its
source outputs, ``pactl list short source-outputs``, each with the process it is for)
is looked at after each step. Prints one JSON object a line on stdout: ``devices`` (and
this process's id), ``before_read``, ``read`` (with each frame's format and pts),
``after_stop``, and ``qt`` for each Qt warning.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from PySide6.QtWidgets import QApplication

from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE
from groupdesk.ui.devices import QtMicrophoneSource

#: How long the source is left unread, Qt's loop running, before the first read.
_UNREAD_S = 1.0
#: The longest a stopped source's recording stream may take to end.
_STOP_S = 3.0


def _say(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def _on_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        _say("qt", kind=str(kind), message=message)


def _id(device: QAudioDevice) -> str:
    return bytes(device.id().data()).decode()


def _pactl(*args: str) -> str:
    return subprocess.run(
        ["pactl", *args], capture_output=True, text=True, check=True, timeout=10
    ).stdout


def _recording(source_name: str) -> list[dict[str, str]]:
    """The audio server's recording streams (source outputs) on ``source_name``: each
    with its line of ``pactl list short source-outputs`` and the process it is for."""
    index = next(
        line.split("\t")[0]
        for line in _pactl("list", "short", "sources").splitlines()
        if line.split("\t")[1:2] == [source_name]
    )
    pids: dict[str, str] = {}
    output = ""
    for line in _pactl("list", "source-outputs").splitlines():
        if line.startswith("Source Output #"):
            output = line.removeprefix("Source Output #").strip()
        elif line.strip().startswith("application.process.id"):
            pids[output] = line.split("=", 1)[1].strip().strip('"')
    return [
        {"line": line, "pid": pids.get(line.split("\t")[0], "")}
        for line in _pactl("list", "short", "source-outputs").splitlines()
        if line.split("\t")[1:2] == [index]
    ]


async def _scenario(source_name: str, seconds: float, raw_out: Path) -> int:
    inputs = QMediaDevices.audioInputs()
    _say(
        "devices",
        inputs=[{"id": _id(d), "description": d.description()} for d in inputs],
        default=_id(QMediaDevices.defaultAudioInput()),
        pid=os.getpid(),
    )
    device = next((d for d in inputs if _id(d) == source_name), None)
    if device is None:
        return 2
    mic = QtMicrophoneSource(device)
    await asyncio.sleep(_UNREAD_S)  # Qt's loop runs: a stream opened now would show
    _say("before_read", opened=mic.opened, recording=_recording(source_name))

    frames = []
    wanted = round(seconds * AUDIO_SAMPLE_RATE / AUDIO_FRAME_SAMPLES)
    began = time.monotonic()
    first_s = None
    with raw_out.open("wb") as out:
        while len(frames) < wanted:
            frame = await asyncio.wait_for(mic.recv(), 5)
            if first_s is None:
                first_s = time.monotonic() - began
            frames.append(
                {
                    "format": frame.format.name,
                    "layout": frame.layout.name,
                    "samples": frame.samples,
                    "rate": frame.sample_rate,
                    "pts": frame.pts,
                    "time_base": str(frame.time_base),
                }
            )
            out.write(bytes(frame.planes[0])[: frame.samples * 2])
    _say(
        "read",
        opened=mic.opened,
        first_frame_s=first_s,
        read_s=time.monotonic() - began,
        frames=frames,
        recording=_recording(source_name),
    )

    mic.stop()
    stopped = time.monotonic()
    recording = _recording(source_name)
    while recording and time.monotonic() - stopped < _STOP_S:
        await asyncio.sleep(0.1)  # Qt's loop runs: the stream ends
        recording = _recording(source_name)
    _say("after_stop", recording=recording, after_s=time.monotonic() - stopped)
    return 0


def main() -> int:
    source_name, seconds, raw_out = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3])
    qInstallMessageHandler(_on_qt_message)
    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(
            asyncio.wait_for(_scenario(source_name, seconds, raw_out), 60)
        )
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main())
