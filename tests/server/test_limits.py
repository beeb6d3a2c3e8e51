"""The abuse limits on their own: addresses, budgets, lobby shares, the sign-in queue, the cache.

Every rule here takes a hand-driven clock; nothing opens a socket.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from groupdesk.core.protocol import ErrorCode, ProtocolError
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.limits import (
    AddressLimits,
    LimitSettings,
    TokenBucket,
    address_key,
    client_host,
)
from groupdesk.server.signin import SignInQueue


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_an_ipv6_host_counts_as_its_whole_slash_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_key("192.0.2.7") != address_key("192.0.2.8")
    assert address_key("fe80::1%eth0") == address_key("fe80::2")
    assert address_key(None) == "?"


def test_only_a_trusted_proxy_says_who_the_client_is() -> None:
    proxy = ("10.0.0.5",)
    assert client_host("10.0.0.5", "198.51.100.7", proxy) == "198.51.100.7"
    assert client_host("::ffff:10.0.0.5", "198.51.100.7", proxy) == "198.51.100.7"
    # the client may write anything on the left; the entry the proxy added is the last one
    assert client_host("10.0.0.5", "1.2.3.4, 198.51.100.7", proxy) == "198.51.100.7"
    assert client_host("10.0.0.5", "198.51.100.7, 10.0.0.5", proxy) == "198.51.100.7"
    assert client_host("10.0.0.5", "not-an-address", proxy) == "10.0.0.5"
    assert client_host("10.0.0.5", None, proxy) == "10.0.0.5"
    assert client_host("203.0.113.9", "198.51.100.7", proxy) == "203.0.113.9"  # not trusted
    assert client_host("10.0.0.5", "198.51.100.7", ()) == "10.0.0.5"
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        LimitSettings(trusted_proxies=("proxy.example.org",))


def test_connections_are_capped_per_address_and_in_total() -> None:
    limits = AddressLimits(LimitSettings(max_connections=5, max_connections_per_address=3))
    assert [limits.open(c, "192.0.2.1") for c in (1, 2, 3)] == [None, None, None]
    assert limits.open(4, "192.0.2.1") == ErrorCode.TOO_MANY_CONNECTIONS
    assert limits.open(5, "192.0.2.2") is None
    assert limits.open(6, "192.0.2.2") is None
    assert limits.open(7, "192.0.2.3") == ErrorCode.SERVER_FULL
    limits.close(1)
    limits.close(4)  # was refused: nothing to free
    assert limits.connection_count == 4
    assert limits.open(8, "192.0.2.1") is None


def test_twenty_sockets_of_one_address_share_one_message_budget() -> None:
    clock = Clock()
    settings = LimitSettings(address_rate_per_second=2.0, address_rate_burst=10.0)
    limits = AddressLimits(settings, clock)
    for conn in range(20):
        assert limits.open(conn, "192.0.2.1") is None
    limits.open(99, "192.0.2.2")
    accepted = sum(limits.take_message(conn) for conn in range(20) for _ in range(5))
    assert accepted == 10  # one budget for the address, not twenty
    assert limits.take_message(99)  # another address is untouched
    clock.now += 1.0
    assert sum(limits.take_message(conn) for conn in range(20)) == 2


def test_an_address_that_reconnects_does_not_get_a_fresh_budget() -> None:
    clock = Clock()
    settings = LimitSettings(address_rate_per_second=1.0, address_rate_burst=3.0)
    limits = AddressLimits(settings, clock)
    limits.open(1, "192.0.2.1")
    assert [limits.take_message(1) for _ in range(4)] == [True, True, True, False]
    limits.close(1)
    limits.open(2, "192.0.2.1")
    assert not limits.take_message(2)
    clock.now += 1.0
    assert limits.take_message(2)


def test_token_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=1.0, burst=2.0, clock=clock)
    assert [bucket.take(), bucket.take(), bucket.take()] == [True, True, False]
    clock.now += 10.0
    assert bucket.full()
    assert [bucket.take(), bucket.take(), bucket.take()] == [True, True, False]


def test_one_address_holds_at_most_its_share_of_a_lobby() -> None:
    limits = AddressLimits(LimitSettings(lobby_places_per_address=2))
    waiting: set[int] = set()
    for conn in (1, 2, 3, 4):
        limits.open(conn, "192.0.2.1")
    limits.open(9, "192.0.2.9")
    for conn in (1, 2):
        assert limits.lobby_has_place(conn, "room", waiting.__contains__)
        limits.entered_lobby(conn, "room")
        waiting.add(conn)
    assert not limits.lobby_has_place(3, "room", waiting.__contains__)
    assert limits.lobby_has_place(3, "other-room", waiting.__contains__)
    assert limits.lobby_has_place(9, "room", waiting.__contains__)  # someone else
    waiting.discard(1)  # admitted: no longer holds a lobby place
    assert limits.lobby_has_place(3, "room", waiting.__contains__)
    limits.close(2)
    limits.entered_lobby(3, "room")
    waiting.add(3)
    assert limits.lobby_has_place(4, "room", waiting.__contains__)


# ------------------------------------------------------------------ sign-in queue


def _queue(clock: Clock, **settings: float) -> SignInQueue:
    return SignInQueue(LimitSettings(**settings), clock)  # type: ignore[arg-type]


def test_addresses_take_turns_so_a_flood_delays_another_by_one_check() -> None:
    clock = Clock()
    queue = _queue(clock, signin_workers=1, signin_per_address=3)
    flood = [queue.submit("flood") for _ in range(3)]
    started, _ = queue.start_next()
    assert started == [flood[0]]
    real = queue.submit("real")
    queue.finish(flood[0])
    started, _ = queue.start_next()
    assert started == [flood[1]]  # its turn came before the real one arrived
    queue.finish(flood[1])
    started, _ = queue.start_next()
    assert started == [real]  # served before the flood's third


def test_one_address_never_holds_every_worker() -> None:
    queue = _queue(Clock(), signin_workers=2, signin_per_address=2)
    flood = [queue.submit("flood"), queue.submit("flood")]
    started, _ = queue.start_next()
    assert started == [flood[0]]  # the second waits: one check at a time per address
    real = queue.submit("real")
    started, _ = queue.start_next()
    assert started == [real]  # a free worker, at once
    queue.finish(flood[0])
    started, _ = queue.start_next()
    assert started == [flood[1]]


def test_an_address_over_its_share_is_refused_at_once() -> None:
    clock = Clock()
    queue = _queue(clock, signin_workers=1, signin_per_address=2, signin_queue=3)
    first, _second = queue.submit("flood"), queue.submit("flood")
    with pytest.raises(ProtocolError) as refused:
        queue.submit("flood")
    assert refused.value.error_code == ErrorCode.SIGN_IN_BUSY
    queue.start_next()
    queue.finish(first)
    queue.submit("flood")  # one finished: room again
    queue.submit("a")
    with pytest.raises(ProtocolError) as full:
        queue.submit("b")  # three waiting: the server's queue is full
    assert full.value.error_code == ErrorCode.SIGN_IN_BUSY


def test_a_sign_in_waiting_past_its_deadline_is_refused_not_run() -> None:
    clock = Clock()
    queue = _queue(clock, signin_workers=1, signin_per_address=2, signin_wait_seconds=5.0)
    running = queue.submit("a")
    queue.start_next()
    late = queue.submit("b")
    clock.now += 5.0
    fresh = queue.submit("c")
    queue.finish(running)
    started, expired = queue.start_next()
    assert (started, expired) == ([fresh], [late])
    assert queue.queued == 0
    queue.submit("b")  # the expired one no longer counts against its address
    queue.submit("b")


def test_a_cancelled_sign_in_frees_its_place() -> None:
    queue = _queue(Clock(), signin_workers=1, signin_per_address=1)
    queue.start_next()
    ticket = queue.submit("a")
    queue.cancel(ticket)
    queue.cancel(ticket)  # twice: no harm
    assert queue.queued == 0
    queue.submit("a")


# ------------------------------------------------------------------ credential cache


def test_a_verified_credential_is_remembered_for_its_lifetime_only(tmp_path: Path) -> None:
    clock = Clock()
    store = CredentialStore(tmp_path, cost=2**4, cache_seconds=60.0, clock=clock)
    credential = store.add("ana")
    assert not store.recently_verified("ana", credential)
    store.verify("ana", credential)
    assert store.recently_verified("ana", credential)
    assert not store.recently_verified("ana", credential + "x")
    assert not store.recently_verified("bob", credential)
    clock.now += 60.0
    assert not store.recently_verified("ana", credential)


def test_a_cached_credential_is_not_honoured_after_revoke_or_reissue(tmp_path: Path) -> None:
    server_side = CredentialStore(tmp_path, cost=2**4)
    credential = server_side.add("ana")
    server_side.verify("ana", credential)
    assert server_side.recently_verified("ana", credential)

    CredentialStore(tmp_path).revoke("ana")  # the administrator's command, another process
    assert not server_side.recently_verified("ana", credential)
    with pytest.raises(ProtocolError) as revoked:
        server_side.verify("ana", credential)
    assert revoked.value.error_code == ErrorCode.CREDENTIAL_REVOKED

    new = CredentialStore(tmp_path, cost=2**4).add("ana")
    server_side.verify("ana", new)
    assert server_side.recently_verified("ana", new)
    assert not server_side.recently_verified("ana", credential)


def test_no_cache_when_its_lifetime_is_zero(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path, cost=2**4, cache_seconds=0.0)
    credential = store.add("ana")
    store.verify("ana", credential)
    assert not store.recently_verified("ana", credential)


def test_limit_settings_refuse_absurd_values() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LimitSettings(max_connections_per_address=0)
    with pytest.raises(ValueError, match="able to send"):
        LimitSettings(address_rate_per_second=0)
    with pytest.raises(ValueError, match="sign-in wait"):
        LimitSettings(signin_wait_seconds=0)
