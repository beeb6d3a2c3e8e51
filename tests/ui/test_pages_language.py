"""The group, prepare and devices pages, with a log open, in French and English."""

from __future__ import annotations

from typing import Any

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QTableWidget,
    QWidget,
)
from test_language import SAME_IN_BOTH, _is_qt_internal, _visible_texts
from ui_helpers import Run, Windows, next_emission

from groupdesk.ui.main_window import MainWindow

#: What the person typed (names, numbers): the same in every language.
DATA = {"Proches aidants", "Le mardi soir", "Julie Pelletier", "Expected: 0"}


def _switch(window: MainWindow, lang: str) -> None:
    window.language_actions[lang].trigger()
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _untranslated(english: dict[str, str], french: dict[str, str]) -> list[str]:
    return sorted(
        english[key]
        for key, text in french.items()
        if key in english
        and text == english[key]
        and text not in SAME_IN_BOTH | DATA
        and not text.startswith(("Personne ", "514-555-"))
    )


def test_every_new_page_is_in_french_with_a_log_open(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=3, facilitator="Julie Pelletier")
        window = await open_window(windows)
        select_group(window, group.id)
        await next_emission(window.workspace.members_changed)
        window.show_prepare()
        await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
        window.show_devices()
        await wait_for(lambda: window.pages.currentWidget() is window.devices_page)
        await next_emission(window.devices_page.devices.preview_changed)
        english = _visible_texts(window)
        table = window.home_page.members.table
        english_cells = [table.item(0, c).text() for c in (4, 5)]

        _switch(window, "fr_CA")
        french = _visible_texts(window)
        assert _untranslated(english, french) == []
        assert window.prepare_page.checks["headset"].text() == "Casque d'écoute en place"
        assert window.devices_page.camera.currentText() == "Mire d'essai (aucune caméra trouvée)"
        assert [table.item(0, c).text() for c in (4, 5)] != english_cells
        assert window.home_page.members.dialog.windowTitle() == "Nouveau membre"

        _switch(window, "en")
        assert window.prepare_page.checks["headset"].text() == "Headset on"
        await windows.close_all()

    run(scenario())


def test_every_control_of_the_new_pages_has_an_accessible_name(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=2)
        window = await open_window(windows)
        select_group(window, group.id)
        await next_emission(window.workspace.members_changed)
        window.show_prepare()
        await wait_for(lambda: window.pages.currentWidget() is window.prepare_page)
        kinds = (
            QAbstractButton,
            QLineEdit,
            QListWidget,
            QComboBox,
            QAbstractSpinBox,
            QProgressBar,
            QTableWidget,
        )
        controls = [
            widget
            for page in (window.home_page, window.prepare_page, window.devices_page)
            for widget in page.findChildren(QWidget)
            if isinstance(widget, kinds) and not _is_qt_internal(widget)
        ]
        assert len(controls) > 40
        nameless = [type(w).__name__ for w in controls if not w.accessibleName()]
        assert nameless == []
        await windows.close_all()

    run(scenario())
