"""The lobby: who is waiting, their camera preview, what they declared, who in the group
they are; admit or decline.

The panel listens to ``LiveSession.lobby_changed`` and to the session's ``previews``
and writes back only by calling the session (admit, decline, set_match). Each person
keeps their entry view while they wait, so their preview does not flicker. A knock
sound plays when a new person arrives, unless turned off.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.i18n import get_language
from groupdesk.core.protocol import QuestionText
from groupdesk.ui.audio_out import AudioOut
from groupdesk.ui.live_members import Waiting
from groupdesk.ui.live_preview import THUMBNAIL
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import heading, paragraph, spawn

# What participants declare on the way in, in the order shown.
DECLARED_ORDER = (
    "private_place",
    "alone",
    "headphones",
    "no_recording",
    "group_rules",
    "location",
    "phone",
)


def _asked(text: QuestionText | None) -> str | None:
    """A room question's text in the app's language (else the other one)."""
    if text is None:
        return None
    if get_language().startswith("fr"):
        return text.fr_ca or text.en
    return text.en or text.fr_ca


class LobbyEntryView(QFrame):
    """One waiting person: camera preview, name, waited time, declarations, identity,
    admit/decline."""

    def __init__(self, panel: LobbyPanel, person: Waiting) -> None:
        super().__init__(panel)
        self.panel = panel
        self.person = person
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview = QLabel(self)
        self.preview.setFixedSize(THUMBNAIL)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)
        self.preview.setFrameShape(QFrame.Shape.Box)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.showing = False
        """True while the preview shows a picture (not a text)."""
        self.name = QLabel(self)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.waited = QLabel(self)
        self.declared = paragraph(self)
        self.consent = paragraph(self)
        """Shown when the member they are matched to has not consented to remote work."""
        self.match = QComboBox(self)
        # The combo shrinks with the panel instead of pushing the buttons out of view.
        self.match.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.match.setMinimumContentsLength(8)
        self.admit_button = QPushButton(self)
        self.decline_button = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.admit_button)
        buttons.addWidget(self.decline_button)
        # the picture beside the name; the declarations below, full width: the side
        # panel is narrow
        self.name.setWordWrap(True)
        self.waited.setWordWrap(True)
        who = QVBoxLayout()
        who.addWidget(self.name)
        who.addWidget(self.waited)
        who.addStretch(1)
        beside = QHBoxLayout()
        beside.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        beside.addLayout(who, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(beside)
        layout.addWidget(self.declared)
        layout.addWidget(self.match)
        layout.addWidget(self.consent)
        layout.addLayout(buttons)
        live = panel.live
        self.admit_button.clicked.connect(lambda: spawn(live.admit(person.seat)))
        self.decline_button.clicked.connect(lambda: spawn(live.decline(person.seat)))
        self.match.activated.connect(self._matched)
        self.retranslate()

    def _matched(self, index: int) -> None:
        spawn(self.panel.live.set_match(self.person.seat, self.match.itemData(index)))
        self._show_consent(self.match.itemData(index))

    def _show_consent(self, member_id: int | None) -> None:
        """Say so when the member they are matched to has not consented to remote work."""
        needed = member_id is not None and member_id in self.panel.live.consent_needed
        self.consent.setText(
            self.tr("No consent to remote work on record yet (see Consent… in the group)")
            if needed
            else ""
        )
        self.consent.setVisible(needed)

    def show_preview(self) -> None:
        """The preview as it stands: the latest picture, or a text in its place."""
        text = self._preview_text()
        image = self.panel.live.previews.image(self.person.seat)
        if text is None and image is not None:
            self.preview.setPixmap(QPixmap.fromImage(image))
            self.showing = True
        else:
            self.showing = False
            self.preview.setText(text or "")

    def _preview_text(self) -> str | None:
        """What the preview says instead of a picture (None: the picture)."""
        previews = self.panel.live.previews
        state = previews.state(self.person.seat)
        if not previews.enabled:
            return self.tr("No preview")
        if state == "camera_off":
            return self.tr("Camera off")
        if state == "closed":
            return self.tr("Preview ended")
        if state == "showing" and previews.image(self.person.seat) is not None:
            return None
        return self.tr("Asking to see {name}…").format(name=self.person.name)

    def retranslate(self) -> None:
        """Texts in the current language."""
        person = self.person
        self.name.setText(person.name)
        minutes = max(0, int((time.time() - person.since) // 60)) if person.since else 0
        self.waited.setText(self.tr("waiting {minutes} min").format(minutes=minutes))
        self.declared.setText(self._declared_text())
        self.match.blockSignals(True)
        self.match.clear()
        self.match.addItem(self.tr("Not a member of the group"), None)
        for member in self.panel.live.roster:
            self.match.addItem(self.tr("Is {name}").format(name=member.display_name), member.id)
        index = self.match.findData(person.match) if person.match is not None else 0
        self.match.setCurrentIndex(max(0, index))
        self.match.blockSignals(False)
        self.match.setAccessibleName(self.tr("Who {name} is in the group").format(name=person.name))
        self._show_consent(person.match)
        self.admit_button.setText(self.tr("Admit"))
        self.admit_button.setAccessibleName(self.tr("Admit {name}").format(name=person.name))
        self.decline_button.setText(self.tr("Decline"))
        self.decline_button.setAccessibleName(self.tr("Decline {name}").format(name=person.name))
        self.preview.setAccessibleName(self.tr("Camera preview of {name}").format(name=person.name))
        self.show_preview()

    def _declared_text(self) -> str:
        labels = {
            "private_place": self.tr("In a private place"),
            "alone": self.tr("Alone in the room"),
            "headphones": self.tr("Wearing headphones"),
            "no_recording": self.tr("Not recording"),
            "group_rules": self.tr("Accepts the group rules"),
            "location": self.tr("Location"),
            "phone": self.tr("Phone"),
        }
        lines = []
        declared = self.person.declared
        # the room's own questions, in their order, with their text from the policy
        asked = {q.id: q.text for q in self.panel.live.questions if q.id not in DECLARED_ORDER}
        keys = [k for k in DECLARED_ORDER if k in declared] + [k for k in asked if k in declared]
        keys += sorted(k for k in declared if k not in DECLARED_ORDER and k not in asked)
        for key in keys:
            value = declared[key]
            label = labels.get(key) or _asked(asked.get(key)) or key.replace("_", " ")
            if isinstance(value, bool):
                lines.append(("✔ " if value else "✘ ") + label + ("" if value else self.tr(": no")))
            elif value not in (None, ""):
                lines.append(self.tr("{label}: {value}").format(label=label, value=value))
        if not lines:
            return self.tr("Declared nothing yet.")
        return "\n".join(lines)


class AdmitAllQuestion(QMessageBox):
    """Asked before "Admit all" lets in people who match no expected member: names them,
    and offers to admit only the expected ones, everyone, or nobody.

    It answers for the people waiting when it was asked: someone who knocks meanwhile
    is not admitted with them. ``expected_button`` (the default when there is anyone
    expected), ``all_button``, ``cancel_button`` (Escape). Signals: those of
    ``QMessageBox`` (``finished``).
    """

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        lobby = live.waiting_room
        self.everyone = [person.seat for person in lobby.waiting]
        self.expected = [p.seat for p in lobby.waiting if lobby.on_the_list(p)]
        self.others = lobby.not_on_the_list()
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
        self.list = QWidget(self)
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        scroll = QScrollArea(self)
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
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.no_preview)
        self.admit_all_button.clicked.connect(self.admit_all)
        live.lobby_changed.connect(self.refresh)
        live.knocked.connect(self._knocked)
        live.changed.connect(self._retranslate_note)
        live.previews.image_ready.connect(self._preview_image)
        live.previews.state_changed.connect(self._preview_changed)
        self.knocks = 0
        self.admit_all_question: AdmitAllQuestion | None = None
        """Open while "Admit all" asks about people who are not on the list."""
        self.retranslate()
        self.refresh()

    def admit_all(self) -> None:
        """Admit everyone waiting (Ctrl+Shift+A); first ask, naming them, when some
        match no expected member."""
        if not self.live.lobby or self.admit_all_question is not None:
            return
        if not self.live.waiting_room.not_on_the_list():
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
            spawn(self.live.admit_seats(chosen))

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
        for entry in self.entries:
            entry.retranslate()
        self.setAccessibleName(self.tr("Waiting room"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
