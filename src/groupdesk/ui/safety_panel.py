"""The safety signals, for facilitators: who used the discreet option, when, and what next.

A participant who cannot talk freely chooses the page's discreet option (its words are
policy text that reads as an ordinary connection option). The panel lists each signal
still open (``core/session/safety.py``): the name, when it came, whether it was
withdrawn, the suggested next steps (write privately, call back later by phone, never
ask about it aloud) and a button to mark it handled. It holds no state: whoever feeds it
(``ui/live_safety_view.py``) shows the calls again when they change; it asks for a
private chat or a handling with its signals. It makes no sound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.session.safety import SafetyCall
from groupdesk.ui.widgets import short_time


class SafetyRow(QFrame):
    """One open signal: who, when, its state, and the buttons for what to do."""

    write_requested = Signal(str)
    handled_requested = Signal(str)

    def __init__(self, call: SafetyCall, name: str, seated: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.seat = call.seat
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.who = QLabel(self)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setWordWrap(True)
        self.when = QLabel(self)
        self.when.setWordWrap(True)
        self.write_button = QPushButton(self)
        self.write_button.setEnabled(seated)  # a private line needs them in the room
        self.handled_button = QPushButton(self)
        self.write_button.clicked.connect(lambda: self.write_requested.emit(self.seat))
        self.handled_button.clicked.connect(lambda: self.handled_requested.emit(self.seat))
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.handled_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.when)
        layout.addLayout(buttons)
        self.show_call(call, name, seated)

    def show_call(self, call: SafetyCall, name: str, seated: bool) -> None:
        """The texts of ``call`` (``name``: theirs; ``seated``: still in the room)."""
        self.who.setText(name if seated else self.tr("{name} (left the room)").format(name=name))
        sent = self.tr("Sent at {time}").format(time=short_time(call.sent_at))
        if call.withdrawn_at is not None:
            state = self.tr("withdrawn at {time}, still to follow up").format(
                time=short_time(call.withdrawn_at)
            )
        else:
            state = self.tr("new")
        self.when.setText(f"{sent} \u00b7 {state}")
        self.write_button.setEnabled(seated)
        self.write_button.setText(self.tr("Write privately"))
        self.write_button.setAccessibleName(
            self.tr("Write privately to {name} in the chat").format(name=name)
        )
        self.handled_button.setText(self.tr("Mark as handled"))
        self.handled_button.setAccessibleName(
            self.tr("Mark the signal of {name} as handled").format(name=name)
        )
        self.setAccessibleName(f"{name}, {self.when.text()}")


class SafetyPanel(QWidget):
    """The open safety signals and the suggested next steps (see the module docstring)."""

    write_requested = Signal(str)
    """Open a private chat line to this seat."""
    handled_requested = Signal(str)
    """The facilitator marks this seat's signal handled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, SafetyRow] = {}
        self.option_text = ""
        """The words of the participants' discreet option (the policy's, in our language)."""
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.list_widget = QWidget(self)
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop: its controls are
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_widget)
        self.steps_title = QLabel(self)
        self.steps = QLabel(self)
        self.steps.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.steps_title)
        layout.addWidget(self.steps)
        self._shown: tuple[Sequence[SafetyCall], Mapping[str, str], frozenset[str]] = (
            (),
            {},
            frozenset(),
        )
        self.retranslate()

    def show_calls(
        self, calls: Sequence[SafetyCall], names: Mapping[str, str], seated: frozenset[str]
    ) -> None:
        """Show ``calls`` (the oldest first), with each seat's name and who is still here."""
        self._shown = (list(calls), dict(names), seated)
        wanted = [call.seat for call in calls]
        for seat in list(self.rows):
            if seat not in wanted:
                row = self.rows.pop(seat)
                self.list_layout.removeWidget(row)
                row.deleteLater()
        for index, call in enumerate(calls):
            name = names.get(call.seat) or self.tr("someone")
            known = self.rows.get(call.seat)
            if known is None:
                row = SafetyRow(call, name, call.seat in seated, self.list_widget)
                row.write_requested.connect(self.write_requested)
                row.handled_requested.connect(self.handled_requested)
                self.rows[call.seat] = row
            else:
                row = known
                row.show_call(call, name, call.seat in seated)
                self.list_layout.removeWidget(row)
            self.list_layout.insertWidget(index, row)
        self.empty.setVisible(not calls)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.about.setText(
            self.tr(
                "A participant who cannot talk freely can choose the discreet option "
                "\u201c{option}\u201d on their screen: it reads as an ordinary connection "
                "option, and only facilitators are told. It stays here until you mark it "
                "handled."
            ).format(option=self.option_text)
        )
        self.empty.setText(self.tr("No signal to follow up."))
        self.steps_title.setText(self.tr("Suggested next steps"))
        self.steps.setText(
            self.tr(
                "\u2022 Write to them privately in the chat (someone may be near them).\n"
                "\u2022 Offer to call them back later by phone, at a time that suits them.\n"
                "\u2022 Do not ask about it aloud in the group."
            )
        )
        calls, names, seated = self._shown
        self.show_calls(calls, names, seated)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
