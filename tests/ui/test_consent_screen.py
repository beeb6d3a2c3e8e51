"""The consent screen: the facilitator shows the text, records consent and how; the members
table says who has not consented to the current version. Read back from the real log."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import WINDOWS_CLOCK, Run, Windows, next_emission

from groupdesk.core.models import ConsentMethod
from groupdesk.sessionlog import KeyStore, SessionLog

EARLIER = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _consent_cells(window: Any) -> dict[str, tuple[str, bool]]:
    table = window.home_page.members.table
    cells = {}
    for row in range(table.rowCount()):
        item = table.item(row, window.home_page.members.CONSENT_COLUMN)
        cells[table.item(row, 0).text()] = (item.text(), item.font().bold())
    return cells


def test_record_consent_from_the_consent_screen(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        group, (ana, ben) = await seed_log(windows, members=2)
        log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).unlock())
        await log.record_consent(ben.id, "0", ConsentMethod.IN_PERSON, EARLIER)
        await log.close()

        window = await open_window(windows)
        select_group(window, group.id)
        members = window.home_page.members
        await wait_for(lambda: members.table.rowCount() == 2)
        assert _consent_cells(window) == {
            "Personne 1": ("Needed: not given yet", True),
            "Personne 2": ("Needed: version 0 only (2026-03-02)", True),
        }
        assert members.consent_summary.isVisibleTo(members)
        assert members.consent_summary.text() == (
            "Not yet consented to remote work (version 1): Personne 1, Personne 2"
        )
        cell = members.table.item(0, members.CONSENT_COLUMN)
        described = cell.data(Qt.ItemDataRole.AccessibleDescriptionRole)
        assert described == "Has not consented to version 1 of the text"

        # The consent screen of Personne 1: the text in the language in use, its version.
        members.table.selectRow(0)
        qtbot.mouseClick(members.consent_button, Qt.MouseButton.LeftButton)
        dialog = members.consent_dialog
        assert dialog.isVisible()
        assert dialog.title.text() == "Consent to remote work: Personne 1"
        assert dialog.standing.text() == "Now: Needed: not given yet"
        text = dialog.text.toPlainText()
        assert text.startswith("Taking part in the group remotely")
        assert "Advantages" in text
        assert "Drawbacks" in text
        assert dialog.version.text() == "Version 1 of your organisation's text."
        assert dialog.text.isReadOnly()
        assert [dialog.method.itemText(i) for i in range(dialog.method.count())] == [
            "In person",
            "By phone",
            "On the participant page",
        ]
        dialog.method.setCurrentIndex(dialog.method.findData("phone"))
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
        (saved,) = await next_emission(window.workspace.member_saved)
        assert saved == ana.id
        await wait_for(lambda: not dialog.isVisible())

        # In the log: the version, the date (the window's clock), how it was given.
        log_ = window.workspace.log
        assert log_ is not None
        [consent] = await log_.consents(ana.id)
        assert (consent.version, consent.method) == ("1", ConsentMethod.PHONE)
        assert consent.given_at == WINDOWS_CLOCK()
        recorded = [e for e in await log_.journal() if e.kind == "member.consent_recorded"]
        assert [dict(e.data or {}) for e in recorded][-1] == {
            "group": group.id,
            "member": ana.id,
            "consent": consent.id,
        }
        assert [m.display_name for m in await log_.without_consent(group.id, "1")] == ["Personne 2"]

        # The table follows: Personne 1 is done, Personne 2 still to ask.
        assert _consent_cells(window)["Personne 1"] == ("Given 2026-12-06, by phone", False)
        assert members.consent_summary.text() == (
            "Not yet consented to remote work (version 1): Personne 2"
        )

        # In French, the screen shows the French text, every word translated.
        windows.languages.set_language("fr_CA")
        QApplication.sendPostedEvents()  # LanguageChange reaches the widgets
        QApplication.processEvents()
        assert _consent_cells(window)["Personne 1"] == ("Donné le 2026-12-06, par téléphone", False)
        members.table.selectRow(1)
        qtbot.mouseClick(members.consent_button, Qt.MouseButton.LeftButton)
        assert dialog.title.text() == "Consentement à la participation à distance : Personne 2"
        assert dialog.text.toPlainText().startswith("Participer au groupe à distance")
        assert dialog.version.text() == "Version 1 du texte de votre organisation."
        assert dialog.method.itemText(1) == "Par téléphone"
        assert dialog.record_button.text() == "&Enregistrer le consentement"
        assert members.consent_summary.text() == (
            "N'ont pas encore consenti à la participation à distance (version 1) : Personne 2"
        )
        dialog.reject()
        await windows.close_all()

    run(scenario())


def test_a_new_version_of_the_text_asks_everyone_again(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    root = Path(os.environ["GROUPDESK_POLICY_ROOT"])  # per test (conftest)
    root.chmod(0o755)
    (root / "managed").mkdir(mode=0o755)
    policy = root / "managed" / "10-org.json"
    policy.write_text(
        json.dumps({"remote_consent": {"version": "2027-01", "text": {"en": "Our new text"}}}),
        encoding="utf-8",
    )
    policy.chmod(0o644)

    async def scenario() -> None:
        group, (ana,) = await seed_log(windows, members=1)
        log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).unlock())
        await log.record_consent(ana.id, "1", ConsentMethod.PAGE, EARLIER)
        await log.close()

        window = await open_window(windows)
        select_group(window, group.id)
        members = window.home_page.members
        await wait_for(lambda: members.table.rowCount() == 1)
        assert _consent_cells(window) == {
            "Personne 1": ("Needed: version 1 only (2026-03-02)", True)
        }
        assert "(version 2027-01): Personne 1" in members.consent_summary.text()
        members.table.selectRow(0)
        members.show_consent()
        assert members.consent_dialog.text.toPlainText() == "Our new text"
        members.consent_dialog.reject()
        await windows.close_all()

    run(scenario())
