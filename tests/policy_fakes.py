"""Fakes of the Windows registry (a ``RegistryView`` and a ``winreg``-like module) and of
CoreFoundation's preferences, so that the policy sources of every OS run on Linux."""

from __future__ import annotations

import plistlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from groupdesk.core.policy_sources import REG_DWORD, REG_SZ, REGISTRY_KEY


class FakeRegistry:
    """HKLM as a dict: key path -> {value name: (data, type)}, looked up without regard to
    case, like Windows. A key listed in ``denied`` raises PermissionError, as the registry
    does for an ordinary user."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}
        self.denied: set[str] = set()
        self.user_writable: set[str] = set()

    def _find(self, path: str) -> str | None:
        return next((key for key in self.keys if key.lower() == path.lower()), None)

    def set(self, path: str, name: str, data: Any, kind: int) -> None:
        parts = path.split("\\")
        for end in range(1, len(parts) + 1):  # its parents exist, as in a real hive
            parent = "\\".join(parts[:end])
            if self._find(parent) is None:
                self.keys[parent] = {}
        self.keys[self._find(path) or path][name] = (data, kind)

    def policy(self, name: str, data: Any, kind: int, sub: str = "") -> None:
        """Set ``name`` under GroupDesk's key (``sub``: e.g. ``Recommended``)."""
        self.set(REGISTRY_KEY + (f"\\{sub}" if sub else ""), name, data, kind)

    def policy_list(self, name: str, items: Sequence[Any], sub: str = "") -> None:
        """A list as an ADMX ``<list>`` writes it: values 1, 2, 3... under a subkey."""
        base = REGISTRY_KEY + (f"\\{sub}" if sub else "") + f"\\{name}"
        for number, item in enumerate(items, start=1):
            kind, data = (REG_DWORD, item) if isinstance(item, int) else (REG_SZ, item)
            self.set(base, str(number), data, kind)

    def check(self, path: str) -> None:
        if path.lower() in {d.lower() for d in self.denied}:
            raise PermissionError(13, "Access is denied")

    # RegistryView
    def values(self, path: str) -> Mapping[str, tuple[Any, int]] | None:
        self.check(path)
        found = self._find(path)
        return None if found is None else dict(self.keys[found])

    def writable(self, path: str) -> bool:
        return path.lower() in {w.lower() for w in self.user_writable}

    def subkeys(self, path: str) -> Sequence[str]:
        self.check(path)
        prefix = path.lower() + "\\"
        names = {k[len(prefix) :].split("\\")[0] for k in self.keys if k.lower().startswith(prefix)}
        return sorted(names)


@dataclass
class _Key:
    path: str
    closed: bool = False

    def __enter__(self) -> _Key:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def Close(self) -> None:  # noqa: N802 -- winreg's name
        self.closed = True


class FakeWinreg:
    """The ``winreg`` functions ``WinRegView`` calls, over a :class:`FakeRegistry`."""

    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    KEY_WOW64_64KEY = 0x0100

    def __init__(self, registry: FakeRegistry) -> None:
        self.registry = registry
        self.opened: list[tuple[int, str, int]] = []

    def OpenKey(self, hive: int, path: str, reserved: int, access: int) -> _Key:  # noqa: N802
        self.opened.append((hive, path, access))
        if access & self.KEY_SET_VALUE and not self.registry.writable(path):
            raise PermissionError(5, "Access is denied")
        self.registry.check(path)
        if self.registry.values(path) is None:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return _Key(path)

    def QueryInfoKey(self, key: _Key) -> tuple[int, int, int]:  # noqa: N802
        values = self.registry.values(key.path) or {}
        return len(self.registry.subkeys(key.path)), len(values), 0

    def EnumValue(self, key: _Key, index: int) -> tuple[str, Any, int]:  # noqa: N802
        name, (data, kind) = list((self.registry.values(key.path) or {}).items())[index]
        return name, data, kind

    def EnumKey(self, key: _Key, index: int) -> str:  # noqa: N802
        return self.registry.subkeys(key.path)[index]


@dataclass
class FakePreferences:
    """CFPreferences of every domain: (domain, name) -> (value, forced). Values cross as
    XML property lists, as ``CoreFoundation.copy_app_value`` hands them over."""

    values: dict[tuple[str, str], tuple[Any, bool]] = field(default_factory=dict)

    def copy_app_value(self, name: str, app: str) -> bytes | None:
        found = self.values.get((app, name))
        return None if found is None else plistlib.dumps(found[0], fmt=plistlib.FMT_XML)

    def is_forced(self, name: str, app: str) -> bool:
        found = self.values.get((app, name))
        return found is not None and found[1]
