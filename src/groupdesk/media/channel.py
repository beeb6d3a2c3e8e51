"""The mesh's view of signalling: what it needs to send, and what it must be told.

The real side is the websocket client in ``groupdesk.signaling``; the fake side
is :class:`groupdesk.media.loopback.LoopbackRoom` (in-process, for tests, demos
and benchmarks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class SignalChannel(Protocol):
    """Sends one JSON-serialisable payload to one other member of the room.

    ``groupdesk.signaling.SignalingClient`` has this method as it is.
    """

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Deliver ``payload`` to ``to_member_id`` (in order, per recipient)."""
        ...


class SignalHandler(Protocol):
    """What signalling tells the mesh: who is in the room, and their messages to us."""

    async def member_joined(self, member_id: str) -> None:
        """``member_id`` was admitted to the media of the room (or was there when we came)."""
        ...

    async def member_left(self, member_id: str) -> None:
        """``member_id`` left (or was removed from) the room."""
        ...

    async def handle_signal(self, from_member_id: str, payload: Mapping[str, Any]) -> None:
        """A payload ``from_member_id`` sent to us."""
        ...
