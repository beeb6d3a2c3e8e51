"""Lip sync: a member's audio is held as long as their video is.

At 5% loss and 100 ms each way the video receiver holds frames 0.2-0.5 s so that
retransmissions come in time (test_playout_delay.py); the voice then came that much
before the lips. These tests fail if the audio goes to the speakers without waiting
for the picture, if it stops in the middle of speech to catch up, or if aiortc renames
the receiver attribute the delay is read from.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import av
import pytest
from aiortc.rtcrtpreceiver import RemoteStreamTrack, RTCRtpReceiver
from media_helpers import eventually, run, speech_frame

import groupdesk.media  # noqa: F401  (installs the buffer, as the app does)
from groupdesk.media.jitter import MarkerJitterBuffer, playout_delay
from groupdesk.media.lipsync import CATCH_UP_S, MAX_HOLD_S, LipSync
from groupdesk.media.peer import Peer

LOUD, QUIET = -6.0, -70.0


def test_without_a_video_delay_audio_plays_when_it_comes() -> None:
    sync = LipSync()
    assert [sync.due(t * 0.02, 0.0, LOUD) for t in range(5)] == [t * 0.02 for t in range(5)]
    assert (sync.held, sync.dropped) == (0, 0)


def test_audio_waits_as_long_as_the_video_and_no_longer_than_the_cap() -> None:
    sync = LipSync()
    assert sync.due(10.0, 0.3, LOUD) == pytest.approx(10.3)
    assert sync.due(10.02, 0.3, LOUD) == pytest.approx(10.32)
    assert sync.due(10.04, 5.0, LOUD) == pytest.approx(10.04 + MAX_HOLD_S)
    assert sync.held == 3


def test_a_shrinking_delay_keeps_speech_whole_and_in_order_and_drops_only_quiet_audio() -> None:
    sync = LipSync()
    assert sync.due(0.0, 0.4, LOUD) == pytest.approx(0.4)
    # The video's delay falls to nothing: speech goes on where it was, never earlier
    # than audio already scheduled, nothing of it dropped.
    loud = [sync.due(0.02 * i, 0.0, LOUD) for i in range(1, 6)]
    assert loud == sorted(loud)
    assert all(due is not None and due >= 0.4 for due in loud)
    assert sync.dropped == 0
    # A pause: quiet frames that far behind are dropped, until the audio has caught up.
    quiet = [sync.due(0.12 + 0.02 * i, 0.0, QUIET) for i in range(30)]
    assert quiet[0] is None
    caught_up = [i for i, due in enumerate(quiet) if due is not None]
    assert caught_up, "the audio never caught up"
    first = caught_up[0]
    assert quiet[first] == pytest.approx(0.12 + 0.02 * first, abs=CATCH_UP_S + 1e-9)
    assert sync.dropped == first


class _Transport:
    state = "new"


@dataclass
class _Transceiver:
    receiver: RTCRtpReceiver


@dataclass
class _Pc:
    transceivers: list[_Transceiver] = field(default_factory=list)

    def getTransceivers(self) -> list[_Transceiver]:  # noqa: N802 (aiortc's name)
        return self.transceivers

    async def close(self) -> None:
        return None


class _Timed:
    """A sink that notes when each audio frame reached it (the loop's clock)."""

    def __init__(self) -> None:
        self.audio: list[float] = []

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        pass

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio.append(asyncio.get_running_loop().time())


def test_the_receivers_video_delay_is_read_where_the_buffer_keeps_it() -> None:
    """Fails if aiortc renames the private attribute :func:`playout_delay` reads."""
    video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
    audio = RTCRtpReceiver("audio", _Transport())  # type: ignore[arg-type]
    buffer = video._RTCRtpReceiver__jitter_buffer  # type: ignore[attr-defined]
    assert isinstance(buffer, MarkerJitterBuffer)
    delay = playout_delay(video)
    assert delay is not None
    assert delay() == 0.0
    buffer.recovery._delay = 0.25
    assert delay() == 0.25
    assert playout_delay(audio) is None


def test_a_peer_holds_the_audio_while_its_video_is_held() -> None:
    async def scenario() -> None:
        video = RTCRtpReceiver("video", _Transport())  # type: ignore[arg-type]
        audio = RTCRtpReceiver("audio", _Transport())  # type: ignore[arg-type]
        for receiver in (video, audio):  # as aiortc does on a remote description
            receiver._track = RemoteStreamTrack(kind=receiver._RTCRtpReceiver__kind)  # type: ignore[attr-defined]
        pc = _Pc([_Transceiver(audio), _Transceiver(video)])
        peer = Peer(member_id="b", gen=0, offerer=False, pc=pc)  # type: ignore[arg-type]
        sink = _Timed()
        peer.consume(video.track, sink, lambda event: None, vad=None)  # type: ignore[arg-type]
        peer.consume(audio.track, sink, lambda event: None, vad=None)  # type: ignore[arg-type]
        assert peer.video_delay is not None

        loop = asyncio.get_running_loop()
        sent = loop.time()
        for i in range(3):  # no delay: heard at once
            audio._track._queue.put_nowait(speech_frame(960 * i))
        await eventually(lambda: len(sink.audio) == 3, 5)

        video._RTCRtpReceiver__jitter_buffer.recovery._delay = 0.3  # type: ignore[attr-defined]
        sent = loop.time()
        for i in range(3, 6):
            audio._track._queue.put_nowait(speech_frame(960 * i))
        await eventually(lambda: len(sink.audio) == 6, 5)
        # never before the picture it goes with (a busy machine only makes it later)
        assert min(sink.audio[3:]) >= sent + 0.3 - 0.001
        assert peer.lipsync.held == 3

        sent = loop.time()
        for i in range(6, 9):
            audio._track._queue.put_nowait(speech_frame(960 * i))
        await eventually(lambda: peer.lipsync.held == 6, 5)
        peer.set_blocked(True)  # held audio of a member now in a side room is not heard
        await eventually(lambda: loop.time() > sent + 0.4, 5)  # past when it was due
        audio._track._queue.put_nowait(None)
        video._track._queue.put_nowait(None)
        await asyncio.wait_for(asyncio.gather(*peer.tasks), 5)
        assert len(sink.audio) == 6

    run(scenario())
