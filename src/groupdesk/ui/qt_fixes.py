"""A work-around for a reference-counting bug of PySide6 6.12 on Python 3.11.

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit()`` and ``None``
from some void methods (``QTimer.start``/``stop`` among them) without taking a
new reference. Each call then takes one reference away from the singleton;
after a few thousand emissions (a few seconds of video tiles) CPython frees
``True`` or ``None`` and aborts with "bool_dealloc" / "none_dealloc".

Python 3.12 made these singletons immortal, which hides the bug. On older
Pythons we give them the same property: a reference count so large that no
session can use it up. They are never freed anyway; nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

_BUMP = 1 << 40
_applied = False


def keep_singletons_alive() -> None:
    """Make ``True``, ``False`` and ``None`` effectively immortal (once; no-op on 3.12+)."""
    global _applied  # noqa: PLW0603 -- once per process
    if _applied or sys.version_info >= (3, 12):
        return
    _applied = True
    for singleton in (True, False, None):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _BUMP
