"""``groupdesk log ...``: verify, backup, restore, purge and stats for administrators."""

from __future__ import annotations

import argparse
from typing import Any

from groupdesk.core.i18n import tr


def add_parser(commands: Any) -> None:
    """Register ``log`` and its subcommands on the main parser's subparsers."""
    log = commands.add_parser("log", help=tr("log.help"))
    sub = log.add_subparsers(dest="log_command", required=True)
    sub.add_parser("verify", help=tr("log.help.verify"))


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``log`` subcommand; returns the exit code."""
    return 2
