"""Remote members' audio to the chosen speaker (Qt Multimedia), and the lobby's knock.

Each remote member gets its own ``QAudioSink`` stream on the same output device,
and the system's mixer adds them up: no per-sample Python on the UI thread.
A stream that falls behind drops audio instead of piling up delay. With no
output device (a CI machine), ``available`` is False and the screen says so.
"""

from __future__ import annotations

import logging
import math
from array import array
from functools import cache

import av
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtMultimedia import QAudioDevice, QAudioSink, QMediaDevices

from groupdesk.media.sources import AUDIO_SAMPLE_RATE
from groupdesk.ui.devices import audio_format, remembered_index

log = logging.getLogger(__name__)

#: Audio buffered per member before newer audio is dropped (keeps the delay short).
_BUFFER_MS = 200


@cache
def knock(seconds: float = 0.35) -> bytes:
    """Two soft low taps (s16 mono, 48 kHz): someone is waiting in the lobby."""
    samples = array("h")
    total = int(seconds * AUDIO_SAMPLE_RATE)
    tap = total // 2
    for i in range(total):
        t = (i % tap) / AUDIO_SAMPLE_RATE
        envelope = math.exp(-25.0 * t)
        samples.append(int(0.35 * 32767 * envelope * math.sin(2 * math.pi * 220.0 * t)))
    return samples.tobytes()


class AudioOut(QObject):
    """Plays each remote member's audio on one output device; plays the knock."""

    def __init__(self, device: QAudioDevice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Qt Multimedia loads its backend on first use: not before a session starts.
        self._device = device
        self.muted = False
        self._streams: dict[str, tuple[QAudioSink, QIODevice, av.AudioResampler]] = {}
        self._knock: QAudioSink | None = None
        self._knock_data: QBuffer | None = None
        self.dropped_ms = 0

    @property
    def device(self) -> QAudioDevice:
        """The output device (the system's default unless one was chosen)."""
        if self._device is None:
            self._device = QMediaDevices.defaultAudioOutput()
        return self._device

    def use_chosen_speaker(self) -> None:
        """Play on the speaker chosen on the device check from now on (before a session).

        The system's default output when none was chosen or the one chosen is gone.
        """
        outputs = QMediaDevices.audioOutputs()
        index = remembered_index("speaker", outputs, default=-1)
        device = outputs[index] if index >= 0 else QMediaDevices.defaultAudioOutput()
        if self._device is not None and device == self._device:
            return
        self.close()
        self._device = device

    @property
    def available(self) -> bool:
        """False when there is no output device (remote audio is then not played)."""
        return not self.device.isNull()

    def play(self, seat: str, frame: av.AudioFrame) -> None:
        """20 ms of ``seat``'s audio."""
        if not self.available or self.muted:
            return
        stream = self._streams.get(seat) or self._open(seat)
        if stream is None:
            return
        sink, io, resampler = stream
        for mono in resampler.resample(frame):
            data = bytes(mono.planes[0])[: mono.samples * 2]
            if sink.bytesFree() < len(data):
                self.dropped_ms += 20
                continue
            io.write(data)

    def forget(self, seat: str) -> None:
        """``seat`` left: close its stream."""
        stream = self._streams.pop(seat, None)
        if stream is not None:
            stream[0].stop()
            stream[0].deleteLater()

    def play_knock(self) -> None:
        """The lobby's knock, once."""
        if not self.available:
            return
        self._stop_knock()
        self._knock_data = QBuffer(self)
        self._knock_data.setData(QByteArray(knock()))
        self._knock_data.open(QIODevice.OpenModeFlag.ReadOnly)
        self._knock = QAudioSink(self.device, audio_format(), self)
        self._knock.start(self._knock_data)

    def close(self) -> None:
        """Close every stream."""
        for seat in list(self._streams):
            self.forget(seat)
        self._stop_knock()

    def _open(self, seat: str) -> tuple[QAudioSink, QIODevice, av.AudioResampler] | None:
        sink = QAudioSink(self.device, audio_format(), self)
        sink.setBufferSize(AUDIO_SAMPLE_RATE * 2 * _BUFFER_MS // 1000)
        io = sink.start()
        if io is None:
            log.warning("could not open an audio stream on %s", self.device.description())
            sink.deleteLater()
            return None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_SAMPLE_RATE)
        self._streams[seat] = (sink, io, resampler)
        return self._streams[seat]

    def _stop_knock(self) -> None:
        if self._knock is not None:
            self._knock.stop()
            self._knock.deleteLater()
            self._knock = None
        if self._knock_data is not None:
            self._knock_data.close()
            self._knock_data.deleteLater()
            self._knock_data = None
