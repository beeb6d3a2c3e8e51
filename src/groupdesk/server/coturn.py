"""Start coturn (Debian's ``coturn`` package) with a configuration made from GroupDesk's.

coturn runs in its REST mode (``use-auth-secret``): it shares one secret with
``groupdesk-server``, which issues each admitted member a credential that expires
(:mod:`groupdesk.server.turn`). :func:`coturn_config` writes that configuration;
:class:`Coturn` starts ``turnserver`` on it, waits (bounded) until it answers, and
stops it. The tests, the demo and a production setup share the same configuration;
only the test one and the try-out one may relay to loopback.

Relaying to private and loopback ranges is denied (OWASP ASVS 5 V17: a TURN server
must not become a way into the organisation's own network). The one exception is
``loopback_peers=True`` (relaying to 127.0.0.1, nothing else), which :class:`Coturn`
accepts only where it opens no way in: in the tests' private network namespace, where
every member is on 127.0.0.1 and nothing else is reachable, and for a coturn that
listens and relays on loopback addresses alone (``scripts/media-servers``, a try-out
on one computer), which only this computer's programs reach -- and they reach
127.0.0.1 without it. Members relaying to each other on one computer need it: each
one's peer is the other's relay address on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shutil
import socket
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from groupdesk.server.child_process import ChildServer, start_child, write_private

DENIED_PEER_RANGES = (
    "0.0.0.0-0.255.255.255",
    "10.0.0.0-10.255.255.255",
    "100.64.0.0-100.127.255.255",
    "127.0.0.0-127.255.255.255",
    "169.254.0.0-169.254.255.255",
    "172.16.0.0-172.31.255.255",
    "192.0.0.0-192.0.0.255",
    "192.168.0.0-192.168.255.255",
    "198.18.0.0-198.19.255.255",
    "224.0.0.0-255.255.255.255",
    "::1",
    "64:ff9b::-64:ff9b::ffff:ffff",
    "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
)
"""Where coturn never relays to in production: this host, private and shared networks,
link-local and multicast (RFC 6890 special-purpose ranges)."""


@dataclass(frozen=True)
class CoturnSettings:
    """What coturn's configuration is made from: the same secret as ``groupdesk-server``."""

    secret: str
    listening_ip: str = "127.0.0.1"
    port: int = 3478
    relay_ip: str | None = None
    """The address relayed media leaves from (default: ``listening_ip``)."""
    min_port: int = 49160
    max_port: int = 49200
    realm: str = "groupdesk"
    loopback_peers: bool = False
    """Relay to 127.0.0.1: the tests' private namespace only (production denies it)."""
    external_ip: str | None = None
    """The public address members reach when coturn sits behind a 1:1 NAT."""
    host_name: str | None = None
    """The name in the TURN URLs (and the TLS certificate) instead of an address."""
    tls_cert: Path | None = None
    """With ``tls_key``: also TURN over TLS (``turns:``) on ``tls_port``, TLS 1.2 and up."""
    tls_key: Path | None = None
    tls_port: int = 5349

    def __post_init__(self) -> None:
        if not self.secret or any(c.isspace() for c in self.secret):
            raise ValueError("coturn needs a shared secret without spaces")
        ports = (self.port, self.tls_port)
        if not all(0 < p < 65536 for p in ports) or not 0 < self.min_port <= self.max_port < 65536:
            raise ValueError("coturn's ports are out of range")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("TURN over TLS needs both a certificate and its key")

    @property
    def tls(self) -> bool:
        """Whether coturn also listens for TURN over TLS."""
        return self.tls_cert is not None

    @property
    def this_computer_only(self) -> bool:
        """Whether coturn listens and relays on loopback addresses alone: only programs
        on this computer reach it, and its relays reach only this computer."""
        return _is_loopback(self.listening_ip) and _is_loopback(self.relay_ip or self.listening_ip)

    def turn_urls(self) -> tuple[str, ...]:
        """The URLs ``groupdesk-server --turn`` hands to admitted members."""
        name = self.host_name or self.external_ip or self.listening_ip
        host = f"[{name}]" if ":" in name else name
        urls = [f"turn:{host}:{self.port}?transport=udp"]
        if self.tls:  # for networks that let only TLS out (hotels, some workplaces)
            urls.append(f"turns:{host}:{self.tls_port}?transport=tcp")
        return tuple(urls)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def coturn_config(settings: CoturnSettings, state_dir: Path) -> str:
    """The text of ``turnserver.conf`` for ``settings``; coturn's files go in ``state_dir``."""
    lines = [
        "# Generated by groupdesk.server.coturn -- edit GroupDesk's settings, not this file.",
    ]
    if settings.listening_ip not in ("0.0.0.0", "::"):  # noqa: S104 - else: every address
        lines.append(f"listening-ip={settings.listening_ip}")
    relay_ip = settings.relay_ip or settings.listening_ip
    if relay_ip not in ("0.0.0.0", "::"):  # noqa: S104
        lines.append(f"relay-ip={relay_ip}")
    lines += [
        f"listening-port={settings.port}",
        f"min-port={settings.min_port}",
        f"max-port={settings.max_port}",
        f"realm={settings.realm}",
        "use-auth-secret",
        f"static-auth-secret={settings.secret}",
        "fingerprint",
        "no-tcp-relay",
        "no-multicast-peers",
        "no-cli",
    ]
    if settings.external_ip:
        lines.append(f"external-ip={settings.external_ip}")
    if settings.tls:
        lines += [
            f"tls-listening-port={settings.tls_port}",
            f"cert={settings.tls_cert}",
            f"pkey={settings.tls_key}",
            "no-tlsv1",
            "no-tlsv1_1",
            "no-dtls",
        ]
    else:
        lines += ["no-tls", "no-dtls"]
    lines += [
        "no-rfc5780",
        "no-software-attribute",
        "stale-nonce=600",
        f"userdb={state_dir / 'turndb'}",
        f"pidfile={state_dir / 'turnserver.pid'}",
        f"log-file={state_dir / 'turnserver.log'}",
        "simple-log",
        "no-stdout-log",
    ]
    # Production denies every private and loopback range; the tests' namespace, where
    # all members are on 127.0.0.1 and no other network exists, and a coturn on loopback
    # alone (a try-out on one computer) allow 127.0.0.1 alone.
    lines += [f"denied-peer-ip={r}" for r in DENIED_PEER_RANGES]
    if settings.loopback_peers:
        lines += ["allow-loopback-peers", "allowed-peer-ip=127.0.0.1"]
    return "\n".join(lines) + "\n"


