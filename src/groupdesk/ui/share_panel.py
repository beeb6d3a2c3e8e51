"""Screen sharing on the live page: the controls (what to share, a document's pages, who
may share) and the large view of the share shown, the speakers' tiles below it.

Both widgets listen to :class:`~groupdesk.ui.live_share.LiveShare` and call it back;
nothing is decided here (``core/session/share.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.protocol import ShareKind
from groupdesk.core.session.room import Room
from groupdesk.ui.live_share import LiveShare
from groupdesk.ui.share_sources import IMAGE_SUFFIXES, capture_available
from groupdesk.ui.widgets import heading, message_label, paragraph, spawn

DocumentChooser = Callable[[QWidget], Path | None]
"""Asks for the document to share (None: the person cancelled)."""


def choose_document(parent: QWidget) -> Path | None:
    """The system's file dialog, for a PDF or an image."""
    images = " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("SharePanel", "Share a document"),
        "",
        QCoreApplication.translate("SharePanel", "Documents (*.pdf {images})").format(
            images=images
        ),
    )
    return Path(chosen) if chosen else None


class SharePanel(QWidget):
    """What to share (a screen, a window, a document), a document's pages, stop; for a
    facilitator, which participants may share their screen."""

    def __init__(
        self,
        share: LiveShare,
        parent: QWidget | None = None,
        chooser: DocumentChooser = choose_document,
    ) -> None:
        super().__init__(parent)
        self.share = share
        self._chooser = chooser
        self.title = heading(self, 2)
        self.status = paragraph(self)
        self.problem = message_label(self)
        self.screen_button = QPushButton(self)
        self.window_button = QPushButton(self)
        self.document_button = QPushButton(self)
        self.stop_button = QPushButton(self)
        self.previous_button = QPushButton(self)
        self.page_label = QLabel(self)
        self.next_button = QPushButton(self)
        self.allowed_title = QLabel(self)
        self.allowed = QListWidget(self)
        self._filling = False

        sources = QHBoxLayout()
        for button in (self.screen_button, self.window_button, self.document_button):
            sources.addWidget(button)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pages.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(sources)
        layout.addLayout(pages)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.problem)
        layout.addWidget(self.allowed_title)
        layout.addWidget(self.allowed, 1)

        self.screen_button.clicked.connect(lambda: spawn(self.share.share_capture("screen")))
        self.window_button.clicked.connect(lambda: spawn(self.share.share_capture("window")))
        self.document_button.clicked.connect(self.pick_document)
        self.stop_button.clicked.connect(lambda: spawn(self.share.stop()))
        self.previous_button.clicked.connect(self.share.previous_page)
        self.next_button.clicked.connect(self.share.next_page)
        self.allowed.itemChanged.connect(self._allowed_changed)
        share.changed.connect(self.refresh)
        share.problem.connect(self._show_problem)
        self.retranslate()

    @property
    def room(self) -> Room:
        """The room the share controls act in."""
        return self.share.room

    def pick_document(self) -> None:
        """Ask for a PDF or an image, and share it."""
        path = self._chooser(self)
        if path is not None:
            spawn(self.share.share_document(path))

    def refresh(self) -> None:
        """Show the share's state: what we share, the page, who may share."""
        share, room = self.share, self.room
        mine, may = share.mine, share.may_share
        self.status.setText(self._status_text(mine, may))
        for button in (self.screen_button, self.window_button, self.document_button):
            button.setEnabled(may)
        self.stop_button.setVisible(mine is not None)
        document = share.document
        paged = document is not None and document.page_count > 1
        for widget in (self.previous_button, self.page_label, self.next_button):
            widget.setVisible(paged)
        if document is not None:
            self.page_label.setText(
                self.tr("Page {page} of {count}").format(
                    page=document.page + 1, count=document.page_count
                )
            )
            self.previous_button.setEnabled(document.page > 0)
            self.next_button.setEnabled(document.page + 1 < document.page_count)
        if mine is not None:
            self.problem.hide()
        self.allowed_title.setVisible(room.facilitator)
        self.allowed.setVisible(room.facilitator)
        if room.facilitator:
            self._fill_allowed()

    def _status_text(self, mine: ShareKind | None, may: bool) -> str:
        if mine == "screen":
            return self.tr("You are sharing your screen with everyone.")
        if mine == "window":
            return self.tr("You are sharing a window with everyone.")
        if mine == "document":
            return self.tr("You are sharing a document with everyone.")
        if not may:
            return self.tr("The facilitator has not asked you to share your screen.")
        return self.tr("Nothing is shared. Everyone sees what you share, large.")

    def _fill_allowed(self) -> None:
        """One line per participant, checked when they may share their screen."""
        room = self.room
        self._filling = True
        try:
            self.allowed.clear()
            for seat, member in room.seats.members.items():
                if member.role != "participant":
                    continue
                item = QListWidgetItem(member.name, self.allowed)
                item.setData(Qt.ItemDataRole.UserRole, seat)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = seat in room.shares.allowed
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        finally:
            self._filling = False

    def _allowed_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        seat = item.data(Qt.ItemDataRole.UserRole)
        spawn(self.share.allow(str(seat), item.checkState() == Qt.CheckState.Checked))

    def _show_problem(self, problem: str) -> None:
        if problem == "unavailable":
            text = self.tr("Sharing a screen or a window is not available on this system.")
        elif problem == "unreadable":
            text = self.tr(
                "This document cannot be shared: it is not a PDF or an image that can be read."
            )
        else:
            text = self.tr("The facilitator has not asked you to share your screen.")
        self.problem.setText(text)
        self.problem.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Translate again when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.title.setText(self.tr("Share"))
        self.screen_button.setText(self.tr("Share my screen"))
        self.window_button.setText(self.tr("Share a window"))
        self.document_button.setText(self.tr("Share a document…"))
        kinds: tuple[tuple[ShareKind, QPushButton], ...] = (
            ("screen", self.screen_button),
            ("window", self.window_button),
        )
        for kind, button in kinds:
            if not capture_available(kind):
                button.setToolTip(self.tr("Not available on this system"))
        self.stop_button.setText(self.tr("Stop sharing"))
        self.previous_button.setText(self.tr("Previous page"))
        self.next_button.setText(self.tr("Next page"))
        self.allowed_title.setText(self.tr("Participants who may share their screen"))
        self.allowed.setAccessibleName(self.tr("Participants who may share their screen"))
        for button in (
            self.screen_button,
            self.window_button,
            self.document_button,
            self.stop_button,
            self.previous_button,
            self.next_button,
        ):
            button.setAccessibleName(button.text().replace("…", ""))
        self.refresh()


