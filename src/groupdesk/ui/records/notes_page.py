"""The notes of one session: the group's note and one per member, written from a template
with the session's facts, autosaved while typed, kept as revisions, signed, amended by
dated addenda, members referred to resources (the open note: ``note_editor.py``)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core import i18n
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Note, SessionKind
from groupdesk.core.policy_values import Policy
from groupdesk.core.records.fact_text import fact_lines
from groupdesk.core.records.templates import starting_text
from groupdesk.core.session_plan import Clock, local_now
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.records.note_editor import NoteEditor
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
    """Where the page was when locked: the session, the note, its row and the cursor."""

    session_id: int
    note_id: int | None
    row: int
    cursor: int


class NotesPage(QWidget):
    """The notes of a session: the list of notes on the left, the note on the right, the
    facts to cite beside it. ``log``: the session log, or what holds it (``.log``, the
    workspace), read at each step.

    Signals: ``back_requested()`` (the person goes back where they came from, once the
    note is kept); ``export_requested(int, int)``: export the note (session id, note id)
    to PDF; ``changed()`` after each step (a note opened, started, signed...).
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
        self.data: SessionNotes | None = None
        self.rows: list[NoteRow] = []
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
        self.note_editor = NoteEditor(
            self.views, lambda: self.log, policy, self._busy, now=now, timer=timer
        )
        self.editor = self.note_editor.editor
        self.autosave = self.note_editor.autosave
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
        editor = self.note_editor
        self.back_button.clicked.connect(lambda: spawn(self.go_back()))
        self.notes_list.currentRowChanged.connect(self._row_chosen)
        self.views.start.start_button.clicked.connect(lambda: spawn(self.start_note()))
        self.facts.insert_button.clicked.connect(self.insert_facts)
        self.facts.copy_button.clicked.connect(self.copy_facts)
        editor.kept.connect(self._note_changed)
        editor.failed.connect(self._fail)
        editor.changed.connect(self._update_actions)
        editor.changed.connect(self.changed)
        editor.export_requested.connect(self.export_requested)

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

    @property
    def note(self) -> Note | None:
        """The note open in the editor (None: none)."""
        return self.note_editor.note

    @property
    def writing(self) -> bool:
        """Whether a note is open for writing (leaving it keeps a revision)."""
        return self.note_editor.writing

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
        await self.note_editor.leave()
        log_ = self.log
        if log_ is None:
            return False
        try:
            self.data = await load_session_notes(log_, session_id, self.policy)
        except (GroupDeskError, ValueError, StopIteration) as error:
            self._fail(error)
            return False
        show_message(self.message, None)
        facilitators = self.data.session.facilitators
        self.note_editor.signer = facilitators[0] if facilitators else ""
        self._show_session()
        index = min(place.row, len(self.rows) - 1) if place is not None else 0
        for row_index, row in enumerate(self.rows):
            if note_id is not None and row.note is not None and row.note.id == note_id:
                index = row_index
        self._select_row(index)
        await self._show_row(index, find, cursor=place.cursor if place is not None else None)
        return True

    async def leave(self) -> None:
        """Keep the note being written as a revision (going away, closing the window)."""
        async with self._busy:
            await self.note_editor.leave()

    async def go_back(self) -> None:
        """Keep the note, then go back where the person came from."""
        await self.leave()
        self.back_requested.emit()

    def _row_chosen(self, index: int) -> None:
        if not self._filling and index >= 0:
            spawn(self.choose(index))

    async def choose(self, index: int) -> None:
        """Open row ``index`` of the list (the note shown before is kept)."""
        async with self._busy:
            await self.note_editor.leave()
            if 0 <= index < len(self.rows):
                self._select_row(index)
                await self._show_row(index)

    async def _show_row(self, index: int, find: str = "", *, cursor: int | None = None) -> None:
        data, row = self.data, self.rows[index]
        assert data is not None
        lines = fact_lines(
            data.facts,
            row.member_id,
            self.lang,
            data.tz,
            item_names=self._item_names(),
            resource_names=self.note_editor.resource_names(),
        )
        self.facts.lines.clear()
        self.facts.lines.addItems(lines)
        if row.note is None:
            self._show_start(row)
        else:
            await self.note_editor.open(row.note, self._who(row), find, cursor=cursor)
        self._update_actions()
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

    async def start_note(self, template_id: str | None = None) -> Note | None:
        """Write the selected row's note from a template (the one chosen, else the first):
        its headings and the facts, in the app's language."""
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
                resource_names=self.note_editor.resource_names(),
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
            await self.note_editor.open(note, self._who(self.rows[index]))
            self.editor.setFocus()
            self._update_actions()
            self.changed.emit()
            return note

    def insert_facts(self) -> None:
        """Insert the selected facts (all when none is) at the cursor, one per line."""
        lines = self.facts.chosen()
        if lines:
            self.note_editor.insert("\n".join(f"- {line}" for line in lines) + "\n")

    def copy_facts(self) -> None:
        """Copy the selected facts (all when none is)."""
        QGuiApplication.clipboard().setText("\n".join(self.facts.chosen()))

    # -- lock ------------------------------------------------------------------------------
    async def before_lock(self) -> None:
        """Before the app locks: what is typed goes to the log (a draft), then nothing
        confidential stays in the page's widgets."""
        async with self._busy:
            data, row = self.data, self.notes_list.currentRow()
            note_id, cursor = await self.note_editor.put_away()
            if data is not None:
                self._place = _Place(data.session.id, note_id, row, cursor)
            self.data = None
            self.rows = []
            self._filling = True
            self.notes_list.clear()
            self._filling = False
            for label in (self.title, self.session_line, self.views.start.title):
                label.clear()
            self.facts.lines.clear()
            self.views.setCurrentWidget(self.views.start)
            self._update_actions()

    async def after_unlock(self) -> None:
        """After unlocking: the same note again, from the log, the cursor where it was."""
        async with self._busy:
            place, self._place = self._place, None
            if place is not None:
                await self._open_session(place.session_id, place.note_id, "", place=place)

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
        self.note_editor.update_actions()
        self.facts.insert_button.setEnabled(self.writing)

    def _fail(self, error: Exception) -> None:
        _log.warning("notes page: %s", type(error).__name__)
        text = error.message() if isinstance(error, GroupDeskError) else str(error)
        show_message(self.message, self.tr("That did not work: {reason}").format(reason=text))
        self.changed.emit()

    def _item_names(self) -> dict[str, str]:
        items = (*self.policy.facilitator_checklist, *self.policy.participant_checklist)
        return {item.id: item.text_in(self.lang) for item in items}

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 -- Qt's name
        """Another page replaces this one (a menu, a shortcut): keep the note as a revision."""
        if not event.spontaneous() and self.writing:
            spawn(self.leave())
        super().hideEvent(event)

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
        self.note_editor.retranslate()
        self._update_actions()
