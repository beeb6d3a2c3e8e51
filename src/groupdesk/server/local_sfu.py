"""Janus on this computer for a rehearsal (``groupdesk demo --sfu``): the embedded
server's rooms then go through it as an organisation's rooms go through its media server.

Both Janus APIs listen on 127.0.0.1 on free ports, with a new random admin secret; ICE
uses this computer's network interfaces (Janus gathers on no loopback interface), or,
in the tests' private namespace, the 127.x addresses they put on an interface of their
own. Nothing is written outside Janus's private temporary folder.
"""

from __future__ import annotations

import secrets
import socket
from dataclasses import dataclass

from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.server.coturn import only_loopback_network
from groupdesk.server.janus import Janus, JanusSettings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


async def start_local_sfu() -> LocalSfu:
    """Start Janus on loopback (``JanusError`` when it is missing or does not answer)."""
    settings = JanusSettings(
        admin_secret=secrets.token_urlsafe(24),
        port=_free_port(),
        admin_port=_free_port(),
        loopback_only=only_loopback_network(),
    )
    janus = Janus(settings)
    await janus.start()
    return LocalSfu(janus)
