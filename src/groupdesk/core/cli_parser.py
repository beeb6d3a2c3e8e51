"""An ``argparse`` parser whose own words ("usage:", "options", "error: ...") follow the
language chosen for GroupDesk, like the help texts we give it.

argparse translates through ``gettext``: it calls the module's ``_`` and ``ngettext``
(``from gettext import gettext as _, ngettext``) each time it writes a word. A
gettext catalogue would need compiled ``.mo`` files and the process-wide text
domain and locale variables; instead :class:`ArgumentParser` points those two
names at the catalogue (``i18n/messages/argparse.json``, whose English texts are
argparse's own) only while one of its methods runs, and puts them back after:
another parser in the same process (pytest's) is left alone. If a later Python
renames them, the words simply stay English (a test says so).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any, NoReturn

from groupdesk.core.i18n import catalogue, tr

_PREFIX = "argparse."


@cache
def _keys() -> dict[str, str]:
    """argparse's English message -> its catalogue key."""
    return {texts["en"]: key for key, texts in catalogue().items() if key.startswith(_PREFIX)}


def gettext(message: str) -> str:
    """argparse's ``message`` in the current language (itself when not in the catalogue)."""
    key = _keys().get(message)
    return tr(key) if key else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """argparse's singular or plural message for ``count``, in the current language."""
    return gettext(singular if count == 1 else plural)


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    saved = getattr(argparse, "_", None), getattr(argparse, "ngettext", None)
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` speaking the current language (its subparsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _translated():  # "positional arguments", "options", the -h help
            super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> Any:
        with _translated():  # "unrecognized arguments" is said here
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        with _translated():  # errors, and the help that -h prints
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _translated():
            return super().format_usage()

    def format_help(self) -> str:
        with _translated():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _translated():
            super().error(message)
