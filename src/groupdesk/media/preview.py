"""The lobby preview: a facilitator sees a waiting person's camera before admitting them.

A person in the lobby is not in the room: they reach nobody and nobody reaches
them, except a facilitator asking to see them (the server relays ``preview.*``
signal payloads between the room's facilitators and its lobby, nothing else; see
:data:`groupdesk.core.protocol.PREVIEW_SIGNAL_PREFIX`). The preview is video only,
never sound, small and slow (:data:`PREVIEW_PROFILE`), and one-way: the waiting
person sees nothing of the room.

Payloads, each a JSON object in a ``signal``:

- ``preview.offer {sdp}``: facilitator to waiting person, a receive-only video offer
  with its ICE candidates (no trickling);
- ``preview.answer {sdp, camera}``: the answer, with the camera's state (``camera``
  False: the person's camera is off; the connection stays, for when they turn it on);
- ``preview.camera {on}``: the waiting person turned their camera on or off;
- ``preview.stop {}``: either side is done (the viewer closed; the person was admitted,
  declined, or left).

:class:`LobbyPreviews` is the facilitator's side: one :class:`PreviewViewer` per
waiting person, kept in step with the server's ``lobby`` messages.
:class:`PreviewAnswerer` is the waiting person's side (bots, participant mode; the web
page has its own in JavaScript): it answers every facilitator who asks, with one
encoder for all of them, and hangs up once the person is admitted or turned away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import av
from aiortc import (
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from groupdesk.core.protocol import (
    Admitted,
    Declined,
    Lobby,
    Removed,
    RoomEnded,
    ServerMessage,
    ServerSignal,
    Waiting,
    is_preview_payload,
)
from groupdesk.media import ice
from groupdesk.media.fanout import FanoutTrack, VideoFanout
from groupdesk.media.link import SignalingSession, rtc_ice_servers
from groupdesk.media.messages import MediaSignalError
from groupdesk.media.peer import new_peer_connection, newest_decoded, prefer_codecs
from groupdesk.media.quality import VideoProfile
from groupdesk.media.sources import VideoSource

logger = logging.getLogger(__name__)

PREVIEW_PROFILE = VideoProfile(320, 180, 10, 150_000)
"""What a waiting person sends: enough to recognise someone, light on a busy machine."""

PreviewState = Literal["asking", "showing", "camera_off", "closed"]
"""``asking``: offer sent, no picture yet; ``showing``: frames arrive; ``camera_off``: the
person's camera is off (or they have none); ``closed``: the preview is over."""


@dataclass(frozen=True)
class PreviewOffer:
    """A facilitator asks to see the waiting person (receive-only video)."""

    sdp: str


@dataclass(frozen=True)
class PreviewAnswer:
    """The waiting person's answer, and whether their camera is on."""

    sdp: str
    camera: bool


@dataclass(frozen=True)
class PreviewCamera:
    """The waiting person turned their camera on or off."""

    on: bool


@dataclass(frozen=True)
class PreviewStop:
    """The preview is over (either side)."""


PreviewSignal = PreviewOffer | PreviewAnswer | PreviewCamera | PreviewStop


def preview_payload(signal: PreviewSignal) -> dict[str, Any]:
    """The JSON object sent through signalling for ``signal``."""
    if isinstance(signal, PreviewOffer):
        return {"type": "preview.offer", "sdp": signal.sdp}
    if isinstance(signal, PreviewAnswer):
        return {"type": "preview.answer", "sdp": signal.sdp, "camera": signal.camera}
    if isinstance(signal, PreviewCamera):
        return {"type": "preview.camera", "on": signal.on}
    return {"type": "preview.stop"}


