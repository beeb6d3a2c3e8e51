"""``groupdesk export``: a session's record, a note or a member's history to PDF.

``groupdesk export --session ID|last --pdf FILE`` (or ``--note ID``, ``--member ID``)
opens the log as ``groupdesk log`` does (the keyring, else the passphrase), writes the
record in the language of the global ``--lang`` option, journals the export
(``record.exported``: ids only) and prints where the file is. An existing file is left
alone unless ``--force``. Qt is imported only when the command runs (``build_parser``
stays free of it): the PDF is drawn by Qt on the offscreen platform, no display needed.

Exit codes: 0 written; 1 refused or failed (the message says why: no log, wrong key,
unknown session, no session held yet, file exists, folder missing...); 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import get_language
from groupdesk.core.i18n import tr as catalogue_text  # not "tr": lupdate reads that as Qt's

EXIT_OK = 0
EXIT_FAILED = 1


class ExportRefused(GroupDeskError):  # noqa: N818 -- a condition, named like the others
    """The file exists (and no ``--force``), or the path is not a file one can write."""

    key = "cli.export.exists"


def _positive_id(text: str) -> int:
    if re.fullmatch(r"[0-9]{1,18}", text) and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(catalogue_text("cli.export.bad_id", value=text))


def _session_arg(text: str) -> int | str:
    return text if text == "last" else _positive_id(text)


def add_parser(commands: Any) -> None:
    """Register ``export`` on the main parser's subparsers."""
    export = commands.add_parser(
        "export",
        help=catalogue_text("cli.export.help"),
        description=catalogue_text("cli.export.description"),
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--session",
        type=_session_arg,
        metavar=catalogue_text("cli.export.metavar.session"),
        help=catalogue_text("cli.export.help.session"),
    )
    which.add_argument(
        "--note", type=_positive_id, metavar="ID", help=catalogue_text("cli.export.help.note")
    )
    which.add_argument(
        "--member", type=_positive_id, metavar="ID", help=catalogue_text("cli.export.help.member")
    )
    export.add_argument(
        "--pdf",
        type=Path,
        required=True,
        metavar=catalogue_text("cli.metavar.file"),
        help=catalogue_text("cli.export.help.pdf"),
    )
    export.add_argument(
        "--force", action="store_true", help=catalogue_text("cli.export.help.force")
    )
    export.add_argument(
        "--practitioner",
        default="",
        metavar=catalogue_text("cli.export.metavar.name"),
        help=catalogue_text("cli.export.help.practitioner"),
    )
    export.add_argument(
        "--recovery-key", action="store_true", help=catalogue_text("log.help.recovery_key")
    )


def _target(given: Path, force: bool) -> Path:
    """The file to write: absolute; refused when it exists (without ``--force``), is a
    folder, or its folder does not exist."""
    path = given.expanduser().absolute()
    if path.is_dir():
        raise ExportRefused("cli.export.is_folder", path=str(path))
    if not path.parent.is_dir():
        raise ExportRefused("pdf.error.no_folder", folder=str(path.parent))
    if (path.exists() or path.is_symlink()) and not force:
        raise ExportRefused("cli.export.exists", path=str(path))
    return path


def _gui_application() -> Any:
    """A ``QGuiApplication`` for the fonts (offscreen unless a platform was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from groupdesk.ui.screenshot import quiet_offscreen_warnings

    quiet_offscreen_warnings()
    return QGuiApplication.instance() or QGuiApplication([sys.argv[0] if sys.argv else "groupdesk"])


def run(args: argparse.Namespace) -> int:
    """Run ``groupdesk export``; returns the exit code (errors raise ``GroupDeskError``,
    which ``app.main`` prints)."""
    from groupdesk.core.policy_values import load_policy
    from groupdesk.sessionlog import cli as log_cli
    from groupdesk.sessionlog.record_export import (
        ExportSettings,
        What,
        build_export,
        latest_session,
    )

    path = _target(args.pdf, bool(args.force))
    lang = get_language()
    app = _gui_application()
    from groupdesk.ui.records.local_zone import local_zone
    from groupdesk.ui.records.pdf import write_pdf

    settings = ExportSettings.from_policy(
        load_policy(), lang, local_zone(), practitioner=args.practitioner
    )
    what: What
    if args.note is not None:
        what, row = "note", int(args.note)
    elif args.member is not None:
        what, row = "member", int(args.member)
    else:
        what = "session"
        row = 0 if args.session == "last" else int(args.session)
    store = log_cli.open_log(args)
    try:
        if what == "session" and row == 0:
            row = latest_session(store)
        export = build_export(store, what, row, settings, datetime.now(UTC))
        written = write_pdf(export.document, path)
        try:
            store.append_event(export.session_id, export.entry())
        except BaseException:
            # Not journaled: no record of it may stay behind either.
            with contextlib.suppress(FileNotFoundError):
                written.unlink()
            raise
    finally:
        store.close()
    del app  # the application object lives until the command returns
    print(catalogue_text(f"cli.export.done_{what}", path=str(written), id=row))
    return EXIT_OK
