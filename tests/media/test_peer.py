"""What one peer does with what it receives: newest frame first on a busy machine."""

from __future__ import annotations

import asyncio

import av
from aiortc.rtcrtpreceiver import RemoteStreamTrack
from media_helpers import Recorder, run

from groupdesk.media.peer import Peer


class _FakePc:
    def getTransceivers(self) -> list[object]:  # noqa: N802 (aiortc's name)
        return []

    async def close(self) -> None:
        return None


def test_a_busy_receiver_skips_to_the_newest_decoded_frame() -> None:
    async def scenario() -> None:
        track = RemoteStreamTrack(kind="video")
        frames = [av.VideoFrame(64 + 2 * i, 36, "yuv420p") for i in range(5)]
        for frame in frames:
            track._queue.put_nowait(frame)
        track._queue.put_nowait(None)  # the end of the stream
        peer = Peer(member_id="b", gen=0, offerer=False, pc=_FakePc())  # type: ignore[arg-type]
        recorder = Recorder()
        peer.consume(track, recorder, lambda event: None, vad=None)  # type: ignore[arg-type]
        await asyncio.wait_for(asyncio.gather(*peer.tasks), 5)
        # Five frames waiting: only the newest is shown, the four older ones are skipped.
        assert recorder.video["b"] == 1
        assert recorder.sizes["b"] == (72, 36)
        assert peer.received.video_dropped == 4

    run(scenario())
