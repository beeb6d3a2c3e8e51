"""``groupdesk`` with a display: the window runs on the qasync loop until it is closed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from groupdesk import app
from groupdesk.sessionlog import KeyStore
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage


def test_quit_closes_the_window_and_the_log_and_ends_the_app(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, memory_keyring: Any
) -> None:
    monkeypatch.setattr(app, "_HEADLESS_PLATFORMS", ())  # behave as on a desktop
    seen: list[Stage] = []

    def quit_once_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = next((w for w in windows if w.isVisible() and w.workspace.settled), None)
        if window is None:
            QTimer.singleShot(20, quit_once_shown)
            return
        seen.append(window.workspace.stage)
        window.quit_action.trigger()  # File > Quit (Ctrl+Q)

    QTimer.singleShot(20, quit_once_shown)
    args = app.build_parser().parse_args(["--data-dir", str(tmp_path / "log"), "--lang", "en"])
    assert app._run_gui(args) == 0
    assert seen == [Stage.CHOOSE_PROTECTION]
    assert KeyStore(tmp_path / "log").state() == "new"  # showing the window created nothing
