"""A damaged keystore.json: each fault its own translated message, the file never touched."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupdesk.app import main
from groupdesk.sessionlog import KeyNotFound, KeyStore, SessionLogError, Store
from groupdesk.sessionlog.keystore_format import parse_keystore

PASSPHRASE = "une phrase de passe"
Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Edit:
    def edit(meta: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = meta
        for name in parents:
            target = target[name]
        target[last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(meta: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = meta
        for name in parents:
            target = target[name]
        del target[last]

    return edit


#: (what is done to a sound keystore.json, the code the person gets)
DAMAGE: dict[str, tuple[bytes | Edit, str]] = {
    "garbage": (b"\x00\xffPK\x03\x04 not a key file", "sessionlog.keystore.not_json"),
    "truncated json": (b'{"format": 1, "mode": "pass', "sessionlog.keystore.not_json"),
    "empty": (b"", "sessionlog.keystore.not_json"),
    "a list": (b"[1, 2]", "sessionlog.keystore.not_object"),
    "no key_check": (_drop("key_check"), "sessionlog.keystore.missing"),
    "no kdf": (_drop("kdf"), "sessionlog.keystore.missing"),
    "no salt": (_drop("kdf.salt"), "sessionlog.keystore.missing"),
    "no nonce": (_drop("nonce"), "sessionlog.keystore.missing"),
    "format as text": (_set("format", "1"), "sessionlog.keystore.not_integer"),
    "memory as text": (_set("kdf.memory_kib", "19456"), "sessionlog.keystore.not_integer"),
    "lanes true": (_set("kdf.lanes", True), "sessionlog.keystore.not_integer"),
    "iterations float": (_set("kdf.iterations", 2.5), "sessionlog.keystore.not_integer"),
    "kdf as text": (_set("kdf", "argon2id"), "sessionlog.keystore.not_object_field"),
    "nonce a number": (_set("nonce", 12), "sessionlog.keystore.not_text"),
    "wrong hex nonce": (_set("nonce", "zz" * 12), "sessionlog.keystore.bad_hex"),
    "odd hex wrapped": (_set("wrapped", "abc"), "sessionlog.keystore.bad_hex"),
    "wrong hex salt": (_set("kdf.salt", "salt!"), "sessionlog.keystore.bad_hex"),
    "short key_check": (_set("key_check", "ab" * 8), "sessionlog.keystore.bad_length"),
    "absurd memory": (_set("kdf.memory_kib", 2**40), "sessionlog.keystore.kdf_memory"),
    "4 GiB memory": (_set("kdf.memory_kib", 4 * 1024 * 1024), "sessionlog.keystore.kdf_memory"),
    "absurd iterations": (_set("kdf.iterations", 10**9), "sessionlog.keystore.out_of_range"),
    "zero lanes": (_set("kdf.lanes", 0), "sessionlog.keystore.out_of_range"),
    "unknown kdf": (_set("kdf.name", "md5"), "sessionlog.keystore.unknown_kdf"),
    "unknown mode": (_set("mode", "plaintext"), "sessionlog.keystore.mode"),
    "newer format": (_set("format", 2), "sessionlog.keystore.format"),
}


@pytest.fixture
def protected_log(data_dir: Path, no_keyring: None) -> tuple[Path, str]:
    """A passphrase-protected log; returns its folder and its recovery key."""
    new = KeyStore(data_dir).create(passphrase=PASSPHRASE)
    Store.open(data_dir, new.key).close()
    return data_dir, new.recovery_key


def _damage(data_dir: Path, how: bytes | Edit) -> Path:
    path = data_dir / "keystore.json"
    if isinstance(how, bytes):
        path.write_bytes(how)
    else:
        meta = json.loads(path.read_text())
        how(meta)
        path.write_text(json.dumps(meta))
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path


def _no_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a KDF runs: an absurd parameter must be refused before any allocation."""
    import cryptography.hazmat.primitives.kdf.argon2 as argon2

    import groupdesk.sessionlog.keys as keys

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a key derivation ran on a damaged keystore.json")

    monkeypatch.setattr(argon2, "Argon2id", refuse)
    monkeypatch.setattr(keys, "Scrypt", refuse)