def parse_preview(payload: Mapping[str, Any], sender: str) -> PreviewSignal:
    """Read a ``preview.*`` payload; :class:`MediaSignalError` names what is wrong."""
    kind = payload.get("type")
    sdp = payload.get("sdp")
    if kind in ("preview.offer", "preview.answer") and not (
        isinstance(sdp, str) and sdp.startswith("v=0")
    ):
        raise MediaSignalError(member=sender, reason="no SDP")
    if kind == "preview.offer":
        assert isinstance(sdp, str)
        return PreviewOffer(sdp)
    if kind == "preview.answer":
        assert isinstance(sdp, str)
        camera = payload.get("camera", True)
        if not isinstance(camera, bool):
            raise MediaSignalError(member=sender, reason="camera is not true or false")
        return PreviewAnswer(sdp, camera)
    if kind == "preview.camera":
        on = payload.get("on")
        if not isinstance(on, bool):
            raise MediaSignalError(member=sender, reason="on is not true or false")
        return PreviewCamera(on)
    if kind == "preview.stop":
        return PreviewStop()
    raise MediaSignalError(member=sender, reason="unknown preview message")


async def _tell(session: SignalingSession, to: str, signal: PreviewSignal) -> None:
    """Send what is only worth saying if it can still be said (a stop, a camera change):
    the session may be over or the connection going; the log says so."""
    try:
        await session.send_signal(to, preview_payload(signal))
    except Exception as error:  # noqa: BLE001 -- any transport failure means the same here
        logger.info(
            "preview %s to %s not sent (%s)", type(signal).__name__, to, type(error).__name__
        )


# -- the facilitator's side ----------------------------------------------------------


FrameCallback = Callable[[str, av.VideoFrame], None]
StateCallback = Callable[[str, PreviewState], None]


class PreviewViewer:
    """The facilitator's view of one waiting person's camera."""

    def __init__(
        self,
        member_id: str,
        session: SignalingSession,
        on_frame: FrameCallback,
        on_state: StateCallback,
        ice_servers: Sequence[RTCIceServer] = (),
    ) -> None:
        self.member_id = member_id
        self._session = session
        self._on_frame = on_frame
        self._on_state = on_state
        self._pc = new_peer_connection(ice_servers)
        self._camera = True
        self._tasks: set[asyncio.Task[None]] = set()
        self.state: PreviewState = "asking"
        self.frames = 0

    async def start(self) -> None:
        """Ask to see the person: a receive-only video offer."""
        pc = self._pc

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                task = asyncio.get_running_loop().create_task(self._read(track))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

        @pc.on("connectionstatechange")
        def on_connection() -> None:
            if pc.connectionState in ("failed", "closed") and self.state != "closed":
                self._set_state("closed")

        pc.addTransceiver("video", direction="recvonly")
        prefer_codecs(pc)
        await pc.setLocalDescription(await pc.createOffer())
        await self._send(PreviewOffer(pc.localDescription.sdp))

    async def handle(self, signal: PreviewSignal) -> None:
        """The waiting person's answer, camera changes, or stop."""
        if self.state == "closed":
            return
        if isinstance(signal, PreviewAnswer):
            if self._pc.signalingState != "have-local-offer":
                return  # repeated
            await self._pc.setRemoteDescription(
                RTCSessionDescription(ice.filter_sdp_candidates(signal.sdp), "answer")
            )
            self._camera_is(signal.camera)
        elif isinstance(signal, PreviewCamera):
            self._camera_is(signal.on)
        elif isinstance(signal, PreviewStop):
            await self.close(notify=False)

    async def close(self, *, notify: bool = True) -> None:
        """Stop watching (and tell the person's side, unless they said stop first)."""
        was_open = self.state != "closed"
        self._set_state("closed")
        if notify and was_open:
            await _tell(self._session, self.member_id, PreviewStop())
        await self._pc.close()  # (aiortc's close may be called again)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _camera_is(self, on: bool) -> None:
        self._camera = on
        if not on:
            self._set_state("camera_off")
        elif self.state == "camera_off":
            self._set_state("asking")  # showing again from its next frame

    async def _read(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, av.VideoFrame) or not self._camera:
                continue
            frame, _skipped = newest_decoded(track, frame)  # a busy machine: fewer, not late
            self.frames += 1
            if self.state == "asking":
                self._set_state("showing")
            self._on_frame(self.member_id, frame)

    def _set_state(self, state: PreviewState) -> None:
        if state != self.state:
            self.state = state
            self._on_state(self.member_id, state)

    async def _send(self, signal: PreviewSignal) -> None:
        await self._session.send_signal(self.member_id, preview_payload(signal))


