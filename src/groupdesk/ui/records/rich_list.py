"""Items of a list drawn as rich text: a result's heading and an excerpt whose matched
words are in bold. The item's display text stays plain (screen readers, type-ahead)."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

#: The item data role that holds an item's text as HTML.
HTML_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def escaped(text: str) -> str:
    """``text`` as HTML that shows it as typed (``<b>`` in a note stays ``<b>``)."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def emphasised(parts: list[tuple[str, bool]]) -> str:
    """HTML of ``(text, matched)`` parts, matched ones in bold, every part escaped."""
    return "".join(f"<b>{escaped(t)}</b>" if matched else escaped(t) for t, matched in parts)


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item from its HTML (``HTML_ROLE``), wrapped to the list's width."""

    def _document(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(6)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        document.setTextWidth(max(width, 1))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """The item's frame and selection as the style draws them, then its rich text."""
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        styled.text = ""
        widget = styled.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, styled, painter, widget)
        rect = styled.rect
        document = self._document(styled, index, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(styled.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, styled.palette.color(role))
        painter.save()
        painter.translate(rect.topLeft())
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802 -- Qt's name
        """As tall as the text wrapped to the list's width."""
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else 400
        document = self._document(option, index, width)
        return QSize(width, math.ceil(document.size().height()))
