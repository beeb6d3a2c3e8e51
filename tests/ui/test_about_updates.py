"""The About box says GroupDesk never updates itself, and whether the policy
(``update_check``) turned the notices of new versions off."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import Windows

from groupdesk.ui.main_window import MainWindow
from managed_policy import write_managed_policy


def _about(window: MainWindow) -> str:
    before = set(window.findChildren(QMessageBox))
    window.show_about()
    (box,) = set(window.findChildren(QMessageBox)) - before  # the one just opened
    text = box.text()
    box.close()
    box.deleteLater()
    return text


def test_unmanaged_the_about_box_says_there_is_no_update_check(
    windows: Windows, memory_keyring: Any
) -> None:
    text = _about(windows.open())
    assert "GroupDesk never updates itself and does not check for new versions" in text
    assert "notices of new versions are off" not in text


def test_a_managed_install_turns_update_notices_off_and_the_about_box_says_so(
    windows: Windows, memory_keyring: Any
) -> None:
    write_managed_policy({"update_check": False})
    window = windows.open()
    assert window.policy.update_check is False
    assert "notices of new versions are off: your organisation installs them" in _about(window)
    windows.languages.set_language("fr_CA")
    QApplication.processEvents()
    assert "les avis de nouvelles versions sont désactivés" in _about(window)
