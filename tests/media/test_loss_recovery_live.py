"""Two real aiortc peers on loopback: after a lost video packet, pictures resume at once.

Without :mod:`groupdesk.media.recovery` aiortc's receiver waits on the lost packet
until its 512-slot buffer overflows (tens of seconds), decoding nothing meanwhile.
"""

from __future__ import annotations

import asyncio
import itertools

import av
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpReceiver
from aiortc.contrib.media import MediaStreamError
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RtpPacket
from media_helpers import eventually, run

import groupdesk.media  # noqa: F401  (installs the buffer, as the app's import does)
from groupdesk.media.jitter import MarkerJitterBuffer
from groupdesk.media.repair import RepairTiming
from groupdesk.media.sources import (
    VIDEO_CLOCK_RATE,
    VIDEO_TIME_BASE,
    TestPatternSource,
    read_frame_stamp,
)

FPS = 30
RESUMED = 30  # frames decoded after the loss that count as "the picture is back"
MAX_SKIPPED = int(RepairTiming().hole_wait * FPS) + 15
"""Frames of the stream allowed to go unseen after the loss: the wait for a
retransmission (none comes: the packet was lost past the NACK generator), then half a
second's worth.

Counted in frames, not timed. Measured: 2 without the wait (the next frame reveals the
loss, the keyframe asked for comes a frame later), 15-16 with it. aiortc's own buffer
waits until 512 packets have piled up behind the hole: 48 frames measured here, then
garbage until its PLI's keyframe; at a browser's packet rate that wait is the 35-70 s
freeze of issue 14.
"""


class StampedTrack(MediaStreamTrack):
    """Grainy test-pattern frames, each stamped with its number, one per frame interval.

    The grain makes each frame take several packets; the stamp tells the receiver
    which of the sent frames it decoded. Numbers count frames, not time: a busy
    machine sends them later, never fewer.
    """

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._pattern = TestPatternSource("jitter", 320, 180, fps=FPS, grain=20)
        self._sequence = 0

    async def recv(self) -> av.VideoFrame:
        await asyncio.sleep(1 / FPS)
        frame = self._pattern.render(self._sequence)
        frame.pts = self._sequence * (VIDEO_CLOCK_RATE // FPS)
        frame.time_base = VIDEO_TIME_BASE
        self._sequence += 1
        return frame


class Dropper:
    """Test-only: loses chosen video packets before the receiver's jitter buffer sees them.

    The receiver's NACK generator has already counted such a packet as received, so no
    retransmission can repair the loss: the frame is gone for good.
    """

    def __init__(self, receiver: RTCRtpReceiver) -> None:
        self.buffer: MarkerJitterBuffer = receiver._RTCRtpReceiver__jitter_buffer  # type: ignore[attr-defined]
        self._add = self.buffer.add
        self.buffer.add = self.add  # type: ignore[method-assign]
        self.to_drop = 0
        self.dropped: list[RtpPacket] = []
        self.keyframes_after_loss = 0

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        # Lose a packet in the middle of a frame (neither its first nor its last),
        # one per frame.
        if (
            self.to_drop
            and not packet.marker
            and not packet.payload[0] & 0x10
            and not any(p.timestamp == packet.timestamp for p in self.dropped)
        ):
            self.to_drop -= 1
            self.dropped.append(packet)
            return False, None
        pli, frame = self._add(packet)
        # What goes to the decoder: a VP8 keyframe has the P bit of its tag clear.
        if self.dropped and frame is not None and not frame.data[0] & 0x01:
            self.keyframes_after_loss += 1
        return pli, frame


def test_a_lost_packet_costs_a_keyframe_request_not_a_frozen_picture() -> None:
    async def scenario() -> None:
        sender, receiver = RTCPeerConnection(), RTCPeerConnection()
        sender.addTrack(StampedTrack())
        shown: list[int] = []  # the numbers of the frames decoded into a readable picture
        plis: list[int] = []
        readers: list[asyncio.Task[None]] = []

        async def read(track: MediaStreamTrack) -> None:
            try:
                while True:
                    frame = await track.recv()
                    stamp = read_frame_stamp(frame)  # type: ignore[arg-type]
                    # A picture decoded from a broken reference reads as garbage.
                    if stamp is not None:
                        shown.append(stamp.sequence)
            except MediaStreamError:
                return

        @receiver.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            readers.append(asyncio.ensure_future(read(track)))

        try:
            await sender.setLocalDescription(await sender.createOffer())
            await receiver.setRemoteDescription(sender.localDescription)
            await receiver.setLocalDescription(await receiver.createAnswer())
            await sender.setRemoteDescription(receiver.localDescription)
            rtp_receiver = receiver.getReceivers()[0]
            dropper = Dropper(rtp_receiver)
            assert isinstance(dropper.buffer, MarkerJitterBuffer)
            send_pli = rtp_receiver._send_rtcp_pli

            async def counting_pli(media_ssrc: int) -> None:
                plis.append(media_ssrc)
                await send_pli(media_ssrc)

            rtp_receiver._send_rtcp_pli = counting_pli  # type: ignore[method-assign]

            await eventually(lambda: len(shown) >= 20, what="the first pictures")
            plis_before = len(plis)
            dropper.to_drop = 1  # one packet from the middle of the next frame
            await eventually(lambda: len(dropper.dropped) == 1, what="the loss")
            lost_frame = shown[-1] + 1  # at most: the receiver may be a frame behind
            await eventually(
                lambda: sum(n > lost_frame for n in shown) >= RESUMED,
                timeout=10.0,
                what="pictures after the loss",
            )
            # How much of the stream was never shown: the largest step between the
            # numbers of two pictures shown.
            skipped = max(b - a for a, b in itertools.pairwise(shown)) - 1
            assert skipped <= MAX_SKIPPED
            # A keyframe was asked for and came: aiortc's VP8 encoder makes none unasked
            # (one per 3000 frames).
            assert len(plis) > plis_before
            assert dropper.keyframes_after_loss >= 1
            assert dropper.buffer.recovery.losses == 1
        finally:
            await sender.close()
            await receiver.close()
            for reader in readers:
                await asyncio.wait_for(reader, 10)

    run(scenario(), timeout=60)
