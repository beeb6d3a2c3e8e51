"""The composition root: command line, then either a command or the Qt application.

Command-line paths (``log``, ``--print-effective-policy``) never import Qt, so
they work on a server with no display libraries and start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from groupdesk import __version__
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import LANGUAGES, detect_language, normalize_language, set_language, tr


def _language_from_argv(argv: list[str]) -> str:
    """The ``--lang`` value if given (checked before the parser exists: help text is translated)."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return normalize_language(value) or detect_language()
    return detect_language()


def build_parser() -> argparse.ArgumentParser:
    """The ``groupdesk`` command line, in the current language."""
    from groupdesk.sessionlog import cli as log_cli

    parser = argparse.ArgumentParser(prog="groupdesk", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"GroupDesk {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, metavar=tr("cli.metavar.dir"), help=tr("cli.help.data_dir")
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("cli.help.lang"))
    parser.add_argument(
        "--print-effective-policy", action="store_true", help=tr("cli.help.print_policy")
    )
    parser.add_argument("--json", action="store_true", help=tr("policy.cli.help.json"))
    parser.add_argument(
        "--screenshot", type=Path, metavar=tr("cli.metavar.file"), help=tr("cli.help.screenshot")
    )
    commands = parser.add_subparsers(dest="command", metavar=tr("cli.metavar.command"))
    log_cli.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``groupdesk``; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    set_language(_language_from_argv(argv))
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        if args.print_effective_policy:
            from groupdesk.core import policy

            effective = policy.load_effective_policy()
            if args.json:
                print(policy.effective_policy_json(effective))
            else:
                print(policy.format_effective_policy(effective))
            return 1 if effective.problems else 0
        if args.command == "log":
            from groupdesk.sessionlog import cli as log_cli

            return log_cli.run(args)
        return _run_gui(args)
    except GroupDeskError as error:
        print(tr("cli.error", message=error.message()), file=sys.stderr)
        return 1


def _run_gui(args: argparse.Namespace) -> int:
    """Start the Qt application on a qasync loop (filled in by the desktop shell)."""
    print(tr("cli.gui_unavailable"), file=sys.stderr)
    return 2
