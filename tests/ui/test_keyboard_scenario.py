"""A whole session run by keyboard only: unlock, a group and a member, prepare, open the
room, admit, ask to mute, pin, chat, end.

Every step is a key event sent where a keyboard sends it: to the widget that has the
focus (``QApplication.focusWidget()``), or to the open menu (a menu holds the keyboard
while it is open). The test checks at each step which widget has the focus and what the
screen shows. Real core objects: the SQLCipher log (opened with a passphrase), the
embedded server, a participant's app (``LiveSession``) over aiortc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from live_helpers import knock, synthetic
from live_helpers import wait_for as wait_live
from page_helpers import wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)
from ui_helpers import Run, Windows

from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.live_session import LiveStage
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.video_grid import VideoTile
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow

PASSPHRASE = "correct horse battery staple"
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
# A tile's menu opens as a popup: the offscreen platform has no window manager to raise it
# or give it the keyboard (the menu gets the keys all the same).
OFFSCREEN_POPUP = "^This plugin does not support (raise\\(\\)|grabbing the keyboard)$"


def keyboard() -> QWidget:
    """Where the next key goes: the open menu, else the widget with the focus."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None, "the keyboard reaches no widget"
    return target


def press(qtbot: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(keyboard(), key, modifiers)


def type_text(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(keyboard(), text)


def tab_until(qtbot: Any, found: Callable[[QWidget], bool], *, back: bool = False) -> QWidget:
    """Tab (Shift+Tab) until the focus is on a widget that ``found`` accepts; at most 80
    presses, and the focus must move each time."""
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    modifiers = Qt.KeyboardModifier.ShiftModifier if back else NONE
    for _ in range(80):
        focus = QApplication.focusWidget()
        if focus is not None and found(focus):
            return focus
        press(qtbot, key, modifiers)
    raise AssertionError(f"Tab never reached the widget (last: {QApplication.focusWidget()})")


def choose_in_menu(qtbot: Any, text: str) -> None:
    """Down through the open menu to ``text``, then Enter."""
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert text in texts, texts
    for _ in range(len(menu.actions()) + 1):
        current = menu.activeAction()
        if current is not None and current.text() == text:
            break
        press(qtbot, Qt.Key.Key_Down)
    chosen = menu.activeAction()
    assert chosen is not None
    assert chosen.text() == text
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.activePopupWidget() is None


async def activate(widget: QWidget) -> None:
    """What a window manager does for a window just shown (offscreen has none)."""
    widget.activateWindow()
    await wait_for(widget.isActiveWindow)


@pytest.mark.qt_log_ignore(OFFSCREEN_POPUP)
def test_a_whole_session_by_keyboard_only(
    run: Run[Any], windows: Windows, no_keyring: None, qtbot: Any
) -> None:
    async def scenario() -> None:
        new_key = KeyStore(windows.data_dir).create(passphrase=PASSPHRASE)
        await (await SessionLog.open(windows.data_dir, new_key.key)).close()
        window = windows.open()
        await window.workspace.start()
        await activate(window)
        await unlock(window)
        await create_group_and_member(window)
        await prepare_and_open_the_room(window)
        await run_the_session(window)

    async def unlock(window: MainWindow) -> None:
        panel = window.unlock_page.passphrase_panel
        assert window.unlock_page.stack.currentWidget() is panel
        assert keyboard() is panel.passphrase  # the cursor waits in the passphrase
        type_text(qtbot, PASSPHRASE)
        press(qtbot, Qt.Key.Key_Return)
        await wait_for(lambda: window.workspace.stage is Stage.OPEN)
        assert window.pages.currentWidget() is window.home_page
        assert window.isAncestorOf(QApplication.focusWidget())

    async def create_group_and_member(window: MainWindow) -> None:
        home = window.home_page
        press(qtbot, Qt.Key.Key_N, CTRL)  # New group
        assert keyboard() is home.new_group_name
        type_text(qtbot, "Proches aidants")
        press(qtbot, Qt.Key.Key_Return)
        await wait_for(lambda: [g.name for g in window.workspace.groups] == ["Proches aidants"])
        await wait_for(window.add_member_action.isEnabled)  # the new group is chosen

        press(qtbot, Qt.Key.Key_N, CTRL_SHIFT)  # Add member
        form = home.members.dialog
        await wait_for(form.isVisible)
        await activate(form)
        assert keyboard() is form.display_name
        type_text(qtbot, "Ana")
        press(qtbot, Qt.Key.Key_Return)  # the default button: Save
        await wait_for(lambda: not form.isVisible())
        await wait_for(lambda: home.members.table.rowCount() == 1)
        assert home.members.table.item(0, 0).text() == "Ana"
        await activate(window)
        assert window.isAncestorOf(QApplication.focusWidget())

    async def prepare_and_open_the_room(window: MainWindow) -> None:
        page = window.prepare_page
        press(qtbot, Qt.Key.Key_P, CTRL)  # Prepare a session
        await wait_for(lambda: window.pages.currentWidget() is page)
        assert keyboard() is page.facilitator
        type_text(qtbot, "Julie Tremblay")
        assert page.expected_ids() != ()  # Ana, a remote member, is expected
        # The facilitator's checklist: Tab to each box, Space to check it.
        boxes = list(page.checks.values())
        for _ in boxes:
            box = tab_until(qtbot, lambda w: w in boxes and not w.isChecked())  # type: ignore[attr-defined]
            assert isinstance(box, QCheckBox)
            press(qtbot, Qt.Key.Key_Space)
            assert box.isChecked()
        press(qtbot, Qt.Key.Key_Return, CTRL)  # Save the prepared session
        await wait_for(page.open_room_button.isVisible)
        assert "Session prepared" in page.result.text()
        # The next step has the focus: Space opens the room.
        assert keyboard() is page.open_room_button
        window.live_sources = synthetic("Julie Tremblay", 9)
        press(qtbot, Qt.Key.Key_Space)
        live = window.live
        await wait_live(lambda: live.stage is LiveStage.LIVE)
        assert window.pages.currentWidget() is window.live_page
        assert window.live_page.isAncestorOf(QApplication.focusWidget())

    async def run_the_session(window: MainWindow) -> None:
        page, live = window.live_page, window.live
        ana = await knock(live.invite, "Ana", seed=2)
        try:
            await wait_live(lambda: len(page.lobby.entries) == 1)
            assert "(1)" in page.side_tabs.tabText(page.side_tabs.indexOf(page.lobby))
            # Admit: Ctrl+Shift+A, wherever the focus is.
            press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
            await wait_live(lambda: ana.stage is LiveStage.LIVE and len(page.grid.tiles) == 2)
            assert window.isAncestorOf(QApplication.focusWidget())  # not lost with the entry

            # Ana's tile: Tab to it, Shift+F10 for its menu, "Ask to mute".
            seat = ana.self_seat
            tab_until(qtbot, lambda w: isinstance(w, VideoTile) and w.member.seat == seat)
            assert "Ana" in keyboard().accessibleName()
            press(qtbot, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
            choose_in_menu(qtbot, "Ask to mute")
            await activate(window)  # the menu closed: the window has the keyboard again
            await wait_live(lambda: ana.muted and ana.mute_requested)
            assert keyboard() is page.grid.tiles[seat]  # back on the tile
            # Pin it, by the same menu.
            press(qtbot, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
            choose_in_menu(qtbot, "Pin for me")
            await activate(window)
            assert page.grid.pinned == seat
            assert keyboard() is page.grid.tiles[seat]

            # Chat: Ctrl+Shift+M puts the cursor in the chat, Enter sends.
            press(qtbot, Qt.Key.Key_M, CTRL_SHIFT)
            assert keyboard() is page.chat.text
            assert isinstance(keyboard(), QLineEdit)
            assert page.side_tabs.currentWidget() is page.chat
            type_text(qtbot, "Bienvenue Ana")
            press(qtbot, Qt.Key.Key_Return)
            await wait_live(lambda: any("Bienvenue Ana" in line.text for line in ana.chat))
            lines = page.chat.lines
            assert "Bienvenue Ana" in lines.item(lines.count() - 1).text()
            assert keyboard() is page.chat.text  # ready for the next line

            # End: Ctrl+Shift+E asks; Tab to "Yes", Space.
            press(qtbot, Qt.Key.Key_E, CTRL_SHIFT)
            box = page.findChild(QMessageBox)
            assert box is not None
            await activate(box)
            yes = box.button(QMessageBox.StandardButton.Yes)
            assert keyboard() is box.button(QMessageBox.StandardButton.Cancel)  # the safe default
            tab_until(qtbot, lambda w: w is yes)
            assert isinstance(keyboard(), QAbstractButton)
            press(qtbot, Qt.Key.Key_Space)
            await wait_live(lambda: live.stage is LiveStage.ENDED)
            await wait_live(lambda: ana.stage is LiveStage.ENDED)
            assert page.stack.currentWidget() is page.over
            await activate(window)
            assert keyboard() is page.notes_button  # the next step: write the notes
            stays = [page.attendance.item(i).text() for i in range(page.attendance.count())]
            assert [s.split(":")[0] for s in stays] == ["Ana"]
        finally:
            await ana.close()
            await live.close()
            await windows.close_all()

    run(scenario())
