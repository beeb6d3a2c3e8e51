"""Relay-only ICE: what a member may learn of another's addresses when the room says so.

In a relay-only room (policy ``ice_relay_only``) every member uses TURN relay
candidates alone, so nobody sees another member's IP address, only the TURN server's.
Each member's own ICE agent gathers relay candidates only (``iceTransportPolicy:
relay``); this module is what the server and the receiving side also apply to what
crosses the signalling, so a member that does not (an older or a hostile client)
still cannot hand out an address: candidate lines that are not ``typ relay`` are
dropped, the related address of a relay candidate (the member's own address) is
blanked, and a ``c=``/``a=rtcp:`` address that no relay candidate announces becomes
``0.0.0.0``. Candidates travel inside the SDP of ``*.offer``/``*.answer`` payloads and
one by one in ``*.candidate`` payloads. Pure text work: no sockets here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_CANDIDATE = re.compile(
    r"^(?P<head>(?:a=)?candidate:\S+ \d+ \S+ \d+ (?P<address>\S+) \d+ typ (?P<type>\S+))"
    r"(?P<tail>.*?)(?P<eol>\r?\n)?$",
    re.IGNORECASE | re.DOTALL,
)
_RELATED = re.compile(r" raddr \S+ rport \d+", re.IGNORECASE)
_CONNECTION = re.compile(r"^(c=IN IP[46] |a=rtcp:\d+ IN IP[46] )(\S+)(.*)$", re.DOTALL)


def candidate_type(candidate: str) -> str | None:
    """The ``typ`` of a candidate (``candidate:...`` or ``a=candidate:...``), else None."""
    match = _CANDIDATE.match(candidate.strip())
    return match.group("type").lower() if match else None


def is_relay_candidate(candidate: str) -> bool:
    """Whether ``candidate`` is a TURN relay candidate."""
    return candidate_type(candidate) == "relay"


def relay_candidate(candidate: str) -> str | None:
    """``candidate`` with its related address blanked if it is a relay one, else None."""
    match = _CANDIDATE.match(candidate)
    if match is None or match.group("type").lower() != "relay":
        return None
    tail = _RELATED.sub(" raddr 0.0.0.0 rport 0", match.group("tail"))
    return match.group("head") + tail + (match.group("eol") or "")


def relay_only_sdp(sdp: str) -> str:
    """``sdp`` with no address but those of its relay candidates (see the module)."""
    lines = sdp.splitlines(keepends=True)
    kept: list[str] = []
    relays: set[str] = set()
    for line in lines:
        if line.lower().startswith("a=candidate:"):
            relay = relay_candidate(line)
            if relay is None:
                continue
            match = _CANDIDATE.match(relay)
            if match is not None:
                relays.add(match.group("address"))
            kept.append(relay)
        else:
            kept.append(line)
    return "".join(_blank_connection(line, relays) for line in kept)


def _blank_connection(line: str, relays: Iterable[str]) -> str:
    match = _CONNECTION.match(line)
    if match is None or match.group(2) in relays:
        return line
    blank = "::" if "IP6" in match.group(1) else "0.0.0.0"  # noqa: S104 -- "no address", as SDP says it
    return match.group(1) + blank + match.group(3)


def relay_only_payload(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """The signal ``payload`` as a relay-only room relays it; None: relay nothing.

    An ``sdp`` is rewritten by :func:`relay_only_sdp`; a lone ``candidate`` that is not
    a relay one is not relayed at all (the empty one, end of candidates, is).
    """
    relayed = dict(payload)
    sdp = relayed.get("sdp")
    if isinstance(sdp, str):
        relayed["sdp"] = relay_only_sdp(sdp)
    candidate = relayed.get("candidate")
    if isinstance(candidate, str) and candidate:
        only = relay_candidate(candidate)
        if only is None:
            return None
        relayed["candidate"] = only
    return relayed
