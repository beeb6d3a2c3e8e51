"""The Janus VideoRoom of each GroupDesk room in SFU mode, and its members' tokens.

``groupdesk-server`` tells :class:`JanusRooms` which members sit in which room after
every change (:meth:`JanusRooms.sync`, which never blocks the signalling); one worker
task then brings Janus to that state, one request at a time, each bounded in time:

- a GroupDesk room gets a private VideoRoom (random numeric id and room secret,
  ``publishers`` = twice the room size (a camera and a share each), a ``bitrate`` cap
  fit for 360p (and for a share's 720p text at 5 fps), no recording,
  no end-to-end-encryption requirement yet) whose ``allowed`` list starts empty;
- an admitted member gets a random token, added to Janus's tokens (VideoRoom only)
  and to the room's ``allowed`` list: without it Janus refuses the member's requests;
- a member who leaves or is removed loses the token in both places;
- the VideoRoom is destroyed when the GroupDesk room ends, and every room when the
  server stops.

A room opened in SFU mode gets its VideoRoom *before* anyone is told how its media travel
(:meth:`JanusRooms.reserve`, then :meth:`JanusRooms.adopt` once the GroupDesk room has an
id): a Janus that cannot make one leaves the room a mesh. Before a member's token is taken
back, ``before_revoke`` (the SFU bridge) ends that member's Janus session.

A Janus that fails a request is logged (never the tokens) and the next change tries
again to reach the wanted state; signalling goes on meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from groupdesk.server.janus_client import JanusAdmin, JanusError

logger = logging.getLogger(__name__)

BITRATE_360P = 600_000
"""Each publisher's video cap (bits per second): 360p, within issue 16's 1 Mbps upload."""


@dataclass
class JanusRoom:
    """What the server knows of one VideoRoom."""

    janus_id: int
    secret: str
    tokens: dict[str, str] = field(default_factory=dict)  # member -> token
    ready: set[str] = field(default_factory=set)  # members whose token the room allows


class JanusRooms:
    """Keeps Janus's VideoRooms and tokens in step with the GroupDesk rooms."""

    def __init__(
        self, admin: JanusAdmin, *, admin_key: str, publishers: int, bitrate: int = BITRATE_360P
    ) -> None:
        self.admin = admin
        self._admin_key = admin_key
        self._publishers = publishers
        self._bitrate = bitrate
        self._wanted: dict[str, frozenset[str]] = {}
        self._rooms: dict[str, JanusRoom] = {}
        self._changed = asyncio.Event()
        self._settled = asyncio.Event()
        self._settled.set()
        self._task: asyncio.Task[None] | None = None
        self._granted = asyncio.Condition()
        self._orphans: list[JanusRoom] = []  # reserved, then not used: destroy them
        self.before_revoke: Callable[[str, str], Awaitable[None]] | None = None
        """Called (room, member) before a member's token is taken back."""

    # ------------------------------------------------------------ what the server calls

    def sync(self, wanted: Mapping[str, frozenset[str]]) -> None:
        """The rooms in SFU mode and their seated members, now (returns at once)."""
        wanted = dict(wanted)
        if wanted == self._wanted:
            return
        self._wanted = wanted
        self._settled.clear()
        self._changed.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._work())

    async def reserve(self, timeout: float = 5.0) -> JanusRoom | None:
        """A new VideoRoom for a room about to open (None, logged, if Janus cannot make
        one within ``timeout``: that room is then a mesh)."""
        try:
            return await asyncio.wait_for(self._new_room(), timeout)
        except (JanusError, TimeoutError) as error:
            logger.warning("Janus: cannot create a VideoRoom; the room is a mesh: %s", error)
            return None

    def adopt(self, room_id: str, room: JanusRoom) -> None:
        """``room`` (from :meth:`reserve`) is the VideoRoom of GroupDesk room ``room_id``."""
        self._rooms[room_id] = room
        logger.info("Janus room created for room %s", room_id)

    def discard(self, room: JanusRoom) -> None:
        """``room`` (from :meth:`reserve`) will not be used: destroy it."""
        self._orphans.append(room)
        self._changed.set()
        self._settled.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._work())

    async def wait_token(self, room_id: str, member: str, timeout: float = 10.0) -> str | None:
        """``member``'s token once granted (None if not within ``timeout`` seconds)."""
        async with self._granted:
            try:
                await asyncio.wait_for(
                    self._granted.wait_for(lambda: self._ready(room_id, member)),
                    timeout,
                )
            except TimeoutError:
                return None
        return self.token(room_id, member)

    def _ready(self, room_id: str, member: str) -> bool:
        room = self._rooms.get(room_id)
        return room is not None and member in room.ready

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) until Janus matches the last :meth:`sync`."""
        await asyncio.wait_for(self._settled.wait(), timeout)

    async def recover(self, room_id: str, timeout: float = 5.0) -> bool:
        """Whether Janus lost the VideoRoom of ``room_id`` (it restarted: its rooms and
        tokens are gone); if so, it is made again, with new tokens for its members, by
        the worker (returns at once after asking Janus, bounded by ``timeout``)."""
        room = self._rooms.get(room_id)
        if room is None:
            return room_id in self._wanted  # being made again already
        try:
            reply = await asyncio.wait_for(
                self.admin.videoroom({"request": "exists", "room": room.janus_id}), timeout
            )
        except (JanusError, TimeoutError) as error:
            logger.warning("Janus: cannot check the VideoRoom of room %s: %s", room_id, error)
            return False
        if reply.get("exists") is not False:
            return False
        if self._rooms.get(room_id) is room:  # else another member found it out first
            logger.warning("Janus lost the VideoRoom of room %s: making it again", room_id)
            del self._rooms[room_id]
            self._settled.clear()
            self._changed.set()
            if self._task is None or self._task.done():
                self._task = asyncio.get_running_loop().create_task(self._work())
        return room_id in self._wanted

    def room(self, room_id: str) -> JanusRoom | None:
        """The VideoRoom of GroupDesk room ``room_id``, once created."""
        return self._rooms.get(room_id)

    def token(self, room_id: str, member: str) -> str | None:
        """The Janus token of ``member`` in ``room_id``, while admitted."""
        room = self._rooms.get(room_id)
        return room.tokens.get(member) if room else None

    async def close(self, timeout: float = 10.0) -> None:
        """Destroy every VideoRoom and token (bounded), then close the client."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._wanted = {}
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._reconcile(), timeout)
        await self.admin.close()

    # ------------------------------------------------------------ the worker

    async def _work(self) -> None:
        while self._changed.is_set():
            self._changed.clear()
            await self._reconcile()
        self._settled.set()

    async def _reconcile(self) -> None:
        while self._orphans:
            orphan = self._orphans.pop()
            await self._step(self._destroy_room(orphan), "destroy", "(unused)")
        for room_id in [r for r in self._rooms if r not in self._wanted]:
            await self._step(self._destroy(room_id), "destroy", room_id)
        for room_id, members in list(self._wanted.items()):
            created = room_id in self._rooms
            if not created and not await self._step(self._create(room_id), "create", room_id):
                continue
            room = self._rooms[room_id]
            for member in [m for m in room.tokens if m not in members]:
                await self._step(self._revoke(room, member, room_id), "revoke", room_id)
            for member in sorted(members - room.tokens.keys()):
                await self._step(self._grant(room, member), "grant", room_id)

    async def _step(self, work: Awaitable[None], what: str, room_id: str) -> bool:
        try:
            await work
        except JanusError as error:
            logger.warning("Janus: %s for room %s failed: %s", what, room_id, error)
            return False
        return True

    async def _create(self, room_id: str) -> None:
        self.adopt(room_id, await self._new_room())

    async def _new_room(self) -> JanusRoom:
        janus_id = secrets.randbelow(2**52 - 1) + 1
        secret = secrets.token_urlsafe(24)
        await self.admin.videoroom(
            {
                "request": "create",
                "admin_key": self._admin_key,
                "room": janus_id,
                "description": "GroupDesk",
                "secret": secret,
                "is_private": True,
                "allowed": [],
                "require_e2ee": False,
                "publishers": self._publishers,
                "bitrate": self._bitrate,
                "bitrate_cap": True,
                "record": False,
                "permanent": False,
            }
        )
        return JanusRoom(janus_id, secret)

    async def _destroy(self, room_id: str) -> None:
        room = self._rooms[room_id]
        for member in list(room.tokens):
            await self._revoke(room, member, room_id)
        await self._destroy_room(room)
        del self._rooms[room_id]
        logger.info("Janus room destroyed for room %s", room_id)

    async def _destroy_room(self, room: JanusRoom) -> None:
        await self.admin.videoroom(
            {"request": "destroy", "room": room.janus_id, "secret": room.secret}
        )

    async def _grant(self, room: JanusRoom, member: str) -> None:
        token = secrets.token_urlsafe(24)
        await self.admin.add_token(token)
        room.tokens[member] = token
        await self._allowed(room, "add", token)
        room.ready.add(member)  # usable from now on
        async with self._granted:
            self._granted.notify_all()

    async def _revoke(self, room: JanusRoom, member: str, room_id: str) -> None:
        if self.before_revoke is not None:
            await self.before_revoke(room_id, member)
        token = room.tokens[member]
        room.ready.discard(member)
        await self._allowed(room, "remove", token)
        await self.admin.remove_token(token)
        del room.tokens[member]

    async def _allowed(self, room: JanusRoom, action: str, token: str) -> None:
        await self.admin.videoroom(
            {
                "request": "allowed",
                "room": room.janus_id,
                "secret": room.secret,
                "action": action,
                "allowed": [token],
            }
        )
