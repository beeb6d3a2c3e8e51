"""The server under abuse, over real sockets: floods from one address leave room for others.

The flood comes from 127.0.0.2 (another loopback address), the real people from
127.0.0.1 (and 127.0.0.3), so per-address limits apply as they would on a network.
Nothing here measures time: ``benchmarks/bench_server.py --abuse`` prints the figures.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from server_harness import Net, Peer, run_async, serving

from groupdesk.core.protocol import (
    ClientChat,
    Error,
    ErrorCode,
    FacilitatorHello,
    ParticipantHello,
    ProtocolError,
    Welcome,
    parse_invite_link,
)
from groupdesk.server.app import ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.limits import LimitSettings
from groupdesk.server.rooms import RoomRules

BAD = "bad-credential-" + "x" * 20


class _SlowBadCredentials(CredentialStore):
    """A bad credential's check holds its worker until ``release`` (scrypt under load)."""

    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir, cost=2**4)
        self.release = threading.Event()

    def verify(self, name: str, credential: str) -> None:
        if credential == BAD:
            self.release.wait(timeout=60)
            raise ProtocolError(ErrorCode.BAD_CREDENTIAL)
        super().verify(name, credential)


async def _registered(net: Net) -> Peer:
    """A connection the server has counted (it answered a first message)."""
    peer = await net.peer()
    await peer.send(ClientChat(text="hello?"))
    await peer.expect_error("not_authenticated")
    return peer


@run_async
async def test_a_flood_of_bad_sign_ins_is_turned_away_while_real_ones_are_served(
    tmp_path: Path,
) -> None:
    store = _SlowBadCredentials(tmp_path)
    ana_credential, bob_credential = store.add("ana"), store.add("bob")
    limits = LimitSettings(signin_workers=1, signin_per_address=2, signin_wait_seconds=60)
    server = await start_server(
        "127.0.0.1", 0, config=ServerConfig(limits=limits), credentials=store
    )
    flood, real = Net(server.url, source="127.0.0.2"), Net(server.url)
    try:
        await real.facilitator("ana", ana_credential)  # verified once, before the flood

        bad = [await flood.peer() for _ in range(10)]
        for peer in bad:
            await peer.send(FacilitatorHello(name="ana", credential=BAD))
        replies = [asyncio.ensure_future(peer.expect(Error, timeout=60)) for peer in bad]
        answered = asyncio.as_completed(replies)
        first = [await asyncio.wait_for(next(answered), 10) for _ in range(8)]
        # one check holds the only worker, one waits: the address's share; the rest are refused
        assert [error.code for error in first] == ["sign_in_busy"] * 8

        # while the flood holds the worker: a facilitator already verified gets in at once
        await real.facilitator("ana", ana_credential)
        # and a first sign-in from another address takes its turn once the worker is free
        bob = await real.peer()
        await bob.send(FacilitatorHello(name="bob", credential=bob_credential))
        store.release.set()
        await bob.expect(Welcome)
        held = [await asyncio.wait_for(next(answered), 10) for _ in range(2)]
        assert [error.code for error in held] == ["bad_credential"] * 2
    finally:
        store.release.set()
        await flood.close()
        await real.close()
        await server.stop()


@run_async
async def test_a_sign_in_that_cannot_start_in_time_is_refused_not_left_hanging(
    tmp_path: Path,
) -> None:
    store = _SlowBadCredentials(tmp_path)
    credential = store.add("ana")
    limits = LimitSettings(signin_workers=1, signin_wait_seconds=0.5)
    server = await start_server(
        "127.0.0.1", 0, config=ServerConfig(limits=limits), credentials=store
    )
    flood, real = Net(server.url, source="127.0.0.2"), Net(server.url)
    try:
        holder = await flood.peer()
        await holder.send(FacilitatorHello(name="ana", credential=BAD))
        ana = await real.peer()
        await ana.send(FacilitatorHello(name="ana", credential=credential, ref="r1"))
        refused = await ana.expect_error("sign_in_timeout", timeout=10)
        assert refused.ref == "r1"
        store.release.set()
        await holder.expect_error("bad_credential")
        await ana.send(FacilitatorHello(name="ana", credential=credential))
        await ana.expect(Welcome)  # the refusal cost nothing: the same connection signs in
    finally:
        store.release.set()
        await flood.close()
        await real.close()
        await server.stop()


