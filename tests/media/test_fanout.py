"""Encode once, send to all: the shared encoder and its per-peer tracks (no network)."""

from __future__ import annotations

import asyncio

import av
from media_helpers import run

from groupdesk.media.fanout import FanoutTrack, VideoFanout
from groupdesk.media.quality import VideoProfile
from groupdesk.media.sources import TestPatternSource, read_frame_stamp

PROFILE = VideoProfile(320, 180, 30, 250_000)


async def _take(track: FanoutTrack, count: int) -> list[av.packet.Packet]:
    packets = []
    for _ in range(count):
        item = await asyncio.wait_for(track.recv(), 10)
        assert isinstance(item, av.packet.Packet)
        packets.append(item)
    return packets


def _decode(packets: list[av.packet.Packet]) -> list[av.VideoFrame]:
    decoder = av.CodecContext.create("libvpx", "r")
    frames: list[av.VideoFrame] = []
    for packet in packets:
        frames.extend(
            f for f in decoder.decode(av.Packet(bytes(packet))) if isinstance(f, av.VideoFrame)
        )
    return frames


def test_every_peer_gets_the_same_packets_encoded_once() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        tracks = [fanout.subscribe() for _ in range(3)]
        received = await asyncio.gather(*(_take(t, 20) for t in tracks))
        await fanout.stop()
        streams = [[bytes(p) for p in packets] for packets in received]
        assert streams[0] == streams[1] == streams[2]
        assert received[0][0].is_keyframe
        # One encode per frame, whatever the number of peers.
        assert fanout.frames_encoded <= 21
        assert fanout.keyframes_encoded == 1
        assert fanout.threads == 1
        frames = _decode(received[0])
        assert len(frames) == 20
        assert [read_frame_stamp(f).sequence for f in frames if read_frame_stamp(f)] == list(
            range(20)
        )

    run(scenario())


def test_a_keyframe_request_gives_one_keyframe_to_all() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        tracks = [fanout.subscribe() for _ in range(2)]
        await asyncio.gather(*(_take(t, 20) for t in tracks))
        before = fanout.keyframes_encoded
        fanout.request_keyframe()
        fanout.request_keyframe()  # two peers asking at once: still one keyframe
        received = await asyncio.gather(*(_take(t, 10) for t in tracks))
        await fanout.stop()
        assert fanout.keyframes_encoded == before + 1
        assert [sum(p.is_keyframe for p in packets) for packets in received] == [1, 1]

    run(scenario())


def test_a_late_peer_starts_on_a_keyframe() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        first = fanout.subscribe()
        await _take(first, 15)
        late = fanout.subscribe()
        packets = await _take(late, 5)
        await fanout.stop()
        assert packets[0].is_keyframe
        assert len(_decode(packets)) == 5

    run(scenario())


def test_paused_video_sends_nothing_and_resumes_on_a_keyframe() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        track = fanout.subscribe()
        await _take(track, 5)
        fanout.set_profile(None)
        await asyncio.sleep(0.2)
        while not track._queue.empty():
            track._queue.get_nowait()
        encoded = fanout.frames_encoded
        await asyncio.sleep(0.5)
        assert fanout.frames_encoded == encoded
        assert track._queue.empty()
        fanout.set_profile(VideoProfile(160, 90, 30, 150_000))
        packets = await _take(track, 3)
        await fanout.stop()
        assert packets[0].is_keyframe
        assert {(f.width, f.height) for f in _decode(packets)} == {(160, 90)}

    run(scenario())


def test_a_peer_that_wants_no_video_gets_none() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        wanted, unwanted = fanout.subscribe(), fanout.subscribe()
        unwanted.set_wanted(False)
        await _take(wanted, 10)
        assert unwanted._queue.empty()
        unwanted.set_wanted(True)
        packets = await _take(unwanted, 2)
        await fanout.stop()
        assert packets[0].is_keyframe

    run(scenario())


def test_without_fan_out_every_peer_gets_raw_frames() -> None:
    async def scenario() -> None:
        fanout = VideoFanout(
            TestPatternSource("Alice", 640, 360, fps=30), PROFILE, encode_once=False
        )
        tracks = [fanout.subscribe() for _ in range(2)]
        frames = [await asyncio.wait_for(t.recv(), 10) for t in tracks]
        await fanout.stop()
        assert all(isinstance(f, av.VideoFrame) for f in frames)
        assert {(f.width, f.height) for f in frames} == {(320, 180)}  # scaled once, shared
        assert fanout.frames_encoded == 0

    run(scenario())


def test_video_resumes_when_the_only_peer_wants_it_again() -> None:
    """With nobody wanting video the encoder sleeps; one peer asking again wakes it."""

    async def scenario() -> None:
        fanout = VideoFanout(TestPatternSource("Alice", 320, 180, fps=30), PROFILE)
        track = fanout.subscribe()
        await _take(track, 3)
        track.set_wanted(False)
        await asyncio.sleep(0.2)  # the pump goes to sleep: nobody wants video
        encoded = fanout.frames_encoded
        await asyncio.sleep(0.2)
        assert fanout.frames_encoded == encoded
        while not track._queue.empty():
            track._queue.get_nowait()
        track.set_wanted(True)
        packets = await _take(track, 3)
        await fanout.stop()
        assert packets[0].is_keyframe

    run(scenario())
