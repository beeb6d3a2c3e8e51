"""The aiohttp application: ``/ws`` signalling, ``/health``, ``/join``; and ``start_server``.

``/join`` is the participant web page (``server/web/join.html``) and ``/web/<file>``
its scripts, styles and strings, all served from this package with a strict
Content-Security-Policy: nothing is loaded from anywhere else. ``/test`` is the same
page's test call (camera, microphone, speaker, with nobody else): no room, no secret,
and the page opens no connection for it.

Each WebSocket connection is read in order: size and rate limits first (its own
and its address's, see ``limits.py``), then
:func:`parse_client_message`, then the :class:`RoomRegistry`. Every refusal is
an ``error`` reply with a stable code; an unexpected exception is logged (type
and code location only) and answered with ``internal``; the connection and
every other room carry on. Outgoing frames go through a bounded per-connection
queue, so one slow reader never holds up a room; a reader that falls too far
behind is disconnected (and keeps its seat for the grace period).

Logs carry connection numbers, room and member ids and error codes: never a
name, a declared answer, a chat line or a signal payload. The access log is off.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import ipaddress
import logging
import re
import socket
import ssl
import time
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, hdrs, web

from groupdesk.core.i18n import tr
from groupdesk.core.media_choice import SFU_FROM_MEMBERS, room_media
from groupdesk.core.policy_values import MediaMode as PolicyMediaMode
from groupdesk.core.protocol import (
    MAX_MESSAGE_CHARS,
    PROTOCOL_VERSION,
    Admitted,
    ClientMessage,
    Error,
    ErrorCode,
    FacilitatorHello,
    MediaMode,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    RoomOpened,
    ServerSfu,
    encode,
    parse_client_message,
)
from groupdesk.core.uplink import UplinkRule
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.errors import ServerError
from groupdesk.server.janus_client import JanusAdmin
from groupdesk.server.janus_rooms import JanusRooms
from groupdesk.server.limits import AddressLimits, LimitSettings, TokenBucket, client_host
from groupdesk.server.origins import OriginPolicy
from groupdesk.server.rooms import (
    Action,
    Close,
    RoomRegistry,
    RoomRules,
    Send,
    SfuAside,
    SfuUnshare,
    SwitchToSfu,
    ToSfu,
)
from groupdesk.server.sfu_bridge import SfuBridge
from groupdesk.server.signin import SignInGate
from groupdesk.server.turn import IceConfig

logger = logging.getLogger("groupdesk.server")

_AUTH_CODES = frozenset(
    {
        ErrorCode.BAD_CREDENTIAL,
        ErrorCode.CREDENTIAL_REVOKED,
        ErrorCode.BAD_INVITE,
        ErrorCode.INVITE_EXPIRED,
        ErrorCode.RESUME_EXPIRED,
    }
)


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server enforces besides the room rules."""

    rules: RoomRules = field(default_factory=RoomRules)
    ice: IceConfig = field(default_factory=IceConfig)
    public_url: str | None = None
    """Base of invite links (``https://groups.example.org``); default: the bound address."""
    max_message_chars: int = MAX_MESSAGE_CHARS
    rate_per_second: float = 100.0
    rate_burst: float = 400.0
    """Token bucket per connection; a full mesh of 12 trickling ICE fits well inside it."""
    max_auth_failures: int = 5
    send_queue: int = 1024
    heartbeat_seconds: float = 20.0
    hello_timeout_seconds: float = 30.0
    """A connection that has not said ``hello`` (or ``resume``) by then is closed."""
    allowed_origins: tuple[str, ...] = ()
    """Web origins besides the server's own whose pages may open ``/ws`` (see origins.py)."""
    limits: LimitSettings = field(default_factory=LimitSettings)
    """Per-address and server-wide caps, and the bounds on sign-in work."""
    sfu: SfuConfig | None = None
    """Janus, for rooms in SFU mode (policy ``media_mode``); None: every room is a mesh."""
    uplink: UplinkRule = field(default_factory=UplinkRule)
    """With ``media_mode`` auto: when a mesh room moves to Janus for a member's poor uplink."""


