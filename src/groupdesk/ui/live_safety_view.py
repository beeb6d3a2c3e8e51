"""The live page's safety signal: the facilitator's Safety tab and notice, a participant's
discreet option.

``LiveSafetyView`` puts the safety panel in the live page's side tabs (facilitators
only; its label counts the open signals, discreetly), keeps a one-line notice that
points to it, tells the session once a signal was shown (``seen``, journalled), opens a
private chat line from the panel and forwards "Mark as handled". A participant gets the
discreet option among the page's controls: its words are the policy's (an ordinary
connection option to an onlooker), it can be taken back, and its confirmation is
polite. The tile's small marker is the video grid's. The rules are in
``core/session/safety.py`` and ``core/session/room.py``; nothing is decided here, and
nothing makes a sound.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QWidget

from groupdesk.core.protocol import QuestionText
from groupdesk.core.session.room_state import LiveStage
from groupdesk.ui.chat_panel import ChatPanel
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.safety_panel import SafetyPanel
from groupdesk.ui.widgets import spawn


def in_our_language(text: QuestionText) -> str:
    """``text`` in the interface's language (French or English), else the other one."""
    french = QLocale().language() == QLocale.Language.French
    first, other = (text.fr_ca, text.en) if french else (text.en, text.fr_ca)
    return first or other or ""


class LiveSafetyView(QObject):
    """Shows the safety signals of ``live`` on a live page (see the module docstring)."""

    def __init__(
        self,
        live: LiveSession,
        page: QWidget,
        *,
        tabs: SideTabs,
        chat: ChatPanel,
        notice: QLabel,
        controls: QBoxLayout,
        after: QWidget,
    ) -> None:
        super().__init__(page)
        self.live, self.page, self.tabs, self.chat, self.notice = live, page, tabs, chat, notice
        self.panel = SafetyPanel(page)
        tabs.addTab(self.panel, "")
        self.names: dict[str, str] = {}
        """The name of each seat that signalled, kept for after they leave."""
        self.option_button = QPushButton(page)
        """A participant's discreet option (and, once chosen, the way back)."""
        self.option_status = QLabel(page)
        self.option_status.setAccessibleName("")
        self.option_status.hide()
        self._confirmation = ""
        place = controls.indexOf(after) + 1
        controls.insertWidget(place, self.option_button)
        controls.insertWidget(place + 1, self.option_status)
        self.option_button.clicked.connect(self._toggle_option)
        self.panel.write_requested.connect(self._write_to)
        self.panel.handled_requested.connect(lambda seat: spawn(live.safety_handled(seat)))
        live.safety_signalled.connect(self.render)
        live.members_changed.connect(self.render)
        live.changed.connect(self.render)
        self.retranslate()

    def render(self, _seat: str = "") -> None:
        """Everything as the signals are now; what shows on screen is seen."""
        live = self.live
        facilitating = live.facilitator
        self.tabs.setTabVisible(self.tabs.indexOf(self.panel), facilitating)
        calls = live.safety.open_calls() if facilitating else []
        for call in calls:
            if call.seat in live.members:
                self.names[call.seat] = live.members[call.seat].name
        seated = frozenset(live.members)
        self.panel.show_calls(calls, self.names, seated)
        self._retranslate_tab(len(calls))
        self.notice.setText(
            self.tr("A participant used the discreet option: see the Safety tab.")
            if len(calls) == 1
            else self.tr(
                "{count} participants used the discreet option: see the Safety tab."
            ).format(count=len(calls))
        )
        self.notice.setVisible(bool(calls))
        if calls and self.page.isVisible():
            unseen = live.safety.unseen()
            if unseen:
                spawn(live.safety_seen(unseen))
        self._render_option()

    def _render_option(self) -> None:
        live = self.live
        participating = not live.facilitator and live.stage is LiveStage.LIVE
        self.option_button.setVisible(participating)
        wording = live.safety_wording
        requested = live.safety_requested
        text = in_our_language(wording.withdraw if requested else wording.option)
        self.option_button.setText(text)
        self.option_button.setAccessibleName(text)
        self.option_status.setText(self._confirmation)
        self.option_status.setVisible(participating and bool(self._confirmation))

    def _toggle_option(self) -> None:
        live = self.live
        requested = not live.safety_requested
        wording = live.safety_wording
        self._confirmation = in_our_language(wording.sent if requested else wording.withdrawn)
        spawn(live.request_safety(requested))
        self._render_option()

    def _write_to(self, seat: str) -> None:
        """Open the chat with a private line to ``seat`` (still in the room)."""
        if seat not in self.live.members:
            return
        self.tabs.setCurrentWidget(self.chat)
        self.chat.write_to(seat)

    def _retranslate_tab(self, count: int) -> None:
        index = self.tabs.indexOf(self.panel)
        label = self.tr("Safety ({count})").format(count=count) if count else self.tr("Safety")
        self.tabs.setTabText(index, label)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.panel.option_text = in_our_language(self.live.safety_wording.option)
        self.panel.retranslate()
        self.render()
