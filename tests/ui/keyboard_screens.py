"""Helpers for the keyboard tests: the app's screens set up for Tab, and where things are.

``live_with_three`` puts a window's live page in a facilitator's session with three
participants without a server (the room's seats are filled as the room would), so a
test can add, remove and re-lay tiles out at will.
"""

from __future__ import annotations

from collections.abc import Iterator

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
)
from ui_helpers import Windows, next_emission

from groupdesk.core.session.room_state import LiveMember, LiveStage
from groupdesk.ui.main_window import MainWindow

FAC, ANA, BEN, CLO, DAN = (
    "fac000000001",
    "a0a000000003",
    "be0000000004",
    "c10000000005",
    "da0000000006",
)
NAMES = {FAC: "Julie", ANA: "Ana", BEN: "Ben", CLO: "Chloé", DAN: "Dany"}
SCREENS = ("home", "prepare", "live", "notes")
_SECTIONS = 4
"""Tabs a date or time edit keeps (day, month, year; hour, minute, a.m.)."""


def seat(window: MainWindow, seat_id: str) -> None:
    """``seat_id`` takes a seat in the window's live room."""
    live = window.live
    role = "facilitator" if seat_id == FAC else "participant"
    live.seats.seat(LiveMember(seat_id, NAMES[seat_id], role, is_self=seat_id == FAC))
    live.members_changed.emit()


def unseat(window: MainWindow, seat_id: str) -> None:
    """``seat_id`` left the window's live room."""
    window.live.seats.unseat(seat_id)
    window.live.members_changed.emit()


def live_with_three(window: MainWindow) -> None:
    """The window's live page: Julie facilitating Ana, Ben and Chloé (no server)."""
    live = window.live
    live.room.start("facilitator")
    live.room.self_seat = FAC
    live.invite = "https://groupdesk.example.org/j/abc"
    live.room.set_stage(LiveStage.LIVE)
    window.show_live()
    for seat_id in (FAC, ANA, BEN, CLO):
        seat(window, seat_id)
    live.changed.emit()


async def open_screen(windows: Windows, screen: str) -> MainWindow:
    """A window showing ``screen`` (one of ``SCREENS``), active, at a laptop's size."""
    group, _people = await seed_log(windows, members=4, facilitator="Julie Pelletier")
    window = await open_window(windows)
    window.resize(1280, 800)
    window.activateWindow()
    await wait_for(window.isActiveWindow)
    select_group(window, group.id)
    await next_emission(window.workspace.members_changed)
    if screen == "prepare":
        window.prepare_action.trigger()
        await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
    elif screen == "live":
        live_with_three(window)
    elif screen == "notes":
        session_id = window.workspace.sessions[0].id
        assert await window.open_notes_now(session_id)
    await wait_for(lambda: bool(tab_stops(window)))
    return window


def _inside_a_control(widget: QWidget, root: QWidget) -> bool:
    """A part of a compound control (a table's header, a spin box's line edit)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        compound = isinstance(parent, QAbstractScrollArea | QComboBox | QAbstractSpinBox)
        if compound and not isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _one_of_a_group(widget: QWidget) -> bool:
    """An exclusive button that is not the checked one: Tab stops at the checked one of its
    group (the side tabs), the arrows move among them."""
    if not isinstance(widget, QAbstractButton):
        return False
    group = widget.group()
    return group is not None and group.exclusive() and not widget.isChecked()


def tab_stops(window: QWidget) -> list[QWidget]:
    """Every control of ``window`` that Tab should reach: shown, enabled, taking focus by
    Tab (a compound control once, an exclusive group of buttons once)."""
    stops = []
    for widget in window.findChildren(QWidget):
        takes_tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if not (takes_tab and widget.isVisible() and widget.isEnabled()):
            continue
        if widget.window() is not window or widget.focusProxy() is not None:
            continue
        if _inside_a_control(widget, window) or _one_of_a_group(widget):
            continue
        stops.append(widget)
    return stops


def press_tab_around(window: QWidget, start: QWidget, limit: int) -> Iterator[QWidget]:
    """Press Tab from ``start`` until the focus comes back to it; each widget reached.
    Fails when the focus stays in one widget for more Tabs than a date's sections (a
    trap: a table whose Tab goes from cell to cell, round and round) or never comes back."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is start, describe(start)
    current, stayed = start, 0
    for _ in range(limit):
        QTest.keyClick(current, Qt.Key.Key_Tab)
        reached = QApplication.focusWidget()
        assert reached is not None
        if reached is current:  # a date or time edit goes through its sections first
            stayed += 1
            assert stayed <= _SECTIONS, f"Tab is trapped in {describe(current)}"
            continue
        if reached is start:
            return
        yield reached
        current, stayed = reached, 0
    raise AssertionError(f"Tab never came back to {describe(start)}")


def place(widget: QWidget) -> QRect:
    """Where ``widget`` is on the screen."""
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def reads_before(first: QRect, second: QRect) -> bool:
    """Whether ``first`` is read before ``second``: above it in the same column, or on its
    left in the same row (a row ends before the next begins: wrapping is allowed)."""
    same_column = min(first.right(), second.right()) > max(first.left(), second.left())
    if same_column and first.bottom() < second.top():
        return True
    overlap = min(first.bottom(), second.bottom()) - max(first.top(), second.top())
    same_row = overlap > min(first.height(), second.height()) // 2
    return same_row and first.right() < second.left()


def out_of_reading_order(chain: list[QWidget]) -> list[str]:
    """Each pair of the Tab chain where a later widget is read before an earlier one."""
    places = [place(widget) for widget in chain]
    wrong = []
    for i, earlier in enumerate(chain):
        for j in range(i + 1, len(chain)):
            if reads_before(places[j], places[i]):
                wrong.append(f"{describe(chain[j])} comes after {describe(earlier)}")
    return wrong


def describe(widget: QWidget) -> str:
    """A widget in a failure message: its type, name and place."""
    text = widget.accessibleName() or getattr(widget, "text", lambda: "")()
    at = place(widget)
    where = f"({at.x()},{at.y()} {at.width()}x{at.height()})"
    return f"{type(widget).__name__} {text!r} at {where}"
