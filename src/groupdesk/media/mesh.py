"""The call: one RTCPeerConnection per remote member, negotiated without glare.

Rules of the mesh:

- **Who offers.** Of two members, the one whose id sorts first sends the offer;
  the other only answers. Both know this without talking, so offers never cross.
- **Restarts.** aiortc has no in-place ICE restart, so a failed path is replaced by a
  new peer connection of the next *generation*: the offerer offers anew (the
  answerer asks it to with a ``media.restart`` message). The other members'
  connections are untouched; the tile of the one member freezes, then resumes.
- **Incarnations.** Each mesh has a random :attr:`Mesh.incarnation` that every message
  carries (:mod:`groupdesk.media.messages`). A member whose program was killed and
  started again within the grace period resumes its seat with a new mesh: its first
  message (``media.prefs``, sent to everyone it hears of) tells the others, who drop
  the dead connection at once and negotiate afresh from generation 0, instead of
  waiting for a timeout. Messages from the dead mesh, or meant for it, are ignored.
- **Sending.** Audio goes to each peer through a relay (Opus is cheap to encode);
  video is encoded once and fanned out (:mod:`groupdesk.media.fanout`), at a
  profile that follows the group size and the weakest peer's bandwidth estimate.
- **Audio only.** ``set_send_video(False)`` stops encoding and sending video;
  ``set_receive_video(False)`` asks every peer to stop sending us theirs.
- **Silent drops.** A connected peer whose audio stops arriving for a second is reported
  ``reconnecting``, and ``connected`` once its media flows again
  (:mod:`groupdesk.media.watchdog`): a network that just loses every packet is otherwise
  noticed only by ICE consent freshness, some 30 s later. It only reports: the
  connection is restarted, as before, only when ICE says it failed.
- **Sharing.** Every connection has a third transceiver, a second video track for a
  share (:mod:`groupdesk.media.share`), ``sendrecv`` from the first offer: ``set_share``
  puts a source on it for everyone (``replaceTrack``: no renegotiation), encoded once
  at a size and rate fit for text; what others share goes to ``share_sink``.
- **Blocked members** (the private side room). ``set_blocked(ids)``: we send those
  members no audio or video RTP and drop what comes from them before the sink, the
  levels and voice activity; their connections stay up, so unblocking resumes both
  at once (the returning peers' video starts on a fresh keyframe). No renegotiation.

Everything the UI and the turn manager need arrives as events on :attr:`Mesh.events`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from typing import Any, Literal

import av
from aiortc import (
    RTCCertificate,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.relay_only import is_relay_candidate, relay_only_sdp
from groupdesk.core.security_code import RoomCode, room_code
from groupdesk.media import ice
from groupdesk.media.adaptation import SendAdaptation
from groupdesk.media.channel import SignalChannel
from groupdesk.media.events import (
    EventStream,
    MediaEvent,
    PeerState,
    PeerStateChanged,
    QualityChanged,
)
from groupdesk.media.fanout import VideoFanout
from groupdesk.media.levels import VadConfig
from groupdesk.media.messages import (
    Answer,
    Candidate,
    MediaPrefs,
    MediaSignalError,
    Offer,
    RestartRequest,
    Signal,
    parse_signal,
)
from groupdesk.media.peer import (
    LevelMeter,
    MediaSink,
    NullSink,
    Peer,
    announce_sha256_only,
    bundle_share,
    local_fingerprint,
    new_peer_connection,
    prefer_codecs,
    remote_fingerprint,
    route_by_mid,
)
from groupdesk.media.quality import LadderController, LinkReport, VideoProfile, profile_for_group
from groupdesk.media.relay import AudioRelay
from groupdesk.media.share import SHARE_MLINE, SHARE_PROFILE, ShareSink
from groupdesk.media.sources import AudioSource, VideoSource
from groupdesk.media.watchdog import CHECK_EVERY_S, STALL_AFTER_S, ReceiveWatch, Verdict

logger = logging.getLogger(__name__)

_RETIRED_KEPT = 8
"""Replaced incarnations remembered per member (their late messages are ignored)."""

RestartCause = Literal["timeout", "failed", "requested", "manual", "new_incarnation"]
"""Why a connection was replaced (or a replacement asked for), as :attr:`Mesh.restarts` counts:
``timeout``: not connected in time (or no offer came); ``failed``: the connection failed or
the other side closed it; ``requested``: the answering member asked for a new offer;
``manual``: :meth:`Mesh.restart`; ``new_incarnation``: the member's program was started anew."""


