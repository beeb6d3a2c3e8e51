"""Keys of the main window: the live commands work wherever the focus is while the live
screen is shown, each key has one meaning in the whole app, and typing never reaches a
menu (Escape from a menu gives the keyboard back)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QMessageBox, QWidget
from ui_helpers import Run, Windows

from groupdesk.core.session.room_state import LiveStage
from groupdesk.ui.main_window import MainWindow

#: A French pangram (every letter of the alphabet), with capitals, digits and punctuation.
SENTENCE = "Portez ce vieux whisky au juge blond qui fume, LE MARDI à 19 h : merci!"


def type_key(widget: QWidget, char: str) -> None:
    """Press and release the key of ``char`` on ``widget`` (accented letters too, which
    ``QTest.keyClicks`` cannot type)."""
    shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() else Qt.KeyboardModifier(0)
    key = Qt.Key(ord(char.upper()))  # Qt's key codes are Latin-1's capitals
    QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, char, shift)


def _reachable(action: QAction) -> bool:
    """Whether Qt would answer the action's keys now (as Qt decides: a widget it is on is
    visible and enabled; a menu counts through the menu bar holding it)."""
    for thing in action.associatedObjects():
        if isinstance(thing, QMenu):
            holders = thing.menuAction().associatedObjects()
            if any(isinstance(h, QMenuBar) and h.isVisible() for h in holders):
                return True
        elif isinstance(thing, QWidget) and thing.isVisible() and thing.isEnabled():
            return True
    return False


def _keys_now(window: MainWindow) -> dict[str, list[QAction]]:
    """Each key sequence the window answers now, with the enabled actions it triggers."""
    keys: dict[str, list[QAction]] = defaultdict(list)
    for action in set(window.findChildren(QAction)):
        if action.isEnabled() and _reachable(action):
            for sequence in action.shortcuts():
                if not sequence.isEmpty():
                    keys[sequence.toString()].append(action)
    return keys


async def _activate(window: MainWindow) -> None:
    window.activateWindow()
    await wait_for(window.isActiveWindow)


def _show_live_as(window: MainWindow, role: str) -> None:
    """The live screen of a session that runs (the room itself is not needed here)."""
    window.live.room.start(role)  # type: ignore[arg-type]
    window.live.room.set_stage(LiveStage.LIVE)
    window.show_live()
    window.live_page.show_state()


def _stop_live(window: MainWindow) -> None:
    window.live.room.set_stage(LiveStage.IDLE)
    window.live_page.show_state()
    window.leave_live()


def test_one_meaning_per_key_in_every_state(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group, _ = await seed_log(windows, members=2)
        window = await open_window(windows)
        select_group(window, group.id)
        await wait_for(window.add_member_action.isEnabled)
        states: dict[str, dict[str, list[QAction]]] = {"home": _keys_now(window)}
        window.show_prepare()
        await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
        states["prepare"] = _keys_now(window)
        window.show_home()
        for role in ("facilitator", "participant"):
            _show_live_as(window, role)
            states[f"live as {role}"] = _keys_now(window)
            _stop_live(window)
        [past] = [s for s in window.workspace.sessions if s.actual_start is not None]
        assert await window.open_notes_now(past.id)
        states["notes"] = _keys_now(window)

        assert "Ctrl+M" in states["live as facilitator"]  # mute
        # Each role has its commands: admit and crisis for the facilitator, the hand for
        # a participant; none of them at home or on the notes page.
        assert {"Ctrl+Shift+A", "Ctrl+Shift+K"} <= set(states["live as facilitator"])
        assert "Ctrl+K" not in states["live as facilitator"]
        assert "Ctrl+K" in states["live as participant"]
        assert "Ctrl+Shift+A" not in states["live as participant"]
        for state in ("home", "prepare", "notes"):
            assert not {"Ctrl+M", "Ctrl+Shift+E", "Ctrl+Shift+A"} & set(states[state])
        assert "Ctrl+Shift+N" in states["home"]  # add member
        meanings: dict[str, set[int]] = defaultdict(set)
        for state, keys in states.items():
            for key, actions in keys.items():
                assert len(actions) == 1, f"{key} does {[a.text() for a in actions]} ({state})"
                meanings[key].add(id(actions[0]))
        shared = {key: len(ids) for key, ids in meanings.items() if len(ids) > 1}
        assert shared == {}, f"keys with two meanings: {shared}"
        await windows.close_all()

    run(scenario())


def test_live_keys_work_wherever_the_focus_is_and_the_live_menu_holds_them(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, _ = await seed_log(windows, members=1)
        window = await open_window(windows)
        select_group(window, group.id)
        await _activate(window)
        page = window.live_page
        assert not window.live_menu.menuAction().isVisible()  # no Live menu at home
        shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_E, shift_ctrl)
        assert page.findChild(QMessageBox) is None  # Ctrl+Shift+E does nothing at home

        _show_live_as(window, "facilitator")
        menu = [a.text() for a in window.live_menu.actions() if not a.isSeparator()]
        assert window.live_menu.menuAction().isVisible()
        assert window.live_menu.title() == "Li&ve"
        assert menu[:4] == [
            "&Mute or unmute my microphone",
            "Turn my &camera off or on",
            "&Raise or lower my hand",
            "&Hide or show my own video",
        ]
        assert "&Admit everyone who is ready" in menu
        assert "Next speaker" in menu  # F8, the turns panel's own action
        assert "Crisis &panel of the chosen member…" in menu
        assert menu[-1] == "&End the session…"
        hand = page.shortcut_actions["hand"]
        assert not hand.isEnabled()  # the facilitator has no hand to raise

        # The focus outside the live page (on the window itself, as after "Admit all"
        # hid the button that had it): the end key still asks.
        window.setFocus()
        assert not page.isAncestorOf(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, shift_ctrl)
        box = page.findChild(QMessageBox)
        assert box is not None
        assert box.text() == "End the session for everyone?"
        box.reject()
        box.deleteLater()
        _stop_live(window)
        assert not window.live_menu.menuAction().isVisible()
        assert window.live_menu.actions() == []
        await windows.close_all()

    run(scenario())


# A menu opens as a popup: the offscreen platform has no window manager to raise it or
# give it the keyboard (the menu gets the keys all the same).
OFFSCREEN_POPUP = "^This plugin does not support (raise\\(\\)|grabbing the keyboard)$"


@pytest.mark.qt_log_ignore(OFFSCREEN_POPUP)
def test_typing_after_a_menu_never_triggers_menu_commands(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, _ = await seed_log(windows, members=1)
        window = await open_window(windows)
        select_group(window, group.id)
        await _activate(window)
        _show_live_as(window, "facilitator")
        page = window.live_page
        fired: list[str] = []
        for action in set(window.findChildren(QAction)):
            action.triggered.connect(lambda _on=False, a=action: fired.append(a.text()))
        page.focus_chat()
        box = page.chat.text
        assert QApplication.focusWidget() is box

        # Alt opens the menu bar, Down the first menu, Escape closes it: back in the box.
        qtbot.keyClick(box, Qt.Key.Key_Alt)
        assert isinstance(QApplication.focusWidget(), QMenuBar)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        await wait_for(lambda: window.focusWidget() is box)
        # (The offscreen platform leaves the closed menu as the active window, where a
        # window manager gives the window back its activation: do so.)
        await _activate(window)
        assert QApplication.focusWidget() is box
        # Alt then Escape, without opening a menu: back in the box too.
        qtbot.keyClick(box, Qt.Key.Key_Alt)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        await wait_for(lambda: QApplication.focusWidget() is box)

        for letter in SENTENCE:  # each key to the widget that has the focus then
            type_key(QApplication.focusWidget(), letter)
        assert box.text() == SENTENCE
        assert QApplication.focusWidget() is box
        assert QApplication.activePopupWidget() is None
        assert fired == []
        assert window.languages.language() == "en"
        assert window.language_actions["en"].isChecked()
        _stop_live(window)
        await windows.close_all()

    run(scenario())
