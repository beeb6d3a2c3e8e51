"""The base of every error a person may read: a catalogue key plus its parameters."""

from __future__ import annotations

from typing import Any

from groupdesk.core.i18n import tr


class GroupDeskError(Exception):
    """An error with a stable code (its catalogue key) and a translated message.

    Subclasses set ``key``; callers pass the placeholders as keyword arguments.
    ``str(error)`` is the English text, ``error.message(lang)`` any language.
    """

    key = "error.unexpected"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(self.key)

    @property
    def code(self) -> str:
        """The stable code scripts and tests can match on."""
        return self.key

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language)."""
        return tr(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")
