r"""The Windows registry as a ``core.policy_sources.RegistryView``: ``HKEY_LOCAL_MACHINE``
read through ``winreg`` (imported only on Windows; tests pass a fake module).

Only ``HKLM\SOFTWARE\Policies\GroupDesk`` and its subkeys are read, in the 64-bit view:
administrators alone may write there (the default ACL of ``SOFTWARE\Policies``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from groupdesk.core.policy_sources import RegistryReader


class WinRegView:
    """``RegistryView`` over ``winreg`` (or a module with the same functions)."""

    def __init__(self, winreg: Any) -> None:
        self._winreg = winreg

    def _open(self, path: str) -> Any:
        """The open key, or None when it does not exist (OSError for anything else)."""
        winreg = self._winreg
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            return winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, access)
        except FileNotFoundError:
            return None

    def values(self, path: str) -> Mapping[str, tuple[Any, int]] | None:
        key = self._open(path)
        if key is None:
            return None
        with key:
            _, count, _ = self._winreg.QueryInfoKey(key)
            found: dict[str, tuple[Any, int]] = {}
            for index in range(count):
                name, data, kind = self._winreg.EnumValue(key, index)
                found[str(name)] = (data, int(kind))
            return found

    def subkeys(self, path: str) -> Sequence[str]:
        key = self._open(path)
        if key is None:
            return []
        with key:
            count, _, _ = self._winreg.QueryInfoKey(key)
            return [str(self._winreg.EnumKey(key, index)) for index in range(count)]


def registry_reader() -> RegistryReader:
    """The reader of this machine's registry (Windows only)."""
    import winreg  # exists on Windows only

    return RegistryReader(WinRegView(winreg))
