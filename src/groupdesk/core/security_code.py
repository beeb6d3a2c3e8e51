"""The room's security code: what every member reads aloud to know nobody is in the middle.

Each member has one DTLS certificate for all of its connections. Member A knows its own
fingerprint and, for each peer B, the fingerprint that B's description announced on the
A--B connection. In an honest mesh every member therefore sees the same set of
(seat, fingerprint) pairs, and computes the same code. A relay that terminates DTLS on
both sides of A--B must present its own certificates: A then sees a false fingerprint for
B, B a false one for A, and their codes differ.

The code is 12 digits read as four groups of three ("482 915 307 221"): digits are the
same in French and English, and read aloud without a word list. Why 12 and not 6: two
honest views match by chance once in 10**12. An attacker who generates certificates until
the two sides' codes agree needs, even in its best case (choosing both false certificates
freely, a birthday search), about 10**6 certificates per side -- against 10**3 for a
6-digit code, which a laptop makes in well under a second while the call is set up.

The same computation is in ``server/web/security_code.js``; ``tests/web`` checks that both
give the same code on fixed inputs. Change neither without the other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

DIGITS = 12
"""How many digits the code has."""
GROUP = 3
"""Digits per group when shown."""
DOMAIN = b"groupdesk-security-code-v1\n"
"""Prefixed to what is hashed, so that this hash is of no use for anything else."""

_FINGERPRINT = re.compile(r"^\s*([A-Za-z0-9-]+)\s+((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})\s*$")


def normalize_fingerprint(text: str) -> str:
    """``"sha-256 ab:cd:…"`` in one canonical spelling (algorithm lower case, hex upper case).

    Accepts the value of an SDP ``a=fingerprint:`` line. Raises ValueError otherwise.
    """
    match = _FINGERPRINT.match(text)
    if match is None:
        raise ValueError(f"not a DTLS fingerprint: {text!r}")
    return f"{match.group(1).lower()} {match.group(2).upper()}"


def canonical_text(pairs: Mapping[str, str]) -> str:
    """What is hashed: one ``seat<TAB>fingerprint`` line per member, sorted by seat."""
    lines = []
    for seat in sorted(pairs):
        if not seat or any(c in seat for c in "\t\n\r"):
            raise ValueError(f"not a seat id: {seat!r}")
        lines.append(f"{seat}\t{normalize_fingerprint(pairs[seat])}\n")
    return "".join(lines)


def code_for(pairs: Mapping[str, str]) -> str:
    """The security code of ``pairs`` (seat id -> fingerprint), e.g. ``"482 915 307 221"``."""
    if not pairs:
        raise ValueError("a security code needs at least one member")
    digest = hashlib.sha256(DOMAIN + canonical_text(pairs).encode("utf-8")).digest()
    # 64 bits reduced modulo 10**12: the bias (under 10**12 / 2**64) is negligible.
    number = int.from_bytes(digest[:8], "big") % 10**DIGITS
    digits = f"{number:0{DIGITS}d}"
    return " ".join(digits[i : i + GROUP] for i in range(0, DIGITS, GROUP))


@dataclass(frozen=True)
class RoomCode:
    """The code one member shows, or how many members it still waits for."""

    code: str | None
    """None until every member's connection is up."""
    waiting: int
    """Members whose fingerprint this member does not know yet."""
    members: frozenset[str]
    """Every seat the code covers (this member's own included)."""


def room_code(own_seat: str, own_fingerprint: str, peers: Mapping[str, str | None]) -> RoomCode:
    """The code as ``own_seat`` sees the room.

    ``peers`` maps every other member's seat to the fingerprint its connection announced,
    or None while that connection is not up. The code is shown only once every member is
    connected: a code computed over part of the room would change as each one arrives,
    and two members could read different codes aloud with nobody in the middle.
    """
    waiting = sum(1 for fp in peers.values() if fp is None)
    members = frozenset(peers) | {own_seat}
    if waiting:
        return RoomCode(None, waiting, members)
    pairs = {seat: fp for seat, fp in peers.items() if fp is not None}
    pairs[own_seat] = own_fingerprint
    return RoomCode(code_for(pairs), 0, members)
