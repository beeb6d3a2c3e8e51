"""Reading ``keystore.json``: every field checked once, at the edge, before any is used.

A damaged file (not JSON, a missing field, a wrong type, bad hexadecimal, a
key-derivation parameter that would reserve gigabytes of memory or run for
hours) raises ``KeystoreDamaged`` with its own message. Nothing here writes:
the file is left exactly as it was, for the person (or support) to look at.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from groupdesk.sessionlog.errors import KeystoreDamaged

FORMAT = 1
#: The most memory a key derivation may ask for. The defaults take 19 MiB
#: (Argon2id) or 128 MiB (scrypt); anything past 1 GiB is a damaged or hostile file.
MAX_KDF_MEMORY_KIB = 1024 * 1024
_ARGON2_LIMITS = {"iterations": (1, 64), "lanes": (1, 64)}
_SCRYPT_LIMITS = {"r": (1, 32), "p": (1, 16)}
_SCRYPT_N = (2**10, 2**24)  # then the memory bound applies too
_HEX_LENGTHS = {"key_check": (32, 32), "nonce": (12, 12), "wrapped": (48, 48), "db_salt": (16, 16)}
_SALT_BYTES = (8, 64)


def _damaged(path: Path, reason: str, **params: Any) -> KeystoreDamaged:
    return KeystoreDamaged(f"sessionlog.keystore.{reason}", path=str(path), **params)


def _field(meta: dict[str, Any], name: str, kind: type, path: Path, where: str = "") -> Any:
    label = f"{where}{name}"
    if name not in meta:
        raise _damaged(path, "missing", field=label)
    value = meta[name]
    # bool is an int to Python, never a number in this file.
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _damaged(path, "not_integer", field=label)
    if kind is str and not isinstance(value, str):
        raise _damaged(path, "not_text", field=label)
    if kind is dict and not isinstance(value, dict):
        raise _damaged(path, "not_object_field", field=label)
    return value


def _hex(value: str, label: str, lengths: tuple[int, int], path: Path) -> bytes:
    try:
        data = bytes.fromhex(value)
    except ValueError:
        raise _damaged(path, "bad_hex", field=label) from None
    low, high = lengths
    if not low <= len(data) <= high:
        raise _damaged(path, "bad_length", field=label, found=len(data), expected=low)
    return data


def _in_range(value: int, label: str, limits: tuple[int, int], path: Path) -> None:
    low, high = limits
    if not low <= value <= high:
        raise _damaged(path, "out_of_range", field=label, value=value, low=low, high=high)


def _memory(kib: int, path: Path) -> None:
    if kib > MAX_KDF_MEMORY_KIB:
        raise _damaged(path, "kdf_memory", mib=kib // 1024, max_mib=MAX_KDF_MEMORY_KIB // 1024)


def _check_kdf(kdf: dict[str, Any], path: Path) -> None:
    name = _field(kdf, "name", str, path, "kdf.")
    salt = _field(kdf, "salt", str, path, "kdf.")
    _hex(salt, "kdf.salt", _SALT_BYTES, path)
    if name == "argon2id":
        memory_kib = _field(kdf, "memory_kib", int, path, "kdf.")
        for param, limits in _ARGON2_LIMITS.items():
            _in_range(_field(kdf, param, int, path, "kdf."), f"kdf.{param}", limits, path)
        _memory(memory_kib, path)
        _in_range(memory_kib, "kdf.memory_kib", (8 * int(kdf["lanes"]), MAX_KDF_MEMORY_KIB), path)
    elif name == "scrypt":
        n = _field(kdf, "n", int, path, "kdf.")
        for param, limits in _SCRYPT_LIMITS.items():
            _in_range(_field(kdf, param, int, path, "kdf."), f"kdf.{param}", limits, path)
        _in_range(n, "kdf.n", _SCRYPT_N, path)
        if n & (n - 1):
            raise _damaged(path, "not_power_of_two", field="kdf.n", value=n)
        _memory(128 * n * int(kdf["r"]) // 1024, path)
    else:
        raise _damaged(path, "unknown_kdf", name=name)


def parse_keystore(raw: bytes, path: Path) -> dict[str, Any]:
    """The checked content of ``keystore.json``; raises ``KeystoreDamaged`` on any fault."""
    try:
        meta = json.loads(raw)
    except UnicodeDecodeError:
        raise _damaged(path, "not_json", line=1, column=1) from None
    except json.JSONDecodeError as error:
        raise _damaged(path, "not_json", line=error.lineno, column=error.colno) from None
    except (ValueError, RecursionError):  # e.g. an integer of more than 4,300 digits
        raise _damaged(path, "not_json", line=1, column=1) from None
    if not isinstance(meta, dict):
        raise _damaged(path, "not_object")
    version = _field(meta, "format", int, path)
    if version != FORMAT:
        raise _damaged(path, "format", found=version, supported=FORMAT)
    mode = _field(meta, "mode", str, path)
    if mode not in ("keyring", "passphrase"):
        raise _damaged(path, "mode", found=mode)
    if not _field(meta, "key_id", str, path):
        raise _damaged(path, "missing", field="key_id")
    _hex(_field(meta, "key_check", str, path), "key_check", _HEX_LENGTHS["key_check"], path)
    if "db_salt" in meta:
        _hex(_field(meta, "db_salt", str, path), "db_salt", _HEX_LENGTHS["db_salt"], path)
    if mode == "passphrase":
        _check_kdf(_field(meta, "kdf", dict, path), path)
        for name in ("nonce", "wrapped"):
            _hex(_field(meta, name, str, path), name, _HEX_LENGTHS[name], path)
    elif "backend" in meta:
        _field(meta, "backend", str, path)
    return dict(meta)
