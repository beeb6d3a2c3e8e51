"""The live page's speaking turns: the facilitator's panel, a participant's strip, the tiles.

``LiveTurnsView`` puts the turns panel in the live page's side tabs (facilitators) and
the turns strip above the video (participants), renders what the session's turns say
(``LiveSession.turns``) whenever they move, puts each hand's number in line and the
speaker's timer on the tiles, and forwards the panel's commands (and its F8 / F9
shortcuts, which work anywhere on the page) to the session. The rules are in
``core/session``; nothing is decided here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from groupdesk.core.session.turn_events import Command
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.turn_texts import short_timer_text
from groupdesk.ui.turns_panel import TurnsPanel
from groupdesk.ui.turns_strip import TurnsStrip
from groupdesk.ui.video_grid import VideoGrid
from groupdesk.ui.widgets import spawn


class LiveTurnsView(QObject):
    """Shows the turns of ``live`` on a live page (see the module docstring)."""

    def __init__(
        self,
        live: LiveSession,
        page: QWidget,
        *,
        tabs: SideTabs,
        grid: VideoGrid,
        notice: QLabel,
        above_video: QVBoxLayout,
    ) -> None:
        super().__init__(page)
        self.live, self.tabs, self.grid, self.notice = live, tabs, grid, notice
        self.panel = TurnsPanel(page)
        tabs.addTab(self.panel, "")
        page.addAction(self.panel.next_action)  # F8 and F9 from anywhere on the page
        page.addAction(self.panel.end_action)
        self.strip = TurnsStrip(page)
        self.strip.hand_button.hide()  # the page's own hand button (Ctrl+K) does it
        above_video.addWidget(self.strip)
        self.panel.command.connect(self._command)
        self.strip.pass_requested.connect(lambda: spawn(live.pass_turn()))
        live.turns_changed.connect(self.render)
        live.members_changed.connect(self.render)
        live.changed.connect(self.render)
        live.turns.refused.connect(self._refused)
        self.retranslate()

    def render(self) -> None:
        """Everything as the turns are now."""
        live = self.live
        facilitating = live.facilitator
        self.tabs.setTabVisible(self.tabs.indexOf(self.panel), facilitating)
        self.panel.next_action.setEnabled(facilitating)
        self.panel.end_action.setEnabled(facilitating)
        names = {seat: member.name for seat, member in live.members.items()}
        view = live.turns.view()  # a facilitator's desk (None: a participant)
        if view is not None:
            self.panel.show_view(view, names, live.self_seat)
            hands = {entry.member: entry.place for entry in view.queue}
            self.grid.set_turn_badges(hands, view.speaker, short_timer_text(view.timer))
            self.strip.hide()
            return
        seen = live.turns.seen()
        if seen is not None:
            hands = {seat: place for place, seat in enumerate(seen.queue, start=1)}
            self.grid.set_turn_badges(hands, seen.speaker, short_timer_text(seen.timer))
        self.strip.setVisible(not facilitating and seen is not None)
        if not facilitating:
            self.strip.show_view(seen, names, live.self_seat)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.tabs.setTabText(self.tabs.indexOf(self.panel), self.tr("Turns"))
        self.render()

    def _command(self, command: Command) -> None:
        self.notice.hide()
        spawn(self.live.turn_command(command))

    def _refused(self, reason: str) -> None:
        texts = {
            "queue_empty": self.tr("Nobody is in line."),
            "no_speaker": self.tr("Nobody has the floor."),
            "round_running": self.tr(
                "A round is running: the floor follows it. Skip or stop the round first."
            ),
            "no_round": self.tr("No round is running."),
            "nobody_in_round": self.tr("There is nobody to take a turn in a round."),
            "unknown_member": self.tr("That person is no longer in the session."),
        }
        self.notice.setText(texts.get(reason, self.tr("That cannot be done right now.")))
        self.notice.show()
