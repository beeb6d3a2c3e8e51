"""Small building blocks shared by the pages: headings, paragraphs, messages, tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from itertools import pairwise
from typing import Any, TypeVar, cast

from PySide6.QtCore import QCollator, QDateTime, QLocale, Qt, QTime, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTimeEdit,
    QWidget,
)

_tasks: set[asyncio.Task[Any]] = set()
_Item = TypeVar("_Item")


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Run ``coro`` on the loop without awaiting it, keeping it alive until it ends."""
    task = asyncio.ensure_future(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


def by_name(items: list[_Item], name: Callable[[_Item], str]) -> list[_Item]:
    """``items`` in the alphabetical order of the person's language (É with E, not after Z)."""
    collator = QCollator(QLocale())
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return sorted(items, key=lambda item: collator.sortKey(name(item)))


def discard(layout: QLayout, widget: QWidget) -> None:
    """``widget`` out of ``layout`` and out of sight now (nor reached by Tab), deleted by
    Qt later (safe from the widget's own signal handlers).

    Never ``setParent(None)`` before ``deleteLater()``: that hands the widget to Python
    while Qt's deferred delete is pending, and the two deleting it crashed the app (a
    segmentation fault in Shiboken's ``releaseWrapper`` from ``~QWidget``, seen in the
    crisis panel's and the dropped calls' rows)."""
    layout.removeWidget(widget)
    widget.hide()
    widget.deleteLater()


def heading(parent: QWidget, level: int = 1) -> QLabel:
    """A title label, larger for ``level`` 1."""
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * (1.6 if level == 1 else 1.2))
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def paragraph(parent: QWidget) -> QLabel:
    """A wrapped paragraph of explanation."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def message_label(parent: QWidget) -> QLabel:
    """A wrapped, selectable message (an error); hidden while empty."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("errorMessage")
    label.setStyleSheet(
        "QLabel#errorMessage { color: #8a1c1c; background: #fdecea;"
        " border: 1px solid #f5c2c0; border-radius: 4px; padding: 8px; }"
    )
    label.hide()
    return label


def show_message(label: QLabel, text: str | None) -> None:
    """Show ``text`` in a message label, or hide it when there is nothing to say."""
    label.setText(text or "")
    label.setVisible(bool(text))


def passphrase_field(parent: QWidget) -> QLineEdit:
    """A text field whose characters are hidden."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(320)
    return field


async def next_emission(signal: SignalInstance, timeout: float = 2.0) -> tuple[Any, ...]:
    """The arguments of the next emission of ``signal`` (``TimeoutError`` after ``timeout``)."""
    fut: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def on_emit(*args: Any) -> None:
        if not fut.done():
            fut.set_result(args)

    signal.connect(on_emit)
    try:
        return await asyncio.wait_for(fut, timeout)
    finally:
        signal.disconnect(on_emit)


def field_message(parent: QWidget) -> QLabel:
    """A short error shown right under a form field; hidden while empty."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("fieldMessage")
    label.setStyleSheet("QLabel#fieldMessage { color: #8a1c1c; }")
    label.hide()
    return label


def notice_label(parent: QWidget) -> QLabel:
    """A wrapped notice that is not an error (a warning to weigh, a fact to know)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("notice")
    label.setStyleSheet(
        "QLabel#notice { color: #5c4200; background: #fff4d6;"
        " border: 1px solid #f0d48a; border-radius: 4px; padding: 8px; }"
    )
    label.hide()
    return label


#: The no-break space, inside times.
NBSP = "\u00a0"


def local_qdatetime(value: datetime) -> QDateTime:
    """``value`` (an aware datetime) as a QDateTime in this computer's time zone."""
    return QDateTime.fromMSecsSinceEpoch(round(value.timestamp() * 1000))


