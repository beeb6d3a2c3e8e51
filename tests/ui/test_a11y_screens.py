"""Every screen, in English and French: one Alt+letter per control, and every control has a
name and a role a screen reader can say (asked of Qt's accessibility, as the platform does)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from a11y_walk import accessibility_findings, menu_clashes, mnemonic, mnemonic_clashes
from live_helpers import knock, synthetic
from page_helpers import select_group, wait_for
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ui_helpers import Run, Windows, next_emission

from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.join_dialog import JoinDialog
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.records.note_search import NoteSearchDialog
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow


def test_mnemonic_parsing() -> None:
    assert mnemonic("&Ouvrir la salle") == "o"
    assert mnemonic("Notes && &Dossiers") == "d"
    assert mnemonic("Questions && réponses") is None
    assert mnemonic("Fin&") is None


def test_the_walk_sees_a_clash_and_a_nameless_control(qtbot: Any) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    label = QLabel("M&odalité :", box)
    combo = QComboBox(box)
    label.setBuddy(combo)
    bare = QLineEdit(box)  # no label, no name
    for widget in (label, combo, QPushButton("&Ouvrir la salle", box), bare):
        layout.addWidget(widget)
    box.show()
    assert mnemonic_clashes(box) == ["Alt+O: QLabel 'M&odalité :' / QPushButton '&Ouvrir la salle'"]
    assert accessibility_findings(box) == ["QLineEdit(?) in QWidget: no name"]
    bare.setAccessibleName("Nom")
    assert accessibility_findings(box) == []


async def _seed(windows: Windows) -> tuple[int, int, int]:
    """A group of two, a past session (for notes) and one now (for the room)."""
    log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
    try:
        group = await log.create_group("Proches aidants", "Le mardi soir")
        people = [await log.add_member(group.id, name) for name in ("Ana", "Ben")]
        ids = [m.id for m in people]
        past_start = datetime.now(UTC) - timedelta(days=7)
        past = await log.create_session(
            group.id, past_start, past_start + timedelta(hours=2), expected_member_ids=ids
        )
        await log.start_session(past.id, past_start)
        await log.record_join(past.id, ids[0], past_start)
        await log.end_session(past.id, past_start + timedelta(hours=2))
        start = datetime.now(UTC)
        now = await log.create_session(
            group.id,
            start,
            start + timedelta(hours=2),
            facilitators=["Julie Tremblay"],
            expected_member_ids=ids,
        )
        return group.id, past.id, now.id
    finally:
        await log.close()


async def _settle() -> None:
    """Let posted events (language change, layouts) and the loop's callbacks run."""
    QApplication.sendPostedEvents()
    for _ in range(3):
        await asyncio.sleep(0)


async def _check(findings: dict[str, list[str]], screen: str, window: QWidget) -> None:
    await _settle()
    found = mnemonic_clashes(window) + accessibility_findings(window)
    if found:
        findings[screen] = found


def _open_dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    shown = [d for d in window.findChildren(kind) if d.isVisible()]
    assert shown, f"no {kind.__name__} shown"
    return shown[-1]


async def _walk(
    window: MainWindow, group_id: int, past_id: int, now_id: int
) -> dict[str, list[str]]:
    findings: dict[str, list[str]] = {}
    menus = menu_clashes(window.menuBar())
    if menus:
        findings["menus"] = menus
    select_group(window, group_id)
    await next_emission(window.workspace.members_changed)
    await _check(findings, "home", window)

    dialogs: list[tuple[str, Callable[[], None], Callable[[], QDialog]]] = [
        (
            "group dialog",
            window.edit_group_action.trigger,
            lambda: window.home_page.group_header.dialog,
        ),
        (
            "member dialog",
            window.add_member_action.trigger,
            lambda: window.home_page.members.dialog,
        ),
        ("join dialog", window.join_action.trigger, lambda: _open_dialog(window, JoinDialog)),
    ]
    for name, opener, dialog_of in dialogs:
        opener()
        await _settle()
        dialog = dialog_of()
        await wait_for(dialog.isVisible)
        await _check(findings, name, dialog)
        dialog.reject()

    window.show_prepare()
    await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
    # As after "Prepare session": "Open the room" joins the page's buttons.
    window.prepare_page.open_room_button.show()
    await _check(findings, "prepare", window)
    window.show_devices()
    await wait_for(lambda: window.pages.currentWidget() is window.devices_page)
    await _check(findings, "devices", window)
    window.show_home()

    assert await window.open_notes_now(past_id)
    await _check(findings, "notes", window)
    window.show_home()

    window.search_notes()
    search = window.note_search
    assert isinstance(search, NoteSearchDialog)
    await wait_for(search.isVisible)
    await _check(findings, "search dialog", search)
    search.reject()
    await _settle()

    window.live_sources = synthetic("Julie Tremblay", 9)
    assert await window.open_room_now(now_id)
    await _check(findings, "live", window)
    page = window.live_page
    peer = await knock(window.live.invite, "Ana")
    try:
        await wait_for(lambda: len(page.lobby.entries) == 1)
        page.side_tabs.setCurrentWidget(page.lobby)
        await _check(findings, "live, someone waiting", window)
        await window.live.admit_all()
        await wait_for(lambda: len(page.grid.visible_tiles()) >= 2)
        await _check(findings, "live, with a member", window)
    finally:
        await peer.close()
    await window.live.end()
    await wait_for(lambda: window.live_page.stack.currentWidget() is window.live_page.over)
    await _check(findings, "live, after the end", window)
    return findings


@pytest.mark.parametrize("lang", ["en", "fr_CA"])
def test_every_screen_has_unique_mnemonics_and_named_controls(
    run: Run[Any], windows: Windows, memory_keyring: Any, lang: str
) -> None:
    async def scenario() -> None:
        group_id, past_id, now_id = await _seed(windows)
        window = windows.open()
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        window.language_actions[lang].trigger()
        await _settle()
        try:
            findings = await _walk(window, group_id, past_id, now_id)
        finally:
            await window.live.close()
            await windows.close_all()
        assert findings == {}, "\n".join(f"{k}: {v}" for k, vs in findings.items() for v in vs)

    run(scenario())


def test_the_main_action_of_each_dialog_is_the_default_button(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group_id, _past, _now = await _seed(windows)
        window = windows.open()
        await window.workspace.start()
        select_group(window, group_id)
        await next_emission(window.workspace.members_changed)
        for dialog in (window.home_page.group_header.dialog, window.home_page.members.dialog):
            defaults = [
                b for b in dialog.findChildren(QPushButton) if b.isDefault() or b.autoDefault()
            ]
            assert defaults, type(dialog).__name__
        await windows.close_all()

    run(scenario())
