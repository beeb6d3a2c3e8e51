"""Signalling server under load: N rooms of M simulated clients (no media), one server process.

Starts the real ``groupdesk-server`` as a subprocess on 127.0.0.1, opens the
rooms (a facilitator each, the rest admitted from the lobby), then for each
offered rate every client sends ``signal`` messages (an ICE-candidate-sized
payload carrying a timestamp) to random members of its room. Prints relayed
messages per second and relay latency percentiles. No assertions.

    .venv/bin/python benchmarks/bench_server.py                 # 200 rooms x 8
    .venv/bin/python benchmarks/bench_server.py --rooms 20 --seconds 3
    .venv/bin/python benchmarks/bench_server.py --abuse         # the server under abuse
    .venv/bin/python benchmarks/bench_server.py --abuse --quick # the same, small and short

The clients run in this one Python process on the same machine as the server,
so on a small machine the figures are a floor for the server, not a ceiling.
The relay benchmark lifts the per-address limits (every client is 127.0.0.1);
``--abuse`` keeps the server's defaults and attacks from other loopback
addresses (127.0.0.2 ...), real people connecting from 127.0.0.1: see
``server_abuse.py`` beside this file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientSignal,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    encode,
    parse_invite_link,
    parse_server_message,
)

PROGRAM = Path(sys.executable).parent / "groupdesk-server"
PADDING = "a=candidate:842163049 1 udp 1677729535 198.51.100.7 50000 typ srflx " * 2


@dataclass
class Client:
    ws: aiohttp.ClientWebSocketResponse
    member: str = ""
    peers: list[str] = field(default_factory=list)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    received: int = 0
    measuring: bool = False


async def _expect(ws: aiohttp.ClientWebSocketResponse, kind: type) -> object:
    while True:
        message = parse_server_message((await ws.receive(30)).data)
        if isinstance(message, kind):
            return message


async def _open_room(
    session: aiohttp.ClientSession, ws_url: str, credential: str, size: int
) -> list[Client]:
    fac = await session.ws_connect(ws_url)
    await fac.send_str(encode(FacilitatorHello(name="bench", credential=credential)))
    await fac.send_str(encode(OpenRoom()))
    opened = await _expect(fac, RoomOpened)
    assert isinstance(opened, RoomOpened)
    seat = await _expect(fac, Admitted)
    assert isinstance(seat, Admitted)
    invite = parse_invite_link(opened.invite)
    clients = [Client(fac, seat.member)]
    for i in range(size - 1):
        ws = await session.ws_connect(ws_url)
        await ws.send_str(
            encode(ParticipantHello(room=invite.room, secret=invite.secret, display_name=f"P{i}"))
        )
        while True:
            lobby = await _expect(fac, Lobby)
            assert isinstance(lobby, Lobby)
            if lobby.waiting:
                break
        await fac.send_str(encode(Admit(member=lobby.waiting[0].member)))
        admitted = await _expect(ws, Admitted)
        assert isinstance(admitted, Admitted)
        clients.append(Client(ws, admitted.member))
    members = [c.member for c in clients]
    for client in clients:
        client.peers = [m for m in members if m != client.member]
    return clients


async def _reader(client: Client, stats: Stats) -> None:
    async for frame in client.ws:
        if frame.type != aiohttp.WSMsgType.TEXT:
            return
        data = json.loads(frame.data)
        if data.get("type") == "signal" and stats.measuring:
            stats.received += 1
            stats.latencies.append(time.perf_counter() - data["payload"]["t"])


async def _sender(client: Client, rate: float, until: float) -> int:
    sent = 0
    interval = 1.0 / rate
    next_at = time.perf_counter() + random.random() * interval
    while True:
        now = time.perf_counter()
        if now >= until:
            return sent
        if now < next_at:
            await asyncio.sleep(next_at - now)
            continue
        payload = {"t": time.perf_counter(), "candidate": PADDING}
        await client.ws.send_str(
            encode(ClientSignal(to=random.choice(client.peers), payload=payload))
        )
        sent += 1
        next_at += interval


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` (user + system)."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def _bench(url: str, credential: str, args: argparse.Namespace, server_pid: int) -> None:
    ws_url = "ws" + url.removeprefix("http") + "/ws"
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        rooms: list[list[Client]] = []
        gate = asyncio.Semaphore(16)

        async def one_room() -> None:
            async with gate:
                rooms.append(await _open_room(session, ws_url, credential, args.size))

        await asyncio.gather(*(one_room() for _ in range(args.rooms)))
        clients = [c for room in rooms for c in room]
        print(
            f"setup: {len(rooms)} rooms, {len(clients)} clients seated "
            f"in {time.perf_counter() - started:.1f} s"
        )
        stats = Stats()
        readers = [asyncio.ensure_future(_reader(c, stats)) for c in clients]
        for rate in args.rates:
            stats.latencies.clear()
            stats.received = 0
            stats.measuring = True
            begin = time.perf_counter()
            server_cpu = _cpu_seconds(server_pid)
            client_cpu = _cpu_seconds(os.getpid())
            until = begin + args.seconds
            sent = sum(await asyncio.gather(*(_sender(c, rate, until) for c in clients)))
            await asyncio.sleep(1.0)  # let the last relays land
            stats.measuring = False
            wall = time.perf_counter() - begin
            server_load = (_cpu_seconds(server_pid) - server_cpu) / wall
            client_load = (_cpu_seconds(os.getpid()) - client_cpu) / wall
            elapsed = args.seconds
            lat = sorted(stats.latencies)
            if not lat:
                print(f"rate {rate}/s per client: nothing relayed")
                continue
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            print(
                f"offered {rate:g} msg/s per client ({rate * len(clients):,.0f} msg/s): "
                f"sent {sent:,}, relayed {stats.received:,} "
                f"= {stats.received / elapsed:,.0f} msg/s; latency p50 "
                f"{statistics.median(lat) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                f"max {lat[-1] * 1000:.1f} ms; CPU server {server_load:.0%}, "
                f"clients {client_load:.0%}"
            )
        for client in clients:
            await client.ws.close()
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


@contextlib.contextmanager
def running_server(state: str, *options: str) -> Iterator[tuple[str, int]]:
    """The real ``groupdesk-server`` on 127.0.0.1 (a free port): yields its URL and pid."""
    server = subprocess.Popen(
        [str(PROGRAM), "--state-dir", state, "--port", "0", "--log-level", "warning", *options],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        print(f"server {url} (pid {server.pid}); {os.cpu_count()} CPUs shared with clients")
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def raise_file_limit(needed: int) -> None:
    """Allow ``needed`` open files (sockets), in this process and the server it starts."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, needed), hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--abuse", action="store_true", help="the server under abuse (see server_abuse.py) instead"
    )
    parser.add_argument("--quick", action="store_true", help="with --abuse: small and short")
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--size", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--rates",
        type=lambda text: [float(r) for r in text.split(",")],
        default=[2.0, 5.0, 10.0],
        help="messages per second per client, comma-separated (default 2,5,10)",
    )
    args = parser.parse_args()
    if args.abuse:
        import server_abuse

        server_abuse.main(quick=args.quick)
        return
    clients = args.rooms * args.size
    raise_file_limit(clients * 2 + 256)
    with tempfile.TemporaryDirectory() as state:
        added = subprocess.run(
            [str(PROGRAM), "--state-dir", state, "facilitator", "add", "bench"],
            capture_output=True,
            text=True,
            check=True,
        )
        credential = added.stdout.strip().splitlines()[-1]
        # every client is 127.0.0.1 here: lift the per-address limits this benchmark is not about
        lifted = ["--max-connections", str(clients + 64)]
        lifted += ["--max-connections-per-address", str(clients + 64)]
        lifted += ["--address-rate", "1e9", "--address-burst", "1e9", "--signin-per-address", "64"]
        with running_server(state, *lifted) as (url, pid):
            asyncio.run(_bench(url, credential, args, pid))


if __name__ == "__main__":
    main()
