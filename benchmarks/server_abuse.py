"""The signalling server under abuse: ``bench_server.py --abuse`` prints these figures.

Four attacks on the real ``groupdesk-server`` (its default limits), each from
another loopback address than the real people (127.0.0.1), so the server's
per-address limits see them as a network would:

1. sign-in flood: many connections from 127.0.0.2 send bad facilitator
   credentials (each check is scrypt) while a real facilitator signs in, first
   with a credential the server has not seen (a full check), then again (it is
   remembered); the same sign-ins with no flood are the baseline;
2. connection flood: more sockets from one address than it may hold;
3. message flood: 20 sockets of one address against 1 socket of another;
4. lobby flood: one address fills a room's lobby; does a real member get in?

Bounded (every loop has an end), loopback only, stops by itself. No assertions.
The sign-in flood runs in a process of its own, so the real sign-ins are not
timed on a client loop busy with the flood (the machine's CPUs are still shared).
"""

from __future__ import annotations

import asyncio
import collections
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench_server import raise_file_limit, running_server
from groupdesk.core.protocol import (
    ClientChat,
    FacilitatorHello,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    encode,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.server.credentials import CredentialStore

REAL = "127.0.0.1"
BAD_HELLO = encode(FacilitatorHello(name="bench0", credential="not-the-credential-" + "x" * 24))
REFUSED_AT_CONNECT = ("too_many_connections", "server_full")


@dataclass(frozen=True)
class Scale:
    """How hard each attack pushes."""

    signin_connections: int = 1500
    signin_seconds: float = 8.0
    samples: int = 5
    connection_flood: int = 2000
    messages_per_socket: int = 1000
    lobby_flood: int = 24


QUICK = Scale(
    signin_connections=60,
    signin_seconds=2.0,
    samples=2,
    connection_flood=100,
    messages_per_socket=500,
    lobby_flood=24,
)


@dataclass
class Tally:
    codes: collections.Counter[str] = field(default_factory=collections.Counter)
    connected: int = 0
    connect_failed: int = 0


def _session(source: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, local_addr=(source, 0)))


def _code(frame: aiohttp.WSMessage) -> str | None:
    if frame.type != aiohttp.WSMsgType.TEXT:
        return None
    data = json.loads(frame.data)
    return str(data.get("code") or data.get("type"))


# ------------------------------------------------------------------ 1. sign-in flood


async def _sign_in(ws_url: str, name: str, credential: str) -> tuple[float, str]:
    """Seconds from opening a connection to the server's answer to ``hello``, and the answer."""
    started = time.perf_counter()
    async with _session(REAL) as session, session.ws_connect(ws_url) as ws:
        await ws.send_str(encode(FacilitatorHello(name=name, credential=credential)))
        frame = await ws.receive(timeout=120)
        return time.perf_counter() - started, _code(frame) or "closed"


async def _bad_sign_ins(
    session: aiohttp.ClientSession,
    ws_url: str,
    until: float,
    tally: Tally,
    tried: Callable[[], None],
) -> None:
    """One attacker's connection: bad credentials, again and again; reconnects when closed."""
    while time.perf_counter() < until:
        try:
            ws = await session.ws_connect(ws_url)
        except (aiohttp.ClientError, OSError):
            tally.connect_failed += 1
            tried()
            await asyncio.sleep(1.0)
            continue
        tally.connected += 1
        tried()
        try:
            while time.perf_counter() < until and not ws.closed:
                await ws.send_str(BAD_HELLO)
                try:
                    frame = await ws.receive(timeout=1.0)
                except TimeoutError:
                    continue  # rate-limited: dropped without an answer
                code = _code(frame)
                if code is None:
                    break
                tally.codes[code] += 1
                if code in REFUSED_AT_CONNECT:
                    await asyncio.sleep(1.0)  # turned away: come back a second later
                    break
        except (aiohttp.ClientError, ConnectionError):
            pass
        finally:
            await ws.close()


async def _sign_in_latencies(
    ws_url: str, names: list[str], credentials: dict[str, str]
) -> tuple[list[float], list[float], collections.Counter[str]]:
    """First sign-ins (scrypt) and second ones (remembered) of ``names``, one after another."""
    first, again = [], []
    answers: collections.Counter[str] = collections.Counter()
    for name in names:
        seconds, answer = await _sign_in(ws_url, name, credentials[name])
        first.append(seconds)
        answers[answer] += 1
        seconds, answer = await _sign_in(ws_url, name, credentials[name])
        again.append(seconds)
        answers[answer] += 1
    return first, again, answers


def _ms(values: list[float]) -> str:
    each = " ".join(f"{v * 1000:.0f}" for v in values)
    median, most = statistics.median(values) * 1000, max(values) * 1000
    return f"median {median:.0f} ms, max {most:.0f} ms ({each})"


