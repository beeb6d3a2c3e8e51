"""Walk a window as a keyboard or screen-reader user meets it: mnemonics, names, roles."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QSlider,
    QTabBar,
    QTextEdit,
    QWidget,
)

from groupdesk.ui.video_grid import VideoTile

#: What a person can act on: each needs a name a screen reader says, and a real role.
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabBar,
    QSlider,
    VideoTile,
)

#: Roles that say nothing of what a control is.
NO_ROLE = {QAccessible.Role.Client, QAccessible.Role.NoRole}


def mnemonic(text: str) -> str | None:
    """The Alt+letter a Qt text gives (``&&`` is a literal ``&``), lower case, or None."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def _is_qt_internal(widget: QWidget) -> bool:
    return widget.objectName().startswith("qt_")


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled() and not _is_qt_internal(widget)


def mnemonic_owners(window: QWidget) -> dict[str, list[str]]:
    """Every Alt+letter of the window's visible, enabled widgets, with who owns it (the
    menu bar's menus count too: they share the window's Alt keys)."""
    owners: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        key = mnemonic(text)
        if key is not None:
            owners[key].append(f"{what} {text!r}")

    for widget in [window, *window.findChildren(QWidget)]:
        if widget.window() is not window or not _shown(widget):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            if _shown(widget.buddy()):
                add(widget.text(), "QLabel")
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            add(widget.title(), "QGroupBox")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabEnabled(i) and widget.isTabVisible(i):
                    add(widget.tabText(i), "tab")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.isVisible() and action.isEnabled():
                    add(action.text(), "menu")
    return owners


def mnemonic_clashes(window: QWidget) -> list[str]:
    """The Alt+letters that more than one visible, enabled widget of ``window`` claims."""
    return sorted(
        f"Alt+{key.upper()}: {' / '.join(owners)}"
        for key, owners in mnemonic_owners(window).items()
        if len(owners) > 1
    )


def menu_clashes(menu_bar: QMenuBar) -> list[str]:
    """Alt letters used twice within one menu of the menu bar."""
    found = []
    for top in menu_bar.actions():
        sub = top.menu()
        if sub is None:
            continue
        owners: dict[str, list[str]] = defaultdict(list)
        for action in sub.actions():
            key = mnemonic(action.text())
            if key is not None and action.isVisible():
                owners[key].append(action.text())
        found += [f"{top.text()!r} Alt+{k.upper()}: {v}" for k, v in owners.items() if len(v) > 1]
    return found


def accessible_name(widget: QWidget) -> str:
    """What a screen reader says as the widget's name (Qt's accessibility, not a guess)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def accessibility_findings(root: QWidget) -> list[str]:
    """The interactive controls under ``root`` that have no name, or no real role."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or _is_qt_internal(widget):
            continue
        if isinstance(widget, QHeaderView):
            continue  # Qt exposes its sections as the table's column headers, by name
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), QAbstractSpinBox | QComboBox
        ):
            continue  # the edit inside a spin box or combo: the outer control is named
        if not widget.isVisible():
            continue
        name = widget.objectName() or "?"
        what = f"{type(widget).__name__}({name}) in {type(widget.window()).__name__}"
        iface = QAccessible.queryAccessibleInterface(widget)
        if iface is None:
            found.append(f"{what}: not accessible")
            continue
        if not accessible_name(widget):
            found.append(f"{what}: no name")
        if iface.role() in NO_ROLE:
            found.append(f"{what}: role {iface.role().name}")
    return found
