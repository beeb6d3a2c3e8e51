"""Per-address and server-wide limits on connections, messages and lobby places. No I/O.

One person can open many sockets; every budget that matters is therefore kept per
*address* as well as per connection: the connections an address may hold, a
message budget that all of its sockets share, and its share of any one lobby.
An IPv6 client owns a whole ``/64``, so that prefix counts as one address.

Loopback is not exempt: the embedded server and the tests connect from
127.0.0.1, and the defaults are generous enough for a whole demo (twelve
simulated participants and the app) on one machine. Exempting it would also
switch every per-address limit off, silently, behind a reverse proxy on the
same machine. Behind a proxy, name it in ``trusted_proxies``: its
``X-Forwarded-For`` then says who the client is (anyone else's is ignored).

The web layer (``app.py``) asks; this module decides, with an injected clock.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass

from groupdesk.core.protocol import ErrorCode

Clock = Callable[[], float]


@dataclass(frozen=True)
class LimitSettings:
    """What one address, and everyone together, may hold and send (server settings)."""

    max_connections: int = 4000
    """Open WebSocket connections, all addresses together."""
    max_connections_per_address: int = 64
    address_rate_per_second: float = 300.0
    address_rate_burst: float = 1500.0
    """Messages per second (and burst) of all of one address's connections together."""
    lobby_places_per_address: int = 12
    """Places one address may hold in one room's lobby (half of the default 24)."""
    signin_workers: int = 2
    """Credential checks (scrypt) that run at once, server-wide."""
    signin_per_address: int = 2
    """Credential checks one address may have running or waiting at once."""
    signin_running_per_address: int = 1
    """Credential checks of one address that run at once (the other workers stay free)."""
    signin_queue: int = 64
    """Credential checks waiting, server-wide; beyond that a sign-in is refused at once."""
    signin_wait_seconds: float = 5.0
    """A sign-in not started within this time is refused (``sign_in_timeout``)."""
    credential_cache_seconds: float = 600.0
    """A verified credential skips scrypt for this long (0: never); revoking clears it."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses of reverse proxies whose ``X-Forwarded-For`` header is believed."""

    def __post_init__(self) -> None:
        counts = (
            self.max_connections,
            self.max_connections_per_address,
            self.lobby_places_per_address,
            self.signin_workers,
            self.signin_per_address,
            self.signin_running_per_address,
            self.signin_queue,
        )
        if min(counts) < 1:
            raise ValueError("every connection, lobby and sign-in limit must be at least 1")
        if self.address_rate_per_second <= 0 or self.address_rate_burst < 1:
            raise ValueError("an address must be able to send")
        if self.signin_wait_seconds <= 0 or self.credential_cache_seconds < 0:
            raise ValueError("the sign-in wait must be positive, the cache lifetime not negative")
        for proxy in self.trusted_proxies:
            ipaddress.ip_address(proxy)  # ValueError if it is not an address


def client_host(
    remote: str | None, forwarded_for: str | None, trusted: tuple[str, ...]
) -> str | None:
    """Who is connecting: ``remote``, or what a trusted proxy says in ``X-Forwarded-For``.

    The header's entries are read from the right (the nearest proxy's); the first one
    that is not itself a trusted proxy is the client. A malformed entry ends the search
    at the last address a trusted proxy vouched for.
    """
    proxies = {_normal(proxy) for proxy in trusted}
    if remote is None or not forwarded_for or _normal(remote) not in proxies:
        return remote
    host = remote
    for entry in reversed(forwarded_for.split(",")):
        candidate = _normal(entry.strip())
        if candidate is None:
            return host
        host = candidate
        if candidate not in proxies:
            return host
    return host


def _normal(host: str) -> str | None:
    """``host`` as one spelling of its address (IPv4-mapped IPv6 as IPv4); None if not one."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def address_key(host: str | None) -> str:
    """The address a limit counts: IPv4 as is, IPv6 by its ``/64``, anything else verbatim."""
    if not host:
        return "?"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class TokenBucket:
    """``rate`` tokens per second, up to ``burst``; one token a message."""

    def __init__(self, rate: float, burst: float, clock: Clock = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self.tokens, self.stamp = burst, clock()

    def take(self) -> bool:
        """Spend one token if there is one."""
        self._refill()
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def full(self) -> bool:
        """Whether the bucket has refilled completely (nothing left to remember)."""
        self._refill()
        return self.tokens >= self.burst

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now


class AddressLimits:
    """Who holds which connection, each address's message budget and lobby places."""

    def __init__(self, settings: LimitSettings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._address: dict[int, str] = {}  # connection -> address key
        self._conns: dict[str, set[int]] = {}  # address key -> its open connections
        self._buckets: dict[str, TokenBucket] = {}
        self._lobby: dict[int, str] = {}  # connection -> room whose lobby it entered

    @property
    def connection_count(self) -> int:
        """Connections open, all addresses together."""
        return len(self._address)

    def address_of(self, conn: int) -> str:
        """The address key connection ``conn`` counts against."""
        return self._address.get(conn, "?")

    def open(self, conn: int, host: str | None) -> ErrorCode | None:
        """Record a new connection, or say why it is refused (then nothing is recorded)."""
        if len(self._address) >= self.settings.max_connections:
            return ErrorCode.SERVER_FULL
        key = address_key(host)
        held = self._conns.setdefault(key, set())
        if len(held) >= self.settings.max_connections_per_address:
            return ErrorCode.TOO_MANY_CONNECTIONS
        held.add(conn)
        self._address[conn] = key
        return None

    def close(self, conn: int) -> None:
        """Connection ``conn`` is gone (unknown connections are ignored)."""
        self._lobby.pop(conn, None)
        key = self._address.pop(conn, None)
        if key is None:
            return
        held = self._conns.get(key)
        if held is not None:
            held.discard(conn)
            if not held:
                del self._conns[key]
                bucket = self._buckets.get(key)
                # an address that disconnects keeps an emptied budget until it refills
                if bucket is not None and bucket.full():
                    del self._buckets[key]
        if len(self._buckets) > 4 * len(self._conns) + 1024:
            self._forget_refilled()

    def take_message(self, conn: int) -> bool:
        """Spend one message of ``conn``'s address's shared budget."""
        key = self._address.get(conn)
        if key is None:
            return False
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(
                self.settings.address_rate_per_second,
                self.settings.address_rate_burst,
                self._clock,
            )
        return bucket.take()

    def lobby_has_place(self, conn: int, room: str, waiting: Callable[[int], bool]) -> bool:
        """Whether ``conn``'s address may take one more place in ``room``'s lobby.

        ``waiting(c)`` tells whether connection ``c`` is still in a lobby (admitted,
        declined and closed connections no longer hold a place).
        """
        key = self._address.get(conn)
        held = 0
        for other in self._conns.get(key, ()) if key is not None else ():
            if other != conn and self._lobby.get(other) == room:
                if waiting(other):
                    held += 1
                else:
                    del self._lobby[other]
        return held < self.settings.lobby_places_per_address

    def entered_lobby(self, conn: int, room: str) -> None:
        """Connection ``conn`` now waits in ``room``'s lobby."""
        if conn in self._address:
            self._lobby[conn] = room

    def _forget_refilled(self) -> None:
        for key in [k for k, b in self._buckets.items() if k not in self._conns and b.full()]:
            del self._buckets[key]
