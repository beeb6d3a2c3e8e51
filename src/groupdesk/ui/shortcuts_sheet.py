"""The keyboard shortcuts sheet (F1, or "?" outside a text field; Help menu).

It is built each time it opens from the window's own ``QAction``s and ``QShortcut``s, so
it lists what the keys really do, in the app's language, grouped by screen (the page an
action belongs to) or by menu (the window's menu actions work on every screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: A screen of the window: its page and the words naming it.
Screen = tuple[QWidget, str]


@dataclass(frozen=True)
class ShortcutLine:
    """One line of the sheet: where it works, what it does, and its keys."""

    group: str
    command: str
    keys: str


def plain_text(text: str) -> str:
    """A menu text as read: no mnemonic ``&`` (``&&`` is a literal ``&``), no "…"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(sequences: Sequence[QKeySequence]) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(s.toString(native) for s in sequences if not s.isEmpty())


def _group_of(widget: QWidget | None, screens: Sequence[Screen]) -> str:
    while widget is not None:
        for page, name in screens:
            if widget is page:
                return name
        if isinstance(widget, QDialog):
            return plain_text(widget.windowTitle()) or _dialogs()
        widget = widget.parentWidget()
    return _every_screen()


def _every_screen() -> str:
    return QCoreApplication.translate("ShortcutsSheet", "Every screen")


def _dialogs() -> str:
    return QCoreApplication.translate("ShortcutsSheet", "Dialogs")


def shortcut_lines(window: QWidget, screens: Sequence[Screen]) -> list[ShortcutLine]:
    """Every shortcut of ``window`` (its actions and ``QShortcut``s), with what it does."""
    menus: dict[int, str] = {}
    for menu in window.findChildren(QMenu):
        for action in menu.actions():
            menus.setdefault(id(action), plain_text(menu.title()))
    lines: list[ShortcutLine] = []
    seen: set[int] = set()
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if not keys or id(action) in seen or not action.isEnabled():
            continue
        seen.add(id(action))
        command = plain_text(action.text()) or plain_text(action.toolTip())
        parent = action.parent()
        owner = parent if isinstance(parent, QWidget) and parent is not window else None
        group = menus.get(id(action)) if owner is None else None
        lines.append(ShortcutLine(group or _group_of(owner, screens), command, keys))
    for shortcut in window.findChildren(QShortcut):
        keys = _keys([shortcut.key()])
        if not keys or not shortcut.isEnabled():
            continue
        command = plain_text(shortcut.whatsThis())
        parent = shortcut.parent()
        owner = parent if isinstance(parent, QWidget) else None
        lines.append(ShortcutLine(_group_of(owner, screens), command, keys))
    return lines


class ShortcutsSheet(QDialog):
    """The shortcuts, one branch per screen or menu: a tree a screen reader reads as such
    (each line's command and keys are its columns); Escape or Close closes it."""

    def __init__(self, lines: Sequence[ShortcutLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.intro = QLabel(self.tr("These keys work in GroupDesk. Escape closes this list."), self)
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.tree.setRootIsDecorated(False)
        branches: dict[str, QTreeWidgetItem] = {}
        for line in lines:
            branch = branches.get(line.group)
            if branch is None:
                branch = QTreeWidgetItem(self.tree, [line.group])
                font = branch.font(0)
                font.setBold(True)
                branch.setFont(0, font)
                branch.setFirstColumnSpanned(True)
                branches[line.group] = branch
            QTreeWidgetItem(branch, [line.command, line.keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def lines_shown(self) -> list[tuple[str, str, str]]:
        """(group, command, keys) of each line, as shown."""
        shown = []
        branches = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        for branch in branches:
            assert branch is not None
            items = (branch.child(j) for j in range(branch.childCount()))
            shown += [(branch.text(0), i.text(0), i.text(1)) for i in items if i is not None]
        return shown


class ShortcutsHelp(QObject):
    """The Help menu's "Keyboard shortcuts" (F1) and "?" (outside a text field).

    ``screens`` gives the window's pages and their names (in the current language)."""

    def __init__(
        self, window: QWidget, menu: QMenu, screens: Callable[[], Sequence[Screen]]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.screens = screens
        self.sheet: ShortcutsSheet | None = None
        self.action = QAction(window)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open)
        window.addAction(self.action)
        menu.addAction(self.action)
        # A text field takes "?" as typing (Qt gives printable keys to the focused
        # editor before any window shortcut): elsewhere "?" opens the sheet.
        self.question = QShortcut(QKeySequence("?"), window)
        self.question.setContext(Qt.ShortcutContext.WindowShortcut)
        self.question.activated.connect(self.open)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.action.setText(self.tr("&Keyboard shortcuts"))
        self.question.setWhatsThis(self.tr("Keyboard shortcuts"))

    def open(self) -> None:
        """Show the sheet, built now from the window's actions."""
        if self.sheet is not None:
            self.sheet.close()
        sheet = ShortcutsSheet(shortcut_lines(self.window, self.screens()), self.window)
        sheet.finished.connect(lambda _result: self._closed(sheet))
        self.sheet = sheet
        sheet.open()

    def _closed(self, sheet: ShortcutsSheet) -> None:
        if self.sheet is sheet:
            self.sheet = None
        sheet.deleteLater()