def only_loopback_network() -> bool:
    """Whether this process sees no network interface but ``lo`` (a private namespace)."""
    try:  # if_nameindex asks this network namespace (sysfs may show the host's)
        return [name for _index, name in socket.if_nameindex()] == ["lo"]
    except OSError:
        return False


async def stun_answers(host: str, port: int, timeout: float = 0.2) -> bool:
    """Whether a STUN server at ``host:port`` (UDP) answers a Binding request in time."""
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        request = struct.pack("!HHI12s", 0x0001, 0, 0x2112A442, os.urandom(12))
        await loop.sock_sendto(sock, request, (host, port))
        try:
            reply = await asyncio.wait_for(loop.sock_recv(sock, 2048), timeout)
        except (TimeoutError, ConnectionRefusedError):
            return False
        return reply[:2] == b"\x01\x01"  # a Binding success response


class CoturnError(RuntimeError):
    """coturn is missing, refused its configuration, or did not answer in time."""


class Coturn(ChildServer):
    """A ``turnserver`` process on a generated configuration (an async context manager)."""

    NAME = "coturn"

    def __init__(self, settings: CoturnSettings, *, binary: str = "turnserver") -> None:
        if settings.loopback_peers and not (settings.this_computer_only or only_loopback_network()):
            raise CoturnError(
                "relaying to loopback is for a coturn on loopback alone, or the tests'"
                " private namespace"
            )
        super().__init__()
        self.settings = settings
        self._binary = binary

    @property
    def log_path(self) -> Path | None:
        """coturn's log file while it runs."""
        return Path(self._dir.name) / "turnserver.log" if self._dir else None

    async def start(self, timeout: float = 10.0) -> None:
        """Write the configuration, start coturn, and wait until it answers a STUN request."""
        path = shutil.which(self._binary)
        if path is None:
            raise CoturnError("coturn is not installed (Debian package: coturn)")
        self._dir = tempfile.TemporaryDirectory(prefix="groupdesk-coturn-")
        state = Path(self._dir.name)
        conf = state / "turnserver.conf"
        write_private(conf, coturn_config(self.settings, state))  # it holds the secret
        self._process = await start_child(path, "-c", str(conf))
        try:
            await asyncio.wait_for(self._answers(), timeout)
        except TimeoutError as error:
            await self.stop()
            raise CoturnError(f"coturn did not answer within {timeout:.0f} s") from error

    async def _answers(self) -> None:
        while True:
            if self._process is not None and self._process.returncode is not None:
                raise CoturnError(f"coturn exited with status {self._process.returncode}")
            if await stun_answers(self.settings.listening_ip, self.settings.port):
                return
            await asyncio.sleep(0.1)
