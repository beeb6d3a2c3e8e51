"""One note open on the notes page: its text autosaved while typed and kept as a revision
on leaving, a draft a crash left recovered, signing, dated addenda, referrals of its
member, its history, and finding a word in it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit

from groupdesk.core import i18n
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Note, NoteDraft, NoteRevision, Referral
from groupdesk.core.policy_values import CrisisResource, Policy
from groupdesk.core.records.find_text import find_span
from groupdesk.core.session_plan import Clock
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.records.autosave import Autosave
from groupdesk.ui.records.note_dialogs import ReferralDialog, SignDialog
from groupdesk.ui.records.note_view import NoteViews
from groupdesk.ui.widgets import local_qdatetime, short_time, spawn

LogSource = Callable[[], SessionLog | None]


def when_text(value: datetime) -> str:
    """A date and time as the chosen language writes them, in this computer's time zone."""
    return QLocale().toString(local_qdatetime(value), QLocale.FormatType.ShortFormat)


class NoteEditor(QObject):
    """The note shown in the editor view of ``views``, and what can be done with it.

    Its async actions take ``busy`` (the page's lock) so that none overlaps a switch of
    note; ``open`` and ``leave`` expect the caller to hold it.

    Signals: ``changed()`` after each step; ``kept(Note)`` when the note's state in the
    log changed (a revision kept, a signature); ``failed(object)``: an error to show;
    ``export_requested(int, int)``: export the note (session id, note id) to PDF.
    """

    changed = Signal()
    kept = Signal(object)
    failed = Signal(object)
    export_requested = Signal(int, int)

    def __init__(
        self,
        views: NoteViews,
        log: LogSource,
        policy: Policy,
        busy: asyncio.Lock,
        *,
        now: Clock,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(views)
        self.views = views
        self.view = views.editor
        self.editor = views.editor.editor
        self._log = log
        self.policy = policy
        self._busy = busy
        self.now = now
        self.note: Note | None = None
        self.signer = ""
        """Who signs by default (the page sets the session's first facilitator)."""
        self.sign_dialog: SignDialog | None = None
        self.referral_dialog: ReferralDialog | None = None
        self._revisions: list[NoteRevision] = []
        self._filling = False
        self.autosave = Autosave(
            self._save_draft, self.editor.toPlainText, timer=timer, parent=self
        )
        view = self.view
        self.editor.textChanged.connect(self._typed)
        self.autosave.state_changed.connect(self._show_status)
        view.history_button.clicked.connect(lambda: spawn(self.show_history()))
        view.sign_button.clicked.connect(self.ask_sign)
        view.refer_button.clicked.connect(self.ask_referral)
        view.export_button.clicked.connect(self._export)
        view.addendum.textChanged.connect(self.update_actions)
        view.addendum_button.clicked.connect(
            lambda: spawn(self.add_addendum(view.addendum.toPlainText()))
        )
        views.history.revisions.currentRowChanged.connect(self._show_revision)
        views.history.back_button.clicked.connect(lambda: views.setCurrentWidget(view))

    @property
    def lang(self) -> str:
        """The app's language."""
        return i18n.get_language()

    @property
    def writing(self) -> bool:
        """Whether a note is open for writing (leaving it keeps a revision)."""
        return self.note is not None and not self.note.signed

    def resource_names(self) -> dict[str, str]:
        """The directory's resources by id, named in the app's language."""
        return {r.id: r.name_in(self.lang) for r in self.policy.crisis_resources}

    # -- opening and leaving (the caller holds the lock) ------------------------------------
    async def open(
        self, note: Note, title: str, find: str = "", *, cursor: int | None = None
    ) -> bool:
        """Show ``note``: a draft left by a crash is recovered (shown, said, kept as a
        revision); back from a lock (``cursor`` given) the draft is simply the text again,
        with the cursor there. ``find``: select the first word of it found."""
        log_ = self._log()
        if log_ is None:
            return False
        view = self.view
        recovered_at: datetime | None = None
        try:
            draft = await log_.note_draft(note.id)
            text = note.body
            if draft is not None and cursor is not None:
                text = draft.body
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
            self.failed.emit(error)
            return False
        self.note = note
        self.kept.emit(note)
        self._filling = True
        self.editor.setPlainText(text)
        self._filling = False
        self.editor.setReadOnly(note.signed)
        self.autosave.attach(None if note.signed else note.id, note.updated_at)
        if cursor is not None and draft is not None:
            self.autosave.saved_at = draft.saved_at
        view.title.setText(title)
        if recovered_at is not None:
            view.recovered.setText(
                self.tr(
                    "Recovered text not yet kept, from {when}: it is kept now as the note's "
                    "latest version."
                ).format(when=when_text(recovered_at))
            )
        view.recovered.setVisible(recovered_at is not None)
        self._show_signature()
        view.addenda.clear()
        for addendum in addenda:
            view.addenda.addItem(
                self.tr("{when}, {author}: {text}").format(
                    when=when_text(addendum.created_at), author=addendum.author, text=addendum.body
                )
            )
        self._show_referrals(referrals)
        self.views.setCurrentWidget(view)
        self._place_cursor(text, find, cursor)
        self._show_status()
        self.update_actions()
        return True

    async def leave(self) -> None:
        """Keep what was typed as a revision and close the note."""
        note, self.note = self.note, None
        if note is None or note.signed:
            self.autosave.attach(None)
            return
        await self.autosave.flush()
        self.autosave.attach(None)
        log_ = self._log()
        if log_ is None:
            return
        try:
            kept = await log_.keep_draft(note.id)
        except (GroupDeskError, ValueError) as error:
            self.failed.emit(error)
            return
        self.kept.emit(kept)

    async def put_away(self) -> tuple[int | None, int]:
        """Before a lock: what is typed goes to the log as a draft, then nothing of it
        stays in the widgets. The note's id and the cursor's position."""
        note_id = self.note.id if self.note is not None else None
        position = self.editor.textCursor().position()
        await self.autosave.flush()
        self.autosave.attach(None)
        self.note = None
        for dialog in (self.sign_dialog, self.referral_dialog):
            if dialog is not None:
                for field in dialog.findChildren(QLineEdit):
                    field.clear()  # the signer's name; it goes before the dialog is deleted
                dialog.reject()
        self._revisions = []
        self._filling = True
        self.editor.clear()  # its undo history too
        self._filling = False
        view, history = self.view, self.views.history
        for label in (view.title, view.signed_line, view.recovered):
            label.clear()
        view.recovered.hide()
        for edit in (view.addendum, history.text):
            edit.clear()
        for items in (view.addenda, view.referrals, history.revisions):
            items.clear()
        self.update_actions()
        return note_id, position

    def _place_cursor(self, text: str, find: str, position: int | None) -> None:
        cursor = self.editor.textCursor()
        span = find_span(text, find) if find.strip() else None
        if span is not None:
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        elif position is not None:
            cursor.setPosition(min(position, len(self.editor.toPlainText())))
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def _show_signature(self) -> None:
        note, view = self.note, self.view
        signed = note is not None and note.signed
        if note is not None and note.signed_at is not None:
            view.signed_line.setText(
                self.tr("Signed by {name} on {when}. The text is fixed; add addenda below.").format(
                    name=note.signed_by, when=when_text(note.signed_at)
                )
            )
        view.signed_line.setVisible(signed)
        view.signed_part.setVisible(signed)

    def _show_referrals(self, referrals: list[Referral]) -> None:
        view = self.view
        view.referrals.clear()
        names = self.resource_names()
        for referral in referrals:
            line = self.tr("{when}: {resource}").format(
                when=when_text(referral.created_at),
                resource=names.get(referral.resource_id, referral.resource_name),
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
        log_ = self._log()
        if log_ is None:
            raise ValueError(self.tr("the session log is closed"))
        return await log_.save_draft(note_id, body)

    def _show_status(self) -> None:
        status = self.view.status
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

    def insert(self, text: str) -> None:
        """Insert ``text`` at the cursor (a note being written only)."""
        if self.writing and text:
            self.editor.insertPlainText(text)
            self.editor.setFocus()

    # -- signing, addenda, referrals, history, export ------------------------------------
    def ask_sign(self) -> None:
        """Ask who signs (``signer`` by default), then sign."""
        if not self.writing:
            return
        dialog = SignDialog(self.signer, self.views)
        self.sign_dialog = dialog
        dialog.accepted.connect(lambda: spawn(self.sign(dialog.signer())))
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        dialog.open()

    async def sign(self, signer: str) -> Note | None:
        """Sign the open note as ``signer``: what was typed is kept, then the text is fixed."""
        async with self._busy:
            note, log_ = self.note, self._log()
            if note is None or note.signed or log_ is None or not signer.strip():
                return None
            await self.autosave.flush()
            try:
                signed = await log_.sign_note(note.id, signer)
            except (GroupDeskError, ValueError) as error:
                self.failed.emit(error)
                return None
            self.autosave.attach(None)
            await self.open(signed, self.view.title.text())
            self.changed.emit()
            return signed

    async def add_addendum(self, text: str) -> bool:
        """Add ``text`` as a dated addendum to the signed note, by its signer."""
        async with self._busy:
            note, log_ = self.note, self._log()
            if note is None or not note.signed or log_ is None or not text.strip():
                return False
            try:
                await log_.add_addendum(note.id, text.strip(), note.signed_by)
            except (GroupDeskError, ValueError) as error:
                self.failed.emit(error)
                return False
            self.view.addendum.clear()
            await self.open(note, self.view.title.text())
            self.changed.emit()
            return True

    def ask_referral(self) -> None:
        """The resource directory, to refer the note's member to one."""
        if self.note is None or self.note.member_id is None:
            return
        dialog = ReferralDialog(self.policy.crisis_resources, self.lang, self.views)
        self.referral_dialog = dialog
        dialog.accepted.connect(lambda: spawn(self.refer(dialog.chosen(), dialog.detail_text())))
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        dialog.open()

    async def refer(self, resource: CrisisResource | None, detail: str = "") -> Referral | None:
        """Refer the open note's member to ``resource`` (kept with the member, the session
        and the note)."""
        async with self._busy:
            note, log_ = self.note, self._log()
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
                self.failed.emit(error)
                return None
            self._show_referrals(referrals)
            self.changed.emit()
            return referral

    async def show_history(self) -> None:
        """The note's kept versions, newest first (what is typed is kept first)."""
        async with self._busy:
            note, log_ = self.note, self._log()
            if note is None or log_ is None:
                return
            try:
                if not note.signed:
                    await self.autosave.flush()
                    note = self.note = await log_.keep_draft(note.id)
                    self.kept.emit(note)
                revisions = await log_.note_history(note.id)
            except (GroupDeskError, ValueError) as error:
                self.failed.emit(error)
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
        revisions = self._revisions
        text = revisions[index].body if 0 <= index < len(revisions) else ""
        self.views.history.text.setPlainText(text)

    def _export(self) -> None:
        # The PDF export (another module) listens: the editor only says what to export.
        note = self.note
        if note is not None and note.session_id is not None:
            self.export_requested.emit(note.session_id, note.id)

    def _dialog_done(self, dialog: SignDialog | ReferralDialog) -> None:
        if self.sign_dialog is dialog:
            self.sign_dialog = None
        if self.referral_dialog is dialog:
            self.referral_dialog = None
        dialog.deleteLater()

    def update_actions(self) -> None:
        """Enable what can be done with the note as it is."""
        view, note = self.view, self.note
        view.sign_button.setEnabled(self.writing)
        view.refer_button.setEnabled(note is not None and note.member_id is not None)
        view.history_button.setEnabled(note is not None)
        view.export_button.setEnabled(note is not None)
        view.addendum_button.setEnabled(
            note is not None and note.signed and bool(view.addendum.toPlainText().strip())
        )

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._show_signature()
        self._show_status()
        self.update_actions()
