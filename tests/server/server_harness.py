"""Helpers for server tests: a real server on 127.0.0.1 and raw WebSocket peers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    Error,
    FacilitatorHello,
    Lobby,
    MemberJoined,
    Message,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    ServerMessage,
    Waiting,
    Welcome,
    encode,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore

T = TypeVar("T")
M = TypeVar("M", bound=ServerMessage)


def run_async(
    fn: Callable[..., Coroutine[Any, Any, None]],
) -> Callable[..., None]:
    """Run an async test on a fresh event loop (no pytest-asyncio needed), bounded in time."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(fn(*args, **kwargs), 120))

    return wrapper


class Peer:
    """A raw WebSocket client that speaks the protocol with no help from SignalingClient."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.session = session
        self.ws = ws

    async def send(self, message: Message | dict[str, Any] | str) -> None:
        if isinstance(message, str):
            text = message
        elif isinstance(message, dict):
            text = json.dumps(message)
        else:
            text = encode(message)
        await self.ws.send_str(text)

    async def recv(self, timeout: float = 3.0) -> ServerMessage:
        """The next message; every frame the server sends must parse."""
        frame = await self.ws.receive(timeout)
        if frame.type != aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"connection closed ({frame.type.name})")
        return parse_server_message(frame.data)

    async def expect(self, kind: type[M], timeout: float = 3.0) -> M:
        message = await self.recv(timeout)
        assert isinstance(message, kind), message
        return message

    async def expect_error(self, code: str, timeout: float = 3.0) -> Error:
        error = await self.expect(Error, timeout)
        assert error.code == code, error
        return error

    async def silent(self, within: float = 0.3) -> None:
        """Nothing arrives for ``within`` seconds."""
        with contextlib.suppress(TimeoutError):
            frame = await self.ws.receive(within)
            raise AssertionError(f"unexpected frame {frame.type.name}: {frame.data!r}")

    async def closed(self, timeout: float = 3.0) -> None:
        """The server closes the connection (after anything already queued)."""
        while True:
            frame = await self.ws.receive(timeout)
            if frame.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.CLOSED,
            ):
                return
            raise AssertionError(f"expected close, got {frame.data!r}")

    async def close(self) -> None:
        await self.ws.close()


class Net:
    """Opens peers on one client session; closes them all at the end."""

    def __init__(self, url: str, source: str | None = None) -> None:
        """``source``: connect from this local address (``127.0.0.2`` is another loopback host)."""
        self.url = url
        self.ws_url = "ws" + url.removeprefix("http") + "/ws"
        connector = aiohttp.TCPConnector(local_addr=(source, 0)) if source else None
        self.session = aiohttp.ClientSession(connector=connector)
        self.peers: list[Peer] = []

    async def peer(self) -> Peer:
        ws = await self.session.ws_connect(self.ws_url, max_msg_size=1 << 20)
        peer = Peer(self.session, ws)
        self.peers.append(peer)
        return peer

    async def facilitator(self, name: str, credential: str, display: str | None = None) -> Peer:
        peer = await self.peer()
        await peer.send(FacilitatorHello(name=name, credential=credential, display_name=display))
        await peer.expect(Welcome)
        return peer

    async def open_room(
        self, facilitator: Peer, message: OpenRoom | None = None
    ) -> tuple[RoomOpened, Admitted]:
        await facilitator.send(message or OpenRoom())
        opened = await facilitator.expect(RoomOpened)
        admitted = await facilitator.expect(Admitted)
        await facilitator.expect(Lobby)
        return opened, admitted

    async def waiting(
        self, invite: str, display_name: str, declared: dict[str, Any] | None = None
    ) -> Peer:
        inv = parse_invite_link(invite)
        peer = await self.peer()
        await peer.send(
            ParticipantHello(
                room=inv.room, secret=inv.secret, display_name=display_name, declared=declared or {}
            )
        )
        await peer.expect(Welcome)
        await peer.expect(Waiting)
        return peer

    async def admit(self, facilitator: Peer, participant: Peer) -> Admitted:
        """Admit ``participant`` (whose arrival ``facilitator`` has not read yet)."""
        lobby = await facilitator.expect(Lobby)
        await facilitator.send(Admit(member=lobby.waiting[-1].member))
        admitted = await participant.expect(Admitted)
        joined = await facilitator.expect(MemberJoined)
        assert joined.member.member == admitted.member
        await facilitator.expect(Lobby)
        return admitted

    async def close(self) -> None:
        for peer in self.peers:
            await peer.close()
        await self.session.close()


@contextlib.asynccontextmanager
async def serving(
    state_dir: Path, config: ServerConfig | None = None, names: tuple[str, ...] = ("ana",)
) -> AsyncIterator[tuple[RunningServer, Net, dict[str, str]]]:
    """A server on 127.0.0.1 (free port) with facilitators ``names``; yields it, a Net, creds."""
    store = CredentialStore(state_dir)
    creds = {name: store.add(name) for name in names}
    server = await start_server("127.0.0.1", 0, config=config, credentials=store)
    net = Net(server.url)
    try:
        yield server, net, creds
    finally:
        await net.close()
        await server.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for ``localhost`` valid for an hour, and its key (PEM
    files in ``folder``)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
