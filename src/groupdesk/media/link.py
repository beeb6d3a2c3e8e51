"""Feed a signalling session into a mesh: who is in the room, and their media payloads.

The signalling client (``groupdesk.signaling.SignalingClient``) is a sibling
package, so this module types it by what it uses: ``send_signal`` (see
:class:`~groupdesk.media.channel.SignalChannel`) and ``on_message``. The app,
the bots and the tests wire it up::

    link = MeshLink(client, lambda admitted: Mesh(
        admitted.member, client, ice_servers=ice_servers(admitted), video=..., audio=...))
    ...                                  # hello, join; the facilitator admits us
    mesh = await link.ready()            # connected to everyone already admitted
    ...
    await link.stop()                    # closes the mesh too
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from aiortc import RTCIceServer

from groupdesk.core.protocol import (
    Admitted,
    Declined,
    IceServer,
    MemberJoined,
    MemberLeft,
    Removed,
    RoomEnded,
    ServerMessage,
    ServerSignal,
)
from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import is_media_signal

logger = logging.getLogger(__name__)


class SignalingSession(Protocol):
    """What :class:`MeshLink` needs of the signalling client."""

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Relay ``payload`` to one member."""
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


class MeshLink:
    """Turns server messages into mesh calls (members joining and leaving, media payloads).

    Create it *before* joining the room, so it hears the ``admitted`` message: the
    mesh is made then, by ``make_mesh``, with the member id the server assigned.
    """

    def __init__(self, session: SignalingSession, make_mesh: Callable[[Admitted], Mesh]) -> None:
        self._session = session
        self._make_mesh = make_mesh
        self.mesh: Mesh | None = None
        self._ready = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = session.on_message(self.handle)

    async def ready(self) -> Mesh:
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
            if is_media_signal(message.payload):
                await mesh.handle_signal(message.sender, message.payload)
        elif isinstance(message, MemberJoined):
            await mesh.member_joined(message.member.member)
        elif isinstance(message, MemberLeft):
            await mesh.member_left(message.member)
        elif isinstance(message, RoomEnded | Removed | Declined):
            await self.stop()

    @staticmethod
    async def _seat(mesh: Mesh, admitted: Admitted) -> None:
        """Connect to everyone listed; after a resume, forget who left meanwhile."""
        present = {m.member for m in admitted.members} - {mesh.local_id}
        for gone in mesh.members - present:
            await mesh.member_left(gone)
        for member_id in sorted(present):
            await mesh.member_joined(member_id)
