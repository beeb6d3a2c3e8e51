"""SignalingClient against the real server, through a loopback proxy that can cut the line."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from server_harness import run_async

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    MemberJoined,
    MemberLeft,
    OpenRoom,
    ParticipantHello,
    Remove,
    Removed,
    RoomOpened,
    ServerMessage,
    ServerSignal,
    Waiting,
    Welcome,
    parse_invite_link,
)
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import ClientState, SignalingClient, SignalingClosedError


class CuttableProxy:
    """A TCP relay on 127.0.0.1 whose open connections can be cut, and that can stop accepting."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]
        pipes = [
            asyncio.ensure_future(self._pipe(reader, up_writer)),
            asyncio.ensure_future(self._pipe(up_reader, writer)),
        ]
        await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        for task in pipes:
            task.cancel()
        for w in (writer, up_writer):
            w.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()

    def cut(self) -> None:
        """Drop every open connection abruptly (both sides see a dead socket)."""
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    async def stop_accepting(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


async def _room(
    tmp_path: Path, grace: float
) -> tuple[RunningServer, CuttableProxy, SignalingClient, SignalingClient, Admitted, Admitted]:
    """Ana (through the proxy) opens a room; Bea (direct) is admitted."""
    store = CredentialStore(tmp_path)
    credential = store.add("ana")
    server = await start_server(
        "127.0.0.1",
        0,
        config=ServerConfig(rules=RoomRules(grace_seconds=grace)),
        credentials=store,
    )
    proxy = CuttableProxy(server.port)
    await proxy.start()
    ana, bea = SignalingClient(), SignalingClient()
    await ana.connect(proxy.ws_url)
    await ana.send(FacilitatorHello(name="ana", credential=credential))
    assert isinstance(await ana.receive(3), Welcome)
    await ana.send(OpenRoom())
    opened = await ana.receive(3)
    assert isinstance(opened, RoomOpened)
    ana_seat = await ana.receive(3)
    assert isinstance(ana_seat, Admitted)
    assert isinstance(await ana.receive(3), Lobby)

    invite = parse_invite_link(opened.invite)
    await bea.connect(invite.websocket_url)
    await bea.send(ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea"))
    assert isinstance(await bea.receive(3), Welcome)
    assert isinstance(await bea.receive(3), Waiting)
    lobby = await ana.receive(3)
    assert isinstance(lobby, Lobby)
    await ana.send(Admit(member=lobby.waiting[0].member))
    bea_seat = await bea.receive(3)
    assert isinstance(bea_seat, Admitted)
    assert isinstance(await ana.receive(3), MemberJoined)
    assert isinstance(await ana.receive(3), Lobby)
    return server, proxy, ana, bea, ana_seat, bea_seat


@run_async
async def test_client_resumes_its_seat_after_a_cut(tmp_path: Path) -> None:
    server, proxy, ana, bea, ana_seat, _ = await _room(tmp_path, grace=5.0)
    states: list[ClientState] = []
    ana.on_state(states.append)
    seen: list[ServerMessage] = []
    ana.on_message(seen.append)
    try:
        proxy.cut()
        resumed = await ana.receive(5)
        assert isinstance(resumed, Admitted)
        assert resumed.resumed
        assert resumed.member == ana_seat.member
        assert states == ["reconnecting", "connected"]
        assert ana.member == ana_seat.member
        assert isinstance(await ana.receive(3), Lobby)  # a facilitator gets the lobby back too

        await bea.send_signal(ana_seat.member, {"type": "offer", "sdp": "v=0"})
        relayed = await ana.receive(3)
        assert isinstance(relayed, ServerSignal)
        assert relayed.payload == {"type": "offer", "sdp": "v=0"}
        assert seen[-1] == relayed

        # a send made while the client is reconnecting waits for the resumed seat
        await proxy.stop_accepting()
        proxy.cut()
        while ana.state != "reconnecting":
            await asyncio.sleep(0.01)
        sending = asyncio.ensure_future(ana.send_signal(bea.member or "", {"type": "answer"}))
        await asyncio.sleep(0.3)
        assert not sending.done()
        await proxy.start()  # the line is back on the same port
        await asyncio.wait_for(sending, 5)
        assert isinstance(await ana.receive(5), Admitted)
        assert isinstance(await ana.receive(3), Lobby)
        relayed = await bea.receive(3)
        assert isinstance(relayed, ServerSignal)
        assert relayed.payload == {"type": "answer"}
    finally:
        await ana.close()
        await bea.close()
        await proxy.stop_accepting()
        await server.stop()


@run_async
async def test_client_gives_up_after_the_grace_period(tmp_path: Path) -> None:
    server, proxy, ana, bea, ana_seat, _ = await _room(tmp_path, grace=0.5)
    try:
        await proxy.stop_accepting()
        proxy.cut()
        left = await bea.receive(3)
        assert isinstance(left, MemberLeft)
        assert (left.member, left.reason) == (ana_seat.member, "expired")
        received = [m async for m in ana.messages()]  # ends when the client gives up
        assert received == []
        assert ana.state == "closed"
        with pytest.raises(SignalingClosedError):
            await ana.send(OpenRoom())
    finally:
        await ana.close()
        await bea.close()
        await server.stop()


@run_async
async def test_close_leaves_the_room(tmp_path: Path) -> None:
    server, proxy, ana, bea, _, bea_seat = await _room(tmp_path, grace=5.0)
    try:
        await bea.close()
        assert bea.state == "closed"
        left = await ana.receive(3)
        assert isinstance(left, MemberLeft)
        assert (left.member, left.reason) == (bea_seat.member, "left")
    finally:
        await ana.close()
        await proxy.stop_accepting()
        await server.stop()


@run_async
async def test_a_listener_that_sends_after_the_end_is_refused_at_once(tmp_path: Path) -> None:
    """Removed: the server closes the socket; a listener answering then (a preview saying
    stop) gets SignalingClosedError instead of waiting for a resume that cannot come."""
    server, proxy, ana, bea, ana_seat, bea_seat = await _room(tmp_path, grace=5.0)
    outcomes: list[str] = []

    async def answer(message: ServerMessage) -> None:
        if isinstance(message, Removed):
            try:
                await bea.send_signal(ana_seat.member, {"type": "preview.stop"})
            except SignalingClosedError:
                outcomes.append("refused")
            else:
                outcomes.append("sent")

    bea.on_message(answer)
    try:
        await ana.send(Remove(member=bea_seat.member))
        for _ in range(100):
            if bea.state == "closed":
                break
            await asyncio.sleep(0.05)
        assert outcomes == ["refused"]
        assert bea.state == "closed"
        with pytest.raises(SignalingClosedError):
            await bea.send_signal(ana_seat.member, {"type": "preview.stop"})
    finally:
        await bea.close()
        await ana.close()
        await proxy.stop_accepting()
        await server.stop()
