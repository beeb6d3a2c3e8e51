"""The live screen: video grid, lobby and chat beside it, the controls below; then the end.

The page listens to :class:`~groupdesk.ui.live_session.LiveSession` and calls
it back; it holds no state of its own beyond what is on screen. Panels of
later issues (turns, checklist, crisis) go in ``side_tabs``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui.audio_out import AudioOut
from groupdesk.ui.chat_panel import ChatPanel
from groupdesk.ui.live_break import BreakReminderBar
from groupdesk.ui.live_crisis_view import LiveCrisisView
from groupdesk.ui.live_entry import invite_reach
from groupdesk.ui.live_in_room import LiveInRoomView
from groupdesk.ui.live_link_hints import AudioOnlyHint, RelayMissingNotice
from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_rules import RulesButton
from groupdesk.ui.live_safety_view import LiveSafetyView
from groupdesk.ui.live_security_code import LiveSecurityCodeView
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.live_side_room import SideRoomNotice
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.live_turns_view import LiveTurnsView
from groupdesk.ui.lobby_panel import LobbyPanel
from groupdesk.ui.member_answers_dialog import MemberAnswersDialog
from groupdesk.ui.share_panel import SharePanel, ShareView
from groupdesk.ui.video_grid import VideoGrid
from groupdesk.ui.widgets import (
    heading,
    message_label,
    notice_label,
    paragraph,
    short_time,
    spawn,
    tab_in_layout_order,
)

SHORTCUTS = {
    "mute": QKeySequence("Ctrl+M"),
    "camera": QKeySequence("Ctrl+E"),
    "hand": QKeySequence("Ctrl+K"),
    "self_view": QKeySequence("Ctrl+Shift+V"),
    "admit_all": QKeySequence("Ctrl+Shift+A"),
    "copy_invite": QKeySequence("Ctrl+Shift+C"),
    "chat": QKeySequence("Ctrl+Shift+M"),
    "end": QKeySequence("Ctrl+Shift+E"),
    "crisis": QKeySequence("Ctrl+Shift+K"),
}


class LivePage(QWidget):
    """The live session on screen, then its end (summary, and a way to the notes).

    Signals: ``back_requested()`` once the session is over (or could not start) and the
    person goes back; ``retry_requested()``: open the room again after a failure;
    ``notes_requested(int)``: write the notes of the session that ended (its id).
    """

    back_requested = Signal()
    retry_requested = Signal()
    notes_requested = Signal(int)
    answers_dialog: MemberAnswersDialog | None = None
    """Open while the facilitator reads a participant's contact and answers."""

    def __init__(
        self, live: LiveSession, audio: AudioOut | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.live = live
        self.audio = audio
        self.stack = QStackedWidget(self)
        self.running = QWidget(self)
        self.over = QWidget(self)
        self.stack.addWidget(self.running)
        self.stack.addWidget(self.over)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.title = heading(self.running, level=2)
        self.status = QLabel(self.running)
        self.invite = QLineEdit(self.running)
        self.invite.setReadOnly(True)
        self.copy_button = QPushButton(self.running)
        self.invite_warning = notice_label(self.running)
        """Says when the invite link cannot serve a real session (embedded server, http)."""
        self.message = message_label(self.running)
        self.notice = notice_label(self.running)
        self.no_speaker = notice_label(self.running)
        self.no_speaker.hide()
        self.device_failed = notice_label(self.running)
        self.device_failed.hide()
        self.safety_notice = notice_label(self.running)
        """Facilitator only: a safety signal is open (a participant never sees one)."""
        self.grid = VideoGrid(live, self.running)
        self.lobby = LobbyPanel(live, audio, self.running)
        self.chat = ChatPanel(live, self.running)
        self.side_tabs = SideTabs(self.running)
        self.side_tabs.addTab(self.lobby, "")
        self.side_tabs.addTab(self.chat, "")
        self.mute_button = self._toggle()
        self.camera_button = self._toggle()
        self.hand_button = self._toggle()
        self.self_view_button = self._toggle()
        self.rules_button = RulesButton(live, self.running)
        self.retry_button = QPushButton(self.running)
        self.leave_failed_button = QPushButton(self.running)
        self.end_button = QPushButton(self.running)
        self.end_button.setStyleSheet(
            "QPushButton { background: #b3261e; color: white; padding: 6px 14px;"
            " border-radius: 4px; } QPushButton:disabled { background: #d8a5a1; }"
        )
        self._lay_out_running()
        self.turns_view = LiveTurnsView(
            live,
            self,
            tabs=self.side_tabs,
            grid=self.grid,
            notice=self.notice,
            above_video=self.above_video,
        )
        self.safety_view = LiveSafetyView(
            live,
            self,
            tabs=self.side_tabs,
            chat=self.chat,
            notice=self.safety_notice,
            controls=self.controls,
            after=self.self_view_button,
        )
        self.crisis_view = LiveCrisisView(
            live, self, tabs=self.side_tabs, notice=self.notice, above_video=self.above_video
        )

        self._build_over()
        self._add_shortcuts()
        self._connect()
        self.retranslate()
        self.show_state()

    def _build_over(self) -> None:
        self.summary_title = heading(self.over)
        self.summary = paragraph(self.over)
        self.attendance = QListWidget(self.over)
        self.attendance.setMaximumHeight(240)
        self.notes_next = paragraph(self.over)
        self.notes_button = QPushButton(self.over)
        self.back_button = QPushButton(self.over)
        over = QVBoxLayout(self.over)
        over.addWidget(self.summary_title)
        over.addWidget(self.summary)
        over.addWidget(self.attendance)
        over.addWidget(self.notes_next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notes_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        over.addLayout(buttons)
        over.addStretch(1)

    def _add_shortcuts(self) -> None:
        """The live commands as actions, with their keys (``SHORTCUTS``) and for the
        window's Live menu (``menu_actions``).

        Their keys work whenever the live screen is shown, wherever the focus is (after
        "Admit all", in a dialog of the app that is not modal, after a menu): application
        shortcuts tied to this page, which Qt ignores while the page is hidden.
        """
        self.shortcut_actions: dict[str, QAction] = {}
        for name in (*SHORTCUTS, "mute_all", "safety"):
            action = QAction(self)
            if name in SHORTCUTS:
                action.setShortcut(SHORTCUTS[name])
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            self.addAction(action)
            self.shortcut_actions[name] = action
        turns = self.turns_view.panel
        for action in (turns.next_action, turns.end_action):  # F8, F9
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        named = self.shortcut_actions
        self.menu_actions: list[QAction | None] = [
            *(named[n] for n in ("mute", "camera", "hand", "self_view")),
            None,
            *(named[n] for n in ("copy_invite", "admit_all")),
            turns.next_action,
            turns.end_action,
            named["mute_all"],
            None,
            *(named[n] for n in ("chat", "safety", "crisis")),
            None,
            named["end"],
        ]
        """The Live menu, in order (None: a separator)."""

    def _toggle(self) -> QPushButton:
        button = QPushButton(self.running)
        button.setCheckable(True)
        return button

    def _share_widgets(self, live: LiveSession) -> tuple[SharePanel, ShareView]:
        """The share panel (what to share, a document's pages, who may share), in the
        side tabs; and the view of the share shown, large, above the speakers' tiles."""
        panel = SharePanel(live.share, self.running)
        self.side_tabs.addTab(panel, "")
        return panel, ShareView(live.share, self.running)

    def _stage(self) -> QSplitter:
        """The share shown (when someone shares) above the grid, which gets the rest."""
        stage = QSplitter(Qt.Orientation.Vertical, self.running)
        stage.addWidget(self.share_view)
        stage.addWidget(self.grid)
        stage.setStretchFactor(0, 3)
        stage.setStretchFactor(1, 1)
        stage.setChildrenCollapsible(False)
        return stage

    def _lay_out_running(self) -> None:
        self.share_panel, self.share_view = self._share_widgets(self.live)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.status)
        invite_row = QHBoxLayout()
        self.invite_label = QLabel(self.running)
        invite_row.addWidget(self.invite_label)
        invite_row.addWidget(self.invite, 1)
        invite_row.addWidget(self.copy_button)
        split = QSplitter(Qt.Orientation.Horizontal, self.running)
        split.addWidget(self._stage())
        split.addWidget(self.side_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([620, 320])
        split.setChildrenCollapsible(False)
        controls = self.controls = QHBoxLayout()
        for button in (
            self.mute_button,
            self.camera_button,
            self.hand_button,
            self.self_view_button,
        ):
            controls.addWidget(button)
        controls.addWidget(self.rules_button)
        controls.addStretch(1)
        controls.addWidget(self.retry_button)
        controls.addWidget(self.leave_failed_button)
        controls.addWidget(self.end_button)
        layout = QVBoxLayout(self.running)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addLayout(invite_row)
        layout.addWidget(self.invite_warning)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.no_speaker)
        layout.addWidget(self.device_failed)
        layout.addWidget(self.safety_notice)
        self.break_reminder = BreakReminderBar(self.live, self.running)
        """Facilitator only: once per interval of the policy, a gentle break reminder."""
        layout.addWidget(self.break_reminder)
        # a participant: the private side room (inside it, or a short pause outside)
        self.side_notice = SideRoomNotice(self.live, self.running)
        layout.addWidget(self.side_notice.label)
        # everyone: a relay-only call that cannot connect; the audio-only suggestion
        self.relay_notice = RelayMissingNotice(self.live, self.running)
        layout.addWidget(self.relay_notice.label)
        self.audio_only_hint = AudioOnlyHint(self.live, self.running)
        layout.addWidget(self.audio_only_hint.box)
        self.above_video = QVBoxLayout()
        """A participant's turns strip (place in line, floor, timer, pass)."""
        layout.addLayout(self.above_video)
        layout.addWidget(split, 1)
        layout.addLayout(controls)
        # a hybrid session: who is in the room (facilitator); a one-to-one's title
        self.in_room_view = LiveInRoomView(self.live, self, tabs=self.side_tabs, title=self.title)
        # everyone: the code read aloud to know nobody is in the middle
        self.security_code_view = LiveSecurityCodeView(self.live, self, tabs=self.side_tabs)

    def _connect(self) -> None:
        live = self.live
        self.copy_button.clicked.connect(self.copy_invite)
        self.mute_button.clicked.connect(lambda on: spawn(live.set_muted(on)))
        self.camera_button.clicked.connect(lambda on: spawn(live.set_camera_off(on)))
        self.hand_button.clicked.connect(lambda on: spawn(live.set_hand_raised(on)))
        self.self_view_button.clicked.connect(self.grid.set_hide_self)
        self.end_button.clicked.connect(self.confirm_end)
        self.back_button.clicked.connect(self.back_requested)
        self.notes_button.clicked.connect(lambda: self.notes_requested.emit(self.live.session_id))
        self.leave_failed_button.clicked.connect(self.back_requested)
        self.retry_button.clicked.connect(self.retry_requested)
        self.grid.menu_requested.connect(self.member_menu)
        self.shortcut_actions["mute"].triggered.connect(self.mute_button.click)
        self.shortcut_actions["camera"].triggered.connect(self.camera_button.click)
        self.shortcut_actions["hand"].triggered.connect(self.hand_button.click)
        self.shortcut_actions["self_view"].triggered.connect(self.self_view_button.click)
        self.shortcut_actions["admit_all"].triggered.connect(self.lobby.admit_all)
        self.shortcut_actions["copy_invite"].triggered.connect(self.copy_invite)
        self.shortcut_actions["chat"].triggered.connect(self.focus_chat)
        self.shortcut_actions["end"].triggered.connect(self.confirm_end)
        self.shortcut_actions["crisis"].triggered.connect(self.crisis_view.open_from_shortcut)
        mute_all = self.turns_view.panel.mute_all_button
        self.shortcut_actions["mute_all"].triggered.connect(mute_all.click)
        self.shortcut_actions["safety"].triggered.connect(self.focus_safety)
        live.changed.connect(self.show_state)
        live.lobby_changed.connect(self._retranslate_tabs)
        live.chat_changed.connect(self._retranslate_tabs)
        live.members_changed.connect(self._show_status)
        live.member_updated.connect(self._self_updated)
        live.turns_changed.connect(self._retranslate_end)  # a co-facilitator took over
        live.ended.connect(self._ended)
        # Tiles, lobby rows and panels come and go: Tab keeps the screen's order
        # (the grid before the side panels, the controls last, as they are shown).
        self.grid.laid_out.connect(self.follow_screen_order)
        for signal in (live.changed, live.lobby_changed, live.members_changed):
            signal.connect(self.follow_screen_order)
        if self.audio is not None:
            # A member who left (or a session that ended) leaves nothing queued to play.
            live.frames.audio_gone.connect(self.audio.forget)

    def follow_screen_order(self) -> None:
        """Tab through the live screen as it reads: top to bottom, tiles before panels."""
        tab_in_layout_order(self)

    # -- actions ----------------------------------------------------------------------

    def copy_invite(self) -> None:
        """Copy the invite link to the clipboard (Ctrl+Shift+C)."""
        if self.live.invite:
            QGuiApplication.clipboard().setText(self.live.invite)
            if invite_reach(self.live.invite, self.live.embedded) == "this_computer":
                copied = self.tr(
                    "Invite link copied. It opens on this computer only (to rehearse)."
                )
            else:
                copied = self.tr("Invite link copied. Send it to the participants.")
            self.notice.setText(copied)
            self.notice.show()

    def focus_chat(self) -> None:
        """Show the chat and put the cursor in it (Ctrl+Shift+M)."""
        self.side_tabs.setCurrentWidget(self.chat)
        self.chat.write_to(self.chat.recipient.currentData())

    def focus_safety(self) -> None:
        """Show the facilitator's Safety tab and put the keyboard in it."""
        panel = self.safety_view.panel
        if self.live.facilitator:  # the tab is a facilitator's
            self.side_tabs.setCurrentWidget(panel)
            panel.setFocus(Qt.FocusReason.ShortcutFocusReason)
            panel.focusNextChild()

    def confirm_end(self) -> None:
        """Ask, then end the session for everyone (or leave, as a participant)."""
        if not self.live.active:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        if self.live.ends_room:
            box.setWindowTitle(self.tr("End the session"))
            box.setText(self.tr("End the session for everyone?"))
            box.setInformativeText(
                self.tr("Everyone leaves the room; the attendance is saved in the session log.")
            )
        else:
            box.setWindowTitle(self.tr("Leave the session"))
            box.setText(self.tr("Leave the session?"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda result: (
                spawn(self.live.end()) if result == QMessageBox.StandardButton.Yes else None
            )
        )
        box.open()

    def member_menu(self, seat: str, where: QPoint) -> None:
        """Pin, spotlight, private message, contact and answers, request mute, remove."""
        menu = self.member_actions(seat)
        if menu is not None:
            menu.popup(where)

    def member_actions(self, seat: str) -> QMenu | None:
        """The menu of the member in ``seat`` (None when nobody sits there)."""
        member = self.live.member(seat)
        if member is None:
            return None
        menu = QMenu(self)
        pinned = self.grid.pinned == seat
        menu.addAction(
            self.tr("Unpin") if pinned else self.tr("Pin for me"),
            lambda: self.pin(None if pinned else seat),
        )
        if self.live.facilitator:
            spot = self.live.spotlight == seat
            menu.addAction(
                self.tr("Stop the spotlight") if spot else self.tr("Spotlight for everyone"),
                lambda: spawn(self.live.set_spotlight(None if spot else seat)),
            )
        if not member.is_self:
            menu.addAction(self.tr("Private message…"), lambda: self._write_to(seat))
            if self.live.facilitator:
                if member.role == "participant":
                    menu.addAction(self.tr("Contact and answers…"), lambda: self.show_answers(seat))
                    menu.addAction(self.tr("Crisis…"), lambda: self.crisis_view.open_for(seat))
                menu.addSeparator()
                menu.addAction(self.tr("Ask to mute"), lambda: self.request_mute(seat))
                menu.addAction(
                    self.tr("Remove from the session…"), lambda: self.confirm_remove(seat)
                )
        return menu

    def pin(self, seat: str | None) -> None:
        """Pin ``seat`` large on this screen (None: unpin); a tile that had the keyboard
        keeps it (laying the tiles out again hides them for a moment)."""
        focused = next((t for t in self.grid.tiles.values() if t.hasFocus()), None)
        self.grid.set_pinned(seat)
        if focused is not None and focused.isVisible():
            focused.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_answers(self, seat: str) -> None:
        """A participant's answers before admission and identity mark (facilitator)."""
        if not self.live.facilitator or self.live.member(seat) is None:
            return
        if self.answers_dialog is not None:
            self.answers_dialog.close()
        dialog = MemberAnswersDialog(self.live, seat, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._answers_closed(dialog))
        self.answers_dialog = dialog
        dialog.open()

    def _answers_closed(self, dialog: MemberAnswersDialog) -> None:
        if self.answers_dialog is dialog:
            self.answers_dialog = None

    def request_mute(self, seat: str) -> None:
        """Ask a member to mute their microphone."""
        text = self.tr("The facilitator asks you to mute your microphone.")
        spawn(self.live.request_mute(seat, text))

    def confirm_remove(self, seat: str) -> None:
        """Ask, then remove a member."""
        member = self.live.member(seat)
        if member is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Remove from the session"))
        box.setText(self.tr("Remove {name} from the session?").format(name=member.name))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda result: (
                spawn(self.live.remove(seat)) if result == QMessageBox.StandardButton.Yes else None
            )
        )
        box.open()

    def _write_to(self, seat: str) -> None:
        self.side_tabs.setCurrentWidget(self.chat)
        self.chat.write_to(seat)

    # -- showing the state --------------------------------------------------------------

    def show_state(self) -> None:
        """Stage, problem and notices as they are now."""
        live = self.live
        if live.stage is LiveStage.ENDED:
            self._show_summary()
            if self.stack.currentWidget() is not self.over:
                self.stack.setCurrentWidget(self.over)
                # The keyboard on the next step: the notes (a participant: back).
                ahead = self.notes_button if live.facilitator else self.back_button
                ahead.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.stack.setCurrentWidget(self.running)
        self.invite.setText(live.invite)
        facilitating = live.facilitator
        self.invite.setVisible(facilitating and bool(live.invite))
        self.invite_label.setVisible(facilitating and bool(live.invite))
        self.copy_button.setVisible(facilitating and bool(live.invite))
        self._show_invite_warning()
        self.side_tabs.setTabVisible(self.side_tabs.indexOf(self.lobby), facilitating)
        self.hand_button.setVisible(not facilitating)
        self._show_device_failures()
        self._retranslate_end()
        self.mute_button.setChecked(live.muted)
        self.camera_button.setChecked(live.camera_off)
        self._retranslate_camera()
        self.hand_button.setChecked(live.hand_raised)
        failed = live.stage is LiveStage.FAILED
        self.end_button.setVisible(not failed)
        self.end_button.setEnabled(live.active)
        self.retry_button.setVisible(failed and facilitating)
        self.leave_failed_button.setVisible(failed)
        for button in (
            self.mute_button,
            self.camera_button,
            self.hand_button,
            self.self_view_button,
        ):
            button.setEnabled(not failed)
        self.message.setText(self.problem_text(live.problem) if live.problem else "")
        self.message.setVisible(live.problem is not None)
        self._enable_actions()
        self._show_status()

    def _enable_actions(self) -> None:
        """The live commands this person can use now (the others' keys do nothing)."""
        live = self.live
        running = live.active
        facilitating = running and live.facilitator
        in_room = running and live.stage is LiveStage.LIVE
        enabled = {
            "mute": running,
            "camera": running,
            "hand": in_room and not live.facilitator,
            "self_view": running,
            "admit_all": facilitating,
            "copy_invite": facilitating and bool(live.invite),
            "chat": in_room,
            "end": running,
            "crisis": facilitating,
            "mute_all": facilitating,
            "safety": facilitating,
        }
        for name, on in enabled.items():
            self.shortcut_actions[name].setEnabled(on)

    def problem_text(self, problem: LiveProblem) -> str:
        """The problem, in words, with the way on."""
        texts = {
            LiveProblem.UNREACHABLE: self.tr(
                "The server cannot be reached. Check the network (or the server address in "
                "your organisation's policy), then open the room again."
            ),
            LiveProblem.CREDENTIAL_REFUSED: self.tr(
                "The server refused your facilitator credential. Ask your administrator for a "
                "new one and enter it again."
            ),
            LiveProblem.CREDENTIAL_NEEDED: self.tr(
                "Enter the facilitator credential your administrator gave you to open rooms on "
                "your organisation's server."
            ),
            LiveProblem.ROOM_FULL: self.tr(
                "The room is full: nobody else can join. Remove a member or end the session "
                "to make room."
            ),
            LiveProblem.CONNECTION_LOST: self.tr(
                "The connection to the server is lost. What happened so far is saved; end the "
                "session to record its summary, or open a new room."
            ),
            LiveProblem.BAD_INVITE: self.tr(
                "This invite link is not valid. Ask the facilitator for the link again."
            ),
            LiveProblem.INVITE_EXPIRED: self.tr(
                "This invite link has expired. Ask the facilitator for a new one."
            ),
            LiveProblem.DECLINED: self.tr("The facilitator did not admit you to this session."),
            LiveProblem.REMOVED: self.tr("The facilitator removed you from the session."),
            LiveProblem.ENDED_BY_FACILITATOR: self.tr("The facilitator ended the session."),
            LiveProblem.LOG_FAILED: self.tr(
                "The session log could not save the last event. The session goes on; what was "
                "saved before is safe."
            ),
            LiveProblem.SERVER_ERROR: self.tr("The server refused the request. Try again."),
            LiveProblem.SERVER_BUSY: self.tr(
                "The server is busy, or receives too many connections from this network right "
                "now. Wait a few minutes, then try again."
            ),
            LiveProblem.MEDIA_SERVER_UNAVAILABLE: self.tr(
                "A member's connection is too weak for a call where everyone sends to "
                "everyone, and your organisation's media server cannot take the room: the call "
                "stays member to member. Suggest audio only to members whose picture freezes."
            ),
        }
        return texts[problem]

    def _show_invite_warning(self) -> None:
        """Say so when the invite link cannot serve a real session, and what to use."""
        live = self.live
        reach = invite_reach(live.invite, live.embedded) if live.invite else None
        if not live.facilitator or live.stage is LiveStage.ENDED or reach is None:
            self.invite_warning.hide()
            return
        if reach == "this_computer":
            where = self.tr(
                "This link works only on this computer: the room is on the server built into "
                "GroupDesk, which other computers cannot reach. Use it to rehearse."
            )
        else:
            where = self.tr(
                "This link is not secure (http): even where other computers can reach it, "
                "their browsers will not let participants use their camera or microphone."
            )
        real = self.tr(
            "For a real session, use your organisation's server (https): ask your "
            "administrator to set its address (policy key “server_url”)."
        )
        self.invite_warning.setText(f"{where} {real}")
        self.invite_warning.setAccessibleName(self.tr("About the invite link"))
        self.invite_warning.show()

    def _show_device_failures(self) -> None:
        """Say which device could not be opened, what the others get, and what to do."""
        failed = self.live.device_failures
        texts = []
        if "camera" in failed:
            texts.append(
                self.tr(
                    "Your camera could not be opened (another program may be using it): the "
                    "others see a test picture with your name. Close the other program, then "
                    "open the room again."
                )
            )
        if "microphone" in failed:
            texts.append(
                self.tr(
                    "Your microphone could not be opened (another program may be using it): "
                    "the others do not hear you. Use the chat, or close the other program and "
                    "open the room again."
                )
            )
        self.device_failed.setText("\n".join(texts))
        self.device_failed.setVisible(bool(texts))

    def check_speaker(self) -> None:
        """Say so when there is no speaker: the session goes on, without sound."""
        missing = self.audio is not None and not self.audio.available
        self.no_speaker.setVisible(missing)

    def _show_status(self) -> None:
        live = self.live
        if live.stage is LiveStage.CONNECTING:
            text = self.tr("Connecting…")
        elif live.stage is LiveStage.WAITING:
            text = self.tr("Waiting for the facilitator to let you in…")
        elif live.reconnecting:
            text = self.tr("Connection lost: reconnecting…")
        elif live.stage is LiveStage.LIVE:
            where = self.tr("on this computer") if live.embedded else self.tr("on the server")
            text = self.tr("Live, {count} in the room, {where}").format(
                count=len(live.members), where=where
            )
        else:
            text = ""
        self.status.setText(text)
        self.status.setAccessibleName(text)
        if live.stage is LiveStage.WAITING:
            self.grid.set_placeholder(
                self.tr(
                    "You are in the waiting room. The facilitator will let you in shortly. "
                    "While you wait, the facilitator may see your camera, without sound; "
                    "nobody hears you before you are let in."
                )
            )
        else:
            self.grid.set_placeholder(text)
        if live.mute_requested:
            self.notice.setText(
                self.tr("The facilitator asked you to mute: your microphone is off.")
            )
            self.notice.show()

    def _self_updated(self, seat: str) -> None:
        if seat == self.live.self_seat:
            self.show_state()

    def _ended(self, _session_id: int) -> None:
        self.show_state()

    def _show_summary(self) -> None:
        live = self.live
        if not live.facilitator:
            if live.problem is LiveProblem.ENDED_BY_FACILITATOR:
                self.summary_title.setText(self.tr("The session is over"))
            elif live.problem in (LiveProblem.DECLINED, LiveProblem.REMOVED):
                self.summary_title.setText(self.tr("You are not in the session"))
            else:
                self.summary_title.setText(self.tr("You left the session"))
            reason = self.problem_text(live.problem) if live.problem else ""
            self.summary.setText(reason)
            self.notes_next.hide()
            self.notes_button.hide()
            self.attendance.hide()
            return
        self.summary_title.setText(self.tr("The session is over"))
        start = short_time(live.started_at) if live.started_at else "—"
        end = short_time(live.ended_at) if live.ended_at else "—"
        count = live.attended_count
        if count == 1:  # English's singular; French's (0 and 1) is the plural form below
            attended = self.tr(
                "From {start} to {end}, one person attended (below; guests are people "
                "admitted who are not members of the group). The start, the end and the "
                "attendance (who joined and left, and when) are saved in the session log."
            )
        else:
            attended = self.tr(
                "From {start} to {end}, %n people attended (below; guests are people "
                "admitted who are not members of the group). The start, the end and the "
                "attendance (who joined and left, and when) are saved in the session log.",
                "",
                count,
            )
        self.summary.setText(attended.format(start=start, end=end))
        self.attendance.clear()
        for stay in live.attendance:
            joined = short_time(stay.joined_at)
            left = short_time(stay.left_at) if stay.left_at else "—"
            name = live.stay_name(stay)
            if stay.is_guest:
                name = self.tr("{name} (guest)").format(name=name)
            elif stay.in_room:
                name = self.tr("{name} (in the room)").format(name=name)
            self.attendance.addItem(
                self.tr("{name}: joined at {joined}, left at {left}").format(
                    name=name, joined=joined, left=left
                )
            )
        if not live.attendance:
            self.attendance.addItem(self.tr("Nobody attended."))
        self.attendance.setAccessibleName(self.tr("Attendance"))
        self.attendance.show()
        self.notes_next.setText(
            self.tr(
                "Write the notes now or later (from the session history): a group note and "
                "one per member, with the session's facts ready to cite. They are saved as "
                "you type."
            )
        )
        self.notes_next.show()
        self.notes_button.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _retranslate_end(self) -> None:
        """ "End the session" for the facilitator, "Leave" for a participant."""
        end_keys = SHORTCUTS["end"].toString(QKeySequence.SequenceFormat.NativeText)
        if self.live.ends_room:
            self.end_button.setText(self.tr("End the session"))
            self.end_button.setAccessibleName(self.tr("End the session for everyone"))
        else:
            self.end_button.setText(self.tr("Leave"))
            self.end_button.setAccessibleName(self.tr("Leave the session"))
        self.end_button.setToolTip(f"{self.end_button.accessibleName()} ({end_keys})")
        self.shortcut_actions["end"].setText(
            self.tr("&End the session…") if self.live.ends_room else self.tr("&Leave the session…")
        )

    def _retranslate_tabs(self) -> None:
        self.side_tabs.setTabText(
            self.side_tabs.indexOf(self.lobby),
            self.tr("Waiting room ({count})").format(count=len(self.live.lobby)),
        )
        self.side_tabs.setTabText(
            self.side_tabs.indexOf(self.chat),
            self.tr("Chat ({count})").format(count=len(self.live.chat)),
        )
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.share_panel), self.tr("Share"))

    def _retranslate_camera(self) -> None:
        """The camera button says what it does: turn the camera on, or off."""
        keys = SHORTCUTS["camera"].toString(QKeySequence.SequenceFormat.NativeText)
        if self.live.camera_off:
            text, accessible = self.tr("Turn camera on"), self.tr("Turn my camera on")
        else:
            text, accessible = self.tr("Turn camera off"), self.tr("Turn my camera off")
        self.camera_button.setText(text)
        self.camera_button.setAccessibleName(accessible)
        self.camera_button.setToolTip(f"{accessible} ({keys})")

    def _retranslate_actions(self) -> None:
        """The Live menu's words (no mnemonics clash in either language: each has its own
        letter; the keys are shown by the menu)."""
        texts = {
            "mute": self.tr("&Mute or unmute my microphone"),
            "camera": self.tr("Turn my &camera off or on"),
            "hand": self.tr("&Raise or lower my hand"),
            "self_view": self.tr("&Hide or show my own video"),
            "copy_invite": self.tr("Copy the &invite link"),
            "admit_all": self.tr("&Admit everyone who is ready"),
            "mute_all": self.tr("Ask every&one to mute"),
            "chat": self.tr("&Write in the chat"),
            "safety": self.tr("Show the &safety signals"),
            "crisis": self.tr("Crisis &panel of the chosen member…"),
        }
        for name, text in texts.items():
            self.shortcut_actions[name].setText(text)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Live session"))
        self.invite_label.setText(self.tr("Invite link:"))
        self.invite.setAccessibleName(self.tr("Invite link"))
        self.copy_button.setText(self.tr("&Copy the link"))
        self.copy_button.setAccessibleName(self.tr("Copy the invite link"))
        self.side_tabs.setAccessibleName(self.tr("Waiting room, chat and turns"))
        labels = {
            "mute": (self.mute_button, self.tr("Mute"), self.tr("Mute my microphone")),
            "hand": (self.hand_button, self.tr("Raise hand"), self.tr("Raise my hand")),
            "self_view": (
                self.self_view_button,
                self.tr("Hide self-view"),
                self.tr("Hide my own video"),
            ),
        }
        for name, (button, text, accessible) in labels.items():
            keys = SHORTCUTS[name].toString(QKeySequence.SequenceFormat.NativeText)
            button.setText(text)
            button.setAccessibleName(accessible)
            button.setToolTip(f"{accessible} ({keys})")
        self._retranslate_camera()
        self._retranslate_actions()
        self._retranslate_end()
        self.retry_button.setText(self.tr("&Try again"))
        self.retry_button.setAccessibleName(self.tr("Open the room again"))
        self.leave_failed_button.setText(self.tr("&Back"))
        self.leave_failed_button.setAccessibleName(self.tr("Back to the previous page"))
        self.attendance.setAccessibleName(self.tr("Attendance"))
        self.no_speaker.setText(
            self.tr(
                "No speaker or headset was found: the others' voices are not played. Plug one "
                "in, or use the chat."
            )
        )
        self.notes_button.setText(self.tr("&Write the notes"))
        self.notes_button.setAccessibleName(self.tr("Write the notes of the session"))
        self.back_button.setText(self.tr("&Back to the groups"))
        self.back_button.setAccessibleName(self.tr("Back to the groups"))
        self.grid.setAccessibleName(self.tr("Video of the members"))
        self._retranslate_tabs()
        self.turns_view.retranslate()
        self.safety_view.retranslate()
        self.crisis_view.retranslate()
        self.in_room_view.retranslate()
        self.security_code_view.retranslate()
        self.show_state()
