"""Pieces of the turns panel: a line of the queue, and the turn-limit box.

They hold widgets only; the panel fills their texts (in its translation context) and
reuses them from one view to the next, so the keyboard focus stays where it was.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from groupdesk.ui.turn_texts import clock_text

_CLOCK = re.compile(r"(\d{1,3})(?::(\d{0,2}))?")
_MAX_LIMIT = 3600  # an hour: longer is no limit at all


class QueueRow(QWidget):
    """One hand in line: its place and name, "Give the floor" and "Lower"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member = ""
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.give_button = QPushButton(self)
        self.lower_button = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.give_button)
        layout.addWidget(self.lower_button)


class LimitSpin(QSpinBox):
    """A turn limit in seconds, written and read as minutes:seconds ("2:30"); its
    minimum (0) shows the special text "No limit". A bare number is minutes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, _MAX_LIMIT)
        self.setSingleStep(15)

    def textFromValue(self, val: int) -> str:  # noqa: N802 -- Qt's name
        """Seconds as m:ss."""
        return clock_text(val)

    def valueFromText(self, text: str) -> int:  # noqa: N802 -- Qt's name
        """m:ss (or minutes) as seconds; what cannot be read is "no limit"."""
        seconds = _seconds(text)
        return 0 if seconds is None else seconds

    def validate(self, typed: str, pos: int) -> tuple[QValidator.State, str, int]:
        """m:ss up to an hour; "2:" or "" on the way there."""
        text = typed.strip()
        if text == self.specialValueText():
            return QValidator.State.Acceptable, typed, pos
        if not text or text.endswith(":"):
            return QValidator.State.Intermediate, typed, pos
        seconds = _seconds(text)
        if seconds is None:
            return QValidator.State.Invalid, typed, pos
        if seconds > _MAX_LIMIT:
            return QValidator.State.Intermediate, typed, pos
        return QValidator.State.Acceptable, typed, pos


def _seconds(text: str) -> int | None:
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    minutes, seconds = match.group(1), match.group(2)
    if seconds is None:
        return int(minutes) * 60
    if not seconds or int(seconds) >= 60:
        return None
    return int(minutes) * 60 + int(seconds)
