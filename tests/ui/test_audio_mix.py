"""Remote members' audio mixed into one stream: real av frames, real queues."""

from __future__ import annotations

import threading
from array import array
from typing import Any

import av
import pytest
from PySide6.QtCore import QBuffer, QIODevice

from groupdesk.media.sources import AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE
from groupdesk.ui import audio_out
from groupdesk.ui.audio_out import CHUNK_BYTES, AudioMixer, AudioOut, mix, mix_pcm


def _frame(samples: list[int], layout: str = "mono") -> av.AudioFrame:
    channels = 2 if layout == "stereo" else 1
    frame = av.AudioFrame(format="s16", layout=layout, samples=len(samples) // channels)
    frame.planes[0].update(array("h", samples).tobytes())
    frame.sample_rate = AUDIO_SAMPLE_RATE
    frame.pts = 0
    return frame


def _samples(data: bytes) -> list[int]:
    out = array("h")
    out.frombytes(data)
    return list(out)


def test_two_members_are_summed_and_loud_peaks_clip_instead_of_wrapping() -> None:
    ana = _frame([1000, -2000, 30000, -30000, 20000, 0])
    ben = _frame([500, 500, 10000, -10000, -25000, 7])
    assert _samples(mix([ana, ben])) == [1500, -1500, 32767, -32768, -5000, 7]
    assert _samples(mix([ana])) == [1000, -2000, 30000, -30000, 20000, 0]
    assert mix([]) == b""


def test_a_shorter_member_counts_as_silence_after_its_end() -> None:
    short = array("h", [100, 100]).tobytes()
    long = array("h", [1, 2, 3, 4]).tobytes()
    assert _samples(mix_pcm([short, long])) == [101, 102, 3, 4]


def test_the_mixer_queues_each_member_and_takes_whole_chunks() -> None:
    mixer = AudioMixer(buffer_ms=200)
    loud = [8000] * AUDIO_FRAME_SAMPLES
    mixer.add("ana", _frame(loud))
    assert mixer.take(3) == {"ana": array("h", loud).tobytes()}
    assert mixer.take(3) == {}
    # Stereo from a decoder is brought to mono before it is queued.
    mixer.add("ana", _frame([8000, 8000] * AUDIO_FRAME_SAMPLES, layout="stereo"))
    mixer.add("ben", _frame([-3000] * AUDIO_FRAME_SAMPLES))
    pieces = mixer.take(3)
    assert set(pieces) == {"ana", "ben"}
    assert all(len(piece) == CHUNK_BYTES for piece in pieces.values())
    mixed = _samples(mix_pcm(list(pieces.values())))
    assert abs(mixed[len(mixed) // 2] - 5000) <= 2
    # A member who falls behind loses its oldest audio, not the newest.
    for level in range(20):
        mixer.add("ben", _frame([level] * AUDIO_FRAME_SAMPLES))
    assert mixer.dropped_ms == 200
    assert _samples(mixer.take(1)["ben"])[0] == 10
    mixer.forget("ben")
    assert mixer.take(3) == {}


def test_a_forgotten_member_leaves_no_audio_and_no_state_behind() -> None:
    mixer = AudioMixer()
    mixer.add("ana", _frame([1000] * AUDIO_FRAME_SAMPLES))
    mixer.add("ben", _frame([234] * AUDIO_FRAME_SAMPLES))
    mixer.forget("ben")
    mixer.forget("ben")  # twice: nothing more happens
    mixer.forget("nobody")  # never seen: fine
    assert mixer.seats == {"ana"}
    assert mixer.take(3) == {"ana": array("h", [1000] * AUDIO_FRAME_SAMPLES).tobytes()}
    # Back again (a rejoin): a fresh queue, with no leftover of the old one.
    mixer.add("ben", _frame([7] * AUDIO_FRAME_SAMPLES))
    assert set(_samples(mixer.take(3)["ben"])) == {7}


def test_with_no_speaker_nothing_is_played(qapp: Any) -> None:
    """This machine has no output device: as in CI, the audio is dropped at once."""
    out = AudioOut()
    out.use_chosen_speaker()
    if out.available:  # a machine with a speaker: nothing to check here
        out.close()
        return
    out.play("ana", _frame([8000] * AUDIO_FRAME_SAMPLES))
    assert out.mixer.take(3) == {}
    out.forget("ana")
    out.close()


class _Speaker:
    """What AudioOut reads of a QAudioDevice (this machine has none)."""

    def isNull(self) -> bool:  # noqa: N802 -- Qt's name
        return False

    def description(self) -> str:
        return "Headset"


class _Sink:
    """Stands in for QAudioSink on the headset: what is written lands in ``written``."""

    def __init__(self, *_: object) -> None:
        self.written = QBuffer()
        self.size = 0
        sinks.append(self)

    def setBufferSize(self, size: int) -> None:  # noqa: N802 -- Qt's name
        self.size = size

    def start(self) -> QIODevice:
        self.written.open(QIODevice.OpenModeFlag.WriteOnly)
        return self.written

    def bytesFree(self) -> int:  # noqa: N802 -- Qt's name
        return self.size - self.written.size() % self.size

    def stop(self) -> None:
        pass

    def deleteLater(self) -> None:  # noqa: N802 -- Qt's name
        pass


sinks: list[_Sink] = []


def _headset_with_ana_and_ben(monkeypatch: pytest.MonkeyPatch, mixing: Any) -> AudioOut:
    """AudioOut on the stood-in headset, mixing with ``mixing``, 60 ms of Ana (1000)
    and Ben (234) queued."""
    monkeypatch.setattr(audio_out, "QAudioSink", _Sink)
    monkeypatch.setattr(audio_out, "mix_pcm", mixing)
    sinks.clear()
    out = AudioOut(device=_Speaker())  # type: ignore[arg-type]
    for _ in range(3):
        out.play("ana", _frame([1000] * AUDIO_FRAME_SAMPLES))
        out.play("ben", _frame([234] * AUDIO_FRAME_SAMPLES))
    return out


def test_two_members_reach_the_speaker_as_one_mixed_stream(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One stream for everyone, mixed in a worker thread, written by the 20 ms timer
    (this machine has no speaker: the sink on the chosen headset is stood in for)."""
    threads: set[str] = set()

    def spy(pieces: list[bytes]) -> bytes:
        threads.add(threading.current_thread().name)
        return mix_pcm(pieces)

    out = _headset_with_ana_and_ben(monkeypatch, spy)
    try:
        assert len(sinks) == 1  # one stream, not one per member
        written = sinks[0].written
        qtbot.waitUntil(lambda: written.size() >= 3 * CHUNK_BYTES, timeout=5000)
        assert set(_samples(bytes(written.data().data()))) == {1234}
        assert threading.main_thread().name not in threads  # mixed off the UI thread
        out.muted = True
        out.play("ana", _frame([1000] * AUDIO_FRAME_SAMPLES))
        assert out.mixer.take(3) == {}
    finally:
        out.close()


def test_a_member_who_left_is_not_heard_even_from_the_mix_under_way(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben leaves while the worker is mixing him with Ana: that mix is done again
    without him, and nothing of his reaches the speaker afterwards."""
    gate = threading.Event()
    mixes: list[int] = []

    def slow_mix(pieces: list[bytes]) -> bytes:
        mixes.append(len(pieces))
        if len(mixes) == 1:
            gate.wait(5)  # the first mix is still under way when Ben leaves
        return mix_pcm(pieces)

    out = _headset_with_ana_and_ben(monkeypatch, slow_mix)
    try:
        qtbot.waitUntil(lambda: mixes == [2], timeout=5000)
        out.forget("ben")
        out.forget("ben")
        out.forget("nobody")
        gate.set()
        written = sinks[0].written
        qtbot.waitUntil(lambda: written.size() >= 3 * CHUNK_BYTES, timeout=5000)
        assert set(_samples(bytes(written.data().data()))) == {1000}
        assert out.mixer.seats == {"ana"}
    finally:
        gate.set()
        out.close()
