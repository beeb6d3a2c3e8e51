"""Auto-lock: idle minutes or Ctrl+L close the log and hide every name; unlocking returns."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from live_helpers import prepared_log, synthetic
from page_helpers import wait_for
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from ui_helpers import WINDOWS_CLOCK, Run, Windows, until

from groupdesk.core.policy import default_user_file
from groupdesk.sessionlog import KeyStore, LogLocked, SessionLog, WrongPassphrase
from groupdesk.ui.access.auto_lock import LOCK_SHORTCUT
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.workspace import Stage, Workspace

PASSPHRASE = "correct horse battery staple"
GROUP = "Cercle des proches aidants"
MEMBERS = ("Geneviève Tremblay", "Louis-Philippe Gagnon")
DRAFT = "Brouillon confidentiel : Geneviève a parlé de son père."


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class DraftPage(QWidget):
    """A page with unsaved text, as the notes screen will be: it saves before the lock."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.editor = QPlainTextEdit(self)
        QVBoxLayout(self).addWidget(self.editor)
        self.log_open_when_saving: bool | None = None

    async def before_lock(self) -> None:
        log_ = self.window_.workspace.log
        assert log_ is not None
        self.log_open_when_saving = not log_.closed
        group_id = self.window_.workspace.selected_group_id
        assert group_id is not None
        await log_.add_note(group_id, self.editor.toPlainText())
        self.editor.clear()

    async def after_unlock(self) -> None:
        log_ = self.window_.workspace.log
        assert log_ is not None
        found = await log_.search_notes("Brouillon")
        self.editor.setPlainText(found[-1].body)


async def _seed(data_dir: Path, passphrase: str | None) -> tuple[int, list[int]]:
    """A log (under ``passphrase``, else in the keyring) with one group and its members."""
    log_ = await SessionLog.open(data_dir, KeyStore(data_dir).create(passphrase=passphrase).key)
    try:
        group = await log_.create_group(GROUP, "Le mardi soir")
        members = [await log_.add_member(group.id, name) for name in MEMBERS]
        return group.id, [m.id for m in members]
    finally:
        await log_.close()


def _window(windows: Windows, clock: FakeClock, *, env_passphrase: str | None = None) -> MainWindow:
    workspace = Workspace(windows.data_dir, env_passphrase=env_passphrase, now=WINDOWS_CLOCK)
    window = MainWindow(workspace, windows.languages, settings=UserSettings(), idle_clock=clock)
    windows.qtbot.addWidget(window)
    window.show()
    windows.opened.append(window)
    return window


def _texts(window: MainWindow) -> list[str]:
    """Every text the window and its dialogs hold: labels, fields, buttons, lists, titles."""
    widgets: list[QWidget] = [window, *window.findChildren(QWidget)]
    widgets += [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    texts: list[str] = []
    for widget in widgets:
        texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            texts += [
                item.text()
                for row in range(widget.rowCount())
                for column in range(widget.columnCount())
                if (item := widget.item(row, column)) is not None
            ]
    return texts


def _confidential(window: MainWindow) -> list[str]:
    words = (GROUP, *MEMBERS, "Brouillon", "Le mardi soir")
    return [text for text in _texts(window) if any(word in text for word in words)]


def _emitted(signal: SignalInstance) -> asyncio.Future[None]:
    """A future the next emission of ``signal`` resolves (connected now, not later)."""
    fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def done(*_args: object) -> None:
        if not fut.done():
            fut.set_result(None)

    signal.connect(done)
    return fut


async def _open_on_group(window: MainWindow, group_id: int) -> None:
    await window.workspace.start()
    await until(window.workspace, lambda: window.workspace.stage is Stage.OPEN)
    await window.workspace.select_group(group_id)
    assert MEMBERS[0] in window.home_page.members.table.item(0, 0).text()


def test_idle_minutes_lock_hide_every_name_and_the_passphrase_brings_the_screen_back(
    run: Run[Any], windows: Windows, no_keyring: None, qtbot: Any
) -> None:
    async def scenario() -> None:
        group_id, _ = await _seed(windows.data_dir, PASSPHRASE)
        clock = FakeClock()
        window = _window(windows, clock, env_passphrase=PASSPHRASE)
        await _open_on_group(window, group_id)
        lock = window.auto_lock
        assert lock.idle.minutes == 10  # the policy's default
        assert _confidential(window)  # the names are on screen before the lock
        log_ = window.workspace.log
        assert log_ is not None

        clock.advance(9 * 60)
        assert not lock.check()
        qtbot.keyClick(window.home_page.members.table, Qt.Key.Key_Down)  # input: start again
        clock.advance(9 * 60)
        assert not lock.check()
        assert window.workspace.stage is Stage.OPEN  # 18 minutes, but never 10 idle

        locked = _emitted(lock.locked)
        clock.advance(60)
        assert lock.check()
        await asyncio.wait_for(locked, 10)

        assert log_.closed
        with pytest.raises(LogLocked):
            await log_.list_groups()
        assert window.workspace.log is None
        assert log_._store._key == bytearray(32)  # the long-lived key copy is overwritten
        assert window.pages.currentWidget() is window.unlock_page
        panel = window.unlock_page.passphrase_panel
        assert window.unlock_page.stack.currentWidget() is panel
        assert panel.passphrase.text() == ""
        assert _confidential(window) == []
        assert window.windowTitle() == "GroupDesk"

        # A wrong passphrase keeps it locked, and says so.
        qtbot.keyClicks(panel.passphrase, "not it")
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
        await until(window.workspace, lambda: window.workspace.error is not None)
        assert window.workspace.stage is Stage.PASSPHRASE
        assert window.workspace.log is None
        assert panel.message.text() == WrongPassphrase().message()
        assert _confidential(window) == []

        unlocked = _emitted(lock.unlocked)
        panel.passphrase.setText(PASSPHRASE)
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
        await asyncio.wait_for(unlocked, 20)
        assert window.pages.currentWidget() is window.home_page
        assert window.workspace.selected_group_id == group_id
        assert window.home_page.group_header.title.text() == GROUP
        assert MEMBERS[0] in window.home_page.members.table.item(0, 0).text()
        assert panel.passphrase.text() == ""
        await windows.close_all()

    run(scenario())


def _inputs() -> list[QEvent]:
    """A mouse move, a click, a wheel turn and a key press, as Qt delivers them."""
    pos, glob = QPointF(5, 5), QPointF(105, 105)
    none, left = Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton
    plain = Qt.KeyboardModifier.NoModifier
    return [
        QMouseEvent(QEvent.Type.MouseMove, pos, glob, none, none, plain),
        QMouseEvent(QEvent.Type.MouseButtonPress, pos, glob, left, left, plain),
        QWheelEvent(
            pos, glob, QPoint(), QPoint(0, 120), none, plain, Qt.ScrollPhase.NoScrollPhase, False
        ),
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, plain),
    ]


