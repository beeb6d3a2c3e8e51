"""The database key: random, kept in the OS keyring or wrapped under a passphrase.

Beside the database, ``keystore.json`` (0600, no secret in keyring mode) records
the mode, which keyring backend holds the key, a key check value that tells a
wrong key from a damaged file, the salt of the database the key last opened
(not secret: it tells another installation's database from a damaged one), and
in passphrase mode the AES-GCM-wrapped key with its KDF parameters. Every field
is checked before use (``keystore_format``). The recovery key is the raw key
itself, shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from groupdesk.sessionlog.errors import (
    KeyNotFound,
    KeyringBackendChanged,
    KeystoreDamaged,
    LogAlreadyExists,
    NoLogYet,
    PassphraseRequired,
    WrongKey,
    WrongPassphrase,
)
from groupdesk.sessionlog.keystore_format import FORMAT as _FORMAT
from groupdesk.sessionlog.keystore_format import parse_keystore
from groupdesk.sessionlog.paths import (
    KEYSTORE_NAME,
    db_path,
    ensure_private_dir,
    write_private_file,
)
from groupdesk.sessionlog.recovery import KEY_BYTES, decode_recovery_key, encode_recovery_key

log = logging.getLogger(__name__)

KEYRING_SERVICE = "GroupDesk session log"
PASSPHRASE_ENV = "GROUPDESK_PASSPHRASE"  # noqa: S105 -- a variable name, not a secret
_CHECK_LABEL = b"groupdesk key check"
# OWASP's Argon2id minimum (19 MiB, t=2, p=1); scrypt where OpenSSL lacks Argon2.
ARGON2_PARAMS: dict[str, int] = {"memory_kib": 19 * 1024, "iterations": 2, "lanes": 1}
SCRYPT_PARAMS: dict[str, int] = {"n": 2**17, "r": 8, "p": 1}
_REJECTED_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")

Mode = Literal["keyring", "passphrase"]
State = Literal["new", "keyring", "passphrase"]


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly created key and the recovery key to show the user once."""

    key: bytes
    recovery_key: str
    mode: Mode

    def __repr__(self) -> str:  # never print the key in a traceback or a log
        return f"NewKey(mode={self.mode!r})"


def key_check(key: bytes) -> str:
    """HMAC-SHA256 of a fixed label under ``key``: tells a wrong key from a damaged file."""
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _chained(backend: Any) -> list[Any]:
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return list(backend.backends)
    return [backend]


def _usable(backend: Any) -> bool:
    parts = _chained(backend)
    if not parts:
        return False
    return all(not _backend_name(part).startswith(_REJECTED_MODULES) for part in parts)


def current_backend_name() -> str:
    """The keyring backend in use, as recorded in keystore.json ("none" if unusable)."""
    backend = keyring.get_keyring()
    if not _usable(backend):
        return "none"
    return _backend_name(_chained(backend)[0])


def keyring_available() -> bool:
    """True when a real OS keyring (not a plaintext or failing backend) is in use."""
    return _usable(keyring.get_keyring())


def _derive(passphrase: str, kdf: dict[str, Any]) -> bytes:
    salt = bytes.fromhex(kdf["salt"])
    secret = passphrase.encode("utf-8")
    if kdf["name"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=salt,
            length=32,
            iterations=int(kdf["iterations"]),
            lanes=int(kdf["lanes"]),
            memory_cost=int(kdf["memory_kib"]),
        ).derive(secret)
    if kdf["name"] == "scrypt":
        return Scrypt(
            salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])
        ).derive(secret)
    raise ValueError(f"unknown KDF {kdf['name']!r}")


def _new_kdf() -> dict[str, Any]:
    salt = secrets.token_bytes(16).hex()
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:  # pragma: no cover -- OpenSSL builds without Argon2
        return {"name": "scrypt", **SCRYPT_PARAMS, "salt": salt}
    return {"name": "argon2id", **ARGON2_PARAMS, "salt": salt}


