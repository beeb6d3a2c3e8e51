"""Facilitator credentials: issued once, stored only as scrypt hashes in a 0600 JSON file.

The file is re-read when it changes, so ``groupdesk-server facilitator revoke``
takes effect on a running server at the next sign-in.

A credential verified once is remembered for a short time (``cache_seconds``),
under a keyed hash (a key of this process, never stored) of name and credential,
so a facilitator who reconnects signs in without scrypt and without waiting
behind other sign-ins. Any change to the file (a revocation, a re-issue) and the
end of the lifetime forget it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from groupdesk.core.protocol import ErrorCode, ProtocolError
from groupdesk.server.errors import ServerError

FILE_NAME = "facilitators.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_DUMMY_SALT = b"groupdesk-dummy!"
_CACHE_SIZE = 4096  # verified credentials remembered at most (then forgotten all at once)


@dataclass(frozen=True)
class FacilitatorRecord:
    """One facilitator account as the administrator sees it (never the credential)."""

    name: str
    created: str
    revoked: str | None


def _hash(credential: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        credential.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class CredentialStore:
    """Facilitator accounts in ``<state_dir>/facilitators.json`` (or in memory if no dir)."""

    def __init__(
        self,
        state_dir: Path | None,
        *,
        cost: int = _SCRYPT["n"],
        cache_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``cost`` is scrypt's N for new credentials (tests lower it; records keep their own).

        ``cache_seconds``: how long a verified credential skips scrypt (0: never).
        """
        self.path = state_dir / FILE_NAME if state_dir is not None else None
        self._params = {**_SCRYPT, "n": cost}
        self._lock = threading.Lock()  # verify() runs in worker threads
        self._records: dict[str, dict[str, Any]] = {}
        self._stamp: tuple[int, int, int] | None = None
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._cache_key = secrets.token_bytes(32)
        self._verified: dict[bytes, float] = {}  # keyed hash of (name, credential) -> when
        self._generation = 0  # counts changes of the records: a check of old ones is not kept

    # ------------------------------------------------------------ administration

    def add(self, name: str) -> str:
        """Create (or re-issue after revocation) ``name``; returns the credential, shown once."""
        if not _NAME.fullmatch(name):
            raise ServerError("server.error.bad_facilitator_name")
        with self._lock:
            records = self._load()
            if name in records and records[name].get("revoked") is None:
                raise ServerError("server.error.facilitator_exists", name=name)
            credential = secrets.token_urlsafe(32)
            salt = secrets.token_bytes(16)
            records[name] = {
                "scrypt": {**self._params, "salt": _b64(salt)},
                "hash": _b64(_hash(credential, salt, **self._params)),
                "created": _now(),
                "revoked": None,
            }
            self._save(records)
        return credential

    def list(self) -> list[FacilitatorRecord]:
        """Every account, by name."""
        with self._lock:
            records = self._load()
        return [
            FacilitatorRecord(name, str(r.get("created", "")), r.get("revoked"))
            for name, r in sorted(records.items())
        ]

    def revoke(self, name: str) -> None:
        """Refuse ``name``'s credential from now on (a running server re-reads the file)."""
        with self._lock:
            records = self._load()
            if name not in records:
                raise ServerError("server.error.unknown_facilitator", name=name)
            if records[name].get("revoked") is None:
                records[name]["revoked"] = _now()
                self._save(records)

    # ------------------------------------------------------------ sign-in

    def recently_verified(self, name: str, credential: str) -> bool:
        """Whether this credential was verified within ``cache_seconds`` (fast: no scrypt).

        False once the account is revoked or the file changed since.
        """
        key = self._key(name, credential)
        with self._lock:
            record = self._load().get(name)
            when = self._verified.get(key)
            if when is None:
                return False
            if record is None or record.get("revoked") is not None:
                del self._verified[key]
                return False
            if self._clock() - when >= self.cache_seconds:
                del self._verified[key]
                return False
            return True

    def verify(self, name: str, credential: str) -> None:
        """Accept or refuse a sign-in (slow: scrypt; run it off the event loop)."""
        if self.recently_verified(name, credential):
            return
        with self._lock:
            record = self._load().get(name)
            generation = self._generation
        if record is None:
            _hash(credential, _DUMMY_SALT, **self._params)  # same work: names stay unguessable
            raise ProtocolError(ErrorCode.BAD_CREDENTIAL)
        params = record["scrypt"]
        computed = _hash(
            credential,
            base64.b64decode(params["salt"]),
            int(params["n"]),
            int(params["r"]),
            int(params["p"]),
        )
        if not hmac.compare_digest(computed, base64.b64decode(record["hash"])):
            raise ProtocolError(ErrorCode.BAD_CREDENTIAL)
        if record.get("revoked") is not None:
            raise ProtocolError(ErrorCode.CREDENTIAL_REVOKED)
        if self.cache_seconds > 0:
            with self._lock:
                if self._generation == generation:  # the records did not change meanwhile
                    if len(self._verified) >= _CACHE_SIZE:
                        self._verified.clear()
                    self._verified[self._key(name, credential)] = self._clock()

    def _key(self, name: str, credential: str) -> bytes:
        data = name.encode("utf-8") + b"\0" + credential.encode("utf-8")
        return hmac.digest(self._cache_key, data, "sha256")

    # ------------------------------------------------------------ the file

    def _load(self) -> dict[str, dict[str, Any]]:
        """The records, re-read if the file changed since last time (lock held)."""
        if self.path is None:
            return self._records
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._records, self._stamp = {}, None
            self._forget()
            return self._records
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp != self._stamp:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                records = data["facilitators"]
                valid = isinstance(records, dict)
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                raise ServerError("server.error.bad_credential_file", path=str(self.path))
            self._records, self._stamp = records, stamp
            self._forget()
        return self._records

    def _forget(self) -> None:
        """The records changed: forget every verified credential (lock held)."""
        self._verified = {}
        self._generation += 1

    def _save(self, records: dict[str, dict[str, Any]]) -> None:
        """Write atomically, readable by the owner only (lock held)."""
        self._records = records
        self._forget()
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "facilitators": records}, out, indent=2, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        self._stamp = None  # re-read on next use, so the stamp matches the file on disk
