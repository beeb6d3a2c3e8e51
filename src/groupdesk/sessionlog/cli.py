"""``groupdesk log ...``: verify, backup, restore, purge, stats and events for administrators.

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
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import catalogue, tr
from groupdesk.sessionlog import audit
from groupdesk.sessionlog.anchor import keep_anchor
from groupdesk.sessionlog.backup import restore_backup
from groupdesk.sessionlog.db import Store
from groupdesk.sessionlog.errors import NoLogYet, PassphraseRequired
from groupdesk.sessionlog.keys import PASSPHRASE_ENV, KeyStore, keyring_available
from groupdesk.sessionlog.paths import default_data_dir
from groupdesk.sessionlog.recovery import decode_recovery_key
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS, PurgePreview

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
    purge = sub.add_parser("purge", help=tr("log.help.purge"))
    how = purge.add_mutually_exclusive_group()
    how.add_argument("--yes", action="store_true", help=tr("log.help.purge_yes"))
    how.add_argument("--preview", action="store_true", help=tr("log.help.purge_preview"))
    sub.add_parser("stats", help=tr("log.help.stats"))
    _add_events_parser(sub)


def _session_arg(text: str) -> int | str:
    """``--session``: a session number, or ``last``."""
    if text == "last":
        return text
    if re.fullmatch(r"[0-9]{1,18}", text) and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(tr("log.events.bad_session", value=text))


def _date_arg(text: str) -> date:
    """``--since``: a day, YYYY-MM-DD (read as UTC)."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # a day that does not exist (2026-02-30): the same message below
    raise argparse.ArgumentTypeError(tr("log.events.bad_date", value=text))


def _add_events_parser(sub: Any) -> None:
    events = sub.add_parser(
        "events", help=tr("log.help.events"), description=tr("log.events.description")
    )
    which = events.add_mutually_exclusive_group()
    which.add_argument(
        "--session",
        type=_session_arg,
        default="last",
        metavar=tr("log.events.metavar.session"),
        help=tr("log.events.help.session"),
    )
    which.add_argument("--all", action="store_true", help=tr("log.events.help.all"))
    events.add_argument(
        "--since",
        type=_date_arg,
        metavar=tr("log.events.metavar.date"),
        help=tr("log.events.help.since"),
    )
    # dest differs from the top-level --json (the policy's), which it would overwrite
    events.add_argument(
        "--json", dest="events_json", action="store_true", help=tr("log.events.help.json")
    )


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
        for note in report.notes_text():
            print(tr("log.verify.note", note=note))
        return 0
    print(tr("log.verify.failed", reason=report.message()), file=sys.stderr)
    return 1


def _backup(store: Store, args: argparse.Namespace) -> int:
    path = store.backup(args.file)
    print(tr("log.backup.done", path=str(path)))
    return 0


def _print_preview(preview: PurgePreview) -> None:
    print(
        tr(
            "log.purge.preview_header",
            years=preview.retention_years,
            cutoff=preview.cutoff.date().isoformat(),
        )
    )
    print(
        tr(
            "log.purge.preview_counts",
            sessions=len(preview.sessions),
            members=len(preview.members),
            notes=preview.notes,
            stays=preview.stays,
            referrals=preview.referrals,
        )
    )
    if preview.sessions:
        print(tr("log.purge.preview_sessions"))
        for session in preview.sessions:
            day = session.start.date().isoformat()
            print(
                tr("log.purge.preview_session", id=session.id, group=session.group_name, date=day)
            )
    if preview.members:
        print(tr("log.purge.preview_members"))
        for member in preview.members:
            print(tr("log.purge.preview_member", id=member.id, name=member.name))


_YES = frozenset({"y", "yes", "o", "oui"})


def _confirmed() -> bool:
    """The administrator's answer (y/yes, o/oui); end of input or anything else is no."""
    prompt = tr("log.purge.confirm")
    if sys.stdin.isatty():
        try:
            answer = input(prompt)
        except EOFError:
            return False
    else:  # piped: ``echo o | groupdesk log purge`` answers too
        print(prompt, end="", flush=True)
        answer = sys.stdin.readline()
        print()
    return answer.strip().casefold() in _YES


def _purge(store: Store, args: argparse.Namespace) -> int:
    """Show what the purge would delete, then (asked, or ``--yes``) delete exactly that."""
    years = retention_years()
    now = datetime.now(UTC)  # one instant: what is shown is what is deleted
    preview = store.purge_preview(now, retention_years=years)
    if preview.empty:
        print(tr("log.purge.nothing", years=years))
        return 0
    _print_preview(preview)
    if args.preview:
        return 0
    if not args.yes and not _confirmed():
        print(tr("log.purge.cancelled"))
        return 1
    purged = store.purge(now, retention_years=years)
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


def _events_header(session_id: int | None, since: date | None) -> str:
    if session_id is not None:
        return tr("log.events.header_session", id=session_id)
    if since is not None:
        return tr("log.events.header_since", date=since.isoformat())
    return tr("log.events.header_all")


def _events(store: Store, args: argparse.Namespace) -> int:
    """The journal as an audit trail, then whether its hash chain verifies."""
    conn = store.connection
    session_id: int | None = None
    if not args.all:
        if args.session == "last":
            session_id = audit.last_session(conn)
        else:
            session_id = int(args.session)
            audit.check_session(conn, session_id)
    try:
        return _print_events(store, session_id, args.since, as_json=bool(args.events_json))
    except BrokenPipeError:
        # The reader stopped (``| head``): stop too, without a traceback, and keep
        # Python from failing again when it flushes stdout at exit.
        log.info("log events: standard output closed by the reader")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _print_events(
    store: Store, session_id: int | None, since: date | None, *, as_json: bool
) -> int:
    if not as_json:
        print(_events_header(session_id, since))
    listed = 0
    for event in audit.audit_events(store.connection, session_id, since):
        print(event.json() if as_json else event.text())
        listed += 1
    if listed == 0 and not as_json:
        print(tr("log.events.none"))
    report = store.verify()  # the whole chain: a broken link anywhere is said
    if as_json:
        problem = None if report.ok else report.message("en")
        print(audit.chain_json(report.ok, report.journal_rows, problem))
    elif report.ok:
        print(tr("log.events.chain_ok", rows=report.journal_rows))
    else:
        print(tr("log.events.chain_failed", reason=report.message()))
    sys.stdout.flush()  # a closed pipe is found here, not at exit
    return 0 if report.ok else 1


_COMMANDS = {
    "verify": _verify,
    "backup": _backup,
    "purge": _purge,
    "stats": _stats,
    "events": _events,
}


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
        if report.anchor is not None:  # keystore.json is new: it gets the backup's anchor
            keep_anchor(data_dir, key, report.anchor)
    if report.previous is None:
        print(tr("log.restore.done_fresh", path=str(args.file)))
    else:
        print(tr("log.restore.done", path=str(args.file), previous=str(report.previous)))
    return 0


def open_log(args: argparse.Namespace) -> Store:
    """The log of ``--data-dir`` (or the default folder), opened as ``groupdesk log``
    opens it: the keyring, else the passphrase (``--recovery-key`` when the command has
    it). Raises ``NoLogYet`` when there is none; the caller closes it."""
    data_dir = Path(args.data_dir) if args.data_dir is not None else default_data_dir()
    if not (data_dir / "groupdesk.db").exists():
        raise NoLogYet(path=str(data_dir))
    return Store.open(data_dir, _key(data_dir, args), create=False)
