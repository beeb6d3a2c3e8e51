"""``SignalingClient``: one WebSocket to the GroupDesk server, with automatic resume.

The media mesh, the desktop app's lobby and the simulated participants sit on
this small surface::

    client = SignalingClient()
    await client.connect("ws://127.0.0.1:8765/ws")
    await client.send(FacilitatorHello(name="ana", credential=secret))
    async for message in client.messages():   # parsed ServerMessage objects
        ...
    await client.send_signal(member_id, {"sdp": ...})
    await client.close()

After ``admitted`` the client keeps the resume token; if the connection drops
it reconnects and sends ``resume`` until the grace period runs out, and the
server answers with ``admitted`` (``resumed=True``). Sends made meanwhile wait
for the new connection. ``declined``, ``removed``, ``room_ended`` and a
refused resume end the session: ``messages()`` then stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import aiohttp

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    ClientSignal,
    Declined,
    Error,
    ErrorCode,
    Leave,
    ProtocolError,
    Removed,
    Resume,
    RoomEnded,
    ServerMessage,
    encode,
    parse_server_message,
)

logger = logging.getLogger("groupdesk.signaling")

ClientState = Literal["idle", "connected", "reconnecting", "closed"]
MessageCallback = Callable[[ServerMessage], Awaitable[None] | None]
StateCallback = Callable[[ClientState], None]
_END = object()
_RETRY_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0)
_FINAL_ERRORS = frozenset({ErrorCode.RESUME_EXPIRED, ErrorCode.TOO_MANY_ATTEMPTS})


class SignalingClosedError(GroupDeskError):
    """The signalling connection is closed for good (left, ended, or not back in time)."""

    key = "protocol.client.closed"


class SignalingClient:
    """An async client of the signalling protocol (aiohttp WebSocket).

    ``state`` is ``idle``, ``connected``, ``reconnecting`` or ``closed``;
    ``member``, ``room`` and ``role`` are set once admitted.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        auto_resume: bool = True,
        heartbeat: float = 20.0,
        connect_timeout: float = 10.0,
    ) -> None:
        self._ssl = ssl_context
        self.auto_resume = auto_resume
        self._heartbeat = heartbeat
        self._connect_timeout = connect_timeout
        self.state: ClientState = "idle"
        self.member: str | None = None
        self.room: str | None = None
        self.role: str | None = None
        self.grace_seconds = 0.0
        self._url = ""
        self._token: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._inbox: asyncio.Queue[object] = asyncio.Queue()
        self._connected = asyncio.Event()
        self._message_callbacks: list[MessageCallback] = []
        self._state_callbacks: list[StateCallback] = []
        self._final = False  # the server ended the session: no resume

    # ------------------------------------------------------------ public surface

    async def connect(self, url: str) -> None:
        """Open the WebSocket at ``url`` (``ws://host:port/ws``); raises ``aiohttp`` errors."""
        if self.state != "idle":
            raise RuntimeError("connect() is called once per client")
        self._url = url
        self._session = aiohttp.ClientSession()
        try:
            self._ws = await self._open()
        except BaseException:
            await self._session.close()
            self._set_state("closed")
            raise
        self._set_state("connected")
        self._reader = asyncio.get_running_loop().create_task(self._read_loop())

    async def send(self, message: ClientMessage) -> None:
        """Send one message; during a reconnection, waits until the seat is resumed.

        Raises ``SignalingClosedError`` once the session is over (closed, or ended by
        the server: declined, removed, the room ended). Called back from the read loop
        (a message listener answering), it cannot wait for a reconnection -- the read
        loop is the one that would see the close and resume -- so a message that finds
        the socket going is dropped there, as one lost in flight would be.
        """
        while True:
            if self.state == "closed" or self._final:
                raise SignalingClosedError()
            ws = self._ws
            if self.state == "connected" and ws is not None and not ws.closed:
                try:
                    await ws.send_str(encode(message))
                except (ConnectionError, RuntimeError):
                    if asyncio.current_task() is self._reader:
                        logger.info("a message was not sent: the connection is going")
                        return
                    # the socket is going; let the read loop see it and start resuming
                    await asyncio.sleep(0.05)
                else:
                    return
            self._connected.clear()
            await self._wait_reconnected()

    async def send_signal(self, to: str, payload: dict[str, Any]) -> None:
        """Relay an opaque WebRTC payload (SDP or ICE candidate) to member ``to``."""
        await self.send(ClientSignal(to=to, payload=payload))

    def on_message(self, callback: MessageCallback) -> Callable[[], None]:
        """Call ``callback`` (sync or async) with every server message; returns an unsubscriber."""
        self._message_callbacks.append(callback)
        return lambda: self._message_callbacks.remove(callback)

    def on_state(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback`` with each new ``state``; returns an unsubscriber."""
        self._state_callbacks.append(callback)
        return lambda: self._state_callbacks.remove(callback)

    async def messages(self) -> AsyncIterator[ServerMessage]:
        """Every server message in order (one consumer), until the session ends."""
        while True:
            item = await self._inbox.get()
            if item is _END:
                self._inbox.put_nowait(_END)  # later calls end at once too
                return
            assert not isinstance(item, bytes | str)
            yield item  # type: ignore[misc]

    async def receive(self, timeout: float | None = None) -> ServerMessage:
        """The next server message; raises ``SignalingClosedError`` or ``TimeoutError``."""
        item = await asyncio.wait_for(self._inbox.get(), timeout)
        if item is _END:
            self._inbox.put_nowait(_END)
            raise SignalingClosedError()
        return item  # type: ignore[return-value]

    async def close(self, *, leave: bool = True) -> None:
        """Leave the room (if ``leave`` and connected) and close; idempotent."""
        if self.state == "closed" and self._session is None:
            return
        self._final = True
        ws = self._ws
        if leave and ws is not None and not ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(encode(Leave()))
        if ws is not None:
            await ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._shutdown()

    # ------------------------------------------------------------ internals

    async def _open(self) -> aiohttp.ClientWebSocketResponse:
        assert self._session is not None
        return await self._session.ws_connect(
            self._url,
            heartbeat=self._heartbeat,
            ssl=self._ssl if self._ssl is not None else True,
            timeout=aiohttp.ClientWSTimeout(ws_close=self._connect_timeout),
            max_msg_size=1024 * 1024,
            compress=0,
        )

    async def _read_loop(self) -> None:
        try:
            while True:
                assert self._ws is not None
                await self._read(self._ws)
                if not await self._resume():
                    break
        finally:
            await self._shutdown()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                message = parse_server_message(frame.data)
            except ProtocolError as error:
                logger.warning("ignored a malformed server message (%s)", error.code)
                continue
            self._track(message)
            await self._deliver(message)
            if self._final:
                await ws.close()  # the session is over; the server may not close by itself
                return

    def _track(self, message: ServerMessage) -> None:
        if isinstance(message, Admitted):
            self._token = message.resume_token
            self.member, self.room, self.role = message.member, message.room, message.role
            self.grace_seconds = message.grace_seconds
        elif isinstance(message, Declined | Removed | RoomEnded) or (
            isinstance(message, Error) and message.code in _FINAL_ERRORS
        ):
            self._final = True

    async def _deliver(self, message: ServerMessage) -> None:
        for callback in list(self._message_callbacks):
            try:
                result = callback(message)
                if result is not None:
                    await result
            except Exception:  # a listener's bug must not stop the connection
                logger.exception("a signalling message listener failed")
        self._inbox.put_nowait(message)

    async def _resume(self) -> bool:
        """Reconnect and resume the seat within the grace period; False if that is over."""
        if self._final or not self.auto_resume or self._token is None:
            return False
        self._set_state("reconnecting")
        deadline = time.monotonic() + self.grace_seconds
        attempt = 0
        while time.monotonic() < deadline and not self._final:
            delay = _RETRY_DELAYS[min(attempt, len(_RETRY_DELAYS) - 1)]
            attempt += 1
            try:
                ws = await asyncio.wait_for(self._open(), max(0.1, deadline - time.monotonic()))
                await ws.send_str(encode(Resume(token=self._token)))
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                continue
            self._ws = ws
            self._set_state("connected")
            logger.info("signalling connection back; resuming the seat")
            return True
        return False

    async def _wait_reconnected(self) -> None:
        while self.state == "reconnecting" or (self.state == "connected" and self._ws_closed()):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connected.wait(), 0.5)
            if self.state == "connected" and not self._ws_closed():
                return

    def _ws_closed(self) -> bool:
        return self._ws is None or self._ws.closed

    def _set_state(self, state: ClientState) -> None:
        if state == self.state:
            return
        self.state = state
        if state == "connected":
            self._connected.set()
        else:
            self._connected.clear()
        for callback in list(self._state_callbacks):
            try:
                callback(state)
            except Exception:
                logger.exception("a signalling state listener failed")

    async def _shutdown(self) -> None:
        if self.state != "closed":
            self._set_state("closed")
            self._inbox.put_nowait(_END)
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
