"""Which web pages may open ``/ws``: the server's own, and the ones the administrator names.

A browser sends an ``Origin`` header with every WebSocket it opens, and does not
apply the same-origin policy to WebSockets: without this check, any page open in
a browser on the facilitator's computer (another tab, an advertisement) could
open ``/ws`` on the embedded server at ``127.0.0.1`` and drive it. Native clients
(the desktop app, the bots) send no ``Origin``: they are not pages, and they are
let in. A page whose ``Origin`` matches the scheme, host and port of the request
(the participant page this server serves) is let in, as is any origin the
administrator lists (``--allow-origin``); anything else, ``null`` included, is
refused with HTTP 403 before the upgrade.

The ``Host`` header comes from the browser too: a site may point its own name at
127.0.0.1 (DNS rebinding), and then its ``Origin`` matches its ``Host``. So a
request that arrived on a loopback socket counts as same-origin only when its
``Host`` is a loopback name or address, or the host of the server's public URL.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(origin: str) -> str | None:
    """``scheme://host:port`` in lower case with the port spelled out; None if not one."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS[scheme]}"


def _is_loopback_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


class OriginPolicy:
    """Decides whether a WebSocket request's ``Origin`` may open ``/ws``."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self._allowed = {o for o in (normalise_origin(a) for a in allowed) if o is not None}

    def allows(
        self,
        origin: str | None,
        *,
        scheme: str,
        host: str | None,
        on_loopback: bool,
        public_url: str | None = None,
    ) -> bool:
        """Whether a request with ``Origin`` ``origin`` (None: none sent) may go on.

        ``scheme`` and ``host`` are the request's own (``http``, the ``Host`` header);
        ``on_loopback``: it arrived on a loopback socket; ``public_url``: the server's
        address in invite links (behind a TLS proxy, the origin of its pages).
        """
        if origin is None:
            return True  # not a web page: the desktop app, a bot
        wanted = normalise_origin(origin)
        if wanted is None:
            return False  # "null" (a sandboxed frame, a file) or garbage
        public = normalise_origin(public_url) if public_url else None
        if wanted in self._allowed or wanted == public:
            return True
        own = normalise_origin(f"{scheme}://{host}") if host else None
        return wanted == own and (not on_loopback or self._names_this_computer(own, public))

    @staticmethod
    def _names_this_computer(own: str, public: str | None) -> bool:
        """On a loopback socket: whether ``Host`` is this computer, not a rebound name."""
        hostname = urlsplit(own).hostname or ""
        return _is_loopback_name(hostname) or (
            public is not None and hostname == urlsplit(public).hostname
        )
