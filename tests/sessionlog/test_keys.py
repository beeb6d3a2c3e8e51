"""The key: keyring mode, passphrase mode, the recovery key, a changed keyring backend."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import keyring
import keyring.backend
import pytest

from groupdesk.sessionlog import (
    InvalidRecoveryKey,
    KeyNotFound,
    KeyringBackendChanged,
    KeyStore,
    LogAlreadyExists,
    PassphraseRequired,
    Store,
    WrongKey,
    WrongPassphrase,
    decode_recovery_key,
    encode_recovery_key,
    keyring_available,
)
from memory_keyring import MemoryKeyring  # the type; the fixture provides the instance


def test_keyring_mode_stores_the_key_in_the_keyring_only(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    store = KeyStore(data_dir)
    assert store.state() == "new"
    new = store.create()
    assert new.mode == "keyring"
    assert store.state() == "keyring"
    assert KeyStore(data_dir).unlock() == new.key
    meta = json.loads((data_dir / "keystore.json").read_text())
    assert meta["backend"] == f"{type(memory_keyring).__module__}.MemoryKeyring"
    assert new.key.hex() not in (data_dir / "keystore.json").read_text()
    assert list(memory_keyring.entries.values()) == [new.key.hex()]
    assert repr(new) == "NewKey(mode='keyring')"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_are_private(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    new = KeyStore(data_dir).create()
    store = Store.open(data_dir, new.key)
    store.create_group("G")
    names = sorted(p.name for p in data_dir.iterdir())
    assert names == [
        "groupdesk.db",
        "groupdesk.db-shm",
        "groupdesk.db-wal",
        "journal.witness",
        "keystore.json",
    ]
    for name in names:
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    store.close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_no_keyring_needs_a_passphrase_never_plaintext(data_dir: Path, no_keyring: None) -> None:
    assert not keyring_available()
    with pytest.raises(PassphraseRequired):
        KeyStore(data_dir).create()
    assert not (data_dir / "keystore.json").exists()


def test_passphrase_mode_round_trip(
    data_dir: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = KeyStore(data_dir)
    new = store.create(passphrase="correct horse battery staple")
    assert new.mode == "passphrase"
    assert store.state() == "passphrase"
    meta = json.loads((data_dir / "keystore.json").read_text())
    assert meta["kdf"]["name"] == "argon2id"
    assert meta["kdf"]["memory_kib"] >= 19 * 1024
    assert meta["kdf"]["iterations"] >= 2
    assert new.key.hex() not in json.dumps(meta)
    assert store.unlock("correct horse battery staple") == new.key
    with pytest.raises(WrongPassphrase) as wrong:
        store.unlock("correct horse battery stapler")
    assert wrong.value.code == "sessionlog.wrong_passphrase"
    with pytest.raises(PassphraseRequired):
        store.unlock()
    monkeypatch.setenv("GROUPDESK_PASSPHRASE", "correct horse battery staple")
    assert store.unlock() == new.key


def test_unusable_backends_are_rejected(memory_keyring: MemoryKeyring) -> None:
    assert keyring_available()

    class PlaintextKeyring(type(memory_keyring)):  # type: ignore[misc]
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    assert not keyring_available()


def test_recovery_key_format_and_typos() -> None:
    raw = bytes(range(32))
    text = encode_recovery_key(raw)
    groups = text.split("-")
    assert len(groups) == 14
    assert all(len(g) == 4 for g in groups)
    assert decode_recovery_key(text) == raw
    assert decode_recovery_key(text.lower().replace("-", " ")) == raw
    swapped = text[:5] + ("A" if text[5] != "A" else "B") + text[6:]
    with pytest.raises(InvalidRecoveryKey):
        decode_recovery_key(swapped)
    with pytest.raises(InvalidRecoveryKey):
        decode_recovery_key(text[:-5])
    with pytest.raises(InvalidRecoveryKey):
        decode_recovery_key(text.replace(text[0], "U", 1))


def test_lost_keyring_entry_recovered_with_the_recovery_key(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    new = KeyStore(data_dir).create()
    log = Store.open(data_dir, new.key)
    group = log.create_group("Groupe du mardi")
    log.close()
    memory_keyring.entries.clear()  # the keyring entry is gone
    with pytest.raises(KeyNotFound) as lost:
        KeyStore(data_dir).unlock()
    assert "recovery key" in str(lost.value)
    key = KeyStore(data_dir).unlock_with_recovery_key(new.recovery_key)
    assert key == new.key
    assert KeyStore(data_dir).unlock() == new.key
    reopened = Store.open(data_dir, key)
    assert reopened.list_groups() == [group]
    reopened.close()


def test_reinstall_lost_keystore_recovery_key_still_opens(data_dir: Path, no_keyring: None) -> None:
    new = KeyStore(data_dir).create(passphrase="first passphrase")
    Store.open(data_dir, new.key).close()
    (data_dir / "keystore.json").unlink()  # laptop reinstalled, only the .db copied back
    store = KeyStore(data_dir)
    assert store.needs_recovery()
    with pytest.raises(KeyNotFound):
        store.state()
    with pytest.raises(LogAlreadyExists):
        store.create(passphrase="x")
    other = encode_recovery_key(bytes(32))
    with pytest.raises(WrongKey):
        store.unlock_with_recovery_key(other, new_passphrase="second passphrase")
    assert not (data_dir / "keystore.json").exists()
    key = store.unlock_with_recovery_key(new.recovery_key, new_passphrase="second passphrase")
    assert key == new.key
    assert store.state() == "passphrase"
    assert store.unlock("second passphrase") == new.key
    with pytest.raises(WrongPassphrase):
        store.unlock("first passphrase")


def test_recovery_key_of_another_log_is_refused(
    data_dir: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    KeyStore(data_dir).create()
    other = KeyStore(tmp_path / "other").create()
    with pytest.raises(WrongKey):
        KeyStore(data_dir).unlock_with_recovery_key(other.recovery_key)


def test_changed_keyring_backend_is_explained(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    new = KeyStore(data_dir).create()

    class OtherKeyring(type(memory_keyring)):  # type: ignore[misc]
        pass

    keyring.set_keyring(OtherKeyring())
    with pytest.raises(KeyringBackendChanged) as changed:
        KeyStore(data_dir).unlock()
    text = str(changed.value)
    assert "MemoryKeyring" in text
    assert "OtherKeyring" in text
    assert "recovery key" in text
    assert changed.value.message("fr_CA") != text
    # The recovery key moves the key into the keyring in use now.
    assert KeyStore(data_dir).unlock_with_recovery_key(new.recovery_key) == new.key
    assert KeyStore(data_dir).unlock() == new.key


def test_create_refuses_to_overwrite(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    KeyStore(data_dir).create()
    before = (data_dir / "keystore.json").read_bytes()
    with pytest.raises(LogAlreadyExists):
        KeyStore(data_dir).create()
    assert (data_dir / "keystore.json").read_bytes() == before


def test_keyring_gone_later_is_explained(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    KeyStore(data_dir).create()
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringBackendChanged) as changed:
        KeyStore(data_dir).unlock()
    assert changed.value.params["current"] == "none"
    assert "recovery key" in str(changed.value)


def test_keyring_refusing_the_key_asks_for_a_passphrase(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring.errors

    def locked(service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    with pytest.raises(PassphraseRequired):
        KeyStore(data_dir).create()
    assert KeyStore(data_dir).state() == "new"  # nothing half-written
    new = KeyStore(data_dir).create(passphrase="repli")
    assert new.mode == "passphrase"


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"format": 1}', b""])
def test_damaged_keystore_points_to_the_recovery_key(
    data_dir: Path, memory_keyring: MemoryKeyring, content: bytes
) -> None:
    new = KeyStore(data_dir).create()
    Store.open(data_dir, new.key).close()
    (data_dir / "keystore.json").write_bytes(content)
    with pytest.raises(KeyNotFound) as caught:
        KeyStore(data_dir).unlock()
    assert "recovery key" in str(caught.value)
    with pytest.raises(KeyNotFound):
        KeyStore(data_dir).state()
    assert KeyStore(data_dir).unlock_with_recovery_key(new.recovery_key) == new.key
    assert KeyStore(data_dir).unlock() == new.key
