"""A focus ring that can be seen on every control, in light and dark palettes.

Fusion draws a faint focus frame, and none at all on a button with its own colours
(the red "End the session"), nor on the custom-painted tiles. The app's style sheet
adds a solid ring of ``RING_WIDTH`` pixels to every focusable control type while it
has the focus; its colour is black on a light palette and white on a dark one, which
stands out at least 3:1 (WCAG 2.2, 2.4.13) against the window, the controls' faces and
the red end button (the tests compute those ratios). Tiles paint their own ring
(``video_grid``): white outside, black inside, on any picture.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

RING_WIDTH = 3
"""Pixels: at least 2 (WCAG 2.2, 2.4.13)."""
RING_ON_LIGHT = QColor("#000000")
RING_ON_DARK = QColor("#ffffff")

#: Every focusable control type of the app (their subclasses too).
FOCUSABLE_TYPES = (
    "QAbstractButton",
    "QLineEdit",
    "QAbstractSpinBox",
    "QComboBox",
    "QAbstractItemView",
    "QPlainTextEdit",
    "QTextEdit",
    "QAbstractScrollArea",
    "QTabBar",
    "QAbstractSlider",
    "QGroupBox",
)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette's windows are dark (a dark theme)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def ring_color(palette: QPalette) -> QColor:
    """The focus ring's colour on this palette."""
    return RING_ON_DARK if is_dark(palette) else RING_ON_LIGHT


def style_sheet(palette: QPalette) -> str:
    """The app style sheet's focus rule for ``palette``."""
    selectors = ", ".join(f"{name}:focus" for name in FOCUSABLE_TYPES)
    color = ring_color(palette).name()
    return f"{selectors} {{ border: {RING_WIDTH}px solid {color}; }}"


def install(app: QApplication) -> None:
    """Give every control of ``app`` a visible focus ring (call after setting its style)."""
    app.setStyleSheet(style_sheet(app.palette()))
