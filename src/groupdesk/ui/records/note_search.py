"""Search every note: words typed with or without accents, filters by group, member and
dates, results that open the note at the hit.

The dialog searches as the person types (after a short pause) or presses Enter, through
``NoteFinder`` (the session log's FTS5 index), and lists for each note found its group,
its member (or that it is a group note), the date of its session and an excerpt with the
matched words in bold. Opening a result (Enter, double-click, "Open") hands the note and
the words to the ``open_note`` callback the window gives, then closes the dialog.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Note
from groupdesk.core.records.find_text import excerpt_parts
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.records.found_notes import LIMIT, FoundNote, NoteFinder, SearchFilters
from groupdesk.ui.records.rich_list import HTML_ROLE, RichTextDelegate, emphasised, escaped
from groupdesk.ui.widgets import (
    by_name,
    follow_locale,
    message_label,
    paragraph,
    show_message,
    spawn,
)

log = logging.getLogger(__name__)
_T = TypeVar("_T")

# Opens a note found, at the first match of the words searched.
OpenNote = Callable[[Note, str], None]

# How long typing must pause before the search runs.
DEBOUNCE_MS = 250


class NoteSearchDialog(QDialog):
    """Search the notes of every group (or one group, one member, some dates).

    Widgets: ``query``, ``group``, ``member``, ``since_check``/``since``,
    ``until_check``/``until``, ``status`` (what to do, or what was found), ``error``
    (what went wrong), ``results`` (one item per note found), ``open_button``.
    ``found`` holds the notes listed, found for the words ``searched_query``.

    Signals: ``loaded()`` once the groups are listed; ``searched()`` once the latest
    search's outcome (notes, none, an explanation or an error) is shown.
    """

    loaded = Signal()
    searched = Signal()

    def __init__(
        self,
        log_: SessionLog,
        open_note: OpenNote,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        tz: tzinfo | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.finder = NoteFinder(log_, tz)
        self.open_note = open_note
        self.found: list[FoundNote] = []
        self.searched_query = ""
        self._generation = 0
        self._problem = ""
        self._state = "empty"  # empty, dates, none, found, failed
        self._build_filters(today or datetime.now(tz).date())
        self._build_results()
        self._lay_out()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.search_now)
        self._connect()
        self.retranslate()

    # -- building --------------------------------------------------------------------

    def _build_filters(self, today: date) -> None:
        self.resize(720, 560)
        self.query = QLineEdit(self)
        self.query.setClearButtonEnabled(True)
        self.query.installEventFilter(self)
        self.query_label = QLabel(self)
        self.query_label.setBuddy(self.query)
        self.group = QComboBox(self)
        self.group_label = QLabel(self)
        self.group_label.setBuddy(self.group)
        self.member = QComboBox(self)
        self.member_label = QLabel(self)
        self.member_label.setBuddy(self.member)
        self.dates_label = QLabel(self)
        self.since_check, self.since = QCheckBox(self), QDateEdit(self)
        self.until_check, self.until = QCheckBox(self), QDateEdit(self)
        for edit, day in ((self.since, today - timedelta(days=30)), (self.until, today)):
            edit.setCalendarPopup(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.setEnabled(False)

    def _build_results(self) -> None:
        self.status = paragraph(self)
        self.error = message_label(self)
        self.results = QListWidget(self)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.open_button, self.close_button):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Enter searches, or opens the result chosen
                button.setDefault(False)
        self.open_button.setEnabled(False)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.query_label, self.query)
        form.addRow(self.group_label, self.group)
        form.addRow(self.member_label, self.member)
        dates = QHBoxLayout()
        for widget in (self.since_check, self.since, self.until_check, self.until):
            dates.addWidget(widget)
        dates.addStretch(1)
        form.addRow(self.dates_label, dates)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        order = (
            self.query, self.group, self.member, self.since_check, self.since,
            self.until_check, self.until, self.results, self.open_button, self.close_button,
        )  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.query.setFocus()

    def _connect(self) -> None:
        self.query.textEdited.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self.search_now)
        self.group.activated.connect(lambda _index: spawn(self._group_chosen()))
        self.member.activated.connect(lambda _index: self.search_now())
        for check, edit in ((self.since_check, self.since), (self.until_check, self.until)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.search_now())
            edit.dateChanged.connect(lambda _day: self.search_now())
        self.results.itemActivated.connect(lambda _item: self.open_current())
        self.results.currentRowChanged.connect(
            lambda row: self.open_button.setEnabled(0 <= row < len(self.found))
        )
        self.open_button.clicked.connect(self.open_current)
        self.close_button.clicked.connect(self.reject)

    # -- filters ---------------------------------------------------------------------

    async def load(self) -> None:
        """List the groups to filter by, then search if words are already typed."""
        if await self._attempt(self.finder.load_groups) is None:
            self._show_failure()
        self._fill_groups()
        self.loaded.emit()
        if self.query.text().strip():
            self.search_now()

    def _fill_groups(self) -> None:
        chosen = self.group.currentData()
        self.group.clear()
        self.group.addItem(self.tr("All groups"), None)
        for group in by_name(list(self.finder.groups.values()), lambda g: g.name):
            self.group.addItem(group.name, group.id)
        self.group.setCurrentIndex(max(self.group.findData(chosen), 0))
        self._show_members()

    async def _fill_members(self) -> bool:
        """List the members of the group chosen (False: the log failed)."""
        group_id = self.group.currentData()
        if group_id is not None:
            if await self._attempt(lambda: self.finder.member_names(group_id)) is None:
                return False
            if group_id != self.group.currentData():
                return True  # another group was chosen meanwhile: its members come next
        self._show_members()
        return True

    def _show_members(self) -> None:
        group_id = self.group.currentData()
        chosen = self.member.currentData()
        self.member.clear()
        self.member.addItem(self.tr("All members"), None)
        names = self.finder.known_member_names(group_id) if group_id is not None else {}
        for member_id, name in by_name(list(names.items()), lambda item: item[1]):
            self.member.addItem(name, member_id)
        self.member.setCurrentIndex(max(self.member.findData(chosen), 0))
        self.member.setEnabled(group_id is not None)

    async def _group_chosen(self) -> None:
        if await self._fill_members():
            self.search_now()
        else:
            self._show_failure()

    async def choose_group(self, group_id: int | None) -> None:
        """Filter by ``group_id`` (None: all groups) as choosing it in the list does, and
        list its members."""
        self.group.setCurrentIndex(max(self.group.findData(group_id), 0))
        await self._group_chosen()

    def _days(self) -> tuple[date | None, date | None]:
        def day(check: QCheckBox, edit: QDateEdit) -> date | None:
            value = edit.date()
            return date(value.year(), value.month(), value.day()) if check.isChecked() else None

        return day(self.since_check, self.since), day(self.until_check, self.until)

    # -- searching -------------------------------------------------------------------

    def search_now(self) -> None:
        """Search now for what is typed (Enter; a filter changed; typing paused)."""
        self._timer.stop()
        spawn(self.search())

    async def search(self) -> None:
        """Ask the log for the notes with the words typed and show them (a newer search
        started meanwhile wins: this one's outcome is then dropped)."""
        self._generation += 1
        generation = self._generation
        query = " ".join(self.query.text().split())
        since, until = self._days()
        if not query:
            self._show([], "", "empty")
            return
        if since is not None and until is not None and since > until:
            self._show([], query, "dates")
            return
        group_id = self.group.currentData()
        filters = SearchFilters(
            group_id=group_id,
            member_id=self.member.currentData() if group_id is not None else None,
            since=since,
            until=until,
        )
        found = await self._attempt(lambda: self.finder.find(query, filters))
        if generation != self._generation:
            return
        if found is None:
            self._show_failure()
        else:
            self._show(found, query, "found" if found else "none")

    async def _attempt(self, make: Callable[[], Awaitable[_T]]) -> _T | None:
        """Await ``make()``; on failure keep what went wrong to show it, and return None."""
        try:
            return await make()
        except GroupDeskError as raised:
            self._problem = raised.message()
        except Exception:  # the dialog must show a message, never crash
            log.exception("unexpected failure while searching the notes")
            self._problem = GroupDeskError().message()
        return None

    # -- showing ---------------------------------------------------------------------

    def _show(self, found: list[FoundNote], query: str, state: str) -> None:
        self.found, self.searched_query, self._state = found, query, state
        self._fill_results()
        self._show_status()
        self.searched.emit()

    def _show_failure(self) -> None:
        """The log failed: say so; the words and filters stay for another try."""
        self.found, self._state = [], "failed"
        self._fill_results()
        self._show_status()
        self.searched.emit()

    def _fill_results(self) -> None:
        self.results.clear()
        for found in self.found:
            heading = self.heading(found)
            parts = excerpt_parts(found.hit.excerpt, self.searched_query)
            item = QListWidgetItem(heading + "\n" + "".join(text for text, _ in parts))
            item.setData(HTML_ROLE, f"<div>{escaped(heading)}</div><div>{emphasised(parts)}</div>")
            self.results.addItem(item)
        if self.found:
            self.results.setCurrentRow(0)
        self.open_button.setEnabled(bool(self.found))

    def heading(self, found: FoundNote) -> str:
        """A result's first line: group, member (or group note), date, if in an addendum."""
        day = self.finder.day_of(found.when)
        day_text = QLocale().toString(
            QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
        )
        if found.session is not None:
            when = self.tr("session of {date}").format(date=day_text)
        else:
            when = self.tr("written {date}, no session").format(date=day_text)
        member = found.member if found.member is not None else self.tr("group note")
        parts = [found.group, member, when]
        if found.hit.addendum is not None:
            parts.append(self.tr("in an addendum"))
        return " · ".join(part for part in parts if part)

    def _status_text(self) -> str:
        if self._state == "empty":
            return self.tr(
                "Type a word, or the start of one, to search the notes of every group and "
                "their addenda. Accents are optional: “demenagement” also finds "
                "“déménagement”."
            )
        if self._state == "dates":
            return self.tr("The “from” date is after the “to” date: change one of them.")
        if self._state == "failed":
            return self.tr(
                "The search failed: {reason} Your words and filters are kept: press Enter "
                "to try again."
            ).format(reason=self._problem)
        return self._found_text()

    def _found_text(self) -> str:
        count, words = len(self.found), self.searched_query
        if not count and (self.group.currentData() is not None or self._days() != (None, None)):
            return self.tr("No note has “{words}” with these filters.").format(words=words)
        if not count:
            return self.tr("No note has “{words}”.").format(words=words)
        if count >= LIMIT:
            return self.tr(
                "The newest {count} notes found are listed: add words or filters to narrow "
                "the search."
            ).format(count=count)
        return self.tr(
            "Notes found: {count}, newest first. Press Enter or double-click one to open it "
            "at the words found."
        ).format(count=count)

    def _show_status(self) -> None:
        text = self._status_text()
        failed = self._state == "failed"
        self.status.setText("" if failed else text)
        self.status.setVisible(not failed)
        show_message(self.error, text if failed else None)

    # -- opening -----------------------------------------------------------------------

    def open_current(self) -> None:
        """Open the chosen note at the words found, and close."""
        row = self.results.currentRow()
        if not 0 <= row < len(self.found):
            return
        self.open_note(self.found[row].hit.note, self.searched_query)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        """Down arrow in the words field goes to the results."""
        if (
            watched is self.query
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.found
        ):
            self.results.setFocus()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language (the results too)."""
        self.setWindowTitle(self.tr("Search notes"))
        self.query_label.setText(self.tr("&Words:"))
        self.query.setPlaceholderText(self.tr("With or without accents, e.g. demenagement"))
        self.query.setAccessibleName(self.tr("Words to find in the notes"))
        self.group_label.setText(self.tr("&Group:"))
        self.group.setAccessibleName(self.tr("Group whose notes to search"))
        self.member_label.setText(self.tr("&Member:"))
        self.member.setAccessibleName(self.tr("Member whose notes to search"))
        self.dates_label.setText(self.tr("Dates:"))
        self.since_check.setText(self.tr("&From"))
        self.since_check.setAccessibleName(self.tr("Only sessions from a date"))
        self.since.setAccessibleName(self.tr("First date of the sessions"))
        self.until_check.setText(self.tr("&To"))
        self.until_check.setAccessibleName(self.tr("Only sessions up to a date"))
        self.until.setAccessibleName(self.tr("Last date of the sessions"))
        self.status.setAccessibleName(self.tr("Search outcome"))
        self.results.setAccessibleName(self.tr("Notes found"))
        self.open_button.setText(self.tr("&Open"))
        self.open_button.setAccessibleName(self.tr("Open the chosen note at the words found"))
        for edit in (self.since, self.until):
            follow_locale(edit)
        self._fill_groups()
        row = self.results.currentRow()
        self._fill_results()
        if 0 <= row < self.results.count():
            self.results.setCurrentRow(row)
        self._show_status()