@dataclass(frozen=True)
class SfuConfig:
    """Where Janus's Admin API is, its secret, the organisation's ``media_mode``, and
    where Janus's API is (the server opens each member's Janus session there)."""

    admin_url: str
    admin_secret: str
    media_mode: PolicyMediaMode = "sfu"
    """``sfu``: every room whose VideoRoom Janus makes is an SFU room (else a mesh);
    ``auto``: so are rooms planned for ``sfu_from_members`` people or more
    (``open_room.expected_members``), the others are a mesh; ``mesh``: every room."""
    api_url: str | None = None
    """Janus's API (``http://127.0.0.1:8088/janus``); without it no room is an SFU room."""
    sfu_from_members: int = SFU_FROM_MEMBERS


class _Outbox:
    """Frames waiting to go out on one WebSocket, written by one task, in order."""

    _CLOSE = object()

    def __init__(self, conn: int, ws: web.WebSocketResponse, size: int) -> None:
        self.conn = conn
        self.ws = ws
        self.queue: asyncio.Queue[object] = asyncio.Queue(maxsize=size)
        self.closing = False
        self.task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(self._write())

    def put(self, frame: str) -> None:
        if self.closing:
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            logger.warning("conn %d too slow to read; disconnecting", self.conn)
            self._abandon(WSCloseCode.TRY_AGAIN_LATER)

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(self._CLOSE)
            if self.queue.full():  # no room for the marker: close now
                self._abandon(WSCloseCode.OK)

    def _abandon(self, code: WSCloseCode) -> None:
        """Drop what is queued and close at once."""
        self.closing = True
        self.task.cancel()
        self.task = asyncio.get_running_loop().create_task(self.ws.close(code=code))

    async def finish(self, timeout: float) -> None:
        """Wait (up to ``timeout``) until what was queued has gone out and the socket closed."""
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(self.task), timeout)

    async def _write(self) -> None:
        try:
            while True:
                frame = await self.queue.get()
                if frame is self._CLOSE:
                    await self.ws.close()
                    return
                assert isinstance(frame, str)
                await self.ws.send_str(frame)
        except (ConnectionError, RuntimeError):
            return  # the reader side notices the closed socket and cleans up
        except Exception as error:  # noqa: BLE001 -- a writer that dies must not go unnoticed
            logger.error("conn %d: cannot send (%s); closing", self.conn, type(error).__name__)  # noqa: TRY400
            await self.ws.close(code=WSCloseCode.INTERNAL_ERROR)


