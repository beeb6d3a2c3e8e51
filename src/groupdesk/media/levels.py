"""Audio level (RMS in dBFS) and a simple voice-activity detector with hangover."""

from __future__ import annotations

import math
import operator
import sys
from array import array
from dataclasses import dataclass

import av

SILENCE_DBFS = -100.0
"""The level reported for digital silence (log of zero has no value)."""

_FULL_SCALE = 32768.0


def rms_dbfs(samples: array[int]) -> float:
    """The RMS level of signed 16-bit samples, in dBFS (0 = full-scale square wave)."""
    if not samples:
        return SILENCE_DBFS
    total = sum(map(operator.mul, samples, samples))
    if total == 0:
        return SILENCE_DBFS
    rms = math.sqrt(total / len(samples))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms / _FULL_SCALE))


def frame_samples(frame: av.AudioFrame, *, first_channel: bool = False) -> array[int]:
    """The samples of an ``s16`` (packed) or ``s16p`` (first plane) audio frame.

    ``first_channel`` keeps only the first channel of packed audio (half the work
    for the level of a stereo stream whose channels carry the same voice).
    """
    if frame.format.name not in ("s16", "s16p"):
        raise ValueError(f"expected s16 audio, got {frame.format.name}")
    channels = 1 if frame.format.is_planar else len(frame.layout.channels)
    samples = array("h")
    samples.frombytes(bytes(frame.planes[0])[: frame.samples * channels * 2])
    if sys.byteorder == "big":  # pragma: no cover -- FFmpeg's s16 is native-endian
        samples.byteswap()
    if first_channel and channels > 1:
        return samples[::channels]
    return samples


def frame_level_dbfs(frame: av.AudioFrame) -> float:
    """The RMS level of one audio frame (its first channel), in dBFS."""
    return rms_dbfs(frame_samples(frame, first_channel=True))


@dataclass(frozen=True)
class VadConfig:
    """Thresholds of the voice-activity detector.

    Speech starts after ``attack_s`` above ``threshold_dbfs`` and ends after
    ``hangover_s`` below it, so the pauses between words do not end a turn.
    """

    threshold_dbfs: float = -42.0
    attack_s: float = 0.06
    hangover_s: float = 0.4

    def __post_init__(self) -> None:
        if not -100.0 < self.threshold_dbfs < 0.0:
            raise ValueError(f"threshold_dbfs must be in (-100, 0), got {self.threshold_dbfs}")
        if self.attack_s < 0 or self.hangover_s < 0:
            raise ValueError("attack_s and hangover_s must not be negative")


class VoiceActivityDetector:
    """Decides, frame by frame, whether a person is speaking."""

    def __init__(self, config: VadConfig | None = None) -> None:
        self.config = config or VadConfig()
        self.speaking = False
        self._above_s = 0.0
        self._below_s = 0.0

    def update(self, level_dbfs: float, duration_s: float) -> bool:
        """Feed one frame's level; returns whether the speaking state changed."""
        cfg = self.config
        if level_dbfs >= cfg.threshold_dbfs:
            self._above_s += duration_s
            self._below_s = 0.0
            if not self.speaking and self._above_s >= cfg.attack_s:
                self.speaking = True
                return True
        else:
            self._below_s += duration_s
            self._above_s = 0.0
            if self.speaking and self._below_s >= cfg.hangover_s:
                self.speaking = False
                return True
        return False


class ArrivalClock:
    """When a frame came, on the monotonic clock, without our processing backlog.

    Frames are measured when the event loop gets to them, which can be later than they
    came when the machine is busy: a voice that started or stopped would be stamped late
    by the backlog, and talk time would move with the machine's load. The media's own
    timeline (a frame's ``time``) does not lag: the clock keeps the smallest offset seen
    between the two and stamps each frame at that offset plus its media time, never
    later than now. However long the backlog, it is a backlog: a loaded machine can stall
    the loop for more than a second, and stamping at "now" then (as a former rule did
    past one second) counted the stall into the talk time of whoever stopped speaking
    during it. Only a media timeline that goes back (a new stream, a sender that
    restarted) starts the offset again; one that jumps ahead lowers it at once, being the
    smallest. A frame without a media time is stamped now.
    """

    def __init__(self) -> None:
        self._offset: float | None = None
        self._last: float | None = None

    def at(self, media_time: float | None, now: float) -> float:
        """The time ``media_time`` arrived, given that it is processed at ``now``."""
        if media_time is None:
            return now
        offset = now - media_time
        went_back = self._last is not None and media_time < self._last
        if self._offset is None or offset < self._offset or went_back:
            self._offset = offset
        self._last = media_time
        return min(now, self._offset + media_time)
