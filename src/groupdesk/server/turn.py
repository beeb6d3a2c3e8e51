"""STUN/TURN servers for admitted members, with coturn REST-scheme credentials.

TURN credentials go with admission only (``admitted``, and each resume), valid for
``turn_ttl_seconds`` (``groupdesk-server --turn-hours``). Someone waiting in the lobby
is not a member yet and may hold a forwarded invite: they get the STUN servers alone,
for the lobby preview, whose connection then uses their host and server-reflexive
candidates against the facilitator's (who, admitted, has a TURN relay of their own).

coturn's ``use-auth-secret`` mode (the "TURN REST API" draft): the username is
``<expiry unix time>:<member id>`` and the credential is
``base64(HMAC-SHA1(shared secret, username))``; coturn recomputes it, so the
signalling server and coturn share only the secret, never a user list.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from groupdesk.core.protocol import IceServer, ProtocolError


def turn_credentials(secret: str, member: str, expires_at: int) -> tuple[str, str]:
    """The coturn REST-scheme ``(username, credential)`` valid until ``expires_at``."""
    username = f"{expires_at}:{member}"
    digest = hmac.new(secret.encode("utf-8"), username.encode("ascii"), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class IceConfig:
    """The STUN and TURN URLs from policy or command line, and coturn's shared secret."""

    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = None
    turn_ttl_seconds: int = 3 * 3600
    """How long an admitted member's TURN credential stays valid. It cannot be renewed
    on a connection that uses it (a failed path is restarted with the same one), so it
    should outlast the longest session; the default covers a long group session."""

    def __post_init__(self) -> None:
        if self.turn_urls and not self.turn_secret:
            raise ValueError("TURN URLs need the coturn shared secret")
        if self.turn_ttl_seconds <= 0:
            raise ValueError("TURN credentials need a positive lifetime")
        try:  # IceServer validates the URLs themselves
            self.servers_for("000000000000", now=0.0)
        except ProtocolError as error:
            raise ValueError("a STUN or TURN URL is malformed") from error

    def lobby_servers(self) -> tuple[IceServer, ...]:
        """The ``iceServers`` for someone waiting in the lobby: STUN only, no credential."""
        return (IceServer(urls=self.stun_urls),) if self.stun_urls else ()

    def servers_for(self, member: str, now: float | None = None) -> tuple[IceServer, ...]:
        """The ``iceServers`` for admitted ``member``: STUN, then TURN with fresh credentials."""
        servers: list[IceServer] = []
        if self.stun_urls:
            servers.append(IceServer(urls=self.stun_urls))
        if self.turn_urls and self.turn_secret:
            expires = int(time.time() if now is None else now) + self.turn_ttl_seconds
            username, credential = turn_credentials(self.turn_secret, member, expires)
            servers.append(IceServer(self.turn_urls, username=username, credential=credential))
        return tuple(servers)