class SignalingServer:
    """The ``/ws`` endpoint's state: the registry, credentials and open connections."""

    def __init__(self, config: ServerConfig, credentials: CredentialStore) -> None:
        self.config = config
        self.credentials = credentials
        self.registry = RoomRegistry(
            config.rules,
            public_url=config.public_url or "http://127.0.0.1:8765",
            ice_servers=config.ice.servers_for,
            lobby_ice_servers=config.ice.lobby_servers,
            uplink_rule=config.uplink,
        )
        self._origins = OriginPolicy(config.allowed_origins)
        self._outboxes: dict[int, _Outbox] = {}
        self.limits = AddressLimits(config.limits)
        self.signins = SignInGate(config.limits)
        self._refused: collections.Counter[ErrorCode] = collections.Counter()
        self._refused_logged = -60.0
        credentials.cache_seconds = config.limits.credential_cache_seconds
        self._verifying: set[int] = set()  # connections whose credential is being checked
        self._poke = asyncio.Event()
        self.janus_rooms: JanusRooms | None = None
        self.sfu: SfuBridge | None = None
        self._seat_changes = 0
        self._switching: set[asyncio.Task[None]] = set()
        sfu = config.sfu
        self._sfu_config = sfu
        if sfu is not None and sfu.media_mode != "mesh":
            if sfu.api_url is None:
                logger.warning("media_mode sfu without Janus's API address: rooms are a mesh")
            else:
                self.janus_rooms = JanusRooms(
                    JanusAdmin(sfu.admin_url, sfu.admin_secret),
                    admin_key=sfu.admin_secret,
                    # each member publishes its camera, and may publish a share too
                    publishers=2 * config.rules.max_members,
                )
                self.sfu = SfuBridge(sfu.api_url, self.janus_rooms, self._deliver_sfu)

    # ------------------------------------------------------------ the application

    def application(self) -> web.Application:
        """The aiohttp application serving ``/ws``, ``/health``, ``/join`` and ``/test``."""
        app = web.Application()
        app.router.add_get("/ws", self._websocket)
        app.router.add_get("/health", _health)
        app.router.add_get("/join", _join_page)
        app.router.add_get("/test", _join_page)  # the page sees its path: the test call
        app.router.add_get("/web/{name}", _web_asset)
        app.cleanup_ctx.append(self._background)
        app.on_shutdown.append(self._close_all)
        return app

    async def _background(self, app: web.Application) -> AsyncIterator[None]:
        task = asyncio.get_running_loop().create_task(self._expire_seats())
        yield
        self.signins.close()
        task.cancel()
        for switching in list(self._switching):
            switching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if self.sfu is not None:
            await self.sfu.close()  # the members' Janus sessions end with the server
        if self.janus_rooms is not None:
            await self.janus_rooms.close()  # the VideoRooms end with the server

    async def _close_all(self, app: web.Application) -> None:
        for outbox in list(self._outboxes.values()):
            outbox.task.cancel()
            await outbox.ws.close(code=WSCloseCode.GOING_AWAY)

    async def _expire_seats(self) -> None:
        """Free held seats when their grace period runs out."""
        while True:
            deadline = self.registry.next_deadline()
            timeout = None if deadline is None else max(0.0, deadline - time.time()) + 0.01
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), timeout)
            self._poke.clear()
            self._apply(self.registry.expire())

    # ------------------------------------------------------------ a connection

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._check_origin(request)
        ws = web.WebSocketResponse(
            heartbeat=self.config.heartbeat_seconds,
            compress=False,  # CPU for relaying, and no compression oracle next to secrets
            max_msg_size=4 * self.config.max_message_chars + 1024,  # UTF-8: up to 4 bytes a char
        )
        await ws.prepare(request)
        opened = await self._open(ws, request)
        if opened is None:
            return ws
        conn, outbox = opened
        logger.debug("conn %d open", conn)
        loop = asyncio.get_running_loop()
        idle = loop.call_later(self.config.hello_timeout_seconds, self._close_if_silent, conn)
        bucket = TokenBucket(self.config.rate_per_second, self.config.rate_burst)
        failures = 0
        last_rate_reply = 0.0
        try:
            async for frame in ws:
                if outbox.closing:
                    break
                if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                over = self._over_budget(conn, bucket)
                if over is not None:
                    now = time.monotonic()
                    if now - last_rate_reply >= 1.0:
                        last_rate_reply = now
                        self._reply_error(conn, ProtocolError(over))
                    continue
                if not await self._receive(conn, frame.data):
                    failures += 1
                    if failures >= self.config.max_auth_failures:
                        self._reply_error(conn, ProtocolError(ErrorCode.TOO_MANY_ATTEMPTS))
                        outbox.close()
        finally:
            idle.cancel()
            self.limits.close(conn)
            self._apply(self.registry.disconnect(conn))
            self._poke.set()
            outbox.close()
            self._outboxes.pop(conn, None)
            # returning lets aiohttp close the socket: first let the last frames go out
            await outbox.finish(timeout=5.0)
            logger.debug("conn %d closed", conn)
        return ws

    def _check_origin(self, request: web.Request) -> None:
        """Refuse (HTTP 403, before the upgrade) a WebSocket a page of another origin opens."""
        transport = request.transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        allowed = self._origins.allows(
            request.headers.get(hdrs.ORIGIN),
            scheme=request.scheme,
            host=request.headers.get(hdrs.HOST),
            on_loopback=isinstance(sockname, tuple) and is_loopback(str(sockname[0])),
            public_url=self.registry.public_url,
        )
        if not allowed:
            logger.info("refused a WebSocket opened by a page of another origin")
            raise web.HTTPForbidden(text=tr("server.origin_refused"))

    async def _receive(self, conn: int, data: str | bytes) -> bool:
        """Parse and handle one frame; False when it was a failed sign-in or resume."""
        message: ClientMessage | None = None
        try:
            message = parse_client_message(data, max_chars=self.config.max_message_chars)
            await self._on_message(conn, message)
        except ProtocolError as error:
            self._reply_error(conn, error)
            return error.error_code not in _AUTH_CODES
        except Exception as error:  # noqa: BLE001 -- one bad message must not end the server
            where = "".join(traceback.format_tb(error.__traceback__, limit=-3))
            # not logger.exception: the exception's text may quote the message
            logger.error(  # noqa: TRY400
                "conn %d: internal error %s at\n%s", conn, type(error).__name__, where
            )
            ref = message.ref if message is not None else None
            self._reply_error(conn, ProtocolError(ErrorCode.INTERNAL, ref))
        return True

    async def _open(
        self, ws: web.WebSocketResponse, request: web.Request
    ) -> tuple[int, _Outbox] | None:
        """Number a new connection; or, over a connection cap, say why and close it."""
        conn = self.registry.connect()
        outbox = self._outboxes[conn] = _Outbox(conn, ws, self.config.send_queue)
        host = client_host(
            request.remote,
            request.headers.get("X-Forwarded-For"),
            self.config.limits.trusted_proxies,
        )
        refused = self.limits.open(conn, host)
        if refused is None:
            return conn, outbox
        self._refused[refused] += 1
        now = time.monotonic()
        if now - self._refused_logged >= 60.0:  # a flood must not flood the log too
            self._refused_logged = now
            counts = ", ".join(f"{code.value} {n}" for code, n in self._refused.items())
            logger.warning(
                "connections refused over the caps (since the last such line): %s", counts
            )
            self._refused.clear()
        self._reply_error(conn, ProtocolError(refused))
        outbox.close()
        del self._outboxes[conn]
        self.registry.disconnect(conn)
        await outbox.finish(timeout=5.0)
        return None

    def _over_budget(self, conn: int, bucket: TokenBucket) -> ErrorCode | None:
        """Which message budget, the connection's or its address's, is spent (if one is)."""
        if not bucket.take():
            return ErrorCode.RATE_LIMITED
        if not self.limits.take_message(conn):  # shared by all of the address's sockets
            return ErrorCode.ADDRESS_RATE_LIMITED
        return None

    def _close_if_silent(self, conn: int) -> None:
        outbox = self._outboxes.get(conn)
        if conn in self._verifying:  # its hello is being checked: not silent, just slow
            asyncio.get_running_loop().call_later(1.0, self._close_if_silent, conn)
            return
        if outbox is not None and self.registry.stage(conn) == "new":
            logger.debug("conn %d said nothing in time; closing", conn)
            self._reply_error(conn, ProtocolError(ErrorCode.NOT_AUTHENTICATED))
            outbox.close()

    async def _on_message(self, conn: int, message: ClientMessage) -> None:
        if isinstance(message, FacilitatorHello):
            try:
                self.registry.check_hello(conn)
                self._verifying.add(conn)
                if not self.credentials.recently_verified(message.name, message.credential):
                    check = functools.partial(
                        self.credentials.verify, message.name, message.credential
                    )
                    await self.signins.run(self.limits.address_of(conn), check)
            except ProtocolError as error:
                raise ProtocolError(error.error_code, message.ref) from None
            finally:
                self._verifying.discard(conn)
            if self.registry.stage(conn) == "closed":
                return  # the connection went away while scrypt ran
            self._apply(self.registry.authenticate_facilitator(conn, message))
            return
        if isinstance(message, ParticipantHello) and not self.limits.lobby_has_place(
            conn, message.room, lambda other: self.registry.stage(other) == "lobby"
        ):
            raise ProtocolError(ErrorCode.LOBBY_ADDRESS_FULL, message.ref)
        if isinstance(message, OpenRoom) and self._through_janus(message):
            await self._open_room(conn, message)
            return
        try:
            if isinstance(message, OpenRoom) and self._watches_uplink:
                actions = self.registry.handle(conn, message, watch_uplink=True)
            else:
                actions = self.registry.handle(conn, message)
            self._to_sfu(actions)
        except ProtocolError as error:
            raise ProtocolError(error.error_code, message.ref) from None
        if isinstance(message, ParticipantHello) and self.registry.stage(conn) == "lobby":
            self.limits.entered_lobby(conn, message.room)
        self._apply(actions)

    @property
    def _watches_uplink(self) -> bool:
        """Whether a room opening as a mesh may move to Janus later (``media_mode`` auto,
        when a member's uplink is too poor for the mesh)."""
        sfu = self._sfu_config
        return self.janus_rooms is not None and sfu is not None and sfu.media_mode == "auto"

    def _through_janus(self, message: OpenRoom) -> bool:
        """Whether the room ``message`` opens should go through Janus (policy
        ``media_mode``, and with ``auto`` the size the facilitator's app planned)."""
        sfu = self._sfu_config
        if self.janus_rooms is None or sfu is None:
            return False
        planned = message.expected_members
        return room_media(sfu.media_mode, planned, sfu.sfu_from_members) == "sfu"

    async def _open_room(self, conn: int, message: OpenRoom) -> None:
        """Open a room in SFU mode: its Janus VideoRoom first (bounded), so ``admitted``
        can say how its media travel; a room Janus cannot serve is a mesh."""
        assert self.janus_rooms is not None
        if self.registry.stage(conn) != "facilitator":
            reserved = None  # refused below, without asking Janus
        else:
            reserved = await self.janus_rooms.reserve()
        media: MediaMode = "sfu" if reserved is not None else "mesh"
        try:
            actions = self.registry.handle(
                conn, message, media=media, watch_uplink=self._watches_uplink
            )
        except ProtocolError as error:
            if reserved is not None:
                self.janus_rooms.discard(reserved)
            raise ProtocolError(error.error_code, message.ref) from None
        if reserved is not None:
            opened = [a.message for a in actions if isinstance(a, Send)]
            room_id = next(m.room for m in opened if isinstance(m, RoomOpened))
            self.janus_rooms.adopt(room_id, reserved)
        self._apply(actions)

    def _to_sfu(self, actions: list[Action]) -> None:
        """Hand the checked ``sfu`` messages to the bridge (which may refuse one)."""
        for action in actions:
            if isinstance(action, ToSfu):
                if self.sfu is None:  # pragma: no cover - only SFU rooms yield ToSfu
                    raise ProtocolError(ErrorCode.NOT_SFU)
                self.sfu.submit(action.room, action.member, action.message)
            elif isinstance(action, SfuAside) and self.sfu is not None:
                self.sfu.set_aside(action.room, action.members)
            elif isinstance(action, SfuUnshare) and self.sfu is not None:
                self.sfu.unshare(action.room, action.member)
            elif isinstance(action, SwitchToSfu):
                task = asyncio.get_running_loop().create_task(self._switch(action.room))
                self._switching.add(task)
                task.add_done_callback(self._switching.discard)

    async def _switch(self, room_id: str) -> None:
        """Move a mesh room to Janus (a member's uplink is too poor): its VideoRoom first
        (bounded); if Janus cannot make one, the room stays a mesh and its facilitators
        are told so."""
        rooms = self.janus_rooms
        reserved = await rooms.reserve() if rooms is not None else None
        if rooms is None or reserved is None:
            self._apply(self.registry.switched(room_id, reason=ErrorCode.MEDIA_SERVER_UNAVAILABLE))
            return
        if room_id not in self.registry.seated_members():
            rooms.discard(reserved)  # the room ended meanwhile
            return
        rooms.adopt(room_id, reserved)
        self._apply(self.registry.switched(room_id))

    def _deliver_sfu(self, room: str, member: str, message: ServerSfu) -> None:
        """The bridge's message for ``member`` (dropped if not connected now)."""
        conn = self.registry.member_conn(room, member)
        outbox = self._outboxes.get(conn) if conn is not None else None
        if outbox is not None:
            outbox.put(encode(message))

    def _reply_error(self, conn: int, error: ProtocolError) -> None:
        logger.debug("conn %d refused: %s", conn, error.code)
        outbox = self._outboxes.get(conn)
        if outbox is not None:
            outbox.put(encode(Error.of(error)))

    def _apply(self, actions: list[Action]) -> None:
        """Send and close as the registry decided; each message is encoded once."""
        encoded: dict[int, str] = {}
        for action in actions:
            if isinstance(action, ToSfu | SfuAside | SfuUnshare | SwitchToSfu):
                continue  # handed to the bridge already (see _to_sfu)
            outbox = self._outboxes.get(action.conn)
            if outbox is None:
                continue
            if isinstance(action, Send):
                key = id(action.message)
                if key not in encoded:
                    encoded[key] = encode(action.message)
                outbox.put(encoded[key])
                message = action.message
                if (
                    self.sfu is not None
                    and isinstance(message, Admitted)
                    and message.resumed
                    and message.media == "sfu"
                ):
                    self.sfu.reset(message.room, message.member)  # a fresh Janus session
            elif isinstance(action, Close):
                outbox.close()
        if self.janus_rooms is not None and self._seat_changes != self.registry.seat_changes:
            self._seat_changes = self.registry.seat_changes  # not on every relayed signal
            wanted = self.registry.seated_members(media="sfu")
            if self.sfu is not None:
                self.sfu.sync(wanted)  # first: sessions end before their tokens do
            self.janus_rooms.sync(wanted)


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "protocol": PROTOCOL_VERSION})


