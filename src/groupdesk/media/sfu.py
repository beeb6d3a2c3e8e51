"""The call in an SFU room: publish once to the organisation's media server, receive each
other member from it.

The counterpart of :mod:`groupdesk.media.mesh` when ``Admitted.media`` is ``sfu``
(issue 16). Clients never talk to Janus: every WebRTC
message goes to groupdesk-server as a :class:`~groupdesk.core.protocol.ClientSfu` and
comes back as a :class:`~groupdesk.core.protocol.ServerSfu`; only media travel between
this member and Janus.

- **Publishing.** One sendonly peer connection carries our microphone and camera to the
  media server: :meth:`SfuCall.publish` offers it (``feed`` = us) and the server answers.
  Audio goes through the same relay and video through the same fan-out (encoded once) as
  in a mesh, with one subscriber each; the media server's keyframe requests and REMB
  reach the shared encoder, and the quality ladder steps down on its reports. The top
  rung stays 360p whatever the group size: the upload is one stream, not one per member.
- **Receiving.** The server offers each other member's stream (``offer`` for ``feed``):
  one recvonly peer connection per feed, answered at once. A new offer for a feed whose
  connection is up and keeps its ICE credentials renegotiates in place (the media
  server added or changed a track); any other new offer replaces the connection (aiortc
  has no in-place ICE restart). ``ended`` closes it until the feed publishes again.
- **Failures.** A publisher connection that fails, closes from the other side, does not
  connect in time, or that the server reports ``failed`` or ``ended`` (after a resumed
  seat, the server closes the old media session), is replaced by a new one and offered
  again (same feed), after a backoff that doubles up to ``restart_backoff[1]``
  (:mod:`groupdesk.media.sfu_publish`).
  A receiving connection cannot be restarted from here (the server starts
  subscriptions): its tile says ``reconnecting`` until the server offers it anew.
- **Sharing.** A share (a screen, a window, a document's pages) is a second publication
  of ours (``track`` "share"): a sendonly connection with one video track, from its own
  fan-out at :data:`~groupdesk.media.share.SHARE_PROFILE` (1280x720 at 5 fps at most,
  encoded once), offered and offered again like the first (:meth:`SfuCall.set_share`).
  The server offers each other member's share as feed (member, "share"): one recvonly
  connection each, whose frames go to ``share_sink`` as a mesh's share track's do.
- **No security code.** Every DTLS connection ends at the media server, which decrypts
  the media: :meth:`SfuCall.security_code` is None, and the app says the call is not
  end-to-end encrypted.
- **Nothing to publish.** Without camera and microphone, :meth:`SfuCall.publish` says
  ``none`` instead of offering: the others show us connected, with no picture (as a
  mesh shows a member without tracks). A feed the server says is ``none`` is shown so
  here: ``connected``, no connection, until it offers a stream after all.
- **Audio only / side room.** ``set_receive_video(False)`` asks the server for none of
  each feed's video (``SFU_NO_VIDEO``: the media server stops forwarding it) and shows
  none of what is still on its way; ``set_receive_video(True)`` asks for the largest
  layer again (the media server then asks its publisher for a keyframe);
  ``set_blocked(ids)`` drops what comes from those members before the sink, the levels
  and voice activity (our one published stream goes to the media server, which forwards
  it; the members on the other side of a side room drop it the same way).

Everything the UI and the turn manager need arrives as events on :attr:`SfuCall.events`,
the same events a mesh emits.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

import av
from aiortc import RTCCertificate, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import SFU_LAYERS, SFU_NO_VIDEO, ClientSfu, ServerSfu, SfuTrack
from groupdesk.core.security_code import RoomCode
from groupdesk.media import ice
from groupdesk.media.adaptation import SendAdaptation
from groupdesk.media.events import (
    EventStream,
    MediaEvent,
    PeerState,
    PeerStateChanged,
    QualityChanged,
)
from groupdesk.media.fanout import VideoFanout
from groupdesk.media.levels import VadConfig
from groupdesk.media.peer import (
    LevelMeter,
    MediaSink,
    NullSink,
    Peer,
    announce_sha256_only,
    new_peer_connection,
)
from groupdesk.media.quality import LadderController, LinkReport, VideoProfile, profile_for_group
from groupdesk.media.relay import AudioRelay
from groupdesk.media.sfu_publish import Publication, RepublishCause
from groupdesk.media.share import SHARE_PROFILE, ShareSink
from groupdesk.media.sources import AudioSource, VideoSource
from groupdesk.media.watchdog import CHECK_EVERY_S, STALL_AFTER_S, ReceiveWatch, Verdict

logger = logging.getLogger(__name__)

LARGEST_LAYER = SFU_LAYERS - 1
SMALLEST_LAYER = 0

_ICE_UFRAG = re.compile(r"^a=ice-ufrag:(\S+)", re.MULTILINE)


class SfuChannel(Protocol):
    """Sends one ``sfu`` message to the signalling server.

    ``groupdesk.signaling.SignalingClient.send`` takes any client message, this one too.
    """

    async def send(self, message: ClientSfu, /) -> None:
        """Deliver ``message`` to the server (in order)."""
        ...


class SfuClosedError(GroupDeskError):
    """The call was closed; it cannot be used again."""

    key = "media.error.mesh_closed"


def _share_key(member_id: str) -> str:
    """The lock of ``member_id``'s share's connection (apart from its camera's)."""
    return f"{member_id}/share"


def ice_ufrag(sdp: str) -> str | None:
    """The first ICE username fragment of ``sdp`` (a new one: the other side restarted ICE)."""
    match = _ICE_UFRAG.search(sdp)
    return match.group(1) if match else None


class _VideoGate:
    """The sink our receiving connections feed: video only while we want it."""

    def __init__(self, sink: MediaSink, wanted: Callable[[], bool]) -> None:
        self._sink = sink
        self._wanted = wanted

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        """Pass the frame on, unless we asked for audio only."""
        if self._wanted():
            self._sink.video_frame(member_id, frame)

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        """Pass the frame on."""
        self._sink.audio_frame(member_id, frame)


class SfuCall:
    """The local member's media in an SFU room: one published stream, one received per feed.

    The link (:class:`groupdesk.media.link.MeshLink`) calls :meth:`publish` once seated,
    :meth:`member_joined`, :meth:`member_left` and :meth:`handle_sfu`; the call sends
    through ``channel``.
    """

    def __init__(
        self,
        local_id: str,
        channel: SfuChannel,
        *,
        video: VideoSource | None = None,
        audio: AudioSource | None = None,
        sink: MediaSink | None = None,
        share_sink: ShareSink | None = None,
        encode_once: bool = True,
        ice_servers: Sequence[RTCIceServer] = (),
        relay_only: bool = False,
        stats_interval: float | None = 2.0,
        adapt_to_bandwidth: bool = True,
        ladder: LadderController | None = None,
        vad: VadConfig | None = None,
        connect_timeout: float = 20.0,
        restart_backoff: tuple[float, float] = (0.2, 8.0),
        stall_after: float | None = STALL_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not local_id:
            raise ValueError("local_id must not be empty")
        self.local_id = local_id
        self.events: EventStream[MediaEvent] = EventStream()
        self._channel = channel
        self._sink = _VideoGate(sink or NullSink(), lambda: self._receive_video)
        self._share_sink = share_sink
        self._encode_once = encode_once
        self._ice_servers = list(ice_servers)
        self._relay_only = relay_only
        """Our candidates are TURN relays only (the media server's own are kept: it is the
        organisation's server, not another member)."""
        self._certificate = RTCCertificate.generateCertificate()
        self._stats_interval = stats_interval
        self._vad = vad or VadConfig()
        self._connect_timeout = connect_timeout
        self._backoff = restart_backoff
        self._stall_after = stall_after
        self._clock = clock
        self.fanout = (
            VideoFanout(video, profile_for_group(1), encode_once=encode_once) if video else None
        )
        self._relay = AudioRelay(audio, encode_once=encode_once) if audio else None
        self._adaptation = (
            SendAdaptation(self.fanout, ladder, adapt_to_bandwidth=adapt_to_bandwidth)
            if self.fanout
            else None
        )
        self._publication = Publication(
            local_id,
            self._send,
            self._new_pc,
            self._spawn,
            relay=self._relay,
            fanout=self.fanout,
            connect_timeout=connect_timeout,
            backoff=restart_backoff,
        )
        self.share_fanout: VideoFanout | None = None
        """What we share, encoded once (None: nothing)."""
        self._share: Publication | None = None
        self._peers: dict[str, Peer] = {}
        self._shares: dict[str, Peer] = {}
        """The connection receiving each remote member's share, by member id."""
        self._members: set[str] = set()
        self._nothing: set[str] = set()  # feeds the server says publish nothing
        self._locks: dict[str, asyncio.Lock] = {}
        self._send_video = True
        self._receive_video = True
        self._blocked: frozenset[str] = frozenset()
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = False
        self._closed = False

    # -- public surface -------------------------------------------------------------------

    @property
    def media(self) -> Literal["sfu"]:
        """How this call's media travel: through the organisation's media server."""
        return "sfu"

    @property
    def peers(self) -> Mapping[str, Peer]:
        """The connection receiving each remote member's stream, by member id."""
        return dict(self._peers)

    @property
    def publisher(self) -> Peer | None:
        """The connection carrying our stream to the media server (None: not publishing)."""
        return self._publication.peer

    @property
    def share_peers(self) -> Mapping[str, Peer]:
        """The connection receiving each remote member's share, by member id."""
        return dict(self._shares)

    @property
    def share_publisher(self) -> Peer | None:
        """The connection carrying our share to the media server (None: not sharing)."""
        return self._share.peer if self._share is not None else None

    @property
    def members(self) -> frozenset[str]:
        """The remote members signalling says are in the room."""
        return frozenset(self._members)

    @property
    def republished(self) -> dict[RepublishCause, int]:
        """How many times our stream was offered again, by cause."""
        return dict(self._publication.republished)

    @property
    def send_video(self) -> bool:
        """Whether we send video (False: audio-only mode, sending)."""
        return self._send_video

    @property
    def receive_video(self) -> bool:
        """Whether we take the others' video (False: audio-only mode, receiving)."""
        return self._receive_video

    @property
    def silent(self) -> frozenset[str]:
        """The members the server says publish nothing (no connection brings them)."""
        return frozenset(self._nothing & self._members)

    @property
    def blocked(self) -> frozenset[str]:
        """The members whose media we drop (a side room)."""
        return self._blocked

    @property
    def profile(self) -> VideoProfile | None:
        """The video profile being sent, or None (no camera, or audio only)."""
        return self.fanout.profile if self.fanout else None

    def security_code(self) -> RoomCode | None:
        """None: every connection ends at the media server, which sees the media."""
        return None

    def start(self) -> None:
        """Start background work: local audio level, statistics, the receive watchdog."""
        if self._closed:
            raise SfuClosedError
        if self._started:
            return
        self._started = True
        if self._relay is not None:
            self._spawn(self._meter_local(self._relay.subscribe(raw=True)))
        if self._stats_interval:
            self._spawn(self._stats_loop(self._stats_interval))
        if self._stall_after is not None:
            self._spawn(self._watch_loop(CHECK_EVERY_S))

    async def publish(self) -> None:
        """Offer our stream to the media server, unless it is on its way or up already
        (seated, and again at each resume). Without camera and microphone, we tell the
        server we publish nothing: the others show us connected, without a picture."""
        if self._closed:
            return
        self.start()
        if not self._publication.has_media:
            logger.info("no microphone and no camera: nothing to publish")
            await self._send(ClientSfu(feed=self.local_id, kind="none"))
            return
        if await self._publication.publish():
            self._adapt(group_changed=True)

    async def member_joined(self, member_id: str) -> None:
        """``member_id`` is in the room; its stream comes when the server offers it."""
        if self._closed or member_id == self.local_id:
            return
        self.start()
        if member_id in self._members:
            return
        self._members.add(member_id)
        if member_id not in self._peers:
            nothing = member_id in self._nothing  # the server said so before signalling
            state = PeerState.CONNECTED if nothing else PeerState.CONNECTING
            self.events.emit(PeerStateChanged(member_id, state))

    async def member_left(self, member_id: str) -> None:
        """``member_id`` left: close the connection receiving its stream."""
        self._members.discard(member_id)
        self._nothing.discard(member_id)
        async with self._lock(member_id):
            peer = self._peers.pop(member_id, None)
            if peer is not None:
                await peer.close()
                self.events.emit(PeerStateChanged(member_id, PeerState.CLOSED))
        async with self._lock(_share_key(member_id)):
            share = self._shares.pop(member_id, None)
            if share is not None:
                await share.close()

    async def handle_sfu(self, message: ServerSfu) -> None:
        """One ``sfu`` message from the server, about our stream or another member's."""
        if self._closed:
            return
        self.start()
        if message.track == "share":
            await self._handle_share(message)
            return
        if message.feed == self.local_id:
            await self._publication.handle(message)
            return
        async with self._lock(message.feed):
            match message.kind:
                case "offer":
                    assert message.sdp is not None  # the protocol checked it
                    await self._receive(message.feed, message.sdp)
                case "ended":
                    await self._feed_ended(message.feed)
                case "none":
                    await self._feed_nothing(message.feed)
                case "failed":
                    logger.info("the media server cannot send %s's stream", message.feed)
                    if message.feed in self._members:
                        self.events.emit(PeerStateChanged(message.feed, PeerState.RECONNECTING))
                case "answer" | "candidate" | "layer":
                    logger.warning("ignoring an sfu %s about %s", message.kind, message.feed)

    def set_send_video(self, enabled: bool) -> None:
        """Send video (True) or only audio (False)."""
        self._send_video = enabled
        self._adapt(group_changed=True)

    def set_blocked(self, member_ids: Iterable[str]) -> None:
        """Drop every frame from ``member_ids`` (and take them again from those no longer
        named); connections made later start so too."""
        blocked = frozenset(member_ids) - {self.local_id}
        if blocked == self._blocked:
            return
        self._blocked = blocked
        for peers in (self._peers, self._shares):
            for member_id, peer in peers.items():
                if peer.blocked != (member_id in blocked):
                    peer.set_blocked(member_id in blocked)

    async def set_receive_video(self, enabled: bool) -> None:
        """Take the others' video (True: their largest layer) or none of it (False: the
        media server stops forwarding it)."""
        if enabled == self._receive_video:
            return
        self._receive_video = enabled
        layer = LARGEST_LAYER if enabled else SFU_NO_VIDEO
        for feed in sorted(self._peers):
            await self._send(ClientSfu(feed=feed, kind="layer", layer=layer))
        self.events.emit(QualityChanged(self.profile, self._receive_video))

    @property
    def can_share(self) -> bool:
        """An SFU call carries a share as a second publication to the media server."""
        return True

    @property
    def sharing(self) -> bool:
        """Whether we share something now."""
        return self.share_fanout is not None

    async def set_share(self, source: VideoSource | None) -> None:
        """Share ``source`` (a screen, a window, a document's pages) with every member as
        a second publication, at :data:`SHARE_PROFILE` at most; None: stop sharing (the
        media server ends it for everyone). The source is read, never stopped, here: its
        owner stops it. The server refuses the share of a participant not allowed."""
        old, self._share = self._share, None
        old_fanout, self.share_fanout = self.share_fanout, None
        if old is not None:
            await old.close()
        if old_fanout is not None:
            await old_fanout.stop()
        if source is None or self._closed:
            return
        self.start()
        fanout = VideoFanout(source, SHARE_PROFILE, encode_once=self._encode_once)
        self.share_fanout = fanout
        self._share = Publication(
            self.local_id,
            self._send,
            self._new_pc,
            self._spawn,
            relay=None,
            fanout=fanout,
            connect_timeout=self._connect_timeout,
            backoff=self._backoff,
            track="share",
        )
        await self._share.publish()

    async def close(self) -> None:
        """Hang up: close every connection and stop the background work."""
        if self._closed:
            return
        self._closed = True
        await self._publication.close()  # nothing is offered any more
        if self._share is not None:
            await self._share.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for member_id, peer in list(self._peers.items()):
            await peer.close()
            self.events.emit(PeerStateChanged(member_id, PeerState.CLOSED))
        self._peers.clear()
        for share in list(self._shares.values()):
            await share.close()
        self._shares.clear()
        if self.share_fanout is not None:
            await self.share_fanout.stop()
        if self.fanout is not None:
            await self.fanout.stop()
        if self._relay is not None:
            await self._relay.stop()

    def check_receiving(self) -> None:
        """Run the receive watchdog once over every feed (every :data:`CHECK_EVERY_S`): a
        connected, unblocked feed whose audio stopped is reported ``reconnecting``, and
        ``connected`` once its media flows again."""
        if self._closed:
            return
        now = self._clock()
        for member_id, peer in list(self._peers.items()):
            if peer.watch is None:
                continue
            expected = peer.pc.connectionState == "connected" and not peer.blocked
            verdict = peer.watch.check(now, peer.received.arrivals(), expected=expected)
            if verdict is Verdict.STALLED:
                logger.info("no media from %s for %.1f s", member_id, self._stall_after)
                self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
            elif verdict is Verdict.RESUMED:
                self.events.emit(PeerStateChanged(member_id, PeerState.CONNECTED))

    # -- the others' streams -----------------------------------------------------------------

    def _new_pc(self) -> RTCPeerConnection:
        return new_peer_connection(
            self._ice_servers, self._certificate, relay_only=self._relay_only
        )

    def _lock(self, member_id: str) -> asyncio.Lock:
        return self._locks.setdefault(member_id, asyncio.Lock())

    async def _receive(self, feed: str, sdp: str) -> None:
        """Under the feed's lock: answer the server's offer of ``feed``'s stream."""
        sdp = ice.filter_sdp_candidates(sdp)
        current = self._peers.get(feed)
        if current is not None and self._renegotiable(current, sdp):
            await self._answer(current, sdp)
            return
        if current is not None:
            del self._peers[feed]
            await current.close()
            self.events.emit(PeerStateChanged(feed, PeerState.RECONNECTING))
        elif feed not in self._members:
            self.events.emit(PeerStateChanged(feed, PeerState.CONNECTING))
        self._members.add(feed)
        self._nothing.discard(feed)
        peer = self._new_subscriber(feed, 0 if current is None else current.gen + 1)
        await self._answer(peer, sdp)
        if not self._receive_video:  # audio only: a new subscription starts with video
            await self._send(ClientSfu(feed=feed, kind="layer", layer=SFU_NO_VIDEO))
        self._spawn(self._subscriber_watchdog(peer))

    @staticmethod
    def _renegotiable(peer: Peer, sdp: str) -> bool:
        """Whether a new offer updates ``peer``'s connection (same ICE, still up) rather
        than starting another one."""
        remote = peer.pc.remoteDescription
        return (
            remote is not None
            and peer.pc.connectionState not in ("failed", "closed")
            and ice_ufrag(remote.sdp) == ice_ufrag(sdp)
        )

    def _new_subscriber(self, feed: str, gen: int) -> Peer:
        pc = self._new_pc()
        peer = Peer(member_id=feed, gen=gen, offerer=False, pc=pc)
        peer.blocked = feed in self._blocked
        if self._stall_after is not None:
            peer.watch = ReceiveWatch(stall_after=self._stall_after)

        def on_track(track: MediaStreamTrack) -> None:
            peer.consume(track, self._sink, self.events.emit, self._vad)

        def on_state() -> None:
            self._on_subscriber_state(peer)

        pc.on("track", on_track)
        pc.on("connectionstatechange", on_state)
        self._peers[feed] = peer
        return peer

    async def _answer(self, peer: Peer, sdp: str, track: SfuTrack = "camera") -> None:
        pc = peer.pc
        await pc.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        answer = announce_sha256_only(pc.localDescription.sdp)
        feed = peer.member_id
        await self._send(ClientSfu(feed=feed, kind="answer", sdp=answer, track=track))
        await self._send(ClientSfu(feed=feed, kind="candidate", track=track))

    async def _handle_share(self, message: ServerSfu) -> None:
        """One ``sfu`` message about a share: ours, or another member's."""
        feed = message.feed
        if feed == self.local_id:
            if self._share is not None:
                await self._share.handle(message)
            return
        async with self._lock(_share_key(feed)):
            match message.kind:
                case "offer":
                    assert message.sdp is not None  # the protocol checked it
                    await self._receive_share(feed, message.sdp)
                case "ended":
                    peer = self._shares.pop(feed, None)
                    if peer is not None:
                        await peer.close()
                case "failed":
                    logger.info("the media server cannot send %s's share", feed)
                case "answer" | "candidate" | "layer" | "none":
                    logger.warning("ignoring an sfu %s about %s's share", message.kind, feed)

    async def _receive_share(self, feed: str, sdp: str) -> None:
        """Under the share's lock: answer the server's offer of ``feed``'s share (a new
        connection, or the one there is when the offer renegotiates it)."""
        sdp = ice.filter_sdp_candidates(sdp)
        current = self._shares.get(feed)
        if current is not None and self._renegotiable(current, sdp):
            await self._answer(current, sdp, track="share")
            return
        if current is not None:
            del self._shares[feed]
            await current.close()
        pc = self._new_pc()
        peer = Peer(
            member_id=feed, gen=0 if current is None else current.gen + 1, offerer=False, pc=pc
        )
        peer.blocked = feed in self._blocked

        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                peer.consume_share(track, self._share_sink)

        pc.on("track", on_track)
        self._shares[feed] = peer
        await self._answer(peer, sdp, track="share")

    async def _feed_nothing(self, feed: str) -> None:
        """Under the feed's lock: ``feed`` publishes nothing (no camera, no microphone):
        it is connected, with no picture, as a mesh shows a member without tracks."""
        peer = self._peers.pop(feed, None)
        if peer is not None:
            await peer.close()
        self._nothing.add(feed)
        if feed in self._members:
            self.events.emit(PeerStateChanged(feed, PeerState.CONNECTED))

    async def _feed_ended(self, feed: str) -> None:
        """Under the feed's lock: ``feed`` stopped publishing (it may publish again)."""
        self._nothing.discard(feed)
        peer = self._peers.pop(feed, None)
        if peer is not None:
            await peer.close()
        if feed in self._members:
            self.events.emit(PeerStateChanged(feed, PeerState.RECONNECTING))

    def _on_subscriber_state(self, peer: Peer) -> None:
        if self._peers.get(peer.member_id) is not peer or self._closed:
            return  # replaced, or closing
        state = peer.pc.connectionState
        if state == "connected":
            peer.connected_at = time.monotonic()
            self.events.emit(PeerStateChanged(peer.member_id, PeerState.CONNECTED))
        elif state in ("failed", "closed"):
            logger.info(
                "%s's stream is cut; waiting for the server to offer it anew", peer.member_id
            )
            self.events.emit(PeerStateChanged(peer.member_id, PeerState.RECONNECTING))

    async def _subscriber_watchdog(self, peer: Peer) -> None:
        await asyncio.sleep(self._connect_timeout)
        if self._peers.get(peer.member_id) is peer and peer.pc.connectionState != "connected":
            logger.info("%s's stream is not up after %.0f s", peer.member_id, self._connect_timeout)
            self.events.emit(PeerStateChanged(peer.member_id, PeerState.RECONNECTING))

    async def _send(self, message: ClientSfu) -> None:
        try:
            await self._channel.send(message)
        except (ConnectionError, OSError, GroupDeskError):
            # signalling gone for good, or a dropped line: a republish or a new offer retries
            logger.warning("could not send an sfu %s for %s", message.kind, message.feed)

    # -- background work ---------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _meter_local(self, track: MediaStreamTrack) -> None:
        meter = LevelMeter(self.local_id, self.events.emit, self._vad)
        try:
            while True:
                try:
                    frame = await track.recv()
                except MediaStreamError:
                    meter.end()
                    return
                if isinstance(frame, av.AudioFrame):
                    meter.feed(frame)
        finally:
            track.stop()

    async def _stats_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.report_stats()

    async def report_stats(self) -> None:
        """Statistics once: our stream's link report to the quality ladder, and one
        :class:`~groupdesk.media.events.PeerStats` per received feed (its round trip:
        ours to the media server, the leg this member's network decides)."""
        publisher = self._publication.peer
        rtt: float | None = None
        if publisher is not None and publisher.pc.connectionState == "connected":
            track = publisher.video_track
            estimate = track.bandwidth_estimate if track is not None else None
            with contextlib.suppress(AttributeError, KeyError, ValueError):  # closing under us
                ours = await publisher.stats(estimate)
                rtt = ours.rtt_s
                if self._adaptation is not None:
                    link = LinkReport(estimate, ours.loss) if track is not None else None
                    self._adaptation.report(self.local_id, link)
        for peer in list(self._peers.values()):
            if peer.pc.connectionState != "connected":
                continue
            try:
                stats = await peer.stats(None)
            except (AttributeError, KeyError, ValueError):  # a connection closing under us
                logger.debug("no stats for %s", peer.member_id, exc_info=True)
                continue
            if stats.rtt_s is None and rtt is not None:
                stats = dataclasses.replace(stats, rtt_s=rtt)
            self.events.emit(stats)
        self._adapt(group_changed=False)

    async def _watch_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.check_receiving()

    def _adapt(self, *, group_changed: bool) -> None:
        """Choose the video profile from the media server's reports and local load."""
        fanout, adaptation = self.fanout, self._adaptation
        if fanout is None or adaptation is None or self._closed:
            return
        publisher = self._publication.peer
        peers = {self.local_id: publisher} if publisher is not None else {}
        # one stream whatever the group size: the ladder starts at its top rung
        target = adaptation.decide(
            peers, 1, send_video=self._send_video, group_changed=group_changed
        )
        if target != fanout.profile:
            fanout.set_profile(target)
            self.events.emit(QualityChanged(target, self._receive_video))
