"""The window speaks French (Québec) and English, switches live, and remembers the choice."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)
from ui_helpers import Run, Windows

from groupdesk.core.i18n import get_language
from groupdesk.sessionlog import WrongPassphrase
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.workspace import Stage

#: Texts that are the same in both languages on purpose.
SAME_IN_BOTH = {"GroupDesk", "English", "Français", ""}


def _visible_texts(window: MainWindow) -> dict[str, str]:
    """Every text a person can read or hear (screen reader) in the window, by object."""
    texts: dict[str, str] = {}
    for widget in [window, *window.findChildren(QWidget)]:
        name = f"{type(widget).__name__}@{id(widget):x}"
        texts[name + ".title"] = widget.windowTitle()
        texts[name + ".accessible"] = widget.accessibleName()
        texts[name + ".tooltip"] = widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            texts[name + ".text"] = widget.text()
        if isinstance(widget, QLineEdit):
            texts[name + ".placeholder"] = widget.placeholderText()
    for action in window.findChildren(QAction):
        texts[f"QAction@{id(action):x}.text"] = action.text()
    return texts


def _process_language_change() -> None:
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _switch(window: MainWindow, lang: str) -> None:
    window.language_actions[lang].trigger()
    _process_language_change()


def _all_pages(window: MainWindow) -> dict[str, str]:
    """The texts of every page and panel (each one is built up front, shown or not)."""
    return _visible_texts(window)


def test_switching_to_french_changes_menus_buttons_and_messages_and_back(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    async def scenario() -> None:
        window = windows.open()
        await window.workspace.start()
        english = _all_pages(window)
        assert window.file_menu.title() == "&File"
        assert window.unlock_page.create_panel.create_button.text() == "&Create my session log"

        _switch(window, "fr_CA")
        french = _all_pages(window)
        assert get_language() == "fr_CA"
        assert window.file_menu.title() == "&Fichier"
        assert window.language_menu.title() == "&Langue"
        assert window.help_menu.title() == "&Aide"
        assert window.quit_action.text() == "&Quitter"
        create = window.unlock_page.create_panel
        assert create.create_button.text() == "&Créer mon journal de séances"
        assert window.language_actions["fr_CA"].isChecked()
        untranslated = sorted(
            key for key, text in french.items()
            if text == english[key] and text not in SAME_IN_BOTH
        )  # fmt: skip
        assert untranslated == [], [english[key] for key in untranslated]

        _switch(window, "en")
        assert _all_pages(window) == english
        assert get_language() == "en"
        await windows.close_all()

    run(scenario())


def test_every_page_is_translated_including_messages_from_the_session_log(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    """A page left with English text after the switch is a string without French."""

    async def scenario() -> None:
        from groupdesk.sessionlog import KeyStore, SessionLog

        new_key = KeyStore(windows.data_dir).create(passphrase="open sesame")
        await (await SessionLog.open(windows.data_dir, new_key.key)).close()
        window = windows.open(env_passphrase="wrong")
        await window.workspace.start()
        workspace = window.workspace
        assert workspace.stage is Stage.PASSPHRASE
        message = window.unlock_page.passphrase_panel.message
        assert message.text() == WrongPassphrase().message("en")
        english = _all_pages(window)

        _switch(window, "fr_CA")
        assert message.text() == WrongPassphrase().message("fr_CA")
        french = _all_pages(window)
        untranslated = sorted(
            english[key] for key, text in french.items()
            if text == english[key] and text not in SAME_IN_BOTH
        )  # fmt: skip
        assert untranslated == []
        await windows.close_all()

    run(scenario())


def test_the_blocked_page_is_translated(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        from groupdesk.sessionlog import KeyNotFound, KeyStore, SessionLog

        new_key = KeyStore(windows.data_dir).create()
        await (await SessionLog.open(windows.data_dir, new_key.key)).close()
        memory_keyring.entries.clear()
        window = windows.open()
        await window.workspace.start()
        assert isinstance(window.workspace.error, KeyNotFound)
        english = _all_pages(window)
        _switch(window, "fr_CA")
        french = _all_pages(window)
        blocked = window.unlock_page.blocked_panel
        assert blocked.message.text() == window.workspace.error.message("fr_CA")
        untranslated = sorted(
            english[key] for key, text in french.items()
            if text == english[key] and text not in SAME_IN_BOTH
        )  # fmt: skip
        assert untranslated == []
        await windows.close_all()

    run(scenario())


def test_the_language_choice_is_remembered(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    async def scenario() -> None:
        window = windows.open()
        assert UserSettings().language() is None
        _switch(window, "fr_CA")
        assert UserSettings().language() == "fr_CA"
        _switch(window, "en")
        assert UserSettings().language() == "en"
        await windows.close_all()

    run(scenario())


def test_every_control_has_an_accessible_name(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        await window.workspace.start()
        controls = [
            widget
            for widget in window.findChildren(QWidget)
            if isinstance(widget, QAbstractButton | QLineEdit | QListWidget)
            and not _is_qt_internal(widget)
        ]
        assert len(controls) > 20  # every page and panel is built up front
        nameless = [
            f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
            for widget in controls
            if not widget.accessibleName()
        ]
        assert nameless == []
        await windows.close_all()

    run(scenario())


def _is_qt_internal(widget: QWidget) -> bool:
    """Buttons Qt makes for its own widgets (scroll arrows, the menu bar extension)."""
    return widget.objectName().startswith("qt_")


def test_a_language_locked_by_the_organisation_cannot_be_changed(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    import json
    import os
    from pathlib import Path

    managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    managed.mkdir()
    (managed / "10-org.json").write_text(json.dumps({"language": "fr_CA"}))

    async def scenario() -> None:
        window = windows.open()
        assert UserSettings().language() == "fr_CA"
        assert UserSettings().language_locked()
        assert not window.language_group.isEnabled()
        await windows.close_all()

    run(scenario())
