"""The speaking turns in the desktop participant's mode: my hand and my place in line,
who has the floor and their timer, the round, and "Pass" when it is my turn in it.

The strip shows a :class:`~groupdesk.core.session.turn_wire.SeenTurns` it is given
(what the facilitator's app broadcast, counted on to now) and runs no timer of its
own; never anyone's talk time, never who passed.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from groupdesk.core.session.turn_wire import SeenTurns
from groupdesk.ui.turn_texts import member_name, timer_style, timer_text


class TurnsStrip(QWidget):
    """A participant's line of the turns.

    Signals: ``hand_toggled(bool)``: raise (True) or lower (False) my hand;
    ``pass_requested()``: pass my turn in the round.
    """

    hand_toggled = Signal(bool)
    pass_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seen: SeenTurns | None = None
        self.names: dict[str, str] = {}
        self.self_seat = ""
        self.hand_button = QPushButton(self)
        self.hand_button.setCheckable(True)
        self.place_label = QLabel(self)
        self.floor_label = QLabel(self)
        self.timer_label = QLabel(self)
        self.round_label = QLabel(self)
        self.round_label.setWordWrap(True)
        self.pass_button = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hand_button)
        layout.addWidget(self.place_label)
        layout.addSpacing(12)
        layout.addWidget(self.floor_label)
        layout.addWidget(self.timer_label)
        layout.addSpacing(12)
        layout.addWidget(self.round_label, 1)
        layout.addWidget(self.pass_button)
        self.hand_button.clicked.connect(self.hand_toggled)
        self.pass_button.clicked.connect(self._pass)
        self.retranslate()

    def show_view(self, seen: SeenTurns | None, names: Mapping[str, str], self_seat: str) -> None:
        """Show ``seen`` (None: no turn state received yet); ``names`` by seat."""
        self.seen, self.names, self.self_seat = seen, dict(names), self_seat
        self._render()

    def _name(self, seat: str) -> str:
        return member_name(self.names, seat, self.self_seat)

    def _pass(self) -> None:
        if self.seen is not None and self.seen.my_turn_in_round:
            self.pass_requested.emit()

    def _render(self) -> None:
        seen = self.seen
        if seen is not None:
            self.hand_button.setChecked(seen.hand_raised)
        raised = self.hand_button.isChecked()
        self.hand_button.setText(self.tr("Lower hand") if raised else self.tr("Raise hand"))
        self.hand_button.setAccessibleName(
            self.tr("Lower my hand") if raised else self.tr("Raise my hand")
        )
        self.hand_button.setToolTip(self.hand_button.accessibleName())
        for widget in (self.place_label, self.floor_label, self.timer_label, self.round_label):
            widget.setVisible(seen is not None)
        self.pass_button.setVisible(seen is not None and seen.my_turn_in_round)
        if seen is None:
            return
        self._render_place(seen)
        if seen.speaker is None:
            self.floor_label.setText(self.tr("The floor is open."))
        elif seen.speaker == self.self_seat:
            self.floor_label.setText(self.tr("You have the floor."))
        else:
            self.floor_label.setText(
                self.tr("{name} has the floor.").format(name=self._name(seen.speaker))
            )
        self.timer_label.setText(timer_text(seen.timer) if seen.timer else "")
        self.timer_label.setStyleSheet(timer_style(seen.timer))
        self.timer_label.setVisible(seen.timer is not None)
        self._render_round(seen)

    def _render_place(self, seen: SeenTurns) -> None:
        if seen.place is not None:
            text = self.tr("You are number {place} in line.").format(place=seen.place)
        elif seen.queue:
            text = self.tr("{count} in line.").format(count=len(seen.queue))
        else:
            text = self.tr("Nobody is in line.")
        self.place_label.setText(text)

    def _render_round(self, seen: SeenTurns) -> None:
        progress = seen.round
        self.round_label.setVisible(progress is not None)
        if progress is None:
            self.round_label.setText("")
            return
        parts = [
            self.tr("Round: {done} of {total} done").format(
                done=progress.done, total=progress.total
            )
        ]
        if seen.my_turn_in_round:
            parts.append(self.tr("it is your turn"))
        elif progress.current is not None:
            parts.append(self.tr("now: {name}").format(name=self._name(progress.current)))
        if progress.next == self.self_seat:
            parts.append(self.tr("you are next"))
        elif progress.next is not None:
            parts.append(self.tr("next: {name}").format(name=self._name(progress.next)))
        self.round_label.setText(" · ".join(parts))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language, then the view again."""
        self.setAccessibleName(self.tr("Speaking turns"))
        self.pass_button.setText(self.tr("Pass"))
        self.pass_button.setAccessibleName(self.tr("Pass my turn in the round"))
        self.pass_button.setToolTip(
            self.tr("Pass my turn in the round (only the facilitators see it)")
        )
        self._render()