class KeyStore:
    """Creates, stores and unlocks the key of the session log in ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / KEYSTORE_NAME

    # -- reading ---------------------------------------------------------
    def _read(self) -> dict[str, Any] | None:
        """The checked keystore.json, None if absent; KeystoreDamaged if damaged (never written)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return parse_keystore(raw, self.path)
        except KeystoreDamaged as error:
            log.warning("keystore.json is damaged (%s); the recovery key is needed", error.code)
            raise

    def state(self) -> State:
        """``new`` (no log here yet), ``keyring`` or ``passphrase``.

        Raises KeyNotFound when a database exists but keystore.json is gone
        (then only the recovery key opens it): never offer to start over on top of it.
        """
        meta = self._read()
        if meta is None:
            if db_path(self.data_dir).exists():
                raise KeyNotFound(path=str(self.path))
            return "new"
        mode: Mode = meta["mode"]
        return mode

    def needs_recovery(self) -> bool:
        """True when a database exists without its keystore.json (recovery key needed)."""
        return self._read() is None and db_path(self.data_dir).exists()

    def key_check(self) -> str | None:
        """The recorded key check value, if any."""
        meta = self._read()
        return None if meta is None else str(meta["key_check"])

    def db_salt(self) -> bytes | None:
        """The salt (first 16 bytes) of the database this key last opened, if recorded.

        Not secret: SQLCipher keeps it in plaintext at the start of the file. When
        the key is right but page 1 does not decrypt, a different salt tells "this
        database belongs to another installation" apart from a damaged first page.
        """
        meta = self._read()
        if meta is None or "db_salt" not in meta:
            return None
        return bytes.fromhex(str(meta["db_salt"]))

    def record_db_salt(self, key: bytes, salt: bytes) -> None:
        """Remember the salt of the database ``key`` just opened (logs made before this
        was recorded get it on their first successful unlock)."""
        try:
            meta = self._read()
        except KeystoreDamaged:
            return  # left as it is: the recovery key rewrites it when the person chooses to
        if meta is None or not hmac.compare_digest(key_check(key), str(meta["key_check"])):
            return  # not this keystore's key (e.g. a recovery key over a foreign keystore)
        if meta.get("db_salt") == salt.hex():
            return
        meta["db_salt"] = salt.hex()
        write_private_file(self.path, json.dumps(meta, indent=2).encode())
        log.info("recorded the session log's database salt in keystore.json")

    def anchor_record(self, key: bytes) -> tuple[bool, Any]:
        """(keystore.json is there for ``key``, the journal anchor it holds or None).

        The anchor is not checked here but by ``anchor.py`` (its HMAC): a damaged
        anchor must never stop the key from unlocking. KeystoreDamaged if damaged.
        """
        meta = self._read()
        if meta is None or not hmac.compare_digest(key_check(key), str(meta["key_check"])):
            return False, None
        return True, meta.get("anchor")

    def record_anchor(self, key: bytes, record: dict[str, Any]) -> bool:
        """Keep the journal anchor ``record`` in keystore.json (only this key's, never a
        damaged one); True when written."""
        try:
            meta = self._read()
        except KeystoreDamaged:
            return False
        if meta is None or not hmac.compare_digest(key_check(key), str(meta["key_check"])):
            return False
        meta["anchor"] = record
        write_private_file(self.path, json.dumps(meta, indent=2).encode())
        return True

    # -- creating --------------------------------------------------------
    def create(self, passphrase: str | None = None) -> NewKey:
        """Make a new random key and store it (keyring, or wrapped under ``passphrase``)."""
        if self.path.exists() or db_path(self.data_dir).exists():
            raise LogAlreadyExists(path=str(self.data_dir))
        key = secrets.token_bytes(KEY_BYTES)
        mode = self._store(key, passphrase)
        log.info("session-log key created (mode=%s)", mode)
        return NewKey(key=key, recovery_key=encode_recovery_key(key), mode=mode)

    def _store(self, key: bytes, passphrase: str | None) -> Mode:
        ensure_private_dir(self.data_dir)
        meta: dict[str, Any] = {
            "format": _FORMAT,
            "key_id": str(uuid.uuid4()),
            "key_check": key_check(key),
            "created_at": datetime.now(UTC).isoformat(),
        }
        if passphrase is not None:
            if not passphrase:
                raise PassphraseRequired()
            kdf = _new_kdf()
            nonce = secrets.token_bytes(12)
            wrapped = AESGCM(_derive(passphrase, kdf)).encrypt(
                nonce, key, self._aad(meta["key_id"])
            )
            meta |= {
                "mode": "passphrase",
                "kdf": kdf,
                "nonce": nonce.hex(),
                "wrapped": wrapped.hex(),
            }
        else:
            if not keyring_available():
                raise PassphraseRequired()
            backend = current_backend_name()
            try:
                keyring.set_password(KEYRING_SERVICE, meta["key_id"], key.hex())
            except keyring.errors.KeyringError as error:
                log.warning("keyring refused the key: %s", type(error).__name__)
                raise PassphraseRequired() from error
            meta |= {"mode": "keyring", "backend": backend}
        write_private_file(self.path, json.dumps(meta, indent=2).encode())
        mode: Mode = meta["mode"]
        return mode

    @staticmethod
    def _aad(key_id: str) -> bytes:
        return b"groupdesk keystore v1 " + key_id.encode()

    # -- unlocking -------------------------------------------------------
    def unlock(self, passphrase: str | None = None) -> bytes:
        """The raw key: from the keyring, or unwrapped with the passphrase.

        In passphrase mode, ``passphrase`` None means: take GROUPDESK_PASSPHRASE.
        """
        meta = self._read()
        if meta is None:
            if db_path(self.data_dir).exists():
                raise KeyNotFound(path=str(self.path))
            raise NoLogYet(path=str(self.data_dir))
        if meta["mode"] == "passphrase":
            if passphrase is None:
                passphrase = os.environ.get(PASSPHRASE_ENV) or None
            if passphrase is None:
                raise PassphraseRequired()
            try:
                key = AESGCM(_derive(passphrase, meta["kdf"])).decrypt(
                    bytes.fromhex(meta["nonce"]),
                    bytes.fromhex(meta["wrapped"]),
                    self._aad(meta["key_id"]),
                )
            except InvalidTag:
                raise WrongPassphrase() from None
        else:
            key = self._from_keyring(meta)
        if not hmac.compare_digest(key_check(key), meta["key_check"]):
            raise WrongKey()
        return key

    def _from_keyring(self, meta: dict[str, Any]) -> bytes:
        stored_in = str(meta.get("backend", "?"))
        in_use = current_backend_name()
        if in_use != stored_in:
            raise KeyringBackendChanged(stored=stored_in, current=in_use)
        try:
            value = keyring.get_password(KEYRING_SERVICE, meta["key_id"])
        except keyring.errors.KeyringError as error:
            log.warning("keyring read failed: %s", type(error).__name__)
            raise KeyNotFound(path=str(self.path)) from error
        if value is None:
            raise KeyNotFound(path=str(self.path))
        try:
            key = bytes.fromhex(value)
        except ValueError:
            raise KeyNotFound(path=str(self.path)) from None
        if len(key) != KEY_BYTES:
            raise KeyNotFound(path=str(self.path))
        return key

    def unlock_with_recovery_key(self, text: str, new_passphrase: str | None = None) -> bytes:
        """Decode the recovery key, check it opens this log, and store it again.

        The key goes back into the keyring, or under ``new_passphrase`` when given
        (or when no keyring is usable: then a passphrase is required).
        """
        key = decode_recovery_key(text)
        try:
            meta = self._read()
        except KeyNotFound:  # keystore.json damaged: check against the database itself
            meta = None
        if meta is not None:
            if not hmac.compare_digest(key_check(key), meta["key_check"]):
                raise WrongKey()
        else:
            self._check_against_database(key)
        if new_passphrase is None and not keyring_available():
            raise PassphraseRequired()
        old = None if meta is None else meta
        self._store(key, new_passphrase)
        if old is not None and isinstance(old.get("anchor"), dict):
            self.record_anchor(key, old["anchor"])  # same key: the journal anchor stays valid
        if old is not None and old.get("mode") == "keyring":
            self._forget_keyring_entry(str(old["key_id"]))
        log.info("session-log key restored from the recovery key")
        return key

    @staticmethod
    def _forget_keyring_entry(key_id: str) -> None:
        try:
            keyring.delete_password(KEYRING_SERVICE, key_id)
        except keyring.errors.KeyringError:
            log.debug("old keyring entry already gone")

    def _check_against_database(self, key: bytes) -> None:
        from groupdesk.sessionlog.connection import probe_key

        path = db_path(self.data_dir)
        if not path.exists():
            raise NoLogYet(path=str(self.data_dir))
        probe_key(path, key)
