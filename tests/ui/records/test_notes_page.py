"""The notes page in the main window, on a real SQLCipher log: starting notes from
templates with the facts, autosave, revisions, signing and addenda, referrals, opening
from the session history, finding a word, and the lock hooks."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from notes_helpers import FACILITATOR, NAMES, Seeded, seed_dir, texts_shown, wait_for
from page_helpers import open_window
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows, next_emission

from groupdesk.core.models import SessionKind
from groupdesk.core.records.fact_text import fact_lines
from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.sessionlog.errors import NoteSigned
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.records.notes_page import NotesPage


async def _opened(windows: Windows) -> tuple[MainWindow, Seeded, SessionLog]:
    seeded = await seed_dir(windows.data_dir, KeyStore(windows.data_dir).create().key)
    window = await open_window(windows)
    assert await window.open_notes_now(seeded.session.id)
    assert window.pages.currentWidget() is window.notes_page
    log_ = window.workspace.log
    assert log_ is not None
    return window, seeded, log_


async def _start(page: NotesPage, row: int, template: str | None = None) -> int:
    """Choose row ``row``, start its note (``template`` or the default); its id."""
    if page.notes_list.currentRow() != row:
        page.notes_list.setCurrentRow(row)
        await wait_for(lambda: page.views.currentWidget() is page.views.start)
    combo = page.views.start.template
    if template is not None:
        combo.setCurrentIndex(combo.findData(template))
    page.views.start.start_button.click()
    await wait_for(lambda: page.note is not None)
    assert page.note is not None
    return page.note.id


def _rows(page: NotesPage) -> list[str]:
    return [page.notes_list.item(i).text() for i in range(page.notes_list.count())]


async def _close(windows: Windows, page: NotesPage) -> None:
    await page.leave()
    await windows.close_all()


def test_group_note_from_a_template_autosaved_and_kept_when_switching(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, _seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            assert "Proches aidants" in page.title.text()
            assert "group session" in page.session_line.text()
            ana, ben, chloe = NAMES
            assert _rows(page) == [
                "Group note — not started",
                f"{ana} — not started",
                f"{ben} — not started",
                f"{chloe} (absent) — not started",
            ]
            start = page.views.start
            assert page.views.currentWidget() is start
            assert start.template.currentData() == "dap"  # the first that applies
            note_id = await _start(page, 0, "group_summary")
            text = page.editor.toPlainText()
            assert text.startswith("Attendance and facts of the session\n")
            assert "Themes discussed" in text
            assert "Follow-up for next session" in text
            data = page.data
            assert data is not None
            facts = fact_lines(data.facts, None, "en", data.tz)
            assert facts
            assert all(f"- {line}" in text for line in facts)
            assert [page.facts.lines.item(i).text() for i in range(page.facts.lines.count())] == (
                facts
            )
            assert (await log_.get_note(note_id)).template == "group_summary"
            assert _rows(page)[0] == "Group note"

            # Typing: saved as a draft once the autosave timer fires, not before.
            qtbot.keyClicks(page.editor, "Bonne rencontre.")
            assert page.autosave.timer.isActive()
            assert await log_.note_draft(note_id) is None
            page.autosave.tick()
            await next_emission(page.autosave.saved)
            draft = await log_.note_draft(note_id)
            assert draft is not None
            assert draft.body.endswith("Bonne rencontre.")
            assert page.views.editor.status.text().startswith("Saved ")

            # Insert the facts at the cursor.
            page.facts.lines.setCurrentRow(0)
            page.facts.insert_button.click()
            assert page.editor.toPlainText().endswith(f"Bonne rencontre.- {facts[0]}\n")

            # Switching to another note keeps this one as a revision.
            page.notes_list.setCurrentRow(1)
            await wait_for(lambda: page.views.currentWidget() is start and page.note is None)
            await wait_for(lambda: len(page.rows) == 4 and page.rows[0].note is not None)
            history = await log_.note_history(note_id)
            assert [r.revision for r in history] == [1, 2]
            assert history[-1].body.endswith(f"- {facts[0]}\n")
            assert await log_.note_draft(note_id) is None
        finally:
            await _close(windows, page)

    run(scenario())


def test_an_absent_member_gets_the_absence_template(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            page.notes_list.setCurrentRow(3)
            await wait_for(lambda: page.views.start.title.text() == f"{NAMES[2]} (absent)")
            combo = page.views.start.template
            assert [combo.itemData(i) for i in range(combo.count())] == ["absence"]
            note_id = await _start(page, 3)
            note = await log_.get_note(note_id)
            assert note.member_id == seeded.members[2].id
            assert note.template == "absence"
            assert note.body.startswith("Absence\n- ")
            assert "Contact attempts and reason given" in note.body
            assert "absent" in note.body.lower()
            assert page.views.editor.refer_button.isEnabled()
        finally:
            await _close(windows, page)

    run(scenario())


def test_sign_then_read_only_with_addenda_and_the_history(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, _seeded, log_ = await _opened(windows)
        page = window.notes_page
        view = page.views.editor
        try:
            note_id = await _start(page, 1, "soap")
            first = page.editor.toPlainText()
            qtbot.keyClicks(page.editor, "Ana a parle de sa mere.")
            await page.note_editor.show_history()  # keeps what is typed first
            history = page.views.history
            assert page.views.currentWidget() is history
            assert history.revisions.count() == 2
            assert history.revisions.item(1).text().startswith("Version 1, ")
            history.revisions.setCurrentRow(1)
            assert history.text.toPlainText() == first
            assert history.text.isReadOnly()
            history.revisions.setCurrentRow(0)
            assert history.text.toPlainText().endswith("Ana a parle de sa mere.")
            history.back_button.click()
            assert page.views.currentWidget() is view

            qtbot.keyClicks(page.editor, " Suivi la semaine prochaine.")
            view.sign_button.click()
            dialog = page.note_editor.sign_dialog
            assert dialog is not None
            assert dialog.name.text() == FACILITATOR  # the session's first facilitator
            assert "can no longer be changed" in dialog.explanation.text()
            dialog.sign_button.click()
            await wait_for(lambda: page.note is not None and page.note.signed)
            note = await log_.get_note(note_id)
            assert note.signed_by == FACILITATOR
            assert note.body.endswith("Suivi la semaine prochaine.")  # typed, then signed
            assert page.editor.isReadOnly()
            assert view.signed_line.text().startswith(f"Signed by {FACILITATOR} on ")
            assert not view.sign_button.isEnabled()
            assert _rows(page)[1] == f"{NAMES[0]} — signed"
            with pytest.raises(NoteSigned):
                await log_.revise_note(note_id, "Autre texte")

            qtbot.keyClicks(view.addendum, "Appel de suivi fait.")
            view.addendum_button.click()
            await wait_for(lambda: view.addenda.count() == 1)
            assert view.addenda.item(0).text().endswith(f", {FACILITATOR}: Appel de suivi fait.")
            assert page.editor.toPlainText() == note.body  # the original stays as it was
            assert [a.body for a in await log_.note_addenda(note_id)] == ["Appel de suivi fait."]
        finally:
            await _close(windows, page)

    run(scenario())


def test_a_referral_from_a_member_note_is_kept_with_the_member(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, seeded, log_ = await _opened(windows)
        page = window.notes_page
        view = page.views.editor
        try:
            windows.languages.set_language("fr_CA")
            await wait_for(lambda: _rows(page)[0] == "Note de groupe — pas commencée")
            assert "séance de groupe" in page.session_line.text()
            note_id = await _start(page, 2)
            assert page.editor.toPlainText().startswith("Données\n")  # DAP, in French
            view.refer_button.click()
            dialog = page.note_editor.referral_dialog
            assert dialog is not None
            everything = dialog.list.count()
            qtbot.keyClicks(dialog.filter, "ecoute")  # no accent typed
            assert dialog.list.count() == 1 < everything
            assert dialog.list.currentItem().text().startswith("Jeunesse, J'écoute — 1 800")
            qtbot.keyClicks(dialog.detail, "Numero remis")
            dialog.refer_button.click()
            await wait_for(lambda: view.referrals.count() == 1)
            (referral,) = await log_.referrals(member_id=seeded.members[1].id)
            assert referral.resource_id == "kids_help_phone"
            assert referral.resource_name == "Jeunesse, J'écoute"
            assert (referral.session_id, referral.note_id) == (seeded.session.id, note_id)
            assert referral.detail == "Numero remis"
            assert "Jeunesse, J'écoute" in view.referrals.item(0).text()
        finally:
            await _close(windows, page)

    run(scenario())


def test_the_session_history_opens_the_notes_and_back_returns(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        seeded = await seed_dir(windows.data_dir, KeyStore(windows.data_dir).create().key)
        window = await open_window(windows)
        page = window.notes_page
        try:
            sessions = window.home_page.sessions.list
            await wait_for(lambda: sessions.count() == 1)
            sessions.setCurrentRow(0)
            sessions.setFocus()
            qtbot.keyClick(sessions, Qt.Key.Key_Return)
            await wait_for(lambda: page.data is not None and bool(page.rows))
            assert window.pages.currentWidget() is page
            assert page.data is not None
            assert page.data.session.id == seeded.session.id
            page.back_button.click()
            await wait_for(lambda: window.pages.currentWidget() is window.home_page)

            # Another page replacing this one (here: Prepare, Ctrl+P) keeps the note too.
            assert await window.open_notes_now(seeded.session.id)
            note_id = await _start(page, 0)
            qtbot.keyClicks(page.editor, "Fin.")
            window.prepare_action.trigger()
            await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
            log_ = window.workspace.log
            assert log_ is not None
            async with asyncio.timeout(10):
                while not (await log_.get_note(note_id)).body.endswith("Fin."):
                    await asyncio.sleep(0.02)
            assert await log_.note_draft(note_id) is None
            assert not page.writing
        finally:
            await _close(windows, page)

    run(scenario())


def test_find_opens_the_note_at_the_first_match_accents_optional(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            note = await log_.add_note(
                seeded.group_id,
                "Début.\nBenoît a évoqué son épuisement.",
                session_id=seeded.session.id,
                member_id=seeded.members[1].id,
            )
            # What "Search notes…" does with the note the person chose.
            window.note_found.emit(seeded.session.id, note.id, "epuisement")
            await wait_for(lambda: page.note is not None and page.note.id == note.id)
            assert window.pages.currentWidget() is page
            assert page.note is not None
            assert page.note.id == note.id
            assert page.notes_list.currentRow() == 2
            assert page.editor.textCursor().selectedText() == "épuisement"
        finally:
            await _close(windows, page)

    run(scenario())


def test_a_draft_left_by_a_crash_is_recovered_and_kept(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            note = await log_.add_note(seeded.group_id, "Texte gardé", session_id=seeded.session.id)
            await log_.save_draft(note.id, "Texte gardé, puis tapé avant la panne")
            assert await window.open_notes_now(seeded.session.id, note.id)
            notice = page.views.editor.recovered
            assert notice.isVisibleTo(page)
            assert notice.text().startswith("Recovered text not yet kept, from ")
            assert page.editor.toPlainText() == "Texte gardé, puis tapé avant la panne"
            assert await log_.note_draft(note.id) is None
            assert (await log_.get_note(note.id)).body == page.editor.toPlainText()
        finally:
            await _close(windows, page)

    run(scenario())


def test_before_lock_leaves_no_name_and_after_unlock_restores_the_note(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, _seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            note_id = await _start(page, 1)
            qtbot.keyClicks(page.editor, "Ana Tremblay semble fatiguee.")
            cursor = page.editor.textCursor()
            cursor.setPosition(5)
            page.editor.setTextCursor(cursor)
            page.views.editor.sign_button.click()  # a dialog with the facilitator's name
            assert page.note_editor.sign_dialog is not None
            shown = "\n".join(texts_shown(page))
            assert NAMES[0] in shown
            assert FACILITATOR in shown

            await page.before_lock()
            shown = "\n".join(texts_shown(page))
            for name in (*NAMES, FACILITATOR, "Ana", "Proches aidants"):
                assert name not in shown
            assert page.note_editor.sign_dialog is None
            draft = await log_.note_draft(note_id)
            assert draft is not None
            assert draft.body.endswith("semble fatiguee.")

            await page.after_unlock()
            assert page.note is not None
            assert page.note.id == note_id
            assert page.notes_list.currentRow() == 1
            assert page.editor.toPlainText() == draft.body
            assert page.editor.textCursor().position() == 5
            assert not page.views.editor.recovered.isVisibleTo(page)
            qtbot.keyClicks(page.editor, "X")
            page.autosave.tick()
            await next_emission(page.autosave.saved)
            draft = await log_.note_draft(note_id)
            assert draft is not None
            assert draft.body.startswith(page.editor.toPlainText()[:6])
            assert draft.body == page.editor.toPlainText()
        finally:
            await _close(windows, page)

    run(scenario())


def test_closing_the_window_keeps_the_note(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, _seeded, log_ = await _opened(windows)
        page = window.notes_page
        note_id = await _start(page, 0)
        qtbot.keyClicks(page.editor, "Dernier mot.")
        window.close()
        await next_emission(window.closed)
        assert (await log_.get_note(note_id)).body.endswith("Dernier mot.")
        assert await log_.note_draft(note_id) is None
        await windows.close_all()

    run(scenario())


def test_a_one_to_one_session_has_its_member_note_only(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, seeded, log_ = await _opened(windows)
        page = window.notes_page
        try:
            ana = seeded.members[0]
            start = seeded.session.planned_start + timedelta(days=7)
            one = await log_.create_session(
                seeded.group_id,
                start,
                start + timedelta(hours=1),
                expected_member_ids=[ana.id],
                kind=SessionKind.INDIVIDUAL,
            )
            await log_.start_session(one.id, start)
            await log_.record_join(one.id, ana.id, start)
            await log_.end_session(one.id, start + timedelta(hours=1))
            assert await window.open_notes_now(one.id)
            assert _rows(page) == [f"{NAMES[0]} — not started"]
            assert "one-to-one meeting" in page.session_line.text()
            note_id = await _start(page, 0, "one_to_one")
            note = await log_.get_note(note_id)
            assert note.member_id == ana.id
            assert "Fit for the group" in note.body
        finally:
            await _close(windows, page)

    run(scenario())


def test_ctrl_l_with_a_note_open_hides_every_name_and_unlocking_returns_to_it(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, _seeded, _log = await _opened(windows)
        page = window.notes_page
        note_id = await _start(page, 2)
        qtbot.keyClicks(page.editor, "Benoit va mieux.")
        locked = asyncio.ensure_future(next_emission(window.auto_lock.locked))
        await asyncio.sleep(0)
        window.auto_lock.lock_action.trigger()
        await locked
        shown = "\n".join(texts_shown(window))
        for name in (*NAMES, FACILITATOR, "Proches aidants", "Benoit va mieux"):
            assert name not in shown

        unlocked = asyncio.ensure_future(next_emission(window.auto_lock.unlocked))
        await asyncio.sleep(0)
        window.unlock_page.locked_panel.unlock_button.click()
        await unlocked
        assert window.pages.currentWidget() is page
        assert page.note is not None
        assert page.note.id == note_id
        assert page.editor.toPlainText().endswith("Benoit va mieux.")
        assert _rows(page)[2] == NAMES[1]
        await _close(windows, page)

    run(scenario())
