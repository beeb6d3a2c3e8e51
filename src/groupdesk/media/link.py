"""Feed a signalling session into a call: who is in the room, and their media messages.

The signalling client (``groupdesk.signaling.SignalingClient``) is a sibling
package, so this module types it by what it uses: ``send_signal`` (see
:class:`~groupdesk.media.channel.SignalChannel`), ``send`` (for ``sfu`` messages) and
``on_message``. The app, the bots and the tests wire it up::

    link = MeshLink(client, lambda admitted: make_call(admitted, client, video=..., audio=...))
    ...                                  # hello, join; the facilitator admits us
    call = await link.ready()            # a mesh, or an SFU call (``Admitted.media``)
    ...
    await link.stop()                    # closes the call too

In a mesh room the link hands members' ``signal`` payloads to the :class:`Mesh`; in an
SFU room it publishes our stream once seated and hands the server's ``sfu`` messages to
the :class:`SfuCall`.

A mesh room whose ``admitted`` says ``uplink`` (media_mode auto) may move to the media
server while open: the link reports our uplink every few seconds (``uplink``, measured
from the mesh's statistics), and when the server says ``media`` ``sfu`` it closes the mesh
and makes the room's new call with ``make_mesh`` (an ``admitted`` that says ``sfu``), which
publishes and takes everyone's stream from the media server: nobody rejoins.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence, Set
from typing import Any, Protocol, assert_never

from aiortc import RTCIceServer

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    ClientUplink,
    Declined,
    IceServer,
    MediaMode,
    MemberJoined,
    MemberLeft,
    Removed,
    RoomEnded,
    ServerMedia,
    ServerMessage,
    ServerSfu,
    ServerSignal,
)
from groupdesk.core.uplink import REPORT_EVERY_S
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent, PeerStats
from groupdesk.media.ice import reach_media_server
from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import is_media_signal
from groupdesk.media.peer import MediaSink
from groupdesk.media.quality import below_group_profile, uplink_reading
from groupdesk.media.sfu import SfuCall
from groupdesk.media.share import ShareSink
from groupdesk.media.sources import AudioSource, VideoSource

logger = logging.getLogger(__name__)


class SignalingSession(Protocol):
    """What :class:`MeshLink` needs of the signalling client."""

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Relay ``payload`` to one member."""
        ...

    async def send(self, message: ClientMessage, /) -> None:
        """Send one message to the server (an ``sfu`` one, here)."""
        ...

    def on_message(
        self, callback: Callable[[ServerMessage], Awaitable[None] | None], /
    ) -> Callable[[], None]:
        """Call ``callback`` with every server message; returns the unsubscriber."""
        ...


def rtc_ice_servers(servers: Sequence[IceServer]) -> list[RTCIceServer]:
    """STUN/TURN servers handed out by the signalling server, for aiortc."""
    return [
        RTCIceServer(urls=list(s.urls), username=s.username, credential=s.credential)
        for s in servers
    ]


def ice_servers(admitted: Admitted) -> list[RTCIceServer]:
    """The STUN/TURN servers the server handed out with a seat, for aiortc."""
    return rtc_ice_servers(admitted.ice_servers)


def make_call(
    admitted: Admitted,
    session: SignalingSession,
    *,
    video: VideoSource | None = None,
    audio: AudioSource | None = None,
    sink: MediaSink | None = None,
    share_sink: ShareSink | None = None,
) -> MediaCall:
    """The call the room we were admitted to uses: a mesh, or one through the media
    server (``admitted.media``), with the ICE servers and policy the seat came with."""
    relay_only = admitted.ice_transport_policy == "relay"
    servers = ice_servers(admitted)
    match admitted.media:
        case "mesh":
            return Mesh(
                admitted.member,
                session,
                ice_servers=servers,
                relay_only=relay_only,
                video=video,
                audio=audio,
                sink=sink,
                share_sink=share_sink,
            )
        case "sfu":
            reach_media_server()
            return SfuCall(
                admitted.member,
                session,
                ice_servers=servers,
                relay_only=relay_only,
                video=video,
                audio=audio,
                sink=sink,
                share_sink=share_sink,
            )
        case _:
            assert_never(admitted.media)


