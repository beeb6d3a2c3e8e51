"""French words a person reads: a password is called one, a button says what it does,
plurals agree, and a time never breaks over two lines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import QApplication, QLabel

from groupdesk.ui.join_dialog import CredentialDialog
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.widgets import short_time

SUMMARY = (
    "From {start} to {end}, %n people attended (below; guests are people admitted who are "
    "not members of the group). The start, the end and the attendance (who joined and left, "
    "and when) are saved in the session log."
)


def _french(languages: LanguageSwitcher) -> None:
    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()


def test_the_server_password_is_called_a_password(qtbot: Any, languages: LanguageSwitcher) -> None:
    _french(languages)
    dialog = CredentialDialog("https://groupdesk.exemple.ca")
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Mot de passe du serveur :" in labels
    assert not any("Identifiant" in text for text in labels)
    assert "Mot de passe" in dialog.credential_field.accessibleName()


def test_french_menu_and_lobby_words(languages: LanguageSwitcher) -> None:
    _french(languages)
    tr = QCoreApplication.translate
    assert tr("MainWindow", "Sa&ve the prepared session") == "Sauve&garder la séance préparée"
    knock = tr("LobbyPanel", "Knock sound when someone arrives")
    assert "cogne à la porte" in knock
    assert "Son de cogne" not in knock
    assert tr("LivePage", "Turn camera on") == "Allumer la caméra"
    assert tr("LivePage", "Turn camera off") == "Éteindre la caméra"


def test_the_attendance_summary_agrees_with_its_number(languages: LanguageSwitcher) -> None:
    _french(languages)
    one = QCoreApplication.translate("LivePage", SUMMARY, "", 1)
    three = QCoreApplication.translate("LivePage", SUMMARY, "", 3)
    assert "1 personne était présente" in one
    assert "3 personnes étaient présentes" in three


def test_a_time_never_wraps_in_either_language(languages: LanguageSwitcher) -> None:
    assert short_time(QTime(19, 0)) == "7:00\u202fp.m."
    _french(languages)
    assert short_time(QTime(19, 0)) == "19\u00a0h\u00a000"  # no-break spaces: no « 19 / h 00 »
