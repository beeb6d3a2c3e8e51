"""The notes of one session: the group's note and one per member, written from a template
with the session's facts, autosaved while typing, kept as revisions, signed, amended by
dated addenda, and members referred to resources."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core import i18n
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Note, NoteDraft, Referral, SessionKind
from groupdesk.core.policy_values import CrisisResource, Policy
from groupdesk.core.records.fact_text import fact_lines
from groupdesk.core.records.templates import starting_text
from groupdesk.core.session_plan import Clock, local_now
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.records.autosave import Autosave
from groupdesk.ui.records.note_dialogs import ReferralDialog, SignDialog
from groupdesk.ui.records.note_find import first_match
from groupdesk.ui.records.note_view import FactsPanel, NoteViews
from groupdesk.ui.records.session_notes import NoteRow, SessionNotes, load_session_notes
from groupdesk.ui.widgets import (
    heading,
    local_qdatetime,
    message_label,
    paragraph,
    short_time,
    show_message,
    spawn,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Place:
    """Where the page was when locked: the session, the note and the cursor."""

    session_id: int
    note_id: int | None
    row: int
    cursor: int


def when_text(value: datetime) -> str:
    """A date and time as the chosen language writes them, in this computer's time zone."""
    return QLocale().toString(local_qdatetime(value), QLocale.FormatType.ShortFormat)


