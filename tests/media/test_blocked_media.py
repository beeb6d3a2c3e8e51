"""Blocked members (the private side room), piece by piece and without a network: the
shared encoder's track and the audio relay send a blocked peer nothing and resume on a
keyframe; a peer drops what a blocked member sends before the sink and the meters."""

from __future__ import annotations

import asyncio

import av
from aiortc.rtcrtpreceiver import RemoteStreamTrack
from media_helpers import Recorder, eventually, run, speech_frame

from groupdesk.media.events import MediaEvent, VoiceActivity
from groupdesk.media.fanout import FanoutTrack, VideoFanout
from groupdesk.media.peer import Peer
from groupdesk.media.quality import VideoProfile
from groupdesk.media.relay import AudioRelay
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource

PROFILE = VideoProfile(320, 180, 30, 250_000)


class _FakePc:
    def getTransceivers(self) -> list[object]:  # noqa: N802 (aiortc's name)
        return []

    async def close(self) -> None:
        return None


async def _next(track: FanoutTrack) -> av.packet.Packet:
    item = await asyncio.wait_for(track.recv(), 10)
    assert isinstance(item, av.packet.Packet)
    return item


def test_a_blocked_peer_gets_no_video_and_returns_on_a_keyframe() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        inside, outside = fanout.subscribe(), fanout.subscribe()
        for _ in range(3):
            await _next(inside)
            await _next(outside)
        outside.set_blocked(True)
        sent = outside.packets_sent
        for _ in range(10):  # the encoder goes on for the one still reached
            await _next(inside)
        assert outside._queue.empty()
        assert outside.packets_sent == sent
        keyframes = fanout.keyframes_encoded
        outside.set_blocked(False)
        first = await _next(outside)
        await fanout.stop()
        assert first.is_keyframe  # a picture at once, not a delta it cannot decode
        assert fanout.keyframes_encoded == keyframes + 1
        assert outside.packets_sent == sent + 1

    run(scenario())


def test_the_encoder_sleeps_while_every_peer_is_blocked() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        track = fanout.subscribe()
        await _next(track)
        track.set_blocked(True)
        track.set_wanted(True)  # the peer's own wish changes nothing while blocked
        await asyncio.sleep(0.2)  # the pump goes to sleep: nobody is reached
        encoded = fanout.frames_encoded
        await asyncio.sleep(0.2)
        assert fanout.frames_encoded == encoded
        assert track._queue.empty()
        track.set_blocked(False)
        first = await _next(track)
        await fanout.stop()
        assert first.is_keyframe

    run(scenario())


def test_a_blocked_peer_gets_no_audio_and_the_others_go_on() -> None:
    async def scenario() -> None:
        relay = AudioRelay(SpeechLikeAudioSource(seed=1, talk_ratio=1.0))
        inside, outside = relay.subscribe(), relay.subscribe()
        await asyncio.wait_for(outside.recv(), 10)
        outside.set_blocked(True)
        for _ in range(10):
            await asyncio.wait_for(inside.recv(), 10)
        assert outside._queue.empty()
        outside.set_blocked(False)
        packet = await asyncio.wait_for(outside.recv(), 10)
        await relay.stop()
        assert isinstance(packet, av.packet.Packet)

    run(scenario())


def test_what_a_blocked_member_sends_reaches_no_sink_and_no_meter() -> None:
    async def scenario() -> None:
        audio, video = RemoteStreamTrack(kind="audio"), RemoteStreamTrack(kind="video")
        peer = Peer(member_id="b", gen=0, offerer=False, pc=_FakePc())  # type: ignore[arg-type]
        recorder, events = Recorder(), list[MediaEvent]()
        peer.consume(audio, recorder, events.append, vad=None)  # type: ignore[arg-type]
        peer.consume(video, recorder, events.append, vad=None)  # type: ignore[arg-type]
        for i in range(25):  # half a second of speech: heard, speaking
            audio._queue.put_nowait(speech_frame(960 * i))
        video._queue.put_nowait(av.VideoFrame(64, 36, "yuv420p"))
        await eventually(lambda: (recorder.audio["b"], recorder.video["b"]) == (25, 1), 5)
        assert [e.speaking for e in events if isinstance(e, VoiceActivity)] == [True]

        peer.set_blocked(True)
        # the member stops speaking for us at once, without waiting for silence
        assert [e.speaking for e in events if isinstance(e, VoiceActivity)] == [True, False]
        seen = len(events)
        for i in range(25, 50):
            audio._queue.put_nowait(speech_frame(960 * i))
        video._queue.put_nowait(av.VideoFrame(64, 36, "yuv420p"))
        await eventually(lambda: audio._queue.empty() and video._queue.empty(), 5)
        await asyncio.sleep(0)  # the last frame taken is dealt with
        assert (recorder.audio["b"], recorder.video["b"]) == (25, 1)
        assert len(events) == seen  # no level, no voice activity
        assert (peer.received.blocked_audio_frames, peer.received.blocked_video_frames) == (25, 1)

        peer.set_blocked(False)
        audio._queue.put_nowait(speech_frame(960 * 50))
        video._queue.put_nowait(av.VideoFrame(64, 36, "yuv420p"))
        audio._queue.put_nowait(None)
        video._queue.put_nowait(None)
        await asyncio.wait_for(asyncio.gather(*peer.tasks), 5)
        assert (recorder.audio["b"], recorder.video["b"]) == (26, 2)

    run(scenario())
