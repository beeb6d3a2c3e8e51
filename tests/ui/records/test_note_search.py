"""Searching the notes: French words found with or without their accents, filters by
group, member and dates, excerpts with the words in bold, a result opened at the hit;
what the dialog says with no words, no note found, or a log that fails. A real SQLCipher
log, two groups, members, sessions on different days."""

from __future__ import annotations

import asyncio
import inspect
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from ui_helpers import Run, Windows, next_emission

from groupdesk.core.models import Note
from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.sessionlog.errors import DatabaseDamaged
from groupdesk.ui.records.note_search import NoteSearchDialog
from groupdesk.ui.records.rich_list import HTML_ROLE
from groupdesk.ui.workspace import Stage

#: 18:00 UTC on each session's day; the second group's session is at 02:00 UTC, the
#: evening before in Montréal (UTC-5).
OCT_6 = datetime(2026, 10, 6, 18, 0, tzinfo=UTC)
NOV_3 = datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
NOV_11_UTC = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)
MONTREAL = timezone(timedelta(hours=-5))


@pytest.fixture(autouse=True)
def _in_english(languages: Any) -> Any:
    """As in the app, a language is chosen (its locale sorts names and writes dates)."""
    return languages


@dataclass
class Seeded:
    """What the log holds: ids of the groups, members, sessions and notes."""

    log: SessionLog
    aidants: int
    deuil: int
    elise: int
    marc: int
    josee: int
    oct_6: int
    nov_3: int
    nov_10: int
    notes: dict[str, Note]


async def _seed(log: SessionLog) -> Seeded:
    aidants = await log.create_group("Proches aidants", "Le mardi soir")
    deuil = await log.create_group("Deuil", "")
    elise = await log.add_member(aidants.id, "Élise Côté")
    marc = await log.add_member(aidants.id, "Marc Tremblay")
    josee = await log.add_member(deuil.id, "Josée Gagnon")
    sessions = {}
    for name, group, start in (
        ("oct_6", aidants, OCT_6),
        ("nov_3", aidants, NOV_3),
        ("nov_10", deuil, NOV_11_UTC),
    ):
        session = await log.create_session(group.id, start, start + timedelta(hours=2))
        await log.start_session(session.id, start)
        await log.end_session(session.id, start + timedelta(hours=2))
        sessions[name] = session.id
    notes = {
        "elise": await log.add_note(
            aidants.id,
            "Le déménagement de sa mère l'inquiète; elle en a parlé au groupe.",
            session_id=sessions["oct_6"],
            member_id=elise.id,
        ),
        "marc": await log.add_note(
            aidants.id,
            "Marc dit que le demenagement est fait, sans aide.",  # typed without accents
            session_id=sessions["nov_3"],
            member_id=marc.id,
        ),
        "group": await log.add_note(
            aidants.id,
            "Le groupe a parlé du déménagement de Marc et du plan de sécurité <à revoir>.",
            session_id=sessions["nov_3"],
        ),
        "josee": await log.add_note(
            deuil.id,
            "Josée parle du déménagement de son fils, un garçon de 12 ans.",
            session_id=sessions["nov_10"],
            member_id=josee.id,
        ),
    }
    await log.sign_note(notes["josee"].id, "Lucie Martel")
    await log.add_addendum(
        notes["josee"].id, "Suivi : appel à l'école secondaire, ça va mieux.", "Lucie Martel"
    )
    return Seeded(
        log, aidants.id, deuil.id, elise.id, marc.id, josee.id,
        sessions["oct_6"], sessions["nov_3"], sessions["nov_10"], notes,
    )  # fmt: skip


async def _open_log(path: Path) -> Seeded:
    return await _seed(await SessionLog.open(path, secrets.token_bytes(32)))


async def _after(signal: SignalInstance, act: Callable[[], Any]) -> tuple[Any, ...]:
    """Do ``act`` and wait for ``signal``'s next emission (connected before acting)."""
    fut: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def on_emit(*args: Any) -> None:
        if not fut.done():
            fut.set_result(args)

    signal.connect(on_emit)
    try:
        done = act()
        if inspect.isawaitable(done):
            await done
        return await asyncio.wait_for(fut, 10)
    finally:
        signal.disconnect(on_emit)