class LobbyPreviews:
    """One preview per person waiting in the lobby, for a facilitator.

    Subscribes to the signalling session: learns its ICE servers from its own
    ``admitted``, who waits from each ``lobby`` message (a viewer for each newcomer,
    closed for each person admitted, declined or gone), and routes ``preview.*``
    signals to the viewers. ``enabled=False`` asks nobody (a policy or a facilitator
    that does not want previews).
    """

    def __init__(
        self,
        session: SignalingSession,
        on_frame: FrameCallback,
        on_state: StateCallback | None = None,
        *,
        enabled: bool = True,
    ) -> None:
        self._session = session
        self._on_frame = on_frame
        self._on_state = on_state or (lambda member, state: None)
        self._ice_servers: list[RTCIceServer] = []
        self._viewers: dict[str, PreviewViewer] = {}
        self._lock = asyncio.Lock()
        self._closed = False
        self.enabled = enabled
        self._unsubscribe: Callable[[], None] | None = session.on_message(self.handle)

    @property
    def viewers(self) -> Mapping[str, PreviewViewer]:
        """The open previews, by waiting person's member id."""
        return dict(self._viewers)

    def state(self, member_id: str) -> PreviewState | None:
        """Where the preview of ``member_id`` stands (None: not asked)."""
        viewer = self._viewers.get(member_id)
        return viewer.state if viewer else None

    async def handle(self, message: ServerMessage) -> None:
        """One server message (the client calls this for every message, in order)."""
        if self._closed:
            return
        if isinstance(message, Admitted):
            self._ice_servers = rtc_ice_servers(message.ice_servers)
        elif isinstance(message, Lobby):
            await self.sync([entry.member for entry in message.waiting])
        elif isinstance(message, ServerSignal) and is_preview_payload(message.payload):
            viewer = self._viewers.get(message.sender)
            if viewer is None:
                return
            try:
                signal = parse_preview(message.payload, message.sender)
            except MediaSignalError as exc:
                logger.warning("%s", exc)
                return
            await viewer.handle(signal)
        elif isinstance(message, RoomEnded):
            await self.close()

    async def sync(self, waiting: Sequence[str]) -> None:
        """Watch exactly the people in ``waiting`` (nobody when disabled)."""
        async with self._lock:
            wanted = set(waiting) if self.enabled and not self._closed else set()
            for member_id in [m for m in self._viewers if m not in wanted]:
                await self._viewers.pop(member_id).close()
            for member_id in waiting:
                if member_id in wanted and member_id not in self._viewers:
                    viewer = PreviewViewer(
                        member_id, self._session, self._on_frame, self._on_state, self._ice_servers
                    )
                    self._viewers[member_id] = viewer
                    try:
                        await viewer.start()
                    except Exception:  # the connection dropped: the next lobby message retries
                        logger.warning("could not ask %s for a preview", member_id, exc_info=True)
                        await self._viewers.pop(member_id).close(notify=False)

    async def close(self) -> None:
        """Stop every preview and stop listening."""
        self._closed = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.sync([])


# -- the waiting person's side ---------------------------------------------------------