async def signin_flood(
    ws_url: str, credentials: dict[str, str], scale: Scale, label: str = "1. sign-in flood"
) -> None:
    names = sorted(credentials)
    base_first, base_again, _ = await _sign_in_latencies(
        ws_url, names[: scale.samples], credentials
    )
    flood = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "flood-sign-ins",
        ws_url,
        str(scale.signin_connections),
        str(scale.signin_seconds),
        stdout=asyncio.subprocess.PIPE,
    )
    assert flood.stdout is not None
    await flood.stdout.readline()  # the flood has started: sign in during its first wave
    wave, wave_answer = await _sign_in(ws_url, names[0], credentials[names[0]])
    await flood.stdout.readline()  # every flood connection has tried once
    first, again, answers = await _sign_in_latencies(ws_url, names[scale.samples :], credentials)
    answers[wave_answer] += 1
    tally = Tally(**json.loads(await flood.stdout.read()))
    tally.codes = collections.Counter(tally.codes)
    await flood.wait()
    print(
        f"{label}: {scale.signin_connections} connections from 127.0.0.2 sending bad "
        f"credentials for {scale.signin_seconds:g} s: {tally.connected} connections opened, "
        f"{tally.connect_failed} failed to connect"
    )
    print(
        "   answers to the flood: "
        + ", ".join(f"{code} {count}" for code, count in tally.codes.most_common())
    )
    for label, base, under in (
        ("credential not yet seen (scrypt)", base_first, first),
        ("again (remembered)              ", base_again, again),
    ):
        ratio = statistics.median(under) / statistics.median(base)
        print(
            f"   real sign-in, {label}: no flood {_ms(base)}; under flood {_ms(under)}; "
            f"ratio {ratio:.1f}x"
        )
    print(f"   a real sign-in (remembered) during the flood's first wave: {wave * 1000:.0f} ms")
    print(
        "   real sign-ins under flood answered: "
        + ", ".join(f"{code} {count}" for code, count in answers.most_common())
    )


async def _flood_sign_ins(ws_url: str, connections: int, seconds: float) -> Tally:
    """The attacker's side of attack 1 (run in its own process)."""
    tally = Tally()
    until = time.perf_counter() + seconds
    first_tries = collections.Counter[int]()

    def tried() -> None:
        first_tries["n"] += 1
        if first_tries["n"] == connections:
            print("every connection tried once", flush=True)

    async with _session("127.0.0.2") as session:
        print("started", flush=True)
        await asyncio.gather(
            *(_bad_sign_ins(session, ws_url, until, tally, tried) for _ in range(connections))
        )
    return tally


# ------------------------------------------------------------------ 2. connection flood


async def connection_flood(ws_url: str, scale: Scale) -> None:
    opened: list[aiohttp.ClientWebSocketResponse] = []
    tally = Tally()
    gate = asyncio.Semaphore(200)

    async def one(session: aiohttp.ClientSession) -> None:
        async with gate:
            try:
                ws = await session.ws_connect(ws_url)
            except (aiohttp.ClientError, OSError):
                tally.connect_failed += 1
                return
        opened.append(ws)
        await ws.send_str(encode(ClientChat(text="am I in?")))
        try:
            code = _code(await ws.receive(timeout=30))
        except TimeoutError:
            code = "no answer"
        tally.codes["accepted" if code == "not_authenticated" else str(code)] += 1

    async with _session("127.0.0.3") as session:
        await asyncio.gather(*(one(session) for _ in range(scale.connection_flood)))
        for ws in opened:
            await ws.close()
    refused = sum(n for code, n in tally.codes.items() if code != "accepted")
    print(
        f"2. connection flood: {scale.connection_flood} sockets from 127.0.0.3: "
        f"{tally.codes['accepted']} accepted, {refused} refused ("
        + ", ".join(f"{c} {n}" for c, n in tally.codes.most_common() if c != "accepted")
        + f"), {tally.connect_failed} failed to connect"
    )


# ------------------------------------------------------------------ 3. message flood


async def _message_flood(ws_url: str, source: str, sockets: int, each: int) -> tuple[int, int]:
    """Messages the server read (answered) and refused, from ``sockets`` sockets of ``source``."""
    answered = 0
    chat = encode(ClientChat(text="x"))

    async def one(ws: aiohttp.ClientWebSocketResponse) -> None:
        nonlocal answered
        for _ in range(each):
            await ws.send_str(chat)
        while True:  # until the server has nothing more to say (a second of silence)
            try:
                frame = await ws.receive(timeout=1.0)
            except TimeoutError:
                return
            if _code(frame) == "not_authenticated":
                answered += 1
            elif frame.type != aiohttp.WSMsgType.TEXT:
                return

    async with _session(source) as session:
        conns = [await session.ws_connect(ws_url) for _ in range(sockets)]
        await asyncio.gather(*(one(ws) for ws in conns))
        for ws in conns:
            await ws.close()
    return answered, sockets * each - answered


