"""The crisis panel: everything a facilitator needs at hand for one member in crisis.

Top to bottom, in the order it is needed under stress: a banner when the person dropped
(their phone number to call) or has been silent or frozen too long; what they declared
before admission (where they are and its region, their phone, their emergency contact);
the private side room; the crisis lines for their region and language first (name,
number, note); the protocol's steps, each ticked with its time, an observation beside it;
the general observations, the lines used, the referral, the outcome; and closing, which
saves the incident and says where it went. The panel holds no state of its own: it shows
``LiveCrisis``'s view of the chosen seat and calls it back (``ui/live_crisis.py``).

Signals: ``close_requested(str)``: the facilitator asked to close the panel of a seat
(the view confirms, then closes it).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.policy_values import CrisisResource
from groupdesk.core.session.crisis import OUTCOMES, CrisisAlert, CrisisView, Outcome
from groupdesk.core.session.crisis_lines import language_of
from groupdesk.ui.live_crisis import LiveCrisis
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import (
    discard,
    heading,
    message_label,
    notice_label,
    short_time,
    spawn,
)


def _lang() -> str:
    return language_of(QLocale().name())


class StepRow(QFrame):
    """One protocol step: its box to tick, its words, the time it was ticked, and an
    observation beside it."""

    def __init__(self, step_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.step_id = step_id
        self.box = QCheckBox(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setBuddy(self.box)
        self.time = QLabel(self)
        self.observation = QLineEdit(self)
        top = QHBoxLayout()
        top.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        below = QHBoxLayout()
        below.addWidget(self.time)
        below.addWidget(self.observation, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(top)
        layout.addLayout(below)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 -- Qt's name
        """A click on the step's words ticks it too (as a check box's own text would)."""
        if self.text.geometry().contains(event.position().toPoint()):
            self.box.click()
        else:
            super().mousePressEvent(event)


class CrisisPanel(QScrollArea):
    """The crisis panel of the seats ``crisis`` has open, one shown at a time (``seat``)."""

    close_requested = Signal(str)

    def __init__(self, live: LiveSession, crisis: LiveCrisis, parent: QWidget | None = None):
        super().__init__(parent)
        self.live, self.crisis = live, crisis
        self.seat: str | None = None
        """The seat whose panel is shown (None: none open)."""
        self.rows: list[StepRow] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = self.body = QWidget(self)
        self.setWidget(body)
        self.title = heading(body, level=2)
        self.chooser = QComboBox(body)
        self.banner = message_label(body)
        self.contact = QLabel(body)
        bold = QFont(self.contact.font())
        bold.setBold(True)
        self.contact.setFont(bold)
        self.banner.setFont(bold)
        self.contact.setWordWrap(True)
        self.contact.setTextFormat(Qt.TextFormat.PlainText)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.side_button = QPushButton(body)
        self.lines_box = QGroupBox(body)
        self.lines = QLabel(self.lines_box)
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.lines_box).addWidget(self.lines)
        self.steps_box = QGroupBox(body)
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.observation_label = QLabel(body)
        self.observation = QPlainTextEdit(body)
        self.observation.setTabChangesFocus(True)
        self.observation.setMaximumHeight(90)
        self.observation_label.setBuddy(self.observation)
        self.used_label = QLabel(body)
        self.used = QListWidget(body)
        self.used_label.setBuddy(self.used)
        self.referral_label = QLabel(body)
        self.referral = QListWidget(body)
        self.referral_label.setBuddy(self.referral)
        self.outcome_label = QLabel(body)
        self.outcome = QComboBox(body)
        self.outcome_label.setBuddy(self.outcome)
        self.close_button = QPushButton(body)
        self.saved = notice_label(body)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # read out once it is said
        self._lay_out()
        self._connect()
        self.retranslate()

    def _connect(self) -> None:
        crisis, live = self.crisis, self.live
        self.side_button.clicked.connect(self._side_room)
        self.close_button.clicked.connect(self._close_asked)
        self.chooser.activated.connect(lambda _i: self.show_seat(self.chooser.currentData()))
        self.observation.textChanged.connect(self._observe_general)
        self.used.itemChanged.connect(lambda _item: self._lines_chosen(self.used))
        self.referral.itemChanged.connect(lambda _item: self._lines_chosen(self.referral))
        self.outcome.activated.connect(self._outcome_chosen)
        crisis.changed.connect(self._changed)
        crisis.alerted.connect(self._alerted)
        live.changed.connect(self.refresh)  # the side room opened or closed
        live.members_changed.connect(self.refresh)

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.addWidget(self.used_label, 0, 0)
        grid.addWidget(self.referral_label, 0, 1)
        grid.addWidget(self.used, 1, 0)
        grid.addWidget(self.referral, 1, 1)
        outcome = QHBoxLayout()
        outcome.addWidget(self.outcome_label)
        outcome.addWidget(self.outcome, 1)
        layout = QVBoxLayout(self.body)
        for widget in (
            self.title,
            self.chooser,
            self.banner,
            self.contact,
            self.side_button,
            self.lines_box,
            self.steps_box,
            self.observation_label,
            self.observation,
        ):
            layout.addWidget(widget)  # fmt: skip
        layout.addLayout(grid)
        layout.addLayout(outcome)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved)
        layout.addStretch(1)

    # -- what is shown --------------------------------------------------------------

    def show_seat(self, seat: str | None) -> None:
        """Show the panel of ``seat`` (None: the first open one, else none)."""
        if seat is None or self.crisis.crisis(seat) is None:
            seats = self.crisis.open_seats()
            seat = seats[0] if seats else None
        if seat != self.seat:
            self.seat = seat
            crisis = self.crisis.crisis(seat) if seat else None
            self._clear_rows()
            self.observation.blockSignals(True)
            self.observation.setPlainText(crisis.observation if crisis else "")
            self.observation.blockSignals(False)
        self.refresh()

    def focus_first(self) -> None:
        """Put the keyboard on the panel: its first step (the call-back one after a drop)."""
        if self.rows:
            self.ensureWidgetVisible(self.rows[0].box)
            self.rows[0].box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.close_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh(self) -> None:
        """Everything as the shown crisis is now."""
        crisis = self.crisis.crisis(self.seat) if self.seat else None
        self.body.setEnabled(True)
        for widget in (self.banner, self.contact, self.side_button, self.lines_box,
                       self.steps_box, self.observation_label, self.observation, self.used_label,
                       self.used, self.referral_label, self.referral, self.outcome_label,
                       self.outcome, self.close_button):  # fmt: skip
            widget.setVisible(crisis is not None)
        self._render_chooser()
        if crisis is None:
            self.title.setText(self.tr("Crisis"))
            self.banner.hide()
            return
        view = crisis.view()
        name = self.crisis.name_of(view.seat)
        self.title.setText(self.tr("Crisis: {name}").format(name=name))
        self.title.setAccessibleName(self.title.text())
        self._render_banner(view, name)
        self._render_contact(view)
        self._render_side_room(view.seat, name)
        self._render_lines(view.resources)
        self._render_steps(view)
        self._render_outcome(view.outcome)

    def _render_chooser(self) -> None:
        seats = self.crisis.open_seats()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for seat in seats:
            self.chooser.addItem(self.crisis.name_of(seat), seat)
        if self.seat in seats:
            self.chooser.setCurrentIndex(seats.index(self.seat))
        self.chooser.blockSignals(False)
        self.chooser.setVisible(len(seats) > 1)

    def banner_text(self, view: CrisisView, name: str) -> str:
        """The alerts in words, the drop first (with the number to call)."""
        texts = []
        if view.dropped:
            if view.call_first:
                texts.append(
                    self.tr("{name}'s connection dropped — call {phone}").format(
                        name=name, phone=view.call_first
                    )
                )
            else:
                texts.append(
                    self.tr(
                        "{name}'s connection dropped. They gave no phone number: try their "
                        "emergency contact, or the chat."
                    ).format(name=name)
                )
        for alert in view.alerts:
            seconds = round(alert.seconds)
            if alert.kind == "silence":
                texts.append(
                    self.tr("{name} has not been heard for {seconds} s.").format(
                        name=name, seconds=seconds
                    )
                )
            elif alert.kind == "freeze":
                texts.append(
                    self.tr("{name}'s picture has not moved for {seconds} s.").format(
                        name=name, seconds=seconds
                    )
                )
        return "\n".join(texts)

    def _render_banner(self, view: CrisisView, name: str) -> None:
        text = self.banner_text(view, name)
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        self.banner.setVisible(bool(text))

    def _render_contact(self, view: CrisisView) -> None:
        contact, unknown = view.contact, self.tr("not given")
        where = contact.location or unknown
        if contact.location and contact.region:
            where = self.tr("{place} (region {region})").format(
                place=contact.location, region=contact.region
            )
        lines = [
            self.tr("Location: {where}").format(where=where),
            self.tr("Phone: {phone}").format(phone=contact.phone or unknown),
            self.tr("Emergency contact: {who}").format(who=contact.emergency_contact or unknown),
        ]
        self.contact.setText("\n".join(lines))
        self.contact.setAccessibleName(self.contact.text())

    def _render_side_room(self, seat: str, name: str) -> None:
        side = self.live.room.side
        aside = side.aside(seat) and side.aside(self.live.self_seat)
        if aside:
            self.side_button.setText(self.tr("Back to the group"))
            self.side_button.setAccessibleName(
                self.tr("Leave the private side room with {name}: back to the group").format(
                    name=name
                )
            )
        else:
            self.side_button.setText(self.tr("Private side room"))
            self.side_button.setAccessibleName(
                self.tr("Go to a private side room with {name}").format(name=name)
            )
        self.side_button.setEnabled(seat in self.live.members and (aside or not side.active))

    def _render_lines(self, resources: tuple[CrisisResource, ...]) -> None:
        lang = _lang()
        texts = []
        for line in resources:
            numbers = []
            if line.phone:
                numbers.append(line.phone)
            if line.sms:
                numbers.append(self.tr("text {number}").format(number=line.sms))
            text = self.tr("{name}: {numbers}").format(  # French: a space before the colon
                name=line.name_in(lang), numbers=", ".join(numbers)
            )
            note = line.note_in(lang)
            texts.append(f"{text}\n    {note}" if note else text)
        self.lines.setText("\n".join(texts))
        self.lines.setAccessibleName(self.lines.text())
        for widget, chosen in ((self.used, self._chosen(self.used)),
                               (self.referral, self._chosen(self.referral))):  # fmt: skip
            if [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())] != [
                line.id for line in resources
            ]:
                widget.blockSignals(True)
                widget.clear()
                for line in resources:
                    item = QListWidgetItem(line.name_in(lang), widget)
                    item.setData(Qt.ItemDataRole.UserRole, line.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    on = line.id in chosen
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                widget.blockSignals(False)

    def _render_steps(self, view: CrisisView) -> None:
        order = [s.step.id for s in view.steps]
        if [row.step_id for row in self.rows] != order:
            focused = QApplication.focusWidget()
            had_focus = focused is not None and self.isAncestorOf(focused)
            made = {row.step_id: row for row in self.rows}
            self.rows = [made.get(ident) or self._step_row(ident) for ident in order]
            for place, row in enumerate(self.rows):  # the same rows, in the new order
                self.steps_layout.removeWidget(row)
                self.steps_layout.insertWidget(place, row)
            chain: list[QWidget] = [self.side_button]  # the keyboard goes down as one reads
            for row in self.rows:
                chain += [row.box, row.observation]
            for before, after in pairwise([*chain, self.observation, self.used]):
                QWidget.setTabOrder(before, after)
            self._retranslate_steps(view)
            if had_focus:  # the order changed (a drop): the keyboard goes to the first step
                self.focus_first()
        lang = _lang()
        for row, step in zip(self.rows, view.steps, strict=True):
            text = step.step.text_in(lang)
            row.text.setText(text)
            row.box.blockSignals(True)
            row.box.setChecked(step.done_at is not None)
            row.box.blockSignals(False)
            if step.done_at is not None:
                row.time.setText(self.tr("done at {time}").format(time=short_time(step.done_at)))
                row.box.setAccessibleName(
                    self.tr("{step} (done at {time})").format(
                        step=text, time=short_time(step.done_at)
                    )
                )
            else:
                row.time.setText("")
                row.box.setAccessibleName(text)
            if row.observation.text() != step.observation:
                row.observation.setText(step.observation)

    def _step_row(self, step: str) -> StepRow:
        row = StepRow(step, self.steps_box)
        row.box.toggled.connect(lambda on: self._tick(step, on))
        row.observation.textChanged.connect(lambda text: self._observe(step, text))
        return row

    def _retranslate_steps(self, view: CrisisView | None = None) -> None:
        for row in self.rows:
            row.observation.setPlaceholderText(self.tr("Observation"))
            row.observation.setAccessibleName(
                self.tr("Observation beside the step: {step}").format(step=row.text.text())
            )

    def _render_outcome(self, outcome: Outcome | None) -> None:
        index = self.outcome.findData(outcome or "")
        self.outcome.setCurrentIndex(max(0, index))

    def _clear_rows(self) -> None:
        for row in self.rows:
            discard(self.steps_layout, row)
        self.rows = []

    # -- what the facilitator does -------------------------------------------------

    def _tick(self, step: str, on: bool) -> None:
        if self.seat:
            self.crisis.tick_step(self.seat, step, on)

    def _observe(self, step: str, text: str) -> None:
        if self.seat:
            self.crisis.observe(self.seat, text, step)

    @staticmethod
    def _chosen(widget: QListWidget) -> list[str]:
        return [
            str(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _lines_chosen(self, widget: QListWidget) -> None:
        if not self.seat:
            return
        if widget is self.used:
            self.crisis.use_resources(self.seat, self._chosen(widget))
        else:
            self.crisis.refer(self.seat, self._chosen(widget))

    def _outcome_chosen(self, _index: int) -> None:
        if self.seat:
            value = self.outcome.currentData()
            outcome: Outcome | None = next((o for o in OUTCOMES if o == value), None)
            self.crisis.set_outcome(self.seat, outcome)

    def _observe_general(self) -> None:
        if self.seat:
            self.crisis.observe(self.seat, self.observation.toPlainText())

    def _close_asked(self) -> None:
        if self.seat:
            self.close_requested.emit(self.seat)

    def _side_room(self) -> None:
        seat, live = self.seat, self.live
        if not seat:
            return
        if live.room.side.aside(seat):
            spawn(live.close_side_room())
        else:
            spawn(live.open_side_room(seat))

    def _changed(self, seat: str) -> None:
        if self.seat is None or self.crisis.crisis(self.seat) is None:
            self.show_seat(seat)  # nothing shown, or the one shown moved to a new seat
        elif seat == self.seat:
            self.refresh()
        else:
            self._render_chooser()

    def _alerted(self, alert: CrisisAlert) -> None:
        if alert.seat == self.seat:
            self.refresh()

    def said_saved(self, name: str, incident_id: int | None) -> None:
        """Say where the closed incident went (``incident_id`` None: not saved)."""
        if incident_id is None:
            self.saved.setText(
                self.tr(
                    "The incident of {name} could not be saved in the session log. Write what "
                    "happened in the session's notes now."
                ).format(name=name)
            )
        else:
            self.saved.setText(
                self.tr(
                    "The incident of {name} is saved in the session log (incident {id}), and "
                    "its summary in the session's notes."
                ).format(name=name, id=incident_id)
            )
        self.saved.setAccessibleName(self.saved.text())
        self.saved.show()

    # -- language -------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.chooser.setAccessibleName(self.tr("Whose crisis panel to show"))
        self.lines_box.setTitle(self.tr("Crisis lines (their region and language first)"))
        self.steps_box.setTitle(self.tr("Protocol: tick each step as it is done"))
        self.observation_label.setText(self.tr("General &observations:"))
        self.observation.setAccessibleName(self.tr("General observations"))
        self.used_label.setText(self.tr("Lines &used:"))
        self.used.setAccessibleName(self.tr("Crisis lines used"))
        self.referral_label.setText(self.tr("&Referred to:"))
        self.referral.setAccessibleName(self.tr("Lines the person was referred to"))
        self.outcome_label.setText(self.tr("Ou&tcome:"))
        self.outcome.setAccessibleName(self.tr("Outcome"))
        outcomes: dict[str, str] = {
            "": self.tr("Not said yet"),
            "safe": self.tr("Safe: the person is safe for now"),
            "emergency_services": self.tr("Emergency services called"),
            "referred": self.tr("Referred to a crisis line or service"),
            "contact_lost": self.tr("Contact lost"),
            "other": self.tr("Other (see the observations)"),
        }
        self.outcome.clear()
        for value, text in outcomes.items():
            self.outcome.addItem(text, value)
        self.close_button.setText(self.tr("&Close and save the incident…"))
        self.close_button.setAccessibleName(self.tr("Close the crisis panel and save the incident"))
        self.setAccessibleName(self.tr("Crisis panel"))
        self.side_button.setText(self.tr("Private side room"))  # named for its member below
        self.side_button.setAccessibleName(self.tr("Private side room"))
        self._retranslate_steps()
        self.refresh()
