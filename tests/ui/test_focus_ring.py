"""Every control shows where the keyboard focus is, in a light and a dark palette: a ring
at least 2 px wide whose colour stands out 3:1 from what it is drawn next to (WCAG 2.2,
2.4.13), on the red end button, default buttons, tiles and side tabs too (issue 17)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from keyboard_screens import SCREENS, describe, open_screen, tab_stops
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QStyleFactory, QWidget
from ui_helpers import Run, Windows

from groupdesk.ui import focus_ring
from groupdesk.ui.video_grid import (
    FOCUS_BESIDE,
    FOCUS_INNER,
    FOCUS_INNER_WIDTH,
    FOCUS_OUTER,
    FOCUS_OUTER_WIDTH,
    VideoTile,
)


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(color: QColor) -> float:
        def linear(channel: float) -> float:
            return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in (color.redF(), color.greenF(), color.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dark_palette() -> QPalette:
    """A dark theme's palette, as a desktop in dark mode gives Fusion."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2d2d2d",
        QPalette.ColorRole.WindowText: "#f0f0f0",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#353535",
        QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#f0f0f0",
        QPalette.ColorRole.Text: "#f0f0f0",
        QPalette.ColorRole.Highlight: "#2a82da",
        QPalette.ColorRole.HighlightedText: "#ffffff",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    return palette


PALETTES = {"light": lambda: QStyleFactory.create("Fusion").standardPalette(), "dark": dark_palette}


@pytest.fixture(params=list(PALETTES))
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QPalette]:
    """The app as ``app.py`` sets it up (Fusion, the focus ring), in a light or dark palette."""
    style, palette = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    qapp.setPalette(PALETTES[request.param]())
    focus_ring.install(qapp)
    yield qapp.palette()
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setStyle(style)


def _border_band(image: QImage, width: int) -> Iterator[tuple[int, int]]:
    w, h = image.width(), image.height()
    for y in range(h):
        if y < width or y >= h - width:
            yield from ((x, y) for x in range(w))
        else:
            yield from ((x, y) for x in (*range(width), *range(w - width, w)))


def ring_drawn(widget: QWidget, elsewhere: QWidget) -> float:
    """The share of ``widget``'s border pixels that change when it takes the focus."""
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    assert not widget.hasFocus()
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert widget.hasFocus(), describe(widget)
    with_focus = widget.grab().toImage()
    ratio = without.devicePixelRatio()
    band = list(_border_band(without, round(2 * ratio)))
    changed = sum(without.pixel(x, y) != with_focus.pixel(x, y) for x, y in band)
    return changed / len(band)


def test_the_ring_stands_out_from_what_it_is_drawn_next_to(themed: QPalette) -> None:
    ring = focus_ring.ring_color(themed)
    assert focus_ring.RING_WIDTH >= 2
    beside = [
        themed.color(QPalette.ColorRole.Window),
        themed.color(QPalette.ColorRole.Button),
        themed.color(QPalette.ColorRole.Base),
        QColor("#b3261e"),  # the end button's red (checked below to be the one used)
    ]
    for color in beside:
        assert contrast(ring, color) >= 3, (ring.name(), color.name())
    # a tile's ring: white outside, black inside, each at least 2 px: one of them stands
    # out from whatever was there before (the grid, an empty tile, the speaking border)
    assert FOCUS_OUTER_WIDTH >= 2
    assert FOCUS_INNER_WIDTH >= 2
    for color in FOCUS_BESIDE:
        best = max(contrast(FOCUS_OUTER, color), contrast(FOCUS_INNER, color))
        assert best >= 3, color.name()
    assert contrast(FOCUS_OUTER, FOCUS_INNER) >= 3  # and from each other, on any picture


@pytest.mark.parametrize("screen", SCREENS)
def test_every_control_shows_its_focus(
    run: Run[Any], windows: Windows, memory_keyring: Any, themed: QPalette, screen: str
) -> None:
    async def scenario() -> None:
        window = await open_screen(windows, screen)
        try:
            stops = tab_stops(window)
            unseen = []
            for index, widget in enumerate(stops):
                elsewhere = stops[index - 1]
                if ring_drawn(widget, elsewhere) < 0.5:
                    unseen.append(describe(widget))
            assert not unseen, f"no focus ring on: {unseen}"
            kinds = {type(widget) for widget in stops}
            if screen == "live":
                page = window.live_page
                assert page.end_button in stops
                red = re.search(r"background: (#[0-9a-f]{6})", page.end_button.styleSheet())
                assert red is not None
                assert red.group(1) == "#b3261e"
                assert VideoTile in kinds
                assert page.side_tabs.buttons[0] in stops  # the side tab shown
            if screen == "prepare":
                assert window.prepare_page.prepare_button in stops
                assert isinstance(window.prepare_page.prepare_button, QPushButton)
                assert window.prepare_page.prepare_button.isDefault()
        finally:
            await windows.close_all()

    run(scenario())
