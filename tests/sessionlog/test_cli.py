"""``groupdesk log ...`` as an administrator runs it: exit codes and what is printed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.app import main
from groupdesk.core.i18n import catalogue
from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.sessionlog import KeyStore, Store
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.db import COUNTED_TABLES, LATEST
from memory_keyring import MemoryKeyring

from .conftest import file_hash

SECRET = "zqxclisecret"


def _log(data_dir: Path) -> bytes:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group(f"Groupe {SECRET}")
    store.add_member(group.id, f"Ana {SECRET}")
    for i in range(5):
        store.append_event(None, SeatEvent("lobby.admitted", f"{SECRET} {i}", i))
    store.close()
    return key


def test_verify_sound_then_tampered(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _log(data_dir)
    assert main(["--data-dir", str(data_dir), "log", "verify"]) == 0
    assert "5 journal entries" in capsys.readouterr().out
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute("DROP TRIGGER journal_no_delete")
    conn.execute("DELETE FROM journal WHERE seq = 3")
    conn.close()
    assert main(["--data-dir", str(data_dir), "--lang", "fr_CA", "log", "verify"]) == 1
    err = capsys.readouterr().err
    assert "l'entrée 3 du journal est absente" in err


def test_verify_damaged_file_exit_1_and_untouched(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _log(data_dir)
    db = data_dir / "groupdesk.db"
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size - 100)
    before = file_hash(db)
    assert main(["--data-dir", str(data_dir), "log", "verify"]) == 1
    assert "truncated" in capsys.readouterr().err
    assert file_hash(db) == before


def test_stats_are_counts_only(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _log(data_dir)
    assert main(["--data-dir", str(data_dir), "log", "stats"]) == 0
    out = capsys.readouterr().out
    assert "journal entries: 5" in out
    assert "members: 1" in out
    assert SECRET not in out
    assert "Ana" not in out


def test_stats_speak_french(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _log(data_dir)
    assert main(["--lang", "fr_CA", "--data-dir", str(data_dir), "log", "stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "entrées du journal : 5" in lines
    assert "membres : 1" in lines
    assert "version du schéma : " + str(LATEST) in lines
    assert len(lines) == len(COUNTED_TABLES) + 3  # the tables, the version, pages, bytes
    # every count has its label, in both languages (a new table needs one)
    assert [n for n in (*COUNTED_TABLES, "schema_version", "pages", "bytes")
            if f"log.stats.{n}" not in catalogue()] == []  # fmt: skip


def test_the_command_line_speaks_french_down_to_argparse_s_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "fr_CA", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : groupdesk [-h]")
    for french in ("arguments positionnels:", "options:", "afficher ce message d'aide et quitter"):
        assert french in out
    for english in ("usage", "positional arguments", "show this help", "show program"):
        assert english not in out

    with pytest.raises(SystemExit) as exited:
        main(["--lang", "fr_CA", "log"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : groupdesk log [-h]")
    assert "groupdesk log : erreur : les arguments suivants sont obligatoires : COMMANDE" in err

    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "log", "statistiques"])
    assert "argument COMMANDE : choix invalide : 'statistiques'" in capsys.readouterr().err


def test_backup_and_restore(
    data_dir: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _log(data_dir)
    backup = tmp_path / "log.gdbk"
    assert main(["--data-dir", str(data_dir), "log", "backup", str(backup)]) == 0
    assert main(["--data-dir", str(data_dir), "log", "backup", str(backup)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "log", "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "before-restore-" in out
    assert main(["--data-dir", str(data_dir), "log", "verify"]) == 0


def test_restore_on_a_new_computer_with_the_recovery_key(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old"
    new_key = KeyStore(old).create()
    store = Store.open(old, new_key.key)
    store.create_group("G")
    store.backup(tmp_path / "log.gdbk")
    store.close()
    memory_keyring.entries.clear()
    fresh = tmp_path / "fresh"
    monkeypatch.setattr(sys, "stdin", io.StringIO(new_key.recovery_key + "\n"))
    code = main(
        ["--data-dir", str(fresh), "log", "--recovery-key", "restore", str(tmp_path / "log.gdbk")]
    )
    assert code == 0
    assert KeyStore(fresh).state() == "keyring"
    reopened = Store.open(fresh, KeyStore(fresh).unlock())
    assert [g.name for g in reopened.list_groups()] == ["G"]
    reopened.close()


def test_purge_uses_the_policy_period(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group("G")
    long_ago = datetime.now(UTC) - timedelta(days=365 * 6)
    store.create_session(group.id, long_ago, long_ago + timedelta(hours=2))
    store.create_session(
        group.id,
        long_ago.replace(year=long_ago.year + 3),
        long_ago.replace(year=long_ago.year + 3, hour=23),
    )
    store.close()
    assert main(["--data-dir", str(data_dir), "log", "purge", "--yes"]) == 0
    assert "Purged 1 sessions" in capsys.readouterr().out
    store = Store.open(data_dir, key)
    assert len(store.list_sessions()) == 1
    assert store.journal()[-1].kind == "retention.purged"
    store.close()


def test_no_log_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "none"), "log", "stats"]) == 1
    assert "no session log" in capsys.readouterr().err


def test_passphrase_mode_without_terminal_or_env(
    data_dir: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = KeyStore(data_dir).create(passphrase="phrase").key
    Store.open(data_dir, key).close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--data-dir", str(data_dir), "log", "verify"]) == 1
    assert "GROUPDESK_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("GROUPDESK_PASSPHRASE", "wrong")
    assert main(["--data-dir", str(data_dir), "log", "verify"]) == 1
    assert "passphrase is not correct" in capsys.readouterr().err


def test_real_program_with_env_passphrase(data_dir: Path, no_keyring: None) -> None:
    """The installed entry point, as automation runs it on a headless box."""
    key = KeyStore(data_dir).create(passphrase="automation").key
    Store.open(data_dir, key).close()
    env = dict(
        os.environ,
        GROUPDESK_PASSPHRASE="automation",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    ok = subprocess.run(
        [sys.executable, "-m", "groupdesk", "--data-dir", str(data_dir), "log", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "sound" in ok.stdout
