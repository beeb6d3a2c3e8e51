"""The About box says what GroupDesk does today, and what is not there yet."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Windows

from groupdesk import app


def _about_text(windows: Windows) -> str:
    window = windows.open()
    window.show_about()
    box = window.findChild(QMessageBox)
    assert box is not None
    text = box.informativeText()
    box.close()
    return text


def test_the_about_box_does_not_promise_what_is_not_built(
    windows: Windows, memory_keyring: Any
) -> None:
    text = _about_text(windows)
    today, missing = text.split("Not there yet:")
    assert "encrypted session log" in today
    assert "speaking turns" in today  # built: hands in order, the floor, talk time, rounds
    assert "safety signal" in today  # built: discreet, withdrawable, followed up
    assert "safety signal" not in missing
    assert "checklist each participant answers that decides admission" in today
    assert "checklist" not in missing
    assert "crisis panel" in today
    assert "crisis panel" not in missing
    assert "notes after each session" in today
    assert "PDF" in today
    assert "notes" not in missing
    assert "keyboard and screen reader" in today
    assert "security code" in today
    assert "relay-only" in today
    assert "installers" in today
    assert "document sharing" in today
    assert "media server (SFU, not end-to-end encrypted)" in today
    assert "sharing" not in missing  # screen sharing works through the media server too
    assert "end-to-end encryption in rooms through the media server" in missing


def test_the_about_box_in_french(windows: Windows, memory_keyring: Any) -> None:
    windows.languages.set_language("fr_CA")
    text = _about_text(windows)
    today, missing = text.split("Pas encore là :")
    assert "journal de séances chiffré" in today
    assert "tours de parole" in today
    assert "tours de parole" not in missing
    assert "panneau de crise" in today
    assert "notes après chaque séance" in today
    assert "notes" not in missing
    assert "installateurs" in today
    assert "SFU, sans chiffrement de bout en bout" in today
    assert "partage" not in missing
    assert "chiffrement de bout en bout dans les salles qui passent par le serveur" in missing
    assert "lecteur d'écran" in today
    assert "code de sécurité" in today
    assert "décide de l'admission" in today


def test_the_command_line_help_says_what_is_not_there_yet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for lang, missing in (("en", "Not there yet"), ("fr_CA", "Pas encore là")):
        with pytest.raises(SystemExit):
            app.main(["--lang", lang, "--help"])
        out = " ".join(capsys.readouterr().out.split())  # argparse wraps the description
        assert missing in out
        assert "tours de parole équitables" not in out
        assert "fair turns" not in out
