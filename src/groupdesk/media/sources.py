"""Local media sources: the interface device capture implements, and synthetic sources.

A source is an aiortc :class:`MediaStreamTrack` whose ``recv()`` returns the next
frame, paced in real time: :class:`VideoSource` gives ``yuv420p`` video frames with
a 90 kHz clock, :class:`AudioSource` 20 ms of signed 16-bit mono audio at 48 kHz.

Device capture (Qt Multimedia, in ``ui/``) subclasses :class:`PushedVideoSource` /
:class:`PushedAudioSource` and calls ``push()`` from its capture callbacks.

:class:`TestPatternSource` draws the member's name, a running clock and a
machine-readable :class:`FrameStamp` (capture time + sequence number) that
:func:`read_frame_stamp` recovers from a decoded frame, to measure
glass-to-glass latency.
"""

from __future__ import annotations

import asyncio
import fractions
import hashlib
import math
import operator
import random
import time
from array import array
from dataclasses import dataclass

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from groupdesk.media._font import GLYPH_HEIGHT, draw_text

VIDEO_CLOCK_RATE = 90_000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)
AUDIO_SAMPLE_RATE = 48_000
AUDIO_TIME_BASE = fractions.Fraction(1, AUDIO_SAMPLE_RATE)
AUDIO_FRAME_SAMPLES = 960  # 20 ms
AUDIO_FRAME_S = AUDIO_FRAME_SAMPLES / AUDIO_SAMPLE_RATE


class _Pacer:
    """Real-time pacing: frame n is due at start + n * interval."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.index = -1
        self._start: float | None = None

    async def next(self) -> int:
        loop = asyncio.get_running_loop()
        self.index += 1
        if self._start is None:
            self._start = loop.time()
        due = self._start + self.index * self.interval
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -1.0:
            # Far behind (a stalled loop): skip ahead instead of bursting frames.
            self.index = int((loop.time() - self._start) / self.interval)
        return self.index


class VideoSource(MediaStreamTrack):
    """A local video source; ``recv()`` returns the next ``av.VideoFrame`` (yuv420p)."""

    kind = "video"

    async def recv(self) -> av.VideoFrame:
        """The next frame; raises ``MediaStreamError`` once the source has ended."""
        raise NotImplementedError


class AudioSource(MediaStreamTrack):
    """A local audio source; ``recv()`` returns 20 ms of s16 mono audio at 48 kHz."""

    kind = "audio"

    async def recv(self) -> av.AudioFrame:
        """The next frame; raises ``MediaStreamError`` once the source has ended."""
        raise NotImplementedError


class PushedVideoSource(VideoSource):
    """A video source fed by a capture callback; the newest frame wins (no backlog)."""

    def __init__(self) -> None:
        super().__init__()
        self._latest: av.VideoFrame | None = None
        self._ready = asyncio.Event()
        self._t0: float | None = None

    def push(self, frame: av.VideoFrame) -> None:
        """Hand over a captured frame; call from the event loop's thread."""
        now = time.monotonic()
        if self._t0 is None:
            self._t0 = now
        frame.pts = int((now - self._t0) * VIDEO_CLOCK_RATE)
        frame.time_base = VIDEO_TIME_BASE
        self._latest = frame
        self._ready.set()

    async def recv(self) -> av.VideoFrame:
        """The newest pushed frame, waiting for one if needed."""
        while self._latest is None:
            if self.readyState != "live":
                raise MediaStreamError
            self._ready.clear()
            await self._ready.wait()
        frame, self._latest = self._latest, None
        return frame

    def stop(self) -> None:
        """End the source; a pending ``recv()`` raises ``MediaStreamError``."""
        super().stop()
        self._ready.set()


class PushedAudioSource(AudioSource):
    """An audio source fed by a capture callback, queued in order (a few frames at most)."""

    def __init__(self, max_frames: int = 10) -> None:
        super().__init__()
        self._queue: asyncio.Queue[av.AudioFrame | None] = asyncio.Queue(max_frames)

    def push(self, frame: av.AudioFrame) -> None:
        """Hand over captured audio; the oldest frame is dropped if the queue is full."""
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(frame)

    async def recv(self) -> av.AudioFrame:
        """The next pushed frame."""
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self._queue.get()
        if frame is None:
            raise MediaStreamError
        return frame

    def stop(self) -> None:
        """End the source; a pending ``recv()`` raises ``MediaStreamError``."""
        super().stop()
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