@run_async
async def test_connections_over_the_caps_are_refused_with_their_code(tmp_path: Path) -> None:
    config = ServerConfig(limits=LimitSettings(max_connections=5, max_connections_per_address=3))
    async with serving(tmp_path, config) as (server, net, _):
        other = Net(server.url, source="127.0.0.2")
        try:
            for _ in range(3):
                await _registered(net)
            extra = await net.peer()
            await extra.expect_error("too_many_connections")
            await extra.closed()
            for _ in range(2):
                await _registered(other)  # another address still gets in
            over = await other.peer()
            await over.expect_error("server_full")
            await over.closed()
        finally:
            await other.close()


@run_async
async def test_twenty_sockets_of_one_address_share_one_message_budget(tmp_path: Path) -> None:
    limits = LimitSettings(address_rate_per_second=0.01, address_rate_burst=10)
    async with serving(tmp_path, ServerConfig(limits=limits)) as (server, _, _):
        flood, alone = Net(server.url, source="127.0.0.2"), Net(server.url, source="127.0.0.3")
        try:
            codes = []
            for _ in range(20):
                peer = await flood.peer()
                await peer.send(ClientChat(text="one message from each socket"))
                codes.append((await peer.expect(Error)).code)
            assert codes.count("not_authenticated") == 10  # read and answered: the burst
            assert codes.count("address_rate_limited") == 10  # refused before reading
            await _registered(alone)  # another address has its own budget
        finally:
            await flood.close()
            await alone.close()


@run_async
async def test_a_lobby_flooded_from_one_address_leaves_room_for_others(tmp_path: Path) -> None:
    config = ServerConfig(
        rules=RoomRules(max_lobby=4), limits=LimitSettings(lobby_places_per_address=2)
    )
    async with serving(tmp_path, config) as (server, net, creds):
        flood, away = Net(server.url, source="127.0.0.2"), Net(server.url, source="127.0.0.3")
        try:
            ana = await net.facilitator("ana", creds["ana"])
            opened, _ = await net.open_room(ana)
            invite = parse_invite_link(opened.invite)
            await flood.waiting(opened.invite, "Flood 1")
            await flood.waiting(opened.invite, "Flood 2")
            third = await flood.peer()
            hello = ParticipantHello(
                room=invite.room, secret=invite.secret, display_name="Flood 3", ref="h3"
            )
            await third.send(hello)
            refused = await third.expect_error("lobby_address_full")
            assert refused.ref == "h3"
            await net.waiting(opened.invite, "Bea")  # real members still find a place
            await away.waiting(opened.invite, "Cid")
        finally:
            await flood.close()
            await away.close()


@run_async
async def test_a_remembered_credential_is_not_honoured_after_revoke(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, creds):
        await net.facilitator("ana", creds["ana"])  # verified: remembered
        await net.facilitator("ana", creds["ana"])  # from memory
        CredentialStore(tmp_path).revoke("ana")  # ``groupdesk-server facilitator revoke ana``
        again = await net.peer()
        await again.send(FacilitatorHello(name="ana", credential=creds["ana"]))
        await again.expect_error("credential_revoked")


@run_async
async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limits(
    tmp_path: Path,
) -> None:
    limits = LimitSettings(max_connections_per_address=1, trusted_proxies=("127.0.0.1",))
    async with serving(tmp_path, ServerConfig(limits=limits)) as (server, net, _):
        elsewhere = Net(server.url, source="127.0.0.2")
        try:
            for client in ("198.51.100.7", "198.51.100.8"):
                ws = await net.session.ws_connect(net.ws_url, headers={"X-Forwarded-For": client})
                net.peers.append(peer := Peer(net.session, ws))
                await peer.send(ClientChat(text="hello?"))
                await peer.expect_error("not_authenticated")  # each its own address
            again = await net.session.ws_connect(
                net.ws_url, headers={"X-Forwarded-For": "203.0.113.1, 198.51.100.7"}
            )
            net.peers.append(peer := Peer(net.session, again))
            await peer.expect_error("too_many_connections")  # the proxy's entry counts
            await _registered(elsewhere)
            spoofed = await elsewhere.session.ws_connect(
                elsewhere.ws_url, headers={"X-Forwarded-For": "198.51.100.9"}
            )
            elsewhere.peers.append(peer := Peer(elsewhere.session, spoofed))
            await peer.expect_error("too_many_connections")  # not a proxy: header ignored
        finally:
            await elsewhere.close()
