"""Audio to every peer: Opus encoded once, raw frames for the level meter, and a clean stop."""

from __future__ import annotations

import asyncio
from typing import Any

import av
import pytest
from aiortc.mediastreams import MediaStreamError
from media_helpers import run

from groupdesk.media.levels import frame_level_dbfs
from groupdesk.media.relay import AudioRelay
from groupdesk.media.sources import SpeechLikeAudioSource


def test_audio_is_encoded_once_for_every_peer_and_decodes() -> None:
    async def scenario() -> None:
        relay = AudioRelay(SpeechLikeAudioSource(seed=2, talk_ratio=1.0))
        peers = [relay.subscribe() for _ in range(3)]
        meter = relay.subscribe(raw=True)

        async def take(track: Any, count: int) -> list[Any]:
            return [await asyncio.wait_for(track.recv(), 5) for _ in range(count)]

        received = await asyncio.gather(*(take(t, 25) for t in [*peers, meter]))
        await relay.stop()
        packet_streams = [[bytes(p) for p in packets] for packets in received[:3]]
        assert packet_streams[0] == packet_streams[1] == packet_streams[2]
        assert relay.packets_encoded <= 27  # once per frame, not once per peer
        assert all(isinstance(f, av.AudioFrame) for f in received[3])
        assert received[0][0].pts == 0
        assert [p.pts for p in received[0][:3]] == [0, 960, 1920]

        decoder = av.CodecContext.create("libopus", "r")
        decoded = [
            frame
            for packet in received[0]
            for frame in decoder.decode(av.Packet(bytes(packet)))
            if isinstance(frame, av.AudioFrame)
        ]
        assert len(decoded) == 25
        to_s16 = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        levels = [frame_level_dbfs(s) for f in decoded for s in to_s16.resample(f)]
        assert max(levels) > -30

    run(scenario())


def test_without_encode_once_every_peer_gets_raw_frames() -> None:
    async def scenario() -> None:
        relay = AudioRelay(SpeechLikeAudioSource(seed=2), encode_once=False)
        track = relay.subscribe()
        frame = await asyncio.wait_for(track.recv(), 5)
        await relay.stop()
        assert isinstance(frame, av.AudioFrame)
        assert relay.packets_encoded == 0

    run(scenario())


def test_stopping_ends_every_reader_and_stops_reading_the_source() -> None:
    async def scenario() -> None:
        source = SpeechLikeAudioSource(seed=2)
        relay = AudioRelay(source)
        track = relay.subscribe()
        await asyncio.wait_for(track.recv(), 5)
        await relay.stop()
        with pytest.raises(MediaStreamError):
            await asyncio.wait_for(track.recv(), 5)
        read = source._pacer.index
        await asyncio.sleep(0.2)
        assert source._pacer.index == read

    run(scenario())
