"""Property-based fuzzing of the protocol over real WebSockets to a real server on 127.0.0.1.

Each example opens a connection in some stage (new, waiting in a live room's
lobby, admitted to a room, signed-in facilitator), sends a batch of random
JSON, random text and near-valid messages, then a sentinel, and checks every
reply: each parses as a server message, none is ``internal``, and a lobby
connection never receives anything but errors. Meanwhile a live room (Ana and
Bea) keeps relaying; at the end it still works and the server still admits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_harness import Net, Peer

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientChat,
    ClientSfu,
    ClientSignal,
    EndRoom,
    Error,
    FacilitatorHello,
    Leave,
    Lobby,
    MemberLeft,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    Remove,
    ServerApp,
    ServerChat,
    ServerMessage,
    ServerSignal,
    Welcome,
    encode,
    parse_client_message,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.server.app import RunningServer, ServerConfig, SfuConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.limits import LimitSettings
from janus_harness import needs_janus, running_janus, sfu_config

EXAMPLES = int(os.environ.get("GROUPDESK_FUZZ_EXAMPLES", "125"))
BATCH = (80, 88)  # messages per example: 125 * 80 = 10,000 at least
STAGES = ("new", "lobby", "member", "facilitator")
SENTINEL = json.dumps({"v": 999, "ref": "end-of-batch"})


class Drain:
    """Reads a live peer continuously; every frame must parse; remembers the latest lobby."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.received: list[ServerMessage] = []
        self.problems: list[str] = []
        self.lobby: Lobby | None = None
        self._arrived = asyncio.Event()
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        async for frame in self.peer.ws:
            try:
                message = parse_server_message(frame.data)
            except Exception as error:  # recorded, asserted at the end
                self.problems.append(f"{type(error).__name__}: {frame.data!r:.200}")
                continue
            if isinstance(message, Error) and message.code == "internal":
                self.problems.append("internal error reply")
            if isinstance(message, Lobby):
                self.lobby = message
            self.received.append(message)
            self._arrived.set()

    async def until(self, found: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``found()`` holds of what has arrived (checked at each frame)."""
        async with asyncio.timeout(timeout):
            while not found():
                self._arrived.clear()
                await self._arrived.wait()

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


@dataclass
class World:
    server: RunningServer
    net: Net
    fuzz_credential: str
    ana: Drain
    bea: Drain
    ana_seat: Admitted
    bea_seat: Admitted
    live_invite: str
    host: Drain  # facilitator of the room fuzz members are admitted to
    host_invite: str
    host_seat: Admitted
    known_ids: list[str] = field(default_factory=list)
    fuzz_members: list[str] = field(default_factory=list)
    """Every member a fuzz example was admitted as (removed at its end)."""
    sent: int = 0
    problems: list[str] = field(default_factory=list)
    replies: Counter[str] = field(default_factory=Counter)


async def _seat_in(net: Net, host: Peer, invite: str, name: str) -> tuple[Peer, Admitted]:
    peer = await net.waiting(invite, name)
    lobby = await host.expect(Lobby)
    await host.send(Admit(member=lobby.waiting[-1].member))
    admitted = await peer.expect(Admitted)
    return peer, admitted


async def _setup(tmp_path: Path, sfu: SfuConfig | None = None) -> World:
    store = CredentialStore(tmp_path, cost=2**4)  # scrypt's cost is not under test here
    creds = {name: store.add(name) for name in ("ana", "host", "fuzz")}
    config = ServerConfig(
        rate_per_second=1e6,
        rate_burst=1e6,
        max_auth_failures=10**6,
        # every fuzz peer is 127.0.0.1: the per-address limits are tested in test_abuse.py
        limits=LimitSettings(address_rate_per_second=1e6, address_rate_burst=1e6),
        sfu=sfu,
    )
    server = await start_server("127.0.0.1", 0, config=config, credentials=store)
    net = Net(server.url)
    ana = await net.facilitator("ana", creds["ana"], "Ana")
    opened, ana_seat = await net.open_room(ana)
    bea, bea_seat = await _seat_in(net, ana, opened.invite, "Bea")
    await ana.recv()  # member_joined
    await ana.recv()  # lobby (empty again)
    host = await net.facilitator("host", creds["host"], "Host")
    host_opened, host_seat = await net.open_room(host)
    world = World(
        server=server,
        net=net,
        fuzz_credential=creds["fuzz"],
        ana=Drain(ana),
        bea=Drain(bea),
        ana_seat=ana_seat,
        bea_seat=bea_seat,
        live_invite=opened.invite,
        host=Drain(host),
        host_invite=host_opened.invite,
        host_seat=host_seat,
    )
    world.known_ids = [ana_seat.member, bea_seat.member, host_seat.member]
    net.peers.clear()  # the drains own these; net.peers holds one example's peers at a time
    return world


# --------------------------------------------------------------------- strategies

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=12,
)
member_ids = st.sampled_from(["0a1b2c3d4e5f", "ffffffffffff", "XYZ", ""]) | st.text(
    "0123456789abcdef", min_size=12, max_size=12
)
tokens = st.text("abcdefABCDEF0123456789_-", min_size=16, max_size=60)
names = st.text(min_size=1, max_size=70)


SELF = "5e1f5e1f5e1f"
"""Stands for the sending member's own id (known only once admitted): replaced in each
frame an admitted member sends, so that its own feed is offered to the media server."""


def _templates(
    known: list[str], fuzz_credential: str, invites: list[tuple[str, str]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid-looking message objects of every client type, with real and fake ids."""
    ids = member_ids | st.sampled_from([*known, SELF])
    small = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
    room_ids = st.text("abcdefgh_-", min_size=8, max_size=12)
    question = st.fixed_dictionaries(
        {"id": st.text("abc_9", min_size=1, max_size=6), "text": small | st.just({"en": "ok"})}
    )
    return st.one_of(
        st.builds(
            lambda rk: {"type": "inquire", "room": rk[0], "secret": rk[1]},
            st.sampled_from(invites) | st.tuples(room_ids, tokens),
        ),
        st.builds(
            lambda q: {"type": "open_room", "questions": q},
            st.lists(question, max_size=3) | json_values,
        ),
        st.builds(
            lambda n, c, d: (
                {"type": "hello", "role": "facilitator", "name": n, "credential": c}
                | ({"display_name": d} if d else {})
            ),
            st.sampled_from(["fuzz", "nobody", "ana"]),
            st.sampled_from([fuzz_credential]) | tokens,
            st.none() | names,
        ),
        st.builds(
            lambda r, k, n, d: {
                "type": "hello",
                "role": "participant",
                "room": r,
                "secret": k,
                "display_name": n,
                "declared": d,
            },
            st.text("abcdefgh_-", min_size=8, max_size=12),
            tokens,
            names,
            st.dictionaries(st.text("abc_", min_size=1, max_size=5), json_values, max_size=4),
        ),
        st.just({"type": "open_room"}),
        st.builds(lambda r, k: {"type": "join_room", "room": r, "secret": k}, tokens, tokens),
        st.builds(
            lambda t, m: {"type": t, "member": m},
            st.sampled_from(["admit", "decline", "remove"]),
            ids,
        ),
        st.just({"type": "end_room"}),
        st.builds(lambda t: {"type": "resume", "token": t}, tokens),
        st.builds(lambda to, p: {"type": "signal", "to": to, "payload": p}, ids, small),
        st.builds(
            lambda text, to: {"type": "chat", "text": text} | ({"to": to} if to else {}),
            st.text(max_size=50),
            st.none() | ids,
        ),
        st.builds(
            lambda e, d: {"type": "app", "event": e, "data": d},
            st.sampled_from(
                [
                    *("raise_hand", "lower_hand", "safety_signal", "turn_state", "reaction"),
                    *("side_room", "share", "share_permission", "media_state", "bogus"),
                ]
            ),
            small,
        ),
        # the media server's messages, valid in shape (near_valid breaks some; in a mesh
        # room they are refused, never a crash) and the uplink reports of media_mode auto
        st.builds(
            lambda f, t, sdp: (
                {"type": "sfu", "feed": f, "kind": "offer", "sdp": sdp}
                | ({"track": t} if t else {})
            ),
            ids,
            st.sampled_from(["", "camera", "share"]),
            st.sampled_from(["v=0\r\n", "x"]) | st.text(min_size=1, max_size=40),
        ),
        st.builds(
            lambda f, k, sdp: {"type": "sfu", "feed": f, "kind": k, "sdp": sdp},
            ids,
            st.sampled_from(["answer", "offer"]),
            st.text(min_size=1, max_size=40),
        ),
        st.builds(
            lambda f, layer: {"type": "sfu", "feed": f, "kind": "layer", "layer": layer},
            ids,
            st.sampled_from([-1, 0, 1, 2, 3]),
        ),
        st.builds(
            lambda f, c: (
                {"type": "sfu", "feed": f, "kind": "candidate"}
                | ({"candidate": c, "mid": "0", "mline": 0} if c else {})
            ),
            ids,
            st.sampled_from(["", "candidate:1 1 udp 1 127.0.0.1 9 typ host"]),
        ),
        st.builds(lambda f: {"type": "sfu", "feed": f, "kind": "none"}, ids),
        st.builds(
            lambda kbps, streams, limited: {
                "type": "uplink",
                "kbps": kbps,
                "streams": streams,
                "limited": limited,
            },
            st.sampled_from([0, 150, 900, 10**6]),
            st.sampled_from([1, 2, 11]),
            st.booleans(),
        ),
    )


_MUTATIONS = st.sampled_from(
    ["none", "none", "drop", "retype", "extra", "version", "type", "huge", "array"]
)
_VERSIONS = st.sampled_from([0, 2, "1", 1.0, True, None, -1])
_TYPES = st.sampled_from(["welcome", "admitted", "signal", "", "HELLO"])
_SIZES = st.sampled_from([70, 3000, 70_000])
_KEYS = st.text(max_size=8)


@st.composite
def near_valid(draw: st.DrawFn, templates: st.SearchStrategy[dict[str, Any]]) -> str:
    """A valid-looking message, left alone or broken in one way."""
    body = {"v": 1, **draw(templates)}
    mutation = draw(_MUTATIONS)
    keys = sorted(body)
    if mutation == "drop":
        body.pop(draw(st.sampled_from(keys)))
    elif mutation == "retype":
        body[draw(st.sampled_from(keys))] = draw(json_values)
    elif mutation == "extra":
        body[draw(_KEYS)] = draw(json_values)
    elif mutation == "version":
        body["v"] = draw(_VERSIONS)
    elif mutation == "type":
        body["type"] = draw(_TYPES)
    elif mutation == "huge":
        body[draw(st.sampled_from(keys))] = "x" * draw(_SIZES)
    elif mutation == "array":
        return json.dumps([body])
    return json.dumps(body)


def relays(host_member: str) -> st.SearchStrategy[str]:
    """A valid message from an admitted member that the host must receive (sent first)."""
    lines = st.text(st.characters(exclude_categories=["Cc"]), min_size=1, max_size=50).filter(
        str.strip
    )
    payloads = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
    bodies = st.one_of(
        st.builds(lambda t: {"type": "chat", "text": t}, lines),
        st.builds(lambda t: {"type": "chat", "text": t, "to": host_member}, lines),
        st.builds(lambda p: {"type": "signal", "to": host_member, "payload": p}, payloads),
    )
    return bodies.map(lambda body: json.dumps({"v": 1, **body}))


class Batch(list[str]):
    """Frames to send; printed shortened, so that a failing example's report stays readable.

    Frames of 70,000 characters printed in full make hypothesis warn "overly large
    repr", which ``filterwarnings = error`` turns into the test's only visible error.
    """

    def __repr__(self) -> str:
        return f"Batch([{', '.join(map(_short, self))}])"


def _short(frame: str) -> str:
    if len(frame) <= 160:
        return repr(frame)
    return f"{frame[:120]!r} + ... ({len(frame):,} chars)"


def frames(
    known: list[str], fuzz_credential: str, invites: list[tuple[str, str]]
) -> st.SearchStrategy[str]:
    templates = _templates(known, fuzz_credential, invites)
    return st.one_of(
        near_valid(templates),
        near_valid(templates),
        json_values.map(json.dumps),
        st.text(max_size=40),
    )


# --------------------------------------------------------------------- one example


async def _connection(world: World, stage: str) -> tuple[Peer, str | None]:
    """A connection in ``stage``, and its member id in the host's room if admitted there."""
    net = world.net
    if stage == "new":
        return await net.peer(), None
    if stage == "lobby":
        return await net.waiting(world.live_invite, "Waiting " + secrets.token_hex(3)), None
    if stage == "facilitator":
        return await net.facilitator("fuzz", world.fuzz_credential), None
    name = "Member " + secrets.token_hex(3)
    peer = await net.waiting(world.host_invite, name)
    found: list[str] = []

    def arrived() -> bool:
        lobby = world.host.lobby
        found[:] = [w.member for w in lobby.waiting if w.display_name == name] if lobby else []
        return bool(found)

    await world.host.until(arrived)
    await world.host.peer.send(Admit(member=found[0]))
    await peer.expect(Admitted)
    world.fuzz_members.append(found[0])
    return peer, found[0]


def _may_close(text: str) -> bool:
    """Whether the server may close the connection after this frame (leave, end_room)."""
    try:
        return isinstance(parse_client_message(text), Leave | EndRoom)
    except ProtocolError:
        return False


async def _fuzz_once(world: World, stage: str, batch: list[str], opening: str) -> None:
    """Send ``batch`` from a connection in ``stage``; every frame reaches a live connection.

    An admitted member sends ``opening`` first. Whatever happens, the example ends
    with its sockets closed and its seat freed: every fuzz peer is 127.0.0.1, so
    leftovers of a failing example would count against the per-address caps (and the
    host room's seats) in the examples hypothesis runs next to shrink it, and those
    would fail for that reason instead of the real one.
    """
    member: str | None = None
    try:
        peer, member = await _connection(world, stage)
        if member is not None:
            batch = [frame.replace(SELF, member) for frame in batch]
            if world.server.server.sfu is not None:  # its own feed, offered to Janus at once
                own = {"v": 1, "type": "sfu", "feed": member, "kind": "offer", "sdp": "v=0\r\n"}
                batch = [json.dumps(own), *batch]
        await _send_batch(world, peer, [opening, *batch] if member else batch, stage)
    finally:
        for peer in world.net.peers:
            await peer.close()
        world.net.peers.clear()
        if member is not None:  # free the seat now rather than after the grace period
            await world.host.peer.send(Remove(member=member))
            # gone from the room (removed, or left during the batch); everything it
            # relayed reached the host before this
            await world.host.until(
                lambda: any(
                    isinstance(m, MemberLeft) and m.member == member for m in world.host.received
                )
            )


async def _send_batch(world: World, peer: Peer, batch: list[str], stage: str) -> None:
    lobby_only = stage == "lobby"  # until the lobby connection is gone
    for i, text in enumerate(batch):
        await peer.send(text)
        world.sent += 1
        if _may_close(text) or i == len(batch) - 1:
            await peer.send(SENTINEL)
            still_open = await _check_replies(world, peer, lobby_only=lobby_only)
            if not still_open:
                await peer.close()
                peer, lobby_only = await world.net.peer(), False


async def _check_replies(world: World, peer: Peer, *, lobby_only: bool) -> bool:
    """Read replies up to the sentinel's (True) or until the server closes (False)."""
    while True:
        frame = await peer.ws.receive(10)
        if frame.type != aiohttp.WSMsgType.TEXT:
            return False  # closed by the server after a leave or the end of the room
        try:
            message = parse_server_message(frame.data)
        except Exception as error:
            world.problems.append(f"unparseable reply {type(error).__name__}: {frame.data:.200}")
            continue
        world.replies[message.code if isinstance(message, Error) else message.TYPE] += 1
        if isinstance(message, Error) and message.code == "internal":
            world.problems.append("internal error reply")
        if lobby_only and not isinstance(message, Error):
            world.problems.append(f"lobby connection received {type(message).__name__}")
        if isinstance(message, Error) and message.ref == "end-of-batch":
            return True


# --------------------------------------------------------------------- the test


@pytest.mark.slow
@pytest.mark.parametrize("media", ["mesh", pytest.param("sfu", marks=needs_janus)])
def test_fuzzing_never_breaks_the_server_or_a_live_room(tmp_path: Path, media: str) -> None:
    """Both kinds of room: member to member, and through a real Janus, where each example
    is an admitted member whose ``sfu`` messages about its own feed reach the bridge and
    Janus (fewer examples: each member opens a Janus session)."""
    loop = asyncio.new_event_loop()
    janus = running_janus() if media == "sfu" else None
    sfu = sfu_config(loop.run_until_complete(janus.__aenter__())) if janus else None
    examples = EXAMPLES if sfu is None else max(1, EXAMPLES // 3)
    world = loop.run_until_complete(_setup(tmp_path, sfu))
    bridge = world.server.server.sfu
    to_bridge: Counter[str] = Counter()  # sfu messages the rules let through, by kind
    if bridge is not None:
        submit = bridge.submit

        def counted(room: str, member: str, message: ClientSfu) -> None:
            to_bridge[message.kind] += 1
            submit(room, member, message)

        bridge.submit = counted  # type: ignore[method-assign]
    try:
        # through Janus, what differs is what admitted members may send: every example is one
        stages = st.sampled_from(STAGES) if bridge is None else st.just("member")
        invites = [
            (i.room, i.secret)
            for i in map(parse_invite_link, (world.live_invite, world.host_invite))
        ]
        batches = st.lists(
            frames(world.known_ids, world.fuzz_credential, invites),
            min_size=BATCH[0],
            max_size=BATCH[1],
        ).map(Batch)

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(stage=stages, batch=batches, opening=relays(world.host_seat.member))
        def fuzz(stage: str, batch: Batch, opening: str) -> None:
            loop.run_until_complete(asyncio.wait_for(_fuzz_once(world, stage, batch, opening), 30))

        fuzz()
        assert world.sent >= examples * BATCH[0]
        assert world.problems == []
        # the batches reached past the parser into the rules, not just its first refusals
        expected = {"bad_json", "bad_message", "unsupported_version", "out_of_order"}
        expected |= {"unknown_member", "too_large"}
        if sfu is None:
            expected |= {"not_authenticated", "not_admitted", "welcome"}
            expected |= {"bad_credential", "resume_expired", "bad_invite", "room_opened"}
            expected |= {"not_sfu", "uplink_not_watched"}
        assert expected <= set(world.replies), world.replies
        if bridge is not None:
            # offers of members' own feeds (junk SDP) reached Janus through the bridge...
            assert to_bridge["offer"] > 0, to_bridge
            loop.run_until_complete(bridge.settled())
            # ... and every fuzz member, removed, lost its Janus session
            room = parse_invite_link(world.host_invite).room
            assert world.fuzz_members
            assert [m for m in world.fuzz_members if bridge.session_id(room, m)] == []
        relayed = sum(
            isinstance(m, ServerSignal | ServerChat | ServerApp) for m in world.host.received
        )
        assert relayed > 0, [type(m).__name__ for m in world.host.received]
        loop.run_until_complete(asyncio.wait_for(_live_room_still_works(world), 30))
        for drain in (world.ana, world.bea, world.host):
            assert drain.problems == []
    finally:
        loop.run_until_complete(_teardown(world))
        if janus is not None:
            loop.run_until_complete(janus.__aexit__(None, None, None))
        loop.close()


async def _live_room_still_works(world: World) -> None:
    async with world.net.session.get(world.server.url + "/health") as response:
        assert response.status == 200
    ana, bea = world.ana, world.bea
    before = len(bea.received)
    await ana.peer.send(ClientSignal(to=world.bea_seat.member, payload={"sdp": "after fuzz"}))
    await bea.peer.send(ClientChat(text="still here"))
    try:
        await bea.until(lambda: any(isinstance(m, ServerSignal) for m in bea.received[before:]))
        await ana.until(
            lambda: any(isinstance(m, ServerChat) and m.text == "still here" for m in ana.received)
        )
    except TimeoutError:
        raise AssertionError("the live room stopped relaying") from None
    # nobody from the fuzz ever reached Ana's room: members are still exactly Ana and Bea
    late = await world.net.waiting(world.live_invite, "Late")
    waiting: list[str] = []

    def late_waits() -> bool:
        lobby = ana.lobby
        waiting[:] = [w.member for w in lobby.waiting if w.display_name == "Late"] if lobby else []
        return bool(waiting)

    await ana.until(late_waits)
    await ana.peer.send(Admit(member=waiting[0]))
    admitted = await late.expect(Admitted)
    assert {m.display_name for m in admitted.members} == {"Ana", "Bea", "Late"}
    fresh = await world.net.peer()
    await fresh.send(encode(OpenRoom()))
    assert (await fresh.expect(Error)).code == "not_authenticated"
    await fresh.send(FacilitatorHello(name="fuzz", credential=world.fuzz_credential))
    await fresh.expect(Welcome)
    await fresh.send(ParticipantHello(room="abcdefgh", secret="k" * 20, display_name="x"))
    assert (await fresh.expect(Error)).code == "out_of_order"


async def _teardown(world: World) -> None:
    for drain in (world.ana, world.bea, world.host):
        await drain.stop()
        await drain.peer.close()
    await world.net.close()
    await world.server.stop()
