"""The user's own interface choices (for now: the language), kept in an INI file."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from groupdesk.core.i18n import LANGUAGES

_LANGUAGE_KEY = "ui/language"


def settings_path() -> Path:
    """Where the choices live: ``<user config dir>/GroupDesk/ui.ini``."""
    return Path(platformdirs.user_config_dir("GroupDesk", appauthor=False)) / "ui.ini"


class UserSettings:
    """Read and write the interface choices of the person using this computer.

    The path is resolved on each construction (not cached by Qt), so tests with
    their own ``XDG_CONFIG_HOME`` never see each other's choices.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def language(self) -> str | None:
        """The language chosen in the Language menu, if any."""
        value = self._settings.value(_LANGUAGE_KEY)
        return value if isinstance(value, str) and value in LANGUAGES else None

    def set_language(self, lang: str) -> None:
        """Remember ``lang`` for the next start."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        self._settings.setValue(_LANGUAGE_KEY, lang)
        self._settings.sync()
