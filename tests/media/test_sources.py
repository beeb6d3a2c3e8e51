"""Synthetic sources: the test pattern and its frame stamp, speech-like audio, pushed sources."""

from __future__ import annotations

import asyncio
from array import array
from fractions import Fraction

import av
import pytest
from aiortc.mediastreams import MediaStreamError
from media_helpers import run

from groupdesk.media.levels import VoiceActivityDetector, frame_level_dbfs, rms_dbfs
from groupdesk.media.sources import (
    AUDIO_FRAME_SAMPLES,
    FrameStamp,
    PushedAudioSource,
    PushedVideoSource,
    SpeechLikeAudioSource,
    TestPatternSource,
    read_frame_stamp,
)


def _vp8_round_trip(frames: list[av.VideoFrame], bitrate: int = 250_000) -> list[av.VideoFrame]:
    encoder = av.CodecContext.create("libvpx", "w")
    encoder.width, encoder.height = frames[0].width, frames[0].height
    encoder.pix_fmt, encoder.bit_rate = "yuv420p", bitrate
    encoder.time_base = Fraction(1, 15)
    encoder.options = {"deadline": "realtime", "cpu-used": "-6", "lag-in-frames": "0"}
    decoder = av.CodecContext.create("libvpx", "r")
    decoded: list[av.VideoFrame] = []
    for index, frame in enumerate(frames):
        frame.pts = index
        for packet in encoder.encode(frame):
            decoded.extend(f for f in decoder.decode(packet) if isinstance(f, av.VideoFrame))
    return decoded


def test_a_frame_stamp_survives_scaling_and_vp8() -> None:
    source = TestPatternSource("Élodie", 320, 180)
    frames = [source.render(sequence) for sequence in range(10)]
    decoded = _vp8_round_trip([f.reformat(width=240, height=136) for f in frames])
    stamps = [read_frame_stamp(f) for f in decoded]
    assert [s.sequence for s in stamps if s is not None] == list(range(10))


def test_grain_changes_every_frame_and_keeps_the_stamp_readable() -> None:
    source = TestPatternSource("Alice", 320, 180, grain=12)
    frames = [source.render(sequence) for sequence in range(6)]
    assert len({bytes(f.planes[0])[320 * 120 : 320 * 130] for f in frames}) == 6  # no text here
    decoded = _vp8_round_trip(frames, bitrate=400_000)
    assert [read_frame_stamp(f).sequence for f in decoded if read_frame_stamp(f)] == list(range(6))
    with pytest.raises(ValueError, match="grain"):
        TestPatternSource("Alice", grain=21)


def test_a_frame_stamp_tells_the_age_of_a_frame() -> None:
    stamp = FrameStamp(captured_ms=1_000, sequence=7)
    assert stamp.age_ms(now_ms=1_085) == 85
    assert FrameStamp.now(3).age_ms() < 1_000


def test_a_frame_without_a_stamp_reads_as_none() -> None:
    gray = av.VideoFrame(320, 180, "yuv420p")
    for plane in gray.planes:
        plane.update(bytes([128]) * plane.buffer_size)
    assert read_frame_stamp(gray) is None


def test_each_name_draws_a_different_picture() -> None:
    first = bytes(TestPatternSource("Alice").render(0).planes[0])
    second = bytes(TestPatternSource("Bruno").render(0).planes[0])
    assert first != second


@pytest.mark.parametrize(("width", "height", "fps"), [(63, 36, 15), (320, 181, 15), (320, 180, 0)])
def test_the_test_pattern_validates_its_size(width: int, height: int, fps: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        TestPatternSource("x", width, height, fps)


def test_the_test_pattern_is_paced_with_a_90khz_clock() -> None:
    async def scenario() -> list[av.VideoFrame]:
        source = TestPatternSource("Alice", 160, 90, fps=30)
        return [await source.recv() for _ in range(3)]

    frames = run(scenario())
    assert [f.pts for f in frames] == [0, 3000, 6000]
    assert all(f.time_base == Fraction(1, 90_000) for f in frames)
    assert all((f.width, f.height, f.format.name) == (160, 90, "yuv420p") for f in frames)


def test_speech_like_audio_comes_in_bursts() -> None:
    source = SpeechLikeAudioSource(seed=4)
    levels = []
    for _ in range(1500):  # 30 s
        samples = array("h")
        samples.frombytes(source.next_samples())
        assert len(samples) == AUDIO_FRAME_SAMPLES
        levels.append(rms_dbfs(samples))
    vad = VoiceActivityDetector()
    turns = sum(vad.update(level, 0.02) for level in levels)
    assert turns >= 6  # several starts and stops
    speech = sum(level > -40 for level in levels) / len(levels)
    assert 0.2 < speech < 0.8


def test_speech_like_audio_is_reproducible() -> None:
    first, second = SpeechLikeAudioSource(seed=1), SpeechLikeAudioSource(seed=1)
    assert [first.next_samples() for _ in range(50)] == [second.next_samples() for _ in range(50)]


def test_speech_like_audio_frames_are_20ms_of_48khz_mono() -> None:
    async def scenario() -> list[av.AudioFrame]:
        source = SpeechLikeAudioSource(seed=0, talk_ratio=1.0)
        return [await source.recv() for _ in range(10)]

    frames = run(scenario())
    assert [f.pts for f in frames] == [i * 960 for i in range(10)]
    assert {(f.sample_rate, f.samples, f.layout.name, f.format.name) for f in frames} == {
        (48_000, 960, "mono", "s16")
    }
    assert max(frame_level_dbfs(f) for f in frames) > -30


def test_a_pushed_video_source_gives_the_newest_frame() -> None:
    async def scenario() -> tuple[int, bool]:
        source = PushedVideoSource()
        first, second = av.VideoFrame(64, 36, "yuv420p"), av.VideoFrame(96, 54, "yuv420p")
        source.push(first)
        source.push(second)
        frame = await source.recv()
        source.stop()
        try:
            await source.recv()
        except MediaStreamError:
            return frame.width, True
        return frame.width, False

    assert run(scenario()) == (96, True)


def test_a_pushed_audio_source_keeps_order_and_drops_the_oldest() -> None:
    async def scenario() -> list[int]:
        source = PushedAudioSource(max_frames=2)
        for pts in (1, 2, 3):
            frame = av.AudioFrame(format="s16", layout="mono", samples=960)
            frame.pts = pts
            source.push(frame)
        out = [(await source.recv()).pts or 0 for _ in range(2)]
        source.stop()
        with pytest.raises(MediaStreamError):
            await asyncio.wait_for(source.recv(), 1)
        return out

    assert run(scenario()) == [2, 3]
