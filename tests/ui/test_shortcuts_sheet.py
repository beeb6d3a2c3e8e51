"""F1 (or "?" outside a text field) opens the sheet of every keyboard shortcut, from the
window's real actions, in the app's language; Escape closes it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from a11y_walk import accessibility_findings
from live_helpers import prepared_log, synthetic
from page_helpers import select_group, wait_for
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from ui_helpers import Run, Windows, next_emission

from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.shortcuts_sheet import ShortcutsSheet, plain_text

pytestmark = pytest.mark.slow


def test_plain_text_reads_a_menu_text() -> None:
    assert plain_text("&Notes && dossiers…") == "Notes & dossiers"


async def _settle() -> None:
    QApplication.sendPostedEvents()
    for _ in range(3):
        await asyncio.sleep(0)


async def _press(qtbot: Any, widget: QWidget, key: Qt.Key | str) -> None:
    """Press ``key`` with the focus on ``widget``, its window active (as a person would)."""
    widget.window().activateWindow()
    await wait_for(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(widget, key)
    await _settle()


def _sheet(window: MainWindow) -> ShortcutsSheet | None:
    sheet = window.shortcuts_help.sheet
    return sheet if sheet is not None and sheet.isVisible() else None


Lines = list[tuple[str, str, str]]


async def _open_close_with_keys(
    qtbot: Any, window: MainWindow, where: QWidget
) -> tuple[str, Lines]:
    """F1 on ``where`` shows the sheet; it lists every enabled action; Escape closes it."""
    await _press(qtbot, where, Qt.Key.Key_F1)
    sheet = _sheet(window)
    assert sheet is not None, f"F1 did nothing on {type(where).__name__}"
    title, lines = sheet.windowTitle(), sheet.lines_shown()
    shown = {(command, keys) for _group, command, keys in lines}
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(QAction):
        if action.isEnabled() and not action.shortcut().isEmpty():
            keys = ", ".join(k.toString(native) for k in action.shortcuts())
            assert plain_text(action.text()), f"an action on {keys} has no text"
            assert (plain_text(action.text()), keys) in shown
    assert accessibility_findings(sheet) == []
    await _press(qtbot, sheet.tree, Qt.Key.Key_Escape)
    await wait_for(lambda: _sheet(window) is None)
    return title, lines


def test_f1_lists_every_shortcut_on_every_screen_in_both_languages(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _members = await prepared_log(windows.data_dir, ["Ana", "Ben"])
        group_id = session.group_id
        await log.close()
        window = windows.open()
        await window.workspace.start()
        select_group(window, group_id)
        await next_emission(window.workspace.members_changed)
        home = window.home_page
        _title, lines = await _open_close_with_keys(qtbot, window, home.groups.list)
        assert {"File", "Group", "Session", "Help"} <= {group for group, _c, _k in lines}
        assert ("File", "New group", "Ctrl+N") in lines
        await _open_close_with_keys(qtbot, window, home.groups.list)

        # "?" typed in a text field is a "?"; elsewhere it opens the sheet.
        await _press(qtbot, home.new_group_name, "?")
        assert home.new_group_name.text() == "?"
        assert _sheet(window) is None
        await _press(qtbot, home.groups.list, "?")
        assert _sheet(window) is not None
        sheet = _sheet(window)
        assert sheet is not None
        await _press(qtbot, sheet.tree, Qt.Key.Key_Escape)

        window.language_actions["fr_CA"].trigger()
        await _settle()
        window.show_prepare()
        await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
        title, lines = await _open_close_with_keys(qtbot, window, window.prepare_page.back_button)
        assert title == "Raccourcis clavier"
        assert ("Fichier", "Nouveau groupe", "Ctrl+N") in lines
        assert any(a == "Aide" and b == "Raccourcis clavier" for a, b, _c in lines)

        window.show_devices()
        await wait_for(lambda: window.pages.currentWidget() is window.devices_page)
        await _open_close_with_keys(qtbot, window, window.devices_page.camera)
        window.show_home()
        assert await window.open_notes_now(session.id)
        await _open_close_with_keys(qtbot, window, window.notes_page.back_button)
        window.show_home()

        window.live_sources = synthetic("Julie Tremblay", 9)
        assert await window.open_room_now(session.id)
        page = window.live_page
        try:
            _title, lines = await _open_close_with_keys(qtbot, window, page.mute_button)
            live_lines = [(c, k) for g, c, k in lines if g == "Séance en direct"]
            assert ("Couper ou rétablir mon micro", "Ctrl+M") in live_lines
            assert ("Écrire dans le clavardage", "Ctrl+Maj+M") in live_lines  # keys in French
            await _press(qtbot, page.chat.text, "?")  # a question in the chat stays one
            assert page.chat.text.text() == "?"
            assert _sheet(window) is None
            # The camera button says what it does.
            assert page.camera_button.text() == "Éteindre la caméra"
            page.camera_button.click()
            await wait_for(lambda: page.camera_button.text() == "Allumer la caméra")
        finally:
            await window.live.close()
            await windows.close_all()

    run(scenario())
