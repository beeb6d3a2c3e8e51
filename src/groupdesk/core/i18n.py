"""French (Québec) and English text for the parts of GroupDesk that do not run Qt.

Qt widgets translate through Qt's own system (``i18n/*.ts``). Everything else a
person reads -- command-line output, error messages raised below the UI -- is a
key in one of the catalogues ``i18n/messages/<area>.json``, each entry holding
``{"en": ..., "fr_CA": ...}`` with ``{name}`` placeholders.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "fr_CA")
DEFAULT_LANGUAGE = "en"

_current: str | None = None


def normalize_language(tag: str | None) -> str | None:
    """Map a locale tag (``fr``, ``fr_CA.UTF-8``, ``en-US``) to a supported language."""
    if not tag:
        return None
    base = tag.replace("-", "_").split(".")[0].split("@")[0].lower()
    if base.startswith("fr"):
        return "fr_CA"
    if base.startswith("en"):
        return "en"
    return None


def detect_language(env: dict[str, str] | None = None) -> str:
    """The language from ``GROUPDESK_LANG``, then the POSIX locale variables."""
    env = dict(os.environ) if env is None else env
    for var in ("GROUPDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        lang = normalize_language(env.get(var, "").split(":")[0])
        if lang:
            return lang
    return DEFAULT_LANGUAGE


def language_from_argv(argv: list[str]) -> str:
    """The ``--lang`` value of a command line if given, else the detected language.

    Read before the parser exists, because the parser's help text is translated.
    """
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return normalize_language(value) or detect_language()
    return detect_language()


def set_language(lang: str) -> None:
    """Choose the language for messages from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    global _current  # noqa: PLW0603 -- one process-wide choice, like Qt's installed translator
    _current = lang


def get_language() -> str:
    """The language in use: the one set, else the one detected."""
    return _current or detect_language()


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, merged from the per-area catalogue files."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("groupdesk").joinpath("i18n/messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice (again in {entry.name})")
            merged[key] = texts
    return merged


def tr(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The text of message ``key`` in ``lang`` (default: the current language)."""
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    text = texts.get(lang or get_language()) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def decimal(value: float, digits: int = 1, lang: str | None = None) -> str:
    """``value`` with ``digits`` decimals as the language writes it: 0.5 in English,
    0,5 in French."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if (lang or get_language()).startswith("fr") else text
