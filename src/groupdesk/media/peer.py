"""One remote member: its peer connection, what we send it, and what we receive from it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import av
from aiortc import (
    RTCCertificate,
    RTCConfiguration,
    RTCIceServer,
    RTCIceTransportPolicy,
    RTCPeerConnection,
    RTCRtpSender,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcdtlstransport import RtpReceiver, RtpRouter
from aiortc.rtp import RtpPacket
from aiortc.sdp import candidate_from_sdp

from groupdesk.media import ice, jitter
from groupdesk.media.events import AudioLevel, MediaEvent, PeerStats, VoiceActivity
from groupdesk.media.fanout import FanoutTrack
from groupdesk.media.levels import (
    ArrivalClock,
    VadConfig,
    VoiceActivityDetector,
    frame_level_dbfs,
)
from groupdesk.media.lipsync import LipSync
from groupdesk.media.messages import Candidate
from groupdesk.media.relay import RelayedAudioTrack
from groupdesk.media.rtt import RttEstimator, watch_rtt
from groupdesk.media.share import ShareSink
from groupdesk.media.watchdog import Arrivals, ReceiveWatch

logger = logging.getLogger(__name__)

LEVEL_EVERY_S = 0.1
"""How often an :class:`AudioLevel` event is emitted per member."""

CODECS = {"audio": ("audio/opus",), "video": ("video/VP8", "video/rtx")}
"""What we negotiate: Opus, VP8 -- and RTX, without which Chromium probes the bandwidth
with padding-only packets on the video stream itself, which aiortc's VP8 decoder cannot
survive (an empty frame flushes it for good)."""


def new_peer_connection(
    ice_servers: Sequence[RTCIceServer],
    certificate: RTCCertificate | None = None,
    *,
    relay_only: bool = False,
) -> RTCPeerConnection:
    """A peer connection that uses only ``ice_servers``, and ``certificate`` for DTLS if given.

    An empty list, never None: aiortc's default is Google's public STUN server, and
    media must not reach any server the organisation's policy did not name.

    ``relay_only``: ``iceTransportPolicy`` relay (aioice then gathers no host or
    server-reflexive candidate, and hides the relay candidate's related address), so
    the other members never learn this machine's address.

    One certificate for all of a member's connections is what makes the room's security
    code possible (:mod:`groupdesk.core.security_code`): every member then sees the same
    fingerprint for it. aiortc takes no certificate in its configuration (browsers do), so
    it is set on the connection before any transport is made from it.
    """
    policy = RTCIceTransportPolicy.RELAY if relay_only else RTCIceTransportPolicy.ALL
    pc = RTCPeerConnection(
        RTCConfiguration(iceServers=list(ice_servers), iceTransportPolicy=policy)
    )
    if certificate is not None:
        attributes = vars(pc)
        if _CERTIFICATES not in attributes:
            raise RuntimeError("this aiortc keeps its certificates elsewhere: update peer.py")
        attributes[_CERTIFICATES] = [certificate]
    return pc


_CERTIFICATES = "_RTCPeerConnection__certificates"
"""Where aiortc's RTCPeerConnection keeps the certificates its DTLS transports use."""

_SHA256_LINE = re.compile(r"^a=fingerprint:sha-256 ([0-9A-Fa-f:]+)\s*$", re.MULTILINE)


def local_fingerprint(certificate: RTCCertificate) -> str:
    """The ``sha-256 AB:CD:…`` fingerprint that ``certificate`` announces."""
    for fingerprint in certificate.getFingerprints():
        if fingerprint.algorithm.lower() == "sha-256":
            return f"sha-256 {fingerprint.value}"
    raise RuntimeError("aiortc announced no sha-256 fingerprint")


def announce_sha256_only(sdp: str) -> str:
    """``sdp`` without its sha-384 and sha-512 fingerprint lines (aiortc announces all three).

    Chromium keeps one fingerprint per description -- the last one, sha-512 -- so a browser
    would see another algorithm's fingerprint than the one the security code is made of.
    Announcing sha-256 alone makes every member see, and DTLS check, that one.
    """
    lines = sdp.split("\r\n")
    kept = [
        line
        for line in lines
        if not line.startswith("a=fingerprint:") or line.startswith("a=fingerprint:sha-256 ")
    ]
    return "\r\n".join(kept)


def remote_fingerprint(pc: RTCPeerConnection) -> str | None:
    """The sha-256 fingerprint the remote description announced, once DTLS is up.

    aiortc fails the handshake unless every supported fingerprint the description
    announced matches the certificate the other side really presented, so once
    connected this is the fingerprint of the certificate at the other end of our DTLS.
    None before that, or when the description announced no sha-256 fingerprint.
    """
    if pc.connectionState != "connected" or pc.remoteDescription is None:
        return None
    match = _SHA256_LINE.search(pc.remoteDescription.sdp)
    return f"sha-256 {match.group(1)}" if match else None


class _MidFirstRouter(RtpRouter):
    """aiortc's RTP router, that learns an unknown SSRC from the packet's MID first.

    aiortc routes by SSRC, else by payload type when a single receiver has it. With two
    video receivers (the camera's and the share's) a payload type is no longer a single
    receiver's, and a stream aiortc was not told the SSRC of -- a browser's
    retransmissions (RTX) -- would be dropped: no repair of a lost packet. Every sender
    puts the MID in its first packets of a stream (RFC 8843), which tells the receiver.
    """

    def route_rtp(self, packet: RtpPacket) -> RtpReceiver | None:
        """The receiver of ``packet``: by its SSRC, else by its MID (and the SSRC is then
        known), else as aiortc would."""
        mid = packet.extensions.mid
        if packet.ssrc not in self.ssrc_table and mid is not None and mid in self.mid_table:
            receiver = self.mid_table[mid]
            self.ssrc_table[packet.ssrc] = receiver
            return receiver
        return super().route_rtp(packet)


def route_by_mid(pc: RTCPeerConnection) -> None:
    """Let the bundle's transport of ``pc`` (its first transceiver's) tell its streams
    apart by MID (:class:`_MidFirstRouter`). Call once the first transceiver exists and
    before the connection starts (no receiver registered yet)."""
    transceivers = pc.getTransceivers()
    if not transceivers:
        return
    transport = transceivers[0].receiver.transport
    router = getattr(transport, _ROUTER, None)
    if not isinstance(router, RtpRouter):
        raise TypeError("this aiortc routes RTP elsewhere: update peer.py")
    if not isinstance(router, _MidFirstRouter):
        if router.receivers:
            raise RuntimeError("route_by_mid comes too late: receivers are registered")
        setattr(transport, _ROUTER, _MidFirstRouter())


_ROUTER = "_rtp_router"
"""Where aiortc's RTCDtlsTransport keeps its RtpRouter."""


def bundle_share(pc: RTCPeerConnection, mline: int) -> None:
    """Once the bundle is agreed (a remote description set), put the transceiver at
    ``mline`` -- the share's, a second video one -- on the bundle's transport.

    aiortc (``balanced``) makes a second transceiver of a kind on the first one's
    transport; agreeing on the bundle moves the first onto the bundle's transport and
    stops its own, but leaves the second behind, on the stopped one: nothing it sends
    or receives would get through. This moves it as aiortc moves the first.
    """
    transceivers = pc.getTransceivers()
    if len(transceivers) <= mline:
        return
    bundle = transceivers[0].receiver.transport
    share = transceivers[mline]
    if share.receiver.transport is not bundle:
        share.receiver.setTransport(bundle)
        share.sender.setTransport(bundle)


def prefer_codecs(pc: RTCPeerConnection) -> None:
    """Offer only :data:`CODECS` on every transceiver of ``pc`` (the offerer's side)."""
    for transceiver in pc.getTransceivers():
        wanted = CODECS[transceiver.kind]
        codecs = RTCRtpSender.getCapabilities(transceiver.kind).codecs
        transceiver.setCodecPreferences([c for c in codecs if c.mimeType in wanted])


class MediaSink(Protocol):
    """Where received media goes: the UI's tiles and speakers, a recorder in tests."""

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """A decoded video frame from ``member_id`` (the sink scales it to its tile)."""
        ...

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        """20 ms of decoded audio from ``member_id`` (s16, 48 kHz)."""
        ...


class NullSink:
    """Drops everything (a bot, a benchmark that only counts)."""

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """Ignore the frame."""

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        """Ignore the frame."""


@dataclass
class ReceiveCounters:
    """What has arrived from one member, since the current connection began."""

    video_frames: int = 0
    video_keyframes: int = 0
    video_dropped: int = 0
    """Decoded frames skipped because newer ones were already waiting (a busy machine)."""
    audio_frames: int = 0
    blocked_video_frames: int = 0
    """Decoded video frames dropped because the member is blocked (a side room)."""
    blocked_audio_frames: int = 0
    """Decoded audio frames dropped because the member is blocked (a side room)."""
    share_frames: int = 0
    """Decoded frames of the member's share (shown or not)."""
    last_level_dbfs: float | None = None
    first_video_at: float | None = None
    first_audio_at: float | None = None

    def arrivals(self) -> Arrivals:
        """Every frame that came, shown or not (what the receive watchdog looks at)."""
        return Arrivals(
            audio=self.audio_frames + self.blocked_audio_frames,
            video=self.video_frames + self.video_dropped + self.blocked_video_frames,
        )


@dataclass
class _StatsMark:
    at: float
    video_frames: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    packets_received: int = 0
    packets_lost: int = 0


class _HeldAudio:
    """One member's audio on its way to the sink: at once, or as much later as their
    video is held (lip sync, :class:`LipSync` decides), in order."""

    def __init__(self, peer: Peer, sink: MediaSink) -> None:
        self._peer = peer
        self._sink = sink
        self._queue: deque[tuple[float, av.AudioFrame]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    def play(self, frame: av.AudioFrame, level_dbfs: float) -> None:
        peer = self._peer
        loop = asyncio.get_running_loop()
        now = loop.time()
        delay = peer.video_delay() if peer.video_delay is not None else 0.0
        due = peer.lipsync.due(now, delay, level_dbfs)
        if due is None:
            return  # quiet, and behind: dropped to catch up
        if due <= now and not self._queue:
            self._sink.audio_frame(peer.member_id, frame)
            return
        self._queue.append((due, frame))
        if self._timer is None:
            self._timer = loop.call_at(self._queue[0][0], self._release)

    def _release(self) -> None:
        self._timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._queue and self._queue[0][0] <= now:
            _, frame = self._queue.popleft()
            if not self._peer.blocked:
                self._sink.audio_frame(self._peer.member_id, frame)
        if self._queue:
            self._timer = loop.call_at(self._queue[0][0], self._release)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._queue.clear()


@dataclass
class Peer:
    """The connection to one remote member (one generation of it: a restart makes a new one)."""

    member_id: str
    gen: int
    offerer: bool
    pc: RTCPeerConnection
    video_track: FanoutTrack | None = None
    audio_track: RelayedAudioTrack | None = None
    share_sender: RTCRtpSender | None = None
    """The sender of the share's transceiver (None: the other side has none)."""
    share_track: FanoutTrack | None = None
    """What we share, as sent to this member (None: we share nothing)."""
    blocked: bool = False
    """On the other side of a side room: we send it nothing and drop what it sends."""
    received: ReceiveCounters = field(default_factory=ReceiveCounters)
    created_at: float = field(default_factory=time.monotonic)
    connected_at: float | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    pending_candidates: list[Candidate] = field(default_factory=list)
    watch: ReceiveWatch | None = None
    """Whether media from it stopped arriving (None: the mesh does not watch)."""
    rtts: list[RttEstimator] = field(default_factory=list)
    """The round trip of each stream we send it (see :mod:`groupdesk.media.rtt`)."""
    video_delay: Callable[[], float] | None = None
    """The seconds its video is held now by our playout delay (None: not known): its
    audio is held as long (:mod:`groupdesk.media.lipsync`)."""
    lipsync: LipSync = field(default_factory=LipSync)
    _mark: _StatsMark | None = None
    _meters: list[LevelMeter] = field(default_factory=list)

    def set_blocked(self, blocked: bool) -> None:
        """Send this member nothing and take nothing from it (True), or both again."""
        self.blocked = blocked
        for video in (self.video_track, self.share_track):
            if video is not None:
                video.set_blocked(blocked)
        if self.audio_track is not None:
            self.audio_track.set_blocked(blocked)
        if blocked:
            for meter in self._meters:
                meter.end()  # not heard any more: not speaking

    def watch_rtt(self, sender: RTCRtpSender) -> None:
        """Measure the round trip of what ``sender`` sends this member."""
        self.rtts.append(watch_rtt(sender))

    def consume(
        self,
        track: MediaStreamTrack,
        sink: MediaSink,
        emit: Callable[[MediaEvent], None],
        vad: VadConfig,
    ) -> None:
        """Read a remote track until it ends: frames to ``sink``, levels as events."""
        if track.kind == "video":
            for transceiver in self.pc.getTransceivers():
                if transceiver.receiver.track is track:
                    self.video_delay = jitter.playout_delay(transceiver.receiver)
        coro = (
            self._consume_audio(track, sink, emit, vad)
            if track.kind == "audio"
            else self._consume_video(track, sink)
        )
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def consume_share(self, track: MediaStreamTrack, sink: ShareSink | None) -> None:
        """Read the remote share track until it ends: frames to ``sink`` (None: dropped)."""
        task = asyncio.get_running_loop().create_task(self._consume_share(track, sink))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _consume_share(self, track: MediaStreamTrack, sink: ShareSink | None) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, av.VideoFrame):
                continue
            frame, _ = newest_decoded(track, frame)
            self.received.share_frames += 1
            if sink is not None and not self.blocked:
                sink.share_frame(self.member_id, frame)
            del frame

    async def _consume_video(self, track: MediaStreamTrack, sink: MediaSink) -> None:
        counters = self.received
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, av.VideoFrame):
                continue
            frame, skipped = newest_decoded(track, frame)
            if self.blocked:
                counters.blocked_video_frames += 1 + skipped
                del frame
                continue
            counters.video_dropped += skipped
            counters.video_frames += 1
            if counters.first_video_at is None:
                counters.first_video_at = time.monotonic()
            if frame.key_frame:
                counters.video_keyframes += 1
            sink.video_frame(self.member_id, frame)
            # Not kept while awaiting the next one: the sink's worker, scaling it,
            # then usually drops the last reference. A scaled frame owns an swscale
            # context whose slice threads are joined when the frame is freed; done
            # here, on the event loop (the UI thread), that join waited up to 40 ms
            # for those threads to get a core on a busy machine.
            del frame

    async def _consume_audio(
        self,
        track: MediaStreamTrack,
        sink: MediaSink,
        emit: Callable[[MediaEvent], None],
        vad_config: VadConfig,
    ) -> None:
        counters = self.received
        meter = LevelMeter(self.member_id, emit, vad_config)
        self._meters.append(meter)
        held = _HeldAudio(self, sink)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                meter.end()
                held.cancel()  # the stream is over: nothing more is heard
                return
            if not isinstance(frame, av.AudioFrame):
                continue
            if self.blocked:  # neither heard nor measured
                counters.blocked_audio_frames += 1
                continue
            counters.audio_frames += 1
            if counters.first_audio_at is None:
                counters.first_audio_at = time.monotonic()
            level = counters.last_level_dbfs = meter.feed(frame)
            held.play(frame, level)

    async def add_candidate(self, signal: Candidate) -> None:
        """Add a trickled remote ICE candidate (or the end of them)."""
        if signal.end_of_candidates:
            await self.pc.addIceCandidate(None)
            return
        try:
            candidate = candidate_from_sdp(signal.candidate.removeprefix("candidate:"))
        except (AssertionError, ValueError, IndexError):  # aiortc asserts on the field count
            logger.warning("ignoring a malformed ICE candidate from %s", self.member_id)
            return
        if not ice.candidate_allowed(candidate.ip):
            return  # loopback-only ICE: never try an address off this machine's loopback
        candidate.sdpMid = signal.sdp_mid
        candidate.sdpMLineIndex = signal.sdp_mline_index
        await self.pc.addIceCandidate(candidate)

    async def stats(self, bandwidth_estimate: int | None) -> PeerStats:
        """Connection statistics since the previous call (RTT, loss, fps, bitrates)."""
        report = await self.pc.getStats()
        now = time.monotonic()
        mark = _StatsMark(at=now, video_frames=self.received.video_frames)
        for stat in report.values():
            kind = getattr(stat, "type", "")
            if kind == "inbound-rtp":
                mark.packets_received += stat.packetsReceived
                mark.packets_lost += max(0, stat.packetsLost)
            elif kind == "transport":
                mark.bytes_sent += stat.bytesSent
                mark.bytes_received += stat.bytesReceived
        # Not the stats' roundTripTime: aiortc's is negative while a stream sends nothing.
        rtts = [e.rtt_s for e in self.rtts if e.rtt_s is not None]
        previous = self._mark or _StatsMark(at=self.connected_at or self.created_at)
        self._mark = mark
        dt = max(1e-3, now - previous.at)
        received = mark.packets_received - previous.packets_received
        lost = mark.packets_lost - previous.packets_lost
        loss = lost / (received + lost) if received + lost > 0 else None
        return PeerStats(
            member_id=self.member_id,
            rtt_s=min(rtts) if rtts else None,
            loss=max(0.0, loss) if loss is not None else None,
            fps=(mark.video_frames - previous.video_frames) / dt,
            recv_bitrate=int(8 * (mark.bytes_received - previous.bytes_received) / dt),
            send_bitrate=int(8 * (mark.bytes_sent - previous.bytes_sent) / dt),
            bandwidth_estimate=bandwidth_estimate,
            at=now,
        )

    async def close(self) -> None:
        """Close the connection and stop what we send to and read from it."""
        for track in (self.video_track, self.audio_track, self.share_track):
            if track is not None:
                track.stop()
        await self.pc.close()
        for task in list(self.tasks):
            task.cancel()
        for task in list(self.tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task


def newest_decoded(track: MediaStreamTrack, frame: av.VideoFrame) -> tuple[av.VideoFrame, int]:
    """Skip to the newest decoded frame already waiting, so a busy machine shows a lower
    frame rate instead of a picture that lags further and further behind.

    aiortc's remote track queues every decoded frame without bound (``_queue``).
    """
    queue = getattr(track, "_queue", None)
    if not isinstance(queue, asyncio.Queue):
        return frame, 0
    skipped = 0
    while not queue.empty():
        newer = queue.get_nowait()
        if not isinstance(newer, av.VideoFrame):  # None: the end; leave it for recv()
            queue.put_nowait(newer)
            break
        frame, skipped = newer, skipped + 1
    return frame, skipped


class LevelMeter:
    """Turns audio frames into :class:`AudioLevel` (every 100 ms) and :class:`VoiceActivity`."""

    def __init__(
        self,
        member_id: str,
        emit: Callable[[MediaEvent], None],
        vad: VadConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.member_id = member_id
        self._emit = emit
        self._vad = VoiceActivityDetector(vad)
        self._clock = clock
        self._arrival = ArrivalClock()
        self._window: list[float] = []
        self._window_s = 0.0

    def feed(self, frame: av.AudioFrame) -> float:
        """Measure one frame; returns its level in dBFS."""
        level = frame_level_dbfs(frame)
        duration = frame.samples / (frame.sample_rate or 48_000)
        # when the frame came, not when the loop got to it (a busy machine lags)
        now = self._arrival.at(frame.time, self._clock())
        if self._vad.update(level, duration):
            self._emit(VoiceActivity(self.member_id, self._vad.speaking, now))
        self._window.append(level)
        self._window_s += duration
        if self._window_s >= LEVEL_EVERY_S:
            peak = max(self._window)
            self._emit(AudioLevel(self.member_id, peak, self._vad.speaking, now))
            self._window.clear()
            self._window_s = 0.0
        return level

    def end(self) -> None:
        """The stream ended: a speaker stops speaking."""
        if self._vad.speaking:
            self._vad.speaking = False
            self._emit(VoiceActivity(self.member_id, False, self._clock()))
