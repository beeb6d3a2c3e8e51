"""One person waiting in the lobby, as the facilitator sees them: camera preview, name,
time waited, their answers to the room's questions and what is missing, who in the
group they are, the identity mark, answers from their last session to confirm, and
admit or decline.

The entry reads its :class:`Waiting` and the room's lobby (``live.waiting_room``) and
writes back only by calling the session (admit, decline, set_match, verify_identity,
use_previous). The rules -- what meets an item, what may be offered again -- are the
core's (``core/session/checklist.py``, ``room_lobby.py``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from groupdesk.core.protocol import CONSENT_ANSWER
from groupdesk.core.session import checklist
from groupdesk.ui import answer_texts
from groupdesk.ui.live_members import Waiting
from groupdesk.ui.live_preview import THUMBNAIL
from groupdesk.ui.widgets import paragraph, spawn

if TYPE_CHECKING:
    from groupdesk.ui.lobby_panel import LobbyPanel


def _bold(label: QLabel) -> None:
    font = label.font()
    font.setBold(True)
    label.setFont(font)


class LobbyEntryView(QFrame):
    """One waiting person: camera preview, name, waited time, answers and what is
    missing, identity, earlier answers, admit/decline."""

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
        _bold(self.name)
        self.waited = QLabel(self)
        self.declared = paragraph(self)
        """Their answers, by the room's questions."""
        self.missing = paragraph(self)
        """The required items they have not met ("Missing: location, phone")."""
        _bold(self.missing)
        self.missing.setStyleSheet("color: #8a1c1c;")
        self.earlier = paragraph(self)
        """Their answers of an earlier session that may be taken, once confirmed."""
        self.use_earlier_button = QPushButton(self)
        self.consent = paragraph(self)
        """Shown when the member they are matched to has not consented to remote work."""
        self.match = QComboBox(self)
        # The combo shrinks with the panel instead of pushing the buttons out of view.
        self.match.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.match.setMinimumContentsLength(8)
        self.identity = QCheckBox(self)
        self.admit_button = QPushButton(self)
        self.decline_button = QPushButton(self)
        self._lay_out()
        live = panel.live
        seat = person.seat
        self.admit_button.clicked.connect(lambda: spawn(live.admit(seat)))
        self.decline_button.clicked.connect(lambda: spawn(live.decline(seat)))
        self.identity.clicked.connect(lambda checked: spawn(live.verify_identity(seat, checked)))
        self.use_earlier_button.clicked.connect(lambda: spawn(live.use_previous(seat)))
        self.match.activated.connect(self._matched)
        self.retranslate()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.admit_button)
        buttons.addWidget(self.decline_button)
        # the picture beside the name; the answers below, full width: the side panel
        # is narrow
        self.name.setWordWrap(True)
        self.waited.setWordWrap(True)
        who = QVBoxLayout()
        who.addWidget(self.name)
        who.addWidget(self.waited)
        who.addStretch(1)
        beside = QHBoxLayout()
        beside.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        beside.addLayout(who, 1)
        earlier = QHBoxLayout()
        earlier.addStretch(1)
        earlier.addWidget(self.use_earlier_button)
        layout = QVBoxLayout(self)
        layout.addLayout(beside)
        layout.addWidget(self.declared)
        layout.addWidget(self.missing)
        layout.addWidget(self.earlier)
        layout.addLayout(earlier)
        layout.addWidget(self.match)
        layout.addWidget(self.consent)
        layout.addWidget(self.identity)
        layout.addLayout(buttons)

    def _matched(self, index: int) -> None:
        spawn(self.panel.live.set_match(self.person.seat, self.match.itemData(index)))
        self._show_consent(self.match.itemData(index))

    def _show_consent(self, member_id: int | None) -> None:
        """Say so when the member they are matched to has not consented to remote work
        (unless they just agreed on the page: the log records it when they are admitted)."""
        live = self.panel.live
        needed = member_id is not None and member_id in live.consent_needed
        version = live.waiting_room.consent_version
        on_the_page = version is not None and self.person.declared.get(CONSENT_ANSWER) == version
        if not needed:
            text = ""
        elif on_the_page:
            text = self.tr(
                "Agreed on the page to the consent to remote work (recorded when admitted)"
            )
        else:
            text = self.tr("No consent to remote work on record yet (see Consent… in the group)")
        self.consent.setText(text)
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
        """Texts in the current language, and the person's state as the lobby has it."""
        person = self.person
        self.name.setText(person.name)
        minutes = max(0, int((time.time() - person.since) // 60)) if person.since else 0
        self.waited.setText(self.tr("waiting {minutes} min").format(minutes=minutes))
        self._show_answers()
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
        self.identity.setText(self.tr("Identity verified"))
        self.identity.setAccessibleName(
            self.tr("Identity of {name} verified").format(name=person.name)
        )
        self.identity.setChecked(person.identity_verified)
        self.admit_button.setText(self.tr("Admit"))
        self.admit_button.setAccessibleName(self.tr("Admit {name}").format(name=person.name))
        self.decline_button.setText(self.tr("Decline"))
        self.decline_button.setAccessibleName(self.tr("Decline {name}").format(name=person.name))
        self.preview.setAccessibleName(self.tr("Camera preview of {name}").format(name=person.name))
        self.show_preview()

    def _show_answers(self) -> None:
        """Their answers (with those taken from an earlier session), what is missing,
        and what an earlier session could give."""
        lobby, person = self.panel.live.waiting_room, self.person
        questions = lobby.questions
        self.declared.setText(answer_texts.answers_text(questions, person.answers))
        unmet = lobby.unmet(person)
        self.missing.setText(answer_texts.missing(questions, unmet))
        self.missing.setVisible(bool(unmet))
        self._show_earlier()

    def _show_earlier(self) -> None:
        lobby, person = self.panel.live.waiting_room, self.person
        previous = person.previous
        if previous is None:
            self.earlier.hide()
            self.use_earlier_button.hide()
            return
        questions = lobby.questions
        date = answer_texts.date_of(previous.at)
        left = lobby.offered_again(person)  # what was not taken yet
        taken = dict(person.from_previous)
        lines = []
        if left:
            lines.append(
                self.tr("From {date}: {answers}").format(
                    date=date, answers=answer_texts.words(questions, left)
                )
            )
        if taken:
            lines.append(
                self.tr("Taken from {date}, confirmed with them: {answers}").format(
                    date=date, answers=answer_texts.words(questions, taken)
                )
            )
        location_missing = any(
            q.kind == "location" and not checklist.met(q, person.answers.get(q.id))
            for q in questions
        )
        if location_missing:
            lines.append(self.tr("Location: ask again each session"))
        self.earlier.setText("\n".join(lines))
        self.earlier.setVisible(bool(lines))
        self.use_earlier_button.setText(self.tr("Use these (confirmed with them)"))
        self.use_earlier_button.setAccessibleName(
            self.tr("Use the answers {name} gave on {date} (confirmed with them)").format(
                name=person.name, date=date
            )
        )
        self.use_earlier_button.setVisible(bool(left))