# -- frame stamp -------------------------------------------------------------------------

STAMP_COLUMNS = 32
STAMP_ROWS = 2
_STAMP_BAND = 18  # the stamp's two rows take 2/18 of the frame height
_MS_BITS = 40
_SEQ_BITS = 16


@dataclass(frozen=True)
class FrameStamp:
    """Machine-readable stamp in a test-pattern frame: wall-clock capture time + sequence."""

    captured_ms: int
    sequence: int

    def __post_init__(self) -> None:
        if not 0 <= self.captured_ms < 1 << _MS_BITS:
            raise ValueError("captured_ms out of range")
        if not 0 <= self.sequence < 1 << _SEQ_BITS:
            raise ValueError("sequence out of range")

    @classmethod
    def now(cls, sequence: int) -> FrameStamp:
        """A stamp for a frame captured now."""
        return cls(time.time_ns() // 1_000_000 % (1 << _MS_BITS), sequence % (1 << _SEQ_BITS))

    def age_ms(self, now_ms: int | None = None) -> int:
        """Milliseconds since capture (same clock: the same machine, or synchronised ones)."""
        now = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        return (now - self.captured_ms) % (1 << _MS_BITS)

    def bits(self) -> int:
        """The 64 bits drawn in the frame: time, sequence, CRC-8 of both."""
        payload = (self.captured_ms << _SEQ_BITS) | self.sequence
        return (payload << 8) | _crc8(payload.to_bytes(7, "big"))


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _block_edges(size: int, count: int) -> list[int]:
    return [round(i * size / count) for i in range(count + 1)]


def _draw_stamp(plane: bytearray, width: int, height: int, stamp: FrameStamp) -> None:
    bits = stamp.bits()
    xs = _block_edges(width, STAMP_COLUMNS)
    ys = _block_edges(height, _STAMP_BAND)
    for row in range(STAMP_ROWS):
        for col in range(STAMP_COLUMNS):
            bit = (bits >> (63 - (row * STAMP_COLUMNS + col))) & 1
            ink = bytes([235 if bit else 16]) * (xs[col + 1] - xs[col])
            for y in range(ys[row], ys[row + 1]):
                plane[y * width + xs[col] : y * width + xs[col + 1]] = ink


def read_frame_stamp(frame: av.VideoFrame) -> FrameStamp | None:
    """The stamp of a (decoded, possibly rescaled) test-pattern frame, or None if unreadable."""
    if frame.format.name != "yuv420p":
        frame = frame.reformat(format="yuv420p")
    plane = frame.planes[0]
    data = bytes(plane)
    stride = plane.line_size
    width, height = frame.width, frame.height
    bits = 0
    for row in range(STAMP_ROWS):
        y = int((row + 0.5) * height / _STAMP_BAND)
        for col in range(STAMP_COLUMNS):
            x = int((col + 0.5) * width / STAMP_COLUMNS)
            bits = (bits << 1) | (1 if data[y * stride + x] >= 128 else 0)
    payload, check = bits >> 8, bits & 0xFF
    if _crc8(payload.to_bytes(7, "big")) != check:
        return None
    return FrameStamp(payload >> _SEQ_BITS, payload & ((1 << _SEQ_BITS) - 1))


# -- synthetic video ---------------------------------------------------------------------

_GRAIN_VARIANTS = 16


class TestPatternSource(VideoSource):
    """A test pattern: the member's name, a running clock, a moving bar and a frame stamp."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(
        self, name: str, width: int = 320, height: int = 180, fps: int = 15, *, grain: int = 0
    ) -> None:
        super().__init__()
        if width % 2 or height % 2 or width < 64 or height < 36:
            raise ValueError(f"width and height must be even and at least 64x36: {width}x{height}")
        if not 1 <= fps <= 60:
            raise ValueError(f"fps must be in 1..60, got {fps}")
        if not 0 <= grain <= 20:  # the name is drawn at 235: 235 + 20 still fits a byte
            raise ValueError(f"grain must be in 0..20, got {grain}")
        self.name = name
        self.width, self.height, self.fps = width, height, fps
        self._pacer = _Pacer(1.0 / fps)
        self._scale = max(1, height // 60)
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        self._chroma = (64 + digest[0] // 2, 64 + digest[1] // 2)
        background = self._draw_background()
        self._backgrounds = [background]
        if grain:
            # Sensor-like grain, different in every frame, so the encoder works as hard as
            # it would on a camera (a flat pattern is far cheaper to encode).
            rng = random.Random(name)
            table = bytes(b % (grain + 1) for b in range(256))
            self._backgrounds = [
                bytearray(
                    map(operator.add, background, rng.randbytes(len(background)).translate(table))
                )
                for _ in range(_GRAIN_VARIANTS)
            ]

    def _draw_background(self) -> bytearray:
        w, h = self.width, self.height
        plane = bytearray(w * h)
        for y in range(h):
            plane[y * w : (y + 1) * w] = bytes([60 + 40 * y // h]) * w
        top = h * 3 // _STAMP_BAND
        draw_text(plane, w, (self._scale * 2, top), self.name[:24], scale=self._scale, value=235)
        return plane

    def _clock_text(self) -> str:
        now = time.time()
        ms = int(now * 1000) % 1000
        return time.strftime("%H:%M:%S", time.localtime(now)) + f".{ms:03d}"

    def render(self, sequence: int) -> av.VideoFrame:
        """Draw frame number ``sequence`` now (no pacing)."""
        w, h, scale = self.width, self.height, self._scale
        plane = bytearray(self._backgrounds[sequence * 7 % len(self._backgrounds)])
        clock_y = h * 3 // _STAMP_BAND + (GLYPH_HEIGHT + 3) * scale
        draw_text(plane, w, (scale * 2, clock_y), self._clock_text(), scale=scale, value=235)
        bar_w = max(4, w // 20)
        bar_x = (sequence * max(2, w // 60)) % (w - bar_w)
        bar_top = h - h // 8
        for y in range(bar_top, h - 2):
            plane[y * w + bar_x : y * w + bar_x + bar_w] = b"\xc8" * bar_w
        _draw_stamp(plane, w, h, FrameStamp.now(sequence))
        frame = av.VideoFrame(w, h, "yuv420p")
        frame.planes[0].update(bytes(plane))
        cw, ch = w // 2, h // 2
        frame.planes[1].update(bytes([self._chroma[0]]) * (cw * ch))
        frame.planes[2].update(bytes([self._chroma[1]]) * (cw * ch))
        return frame

    async def recv(self) -> av.VideoFrame:
        """The next frame, at ``fps`` frames per second."""
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        frame = self.render(index)
        frame.pts = int(index * VIDEO_CLOCK_RATE / self.fps)
        frame.time_base = VIDEO_TIME_BASE
        return frame


# -- synthetic audio ---------------------------------------------------------------------

_PITCHES_HZ = (110.0, 130.0, 165.0, 196.0, 220.0)
_AMPLITUDES = 12


def _voiced_period(pitch_hz: float, amplitude: float) -> bytes:
    """One pitch period of a vowel-like sound: a few decaying harmonics."""
    n = round(AUDIO_SAMPLE_RATE / pitch_hz)
    weights = (1.0, 0.6, 0.45, 0.3, 0.2, 0.12)
    norm = sum(weights)
    samples = array(
        "h",
        (
            int(
                amplitude
                * 32767
                / norm
                * sum(w * math.sin(2 * math.pi * (k + 1) * i / n) for k, w in enumerate(weights))
            )
            for i in range(n)
        ),
    )
    return samples.tobytes()


_TABLES: list[list[bytes]] = []


def _tables() -> list[list[bytes]]:
    if not _TABLES:
        for pitch in _PITCHES_HZ:
            levels = [0.5 * (a / (_AMPLITUDES - 1)) ** 1.5 for a in range(_AMPLITUDES)]
            _TABLES.append([_voiced_period(pitch, level) for level in levels])
    return _TABLES


class SpeechLikeAudioSource(AudioSource):
    """Speech-like audio in bursts: voiced syllables at a speaking pitch, then silence.

    The pattern (talk spurts of 0.6-2.5 s, pauses of 0.4-2 s, about four syllables a
    second) follows from ``seed``; ``talk_ratio`` scales how much of the time is speech.
    Built from precomputed pitch periods, so it costs almost no CPU.
    """

    def __init__(self, seed: int = 0, talk_ratio: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= talk_ratio <= 1.0:
            raise ValueError(f"talk_ratio must be in [0, 1], got {talk_ratio}")
        self._rng = random.Random(seed)
        self._talk_ratio = talk_ratio
        self._pacer = _Pacer(AUDIO_FRAME_S)
        self._pitch = self._rng.randrange(len(_PITCHES_HZ))
        self._talking = False
        self._phase_left = 0.0  # seconds left in the current spurt or pause
        self._syllable_t = 0.0
        self._syllable_len = 0.25
        self._carry = b""  # the part of the last period that did not fit the previous frame

    def _next_phase(self) -> None:
        rng = self._rng
        if self._talk_ratio >= 1.0:
            self._talking, self._phase_left = True, 3600.0
        elif self._talk_ratio <= 0.0:
            self._talking, self._phase_left = False, 3600.0
        else:
            self._talking = not self._talking and rng.random() < 0.5 + self._talk_ratio / 2
            if self._talking:
                self._phase_left = rng.uniform(0.6, 2.5)
            else:
                self._phase_left = rng.uniform(0.4, 2.0) * (1 - self._talk_ratio) * 2

    def _envelope(self) -> int:
        # A syllable rises and falls like half a sine; about four a second.
        position = self._syllable_t / self._syllable_len
        return int((_AMPLITUDES - 1) * math.sin(math.pi * min(1.0, position)))

    def next_samples(self) -> bytes:
        """The next 20 ms of audio (s16 mono, native byte order), without pacing."""
        need = AUDIO_FRAME_SAMPLES * 2
        out = bytearray(self._carry)
        while len(out) < need:
            if self._phase_left <= 0:
                self._next_phase()
            if not self._talking:
                silence = need - len(out)
                out += bytes(silence)
                self._phase_left -= silence / 2 / AUDIO_SAMPLE_RATE
                continue
            period = _tables()[self._pitch][self._envelope()]
            out += period
            dt = len(period) / 2 / AUDIO_SAMPLE_RATE
            self._phase_left -= dt
            self._syllable_t += dt
            if self._syllable_t >= self._syllable_len:
                self._syllable_t = 0.0
                self._syllable_len = self._rng.uniform(0.15, 0.35)
                step = self._rng.choice((-1, 0, 1))
                self._pitch = max(0, min(len(_PITCHES_HZ) - 1, self._pitch + step))
        self._carry = bytes(out[need:])
        return bytes(out[:need])

    async def recv(self) -> av.AudioFrame:
        """The next 20 ms frame, in real time."""
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_FRAME_SAMPLES)
        frame.planes[0].update(self.next_samples())
        frame.sample_rate = AUDIO_SAMPLE_RATE
        frame.pts = index * AUDIO_FRAME_SAMPLES
        frame.time_base = AUDIO_TIME_BASE
        return frame


class SwitchableSpeechSource(AudioSource):
    """Speech-like audio while :attr:`speaking`, else silence; switched at run time.

    No renegotiation: the track stays the same, only what its frames carry changes, at
    the next 20 ms frame. :attr:`muted` sends silence whatever :attr:`speaking` says (a
    muted microphone). :attr:`spoken_seconds` counts the speech actually sent unmuted,
    frame by frame: the truth a talk-time measurement is checked against.
    """

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self._speech = SpeechLikeAudioSource(seed=seed, talk_ratio=1.0)
        self._pacer = _Pacer(AUDIO_FRAME_S)
        self.speaking = False
        self.muted = False
        self.spoken_seconds = 0.0

    def next_samples(self) -> bytes:
        """The next 20 ms of audio (s16 mono), without pacing; counts the speech sent."""
        if not self.speaking or self.muted:
            return bytes(AUDIO_FRAME_SAMPLES * 2)
        self.spoken_seconds += AUDIO_FRAME_S
        return self._speech.next_samples()

    async def recv(self) -> av.AudioFrame:
        """The next 20 ms frame, in real time."""
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_FRAME_SAMPLES)
        frame.planes[0].update(self.next_samples())
        frame.sample_rate = AUDIO_SAMPLE_RATE
        frame.pts = index * AUDIO_FRAME_SAMPLES
        frame.time_base = AUDIO_TIME_BASE
        return frame
