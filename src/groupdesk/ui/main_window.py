"""The main window: the unlock page until the log is open, then the home page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from groupdesk import __version__
from groupdesk.core.models import Note
from groupdesk.core.policy_files import PolicyProblem
from groupdesk.core.policy_values import Policy, load_policy
from groupdesk.core.protocol import RoomInfo
from groupdesk.ui.access.auto_lock import AutoLock, MonotonicClock
from groupdesk.ui.answers_dialog import ask_answers
from groupdesk.ui.audio_out import AudioOut
from groupdesk.ui.capture_exclusion import CaptureBackend, system_backend
from groupdesk.ui.devices_page import DevicesPage
from groupdesk.ui.group_panel import SHORTCUTS
from groupdesk.ui.guidelines_dialog import GuidelinesDialog
from groupdesk.ui.home_page import HomePage
from groupdesk.ui.join_dialog import (
    JoinDialog,
    ask_credential,
    device_sources,
    facilitator_credential,
    forget_facilitator_credential,
    keep_facilitator_credential,
)
from groupdesk.ui.language import LANGUAGE_NAMES, LanguageSwitcher
from groupdesk.ui.live_call import SourcesFactory
from groupdesk.ui.live_entry import AnswerRoom
from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_quit import QuitQuestion, quitting_ends_something
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.managed_settings import CaptureSetting, managed_note, managed_text
from groupdesk.ui.policy_problems import PolicyProblemsDialog, PolicyProblemsNotice
from groupdesk.ui.prepare_page import PreparePage
from groupdesk.ui.records.export_actions import (
    Chooser,
    ask_where,
    export_member,
    export_note,
    export_session,
)
from groupdesk.ui.records.note_search import NoteSearchDialog
from groupdesk.ui.records.notes_page import NotesPage
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.shortcuts_sheet import ShortcutsHelp
from groupdesk.ui.unlock_page import UnlockPage
from groupdesk.ui.widgets import screen_ordered, spawn
from groupdesk.ui.workspace import Stage, Workspace

#: The size the window opens at (and the size of its screenshot).
DEFAULT_SIZE = QSize(960, 640)


class MainWindow(QMainWindow):
    """Pages in a stack, the menus, and a status bar notice for policy problems.

    Pages: unlock (until the log is open), home (groups, members, sessions),
    prepare (a session for a group), devices (camera, microphone, speaker), live and
    notes (of a session, ``open_notes``).

    Signals: ``closed()`` once the window has closed (the application then ends);
    ``note_found(int, int, str)`` when a note found by "Search notes…" is to be opened:
    its session id (0: none), its id and the words searched (to show it at the hit).
    """

    closed = Signal()
    note_found = Signal(int, int, str)

    def __init__(
        self,
        workspace: Workspace,
        languages: LanguageSwitcher,
        *,
        settings: UserSettings | None = None,
        policy: Policy | None = None,
        idle_clock: MonotonicClock | None = None,
        capture: CaptureBackend | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.languages = languages
        self.settings = settings
        # The organisation policy, read once when the app started: the pages read it,
        # the workspace its consent text (the members table, the consent screen).
        self.policy = policy if policy is not None else load_policy()
        workspace.remote_consent, workspace.attrition_missed_in_row = (
            self.policy.remote_consent,
            self.policy.attrition_missed_in_row,
        )
        self.policy_problems: list[PolicyProblem] = []
        self.policy_problems_dialog: PolicyProblemsDialog | None = None
        self.guidelines_dialog: GuidelinesDialog | None = None
        # Hides the window from screen capture where the system can (tests pass a fake).
        self.capture = CaptureSetting(
            self, self.policy, capture if capture is not None else system_backend(), settings
        )
        self.resize(DEFAULT_SIZE)

        self.unlock_page = UnlockPage(workspace, self)
        self.home_page = HomePage(workspace, self)
        self.prepare_page = PreparePage(workspace, self.policy, self)
        self.devices_page = DevicesPage(self)
        self._add_live(workspace)
        self.pages = QStackedWidget(self)
        pages = (self.unlock_page, self.home_page, self.prepare_page, self.devices_page)
        for page in (*pages, self.live_page, self.notes_page):
            self.pages.addWidget(page)
        self.setCentralWidget(screen_ordered(self.pages))  # Tab as each page reads
        self._before_devices: QWidget = self.home_page

        self._add_file_menu(idle_clock)
        self._add_language_menu()
        self._add_help_menu()
        self._watch_menus()
        self._add_context_menu_key()

        self.policy_notice = PolicyProblemsNotice(self)
        self.policy_notice.clicked.connect(self.show_policy_problems_list)
        self.statusBar().addWidget(self.policy_notice)

        workspace.changed.connect(self._show_stage)
        workspace.groups_changed.connect(self._update_actions)
        workspace.members_changed.connect(self._update_actions)
        self.home_page.prepare_requested.connect(self.show_prepare)
        self.prepare_page.back_requested.connect(self.show_home)
        self.prepare_page.devices_requested.connect(self.show_devices)
        self.devices_page.back_requested.connect(self.go_back)
        languages.language_changed.connect(self._check_language)
        self._retranslate()
        self._check_language(languages.language())
        self._show_stage()

    def _add_language_menu(self) -> None:
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        self.language_managed_note: QAction | None = None
        """The menu's "Managed by your organisation" (the organisation fixed the language)."""
        for lang, name in LANGUAGE_NAMES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(lang)
            action.triggered.connect(lambda _checked=False, lang=lang: self.choose_language(lang))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        if self.settings is not None and self.settings.language_locked():
            # The organisation fixed the language: the menu shows it but cannot change it.
            self.language_group.setEnabled(False)
            self.language_managed_note = managed_note(self.language_menu)

    def _add_help_menu(self) -> None:
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        # the organisation's guidelines (only when it wrote some) and the policy's problems
        self.guidelines_action = QAction(self)
        self.guidelines_action.triggered.connect(self.show_guidelines)
        self.guidelines_action.setVisible(not self.policy.organisation_guidelines.empty)
        self.policy_problems_action = QAction(self)
        self.policy_problems_action.triggered.connect(self.show_policy_problems_list)
        self.policy_problems_action.setVisible(False)
        self.help_menu.addAction(self.guidelines_action)
        self.help_menu.addAction(self.policy_problems_action)
        self.help_menu.addAction(self.about_action)
        # F1, "?" and Help > Keyboard shortcuts: the sheet of every shortcut.
        self.shortcuts_help = ShortcutsHelp(self, self.help_menu, self._screens)

    def _add_live(self, workspace: Workspace) -> None:
        self.live = LiveSession(self)
        self.audio = AudioOut(parent=self)
        self.live.frames.audio = self.audio.play
        self.live_page = LivePage(self.live, self.audio, self)
        self.live_page.break_reminder.minutes = self.policy.break_reminder_minutes
        # Opens the camera and microphone for a live session (tests and the demo pass their own).
        self.live_sources: SourcesFactory | None = None
        # Asks a participant the room's questions before knocking (tests pass their own).
        self.live_answers: AnswerRoom = self.ask_answers
        workspace.preparation.rooms_available = True
        workspace.preparation.open_room_requested.connect(self.open_room)
        self.live_page.back_requested.connect(self.leave_live)
        self.live_page.retry_requested.connect(lambda: self.open_room(self.live.session_id))
        self.live.changed.connect(self._update_actions)
        self.quit_question: QuitQuestion | None = None
        """Open while the window asks whether to end the live session and quit."""
        self._add_notes()  # the end of a live session leads to its notes

    def _add_notes(self) -> None:
        self.notes_page = NotesPage(self.workspace, self.policy, self, now=self.workspace.now)
        self._before_notes: QWidget = self.home_page
        self.home_page.notes_requested.connect(self.open_notes)
        self.live_page.notes_requested.connect(self.open_notes)
        self.note_found.connect(self.open_notes)  # a note found by "Search notes…"
        self.notes_page.back_requested.connect(self._back_from_notes)
        self.notes_page.export_requested.connect(self.export_open_note)
        self.notes_page.changed.connect(self._update_actions)

    def _add_auto_lock(self, clock: MonotonicClock | None) -> None:
        """Lock the log after the policy's idle minutes or on Ctrl+L (tests pass a clock)."""
        ceiling = self.settings.auto_lock_ceiling() if self.settings is not None else None
        self.auto_lock = AutoLock(
            self,
            minutes=self.policy.auto_lock_minutes,
            ceiling=ceiling,
            **({"clock": clock} if clock is not None else {}),
        )
        self.auto_lock.add_to_menu(self.file_menu, before=self.quit_action)

    def _add_file_menu(self, idle_clock: MonotonicClock | None) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.new_group_action = QAction(self)
        self.new_group_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_group_action.triggered.connect(self.home_page.start_new_group)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.join_action = QAction(self)
        self.join_action.setShortcut(QKeySequence("Ctrl+J"))
        self.join_action.triggered.connect(self.ask_join)
        self.export_session_action = QAction(self)
        self.export_session_action.triggered.connect(self.export_selected_session)
        self.export_member_action = QAction(self)
        self.export_member_action.triggered.connect(self.export_selected_member)
        # Asks where to save an export and in which language (tests pass their own).
        self.export_chooser: Chooser = ask_where
        self.home_page.sessions.list.currentItemChanged.connect(self._update_actions)
        self.home_page.members.table.currentCellChanged.connect(self._update_actions)
        self.workspace.sessions_changed.connect(self._update_actions)
        self.file_menu.addAction(self.new_group_action)
        self.file_menu.addAction(self.join_action)
        self.file_menu.addAction(self.export_session_action)
        self.file_menu.addAction(self.export_member_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.capture.action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self._add_auto_lock(idle_clock)
        self._add_group_menu()
        self._add_session_menu()
        self._add_live_menu()

    def _add_group_menu(self) -> None:
        home = self.home_page
        self.group_menu = self.menuBar().addMenu("")
        self.add_member_action = QAction(self)
        self.add_member_action.setShortcut(SHORTCUTS["add_member"])
        self.add_member_action.triggered.connect(home.members.add_member)
        self.edit_group_action = QAction(self)
        self.edit_group_action.setShortcut(SHORTCUTS["edit_group"])
        self.edit_group_action.triggered.connect(home.group_header.edit_group)
        self.archive_group_action = QAction(self)
        self.archive_group_action.triggered.connect(home.group_header.toggle_archived)
        for action in (self.add_member_action, self.edit_group_action):
            self.group_menu.addAction(action)
        self.group_menu.addSeparator()
        self.group_menu.addAction(self.archive_group_action)

    def _add_session_menu(self) -> None:
        self.session_menu = self.menuBar().addMenu("")
        self.prepare_action = QAction(self)
        self.prepare_action.setShortcut(SHORTCUTS["prepare"])
        self.prepare_action.triggered.connect(self.show_prepare)
        self.devices_action = QAction(self)
        self.devices_action.setShortcut(QKeySequence("Ctrl+D"))
        self.devices_action.triggered.connect(self.show_devices)
        self.test_sound_action = QAction(self)
        self.test_sound_action.setShortcut(QKeySequence("Ctrl+T"))
        self.test_sound_action.triggered.connect(self.devices_page.play_test_sound)
        self.submit_action = QAction(self)
        self.submit_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.submit_action.triggered.connect(self.prepare_page.submit)
        self.back_action = QAction(self)
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.back_action.triggered.connect(self.go_back)
        self.search_notes_action = QAction(self)
        self.search_notes_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_notes_action.triggered.connect(self.search_notes)
        self.note_search: NoteSearchDialog | None = None
        """Open while the person searches the notes."""
        for action in (self.prepare_action, self.submit_action, self.search_notes_action):
            self.session_menu.addAction(action)
        self.session_menu.addSeparator()
        for action in (self.devices_action, self.test_sound_action):
            self.session_menu.addAction(action)
        self.session_menu.addSeparator()
        self.session_menu.addAction(self.back_action)

    def _add_live_menu(self) -> None:
        """The live commands (the live page's actions), shown while the live screen is."""
        self.live_menu = self.menuBar().addMenu("")
        self.live_menu.menuAction().setVisible(False)
        self._live_menu_filled = False
        self.pages.currentChanged.connect(lambda _index: self._update_actions())

    def _fill_live_menu(self, shown: bool) -> None:
        """The Live menu holds the live page's actions only while that page is shown:
        a menu's actions answer their keys wherever the window is, and some (F8, F9) are
        enabled by the turns panel itself."""
        self.live_menu.menuAction().setVisible(shown)
        if shown == self._live_menu_filled:
            return
        self._live_menu_filled = shown
        self.live_menu.clear()  # removes the page's actions (the page owns them)
        if not shown:
            return
        for action in self.live_page.menu_actions:
            if action is None:
                self.live_menu.addSeparator()
            else:
                self.live_menu.addAction(action)

    def _add_context_menu_key(self) -> None:
        """Shift+F10 opens the menu of the widget with the focus (a video tile's: pin,
        ask to mute...), as the Menu key does: keyboards without that key have this one."""
        self.context_menu_action = QAction(self)
        self.context_menu_action.setShortcut(QKeySequence("Shift+F10"))
        self.context_menu_action.triggered.connect(self.open_context_menu)
        self.addAction(self.context_menu_action)

    def open_context_menu(self) -> None:
        """The menu of the widget with the focus, at its middle (Shift+F10)."""
        widget = QApplication.focusWidget()
        if widget is None or not self.isAncestorOf(widget):
            return
        middle = widget.rect().center()
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, middle, widget.mapToGlobal(middle)
        )
        QApplication.sendEvent(widget, event)

    def _watch_menus(self) -> None:
        """Closing a menu (Escape) gives the keyboard back to the widget it came from.

        Qt leaves the menu bar in keyboard mode, holding the focus: letters then typed
        "in the chat" were read as menu mnemonics ("l" opened Language, "e" chose
        English, a space confirmed it).
        """
        for menu in self.menuBar().findChildren(QMenu):
            menu.aboutToHide.connect(lambda: QTimer.singleShot(0, self._leave_menu_bar))

    def _leave_menu_bar(self) -> None:
        """If no menu is open any more but the menu bar still holds the keyboard, leave
        it: the menu bar then gives the focus back to the widget that had it."""
        bar = self.menuBar()
        if QApplication.activePopupWidget() is None and bar.hasFocus():
            escape = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier
            )
            QApplication.sendEvent(bar, escape)

    # -- pages ----------------------------------------------------------------------

    def selected_past_session(self) -> int | None:
        """The session whose notes are shown, or the one chosen in the home page's list,
        if it has taken place."""
        if self.pages.currentWidget() is self.notes_page:
            data = self.notes_page.data
            return data.session.id if data is not None else None
        item = self.home_page.sessions.list.currentItem()
        session_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        session = next((s for s in self.workspace.sessions if s.id == session_id), None)
        return session.id if session is not None and session.actual_start is not None else None

    def selected_member(self) -> int | None:
        """The member whose note is open on the notes page, or chosen in the members table."""
        if self.pages.currentWidget() is self.notes_page:
            row = self.notes_page.notes_list.currentRow()
            rows = self.notes_page.rows
            return rows[row].member_id if 0 <= row < len(rows) else None
        if self.pages.currentWidget() is self.home_page:
            member = self.home_page.members.current_member()
            return member.id if member is not None else None
        return None

    def export_selected_member(self) -> None:
        """Export the history of the member chosen (members table, or the note open)."""
        member_id = self.selected_member()
        if member_id is None or self.workspace.log is None:
            return
        spawn(
            export_member(
                self, self.workspace.log, self.policy, member_id, choose=self.export_chooser
            )
        )

    def export_open_note(self, _session_id: int, note_id: int) -> None:
        """Export the note the notes page asks for."""
        if self.workspace.log is None:
            return
        spawn(
            export_note(self, self.workspace.log, self.policy, note_id, choose=self.export_chooser)
        )

    def export_selected_session(self) -> None:
        """Export the record of the past session chosen on the home page to PDF."""
        session_id = self.selected_past_session()
        if session_id is None or self.workspace.log is None:
            return
        spawn(
            export_session(
                self, self.workspace.log, self.policy, session_id, choose=self.export_chooser
            )
        )

    def show_home(self) -> None:
        """The groups, their members and sessions."""
        if self.workspace.stage is Stage.OPEN:
            self.pages.setCurrentWidget(self.home_page)
            self._update_actions()

    def show_page(self, page: QWidget) -> None:
        """Show one of the window's pages (the auto-lock returns to where the person was)."""
        self.pages.setCurrentWidget(page)
        self._update_actions()

    def show_prepare(self) -> None:
        """Prepare a session for the chosen group (Ctrl+P)."""
        if self.workspace.stage is not Stage.OPEN or not self.workspace.groups:
            return
        spawn(self._open_prepare(self.workspace.selected_group_id))

    async def _open_prepare(self, group_id: int | None) -> None:
        await self.prepare_page.load(group_id)
        self.pages.setCurrentWidget(self.prepare_page)
        self._update_actions()
        self.prepare_page.facilitator.setFocus()

    def show_devices(self) -> None:
        """Check the camera, microphone and speaker (Ctrl+D)."""
        if (
            self.workspace.stage is not Stage.OPEN
            or self.pages.currentWidget() is self.devices_page
        ):
            return
        spawn(self._open_devices())

    async def _open_devices(self) -> None:
        name = self.prepare_page.facilitator.text().strip()
        self.devices_page.set_facilitator_name(
            name or await self.workspace.preparation.last_facilitator()
        )
        self._before_devices = self.pages.currentWidget() or self.home_page
        self.pages.setCurrentWidget(self.devices_page)
        self._update_actions()

    def go_back(self) -> None:
        """Back from the devices to where the person was, or from Prepare to the groups."""
        current = self.pages.currentWidget()
        if current is self.devices_page:
            self.pages.setCurrentWidget(self._before_devices)
        elif current is self.prepare_page:
            self.pages.setCurrentWidget(self.home_page)
        elif current is self.notes_page:
            spawn(self.notes_page.go_back())
        self._update_actions()

    def open_notes(self, session_id: int, note_id: int | None = None, find: str = "") -> None:
        """The notes of a session, ``note_id`` open (else the first) with the cursor at the
        first word of ``find`` in it; Back returns to the page shown before."""
        spawn(self.open_notes_now(session_id, note_id, find))

    async def open_notes_now(
        self, session_id: int, note_id: int | None = None, find: str = ""
    ) -> bool:
        """``open_notes``, awaited: False if the session could not be read."""
        if self.workspace.stage is not Stage.OPEN:
            return False
        current = self.pages.currentWidget()
        if current is not self.notes_page:
            self._before_notes = current or self.home_page
        self.show_page(self.notes_page)
        return await self.notes_page.open_session(session_id, note_id, find)

    def _back_from_notes(self) -> None:
        self.show_page(self._before_notes)

    def open_room(self, session_id: int) -> None:
        """Open the room of a prepared session and show the live screen."""
        spawn(self.open_room_now(session_id))

    async def open_room_now(self, session_id: int) -> bool:
        """Open the room (policy's server, or embedded); the live screen shows how it went."""
        log_ = self.workspace.log
        if log_ is None or self.live.active:
            return False
        server_url = self.policy.server_url
        account, credential = await facilitator_credential(server_url)
        if server_url and not credential:
            asked = await ask_credential(server_url, self)
            if asked is not None:
                account, credential = asked
        self.show_live()
        opened = await self.live.open_room(
            log_,
            session_id,
            server_url=server_url,
            account=account,
            credential=credential,
            sources=self.live_sources or device_sources(self.live),
            embedded_host=self.policy.embedded_server_host,
            policy=self.policy,
        )
        if server_url and opened:
            await keep_facilitator_credential(server_url, account, credential)
        elif server_url and self.live.problem is LiveProblem.CREDENTIAL_REFUSED:
            await forget_facilitator_credential(server_url)
        return opened

    def search_notes(self) -> None:
        """Search every note (Ctrl+Shift+F); the note chosen opens at the words found."""
        log_ = self.workspace.log
        if log_ is None or self.workspace.stage is not Stage.OPEN:
            return
        if self.note_search is not None:
            self.note_search.raise_()
            self.note_search.activateWindow()
            return
        dialog = NoteSearchDialog(
            log_, self._open_found_note, self, today=self.workspace.now().date()
        )
        self.note_search = dialog
        dialog.finished.connect(lambda _result: self._note_search_closed(dialog))
        dialog.open()
        spawn(dialog.load())

    def _note_search_closed(self, dialog: NoteSearchDialog) -> None:
        if self.note_search is dialog:
            self.note_search = None
        dialog.deleteLater()

    def _open_found_note(self, note: Note, query: str) -> None:
        """Open a note found by the search at the words searched (``note_found``)."""
        self.note_found.emit(note.session_id or 0, note.id, query)

    def ask_join(self) -> None:
        """Ask for an invite link and a name, then join as a participant (Ctrl+J)."""
        if self.live.active:
            return
        dialog = JoinDialog(self, self.policy.server_url)
        dialog.accepted.connect(
            lambda: self.join(dialog.link(), dialog.name(), co=dialog.co_facilitating())
        )
        dialog.open()

    def join(self, link: str, name: str, *, co: bool = False) -> None:
        """Join a room as a participant (practice), or as co-facilitator (``co``)."""
        spawn(self.join_now(link, name, co=co))

    async def join_now(self, link: str, name: str, *, co: bool = False) -> bool:
        """Knock at the room of ``link`` as ``name``, having answered the room's questions
        (``live_answers``; cancelled: back where we were) -- or, co-facilitating, sign in
        to the organisation's server and go straight in; the live screen shows the rest."""
        if self.live.active:
            return False
        sources = self.live_sources or device_sources(self.live)
        if not co:
            self.show_live()
            joined = await self.live.join(link, name, answer=self.live_answers, sources=sources)
            if not joined and self.live.stage is LiveStage.IDLE:  # they cancelled: back
                self.leave_live()
            return joined
        server_url = self.policy.server_url
        account, credential = await facilitator_credential(server_url)
        if not credential:
            asked = await ask_credential(server_url, self)
            if asked is None:
                return False
            account, credential = asked
        self.show_live()
        joined = await self.live.co_facilitate(
            link, name, account=account, credential=credential, sources=sources
        )
        if joined:
            await keep_facilitator_credential(server_url, account, credential)
        elif self.live.problem is LiveProblem.CREDENTIAL_REFUSED:
            await forget_facilitator_credential(server_url)
        return joined

    async def ask_answers(self, info: RoomInfo) -> Mapping[str, Any] | None:
        """The room's rules, consent and questions, answered in a dialog (None: cancelled)."""
        return await ask_answers(info, self)

    def show_live(self) -> None:
        """The live screen."""
        self.live_page.retranslate()
        self.audio.use_chosen_speaker()
        self.live_page.check_speaker()
        self.pages.setCurrentWidget(self.live_page)
        self._update_actions()

    def leave_live(self) -> None:
        """After the session: back to the groups (or the unlock page in participant mode)."""
        if self.workspace.stage is Stage.OPEN:
            self.show_home()
            spawn(self.workspace.reload_sessions())
        else:
            self.pages.setCurrentWidget(self.unlock_page)
        self._update_actions()

    def choose_language(self, lang: str) -> None:
        """Switch the whole interface to ``lang`` now, and remember the choice."""
        self.languages.set_language(lang)
        if self.settings is not None:
            self.settings.set_language(lang)

    def show_policy_problems(self, problems: Sequence[PolicyProblem]) -> None:
        """Tell the person, in the status bar, how many problems the organisation policy
        has (the notice and Help > "Organisation policy problems…" list them)."""
        self.policy_problems = list(problems)
        self.policy_notice.set_problems(self.policy_problems)
        self.policy_problems_action.setVisible(bool(self.policy_problems))

    def show_policy_problems_list(self) -> None:
        """Every problem of the organisation policy (file, key, reason), to copy."""
        if self.policy_problems_dialog is not None:
            self.policy_problems_dialog.raise_()
            self.policy_problems_dialog.activateWindow()
            return
        dialog = PolicyProblemsDialog(self.policy_problems, self)
        self.policy_problems_dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def show_guidelines(self) -> None:
        """The organisation's guidelines (Help menu, when it wrote some)."""
        if self.guidelines_dialog is not None:
            self.guidelines_dialog.raise_()
            self.guidelines_dialog.activateWindow()
            return
        dialog = GuidelinesDialog(self.policy.organisation_guidelines, self)
        self.guidelines_dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.policy_problems_dialog is dialog:
            self.policy_problems_dialog = None
        if self.guidelines_dialog is dialog:
            self.guidelines_dialog = None
        dialog.deleteLater()

    def managed_summary(self) -> str:
        """Whether the organisation manages this computer's GroupDesk (the About box)."""
        if self.policy.managed_keys:
            return self.tr(
                "Managed by your organisation: it decides some settings (shown as such "
                "in the menus)."
            )
        return self.tr("Not managed by an organisation: every setting is yours.")

    def update_summary(self) -> str:
        """How new versions come (the About box): never by GroupDesk itself."""
        if self.policy.update_check:
            return self.tr(
                "GroupDesk never updates itself and does not check for new versions: they "
                "come from your organisation or from the person who installed it."
            )
        return self.tr(
            "GroupDesk never updates itself, and notices of new versions are off: your "
            "organisation installs them."
        )

    def show_about(self) -> None:
        """The About box (not modal to the loop: it does not block the session log)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("About GroupDesk"))
        box.setText(
            self.tr("GroupDesk {version}").format(version=__version__)
            + "\n\n"
            + self.update_summary()
            + "\n\n"
            + self.managed_summary()
        )
        box.setInformativeText(
            self.tr(
                "Remote groups for social workers, counsellors and peer-support "
                "facilitators. Today: groups and members, preparing a session with the "
                "facilitator's checklist, a device check, a lobby where you see and admit "
                "people, a confidentiality checklist each participant answers that decides "
                "admission (answers kept, identity verified, admitting anyway with a reason), "
                "a video grid with chat, speaking turns (hands in order, the floor "
                "with a timer, talk time, rounds, co-facilitation), a discreet safety signal "
                "that can be withdrawn (followed up in the facilitator's Safety tab), a crisis "
                "panel with a private side room, and an encrypted session log that stays on "
                "this computer, with notes after each session (templates with the session's "
                "facts, autosaved, signed, with dated addenda), attendance over time, note "
                "search, the record exported to PDF, and auto-lock; usable by keyboard and "
                "screen reader, with a test call for participants, a security code to "
                "compare aloud, a relay-only privacy option, screen, window and document "
                "sharing, larger groups through the organisation's media server (SFU, not "
                "end-to-end encrypted), and installers for administrators (Linux packages "
                "and a Windows MSI, with policy templates)."
                "\n\nNot there yet: end-to-end encryption in rooms through the media server."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def ask_quit(self) -> None:
        """Ask whether to end the live session (leave it, as a participant) and quit.

        The box does not block the loop: the session goes on while it is open.
        """
        if self.quit_question is not None:
            self.quit_question.retranslate()  # the counts as they are now
            self.quit_question.raise_()
            return
        box = QuitQuestion(self.live, self)
        self.quit_question = box
        box.finished.connect(lambda _result: self._quit_answered(box))
        box.open()

    def _quit_answered(self, box: QuitQuestion) -> None:
        self.quit_question = None
        box.deleteLater()
        if box.ends():
            spawn(self._end_and_close())

    async def _end_and_close(self) -> None:
        """End the session for everyone (or leave it), then close the window."""
        await self.live.end()
        self.close()

    async def _keep_notes_and_close(self) -> None:
        await self.notes_page.leave()
        self.close()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self.quit_question is not None:
                self.quit_question.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 -- Qt's name
        """Ask first during a live session (closing would end it for everyone); else
        release the devices and tell the application the window is gone (it closes the log).
        """
        if quitting_ends_something(self.live):
            event.ignore()
            self.ask_quit()
            return
        if self.notes_page.writing:  # keep the note being written, then close
            event.ignore()
            spawn(self._keep_notes_and_close())
            return
        super().closeEvent(event)
        if event.isAccepted():
            self.devices_page.devices.close()
            self.audio.close()
            self.closed.emit()

    def _show_stage(self) -> None:
        is_open = self.workspace.stage is Stage.OPEN
        if self.pages.currentWidget() is self.live_page and self.live.stage is not LiveStage.IDLE:
            self._update_actions()
            return
        if not is_open:
            self.pages.setCurrentWidget(self.unlock_page)
            if self.note_search is not None:  # the log closed: nothing of the notes stays
                self.note_search.reject()
        elif self.pages.currentWidget() is self.unlock_page:
            self.pages.setCurrentWidget(self.home_page)
        self._update_actions()

    def _update_actions(self) -> None:
        is_open = self.workspace.stage is Stage.OPEN
        page = self.pages.currentWidget()
        self._fill_live_menu(page is self.live_page)
        group = self.workspace.selected_group() if is_open else None
        on_home = page is self.home_page
        live = page is self.live_page
        self.new_group_action.setEnabled(is_open and not live)
        self.join_action.setEnabled(not self.live.active)
        self.add_member_action.setEnabled(on_home and group is not None and not group.archived)
        self.edit_group_action.setEnabled(on_home and group is not None)
        self.archive_group_action.setEnabled(on_home and group is not None)
        self.prepare_action.setEnabled(is_open and bool(self.workspace.groups) and not live)
        self.submit_action.setEnabled(page is self.prepare_page)
        self.search_notes_action.setEnabled(is_open)
        self.devices_action.setEnabled(is_open and not live)
        self.test_sound_action.setEnabled(page is self.devices_page)
        self.back_action.setEnabled(page in (self.prepare_page, self.devices_page, self.notes_page))
        on_notes = page is self.notes_page
        self.export_session_action.setEnabled(
            (on_home or on_notes) and is_open and self.selected_past_session() is not None
        )
        self.export_member_action.setEnabled(
            (on_home or on_notes) and is_open and self.selected_member() is not None
        )
        if group is not None and group.archived:
            self.archive_group_action.setText(self.tr("&Restore group"))
        else:
            self.archive_group_action.setText(self.tr("&Archive group"))

    def _check_language(self, lang: str) -> None:
        action = self.language_actions.get(lang)
        if action is not None:
            action.setChecked(True)

    def _screens(self) -> list[tuple[QWidget, str]]:
        """The pages, named for the keyboard shortcuts sheet."""
        return [
            (self.home_page, self.tr("Groups (home)")),
            (self.prepare_page, self.tr("Prepare a session")),
            (self.devices_page, self.tr("Camera and microphone")),
            (self.live_page, self.tr("Live session")),
            (self.notes_page, self.tr("Notes")),
        ]

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("GroupDesk"))
        self.file_menu.setTitle(self.tr("&File"))
        self.new_group_action.setText(self.tr("&New group"))
        self.join_action.setText(self.tr("&Join a session as participant…"))
        self.export_session_action.setText(self.tr("&Export session record to PDF…"))
        self.export_member_action.setText(self.tr("Export &member's history to PDF…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.group_menu.setTitle(self.tr("&Group"))
        self.add_member_action.setText(self.tr("Add &member…"))
        self.edit_group_action.setText(self.tr("&Edit group…"))
        self.session_menu.setTitle(self.tr("&Session"))
        self.prepare_action.setText(self.tr("&Prepare a session…"))
        self.submit_action.setText(self.tr("Sa&ve the prepared session"))
        self.devices_action.setText(self.tr("&Test camera and microphone…"))
        self.test_sound_action.setText(self.tr("Play a test &sound"))
        self.back_action.setText(self.tr("&Back"))
        self.search_notes_action.setText(self.tr("Search &notes…"))
        self.live_menu.setTitle(self.tr("Li&ve"))
        self.context_menu_action.setText(self.tr("Menu of the item with the focus"))
        self._update_actions()
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About GroupDesk"))
        self.guidelines_action.setText(self.tr("Your &organisation's guidelines…"))
        self.policy_problems_action.setText(self.tr("Organisation &policy problems…"))
        if self.language_managed_note is not None:
            self.language_managed_note.setText(managed_text())
        self.capture.retranslate()
        self.shortcuts_help.retranslate()