class NotesPage(QWidget):
    """The notes of a session: the list of notes on the left, the note on the right, the
    facts to cite beside it.

    Signals: ``back_requested()`` (the person goes back where they came from, once the
    note is kept); ``export_requested(int, int)``: export the note (session id, note id)
    to PDF; ``changed()`` after each step (a note opened, started, saved, signed...).
    """

    back_requested = Signal()
    export_requested = Signal(int, int)
    changed = Signal()

    def __init__(
        self,
        log: object,
        policy: Policy,
        parent: QWidget | None = None,
        *,
        now: Clock = local_now,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(parent)
        self._log_source = log
        self.policy = policy
        self.now = now
        self.data: SessionNotes | None = None
        self.rows: list[NoteRow] = []
        self.note: Note | None = None
        self.sign_dialog: SignDialog | None = None
        self.referral_dialog: ReferralDialog | None = None
        self._place: _Place | None = None
        self._busy = asyncio.Lock()
        self._filling = False

        self.back_button = QPushButton(self)
        self.title = heading(self)
        self.session_line = paragraph(self)
        self.message = message_label(self)
        self.list_title = QLabel(self)
        self.notes_list = QListWidget(self)
        self.views = NoteViews(self)
        self.facts = FactsPanel(self)
        self.editor: QPlainTextEdit = self.views.editor.editor
        self.autosave = Autosave(
            self._save_draft, self.editor.toPlainText, timer=timer, parent=self
        )
        self._lay_out()
        self._connect()
        self.retranslate()

    # -- building -----------------------------------------------------------------------
    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.session_line)
        top.addLayout(titles, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_title)
        left_layout.addWidget(self.notes_list, 1)
        self.list_title.setBuddy(self.notes_list)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.views)
        split.addWidget(self.facts)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        view = self.views.editor
        self.back_button.clicked.connect(lambda: spawn(self.go_back()))
        self.notes_list.currentRowChanged.connect(self._row_chosen)
        self.views.start.start_button.clicked.connect(lambda: spawn(self.start_note()))
        self.editor.textChanged.connect(self._typed)
        self.autosave.state_changed.connect(self._show_status)
        view.history_button.clicked.connect(lambda: spawn(self.show_history()))
        view.sign_button.clicked.connect(self.ask_sign)
        view.refer_button.clicked.connect(self.ask_referral)
        view.export_button.clicked.connect(self._export)
        view.addendum.textChanged.connect(self._update_actions)
        view.addendum_button.clicked.connect(
            lambda: spawn(self.add_addendum(view.addendum.toPlainText()))
        )
        self.views.history.revisions.currentRowChanged.connect(self._show_revision)
        self.views.history.back_button.clicked.connect(
            lambda: self.views.setCurrentWidget(self.views.editor)
        )
        self.facts.insert_button.clicked.connect(self.insert_facts)
        self.facts.copy_button.clicked.connect(self.copy_facts)

    @property
    def log(self) -> SessionLog | None:
        """The open session log (None while locked or closed)."""
        source = self._log_source
        found = source if isinstance(source, SessionLog) else getattr(source, "log", None)
        return found if isinstance(found, SessionLog) else None

    @property
    def lang(self) -> str:
        """The language notes start in: the app's."""
        return i18n.get_language()

    # -- opening and leaving -----------------------------------------------------------------
    async def open_session(
        self, session_id: int, note_id: int | None = None, find: str = ""
    ) -> bool:
        """Show the notes of ``session_id``, with ``note_id`` open (else the first), the
        cursor at the first word of ``find`` found in it; False if the log refused."""
        async with self._busy:
            return await self._open_session(session_id, note_id, find)

    async def _open_session(
        self, session_id: int, note_id: int | None, find: str, *, place: _Place | None = None
    ) -> bool:
        await self._leave_note()
        log_ = self.log
        if log_ is None:
            return False
        try:
            self.data = await load_session_notes(log_, session_id, self.policy)
        except (GroupDeskError, ValueError, StopIteration) as error:
            self._fail(error)
            return False
        show_message(self.message, None)
        self._show_session()
        rows = self.rows
        index = 0
        if place is not None:
            index = min(place.row, len(rows) - 1)
        for row_index, row in enumerate(rows):
            if note_id is not None and row.note is not None and row.note.id == note_id:
                index = row_index
        self._select_row(index)
        await self._show_row(index, find, place=place)
        return True

    async def leave(self) -> None:
        """Keep the note being written as a revision (going away, closing, signing)."""
        async with self._busy:
            await self._leave_note()

    async def go_back(self) -> None:
        """Keep the note, then go back where the person came from."""
        await self.leave()
        self.back_requested.emit()

    @property
    def writing(self) -> bool:
        """Whether a note is open for writing (leaving it keeps a revision)."""
        return self.note is not None and not self.note.signed

    async def _leave_note(self) -> None:
        note, self.note = self.note, None
        if note is None or note.signed:
            self.autosave.attach(None)
            return
        await self.autosave.flush()
        self.autosave.attach(None)
        log_ = self.log
        if log_ is None:
            return
        try:
            kept = await log_.keep_draft(note.id)
        except (GroupDeskError, ValueError) as error:
            self._fail(error)
            return
        self._note_changed(kept)

    def _row_chosen(self, index: int) -> None:
        if not self._filling and index >= 0:
            spawn(self.choose(index))

    async def choose(self, index: int) -> None:
        """Open row ``index`` of the list (the note shown before is kept)."""
        async with self._busy:
            await self._leave_note()
            if 0 <= index < len(self.rows):
                await self._show_row(index)

    async def _show_row(self, index: int, find: str = "", *, place: _Place | None = None) -> None:
        data, row = self.data, self.rows[index]
        assert data is not None
        lines = fact_lines(
            data.facts,
            row.member_id,
            self.lang,
            data.tz,
            item_names=self._item_names(),
            resource_names=self._resource_names(),
        )
        self.facts.lines.clear()
        self.facts.lines.addItems(lines)
        if row.note is None:
            self._show_start(row)
        else:
            await self._open_note(row.note, find, place=place)
        self.changed.emit()

    def _show_start(self, row: NoteRow) -> None:
        data = self.data
        assert data is not None
        start = self.views.start
        start.title.setText(self._who(row))
        start.template.clear()
        for template in data.templates(self.policy, row.member_id):
            start.template.addItem(template.name_in(self.lang), template.id)
        start.template.setCurrentIndex(0)
        start.start_button.setEnabled(start.template.count() > 0)
        self.views.setCurrentWidget(start)
        self._update_actions()

    async def start_note(self, template_id: str | None = None) -> Note | None:
        """Write the selected row's note from a template (the one chosen, else the first)."""
        async with self._busy:
            data, log_, index = self.data, self.log, self.notes_list.currentRow()
            if data is None or log_ is None or not 0 <= index < len(self.rows):
                return None
            row = self.rows[index]
            if row.note is not None:
                return row.note
            choice = template_id or self.views.start.template.currentData()
            templates = {t.id: t for t in data.templates(self.policy, row.member_id)}
            template = templates.get(str(choice))
            if template is None:
                return None
            text = starting_text(
                template,
                data.facts,
                row.member_id,
                self.lang,
                data.tz,
                item_names=self._item_names(),
                resource_names=self._resource_names(),
            )
            try:
                note = await log_.add_note(
                    data.group.id,
                    text,
                    session_id=data.session.id,
                    member_id=row.member_id,
                    template=template.id,
                )
            except (GroupDeskError, ValueError) as error:
                self._fail(error)
                return None
            self.data = replace(data, notes=(*data.notes, note))
            self._show_session(keep_row=index)
            await self._open_note(note, "")
            self.editor.setFocus()
            self.changed.emit()
            return note

    async def _open_note(self, note: Note, find: str, *, place: _Place | None = None) -> None:
        log_ = self.log
        if log_ is None:
            return
        view = self.views.editor
        recovered_at: datetime | None = None
        try:
            draft = await log_.note_draft(note.id)
            text = note.body
            if draft is not None and place is not None:
                text = draft.body  # back from a lock: the text as it was, still a draft
            elif draft is not None:
                note = await log_.keep_draft(note.id)
                text, recovered_at = note.body, draft.saved_at
            addenda = await log_.note_addenda(note.id)
            referrals = (
                await log_.referrals(member_id=note.member_id, session_id=note.session_id)
                if note.member_id is not None
                else []
            )
        except (GroupDeskError, ValueError) as error:
            self._fail(error)
            return
        self.note = note
        self._note_changed(note)
        self._filling = True
        self.editor.setPlainText(text)
        self._filling = False
        self.editor.setReadOnly(note.signed)
        self.autosave.attach(None if note.signed else note.id, note.updated_at)
        if place is not None and draft is not None:
            self.autosave.saved_at = draft.saved_at
        view.title.setText(self._who(self.rows[self.notes_list.currentRow()]))
        if recovered_at is not None:
            view.recovered.setText(
                self.tr(
                    "Recovered text not yet kept, from {when}: it is kept now as the note's "
                    "latest version."
                ).format(when=when_text(recovered_at))
            )
        view.recovered.setVisible(recovered_at is not None)
        self._show_signature(note)
        view.addenda.clear()
        for addendum in addenda:
            view.addenda.addItem(
                self.tr("{when}, {author}: {text}").format(
                    when=when_text(addendum.created_at), author=addendum.author, text=addendum.body
                )
            )
        self._show_referrals(referrals)
        self.views.setCurrentWidget(view)
        self._place_cursor(text, find, place)
        self._show_status()
        self._update_actions()

    def _place_cursor(self, text: str, find: str, place: _Place | None) -> None:
        cursor = self.editor.textCursor()
        span = first_match(text, find) if find.strip() else None
        if span is not None:
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        elif place is not None:
            cursor.setPosition(min(place.cursor, len(self.editor.toPlainText())))
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def _show_signature(self, note: Note) -> None:
        view = self.views.editor
        if note.signed and note.signed_at is not None:
            view.signed_line.setText(
                self.tr("Signed by {name} on {when}. The text is fixed; add addenda below.").format(
                    name=note.signed_by, when=when_text(note.signed_at)
                )
            )
        view.signed_line.setVisible(note.signed)
        view.signed_part.setVisible(note.signed)

    def _show_referrals(self, referrals: list[Referral]) -> None:
        view = self.views.editor
        view.referrals.clear()
        for referral in referrals:
            line = self.tr("{when}: {resource}").format(
                when=when_text(referral.created_at),
                resource=self._resource_names().get(referral.resource_id, referral.resource_name),
            )
            if referral.detail:
                line = self.tr("{line} — {detail}").format(line=line, detail=referral.detail)
            view.referrals.addItem(line)
        member_note = self.note is not None and self.note.member_id is not None
        view.referrals_title.setVisible(member_note)
        view.referrals.setVisible(member_note)

    # -- typing ----------------------------------------------------------------------------
    def _typed(self) -> None:
        if not self._filling:
            self.autosave.changed()

    async def _save_draft(self, note_id: int, body: str) -> NoteDraft:
        log_ = self.log
        if log_ is None:
            raise ValueError(self.tr("the session log is closed"))
        return await log_.save_draft(note_id, body)

    def _show_status(self) -> None:
        status = self.views.editor.status
        autosave = self.autosave
        if self.note is not None and self.note.signed:
            status.setText(self.tr("Signed: read-only"))
        elif autosave.saving:
            status.setText(self.tr("Saving…"))
        elif autosave.error is not None:
            status.setText(self.tr("Not saved: {reason}").format(reason=autosave.error))
        elif autosave.saved_at is not None:
            status.setText(self.tr("Saved {time}").format(time=short_time(autosave.saved_at)))
        else:
            status.setText("")
        if autosave.saved_at is not None and not autosave.saving and autosave.error is None:
            self.changed.emit()

    def insert_facts(self) -> None:
        """Insert the selected facts (all when none is) at the cursor, one per line."""
        if self.note is None or self.note.signed:
            return
        text = "\n".join(f"- {line}" for line in self.facts.chosen())
        if text:
            self.editor.insertPlainText(text + "\n")
            self.editor.setFocus()

    def copy_facts(self) -> None:
        """Copy the selected facts (all when none is)."""
        QGuiApplication.clipboard().setText("\n".join(self.facts.chosen()))

    # -- signing, addenda, referrals, history, export ------------------------------------
    def ask_sign(self) -> None:
        """Ask who signs (the session's first facilitator by default), then sign."""
        if self.note is None or self.note.signed or self.data is None:
            return
        facilitators = self.data.session.facilitators
        dialog = SignDialog(facilitators[0] if facilitators else "", self)
        self.sign_dialog = dialog
        dialog.accepted.connect(lambda: spawn(self.sign(dialog.signer())))
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        dialog.open()

    async def sign(self, signer: str) -> Note | None:
        """Sign the open note as ``signer``: what was typed is kept, then the text is fixed."""
        async with self._busy:
            note, log_ = self.note, self.log
            if note is None or note.signed or log_ is None or not signer.strip():
                return None
            await self.autosave.flush()
            try:
                signed = await log_.sign_note(note.id, signer)
            except (GroupDeskError, ValueError) as error:
                self._fail(error)
                return None
            self.autosave.attach(None)
            await self._open_note(signed, "")
            self.changed.emit()
            return signed

    async def add_addendum(self, text: str) -> bool:
        """Add ``text`` as a dated addendum to the signed note, by its signer."""
        async with self._busy:
            note, log_ = self.note, self.log
            if note is None or not note.signed or log_ is None or not text.strip():
                return False
            try:
                await log_.add_addendum(note.id, text.strip(), note.signed_by)
            except (GroupDeskError, ValueError) as error:
                self._fail(error)
                return False
            self.views.editor.addendum.clear()
            await self._open_note(note, "")
            self.changed.emit()
            return True

    def ask_referral(self) -> None:
        """The resource directory, to refer the note's member to one."""
        if self.note is None or self.note.member_id is None:
            return
        dialog = ReferralDialog(self.policy.crisis_resources, self.lang, self)
        self.referral_dialog = dialog
        dialog.accepted.connect(lambda: spawn(self.refer(dialog.chosen(), dialog.detail_text())))
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        dialog.open()

    async def refer(self, resource: CrisisResource | None, detail: str = "") -> Referral | None:
        """Refer the open note's member to ``resource`` (kept with the member, the session
        and the note)."""
        async with self._busy:
            note, log_ = self.note, self.log
            if resource is None or note is None or note.member_id is None or log_ is None:
                return None
            try:
                referral = await log_.add_referral(
                    Referral(
                        id=1,
                        member_id=note.member_id,
                        resource_id=resource.id,
                        resource_name=resource.name_in(self.lang),
                        created_at=self.now(),
                        session_id=note.session_id,
                        note_id=note.id,
                        detail=detail.strip(),
                    )
                )
                referrals = await log_.referrals(
                    member_id=note.member_id, session_id=note.session_id
                )
            except (GroupDeskError, ValueError) as error:
                self._fail(error)
                return None
            self._show_referrals(referrals)
            self.changed.emit()
            return referral

    async def show_history(self) -> None:
        """The note's kept versions (what is typed is kept first), newest first."""
        async with self._busy:
            note, log_ = self.note, self.log
            if note is None or log_ is None:
                return
            try:
                if not note.signed:
                    await self.autosave.flush()
                    note = await log_.keep_draft(note.id)
                    self.note = note
                    self._note_changed(note)
                revisions = await log_.note_history(note.id)
            except (GroupDeskError, ValueError) as error:
                self._fail(error)
                return
            history = self.views.history
            self._revisions = list(reversed(revisions))
            history.revisions.clear()
            for revision in self._revisions:
                history.revisions.addItem(
                    self.tr("Version {number}, {when}").format(
                        number=revision.revision, when=when_text(revision.created_at)
                    )
                )
            history.text.clear()
            self.views.setCurrentWidget(history)
            history.revisions.setCurrentRow(0)
            history.revisions.setFocus()
            self.changed.emit()

    def _show_revision(self, index: int) -> None:
        revisions = getattr(self, "_revisions", [])
        text = revisions[index].body if 0 <= index < len(revisions) else ""
        self.views.history.text.setPlainText(text)

    def _export(self) -> None:
        # The PDF export (another module) listens: this page only says what to export.
        if self.data is not None and self.note is not None:
            self.export_requested.emit(self.data.session.id, self.note.id)

    def _dialog_done(self, dialog: SignDialog | ReferralDialog) -> None:
        if self.sign_dialog is dialog:
            self.sign_dialog = None
        if self.referral_dialog is dialog:
            self.referral_dialog = None
        dialog.deleteLater()

    # -- lock ------------------------------------------------------------------------------
    async def before_lock(self) -> None:
        """Before the app locks: what is typed goes to the log (a draft), then nothing
        confidential stays in the page's widgets."""
        async with self._busy:
            if self.data is not None:
                self._place = _Place(
                    self.data.session.id,
                    self.note.id if self.note is not None else None,
                    self.notes_list.currentRow(),
                    self.editor.textCursor().position(),
                )
            await self.autosave.flush()
            self.autosave.attach(None)
            self.note = None
            self._clear()

    async def after_unlock(self) -> None:
        """After unlocking: the same note again, from the log, the cursor where it was."""
        async with self._busy:
            place, self._place = self._place, None
            if place is not None:
                await self._open_session(place.session_id, place.note_id, "", place=place)

    def _clear(self) -> None:
        for dialog in (self.sign_dialog, self.referral_dialog):
            if dialog is not None:
                for field in dialog.findChildren(QLineEdit):
                    field.clear()  # the signer's name; it goes before the dialog is deleted
                dialog.reject()
        self.data = None
        self.rows = []
        self._revisions = []
        self._filling = True
        self.notes_list.clear()
        self.editor.clear()
        self._filling = False
        view, history, start = self.views.editor, self.views.history, self.views.start
        for label in (self.title, self.session_line, view.title, view.signed_line, start.title):
            label.clear()
        for widget in (view.addendum, history.text):
            widget.clear()
        for items in (view.addenda, view.referrals, history.revisions, self.facts.lines):
            items.clear()
        view.recovered.clear()
        view.recovered.hide()
        self.views.setCurrentWidget(start)
        self._update_actions()

    # -- showing ---------------------------------------------------------------------------
    def _show_session(self, keep_row: int | None = None) -> None:
        data = self.data
        if data is None:
            return
        self.rows = data.rows()
        self.title.setText(self.tr("Notes — {group}").format(group=data.group.name))
        session = data.session
        start = session.actual_start or session.planned_start
        end = session.actual_end or session.planned_end
        kind = (
            self.tr("one-to-one meeting")
            if session.kind is SessionKind.INDIVIDUAL
            else self.tr("group session")
        )
        self.session_line.setText(
            self.tr("{date}, {start} to {end} — {kind}").format(
                date=QLocale().toString(
                    local_qdatetime(start).date(), QLocale.FormatType.LongFormat
                ),
                start=short_time(start),
                end=short_time(end),
                kind=kind,
            )
        )
        self._filling = True
        self.notes_list.clear()
        for row in self.rows:
            self.notes_list.addItem(self._row_text(row))
        if keep_row is not None:
            self.notes_list.setCurrentRow(keep_row)
        self._filling = False

    def _select_row(self, index: int) -> None:
        self._filling = True
        self.notes_list.setCurrentRow(index)
        self._filling = False

    def _note_changed(self, note: Note) -> None:
        """Keep the newest state of ``note`` in the rows (its list text too)."""
        data = self.data
        if data is None:
            return
        self.data = replace(data, notes=tuple(note if n.id == note.id else n for n in data.notes))
        for index, row in enumerate(self.rows):
            if row.note is not None and row.note.id == note.id:
                self.rows[index] = replace(row, note=note)
                item = self.notes_list.item(index)
                if item is not None:
                    item.setText(self._row_text(self.rows[index]))

    def _who(self, row: NoteRow) -> str:
        if row.member_id is None:
            return self.tr("Group note")
        if row.absent:
            return self.tr("{name} (absent)").format(name=row.name)
        return row.name or self.tr("Member {id}").format(id=row.member_id)

    def _row_text(self, row: NoteRow) -> str:
        who = self._who(row)
        if row.note is None:
            return self.tr("{who} — not started").format(who=who)
        if row.note.signed:
            return self.tr("{who} — signed").format(who=who)
        return who

    def _update_actions(self) -> None:
        view, note = self.views.editor, self.note
        writing = note is not None and not note.signed
        view.sign_button.setEnabled(writing)
        view.refer_button.setEnabled(note is not None and note.member_id is not None)
        view.history_button.setEnabled(note is not None)
        view.export_button.setEnabled(note is not None)
        view.addendum_button.setEnabled(
            note is not None and note.signed and bool(view.addendum.toPlainText().strip())
        )
        self.facts.insert_button.setEnabled(writing)

    def _fail(self, error: Exception) -> None:
        _log.warning("notes page: %s", type(error).__name__)
        text = error.message() if isinstance(error, GroupDeskError) else str(error)
        show_message(self.message, self.tr("That did not work: {reason}").format(reason=text))
        self.changed.emit()

    def _item_names(self) -> dict[str, str]:
        items = (*self.policy.facilitator_checklist, *self.policy.participant_checklist)
        return {item.id: item.text_in(self.lang) for item in items}

    def _resource_names(self) -> dict[str, str]:
        return {r.id: r.name_in(self.lang) for r in self.policy.crisis_resources}

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.back_button.setText(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back (the note is kept)"))
        self.list_title.setText(self.tr("&Notes of the session"))
        self.notes_list.setAccessibleName(self.tr("Notes of the session"))
        self.views.retranslate()
        self.facts.retranslate()
        if self.data is not None:
            self._show_session(keep_row=self.notes_list.currentRow())
            if self.note is not None:
                self._show_signature(self.note)
        self._show_status()
        self._update_actions()
