"""``groupdesk log ...``: verify, backup, restore, purge and stats for administrators.

The key comes from the keyring, or from the passphrase (``GROUPDESK_PASSPHRASE``,
else asked on the terminal), or with ``--recovery-key`` from the recovery key
read on standard input (never on the command line, where ``ps`` would show it).
Errors reach ``app.main`` as GroupDeskError: it prints them and exits 1.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import Any

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import catalogue, tr
from groupdesk.sessionlog.backup import restore_backup
from groupdesk.sessionlog.db import Store
from groupdesk.sessionlog.errors import NoLogYet, PassphraseRequired
from groupdesk.sessionlog.keys import PASSPHRASE_ENV, KeyStore, keyring_available
from groupdesk.sessionlog.paths import default_data_dir
from groupdesk.sessionlog.recovery import decode_recovery_key
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS

log = logging.getLogger(__name__)


def add_parser(commands: Any) -> None:
    """Register ``log`` and its subcommands on the main parser's subparsers."""
    log_parser = commands.add_parser("log", help=tr("log.help"))
    log_parser.add_argument("--recovery-key", action="store_true", help=tr("log.help.recovery_key"))
    sub = log_parser.add_subparsers(
        dest="log_command", required=True, metavar=tr("cli.metavar.command")
    )
    sub.add_parser("verify", help=tr("log.help.verify"))
    backup = sub.add_parser("backup", help=tr("log.help.backup"))
    backup.add_argument("file", type=Path, metavar=tr("cli.metavar.file"), help=tr("log.help.file"))
    restore = sub.add_parser("restore", help=tr("log.help.restore"))
    restore.add_argument(
        "file", type=Path, metavar=tr("cli.metavar.file"), help=tr("log.help.file")
    )
    sub.add_parser("purge", help=tr("log.help.purge"))
    sub.add_parser("stats", help=tr("log.help.stats"))


def _read_recovery_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Recovery key / Clé de récupération : ")
    return sys.stdin.readline().strip()


def _passphrase() -> str:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return getpass.getpass(tr("log.prompt.passphrase"))
    raise PassphraseRequired("sessionlog.interactive_needed")


def _key(data_dir: Path, args: argparse.Namespace) -> bytes:
    if getattr(args, "recovery_key", False):
        return decode_recovery_key(_read_recovery_key())
    keystore = KeyStore(data_dir)
    state = keystore.state()  # raises KeyNotFound when only the recovery key can help
    if state == "new":
        raise NoLogYet(path=str(data_dir))
    if state == "passphrase":
        return keystore.unlock(_passphrase())
    return keystore.unlock()


def retention_years() -> int:
    """The organisation policy's retention period (5 years if it cannot be read)."""
    try:
        from groupdesk.core.policy_values import load_policy

        return load_policy().retention_years
    except (ImportError, ValueError, GroupDeskError):
        log.warning("retention period not readable from the policy; using the default")
        return DEFAULT_RETENTION_YEARS


def _verify(store: Store, args: argparse.Namespace) -> int:
    report = store.verify()
    if report.ok:
        print(tr("log.verify.ok", rows=report.journal_rows))
        return 0
    print(tr("log.verify.failed", reason=report.message()), file=sys.stderr)
    return 1


def _backup(store: Store, args: argparse.Namespace) -> int:
    path = store.backup(args.file)
    print(tr("log.backup.done", path=str(path)))
    return 0


def _purge(store: Store, args: argparse.Namespace) -> int:
    years = retention_years()
    purged = store.purge(retention_years=years)
    print(tr("log.purge.done", sessions=purged.sessions, members=purged.members, years=years))
    return 0


def stats_label(name: str) -> str:
    """What a count of ``Store.stats()`` is called, in the current language."""
    key = f"log.stats.{name}"
    return tr(key) if key in catalogue() else name.replace("_", " ")


def _stats(store: Store, args: argparse.Namespace) -> int:
    for name, count in store.stats().items():
        print(tr("log.stats.line", name=stats_label(name), count=count))
    return 0


_COMMANDS = {"verify": _verify, "backup": _backup, "purge": _purge, "stats": _stats}


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``log`` subcommand; returns the exit code."""
    data_dir = Path(args.data_dir) if args.data_dir is not None else default_data_dir()
    if args.log_command == "restore":
        return _restore(data_dir, args)
    handler = _COMMANDS[args.log_command]
    if not (data_dir / "groupdesk.db").exists():
        raise NoLogYet(path=str(data_dir))
    store = Store.open(data_dir, _key(data_dir, args), create=False)
    try:
        return handler(store, args)
    finally:
        store.close()


def _restore(data_dir: Path, args: argparse.Namespace) -> int:
    recovery_text = _read_recovery_key() if args.recovery_key else None
    key = _key(data_dir, args) if recovery_text is None else decode_recovery_key(recovery_text)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    report = restore_backup(data_dir, args.file, key)
    if recovery_text is not None and not KeyStore(data_dir).path.exists():
        # A new computer: keep the key again (keyring, else the passphrase).
        passphrase = None if keyring_available() else _passphrase()
        KeyStore(data_dir).unlock_with_recovery_key(recovery_text, new_passphrase=passphrase)
    if report.previous is None:
        print(tr("log.restore.done_fresh", path=str(args.file)))
    else:
        print(tr("log.restore.done", path=str(args.file), previous=str(report.previous)))
    return 0