class Opened:
    """What the dialog's callback was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[Note, str]] = []

    def __call__(self, note: Note, query: str) -> None:
        self.calls.append((note, query))


async def _dialog(qtbot: Any, seeded: Seeded, **kwargs: Any) -> tuple[NoteSearchDialog, Opened]:
    opened = Opened()
    dialog = NoteSearchDialog(seeded.log, opened, tz=kwargs.pop("tz", UTC), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    await _after(dialog.loaded, dialog.load)
    return dialog, opened


def _type(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key; accented letters as a keyboard layout sends them (QtTest
    types ASCII only)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


async def _search(qtbot: Any, dialog: NoteSearchDialog, words: str) -> None:
    """Type ``words`` in place of what is there and press Enter."""
    dialog.query.clear()
    await _after(
        dialog.searched,
        lambda: (
            _type(qtbot, dialog.query, words),
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return),
        ),
    )


def _found_ids(dialog: NoteSearchDialog) -> set[int]:
    return {found.hit.note.id for found in dialog.found}


def _rows(dialog: NoteSearchDialog) -> list[tuple[str, str]]:
    """What each result shows: its plain text and its HTML."""
    items = [dialog.results.item(row) for row in range(dialog.results.count())]
    return [(item.text(), str(item.data(HTML_ROLE))) for item in items]


def test_words_are_found_with_or_without_their_accents(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        try:
            dialog, _ = await _dialog(qtbot, seeded)
            notes = seeded.notes
            every = {notes[name].id for name in ("elise", "marc", "group", "josee")}

            # Typing alone searches, after a pause (no Enter).
            await _after(dialog.searched, lambda: qtbot.keyClicks(dialog.query, "demenagement"))
            assert _found_ids(dialog) == every  # "déménagement" written with and without
            assert dialog.status.text().startswith("Notes found: 4, newest first.")
            # The newest note first (Josée's, written last), whatever the words' weight.
            names = [text.split(" · ")[1] for text, _html in _rows(dialog)]
            assert names == ["Josée Gagnon", "group note", "Marc Tremblay", "Élise Côté"]
            await _search(qtbot, dialog, "déménagement")
            assert _found_ids(dialog) == every
            await _search(qtbot, dialog, "DÉMÉNAG")  # the start of a word, any case
            assert _found_ids(dialog) == every
            await _search(qtbot, dialog, "garcon")
            assert _found_ids(dialog) == {notes["josee"].id}
            await _search(qtbot, dialog, "securite revoir")
            assert _found_ids(dialog) == {notes["group"].id}
        finally:
            await seeded.log.close()

    run(scenario())


def test_each_result_shows_group_member_date_and_excerpt(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        try:
            dialog, _ = await _dialog(qtbot, seeded)
            await _search(qtbot, dialog, "securite")
            [(text, html)] = _rows(dialog)
            heading, excerpt = text.split("\n")
            assert heading.startswith("Proches aidants · group note · session of ")
            assert "November 3, 2026" in heading
            # The log's excerpt: a dozen words around the match.
            assert excerpt == "…parlé du déménagement de Marc et du plan de sécurité <à revoir>."
            # The word found in bold; the note's own "<à revoir>" shown as typed, not markup.
            assert "plan de <b>sécurité</b> &lt;à revoir&gt;." in html

            await _search(qtbot, dialog, "ecole")  # only in the signed note's addendum
            [(text, html)] = _rows(dialog)
            assert text.split("\n")[0].startswith("Deuil · Josée Gagnon · session of ")
            assert text.split("\n")[0].endswith(" · in an addendum")
            assert "appel à l'<b>école</b> secondaire" in html

            await _search(qtbot, dialog, "inquiete")
            [(text, _html)] = _rows(dialog)
            assert text.startswith("Proches aidants · Élise Côté · session of ")
            assert "October 6, 2026" in text
            dialog.grab()  # the results draw (rich text) without a warning
        finally:
            await seeded.log.close()

    run(scenario())


def test_group_member_and_date_filters_narrow_the_results(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        notes = seeded.notes
        try:
            dialog, _ = await _dialog(qtbot, seeded, tz=MONTREAL)
            await _search(qtbot, dialog, "demenagement")
            assert len(dialog.found) == 4
            assert not dialog.member.isEnabled()  # members are chosen within a group

            # Keyboard only: Down in the group list ("All groups", "Deuil", "Proches aidants").
            await _after(dialog.searched, lambda: qtbot.keyClick(dialog.group, Qt.Key.Key_Down))
            assert dialog.group.currentText() == "Deuil"
            assert _found_ids(dialog) == {notes["josee"].id}
            await _after(dialog.searched, lambda: qtbot.keyClick(dialog.group, Qt.Key.Key_Down))
            assert dialog.group.currentText() == "Proches aidants"
            assert _found_ids(dialog) == {notes[n].id for n in ("elise", "marc", "group")}
            assert dialog.member.isEnabled()
            members = [dialog.member.itemText(i) for i in range(dialog.member.count())]
            assert members == ["All members", "Élise Côté", "Marc Tremblay"]
            await _after(dialog.searched, lambda: qtbot.keyClick(dialog.member, Qt.Key.Key_Down))
            assert _found_ids(dialog) == {notes["elise"].id}
            await _after(dialog.searched, lambda: qtbot.keyClick(dialog.member, Qt.Key.Key_Down))
            assert _found_ids(dialog) == {notes["marc"].id}

            # Back to every group: the member filter no longer applies.
            await _after(dialog.searched, lambda: dialog.choose_group(None))
            assert len(dialog.found) == 4

            # Dates, in Montréal: the Deuil session is on November 10 there (11 in UTC).
            dialog.since.setDate(QDate(2026, 11, 1))
            await _after(dialog.searched, lambda: dialog.since_check.setChecked(True))
            assert dialog.since.isEnabled()
            assert _found_ids(dialog) == {notes[n].id for n in ("marc", "group", "josee")}
            dialog.until.setDate(QDate(2026, 11, 10))
            await _after(dialog.searched, lambda: dialog.until_check.setChecked(True))
            assert _found_ids(dialog) == {notes[n].id for n in ("marc", "group", "josee")}
            await _after(dialog.searched, lambda: dialog.until.setDate(QDate(2026, 11, 9)))
            assert _found_ids(dialog) == {notes[n].id for n in ("marc", "group")}
            await _after(dialog.searched, lambda: dialog.since.setDate(QDate(2026, 11, 10)))
            assert dialog.found == []
            assert (
                dialog.status.text()
                == "The “from” date is after the “to” date: change one of them."
            )
            await _after(dialog.searched, lambda: dialog.since_check.setChecked(False))
            assert _found_ids(dialog) == {notes[n].id for n in ("elise", "marc", "group")}
        finally:
            await seeded.log.close()

    run(scenario())


def test_a_result_opens_the_note_with_the_words_then_the_dialog_closes(
    run: Run[Any], qtbot: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        try:
            # Enter on the chosen result, reached from the words with the Down arrow.
            dialog, opened = await _dialog(qtbot, seeded)
            await _search(qtbot, dialog, "garcon")
            qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
            assert dialog.focusWidget() is dialog.results
            qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
            assert [(note.id, words) for note, words in opened.calls] == [
                (seeded.notes["josee"].id, "garcon")
            ]
            assert not dialog.isVisible()

            # A double-click on another result.
            dialog, opened = await _dialog(qtbot, seeded)
            await _search(qtbot, dialog, "demenagement")
            row = next(
                i
                for i, found in enumerate(dialog.found)
                if found.hit.note.id == seeded.notes["marc"].id
            )
            rect = dialog.results.visualItemRect(dialog.results.item(row))
            for click in (qtbot.mouseClick, qtbot.mouseDClick):  # a press, then the double
                click(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert [(note.id, words) for note, words in opened.calls] == [
                (seeded.notes["marc"].id, "demenagement")
            ]
            assert not dialog.isVisible()
        finally:
            await seeded.log.close()

    run(scenario())


def test_no_words_explains_and_does_not_search_no_note_says_so(
    run: Run[Any], qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        asked: list[str] = []
        search = seeded.log.search_note_hits

        async def counted(query: str, **filters: Any) -> Any:
            asked.append(query)
            return await search(query, **filters)

        monkeypatch.setattr(seeded.log, "search_note_hits", counted)
        try:
            dialog, opened = await _dialog(qtbot, seeded)
            explanation = dialog.status.text()
            assert "Accents are optional" in explanation
            assert dialog.results.count() == 0
            await _search(qtbot, dialog, "   ")
            assert dialog.status.text() == explanation
            assert asked == []  # nothing was asked of the log
            assert not dialog.open_button.isEnabled()

            await _search(qtbot, dialog, "budget")
            assert asked == ["budget"]
            assert dialog.status.text() == "No note has “budget”."
            assert dialog.results.count() == 0
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # Enter opens nothing, stays open
            await _after(dialog.searched, lambda: None)
            assert dialog.isVisible()
            assert opened.calls == []

            await _after(dialog.searched, lambda: dialog.choose_group(seeded.deuil))
            assert dialog.status.text() == "No note has “budget” with these filters."
        finally:
            await seeded.log.close()

    run(scenario())


def test_a_failing_log_is_said_and_the_words_and_filters_are_kept(
    run: Run[Any], qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        search = seeded.log.search_note_hits

        async def failing(query: str, **filters: Any) -> Any:
            raise DatabaseDamaged

        try:
            dialog, _ = await _dialog(qtbot, seeded)
            await _after(dialog.searched, lambda: dialog.choose_group(seeded.aidants))
            monkeypatch.setattr(seeded.log, "search_note_hits", failing)
            await _search(qtbot, dialog, "déménagement")
            assert dialog.error.isVisibleTo(dialog)
            assert dialog.error.text() == (
                "The search failed: The session log file is damaged. It was not changed; "
                "restore a backup. Your words and filters are kept: press Enter to try again."
            )
            assert dialog.results.count() == 0
            assert dialog.query.text() == "déménagement"
            assert dialog.group.currentText() == "Proches aidants"

            monkeypatch.setattr(seeded.log, "search_note_hits", search)
            await _after(dialog.searched, lambda: qtbot.keyClick(dialog.query, Qt.Key.Key_Return))
            assert not dialog.error.isVisibleTo(dialog)
            assert len(dialog.found) == 3
        finally:
            await seeded.log.close()

    run(scenario())


def test_keyboard_order_and_names(run: Run[Any], qtbot: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        try:
            dialog, _ = await _dialog(qtbot, seeded)
            expected = [
                dialog.query, dialog.group, dialog.member, dialog.since_check, dialog.since,
                dialog.until_check, dialog.until, dialog.results, dialog.open_button,
                dialog.close_button,
            ]  # fmt: skip
            chain, widget = [], dialog.query
            while len(chain) < len(expected):
                if widget in expected and widget not in chain:
                    chain.append(widget)
                widget = widget.nextInFocusChain()
            assert chain == expected
            for widget in expected:
                assert widget.accessibleName() or widget.text(), widget
        finally:
            await seeded.log.close()

    run(scenario())


def test_the_menu_action_opens_the_search_and_a_result_asks_for_the_note(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        key = KeyStore(windows.data_dir).create().key
        seeded = await _seed(await SessionLog.open(windows.data_dir, key))
        await seeded.log.close()
        window = windows.open()
        action = window.search_notes_action
        assert not action.isEnabled()  # no log open yet
        await window.workspace.start()
        assert action.isEnabled()
        assert action in window.session_menu.actions()
        assert action.text() == "Search &notes…"
        shortcut = QKeySequence("Ctrl+Shift+F")
        assert action.shortcut() == shortcut
        others = [a for a in window.findChildren(QAction) if a is not action]
        assert all(a.shortcut() != shortcut for a in others)  # one meaning per key

        action.trigger()
        dialog = window.note_search
        assert dialog is not None
        assert dialog.isVisible()
        await next_emission(dialog.loaded)
        await _search(qtbot, dialog, "inquiete")
        found = await _after(
            window.note_found, lambda: qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
        )
        assert found == (seeded.oct_6, seeded.notes["elise"].id, "inquiete")
        assert window.note_search is None

        # The log stops being open (a lock, say): the excerpts go with it.
        action.trigger()
        dialog = window.note_search
        assert dialog is not None
        await next_emission(dialog.loaded)
        await _search(qtbot, dialog, "demenagement")
        window.workspace.stage = Stage.PASSPHRASE
        window.workspace.changed.emit()
        assert window.note_search is None
        assert not action.isEnabled()
        await windows.close_all()

    run(scenario())


def test_the_dialog_speaks_french(
    run: Run[Any], qtbot: Any, tmp_path: Path, languages: Any
) -> None:
    async def scenario() -> None:
        seeded = await _open_log(tmp_path)
        try:
            languages.set_language("fr_CA")
            dialog, _ = await _dialog(qtbot, seeded)
            assert dialog.windowTitle() == "Rechercher dans les notes"
            await _search(qtbot, dialog, "securite")
            [(text, _html)] = _rows(dialog)
            assert text.startswith("Proches aidants · note de groupe · séance du ")
            assert "novembre 2026" in text
            assert dialog.status.text().startswith("Notes trouvées : 1, les plus récentes")
        finally:
            await seeded.log.close()

    run(scenario())
