"""Which addresses ICE may use: every interface (the default), or loopback only.

When the signalling server is on this machine's loopback (``groupdesk demo``,
a rehearsal, the tests), every member is a process on this machine: there is no
reason to offer or try the network interfaces, and a rehearsal should not touch
the network at all. aioice has no per-connection interface filter, so the
restriction is process-wide: it replaces aioice's host address lookup, and the
mesh drops remote candidates outside the allowed addresses.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

import aioice.ice

_aioice_host_addresses = aioice.ice.get_host_addresses
_allowed: tuple[str, ...] | None = None

LOOPBACK_ADDRESSES = ("127.0.0.1",)
_CANDIDATE_LINE = re.compile(r"^a=candidate:\S+ \d+ \S+ \d+ (\S+) ", re.IGNORECASE)


def restrict_host_addresses(addresses: Sequence[str] | None) -> None:
    """Offer only ``addresses`` as host candidates; ``None`` gives back every interface."""
    global _allowed  # noqa: PLW0603 -- aioice's lookup is process-wide, so is this choice
    _allowed = tuple(addresses) if addresses is not None else None
    if _allowed is None:
        aioice.ice.get_host_addresses = _aioice_host_addresses
        return
    allowed = _allowed

    def host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [
            a
            for a in allowed
            if (use_ipv4 and ipaddress.ip_address(a).version == 4)
            or (use_ipv6 and ipaddress.ip_address(a).version == 6)
        ]

    aioice.ice.get_host_addresses = host_addresses


def follow_server(server_host: str) -> None:
    """Keep ICE on loopback when the signalling server is on this machine's loopback.

    With the server on loopback everyone in the room is on this machine: media
    stays on 127.0.0.1 and a rehearsal never touches the network. For any other
    server, every interface again -- but only a restriction this function set is
    lifted, never one made elsewhere (tests, an administrator's choice).
    """
    global _set_by_follow  # noqa: PLW0603 -- mirrors aioice's process-wide lookup
    if is_loopback_host(server_host):
        if _allowed is None:
            restrict_host_addresses(LOOPBACK_ADDRESSES)
            _set_by_follow = True
    elif _set_by_follow:
        restrict_host_addresses(None)
        _set_by_follow = False


def reach_media_server() -> None:
    """Give back every interface if :func:`follow_server` kept ICE on loopback: in an SFU
    room media go to the media server, and Janus never gathers on a loopback interface,
    so a rehearsal's call through it (``groupdesk demo --sfu``) needs the machine's own
    addresses. A restriction made elsewhere (tests, an administrator's) stays."""
    global _set_by_follow  # noqa: PLW0603 -- mirrors aioice's process-wide lookup
    if _set_by_follow:
        restrict_host_addresses(None)
        _set_by_follow = False


_set_by_follow = False


def restricted_addresses() -> tuple[str, ...] | None:
    """The addresses ICE is restricted to, or None for every interface."""
    return _allowed


def is_loopback_host(host: str) -> bool:
    """Whether a host name or address (``127.0.0.1``, ``::1``, ``localhost``) is this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def candidate_allowed(address: str) -> bool:
    """Whether a remote candidate at ``address`` may be tried under the current restriction.

    Restricted to loopback, any loopback address is this machine: a media server on
    127.0.0.2 (Janus gathers on no ``lo`` interface, so the tests give it that address on
    an interface of its own) is as local as 127.0.0.1.
    """
    if _allowed is None or address in _allowed:
        return True
    return _is_loopback_address(address) and any(_is_loopback_address(a) for a in _allowed)


def _is_loopback_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a name (an mDNS .local candidate): not an address at all


def filter_sdp_candidates(sdp: str) -> str:
    """``sdp`` without the candidate lines the current restriction does not allow."""
    if _allowed is None:
        return sdp
    kept = []
    for line in sdp.splitlines(keepends=True):
        match = _CANDIDATE_LINE.match(line)
        if match and not candidate_allowed(match.group(1)):
            continue
        kept.append(line)
    return "".join(kept)
