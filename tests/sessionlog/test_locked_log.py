"""A closed (locked) log refuses work clearly, and its Store overwrites its copy of the key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from groupdesk.sessionlog import KeyStore, LogLocked, SessionLog, Store
from memory_keyring import MemoryKeyring


def test_a_closed_log_refuses_every_call_with_a_clear_message(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    async def scenario() -> None:
        log = await SessionLog.open(data_dir, KeyStore(data_dir).create().key)
        await log.create_group("Cercle du mardi")
        assert not log.closed
        await log.close()
        assert log.closed
        with pytest.raises(LogLocked) as raised:
            await log.list_groups()
        assert raised.value.message("en") == "The session log is locked. Unlock it to continue."
        assert "verrouillé" in raised.value.message("fr_CA")
        await log.close()  # closing twice is harmless

    asyncio.run(scenario())


def test_closing_the_store_overwrites_its_key_and_a_backup_before_still_opens(
    data_dir: Path, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    store.create_group("Cercle du mardi")
    backup = store.backup(tmp_path / "backup.db")
    assert store._key == bytearray(key)
    store.close()
    assert store._key == bytearray(len(key))
    assert backup.exists()
