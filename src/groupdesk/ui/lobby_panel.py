"""The lobby: who is waiting, their camera preview, their answers and what is missing,
who in the group they are; admit (anyway, with a reason) or decline, admit all.

The panel listens to ``LiveSession.lobby_changed``, ``admission_held`` and to the
session's ``previews``, and writes back only by calling the session (admit, decline,
set_match...). Each person keeps their entry view (``lobby_entry.py``) while they wait,
so their preview does not flicker. A knock sound plays when a new person arrives,
unless turned off. "Admit all" lets in only those who met the required items, and the
panel then says who is still waiting and why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui import answer_texts
from groupdesk.ui.admit_reason_dialog import AdmitReasonDialog
from groupdesk.ui.audio_out import AudioOut
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.lobby_entry import LobbyEntryView
from groupdesk.ui.widgets import heading, notice_label, paragraph, spawn

__all__ = ["AdmitAllQuestion", "LobbyEntryView", "LobbyPanel"]


class AdmitAllQuestion(QMessageBox):
    """Asked before "Admit all" lets in people who match no expected member: names them,
    and offers to admit only the expected ones, everyone, or nobody.

    It answers for the people waiting when it was asked who met the checklist's required
    items (admit all never lets in the others): someone who knocks meanwhile is not
    admitted with them. ``waiting``: everyone waiting then. ``expected_button`` (the
    default when there is anyone expected), ``all_button``, ``cancel_button`` (Escape).
    Signals: those of ``QMessageBox`` (``finished``).
    """

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        lobby = live.waiting_room
        admissible = lobby.admissible()
        self.waiting = [person.seat for person in lobby.waiting]
        self.everyone = [person.seat for person in admissible]
        self.expected = [p.seat for p in admissible if lobby.on_the_list(p)]
        self.others = [p for p in admissible if not lobby.on_the_list(p)]
        self.setIcon(QMessageBox.Icon.Question)
        self.expected_button = self.addButton("", QMessageBox.ButtonRole.AcceptRole)
        self.all_button = self.addButton("", QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton("", QMessageBox.ButtonRole.RejectRole)
        self.expected_button.setEnabled(bool(self.expected))
        self.setDefaultButton(self.expected_button if self.expected else self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        self.retranslate()

    def chosen(self) -> list[str]:
        """The seats to admit, as answered (none when cancelled)."""
        if self.clickedButton() is self.all_button:
            return self.everyone
        if self.clickedButton() is self.expected_button:
            return self.expected
        return []

    def retranslate(self) -> None:
        """Texts in the current language."""
        names = []
        for person in self.others:
            if person.match is None:
                names.append(self.tr("{name} (not in the group)").format(name=person.name))
            else:
                names.append(
                    self.tr("{name} (in the group, not expected)").format(name=person.name)
                )
        self.setWindowTitle(self.tr("Admit everyone waiting"))
        self.setText(
            self.tr("Not on the list of expected members: {names}.").format(names=", ".join(names))
        )
        self.setInformativeText(
            self.tr(
                "Check who they are before letting them into the group. Admit only the "
                "expected members, or everyone waiting?"
            )
        )
        self.expected_button.setText(
            self.tr("Admit only the e&xpected ({count})").format(count=len(self.expected))
        )
        self.all_button.setText(
            self.tr("Admit &everyone ({count})").format(count=len(self.everyone))
        )
        self.cancel_button.setText(self.tr("&Cancel"))


class LobbyPanel(QWidget):
    """Everyone waiting, with admit all and the knock-sound switch."""

    def __init__(
        self, live: LiveSession, audio: AudioOut | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.live = live
        self.audio = audio
        self.entries: list[LobbyEntryView] = []
        """The entry views, in the lobby's order (one per seat, kept while the person waits)."""
        self.title = heading(self, level=2)
        self.empty = paragraph(self)
        self.admit_all_button = QPushButton(self)
        self.knock_sound = QCheckBox(self)
        self.knock_sound.setChecked(True)
        self.no_preview = paragraph(self)
        self.left_note = notice_label(self)
        """After "Admit all": who is still waiting, and why."""
        self.list = QWidget(self)
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop: its controls are
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.admit_all_button)
        layout.addLayout(header)
        layout.addWidget(self.knock_sound)
        layout.addWidget(self.left_note)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.no_preview)
        self.admit_all_button.clicked.connect(self.admit_all)
        live.lobby_changed.connect(self.refresh)
        live.knocked.connect(self._knocked)
        live.admission_held.connect(self._held)
        live.changed.connect(self._retranslate_note)
        live.previews.image_ready.connect(self._preview_image)
        live.previews.state_changed.connect(self._preview_changed)
        self.knocks = 0
        self.admit_all_question: AdmitAllQuestion | None = None
        """Open while "Admit all" asks about people who are not on the list."""
        self.reason_dialog: AdmitReasonDialog | None = None
        """Open while the facilitator says why they admit someone anyway."""
        self._left: list[str] = []
        """The seats "Admit all" left waiting (the note names those still there)."""
        self.retranslate()
        self.refresh()

    def admit_all(self) -> None:
        """Admit everyone waiting who met the required items (Ctrl+Shift+A); first ask,
        naming them, when some match no expected member; then say who is still waiting."""
        if not self.live.lobby or self.admit_all_question is not None:
            return
        lobby = self.live.waiting_room
        admissible = lobby.admissible()
        if all(lobby.on_the_list(person) for person in admissible):
            self._still_waiting([person.seat for person in lobby.held()])
            if admissible:
                spawn(self.live.admit_all())
            return
        box = AdmitAllQuestion(self.live, self)
        self.admit_all_question = box
        box.finished.connect(lambda _result: self._admit_all_answered(box))
        box.open()

    def _admit_all_answered(self, box: AdmitAllQuestion) -> None:
        self.admit_all_question = None
        box.deleteLater()
        chosen = box.chosen()
        if chosen:
            self._still_waiting([seat for seat in box.waiting if seat not in chosen])
            spawn(self.live.admit_seats(chosen))

    def _still_waiting(self, seats: list[str]) -> None:
        self._left = seats
        self._show_left()

    def _show_left(self) -> None:
        """Name those "Admit all" left waiting who still wait, and why."""
        lobby = self.live.waiting_room
        people = []
        for seat in self._left:
            person = lobby.person(seat)
            if person is None:
                continue
            unmet = lobby.unmet(person)
            if unmet:
                items = answer_texts.names(lobby.questions, unmet)
                people.append(
                    self.tr("{name} (missing: {items})").format(name=person.name, items=items)
                )
            elif not lobby.on_the_list(person):
                people.append(self.tr("{name} (not on the list)").format(name=person.name))
        self.left_note.setText(
            self.tr("Still waiting: {people}").format(people=", ".join(people)) if people else ""
        )
        self.left_note.setVisible(bool(people))

    def _held(self, seat: str) -> None:
        """The room held an admission: required items are unmet. Ask why to admit anyway
        (one at a time: the entry of anyone else held says what is missing)."""
        lobby = self.live.waiting_room
        person = lobby.person(seat)
        if person is None or self.reason_dialog is not None:
            return
        dialog = AdmitReasonDialog(seat, person.name, lobby.questions, lobby.unmet(person), self)
        self.reason_dialog = dialog
        dialog.finished.connect(lambda result: self._reason_given(dialog, result))
        dialog.open()

    def _reason_given(self, dialog: AdmitReasonDialog, result: int) -> None:
        self.reason_dialog = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted.value:
            spawn(self.live.admit(dialog.seat, dialog.reason_text()))

    def entry(self, seat: str) -> LobbyEntryView | None:
        """The entry view of the person waiting in ``seat``."""
        return next((e for e in self.entries if e.person.seat == seat), None)

    def refresh(self) -> None:
        """Show the lobby as it is now: an entry for each newcomer, none for those gone."""
        views = {e.person.seat: e for e in self.entries}
        self.entries = []
        for index, person in enumerate(self.live.lobby):
            entry = views.pop(person.seat, None)
            if entry is None or entry.person is not person:
                if entry is not None:
                    entry.deleteLater()
                entry = LobbyEntryView(self, person)
            else:
                entry.retranslate()  # the match, the minutes waited
            if self.list_layout.indexOf(entry) != index:
                self.list_layout.insertWidget(index, entry)
            self.entries.append(entry)
        for gone in views.values():
            self.list_layout.removeWidget(gone)
            gone.deleteLater()
        if self.reason_dialog is not None and self.entry(self.reason_dialog.seat) is None:
            self.reason_dialog.reject()  # they are gone: nobody to admit
        self._show_left()
        self.empty.setVisible(not self.live.lobby)
        self.admit_all_button.setEnabled(len(self.live.lobby) > 0)
        self._retranslate_title()

    def _preview_image(self, seat: str, _image: QImage) -> None:
        self._preview_changed(seat)

    def _preview_changed(self, seat: str) -> None:
        """A new picture of ``seat``, or a new state of its preview (the model has both)."""
        entry = self.entry(seat)
        if entry is not None:
            entry.show_preview()

    def _knocked(self, _seat: str) -> None:
        self.knocks += 1
        if self.knock_sound.isChecked() and self.audio is not None:
            self.audio.play_knock()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _retranslate_title(self) -> None:
        count = len(self.live.lobby)
        self.title.setText(self.tr("Waiting room ({count})").format(count=count))

    def _retranslate_note(self) -> None:
        if self.live.previews.enabled:
            note = self.tr(
                "You see the camera of people waiting, without sound. They see nothing of "
                "the group."
            )
        elif self.live.previews.managed:
            note = self.tr("Previews of people waiting are turned off by your organisation.")
        else:
            note = self.tr("Previews of people waiting are turned off in your settings.")
        if note != self.no_preview.text():
            self.no_preview.setText(note)
            for entry in self.entries:
                entry.show_preview()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._retranslate_title()
        self.empty.setText(self.tr("Nobody is waiting. Share the invite link to let people in."))
        self.admit_all_button.setText(self.tr("Admit &all"))
        self.admit_all_button.setAccessibleName(self.tr("Admit everyone waiting"))
        self.knock_sound.setText(self.tr("Knock sound when someone arrives"))
        self.knock_sound.setAccessibleName(self.tr("Knock sound when someone arrives"))
        self._retranslate_note()
        self._show_left()
        for entry in self.entries:
            entry.retranslate()
        self.setAccessibleName(self.tr("Waiting room"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