_PLACEHOLDER = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>GroupDesk</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>GroupDesk</h1>
<p lang="fr">La page pour rejoindre un groupe dans le navigateur arrive bientôt.
Ouvrez ce lien dans l'application GroupDesk.</p>
<p lang="en">The page for joining a group from the browser is coming soon.
Open this link in the GroupDesk app.</p></body></html>
"""


_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",  # CSP 3: 'self' covers ws:/wss: to the same host
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    )
)
_PAGE_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), autoplay=(self), "
    "display-capture=(self), geolocation=(), payment=(), usb=()",
}
"""Every response of the web page carries these: its own files only, no framing, no referrer;
the page itself (never a frame) may capture a screen, which it asks for only while the
facilitator allows the participant to share (share.js)."""

_ASSET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.(js|css|json)")
_ASSET_TYPES = {"js": "text/javascript", "css": "text/css", "json": "application/json"}


def _web_file(name: str) -> Any:
    return resources.files("groupdesk").joinpath("server/web").joinpath(name)


async def _join_page(request: web.Request) -> web.Response:
    """The participant page (``server/web/join.html``; a placeholder if it is missing);
    at ``/test``, the same page runs its test call."""
    page = _web_file("join.html")
    text = page.read_text(encoding="utf-8") if page.is_file() else _PLACEHOLDER
    return web.Response(
        text=text,
        content_type="text/html",
        headers={**_PAGE_HEADERS, "Cache-Control": "no-store"},
    )


async def _web_asset(request: web.Request) -> web.Response:
    """A script, style sheet or string table of the page (flat names only, no paths)."""
    name = request.match_info["name"]
    match = _ASSET_NAME.fullmatch(name)
    asset = _web_file(name) if match else None
    if match is None or asset is None or not asset.is_file():
        raise web.HTTPNotFound
    return web.Response(
        body=asset.read_bytes(),
        content_type=_ASSET_TYPES[match.group(1)],
        charset="utf-8",
        headers={**_PAGE_HEADERS, "Cache-Control": "no-cache"},
    )


# --------------------------------------------------------------------- running


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, *, tls: bool, insecure: bool) -> None:
    """Refuse to serve other machines without TLS unless told ``insecure`` explicitly."""
    if not is_loopback(host) and not tls and not insecure:
        raise ServerError("server.error.insecure_bind", host=host)


def _shown_host(host: str) -> str:
    """The host part of the server's URL (this machine's name when bound to every address)."""
    try:
        unspecified = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        unspecified = False
    if unspecified:
        host = socket.getfqdn()
    return f"[{host}]" if ":" in host else host


_LISTEN_BACKLOG = 2048
"""Connections the kernel queues before they are accepted (it caps this at somaxconn).

