r"""The Windows registry as a ``core.policy_sources.RegistryView``: ``HKEY_LOCAL_MACHINE``
read through ``winreg`` (imported only on Windows; tests pass a fake module).

Only ``HKLM\SOFTWARE\Policies\GroupDesk`` and its subkeys are read, in the 64-bit view:
administrators alone may write there (the default ACL of ``SOFTWARE\Policies``). To check
that no one changed that ACL, a process that is not elevated tries to open each key for
writing: if it can, an ordinary user could have written the policy.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from groupdesk.core.policy_sources import RegistryReader


class WinRegView:
    """``RegistryView`` over ``winreg`` (or a module with the same functions)."""

    def __init__(self, winreg: Any, elevated: Callable[[], bool]) -> None:
        self._winreg = winreg
        self._elevated = elevated

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

    def writable(self, path: str) -> bool:
        if self._elevated():
            return False  # an administrator may write there anyway: nothing to learn
        winreg = self._winreg
        access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, access)
        except (FileNotFoundError, PermissionError):
            return False
        key.Close()
        return True


def is_elevated() -> bool:
    """Whether this process runs with administrator rights (Windows only)."""
    return bool(getattr(ctypes, "windll").shell32.IsUserAnAdmin())  # noqa: B009 -- Windows only


def registry_reader() -> RegistryReader:
    """The reader of this machine's registry (Windows only)."""
    import winreg  # exists on Windows only

    return RegistryReader(WinRegView(winreg, is_elevated))
