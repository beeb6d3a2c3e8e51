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
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, assert_never

from aiortc import RTCIceServer

from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    Declined,
    IceServer,
    MemberJoined,
    MemberLeft,
    Removed,
    RoomEnded,
    ServerMessage,
    ServerSfu,
    ServerSignal,
)
from groupdesk.media.call import MediaCall
from groupdesk.media.ice import reach_media_server
from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import is_media_signal
from groupdesk.media.peer import MediaSink
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
        self, session: SignalingSession, make_mesh: Callable[[Admitted], MediaCall]
    ) -> None:
        self._session = session
        self._make_mesh = make_mesh
        self.mesh: MediaCall | None = None
        """The call (named for the mesh it was before SFU rooms), from admission on."""
        self._ready = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = session.on_message(self.handle)

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
        if self.mesh is not None:
            await self.mesh.close()

    async def handle(self, message: ServerMessage) -> None:
        """One server message (the client calls this for every message, in order)."""
        if isinstance(message, Admitted):
            if self.mesh is None:
                self.mesh = self._make_mesh(message)
                if self.mesh.local_id != message.member:
                    raise ValueError("the mesh's local id must be the admitted member id")
                self._ready.set()
            await self._seat(self.mesh, message)
            return
        mesh = self.mesh
        if mesh is None:
            return
        if isinstance(message, ServerSignal):
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

    @staticmethod
    async def _seat(mesh: MediaCall, admitted: Admitted) -> None:
        """Connect to everyone listed; after a resume, forget who left meanwhile. In an
        SFU room, publish our stream (again, if it was lost)."""
        present = {m.member for m in admitted.members} - {mesh.local_id}
        for gone in mesh.members - present:
            await mesh.member_left(gone)
        if isinstance(mesh, SfuCall):
            await mesh.publish()
        for member_id in sorted(present):
            await mesh.member_joined(member_id)