With the default 128, a flood of handshakes overflows the queue and a real person's
connection is dropped and retried a second or more later."""


@dataclass
class RunningServer:
    """A started server: where it listens, its state, and how to stop it."""

    url: str
    """``http(s)://host:port`` of the server."""
    port: int
    server: SignalingServer
    runner: web.AppRunner

    @property
    def ws_url(self) -> str:
        """The signalling endpoint (``ws(s)://host:port/ws``)."""
        return "ws" + self.url.removeprefix("http") + "/ws"

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        await self.runner.cleanup()


async def start_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    config: ServerConfig | None = None,
    credentials: CredentialStore | None = None,
    ssl_context: ssl.SSLContext | None = None,
    insecure: bool = False,
) -> RunningServer:
    """Start serving on ``host:port`` (port 0: any free port) in the running loop."""
    check_bind(host, tls=ssl_context is not None, insecure=insecure)
    config = config or ServerConfig()
    server = SignalingServer(config, credentials or CredentialStore(None))
    runner = web.AppRunner(
        server.application(), access_log=None, handle_signals=False, shutdown_timeout=1.0
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=ssl_context, backlog=_LISTEN_BACKLOG)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise ServerError("server.error.cannot_listen", host=host, port=port) from error
    bound_port = int(runner.addresses[0][1])
    scheme = "https" if ssl_context is not None else "http"
    shown = _shown_host(host)
    url = f"{scheme}://{shown}:{bound_port}"
    if config.public_url is None:
        server.registry.public_url = url
    logger.info("listening on %s", url)
    return RunningServer(url=url, port=bound_port, server=server, runner=runner)
