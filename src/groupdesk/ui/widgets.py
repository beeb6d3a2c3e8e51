"""Small building blocks shared by the pages: headings, paragraphs, messages, tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QCollator, QDateTime, QLocale, Qt, QTime, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QLineEdit, QTimeEdit, QWidget

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
