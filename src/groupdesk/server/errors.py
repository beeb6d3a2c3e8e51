"""Errors of the server's command line and setup (protocol refusals are ProtocolError)."""

from __future__ import annotations

from groupdesk.core.errors import GroupDeskError


class ServerError(GroupDeskError):
    """A server setup or administration error; ``key`` is a ``server.error.*`` message."""

    key = "server.error.unexpected"
