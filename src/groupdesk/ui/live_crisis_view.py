"""The live page's crisis panel and dropped-call notices (facilitators).

``LiveCrisisView`` opens a member's crisis panel from the page's shortcut (the member
pinned or spotlit; else the only participant) or from a tile's menu ("Crisis…"), as a
side tab that appears while a panel is open, and puts the keyboard on it. Alerts show in
the panel's banner and, when the policy says so, sound (``sound``: an
:class:`~groupdesk.ui.alert_sound.AlertSound`). Closing asks first, then the incident is
saved (``LiveCrisis.close``) and the panel says where it went. The dropped-call notices
(the technical-problem plan) sit above the video. Nothing is decided here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QMessageBox, QWidget

from groupdesk.core.models import CrisisIncident
from groupdesk.core.session.crisis import CrisisAlert
from groupdesk.ui.alert_sound import AlertSound, ToneAlert
from groupdesk.ui.crisis_panel import CrisisPanel
from groupdesk.ui.dropped_calls import DroppedCallsNotice
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.widgets import spawn


class LiveCrisisView(QObject):
    """The crisis panel and dropped-call notices of ``live`` on a live page."""

    def __init__(
        self,
        live: LiveSession,
        page: QWidget,
        *,
        tabs: SideTabs,
        notice: QLabel,
        above_video: QBoxLayout,
    ) -> None:
        super().__init__(page)
        self.live, self.page, self.tabs, self.notice = live, page, tabs, notice
        self.crisis = live.crisis
        self.panel = CrisisPanel(live, live.crisis, page)
        tabs.addTab(self.panel, "")
        self.dropped = DroppedCallsNotice(live, live.crisis, page)
        above_video.addWidget(self.dropped)
        self.sound: AlertSound = ToneAlert(self)
        """The alert's sound (tests give their own)."""
        self.close_question: QMessageBox | None = None
        """Open while the facilitator confirms closing a panel."""
        self.panel.close_requested.connect(self.confirm_close)
        self.crisis.changed.connect(self._changed)
        self.crisis.alerted.connect(self._alerted)
        self.crisis.kept.connect(self._kept)
        live.changed.connect(self._show_tab)
        self._show_tab()

    def target(self) -> str | None:
        """Whom the shortcut opens a panel for: the member shown large (pinned here, or
        spotlit), else the only participant in the room (None: nobody to choose)."""
        grid = getattr(self.page, "grid", None)
        focus = grid.focus_seat() if grid is not None else self.live.spotlight
        member = self.live.member(focus) if focus else None
        if member is not None and not member.is_self:
            return focus
        others = [m.seat for m in self.live.members.values()
                  if not m.is_self and m.role == "participant"]  # fmt: skip
        return others[0] if len(others) == 1 else None

    def open_from_shortcut(self) -> None:
        """The page's crisis shortcut: the chosen member's panel, or say how to choose."""
        if not self.live.facilitator:
            return
        seat = self.target()
        if seat is None:
            self.notice.setText(
                self.tr(
                    "To open the crisis panel, pin or spotlight the member first, or use "
                    "“Crisis…” in their tile's menu."
                )
            )
            self.notice.show()
            return
        self.open_for(seat)

    def open_for(self, seat: str) -> bool:
        """Open (or show again) the crisis panel of ``seat`` and put the keyboard on it."""
        if self.live.facilitator and self.live.record is None:  # a co-facilitator's app
            self.notice.setText(
                self.tr(
                    "The crisis panel opens in the app of the facilitator who opened the "
                    "room: it keeps the session's record. Ask them to open it, or use the "
                    "private chat."
                )
            )
            self.notice.show()
            return False
        if not self.crisis.open(seat):
            return False
        self.panel.saved.hide()
        self.panel.show_seat(seat)
        self._show_tab()
        self.tabs.setCurrentWidget(self.panel)
        self.panel.focus_first()
        return True

    def confirm_close(self, seat: str) -> None:
        """Ask, then close ``seat``'s panel and save its incident."""
        name = self.crisis.name_of(seat)
        box = QMessageBox(self.page)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Close the crisis panel"))
        box.setText(self.tr("Close the crisis panel of {name}?").format(name=name))
        box.setInformativeText(
            self.tr(
                "The incident (each step with its time, the observations, the lines, the "
                "outcome) is saved in the session log and summed up in the session's notes. "
                "It cannot be changed afterwards."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self._close_answered(seat, result))
        self.close_question = box
        box.open()

    def _close_answered(self, seat: str, result: int) -> None:
        self.close_question = None
        if result == QMessageBox.StandardButton.Yes:
            spawn(self.crisis.close(seat))

    def _kept(self, seat: str, kept: CrisisIncident | None) -> None:
        self.panel.show_seat(None)
        self.panel.said_saved(self.crisis.name_of(seat), kept.id if kept else None)
        self._show_tab()
        self.panel.saved.setFocus()

    def _changed(self, _seat: str) -> None:
        self._show_tab()

    def _alerted(self, alert: CrisisAlert) -> None:
        if alert.sound:
            self.sound.play()
        self._show_tab()
        if alert.seat == self.panel.seat:  # a screen reader says it at once
            event = QAccessibleEvent(self.panel.banner, QAccessible.Event.Alert)
            QAccessible.updateAccessibility(event)

    def _show_tab(self) -> None:
        index = self.tabs.indexOf(self.panel)
        seats = self.crisis.open_seats()
        shown = self.live.facilitator and (bool(seats) or self.panel.saved.isVisibleTo(self.panel))
        self.tabs.setTabVisible(index, shown)
        alert = any(crisis.alerts() for s in seats if (crisis := self.crisis.crisis(s)) is not None)
        label = (
            self.tr("Crisis")
            if len(seats) <= 1
            else self.tr("Crisis ({count})").format(count=len(seats))
        )
        self.tabs.setTabText(index, f"⚠ {label}" if alert else label)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.panel.retranslate()
        self.dropped.refresh()
        self._show_tab()