class MeshLink:
    """Turns server messages into calls on the room's call (members joining and leaving,
    media messages), a mesh or an SFU call.

    Create it *before* joining the room, so it hears the ``admitted`` message: the
    call is made then, by ``make_mesh``, with the member id the server assigned.
    """

    def __init__(
        self,
        session: SignalingSession,
        make_mesh: Callable[[Admitted], MediaCall],
        *,
        report_every: float = REPORT_EVERY_S,
    ) -> None:
        self._session = session
        self._make_mesh = make_mesh
        self.mesh: MediaCall | None = None
        """The call (named for the mesh it was before SFU rooms), from admission on."""
        self._ready = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = session.on_message(self.handle)
        self._admitted: Admitted | None = None
        self._report_every = report_every
        self._reporter: asyncio.Task[None] | None = None
        self._stats: dict[str, PeerStats] = {}
        self._unwatch: Callable[[], None] | None = None

    async def ready(self) -> MediaCall:
        """The mesh, once the server has admitted us."""
        await self._ready.wait()
        assert self.mesh is not None
        return self.mesh

    async def stop(self) -> None:
        """Stop listening and hang up."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self._stop_reports()
        if self.mesh is not None:
            await self.mesh.close()

    async def handle(self, message: ServerMessage) -> None:
        """One server message (the client calls this for every message, in order)."""
        if isinstance(message, Admitted):
            await self._on_admitted(message)
            return
        mesh = self.mesh
        if mesh is None:
            return
        if isinstance(message, ServerMedia):
            if message.media != mesh.media and message.reason is None:
                members = await self._switch(message.media)  # self.mesh is the new call
                await self._seat(self.mesh, members)
        elif isinstance(message, ServerSignal):
            if is_media_signal(message.payload) and isinstance(mesh, Mesh):
                await mesh.handle_signal(message.sender, message.payload)
        elif isinstance(message, ServerSfu):
            if isinstance(mesh, SfuCall):
                await mesh.handle_sfu(message)
        elif isinstance(message, MemberJoined):
            await mesh.member_joined(message.member.member)
        elif isinstance(message, MemberLeft):
            await mesh.member_left(message.member)
        elif isinstance(message, RoomEnded | Removed | Declined):
            await self.stop()

    async def _on_admitted(self, message: Admitted) -> None:
        self._admitted = message
        if self.mesh is None:
            self.mesh = self._make_mesh(message)
            if self.mesh.local_id != message.member:
                raise ValueError("the mesh's local id must be the admitted member id")
            self._ready.set()
        elif self.mesh.media != message.media:  # it moved while we were away
            await self._switch(message.media)
        await self._seat(self.mesh, {m.member for m in message.members} - {message.member})
        self._watch_uplink(message)

    @staticmethod
    async def _seat(mesh: MediaCall | None, present: Set[str]) -> None:
        """Connect to every member ``present``; after a resume, forget who left meanwhile.
        In an SFU room, publish our stream (again, if it was lost)."""
        if mesh is None:
            return
        for gone in mesh.members - present:
            await mesh.member_left(gone)
        if isinstance(mesh, SfuCall):
            await mesh.publish()
        for member_id in sorted(present):
            await mesh.member_joined(member_id)

    async def _switch(self, media: MediaMode) -> frozenset[str]:
        """The room's media now travel another way (``media`` message, or a resume's
        ``admitted``): close the call and make the room's new one; returns the members the
        old one knew, for :meth:`_seat`. Our camera and microphone go on (a call stops
        reading them, never the sources), and so do audio-only and a side room's
        separation."""
        old, admitted = self.mesh, self._admitted
        if old is None or admitted is None:
            return frozenset()
        logger.info("the room's media move to %s", media)
        await self._stop_reports()
        members, blocked = old.members, old.blocked
        send_video, receive_video = old.send_video, old.receive_video
        await old.close()
        admitted = dataclasses.replace(
            admitted, media=media, ice_transport_policy="all", uplink=False
        )
        self._admitted = admitted
        new = self._make_mesh(admitted)
        self.mesh = new
        if not send_video:
            new.set_send_video(False)
        if not receive_video:
            await new.set_receive_video(False)
        if blocked:
            new.set_blocked(blocked)
        return members

    # -- the uplink reports (media_mode auto) ----------------------------------------------

    def _watch_uplink(self, admitted: Admitted) -> None:
        """Report our uplink while the room is a mesh that asks for it."""
        mesh = self.mesh
        if not admitted.uplink or not isinstance(mesh, Mesh) or self._reporter is not None:
            return
        self._stats.clear()
        self._unwatch = mesh.events.subscribe(self._on_media_event)
        self._reporter = asyncio.get_running_loop().create_task(self._report_loop(mesh))

    def _on_media_event(self, event: MediaEvent) -> None:
        if isinstance(event, PeerStats):
            self._stats[event.member_id] = event

    async def _report_loop(self, mesh: Mesh) -> None:
        while True:
            await asyncio.sleep(self._report_every)
            report = self.uplink_report(mesh)
            if report is None:
                continue
            try:
                await self._session.send(report)
            except (GroupDeskError, ConnectionError, OSError) as error:
                # the connection is down: the next report goes when it is back
                logger.debug("uplink report not sent: %s", type(error).__name__)

    def uplink_report(self, mesh: Mesh) -> ClientUplink | None:
        """What we say of our uplink now (from the statistics since the last report);
        None while it says nothing (no estimate yet, or we send no video)."""
        stats, self._stats = self._stats, {}
        if not mesh.send_video or mesh.fanout is None:
            return None  # no picture sent: no estimate of what the uplink carries
        links = [
            (s.bandwidth_estimate, s.send_bitrate)
            for member_id, s in stats.items()
            if member_id in mesh.members and member_id not in mesh.blocked
        ]
        stepped_down = below_group_profile(mesh.profile, len(mesh.members) + 1)
        reading = uplink_reading(links, stepped_down=stepped_down)
        if reading is None:
            return None
        return ClientUplink(kbps=reading.kbps, streams=reading.streams, limited=reading.limited)

    async def _stop_reports(self) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        reporter, self._reporter = self._reporter, None
        if reporter is not None:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
