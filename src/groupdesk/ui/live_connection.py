"""The signalling side of a live session: the client, the embedded server, asking and reading.

No Qt. :class:`RoomConnection` holds one ``SignalingClient`` (and, for a room on
this computer, the embedded server with an in-memory facilitator credential),
sends requests and waits for their answer, and hands every server message, in
order, to the live session (its ``LiveLine``). A connection is used once: a new room
or a new join makes a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import aiohttp

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    Declined,
    Error,
    RoomEnded,
    ServerMessage,
)
from groupdesk.media.call import MediaCall
from groupdesk.media.link import MeshLink
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.signaling.client import ClientState, SignalingClient

log = logging.getLogger(__name__)

# The facilitator account of the embedded server (it lives and dies with the room).
EMBEDDED_ACCOUNT = "facilitator"
# How long to wait for the server to connect or to answer a request.
ANSWER_TIMEOUT = 15.0


def websocket_url(server_url: str) -> str:
    """The signalling endpoint of a policy's ``server_url`` (``https://h`` -> ``wss://h/ws``)."""
    url = server_url.rstrip("/")
    if url.startswith("https://"):
        url = "wss://" + url.removeprefix("https://")
    elif url.startswith("http://"):
        url = "ws://" + url.removeprefix("http://")
    return url if url.endswith("/ws") else url + "/ws"


class RoomConnection:
    """One signalling connection (and maybe the embedded server) for one live session."""

    def __init__(
        self,
        handle: Callable[[ServerMessage], Awaitable[None]],
        make_mesh: Callable[[Admitted], MediaCall],
        on_state: Callable[[ClientState], None],
        on_gone: Callable[[], None],
    ) -> None:
        self._handle = handle
        self._make_mesh = make_mesh
        self._on_state = on_state
        self._on_gone = on_gone
        self.client: SignalingClient | None = None
        self.server: RunningServer | None = None
        self.link: MeshLink | None = None
        self._reader: asyncio.Task[None] | None = None
        self._answer: asyncio.Future[ServerMessage | None] | None = None
        self._expect: type[ServerMessage] | None = None
        self._closing = False
        self.embedded_config: ServerConfig | None = None
        """The embedded server's settings (None: the defaults; ``groupdesk demo --sfu``
        gives it a Janus)."""

    async def start_embedded(self, host: str) -> tuple[str, str, str]:
        """Start the embedded server; ``(websocket url, account, credential)``.

        Raises ``GroupDeskError`` or ``OSError`` when it cannot listen.
        """
        store = CredentialStore(None)  # in memory: nothing is written anywhere
        credential = store.add(EMBEDDED_ACCOUNT)
        self.server = await start_server(host, 0, config=self.embedded_config, credentials=store)
        return self.server.ws_url, EMBEDDED_ACCOUNT, credential

    async def connect(self, url: str) -> bool:
        """Open the WebSocket; False when the server cannot be reached."""
        client = SignalingClient(connect_timeout=ANSWER_TIMEOUT)
        self.client = client
        self.link = MeshLink(client, self._make_mesh)
        client.on_state(self._on_state)
        try:
            await asyncio.wait_for(client.connect(url), ANSWER_TIMEOUT)
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError):
            log.info("cannot reach the signalling server at %s", url)
            await self.close()
            return False
        self._reader = asyncio.get_running_loop().create_task(self._read(client))
        return True

    async def ask(
        self, message: ClientMessage, answer: type[ServerMessage]
    ) -> ServerMessage | None:
        """Send ``message``; the reply of type ``answer``, an ``Error``, ``Declined`` or
        ``RoomEnded``; None when nothing came back in time or the connection closed."""
        self._answer = asyncio.get_running_loop().create_future()
        self._expect = answer
        try:
            if not await self.send(message):
                return None
            return await asyncio.wait_for(asyncio.shield(self._answer), ANSWER_TIMEOUT)
        except TimeoutError:
            return None
        finally:
            self._answer, self._expect = None, None

    def answers(self, message: ServerMessage) -> bool:
        """Whether ``message`` answers the request being asked (it is then taken)."""
        answer, expect = self._answer, self._expect
        if answer is None or answer.done() or expect is None:
            return False
        if not isinstance(message, expect | Error | Declined | RoomEnded):
            return False
        answer.set_result(message)
        return True

    async def send(self, message: ClientMessage) -> bool:
        """Send one message; False when the connection is closed or fails."""
        client = self.client
        if client is None or client.state == "closed":
            return False
        try:
            await client.send(message)
        except (GroupDeskError, ConnectionError, OSError):
            return False
        return True

    @property
    def connected(self) -> bool:
        """True while the WebSocket is up (not reconnecting, not closed)."""
        return self.client is not None and self.client.state == "connected"

    async def close(self) -> None:
        """Hang up: the mesh, the client, the reader, the embedded server."""
        self._closing = True
        link, self.link = self.link, None
        if link is not None:
            with contextlib.suppress(Exception):
                await link.stop()
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
        server, self.server = self.server, None
        if server is not None:
            with contextlib.suppress(Exception):
                await server.stop()

    async def _read(self, client: SignalingClient) -> None:
        try:
            async for message in client.messages():
                try:
                    await self._handle(message)
                except Exception:  # the room must go on whatever one message does
                    log.exception("failed to handle %s", type(message).__name__)
        finally:
            if self._answer is not None and not self._answer.done():
                self._answer.set_result(None)
            if not self._closing:
                self._on_gone()