async def message_flood(ws_url: str, scale: Scale) -> None:
    one_read, one_refused = await _message_flood(ws_url, "127.0.0.4", 1, scale.messages_per_socket)
    many_read, many_refused = await _message_flood(
        ws_url, "127.0.0.5", 20, scale.messages_per_socket
    )
    print(
        f"3. message flood, {scale.messages_per_socket} messages a socket: 1 socket: "
        f"{one_read} read, {one_refused} refused; 20 sockets of one address: {many_read} read, "
        f"{many_refused} refused ({many_read / max(1, one_read):.1f}x one socket's allowance; "
        "without a shared budget: 20x)"
    )


# ------------------------------------------------------------------ 4. lobby flood


async def lobby_flood(ws_url: str, credential: str, scale: Scale) -> None:
    async with _session(REAL) as real:
        fac = await real.ws_connect(ws_url)
        await fac.send_str(encode(FacilitatorHello(name="lobby", credential=credential)))
        await fac.send_str(encode(OpenRoom()))
        while True:
            message = parse_server_message((await fac.receive(30)).data)
            if isinstance(message, RoomOpened):
                break
        invite = parse_invite_link(message.invite)
        tally = Tally()

        def hello(name: str) -> str:
            return encode(
                ParticipantHello(room=invite.room, secret=invite.secret, display_name=name)
            )

        async with _session("127.0.0.6") as session:
            flood = []
            for i in range(scale.lobby_flood):
                ws = await session.ws_connect(ws_url)
                flood.append(ws)
                await ws.send_str(hello(f"Flood {i}"))
                code = _code(await ws.receive(timeout=30))
                tally.codes["waiting" if code == "welcome" else str(code)] += 1
            member = await real.ws_connect(ws_url)
            await member.send_str(hello("Real member"))
            answer = _code(await member.receive(timeout=30))
            for ws in [*flood, member, fac]:
                await ws.close()
    refused = ", ".join(f"{c} {n}" for c, n in tally.codes.items() if c != "waiting")
    outcome = "waits in the lobby" if answer == "welcome" else f"refused: {answer}"
    print(
        f"4. lobby flood: {scale.lobby_flood} people from 127.0.0.6 with the invite: "
        f"{tally.codes['waiting']} waiting, refused {refused or 'none'}; "
        f"a real member from {REAL} then {outcome}"
    )


# ------------------------------------------------------------------ running


def _ws_url(url: str) -> str:
    return "ws" + url.removeprefix("http") + "/ws"


async def _run(url: str, credentials: dict[str, str], scale: Scale) -> None:
    ws_url = _ws_url(url)
    lobby_credential = credentials.pop("lobby")
    await signin_flood(ws_url, credentials, scale)
    await asyncio.sleep(1.0)  # the server notices the flood's closed sockets
    await connection_flood(ws_url, scale)
    await asyncio.sleep(1.0)
    await message_flood(ws_url, scale)
    await lobby_flood(ws_url, lobby_credential, scale)


def main(*, quick: bool) -> None:
    """Start a server with its default limits and run the four attacks against it."""
    scale = QUICK if quick else Scale()
    raise_file_limit(2 * (scale.signin_connections + scale.connection_flood) + 512)
    with tempfile.TemporaryDirectory() as state:
        store = CredentialStore(Path(state))
        credentials = {f"bench{i}": store.add(f"bench{i}") for i in range(2 * scale.samples)}
        credentials["lobby"] = store.add("lobby")
        with running_server(state) as (url, _pid):
            asyncio.run(_run(url, dict(credentials), scale))
        # the case: every flood connection gets in and sends bad credentials
        credentials.pop("lobby")
        lifted = str(2 * scale.signin_connections)
        print(
            "with the per-address connection cap and message budget lifted, so that only the "
            "sign-in bounds protect:"
        )
        with running_server(
            state,
            "--max-connections-per-address",
            lifted,
            "--address-rate",
            "1e9",
            "--address-burst",
            "1e9",
        ) as (url, _pid):
            asyncio.run(signin_flood(_ws_url(url), credentials, scale, "1b. sign-in flood"))


if __name__ == "__main__" and sys.argv[1:2] == ["flood-sign-ins"]:
    _url, _connections, _seconds = sys.argv[2:5]
    _tally = asyncio.run(_flood_sign_ins(_url, int(_connections), float(_seconds)))
    print(json.dumps(_tally.__dict__))
