"""In-process signalling: the fake side of :mod:`groupdesk.media.channel`.

Payloads go through a JSON round trip (what the wire would do) and are delivered
in order, one at a time per recipient, like a websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from groupdesk.media.channel import SignalHandler

logger = logging.getLogger(__name__)


class LoopbackChannel:
    """One member's way to send through a :class:`LoopbackRoom` (dead once its line drops)."""

    def __init__(self, room: LoopbackRoom, member_id: str) -> None:
        self._room = room
        self.member_id = member_id
        self.sent = 0
        self.dropped = False

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Deliver ``payload`` to ``to_member_id`` if they are in the room."""
        if self.dropped:
            return  # a killed process's last words never reach the server
        self.sent += 1
        self._room._post(to_member_id, ("signal", self.member_id, json.loads(json.dumps(payload))))


class LoopbackRoom:
    """A room in one process: joins, leaves and relayed payloads, as a server would do.

    Like the server, it holds the seat of a member whose line dropped (:meth:`drop`)
    without telling the others, and gives it back to whoever resumes it (:meth:`resume`).
    """

    def __init__(self) -> None:
        self._handlers: dict[str, SignalHandler | None] = {}
        self._inboxes: dict[str, asyncio.Queue[tuple[str, str, Any]]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._channels: dict[str, list[LoopbackChannel]] = {}

    def channel(self, member_id: str) -> LoopbackChannel:
        """The sending side for ``member_id`` (give it to the member's mesh)."""
        channel = LoopbackChannel(self, member_id)
        self._channels.setdefault(member_id, []).append(channel)
        return channel

    @property
    def members(self) -> tuple[str, ...]:
        """Who is in the room (held seats too), in order of arrival."""
        return tuple(self._handlers)

    async def join(self, member_id: str, handler: SignalHandler) -> None:
        """Admit ``member_id``: it hears of everyone present, and they of it."""
        if member_id in self._handlers:
            raise ValueError(f"{member_id!r} is already in the room")
        others = list(self._handlers)
        self._connect(member_id, handler)
        for other in others:
            self._post(other, ("joined", member_id, None))
            self._post(member_id, ("joined", other, None))

    async def drop(self, member_id: str) -> None:
        """The member's line drops without a goodbye (a killed process): nobody is told.

        Its channels go dead and what is sent to it meanwhile is lost, as on the server.
        """
        if self._handlers.get(member_id) is None:
            raise ValueError(f"{member_id!r} is not connected")
        for channel in self._channels.pop(member_id, []):
            channel.dropped = True
        await self._disconnect(member_id)
        self._handlers[member_id] = None

    async def resume(self, member_id: str, handler: SignalHandler) -> None:
        """``handler`` takes the held seat of ``member_id`` back: the others are not told;
        it hears of every member present, as ``admitted`` with ``resumed`` lists them."""
        if member_id not in self._handlers or self._handlers[member_id] is not None:
            raise ValueError(f"{member_id!r} holds no dropped seat")
        self._connect(member_id, handler)
        for other in self._handlers:
            if other != member_id:
                self._post(member_id, ("joined", other, None))

    async def leave(self, member_id: str) -> None:
        """Remove ``member_id``; the others hear of it."""
        if member_id not in self._handlers:
            return
        await self._disconnect(member_id)
        del self._handlers[member_id]
        for other in self._handlers:
            self._post(other, ("left", member_id, None))

    async def close(self) -> None:
        """Stop delivering (everyone leaves without notice)."""
        for member_id in list(self._handlers):
            await self._disconnect(member_id)
            del self._handlers[member_id]

    def _connect(self, member_id: str, handler: SignalHandler) -> None:
        self._handlers[member_id] = handler
        self._inboxes[member_id] = asyncio.Queue()
        self._tasks[member_id] = asyncio.get_running_loop().create_task(
            self._deliver(member_id, handler)
        )

    async def _disconnect(self, member_id: str) -> None:
        self._inboxes.pop(member_id, None)
        task = self._tasks.pop(member_id, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _post(self, to_member_id: str, item: tuple[str, str, Any]) -> None:
        inbox = self._inboxes.get(to_member_id)
        if inbox is not None:
            inbox.put_nowait(item)

    async def _deliver(self, member_id: str, handler: SignalHandler) -> None:
        inbox = self._inboxes[member_id]
        while True:
            kind, other, payload = await inbox.get()
            try:
                if kind == "joined":
                    await handler.member_joined(other)
                elif kind == "left":
                    await handler.member_left(other)
                else:
                    await handler.handle_signal(other, payload)
            except Exception:
                logger.exception("member %s failed to handle %s from %s", member_id, kind, other)
