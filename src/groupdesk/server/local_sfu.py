"""Janus and coturn on this computer: for a rehearsal (``groupdesk demo --sfu``: the
embedded server's rooms then go through Janus as an organisation's rooms go through its
media server) and for a try-out (``scripts/media-servers``,
:mod:`groupdesk.server.local_media`).

Both Janus APIs listen on 127.0.0.1 on free ports, with a new random admin secret; ICE
uses this computer's network interfaces (Janus gathers on no loopback interface), or,
in the tests' private namespace, the 127.x addresses they put on an interface of their
own. coturn listens and relays on 127.0.0.1 alone, with a new random REST secret
(``use-auth-secret``); it relays to 127.0.0.1 (members on this computer relaying to
each other) and, as in production, to no private or other loopback address.
Nothing is written outside each server's private temporary folder.
"""

from __future__ import annotations

import secrets
import socket
from dataclasses import dataclass

from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.server.coturn import Coturn, CoturnSettings, only_loopback_network
from groupdesk.server.janus import Janus, JanusSettings

LOCAL_ADDRESS = "127.0.0.1"


def free_port(*, udp: bool = False) -> int:
    """A TCP port nobody listens on at 127.0.0.1 now; with ``udp``, free for UDP too
    (coturn takes both)."""
    for _attempt in range(100):
        with socket.socket() as tcp:
            tcp.bind((LOCAL_ADDRESS, 0))
            port = int(tcp.getsockname()[1])
            if not udp:
                return port
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
                try:
                    datagram.bind((LOCAL_ADDRESS, port))
                except OSError:
                    continue  # taken for UDP: try another
                return port
    raise OSError("no free port on 127.0.0.1")


@dataclass
class LocalSfu:
    """A running Janus and how the embedded server reaches it."""

    janus: Janus

    def server_config(self) -> ServerConfig:
        """The embedded server's settings: every room an SFU room through this Janus."""
        settings = self.janus.settings
        return ServerConfig(
            sfu=SfuConfig(settings.admin_url, settings.admin_secret, "sfu", settings.api_url)
        )

    async def stop(self) -> None:
        """Stop Janus and remove its folder."""
        await self.janus.stop()


def local_janus_settings() -> JanusSettings:
    """Janus on 127.0.0.1, free ports, a new random admin secret."""
    return JanusSettings(
        admin_secret=secrets.token_urlsafe(24),
        ip=LOCAL_ADDRESS,
        port=free_port(),
        admin_port=free_port(),
        loopback_only=only_loopback_network(),
    )


def local_coturn_settings() -> CoturnSettings:
    """coturn listening and relaying on 127.0.0.1 (a free port), a new random secret,
    relaying to 127.0.0.1 alone (see the module's docstring)."""
    return CoturnSettings(
        secret=secrets.token_urlsafe(32),
        listening_ip=LOCAL_ADDRESS,
        port=free_port(udp=True),
        loopback_peers=True,
    )


async def start_local_sfu() -> LocalSfu:
    """Start Janus on loopback (``JanusError`` when it is missing or does not answer)."""
    janus = Janus(local_janus_settings())
    await janus.start()
    return LocalSfu(janus)


async def start_local_turn() -> Coturn:
    """Start coturn on loopback (``CoturnError`` when it is missing or does not answer)."""
    coturn = Coturn(local_coturn_settings())
    await coturn.start()
    return coturn
