"""What the organisation's policy shows in the app: every problem in a dialog from the
status bar, "Managed by your organisation" where a setting is locked, the guidelines in
the Help menu, and the screen-capture exclusion (fakes of the OS calls)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import Run, Windows

from groupdesk.core.policy import load_effective_policy
from groupdesk.core.policy_files import default_user_file
from groupdesk.ui.guidelines_dialog import GuidelinesDialog
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.policy_problems import PolicyProblemsDialog
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.workspace import Workspace
from managed_policy import write_managed_policy


def _speak(languages: LanguageSwitcher, lang: str) -> None:
    """Switch the interface's language and let every widget hear of it."""
    languages.set_language(lang)
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _three_problems() -> None:
    """A managed file with an unknown key and a bad value, and a malformed one."""
    write_managed_policy({"lobby_previw": False, "turn_seconds": 5})
    broken = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed" / "20-site.json"
    broken.write_text("{ not json")
    broken.chmod(0o644)


class FakeCapture:
    """The OS side of screen-capture exclusion: records what it was asked."""

    def __init__(self, available: bool = True) -> None:
        self.is_available = available
        self.calls: list[tuple[int, bool]] = []

    def available(self) -> bool:
        return self.is_available

    def apply(self, win_id: int, excluded: bool) -> bool:
        self.calls.append((win_id, excluded))
        return True


def _window(windows: Windows, capture: FakeCapture | None = None) -> MainWindow:
    window = MainWindow(
        Workspace(windows.data_dir), windows.languages, settings=UserSettings(), capture=capture
    )
    windows.qtbot.addWidget(window)
    window.show()
    windows.opened.append(window)
    return window


def _about(window: MainWindow) -> str:
    window.show_about()
    box = window.findChild(QMessageBox)
    assert box is not None
    text = box.text()
    box.close()
    box.deleteLater()
    return text