def test_any_mouse_move_click_wheel_or_key_postpones_the_lock(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group_id, _ = await _seed(windows.data_dir, None)
        clock = FakeClock()
        window = _window(windows, clock)
        await _open_on_group(window, group_id)
        for event in _inputs():
            clock.advance(9 * 60)
            QApplication.sendEvent(window.home_page, event)
            clock.advance(9 * 60)
            assert not window.auto_lock.check()
            assert window.workspace.stage is Stage.OPEN, event.type()
        locked = _emitted(window.auto_lock.locked)
        clock.advance(60)
        assert window.auto_lock.check()
        await asyncio.wait_for(locked, 10)
        await windows.close_all()

    run(scenario())


def test_ctrl_l_locks_at_once_and_the_keyring_unlock_returns_to_the_prepare_page(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group_id, member_ids = await _seed(windows.data_dir, None)
        window = _window(windows, FakeClock())
        await _open_on_group(window, group_id)
        prepare = window.prepare_page
        window.show_prepare()
        await wait_for(lambda: window.pages.currentWidget() is prepare)
        await wait_for(lambda: prepare.expected.count() == len(MEMBERS))
        assert prepare.group.currentText() == GROUP
        prepare.expected.item(1).setCheckState(Qt.CheckState.Unchecked)
        kept = prepare.expected_ids()
        assert len(kept) == 1

        # Ctrl+L is the lock's, and nothing else's in the window.
        lock_action = window.auto_lock.lock_action
        assert lock_action.shortcut() == LOCK_SHORTCUT == QKeySequence("Ctrl+L")
        others = [
            a
            for a in window.findChildren(QAction)
            if a is not lock_action and a.shortcut() == LOCK_SHORTCUT
        ]
        assert others == []
        assert lock_action in window.file_menu.actions()

        locked = _emitted(window.auto_lock.locked)
        lock_action.trigger()
        await asyncio.wait_for(locked, 10)
        assert window.workspace.stage is Stage.LOCKED  # the keyring does not reopen by itself
        assert window.unlock_page.stack.currentWidget() is window.unlock_page.locked_panel
        assert _confidential(window) == []
        assert not window.prepare_action.isEnabled()

        unlocked = _emitted(window.auto_lock.unlocked)
        qtbot.mouseClick(window.unlock_page.locked_panel.unlock_button, Qt.MouseButton.LeftButton)
        await asyncio.wait_for(unlocked, 20)
        assert window.pages.currentWidget() is prepare
        assert prepare.group.currentText() == GROUP
        assert prepare.group.currentData() == group_id
        assert prepare.expected_ids() == kept
        assert set(kept) <= set(member_ids)
        await windows.close_all()

    run(scenario())


def test_a_page_with_unsaved_text_saves_it_to_the_log_before_it_closes(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group_id, _ = await _seed(windows.data_dir, None)
        window = _window(windows, FakeClock())
        await _open_on_group(window, group_id)
        page = DraftPage(window)
        window.pages.addWidget(page)
        window.show_page(page)
        page.editor.setPlainText(DRAFT)

        locked = _emitted(window.auto_lock.locked)
        window.auto_lock.lock_now()
        await asyncio.wait_for(locked, 10)
        assert page.log_open_when_saving is True
        assert page.editor.toPlainText() == ""  # not kept in a plaintext buffer while locked
        assert _confidential(window) == []

        # The text is in the encrypted log: read it back with the key, as a second reader.
        reader = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).unlock())
        try:
            assert [n.body for n in await reader.search_notes("Brouillon")] == [DRAFT]
        finally:
            await reader.close()

        unlocked = _emitted(window.auto_lock.unlocked)
        window.unlock_page.locked_panel.submit()
        await asyncio.wait_for(unlocked, 20)
        assert window.pages.currentWidget() is page
        assert page.editor.toPlainText() == DRAFT
        await windows.close_all()

    run(scenario())


def test_a_managed_ceiling_of_5_wins_over_a_user_choice_of_30(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
        managed.mkdir(parents=True)
        (managed / "10-org.json").write_text(json.dumps({"auto_lock_minutes": 5}))
        user_file = default_user_file()
        user_file.parent.mkdir(parents=True, exist_ok=True)
        user_file.write_text(json.dumps({"auto_lock_minutes": 30}))

        group_id, _ = await _seed(windows.data_dir, None)
        clock = FakeClock()
        window = _window(windows, clock)
        await _open_on_group(window, group_id)
        lock = window.auto_lock
        assert lock.idle.minutes == 5
        assert not lock.delay_actions[30].isEnabled()  # the menu offers 5 at most
        assert lock.delay_actions[5].isChecked()

        clock.advance(5 * 60 - 1)
        assert not lock.check()
        assert window.workspace.stage is Stage.OPEN
        locked = _emitted(lock.locked)
        clock.advance(1)
        assert lock.check()
        await asyncio.wait_for(locked, 10)
        assert window.workspace.stage is Stage.LOCKED
        await windows.close_all()

    run(scenario())


def test_a_shorter_delay_chosen_in_the_menu_is_used_and_remembered(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group_id, _ = await _seed(windows.data_dir, None)
        clock = FakeClock()
        window = _window(windows, clock)
        await _open_on_group(window, group_id)
        lock = window.auto_lock
        lock.delay_actions[2].trigger()
        assert UserSettings().auto_lock_minutes() == 2
        assert lock.delay_actions[2].isChecked()
        locked = _emitted(lock.locked)
        clock.advance(2 * 60)
        assert lock.check()
        await asyncio.wait_for(locked, 10)
        await windows.close_all()

    run(scenario())


@pytest.mark.slow
def test_a_live_session_is_never_cut_by_the_lock_and_ctrl_l_says_why(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log_, session, _ = await prepared_log(windows.data_dir, ["Ana", "Ben"])
        await log_.close()
        clock = FakeClock()
        window = _window(windows, clock)
        await window.workspace.start()
        await until(window.workspace, lambda: window.workspace.stage is Stage.OPEN)
        window.live_sources = synthetic("Julie Tremblay", 9)
        assert await window.open_room_now(session.id)
        assert window.live.active
        lock = window.auto_lock

        clock.advance(3 * 3600)  # a long session, nobody touching the keyboard
        assert not lock.check()
        assert window.workspace.stage is Stage.OPEN
        assert window.pages.currentWidget() is window.live_page

        refused = _emitted(lock.refused)
        lock.lock_action.trigger()  # Ctrl+L
        await asyncio.wait_for(refused, 10)
        assert lock.refusal is not None
        assert lock.refusal.isVisible()
        assert "live session is under way" in lock.refusal.text()
        assert "End the session first" in lock.refusal.informativeText()
        windows.languages.set_language("fr_CA")
        assert "séance en direct est en cours" in lock.refusal.text()
        assert "Terminez d'abord la séance" in lock.refusal.informativeText()
        windows.languages.set_language("en")
        lock.refusal.accept()
        assert window.workspace.stage is Stage.OPEN
        assert window.workspace.log is not None
        assert not window.workspace.log.closed

        await window.live.end()
        assert not window.live.active
        assert not lock.check()  # the session's end starts the idle time again
        clock.advance(10 * 60 - 1)
        assert not lock.check()
        assert window.workspace.stage is Stage.OPEN
        locked = _emitted(lock.locked)
        clock.advance(1)
        assert lock.check()
        await asyncio.wait_for(locked, 10)
        assert window.workspace.stage is Stage.LOCKED
        names = ("Proches aidants", "Ana", "Ben")
        assert [t for t in _texts(window) if any(name in t for name in names)] == []
        await windows.close_all()

    run(scenario())
