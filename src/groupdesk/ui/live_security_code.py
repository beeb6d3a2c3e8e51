"""The live page's "Security code" tab: the code everyone reads aloud (facilitator and
participant alike).

The code is the mesh's (:meth:`~groupdesk.media.mesh.Mesh.security_code`), computed by the
core (:mod:`groupdesk.core.security_code`) from every member's DTLS fingerprint as this
member's connections see them. If everyone reads the same code, no relay sits in the
middle of any connection. The tab says when the code changed because someone joined or
left, so that it is read aloud again. Nothing is decided here.

In a room whose media go through the organisation's media server (SFU), every
connection ends at that server, which decrypts the media: there is no code to compare.
The tab then says so -- not end-to-end encrypted -- instead of showing one.
"""

from __future__ import annotations

from typing import assert_never

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from groupdesk.core.security_code import RoomCode
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.widgets import notice_label, paragraph


class SecurityCodePanel(QWidget):
    """The code in large digits, what to do with it, and a notice when it changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = QLabel(self)
        font = QFont(self.code.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about = paragraph(self)
        self.changed = notice_label(self)
        self.changed.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.changed)
        layout.addWidget(self.about)
        layout.addStretch(1)


class LiveSecurityCodeView(QObject):
    """The "Security code" tab of ``live`` on a live page."""

    def __init__(self, live: LiveSession, page: QWidget, *, tabs: SideTabs) -> None:
        super().__init__(page)
        self.live, self.tabs = live, tabs
        self.panel = SecurityCodePanel(page)
        tabs.addTab(self.panel, "")
        self.view: RoomCode | None = None
        """The code as this member sees the room now (None: no call, or an SFU call)."""
        self.through_server = False
        """The call's media go through the organisation's media server: no code."""
        self._read: RoomCode | None = None
        """The last complete code shown with someone to compare it with (alone in the
        room there is nobody): what a new one is compared with."""
        self._joined: list[str] = []
        self._left: list[str] = []
        live.changed.connect(self.refresh)
        live.members_changed.connect(self.refresh)
        live.member_updated.connect(self.refresh)

    def refresh(self) -> None:
        """The code as the mesh computes it now; a notice if it changed since last shown.
        Through the media server: that the call is not end-to-end encrypted."""
        call = self.live.mesh
        self.view, through_server = None, False
        if call is not None and self.live.stage is LiveStage.LIVE:
            media = call.media
            match media:
                case "mesh":
                    self.view = call.security_code()
                case "sfu":
                    through_server = True
                case _:
                    assert_never(media)
        index = self.tabs.indexOf(self.panel)
        self.tabs.setTabVisible(index, self.view is not None or through_server)
        if through_server != self.through_server:
            self.through_server = through_server
            self.retranslate()
        if self.view is None:
            self._read = None
            self._joined, self._left = [], []
            self.panel.changed.hide()
            return
        if self.view.code is not None and len(self.view.members) > 1:
            if self._read is not None and self._read.code != self.view.code:
                self._joined = self._names(self.view.members - self._read.members)
                self._left = self._names(self._read.members - self.view.members)
                self.panel.changed.show()
            self._read = self.view
        self._show()

    def _names(self, seats: frozenset[str]) -> list[str]:
        members = self.live.members
        return sorted(members[s].name if s in members else "?" for s in seats)

    def _show(self) -> None:
        view = self.view
        if view is None:
            return
        if len(view.members) < 2:
            alone = self.tr("The code appears once someone else is on the call.")
            self.panel.code.setText(alone)
            self.panel.code.setAccessibleName(alone)
        elif view.code is not None:
            self.panel.code.setText(view.code)
            self.panel.code.setAccessibleName(
                self.tr("Security code: {code}").format(code=view.code)
            )
        else:
            waiting = self.tr("Waiting for %n member(s) to connect…", "", view.waiting)
            self.panel.code.setText(waiting)
            self.panel.code.setAccessibleName(waiting)
        if self._joined or self._left:
            parts = []
            if self._joined:
                parts.append(self.tr("joined: {names}").format(names=", ".join(self._joined)))
            if self._left:
                parts.append(self.tr("left: {names}").format(names=", ".join(self._left)))
            self.panel.changed.setText(
                self.tr(
                    "The code changed because the room changed ({what}). Read it aloud again."
                ).format(what="; ".join(parts))
            )
        elif not self.panel.changed.isHidden():
            self.panel.changed.setText(self.tr("The code changed. Read it aloud again."))

    def retranslate(self) -> None:
        """Texts in the current language."""
        index = self.tabs.indexOf(self.panel)
        if self.through_server:
            self.tabs.setTabText(index, self.tr("Not end-to-end encrypted"))
            title = self.tr("Not end-to-end encrypted")
            self.panel.code.setText(title)
            self.panel.code.setAccessibleName(title)
            self.panel.about.setText(
                self.tr(
                    "In this room, sound and video pass through your organisation's media "
                    "server, which forwards them to each person. They are encrypted between "
                    "each computer and that server, but the server can read them: the call "
                    "is not end-to-end encrypted, so there is no security code to compare. "
                    "End-to-end encryption through the media server will come later."
                )
            )
            return
        self.tabs.setTabText(index, self.tr("Security code"))
        self.panel.about.setText(
            self.tr(
                "Read this code aloud: if everyone sees the same code, nobody is in the "
                "middle of the call. Each person's app computes it from the encryption "
                "keys of every connection it has. A different code means a connection "
                "goes through someone else: stop sharing and tell the others."
            )
        )
        self._show()