class PreviewAnswerer:
    """Lets the room's facilitators see a waiting person's camera, until they are seated.

    Subscribes to the signalling session: from ``waiting`` (which carries the ICE
    servers) it answers ``preview.offer``s, one connection per facilitator who asks,
    all fed by one encoder at :data:`PREVIEW_PROFILE`; at ``admitted``, ``declined``,
    ``removed`` or ``room_ended`` it says stop and hangs up (the source itself is
    not stopped: the mesh uses it next). With no video source, or the camera off, it
    still answers, with ``camera`` False.
    """

    def __init__(self, session: SignalingSession, video: VideoSource | None) -> None:
        self._session = session
        self._fanout = VideoFanout(video, PREVIEW_PROFILE) if video is not None else None
        self._camera = video is not None
        self._ice_servers: list[RTCIceServer] = []
        self._waiting = False
        self._peers: dict[str, tuple[RTCPeerConnection, FanoutTrack | None]] = {}
        self._lock = asyncio.Lock()
        self._unsubscribe: Callable[[], None] | None = session.on_message(self.handle)

    @property
    def watchers(self) -> tuple[str, ...]:
        """The facilitators who see the preview now."""
        return tuple(self._peers)

    async def handle(self, message: ServerMessage) -> None:
        """One server message (the client calls this for every message, in order)."""
        if isinstance(message, Waiting):
            self._waiting = True
            self._ice_servers = rtc_ice_servers(message.ice_servers)
        elif isinstance(message, ServerSignal) and is_preview_payload(message.payload):
            if not self._waiting:
                return
            try:
                signal = parse_preview(message.payload, message.sender)
            except MediaSignalError as exc:
                logger.warning("%s", exc)
                return
            async with self._lock:
                if isinstance(signal, PreviewOffer):
                    try:
                        await self._answer(message.sender, signal)
                    except Exception:  # the connection is going; they may ask again
                        logger.warning("could not answer a preview request", exc_info=True)
                        await self._hang_up(message.sender)
                elif isinstance(signal, PreviewStop):
                    await self._hang_up(message.sender)
        elif isinstance(message, Admitted | Declined | Removed | RoomEnded):
            await self.close()

    async def set_camera(self, on: bool) -> None:
        """The person turned their camera on or off while waiting; the watchers are told."""
        on = on and self._fanout is not None
        if on == self._camera:
            return
        self._camera = on
        async with self._lock:
            for facilitator, (_pc, track) in list(self._peers.items()):
                if track is not None:
                    track.set_wanted(on)
                await _tell(self._session, facilitator, PreviewCamera(on))

    async def close(self) -> None:
        """Say stop to every watcher, hang up, and stop listening."""
        self._waiting = False
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        async with self._lock:
            for facilitator in list(self._peers):
                await _tell(self._session, facilitator, PreviewStop())
                await self._hang_up(facilitator)
            if self._fanout is not None:
                await self._fanout.stop()

    async def _answer(self, facilitator: str, offer: PreviewOffer) -> None:
        await self._hang_up(facilitator)  # a new offer replaces the last one
        pc = new_peer_connection(self._ice_servers)
        self._peers[facilitator] = (pc, None)  # known at once: a failure below hangs it up
        await pc.setRemoteDescription(
            RTCSessionDescription(ice.filter_sdp_candidates(offer.sdp), "offer")
        )
        if self._fanout is not None:
            track = self._fanout.subscribe()
            track.set_wanted(self._camera)
            self._fanout.attach(pc.addTrack(track), track)
            self._peers[facilitator] = (pc, track)
        # never audio: there is no audio transceiver to answer, and none is added
        await pc.setLocalDescription(await pc.createAnswer())
        await self._send(facilitator, PreviewAnswer(pc.localDescription.sdp, self._camera))

    async def _hang_up(self, facilitator: str) -> None:
        pc, track = self._peers.pop(facilitator, (None, None))
        if track is not None:
            track.stop()
        if pc is not None:
            await pc.close()

    async def _send(self, facilitator: str, signal: PreviewSignal) -> None:
        await self._session.send_signal(facilitator, preview_payload(signal))
