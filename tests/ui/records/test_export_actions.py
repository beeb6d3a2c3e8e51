"""Exporting from the app: the question of where and in which language (answered here by
a stand-in for the dialog), the PDF written and journaled, the window saying where it
went; a cancel or a failure leaves no file and no journal entry."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from page_helpers import open_window, wait_for
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Run, Windows

from groupdesk.sessionlog import KeyStore, SessionLog, Store
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.records.export_actions import (
    ExportChoice,
    ExportDialog,
    documents_folder,
    export_note,
    export_session,
)
from memory_keyring import MemoryKeyring

MONTREAL = timezone(timedelta(hours=-5))
NOTE = "Le groupe a parlé du retour au travail."
ADDENDUM = "Appel de suivi fait."


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=MONTREAL).astimezone(UTC)


def _seed(data_dir: Path) -> tuple[int, int]:
    """A log with one past session (Ana came, Ben did not) and its signed group note."""
    store = Store.open(data_dir, KeyStore(data_dir).create().key)
    try:
        group = store.create_group("Groupe du mardi")
        ana = store.add_member(group.id, "Ana")
        ben = store.add_member(group.id, "Ben")
        session = store.create_session(
            group.id, at(18, 0), at(19, 30), facilitators=["Élise Gagnon-Côté"],
            expected_member_ids=[ana.id, ben.id],
        )  # fmt: skip
        store.start_session(session.id, at(18, 0))
        store.record_join(session.id, ana.id, at(18, 4))
        store.record_leave(session.id, ana.id, at(19, 25))
        store.end_session(session.id, at(19, 30))
        note = store.add_note(group.id, NOTE, session_id=session.id)
        store.sign_note(note.id, "Élise Gagnon-Côté")
        store.add_addendum(note.id, ADDENDUM, "Élise Gagnon-Côté")
        return session.id, note.id
    finally:
        store.close()


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return " ".join(done.stdout.split())


async def _kinds(log: SessionLog) -> list[str]:
    return [event.kind for event in await log.journal()]


def test_export_session_asks_writes_journals_and_says_where(
    run: Run[None], windows: Windows, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    session_id, _note = _seed(windows.data_dir)
    asked: list[tuple[Path, str]] = []
    target = tmp_path / "dossier.pdf"

    async def choose(parent: object, suggested: Path, lang: str) -> ExportChoice:
        asked.append((suggested, lang))
        return ExportChoice(target, "fr_CA")

    async def scenario() -> None:
        window = await open_window(windows)
        log = window.workspace.log
        assert log is not None
        head = await log.journal_head()
        written = await export_session(
            window, log, window.policy, session_id, choose=choose, tz=MONTREAL
        )
        assert written == target
        name = f"groupdesk-session-{session_id}-2026-12-01.pdf"
        assert asked == [(documents_folder() / name, "en")]  # the app's language offered
        text = _text(target)
        for expected in (
            "Dossier de séance — Groupe du mardi — 2026-12-01",
            NOTE,
            "Signé par Élise Gagnon-Côté",
            ADDENDUM,
            "18 h 04 à 19 h 25",
            "Présences : 1 sur 2 personnes attendues",
            f"Journal nº {head[0]} · {head[1]}",
            "Page 1 de",
        ):
            assert expected in text, expected
        assert window.statusBar().currentMessage() == f"Session record saved to {target}"
        events = await log.journal()
        assert events[-1].kind == "record.exported"
        assert events[-1].data == {"what": "session", "row": session_id, "format": "pdf"}
        assert (await log.verify()).ok

    run(scenario())


def test_a_cancel_or_a_failure_leaves_no_file_and_no_entry(
    run: Run[None], windows: Windows, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    _session, note_id = _seed(windows.data_dir)
    missing = tmp_path / "no-such-folder" / "note.pdf"

    async def cancel(parent: object, suggested: Path, lang: str) -> None:
        return None

    async def into_nowhere(parent: object, suggested: Path, lang: str) -> ExportChoice:
        return ExportChoice(missing, "en")

    async def scenario() -> None:
        window = await open_window(windows)
        log = window.workspace.log
        assert log is not None
        before = await _kinds(log)
        assert await export_note(window, log, window.policy, note_id, choose=cancel) is None
        assert await export_note(window, log, window.policy, note_id, choose=into_nowhere) is None
        assert not missing.parent.exists()
        assert await _kinds(log) == before
        boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "exportError"]
        assert [b.text() for b in boxes] == [
            f"Cannot save the PDF: the folder {missing.parent} does not exist."
        ]
        boxes[0].close()
        assert await export_note(window, log, window.policy, 999, choose=cancel) is None
        texts = [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert "There is no note 999 in the session log." in texts

    run(scenario())


def test_the_file_menu_exports_the_past_session_chosen_on_the_home_page(
    run: Run[None], windows: Windows, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    session_id, _note = _seed(windows.data_dir)
    target = tmp_path / "record.pdf"

    async def choose(parent: object, suggested: Path, lang: str) -> ExportChoice:
        return ExportChoice(target, lang)

    async def scenario() -> None:
        window: MainWindow = await open_window(windows)
        window.export_chooser = choose
        sessions = window.home_page.sessions.list
        await wait_for(lambda: sessions.count() == 1)
        assert not window.export_session_action.isEnabled()  # nothing chosen yet
        sessions.setCurrentRow(0)
        assert window.export_session_action.isEnabled()
        assert window.export_session_action.text() == "&Export session record to PDF…"
        window.export_session_action.trigger()
        await wait_for(lambda: window.statusBar().currentMessage() != "")
        assert target.read_bytes().startswith(b"%PDF-")
        assert "Session record — Groupe du mardi" in _text(target)
        log = window.workspace.log
        assert log is not None
        assert (await log.journal())[-1].data == {
            "what": "session",
            "row": session_id,
            "format": "pdf",
        }

    run(scenario())


def test_the_dialog_offers_both_languages_and_asks_before_replacing(
    qtbot: object, tmp_path: Path
) -> None:
    existing = tmp_path / "record.pdf"
    existing.write_bytes(b"old")
    dialog = ExportDialog(existing, "fr_CA")
    assert [dialog.language.itemData(i) for i in range(dialog.language.count())] == ["en", "fr_CA"]
    assert dialog.language.currentData() == "fr_CA"
    dialog._check_and_accept()
    assert dialog.result() != dialog.DialogCode.Accepted.value
    assert "Press Export again to replace it" in dialog.message.text()
    dialog._check_and_accept()
    assert dialog.result() == dialog.DialogCode.Accepted.value
    dialog.path.setText(str(tmp_path / "nouveau"))
    assert dialog.choice() == ExportChoice(tmp_path / "nouveau.pdf", "fr_CA")
    dialog.deleteLater()


def test_a_log_locked_while_the_question_is_open_exports_nothing(
    run: Run[None], windows: Windows, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    session_id, _note = _seed(windows.data_dir)
    target = tmp_path / "record.pdf"

    async def scenario() -> None:
        window = await open_window(windows)
        log = window.workspace.log
        assert log is not None

        async def lock_then_answer(parent: object, suggested: Path, lang: str) -> ExportChoice:
            await window.workspace.close()  # what the auto-lock does
            return ExportChoice(target, lang)

        result = await export_session(
            window, log, window.policy, session_id, choose=lock_then_answer
        )
        assert result is None
        assert not target.exists()
        texts = [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert texts == ["The session log is locked. Unlock it to continue."]

    run(scenario())


def test_the_notes_page_exports_its_note_its_session_and_a_member_s_history(
    run: Run[None], windows: Windows, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    session_id, note_id = _seed(windows.data_dir)
    targets = iter([tmp_path / "note.pdf", tmp_path / "session.pdf", tmp_path / "member.pdf"])

    async def choose(parent: object, suggested: Path, lang: str) -> ExportChoice:
        return ExportChoice(next(targets), lang)

    async def scenario() -> None:
        window: MainWindow = await open_window(windows)
        window.export_chooser = choose
        log = window.workspace.log
        assert log is not None
        assert await window.open_notes_now(session_id, note_id)
        page = window.notes_page
        assert page.note is not None
        assert page.note.id == note_id
        page.note_editor.views.editor.export_button.click()  # the editor's own button
        await wait_for((tmp_path / "note.pdf").exists)
        assert ADDENDUM.split(maxsplit=1)[0] in _text(tmp_path / "note.pdf")
        await wait_for(window.export_session_action.isEnabled)
        window.export_session_action.trigger()  # the session whose notes are shown
        await wait_for((tmp_path / "session.pdf").exists)
        assert "Session record — Groupe du mardi" in _text(tmp_path / "session.pdf")
        ana_row = next(i for i, row in enumerate(page.rows) if row.member_id is not None)
        page.notes_list.setCurrentRow(ana_row)
        await wait_for(window.export_member_action.isEnabled)
        window.export_member_action.trigger()
        await wait_for((tmp_path / "member.pdf").exists)
        exported = [e.data["what"] for e in await log.journal() if e.kind == "record.exported"]
        assert exported == ["note", "session", "member"]

    run(scenario())
