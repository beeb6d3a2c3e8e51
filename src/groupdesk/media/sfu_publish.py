"""Our one stream to the organisation's media server, in an SFU room.

The publishing half of :class:`~groupdesk.media.sfu.SfuCall`: one sendonly peer
connection carries our microphone (through the audio relay) and camera (through the
fan-out, encoded once), offered to the server as ``sfu`` ``offer`` for our own feed and
answered by it. A connection that fails, closes from the other side, does not connect
in time, or that the server reports ``failed`` or ``ended`` (after a resumed seat the
server closes the old media session), is replaced by a new one and offered again, after
a backoff that doubles up to ``backoff[1]``.

A share (a screen, a window, a document) is a second :class:`Publication` of its own,
``track`` "share": video only, from the share's fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Literal

from aiortc import RTCPeerConnection, RTCSessionDescription

from groupdesk.core.protocol import ClientSfu, ServerSfu, SfuTrack
from groupdesk.media import ice
from groupdesk.media.fanout import VideoFanout
from groupdesk.media.peer import Peer, announce_sha256_only, prefer_codecs
from groupdesk.media.relay import AudioRelay

logger = logging.getLogger(__name__)

RepublishCause = Literal["timeout", "failed", "refused", "ended"]
"""Why our published stream was offered again, as :attr:`Publication.republished` counts:
``timeout``: not connected in time; ``failed``: the connection failed or the media server
closed it; ``refused``: the server answered ``failed`` (unreachable or refusing);
``ended``: the server said our stream ended (the media server hung up, or our seat was
resumed after a dropped connection and its old media session closed)."""


class Publication:
    """Our stream to the media server: offered, answered, and offered again when it fails.

    ``send`` puts an ``sfu`` message on the wire, ``new_pc`` makes a peer connection (our
    ICE servers and certificate), ``spawn`` runs background work the call cancels on
    hang-up. ``track``: which of our publications this is (our camera and microphone, or
    our share).
    """

    def __init__(
        self,
        local_id: str,
        send: Callable[[ClientSfu], Awaitable[None]],
        new_pc: Callable[[], RTCPeerConnection],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        *,
        relay: AudioRelay | None,
        fanout: VideoFanout | None,
        connect_timeout: float,
        backoff: tuple[float, float],
        track: SfuTrack = "camera",
    ) -> None:
        self.local_id = local_id
        self.track: SfuTrack = track
        self._send = send
        self._new_pc = new_pc
        self._spawn = spawn
        self._relay = relay
        self._fanout = fanout
        self._connect_timeout = connect_timeout
        self._backoff = backoff
        self.peer: Peer | None = None
        """The connection carrying our stream now (None: not publishing)."""
        self.republished: Counter[RepublishCause] = Counter()
        self._lock = asyncio.Lock()
        self._replacing: Peer | None = None
        """The connection whose replacement is planned."""
        self._server_said = asyncio.Event()
        """The server said the connection being replaced ended (no need to wait more)."""
        self._failures = 0
        self._closed = False

    @property
    def has_media(self) -> bool:
        """Whether there is anything to publish (a microphone or a camera)."""
        return self._relay is not None or self._fanout is not None

    async def publish(self) -> bool:
        """Offer our stream, unless it is on its way or up already; whether it was offered."""
        async with self._lock:
            current = self.peer
            if self._closed or (
                current is not None and current.pc.connectionState not in ("failed", "closed")
            ):
                return False
            await self._replace(0 if current is None else current.gen + 1)
            return True

    async def handle(self, message: ServerSfu) -> None:
        """The server's word about our own feed: its answer, a refusal, or its end."""
        async with self._lock:
            peer = self.peer
            match message.kind:
                case "answer":
                    assert message.sdp is not None  # the protocol checked it
                    if peer is None or peer.pc.signalingState != "have-local-offer":
                        logger.info("an answer for no offer of ours: ignored")
                        return
                    sdp = ice.filter_sdp_candidates(message.sdp)
                    await peer.pc.setRemoteDescription(RTCSessionDescription(sdp, "answer"))
                case "failed":
                    logger.info("the media server refused our stream (%s)", message.reason)
                    if peer is not None:
                        self._schedule(peer, "refused")
                case "ended":
                    # About an answered publication; one still waiting for its answer is
                    # newer than what ended (the server handles our messages in order).
                    if peer is not None and peer.pc.signalingState != "have-local-offer":
                        logger.info("our stream ended at the media server: offering it again")
                        self._schedule(peer, "ended")
                case "offer" | "candidate" | "layer" | "none":
                    logger.warning("ignoring an sfu %s about our own stream", message.kind)

    async def close(self) -> None:
        """Stop publishing: close the connection; nothing is offered any more."""
        self._closed = True
        peer, self.peer = self.peer, None
        if peer is not None:
            await peer.close()

    async def _replace(self, gen: int) -> None:
        """Under the lock: a new publishing connection, offered to the server."""
        old, self.peer = self.peer, None
        if old is not None:
            await old.close()
        if self._closed:
            return
        pc = self._new_pc()
        peer = Peer(member_id=self.local_id, gen=gen, offerer=True, pc=pc)
        if self._relay is not None:
            peer.audio_track = self._relay.subscribe()
            peer.watch_rtt(pc.addTrack(peer.audio_track))
        if self._fanout is not None:
            track = self._fanout.subscribe()
            sender = pc.addTrack(track)
            self._fanout.attach(sender, track)
            peer.watch_rtt(sender)
            peer.video_track = track
        for transceiver in pc.getTransceivers():
            transceiver.direction = "sendonly"
        prefer_codecs(pc)

        def on_state() -> None:
            self._on_state(peer)

        pc.on("connectionstatechange", on_state)
        self.peer = peer
        await pc.setLocalDescription(await pc.createOffer())
        sdp = announce_sha256_only(pc.localDescription.sdp)
        await self._send(ClientSfu(feed=self.local_id, kind="offer", sdp=sdp, track=self.track))
        # aiortc gathers every candidate before the offer: they are all in its SDP
        await self._send(ClientSfu(feed=self.local_id, kind="candidate", track=self.track))
        self._spawn(self._watchdog(peer))

    def _on_state(self, peer: Peer) -> None:
        if self.peer is not peer or self._closed:
            return  # replaced, or closing
        state = peer.pc.connectionState
        if state == "connected":
            peer.connected_at = time.monotonic()
            self._failures = 0
            logger.info("our stream reaches the media server")
        elif state in ("failed", "closed"):
            # "closed" without us closing it: the media server hung up (its DTLS said so)
            self._schedule(peer, "failed")

    def _schedule(self, peer: Peer, cause: RepublishCause) -> None:
        """Replace ``peer`` after the backoff, unless that is planned already (a hang-up
        is often said twice: by the connection, and by the server).

        When only our side saw the connection fail (``failed``, ``timeout``), the new offer
        waits for the server to say the stream ended, up to ``connect_timeout``: offered
        while the media server still holds the old connection, it would be taken as an
        ICE restart of that one, whose DTLS session a new connection cannot take over.
        """
        if peer is self._replacing:
            if cause in ("ended", "refused"):
                self._server_said.set()  # what we were waiting for: now
            return
        self._replacing = peer
        self._server_said = said = asyncio.Event()
        self.republished[cause] += 1
        failures, self._failures = self._failures, self._failures + 1
        delay = min(self._backoff[1], self._backoff[0] * 2**failures)
        wait = self._connect_timeout if cause in ("failed", "timeout") else 0.0

        async def later() -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(said.wait(), wait)
            await asyncio.sleep(delay)
            async with self._lock:
                if self.peer is not peer or self._closed:
                    return  # replaced already
                logger.info("offering our stream again (generation %d)", peer.gen + 1)
                await self._replace(peer.gen + 1)

        self._spawn(later())

    async def _watchdog(self, peer: Peer) -> None:
        """A publishing connection that never comes up counts as failed."""
        await asyncio.sleep(self._connect_timeout)
        if self.peer is peer and peer.pc.connectionState != "connected":
            logger.info("our stream is not up after %.0f s", self._connect_timeout)
            self._schedule(peer, "timeout")