def test_every_policy_problem_is_listed_from_the_status_bar_and_copied(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    _three_problems()
    problems = load_effective_policy().problems
    assert len(problems) == 3

    async def scenario() -> None:
        window = windows.open()
        window.show_policy_problems(problems)
        notice = window.policy_notice
        assert notice.isVisibleTo(window)
        assert notice.text() == "3 problems in your organisation's policy"  # not cut off
        assert notice.accessibleName() == notice.text()
        assert notice.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable by keyboard
        assert window.policy_problems_action.isVisible()  # and from the Help menu

        qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
        dialog = window.policy_problems_dialog
        assert isinstance(dialog, PolicyProblemsDialog)
        assert dialog.isVisible()
        listing = dialog.listing.toPlainText()
        assert "Problem 3 of 3" in listing
        assert "10-org.json" in listing
        assert "20-site.json" in listing
        assert "Key: lobby_previw" in listing
        assert "Key: turn_seconds" in listing
        for problem in problems:
            assert problem.reason() in listing
        flags = dialog.listing.textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        assert QApplication.clipboard().text() == listing
        assert dialog.copied.isVisibleTo(dialog)

        _speak(windows.languages, "fr_CA")
        assert notice.text() == "3 problèmes dans la politique de votre organisation"
        assert dialog.windowTitle() == "Problèmes de la politique de l'organisation"
        french = dialog.listing.toPlainText()
        assert "Problème 3 sur 3" in french
        assert "Clé : turn_seconds" in french
        for problem in problems:
            assert problem.reason("fr_CA") in french
        dialog.reject()
        window.policy_problems_action.trigger()  # Help > Organisation policy problems…
        assert window.policy_problems_dialog is not None
        window.policy_problems_dialog.reject()
        await windows.close_all()

    run(scenario())


def test_no_problem_no_notice(run: Run[Any], windows: Windows, memory_keyring: Any) -> None:
    async def scenario() -> None:
        window = windows.open()
        window.show_policy_problems(())
        assert not window.policy_notice.isVisibleTo(window)
        assert not window.policy_problems_action.isVisible()
        await windows.close_all()

    run(scenario())


def test_settings_the_organisation_decides_say_so(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    write_managed_policy({"language": "en", "auto_lock_minutes": 5, "exclude_screen_capture": True})

    async def scenario() -> None:
        capture = FakeCapture()
        window = _window(windows, capture)
        note = window.language_managed_note
        assert note is not None
        assert note.text() == "Managed by your organisation"
        assert note in window.language_menu.actions()
        assert not window.language_group.isEnabled()
        lock_note = window.auto_lock.managed_note
        assert lock_note is not None
        assert lock_note.text() == "Managed by your organisation: at most 5 minutes"
        action = window.capture.action
        assert not action.isEnabled()
        assert action.isChecked()
        assert action.text().endswith("(managed by your organisation)")
        assert capture.calls == [(int(window.winId()), True)]  # hidden once shown
        assert _about(window).endswith(
            "Managed by your organisation: it decides some settings (shown as such in the menus)."
        )

        _speak(windows.languages, "fr_CA")
        assert note.text() == "Géré par votre organisation"
        assert lock_note.text() == "Géré par votre organisation : au plus 5 minutes"
        assert action.text().endswith("(géré par votre organisation)")
        _speak(windows.languages, "en")
        await windows.close_all()

    run(scenario())


def test_an_unmanaged_computer_is_said_so_and_everything_is_the_person_s(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        assert window.language_managed_note is None
        assert window.auto_lock.managed_note is None
        assert window.language_group.isEnabled()
        assert _about(window).endswith("Not managed by an organisation: every setting is yours.")
        await windows.close_all()

    run(scenario())


def test_the_person_may_hide_the_window_from_capture_when_the_organisation_leaves_it(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        capture = FakeCapture()
        window = _window(windows, capture)
        action = window.capture.action
        assert action.isEnabled()
        assert not action.isChecked()
        assert capture.calls == []  # nothing hidden, nothing asked of the system
        action.trigger()
        assert capture.calls[-1] == (int(window.winId()), True)
        assert json.loads(default_user_file().read_text())["exclude_screen_capture"] is True
        action.trigger()
        assert capture.calls[-1] == (int(window.winId()), False)
        await windows.close_all()

    run(scenario())


def test_where_the_system_cannot_the_setting_says_not_available(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    write_managed_policy({"exclude_screen_capture": True})

    async def scenario() -> None:
        window = windows.open()  # the real backend: Linux offers no capture exclusion
        action = window.capture.action
        assert not action.isEnabled()
        assert not action.isChecked()
        assert action.text().endswith("(not available on this system)")
        assert window.capture.applied is None  # nothing was asked of the system
        _speak(windows.languages, "fr_CA")
        assert action.text().endswith("(non offert sur ce système)")
        _speak(windows.languages, "en")
        await windows.close_all()

    run(scenario())


def test_the_guidelines_are_in_the_help_menu_with_https_links_only(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    write_managed_policy(
        {
            "organisation_guidelines": {
                "en": "Groups end on time.\nSee https://intranet.example.org/groups and "
                "http://old.example.org <b>not bold</b>",
                "fr_CA": "Les groupes finissent à l'heure. Voir https://intranet.example.org/groupes",
            }
        }
    )

    async def scenario() -> None:
        window = windows.open()
        assert window.guidelines_action.isVisible()
        assert window.guidelines_action.text() == "Your &organisation's guidelines…"
        window.guidelines_action.trigger()
        dialog = window.guidelines_dialog
        assert isinstance(dialog, GuidelinesDialog)
        assert dialog.isVisible()
        text = dialog.browser.toPlainText()
        assert "Groups end on time." in text
        assert "<b>not bold</b>" in text  # the policy's text is text, never markup
        html = dialog.browser.toHtml()
        assert 'href="https://intranet.example.org/groups"' in html
        assert 'href="http://old.example.org"' not in html
        opened: list[QUrl] = []
        dialog.open_url = opened.append
        assert dialog.follow(QUrl("https://intranet.example.org/groups"))
        assert not dialog.follow(QUrl("http://old.example.org"))
        assert not dialog.follow(QUrl("file:///etc/passwd"))
        assert [url.toString() for url in opened] == ["https://intranet.example.org/groups"]

        _speak(windows.languages, "fr_CA")
        assert dialog.windowTitle() == "Lignes directrices de votre organisation"
        assert "Les groupes finissent à l'heure." in dialog.browser.toPlainText()
        _speak(windows.languages, "en")
        dialog.reject()
        await windows.close_all()

    run(scenario())


def test_no_guidelines_no_help_entry(run: Run[Any], windows: Windows, memory_keyring: Any) -> None:
    async def scenario() -> None:
        window = windows.open()
        assert not window.guidelines_action.isVisible()
        await windows.close_all()

    run(scenario())
