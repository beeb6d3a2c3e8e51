"""Remote members' audio, mixed into one stream on the chosen speaker (Qt Multimedia),
and the lobby's knock.

Each member's decoded audio is brought to 48 kHz mono s16 and queued; every
20 ms a timer takes what the speaker has room for (at most 60 ms), a worker
thread adds the members' samples up (clipped to the 16-bit range, see
:func:`mix_pcm`), and the UI thread only writes the result to the one
``QAudioSink``. A member whose queue grows past ``_BUFFER_MS`` loses its oldest
audio instead of piling up delay. With no output device (a CI machine),
``available`` is False, nothing is played and the screen says so.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from itertools import zip_longest

import av
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer
from PySide6.QtMultimedia import QAudioDevice, QAudioSink, QMediaDevices

from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE
from groupdesk.ui.devices import audio_format, remembered_index

log = logging.getLogger(__name__)

#: Audio queued per member before its oldest audio is dropped (keeps the delay short).
_BUFFER_MS = 200
#: The speaker's own buffer.
_SINK_MS = 120
#: 20 ms of 48 kHz mono s16: the unit the mixer works in.
CHUNK_BYTES = AUDIO_FRAME_SAMPLES * 2
#: At most this many chunks are mixed at a time (catching up after a stall).
_MAX_CHUNKS = 3
#: How soon to look again for a mix under way (mixing 60 ms takes a few ms).
_POLL_MS = 2
_INT16_MAX = 32767
_INT16_MIN = -32768

_mixing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-mixer")


def mix_pcm(chunks: Sequence[bytes]) -> bytes:
    """The sum of s16 mono ``chunks`` (native byte order), clipped to the 16-bit range.

    A shorter chunk counts as silence after its end; the result is as long as the
    longest. Clipping (rather than wrapping round) is what keeps two loud voices at
    once a little harsh instead of a burst of noise. For a worker thread.
    """
    if not chunks:
        return b""
    if len(chunks) == 1:
        return bytes(chunks[0][: len(chunks[0]) // 2 * 2])
    tracks = []
    for chunk in chunks:
        samples = array("h")
        samples.frombytes(chunk[: len(chunk) // 2 * 2])
        tracks.append(samples)
    return array(
        "h",
        [
            _INT16_MAX if total > _INT16_MAX else _INT16_MIN if total < _INT16_MIN else total
            for total in map(sum, zip_longest(*tracks, fillvalue=0))
        ],
    ).tobytes()


def mix(frames: Sequence[av.AudioFrame]) -> bytes:
    """:func:`mix_pcm` of s16 mono ``frames`` (one per member, as ``AudioMixer`` queues them)."""
    return mix_pcm([bytes(frame.planes[0])[: frame.samples * 2] for frame in frames])


class AudioMixer:
    """The members' queued audio (48 kHz mono s16), taken a few 20 ms chunks at a time."""

    def __init__(self, buffer_ms: int = _BUFFER_MS) -> None:
        self._limit = AUDIO_SAMPLE_RATE * 2 * buffer_ms // 1000
        self._queues: dict[str, bytearray] = {}
        self._resamplers: dict[str, av.AudioResampler] = {}
        self.dropped_ms = 0

    def add(self, seat: str, frame: av.AudioFrame) -> None:
        """Queue ``frame`` of ``seat`` (any format, rate or layout: resampled here)."""
        resampler = self._resamplers.get(seat)
        if resampler is None:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_SAMPLE_RATE)
            self._resamplers[seat] = resampler
        queue = self._queues.setdefault(seat, bytearray())
        for mono in resampler.resample(frame):
            queue += bytes(mono.planes[0])[: mono.samples * 2]
        excess = len(queue) - self._limit
        if excess > 0:
            excess = -(-excess // CHUNK_BYTES) * CHUNK_BYTES  # whole chunks, oldest first
            del queue[:excess]
            self.dropped_ms += excess * 1000 // (AUDIO_SAMPLE_RATE * 2)

    def forget(self, seat: str) -> None:
        """``seat`` left: drop its queued audio and its resampler (an unknown seat is fine)."""
        self._queues.pop(seat, None)
        self._resamplers.pop(seat, None)

    @property
    def seats(self) -> frozenset[str]:
        """The members with a queue (audio queued now or before)."""
        return frozenset(self._queues)

    def take(self, max_chunks: int) -> dict[str, bytes]:
        """Up to ``max_chunks`` chunks of each member that has audio, one piece per member
        (empty when nobody has a whole chunk queued)."""
        ready = max((len(q) // CHUNK_BYTES for q in self._queues.values()), default=0)
        count = min(ready, max_chunks) * CHUNK_BYTES
        if count == 0:
            return {}
        pieces = {}
        for seat, queue in self._queues.items():
            taken = min(count, len(queue) // 2 * 2)
            if taken:
                pieces[seat] = bytes(queue[:taken])
                del queue[:taken]
        return pieces

    def clear(self) -> None:
        """Forget everyone."""
        self._queues.clear()
        self._resamplers.clear()


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
    """Mixes the remote members' audio into one stream on one output device; plays the knock."""

    def __init__(self, device: QAudioDevice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Qt Multimedia loads its backend on first use: not before a session starts.
        self._device = device
        self.muted = False
        self.mixer = AudioMixer()
        self._sink: QAudioSink | None = None
        self._io: QIODevice | None = None
        self._mixed: Future[bytes] | None = None
        # What ``_mixed`` is the sum of, per member (to mix again without one who left).
        self._mixing: dict[str, bytes] = {}
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._feed)
        # Looks again for the mix under way a moment after it was handed over, so that
        # it is written as soon as it is ready rather than at the next tick: 20 ms more
        # audio ahead in the speaker when the UI thread is late (measured on a real
        # audio server: tests/ui/test_audio_playback.py).
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.setTimerType(Qt.TimerType.PreciseTimer)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._write_mixed)
        self._knock: QAudioSink | None = None
        self._knock_data: QBuffer | None = None

    @property
    def dropped_ms(self) -> int:
        """Audio dropped so far because a member's queue was full (the speaker fell behind)."""
        return self.mixer.dropped_ms

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
        """20 ms of ``seat``'s audio: queued for the next mix."""
        if not self.available or self.muted:
            return
        if self._sink is None and not self._open():
            return
        self.mixer.add(seat, frame)

    def forget(self, seat: str) -> None:
        """``seat`` left: drop its queued audio and what is known of it (idempotent).

        Audio of ``seat`` being mixed right now is mixed again without it; only what
        the speaker already holds (at most its buffer, ``_SINK_MS``) is still heard.
        """
        self.mixer.forget(seat)
        if self._mixing.pop(seat, None) is not None and self._mixed is not None:
            self._mixed.cancel()
            self._mixed = _mixing.submit(mix_pcm, list(self._mixing.values()))

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
        """Close the stream (a later ``play`` opens it again)."""
        self._timer.stop()
        self._poll.stop()
        self.mixer.clear()
        if self._mixed is not None:
            self._mixed.cancel()
            self._mixed = None
        self._mixing = {}
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
            self._io = None
        self._stop_knock()

    def _open(self) -> bool:
        sink = QAudioSink(self.device, audio_format(), self)
        sink.setBufferSize(AUDIO_SAMPLE_RATE * 2 * _SINK_MS // 1000)
        io = sink.start()
        if io is None:
            log.warning("could not open an audio stream on %s", self.device.description())
            sink.deleteLater()
            return False
        self._sink, self._io = sink, io
        self._timer.start()
        return True

    def _feed(self) -> None:
        """Each 20 ms on the UI thread: hand the worker what the speaker has room for."""
        if self._sink is None or not self._write_mixed():
            return
        room = self._sink.bytesFree() // CHUNK_BYTES
        pieces = self.mixer.take(min(room, _MAX_CHUNKS))
        if pieces:
            self._mixing = pieces
            self._mixed = _mixing.submit(mix_pcm, list(pieces.values()))
            self._poll.start()

    def _write_mixed(self) -> bool:
        """Write what the worker mixed, if it is done; False while a mix is under way."""
        if self._mixed is None:
            return True
        if not self._mixed.done():
            self._poll.start()
            return False
        mixed, self._mixed, self._mixing = self._mixed, None, {}
        if self._io is not None and not mixed.cancelled() and mixed.exception() is None:
            self._io.write(mixed.result())
        return True

    def _stop_knock(self) -> None:
        if self._knock is not None:
            self._knock.stop()
            self._knock.deleteLater()
            self._knock = None
        if self._knock_data is not None:
            self._knock_data.close()
            self._knock_data.deleteLater()
            self._knock_data = None
