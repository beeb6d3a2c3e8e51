"""The recovery key: the raw 256-bit database key, written for people.

Crockford base32 (no I, L, O, U; case-insensitive; I/L read as 1 and O as 0),
in dash-separated groups of four. The last group is the checksum: three
characters from SHA-256 of the key, then a Luhn mod 32 check character over
everything before it, so any single mistyped character is always caught (and
most swaps of neighbours), and a mistyped key is told apart from a wrong one.
"""

from __future__ import annotations

import hashlib

from groupdesk.sessionlog.errors import InvalidRecoveryKey

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)} | {"I": 1, "L": 1, "O": 0}
KEY_BYTES = 32
_DATA_CHARS = 52  # ceil(256 / 5)
_CHECK_CHARS = 4
_GROUP = 4


def _hash_chars(key: bytes) -> str:
    value = int.from_bytes(hashlib.sha256(b"groupdesk recovery" + key).digest()[:2], "big") >> 1
    return "".join(_ALPHABET[(value >> shift) & 31] for shift in (10, 5, 0))


def _luhn_sum(codes: list[int], first_factor: int) -> int:
    total, factor = 0, first_factor
    for code in reversed(codes):
        addend = factor * code
        total += addend // 32 + addend % 32
        factor = 3 - factor  # 2, 1, 2, 1 ...
    return total


def _luhn_char(text: str) -> str:
    total = _luhn_sum([_DECODE[ch] for ch in text], first_factor=2)
    return _ALPHABET[(32 - total % 32) % 32]


def _checksum(key: bytes, data: str) -> str:
    hashed = _hash_chars(key)
    return hashed + _luhn_char(data + hashed)


def encode_recovery_key(key: bytes) -> str:
    """The recovery key text for a 32-byte raw key."""
    if len(key) != KEY_BYTES:
        raise ValueError("a session-log key is 32 bytes")
    value = int.from_bytes(key, "big") << (_DATA_CHARS * 5 - KEY_BYTES * 8)
    chars = "".join(_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(_DATA_CHARS)))
    text = chars + _checksum(key, chars)
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def decode_recovery_key(text: str) -> bytes:
    """The raw key from a recovery key; raises InvalidRecoveryKey when mistyped."""
    cleaned = "".join(ch for ch in text.upper() if ch not in "- \t\r\n")
    if len(cleaned) != _DATA_CHARS + _CHECK_CHARS or any(ch not in _DECODE for ch in cleaned):
        raise InvalidRecoveryKey()
    if _luhn_sum([_DECODE[ch] for ch in cleaned], first_factor=1) % 32:
        raise InvalidRecoveryKey()
    value = 0
    for ch in cleaned[:_DATA_CHARS]:
        value = (value << 5) | _DECODE[ch]
    padding = _DATA_CHARS * 5 - KEY_BYTES * 8
    if value & ((1 << padding) - 1):
        raise InvalidRecoveryKey()
    key = (value >> padding).to_bytes(KEY_BYTES, "big")
    data = "".join(_ALPHABET[_DECODE[ch]] for ch in cleaned[:_DATA_CHARS])
    check = "".join(_ALPHABET[_DECODE[ch]] for ch in cleaned[_DATA_CHARS:])
    if check != _checksum(key, data):
        raise InvalidRecoveryKey()
    return key