def short_time(value: QTime | datetime) -> str:
    """A time as the chosen language writes it: "9:30 p.m." in English, "21 h 30" in French.

    ``QLocale()`` is the language's locale (``LanguageSwitcher`` makes it the default);
    an aware datetime is shown in this computer's time zone. Its spaces are no-break
    spaces: a time never wraps in a label (« 19 / h 00 »).
    """
    if isinstance(value, datetime):
        value = local_qdatetime(value).time()
    return QLocale().toString(value, QLocale.FormatType.ShortFormat).replace(" ", NBSP)


def follow_locale(edit: QDateTimeEdit) -> None:
    """Show ``edit``'s date or time as the chosen language writes it.

    A widget keeps the locale it was made with; call this on ``LanguageChange``.
    """
    locale = QLocale()
    edit.setLocale(locale)
    if isinstance(edit, QTimeEdit):
        edit.setDisplayFormat(locale.timeFormat(QLocale.FormatType.ShortFormat))
    elif isinstance(edit, QDateEdit):
        edit.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat))
    else:
        edit.setDisplayFormat(locale.dateTimeFormat(QLocale.FormatType.ShortFormat))


def tab_in_layout_order(root: QWidget) -> list[QWidget]:
    """Make Tab go through ``root``'s controls in the order the screen shows them.

    Qt's Tab order is the order widgets were made in, so a widget made later (a tile
    when someone joins, a checklist's boxes, a row) came after every other control of
    the window. This walks ``root``'s layouts as they are drawn (top to bottom, left
    to right; a form row by row; a grid row-major; a widget without a layout, such as
    the video grid, by its children's places) and chains the controls in that order.
    Returns the chain (controls that take focus by Tab, hidden ones included).
    """
    chain: list[QWidget] = []
    _collect(root, chain)
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
    return chain


def screen_ordered(pages: QStackedWidget) -> QStackedWidget:
    """``pages``, whose page shown Tabs through its controls as it reads (see
    ``tab_in_layout_order``), the widgets it made since it was last shown included."""
    pages.currentChanged.connect(lambda _index: tab_in_layout_order(pages))
    return pages


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value) and (
        widget.focusProxy() is None
    )


def _collect(widget: QWidget, chain: list[QWidget]) -> None:
    if widget.isWindow() and chain:
        return  # a dialog or menu of its own: its own order
    if _takes_tab(widget):
        chain.append(widget)
    layout = widget.layout()
    if layout is not None:
        _collect_layout(layout, chain)
    elif isinstance(widget, QScrollArea):
        inner = widget.widget()
        if inner is not None:
            _collect(inner, chain)
    elif isinstance(widget, QSplitter):
        for index in range(widget.count()):
            if (part := widget.widget(index)) is not None:
                _collect(part, chain)
    elif not _takes_tab(widget):  # placed by hand (the video grid): by where they are
        children = [c for c in widget.findChildren(QWidget, options=_DIRECT) if not c.isWindow()]
        for child in sorted(children, key=lambda c: (c.y(), c.x())):
            _collect(child, chain)


_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def _collect_layout(layout: QLayout, chain: list[QWidget]) -> None:
    order = list(range(layout.count()))
    if isinstance(layout, QGridLayout):
        order.sort(key=lambda index: _grid_place(layout, index))
    elif isinstance(layout, QFormLayout):
        order.sort(key=lambda index: _form_place(layout, index))
    for index in order:
        item = layout.itemAt(index)
        if item is None:
            continue
        child = item.widget()
        if child is not None:
            _collect(child, chain)
        elif (inner := item.layout()) is not None:
            _collect_layout(inner, chain)


def _grid_place(layout: QGridLayout, index: int) -> tuple[int, int]:
    place = cast(tuple[int, int, int, int], layout.getItemPosition(index))
    return place[0], place[1]


def _form_place(layout: QFormLayout, index: int) -> tuple[int, int]:
    row, role = cast(tuple[int, QFormLayout.ItemRole], layout.getItemPosition(index))
    return row, role.value