class ShareView(QWidget):
    """The share shown, large, the whole picture (text must read), with who shares what;
    hidden while nobody shares."""

    def __init__(self, share: LiveShare, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share = share
        self.image = QImage()
        self.caption = QLabel(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.caption)
        self.setMinimumHeight(160)
        share.changed.connect(self.refresh)
        share.picture.connect(self.set_image)
        self.refresh()

    def set_image(self, image: QImage) -> None:
        """Show ``image`` (the share's newest picture)."""
        self.image = image
        self.update()

    def caption_text(self) -> str:
        """Who shares what ("": nobody)."""
        shown = self.share.shown
        if shown is None:
            return ""
        room = self.share.room
        if shown.seat == room.self_seat:
            return {
                "screen": self.tr("You are sharing your screen"),
                "window": self.tr("You are sharing a window"),
                "document": self.tr("You are sharing a document"),
            }[shown.kind]
        member = room.seats.members.get(shown.seat)
        name = member.name if member is not None else self.tr("Someone")
        if shown.kind == "screen":
            return self.tr("{name} is sharing a screen").format(name=name)
        if shown.kind == "window":
            return self.tr("{name} is sharing a window").format(name=name)
        return self.tr("{name} is sharing a document").format(name=name)

    def refresh(self) -> None:
        """Shown while someone shares; the caption says who and what."""
        text = self.caption_text()
        if not text:
            self.image = QImage()
        self.caption.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Say it again when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 -- Qt's name
        """Ask for pictures that fit the view."""
        ratio = self.devicePixelRatioF()
        size = event.size()
        self.share.set_view_size(QSize(int(size.width() * ratio), int(size.height() * ratio)))
        super().resizeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 -- Qt's name
        """The picture, fitted and centred, on black."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101010"))
        if not self.image.isNull():
            area = self.rect().adjusted(0, 0, 0, -self.caption.height())
            fitted = self.image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = area.x() + (area.width() - fitted.width()) // 2
            y = area.y() + (area.height() - fitted.height()) // 2
            painter.drawImage(QRect(x, y, fitted.width(), fitted.height()), self.image)
        painter.end()
