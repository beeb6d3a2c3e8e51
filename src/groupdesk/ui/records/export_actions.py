"""Export a record to PDF from the app: a session's record, a note, a member's history.

The notes page and the group screen call :func:`export_session`, :func:`export_note`
and :func:`export_member`. Each asks where to save the file and in which language
(French or English, the app's by default; the file in the user's Documents folder),
reads the record on the log's thread, writes the PDF whole (``write_pdf``: a
temporary file renamed into place), then journals the export (``record.exported``, ids
only) and says where the file is, in the window's status bar (else in a message box).
An error is shown in a message box, and nothing is left behind: a file written but not
journaled is removed. The PDF carries the journal's head as it was before that entry.

The question is a function (``choose``) so that tests and other screens can answer it
without a dialog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core import i18n
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.policy_values import Policy
from groupdesk.sessionlog import SessionLog
from groupdesk.sessionlog.record_export import ExportSettings, What
from groupdesk.ui.language import LANGUAGE_NAMES
from groupdesk.ui.records.local_zone import local_zone
from groupdesk.ui.records.pdf import write_pdf
from groupdesk.ui.widgets import field_message, show_message

log = logging.getLogger(__name__)

translate = QCoreApplication.translate

#: How long the status bar says where the file went (milliseconds).
STATUS_MS = 15_000


@dataclass(frozen=True)
class ExportChoice:
    """Where to write the PDF, and the language of the record."""

    path: Path
    lang: str


Chooser = Callable[[QWidget | None, Path, str], Awaitable[ExportChoice | None]]
"""Asks where to save (suggested path) and in which language (suggested one); None:
the person cancelled."""


def documents_folder() -> Path:
    """The user's Documents folder (their home folder when the system names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


class ExportDialog(QDialog):
    """Where to save the PDF (a file field and "Choose…") and the record's language.

    A file that exists is replaced only once the person has pressed Export a second
    time after being told; a folder that does not exist is said at once.
    """

    def __init__(self, suggested: Path, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export to PDF"))
        self.language = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.path = QLineEdit(str(suggested), self)
        self.browse = QPushButton(self.tr("&Choose…"), self)
        self.message = field_message(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Export"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        language_label = QLabel(self.tr("&Language of the record:"), self)
        language_label.setBuddy(self.language)
        file_label = QLabel(self.tr("&File:"), self)
        file_label.setBuddy(self.path)
        form.addRow(language_label, self.language)
        form.addRow(file_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.path.setMinimumWidth(420)
        self._confirmed: Path | None = None
        self.browse.clicked.connect(self._browse)
        self.path.textChanged.connect(lambda _text: show_message(self.message, None))
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)

    def choice(self) -> ExportChoice:
        """The file (``.pdf`` added when it has no extension) and the language chosen."""
        path = Path(self.path.text().strip()).expanduser()
        if not path.suffix:
            path = path.with_suffix(".pdf")
        return ExportChoice(path, str(self.language.currentData()))

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export to PDF"), self.path.text(), self.tr("PDF files (*.pdf)")
        )
        if chosen:
            self.path.setText(chosen)
            self._confirmed = self.choice().path  # the file dialog asked about replacing

    def _check_and_accept(self) -> None:
        if not self.path.text().strip():
            show_message(self.message, self.tr("Give the name of the file to write."))
            return
        path = self.choice().path
        if path.is_dir():
            show_message(self.message, self.tr("This is a folder: give a file name."))
            return
        if not path.parent.is_dir():
            show_message(self.message, self.tr("This folder does not exist."))
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            show_message(
                self.message,
                self.tr("This file exists. Press Export again to replace it."),
            )
            return
        self.accept()


async def ask_where(parent: QWidget | None, suggested: Path, lang: str) -> ExportChoice | None:
    """The export dialog, awaited without blocking the loop; None when cancelled."""
    dialog = ExportDialog(suggested, lang, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(code: int) -> None:
        if not done.done():
            done.set_result(int(code))

    dialog.finished.connect(finished)
    dialog.open()
    code = await done
    return dialog.choice() if code == QDialog.DialogCode.Accepted.value else None


def _show_error(parent: QWidget | None, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, translate("Export", "Export to PDF"), text)
    box.setParent(parent, box.windowFlags())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("exportError")
    box.open()
    return box


def _say_written(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, STATUS_MS)
        return
    box = QMessageBox(QMessageBox.Icon.Information, translate("Export", "Export to PDF"), text)
    box.setParent(parent, box.windowFlags())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("exportDone")
    box.open()


def _written_text(what: What, path: Path) -> str:
    texts = {
        "session": translate("Export", "Session record saved to {path}"),
        "note": translate("Export", "Note saved to {path}"),
        "member": translate("Export", "Member history saved to {path}"),
    }
    return texts[what].format(path=str(path))


async def export_record(
    parent: QWidget | None,
    log_: SessionLog,
    policy: Policy,
    what: What,
    row: int,
    *,
    choose: Chooser = ask_where,
    tz: tzinfo | None = None,
    practitioner: str = "",
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Path | None:
    """Ask where, write the record ``what`` number ``row`` as a PDF, journal it, say
    where it went; the file written (None: cancelled or failed, nothing left behind)."""
    zone = tz or local_zone()
    lang = i18n.get_language()
    try:
        first = await log_.build_export(
            what, row, ExportSettings.from_policy(policy, lang, zone), now()
        )
    except GroupDeskError as error:
        _show_error(parent, error.message())
        return None
    choice = await choose(parent, documents_folder() / first.file_name, lang)
    if choice is None:
        return None
    settings = ExportSettings.from_policy(policy, choice.lang, zone, practitioner=practitioner)
    try:
        # Read again: the record and the journal's head as they are now.
        export = await log_.build_export(what, row, settings, now())
        written = write_pdf(export.document, choice.path)
    except GroupDeskError as error:  # LogLocked too: locked while the question was open
        _show_error(parent, error.message())
        return None
    try:
        await log_.append_event(export.session_id, export.entry())
    except Exception as error:
        log.exception("the export could not be journaled; its file is removed")
        with contextlib.suppress(FileNotFoundError):
            written.unlink()
        reason = error.message() if isinstance(error, GroupDeskError) else type(error).__name__
        text = translate(
            "Export", "The export was not recorded in the log, so the file was removed: {reason}"
        )
        _show_error(parent, text.format(reason=reason))
        return None
    _say_written(parent, _written_text(what, written))
    return written


async def export_session(
    parent: QWidget | None,
    log_: SessionLog,
    policy: Policy,
    session_id: int,
    *,
    choose: Chooser = ask_where,
    tz: tzinfo | None = None,
) -> Path | None:
    """Export a session's record (attendance, facts, notes); see :func:`export_record`."""
    return await export_record(parent, log_, policy, "session", session_id, choose=choose, tz=tz)


async def export_note(
    parent: QWidget | None,
    log_: SessionLog,
    policy: Policy,
    note_id: int,
    *,
    choose: Chooser = ask_where,
    tz: tzinfo | None = None,
) -> Path | None:
    """Export one note with its facts and addenda; see :func:`export_record`."""
    return await export_record(parent, log_, policy, "note", note_id, choose=choose, tz=tz)


async def export_member(
    parent: QWidget | None,
    log_: SessionLog,
    policy: Policy,
    member_id: int,
    *,
    choose: Chooser = ask_where,
    tz: tzinfo | None = None,
) -> Path | None:
    """Export a member's history; see :func:`export_record`."""
    return await export_record(parent, log_, policy, "member", member_id, choose=choose, tz=tz)