@pytest.mark.parametrize("case", list(DAMAGE))
def test_each_damage_has_its_own_message_and_the_file_is_untouched(
    protected_log: tuple[Path, str],
    case: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir, _ = protected_log
    how, code = DAMAGE[case]
    path = _damage(data_dir, how)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    _no_key_derivation(monkeypatch)

    with pytest.raises(KeyNotFound) as caught:  # the recovery key can help
        KeyStore(data_dir).unlock(PASSPHRASE)
    assert caught.value.code == code
    english, french = caught.value.message("en"), caught.value.message("fr_CA")
    assert str(path) in english
    assert "key file" in english
    assert "fichier de clé" in french
    assert english != french
    with pytest.raises(KeyNotFound):
        KeyStore(data_dir).state()

    monkeypatch.setenv("GROUPDESK_PASSPHRASE", PASSPHRASE)
    for lang, text in (("en", english), ("fr_CA", french)):
        assert main(["--data-dir", str(data_dir), "--lang", lang, "log", "verify"]) == 1
        out = capsys.readouterr()
        assert text in out.err
        assert "Traceback" not in out.err + out.out
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_the_recovery_key_writes_a_sound_keystore_again(protected_log: tuple[Path, str]) -> None:
    data_dir, recovery_key = protected_log
    _damage(data_dir, _set("kdf.memory_kib", 2**40))
    key = KeyStore(data_dir).unlock_with_recovery_key(recovery_key, new_passphrase="nouvelle")
    assert KeyStore(data_dir).unlock("nouvelle") == key
    Store.open(data_dir, key, create=False).close()


def _read(raw: bytes) -> dict[str, Any] | SessionLogError:
    """The checked content, or the clear error (anything else fails the test)."""
    try:
        return parse_keystore(raw, Path("keystore.json"))
    except SessionLogError as error:
        return error


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["format", "mode", "key_id", "key_check", "kdf", "nonce", "wrapped", "db_salt"]
KDF_FIELDS = ["name", "salt", "memory_kib", "iterations", "lanes", "n", "r", "p"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_clearly(raw: bytes) -> None:
    outcome = _read(raw)
    if isinstance(outcome, SessionLogError):
        assert outcome.message("fr_CA") != outcome.message("en")


SOUND = {
    "format": 1,
    "mode": "passphrase",
    "key_id": "0b0e6c0e-1c5e-4a8e-9d0e-0c5f3c0f6a11",
    "key_check": "ab" * 32,
    "kdf": {"name": "argon2id", "salt": "cd" * 16, "memory_kib": 19456, "iterations": 2}
    | {"lanes": 1},
    "nonce": "ef" * 12,
    "wrapped": "01" * 48,
}


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS + [f"kdf.{f}" for f in KDF_FIELDS]), value=JSON)
def test_any_value_in_any_field_is_accepted_or_refused_clearly(field: str, value: object) -> None:
    meta = json.loads(json.dumps(SOUND))
    _set(field, value)(meta)
    checked = _read(json.dumps(meta).encode())
    if isinstance(checked, SessionLogError):
        assert checked.message("fr_CA") != checked.message("en")
        return
    kdf = checked["kdf"]
    memory_kib = (
        kdf["memory_kib"] if kdf["name"] == "argon2id" else 128 * kdf["n"] * kdf["r"] // 1024
    )
    assert memory_kib <= 1024 * 1024  # whatever passes never asks for more than 1 GiB


def test_the_command_line_opens_the_log_with_the_recovery_key_and_leaves_the_keystore(
    protected_log: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir, recovery_key = protected_log
    path = _damage(data_dir, b"garbage")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    monkeypatch.setattr("sys.stdin", io.StringIO(recovery_key + "\n"))
    assert main(["--data-dir", str(data_dir), "log", "--recovery-key", "verify"]) == 0
    assert "The session log is sound" in capsys.readouterr().out
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