def _is_share(pc: RTCPeerConnection, track: MediaStreamTrack) -> bool:
    """Whether ``track`` arrives on the share's transceiver (the third of the connection)."""
    transceivers = pc.getTransceivers()
    return len(transceivers) > SHARE_MLINE and transceivers[SHARE_MLINE].receiver.track is track


class MeshClosedError(GroupDeskError):
    """The mesh was closed; it cannot be used again."""

    key = "media.error.mesh_closed"


class Mesh:
    """The local member's media connections to every other admitted member.

    Signalling calls :meth:`member_joined`, :meth:`member_left` and
    :meth:`handle_signal` (the :class:`~groupdesk.media.channel.SignalHandler`
    protocol); the mesh sends through ``signaling``.
    """

    def __init__(
        self,
        local_id: str,
        signaling: SignalChannel,
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
        self.incarnation = secrets.token_hex(8)
        """This mesh among all the meshes that ever had ``local_id`` (a run of the program)."""
        self.events: EventStream[MediaEvent] = EventStream()
        self._signaling = signaling
        self._sink: MediaSink = sink or NullSink()
        self._share_sink = share_sink
        self._encode_once = encode_once
        self.share_fanout: VideoFanout | None = None
        """What we share, encoded once for every peer (None: nothing)."""
        self._ice_servers = list(ice_servers)
        self._relay_only = relay_only
        """A relay-only room: TURN relay candidates only, ours and the ones we accept."""
        self._certificate = RTCCertificate.generateCertificate()
        """One DTLS certificate for every connection: the room's security code needs it."""
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
        self._peers: dict[str, Peer] = {}
        self._members: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._failures: dict[str, int] = {}
        self._remote_wants_video: dict[str, bool] = {}
        self._incarnations: dict[str, str] = {}
        self._retired: dict[str, list[str]] = {}
        self._awaiting: dict[str, asyncio.Task[None]] = {}
        self._send_video = True
        self._receive_video = True
        self._blocked: frozenset[str] = frozenset()
        self._adaptation = (
            SendAdaptation(self.fanout, ladder, adapt_to_bandwidth=adapt_to_bandwidth)
            if self.fanout
            else None
        )
        self._restarts: Counter[RestartCause] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = False
        self._closed = False

    # -- public surface -------------------------------------------------------------------

    @property
    def media(self) -> Literal["mesh"]:
        """How this call's media travel: member to member, end to end."""
        return "mesh"

    @property
    def peers(self) -> Mapping[str, Peer]:
        """The current connection to each remote member, by member id."""
        return dict(self._peers)

    @property
    def members(self) -> frozenset[str]:
        """The remote members signalling says are in the room."""
        return frozenset(self._members)

    @property
    def restarts(self) -> dict[RestartCause, int]:
        """How many connections were replaced (or a replacement asked for), by cause."""
        return dict(self._restarts)

    @property
    def send_video(self) -> bool:
        """Whether we send video (False: audio-only mode, sending)."""
        return self._send_video

    @property
    def receive_video(self) -> bool:
        """Whether we ask peers for their video (False: audio-only mode, receiving)."""
        return self._receive_video

    @property
    def silent(self) -> frozenset[str]:
        """None here: a member who sends nothing still has a connection with us."""
        return frozenset()

    @property
    def blocked(self) -> frozenset[str]:
        """The members we neither send media to nor take media from (a side room)."""
        return self._blocked

    @property
    def profile(self) -> VideoProfile | None:
        """The video profile being sent, or None (no camera, or audio only)."""
        return self.fanout.profile if self.fanout else None

    @property
    def local_fingerprint(self) -> str:
        """The fingerprint of the certificate our DTLS presents on every connection."""
        return local_fingerprint(self._certificate)

    def remote_fingerprints(self) -> dict[str, str | None]:
        """Each remote member's fingerprint as its connection announced it (None: not up)."""
        fingerprints: dict[str, str | None] = {}
        for member_id in self._members:
            peer = self._peers.get(member_id)
            fingerprints[member_id] = None if peer is None else remote_fingerprint(peer.pc)
        return fingerprints

    def security_code(self) -> RoomCode:
        """The room's security code as this member sees it (see core.security_code)."""
        return room_code(self.local_id, self.local_fingerprint, self.remote_fingerprints())

    def start(self) -> None:
        """Start background work: local audio level, statistics. Joining calls it too."""
        if self._closed:
            raise MeshClosedError
        if self._started:
            return
        self._started = True
        if self._relay is not None:
            self._spawn(self._meter_local(self._relay.subscribe(raw=True)))
        if self._stats_interval:
            self._spawn(self._stats_loop(self._stats_interval))
        if self._stall_after is not None:
            self._spawn(self._watch_loop(CHECK_EVERY_S))

    async def member_joined(self, member_id: str) -> None:
        """Connect to ``member_id`` (we offer if our id sorts first, else we wait for theirs)."""
        if self._closed or member_id == self.local_id:
            return
        self.start()
        self._members.add(member_id)
        # Always, not only for audio only: it tells the member our incarnation at once, so
        # that a member who knew our program's previous run drops that connection now.
        await self._send(member_id, MediaPrefs(video=self._receive_video))
        async with self._lock(member_id):
            if member_id in self._peers:
                return
            self.events.emit(PeerStateChanged(member_id, PeerState.CONNECTING))
            if self._is_offerer(member_id):
                await self._offer(member_id, 0)
            else:
                self._await_offer_from(member_id)
        self._adapt(group_changed=True)

    async def member_left(self, member_id: str) -> None:
        """Disconnect from ``member_id``."""
        self._members.discard(member_id)
        self._failures.pop(member_id, None)
        self._remote_wants_video.pop(member_id, None)
        self._incarnations.pop(member_id, None)
        self._retired.pop(member_id, None)
        awaiting = self._awaiting.pop(member_id, None)
        if awaiting is not None:
            awaiting.cancel()
        if self._adaptation is not None:
            self._adaptation.report(member_id, None)
        async with self._lock(member_id):
            peer = self._peers.pop(member_id, None)
            if peer is not None:
                await peer.close()
                self.events.emit(PeerStateChanged(member_id, PeerState.CLOSED))
        self._adapt(group_changed=True)

    async def handle_signal(self, from_member_id: str, payload: Mapping[str, Any]) -> None:
        """A negotiation message from ``from_member_id``; malformed ones are logged and dropped."""
        if self._closed or from_member_id == self.local_id:
            return
        try:
            signal = parse_signal(payload, from_member_id)
        except MediaSignalError as exc:
            logger.warning("%s", exc)
            return
        self.start()
        async with self._lock(from_member_id):
            verdict = await self._check_incarnation(from_member_id, signal)
            if verdict == "stale" or (
                verdict == "new" and not isinstance(signal, Offer | MediaPrefs)
            ):
                # Starting over answered a restart request; an answer or a candidate from
                # a new incarnation belongs to no connection we still have.
                return
            if isinstance(signal, Offer):
                await self._answer(from_member_id, signal)
            elif isinstance(signal, Answer):
                await self._accept(from_member_id, signal)
            elif isinstance(signal, Candidate):
                await self._add_candidate(from_member_id, signal)
            elif isinstance(signal, RestartRequest):
                peer = self._peers.get(from_member_id)
                # Only if they have our newest generation (or none is newer): a request
                # about an older one crossed our restart and is answered by it already.
                if self._is_offerer(from_member_id) and (peer is None or peer.gen <= signal.gen):
                    self._restarts["requested"] += 1
                    await self._restart(from_member_id)
            else:
                self._remote_wants_video[from_member_id] = signal.video
                peer = self._peers.get(from_member_id)
                if peer is not None and peer.video_track is not None:
                    peer.video_track.set_wanted(signal.video)

    async def restart(self, member_id: str) -> None:
        """Replace the connection to ``member_id`` by a new one (an ICE restart)."""
        async with self._lock(member_id):
            self._restarts["manual"] += 1
            peer = self._peers.get(member_id)
            if self._is_offerer(member_id):
                await self._restart(member_id)
            elif peer is not None:
                self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
                await self._send(member_id, RestartRequest(peer.gen))

    def set_send_video(self, enabled: bool) -> None:
        """Send video (True) or only audio (False), to every peer."""
        self._send_video = enabled
        self._adapt(group_changed=True)

    def set_blocked(self, member_ids: Iterable[str]) -> None:
        """Send no media to ``member_ids`` and take none from them; everyone else (and
        those no longer named) gets and gives both again, at once. Connections made
        later (a newcomer, a restart) start blocked too if named."""
        blocked = frozenset(member_ids) - {self.local_id}
        if blocked == self._blocked:
            return
        self._blocked = blocked
        for member_id, peer in self._peers.items():
            if peer.blocked != (member_id in blocked):
                peer.set_blocked(member_id in blocked)

    async def set_receive_video(self, enabled: bool) -> None:
        """Receive video (True) or ask every peer for audio only (False)."""
        if enabled == self._receive_video:
            return
        self._receive_video = enabled
        for member_id in sorted(self._members):
            await self._send(member_id, MediaPrefs(video=enabled))
        self.events.emit(QualityChanged(self.profile, self._receive_video))

    async def close(self) -> None:
        """Hang up: close every connection and stop the background work."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for member_id, peer in list(self._peers.items()):
            await peer.close()
            self.events.emit(PeerStateChanged(member_id, PeerState.CLOSED))
        self._peers.clear()
        if self.fanout is not None:
            await self.fanout.stop()
        if self.share_fanout is not None:
            await self.share_fanout.stop()
        if self._relay is not None:
            await self._relay.stop()

    # -- negotiation -------------------------------------------------------------------------

    def _is_offerer(self, member_id: str) -> bool:
        return self.local_id < member_id

    async def _check_incarnation(
        self, member_id: str, signal: Signal
    ) -> Literal["current", "new", "stale"]:
        """Under the member's lock: is ``signal`` from the member's mesh we know, from a new
        one (then the connection to the old one is dropped and negotiated afresh), or stale?"""
        if signal.to_incarnation is not None and signal.to_incarnation != self.incarnation:
            return "stale"  # meant for the mesh that had our id before this one
        incarnation = signal.incarnation
        known = self._incarnations.get(member_id)
        # None says nothing (a sender from before incarnations): never a reason to drop.
        if incarnation is None or incarnation == known:
            return "current"
        if incarnation in self._retired.get(member_id, ()):
            return "stale"
        self._incarnations[member_id] = incarnation
        if known is None:
            return "current"  # the first word from this member
        retired = self._retired.setdefault(member_id, [])
        retired.append(known)
        del retired[:-_RETIRED_KEPT]
        logger.info("%s runs a new program; connecting to it afresh", member_id)
        await self._start_over(member_id)
        return "new"

    async def _start_over(self, member_id: str) -> None:
        """Under the member's lock: drop the connection to its old mesh; negotiate from 0."""
        self._restarts["new_incarnation"] += 1
        self._failures.pop(member_id, None)
        self._remote_wants_video.pop(member_id, None)
        old = self._peers.pop(member_id, None)
        if old is not None:
            self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
            await old.close()
        if member_id not in self._members or self._closed:
            return
        if self._is_offerer(member_id):
            await self._offer(member_id, 0)
        else:
            self._await_offer_from(member_id)

    def _lock(self, member_id: str) -> asyncio.Lock:
        return self._locks.setdefault(member_id, asyncio.Lock())

    def _new_peer(self, member_id: str, gen: int, offerer: bool) -> Peer:
        pc = new_peer_connection(self._ice_servers, self._certificate, relay_only=self._relay_only)
        peer = Peer(member_id=member_id, gen=gen, offerer=offerer, pc=pc)
        peer.blocked = member_id in self._blocked
        if self._stall_after is not None:
            peer.watch = ReceiveWatch(stall_after=self._stall_after)

        def on_track(track: MediaStreamTrack) -> None:
            if _is_share(pc, track):
                peer.consume_share(track, self._share_sink)
            elif track.kind == "video" and not self._receive_video:
                # We asked for no video; whatever still arrives is read and dropped.
                peer.consume(track, NullSink(), self.events.emit, self._vad)
            else:
                peer.consume(track, self._sink, self.events.emit, self._vad)

        def on_state() -> None:
            self._on_state(peer)

        pc.on("track", on_track)
        pc.on("connectionstatechange", on_state)
        self._peers[member_id] = peer
        return peer

    def _attach_tracks(self, peer: Peer) -> None:
        pc = peer.pc
        if self._relay is not None:
            peer.audio_track = self._relay.subscribe()
            peer.audio_track.set_blocked(peer.blocked)
            peer.watch_rtt(pc.addTrack(peer.audio_track))
        elif peer.offerer:
            pc.addTransceiver("audio", direction="recvonly")
        if self.fanout is not None:
            track = self.fanout.subscribe()
            track.set_wanted(self._remote_wants_video.get(peer.member_id, True))
            track.set_blocked(peer.blocked)
            sender = pc.addTrack(track)
            self.fanout.attach(sender, track)
            peer.watch_rtt(sender)
            peer.video_track = track
        elif peer.offerer:
            pc.addTransceiver("video", direction="recvonly")
        self._attach_share(peer)
        if peer.offerer:
            prefer_codecs(pc)

    def _attach_share(self, peer: Peer) -> None:
        """The share's transceiver, third of every connection, ``sendrecv`` from the start
        (an offer: we add it; an answer: the offer's third m-line, if it has one), and our
        share on it if we share."""
        pc = peer.pc
        if peer.offerer:
            pc.addTransceiver("video", direction="sendrecv")
        transceivers = pc.getTransceivers()
        if len(transceivers) <= SHARE_MLINE or transceivers[SHARE_MLINE].kind != "video":
            return  # an older member: no share either way
        transceiver = transceivers[SHARE_MLINE]
        transceiver.direction = "sendrecv"
        peer.share_sender = transceiver.sender
        self._send_share_to(peer)

    def _send_share_to(self, peer: Peer) -> None:
        """Put our share (or nothing) on ``peer``'s share sender."""
        if peer.share_sender is None:
            return
        if peer.share_track is not None:
            peer.share_track.stop()
            peer.share_track = None
        fanout = self.share_fanout
        if fanout is None:
            peer.share_sender.replaceTrack(None)
            return
        track = fanout.subscribe()
        track.set_blocked(peer.blocked)
        peer.share_sender.replaceTrack(track)
        fanout.attach(peer.share_sender, track)
        peer.share_track = track

    @property
    def sharing(self) -> bool:
        """Whether we share something now."""
        return self.share_fanout is not None

    @property
    def can_share(self) -> bool:
        """A mesh carries a share on every connection's second video track."""
        return True

    async def set_share(self, source: VideoSource | None) -> None:
        """Share ``source`` (a screen, a window, a document's pages) with every member on
        the second video track, at :data:`SHARE_PROFILE` at most; None: stop sharing.
        The source is read, never stopped, here: its owner stops it."""
        old, self.share_fanout = self.share_fanout, None
        if source is not None:
            self.share_fanout = VideoFanout(source, SHARE_PROFILE, encode_once=self._encode_once)
        for peer in list(self._peers.values()):
            self._send_share_to(peer)
        if old is not None:
            await old.stop()

    async def _offer(self, member_id: str, gen: int) -> None:
        peer = self._new_peer(member_id, gen, offerer=True)
        self._attach_tracks(peer)
        route_by_mid(peer.pc)
        await peer.pc.setLocalDescription(await peer.pc.createOffer())
        await self._send(member_id, Offer(gen, announce_sha256_only(peer.pc.localDescription.sdp)))
        self._spawn(self._watchdog(peer))

    async def _answer(self, member_id: str, offer: Offer) -> None:
        if self._is_offerer(member_id):
            logger.warning("ignoring an offer from %s: %s offers", member_id, self.local_id)
            return
        current = self._peers.get(member_id)
        if current is not None:
            if offer.gen < current.gen or (
                offer.gen == current.gen and current.pc.remoteDescription is not None
            ):
                return  # stale or repeated
            self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
            del self._peers[member_id]
            await current.close()
        elif member_id not in self._members:
            self.events.emit(PeerStateChanged(member_id, PeerState.CONNECTING))
        self._members.add(member_id)
        peer = self._new_peer(member_id, offer.gen, offerer=False)
        remote = self._remote_sdp(offer.sdp)
        await peer.pc.setRemoteDescription(RTCSessionDescription(remote, "offer"))
        route_by_mid(peer.pc)
        bundle_share(peer.pc, SHARE_MLINE)
        self._attach_tracks(peer)
        await peer.pc.setLocalDescription(await peer.pc.createAnswer())
        await self._send(
            member_id, Answer(offer.gen, announce_sha256_only(peer.pc.localDescription.sdp))
        )
        self._spawn(self._watchdog(peer))
        self._adapt(group_changed=True)

    async def _accept(self, member_id: str, answer: Answer) -> None:
        peer = self._peers.get(member_id)
        if (
            peer is None
            or not peer.offerer
            or peer.gen != answer.gen
            or peer.pc.signalingState != "have-local-offer"
        ):
            return
        remote = self._remote_sdp(answer.sdp)
        await peer.pc.setRemoteDescription(RTCSessionDescription(remote, "answer"))
        bundle_share(peer.pc, SHARE_MLINE)
        for candidate in peer.pending_candidates:
            await peer.add_candidate(candidate)
        peer.pending_candidates.clear()

    def _remote_sdp(self, sdp: str) -> str:
        """A remote description without the candidates we must not try (or learn)."""
        sdp = ice.filter_sdp_candidates(sdp)
        return relay_only_sdp(sdp) if self._relay_only else sdp

    async def _add_candidate(self, member_id: str, signal: Candidate) -> None:
        """A trickled remote candidate: now, or once the remote description is set."""
        if self._relay_only and signal.candidate and not is_relay_candidate(signal.candidate):
            return  # a relay-only room: another member's own address is not to be used
        peer = self._peers.get(member_id)
        if peer is None or peer.gen != signal.gen:
            return  # for a connection that is gone (or not yet offered: the offer comes first)
        if peer.pc.remoteDescription is None:
            peer.pending_candidates.append(signal)
            return
        await peer.add_candidate(signal)

    async def _restart(self, member_id: str) -> None:
        """Offerer side, under the member's lock: a new generation of the connection."""
        if member_id not in self._members or self._closed:
            return
        old = self._peers.pop(member_id, None)
        gen = old.gen + 1 if old is not None else 0
        self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
        if old is not None:
            await old.close()
        await self._offer(member_id, gen)

    def _on_state(self, peer: Peer) -> None:
        if self._peers.get(peer.member_id) is not peer or self._closed:
            return  # an older generation, closing
        state = peer.pc.connectionState
        if state == "connected":
            peer.connected_at = time.monotonic()
            self._failures[peer.member_id] = 0
            self.events.emit(PeerStateChanged(peer.member_id, PeerState.CONNECTED))
        elif state in ("failed", "closed"):
            # "closed" without us closing it: the other side's DTLS said goodbye.
            self._restarts["failed"] += 1
            self._schedule_restart(peer)

    def _schedule_restart(self, peer: Peer) -> None:
        member_id = peer.member_id
        failures = self._failures.get(member_id, 0)
        self._failures[member_id] = failures + 1
        delay = min(self._backoff[1], self._backoff[0] * 2**failures)
        self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))

        async def later() -> None:
            await asyncio.sleep(delay)
            async with self._lock(member_id):
                if self._peers.get(member_id) is not peer:
                    return  # already replaced
                if peer.offerer:
                    await self._restart(member_id)
                else:
                    await self._send(member_id, RestartRequest(peer.gen))
            if not peer.offerer:
                self._spawn(self._watchdog(peer))

        self._spawn(later())

    async def _watchdog(self, peer: Peer) -> None:
        """A connection that never comes up counts as failed."""
        await asyncio.sleep(self._connect_timeout)
        if self._peers.get(peer.member_id) is peer and peer.pc.connectionState != "connected":
            logger.info("no connection to %s after %.0f s", peer.member_id, self._connect_timeout)
            self._restarts["timeout"] += 1
            self._schedule_restart(peer)

    def _await_offer_from(self, member_id: str) -> None:
        previous = self._awaiting.pop(member_id, None)
        if previous is not None:
            previous.cancel()
        self._awaiting[member_id] = self._spawn(self._await_offer(member_id))

    async def _await_offer(self, member_id: str) -> None:
        """Answering side: no offer in time (lost, or the other side was not ready): ask again."""
        delay = self._connect_timeout
        while True:
            await asyncio.sleep(delay)
            if member_id not in self._members or member_id in self._peers:
                return
            logger.info("no offer from %s after %.0f s; asking for one", member_id, delay)
            self._restarts["timeout"] += 1
            await self._send(member_id, RestartRequest(0))
            delay = min(delay * 2, 60.0)

    async def _send(self, member_id: str, signal: Signal) -> None:
        addressed = signal.addressed(self.incarnation, self._incarnations.get(member_id))
        payload = addressed.to_payload()
        try:
            await self._signaling.send_signal(member_id, payload)
        except (ConnectionError, OSError, GroupDeskError):
            # Signalling gone for good (closed client) or a dropped line: a restart retries.
            logger.warning("could not send %s to %s", payload.get("type"), member_id)

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
            for peer in list(self._peers.values()):
                if peer.pc.connectionState != "connected":
                    continue
                estimate = peer.video_track.bandwidth_estimate if peer.video_track else None
                try:
                    stats = await peer.stats(estimate)
                except (AttributeError, KeyError, ValueError):  # a peer closing under us
                    logger.debug("no stats for %s", peer.member_id, exc_info=True)
                    continue
                if self._adaptation is not None:
                    # a blocked peer gets no video: its estimate says nothing of the link
                    sending = peer.video_track is not None and peer.video_track.active
                    link = LinkReport(estimate, stats.loss) if sending else None
                    self._adaptation.report(peer.member_id, link)
                self.events.emit(stats)
            self._adapt(group_changed=False)

    async def _watch_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.check_receiving()

    def check_receiving(self) -> None:
        """Run the receive watchdog once over every peer (every :data:`CHECK_EVERY_S`):
        a connected, unblocked peer whose audio stopped is reported ``reconnecting``,
        and ``connected`` once its media flows again."""
        if self._closed:
            return
        now = self._clock()
        for member_id, peer in list(self._peers.items()):
            if peer.watch is None:
                continue
            expected = peer.pc.connectionState == "connected" and not peer.blocked
            verdict = peer.watch.check(now, peer.received.arrivals(), expected=expected)
            if verdict is Verdict.STALLED:
                logger.info(
                    "no media from %s for %.1f s: reconnecting", member_id, self._stall_after
                )
                self.events.emit(PeerStateChanged(member_id, PeerState.RECONNECTING))
            elif verdict is Verdict.RESUMED:
                logger.info("media from %s flows again", member_id)
                self.events.emit(PeerStateChanged(member_id, PeerState.CONNECTED))

    def _adapt(self, *, group_changed: bool) -> None:
        """Choose the video profile from group size, receiver reports and local load."""
        fanout, adaptation = self.fanout, self._adaptation
        if fanout is None or adaptation is None or self._closed:
            return
        target = adaptation.decide(
            self._peers,
            len(self._members) + 1,
            send_video=self._send_video,
            group_changed=group_changed,
        )
        if target != fanout.profile:
            fanout.set_profile(target)
            self.events.emit(QualityChanged(target, self._receive_video))
