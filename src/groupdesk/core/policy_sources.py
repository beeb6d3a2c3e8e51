r"""Where the administrator's policy comes from on each OS: readers that give layers + problems.

A :class:`PolicyReader` turns one administrator source into the managed and recommended
:class:`~groupdesk.core.policy_files.Layer` lists that
:func:`groupdesk.core.policy.load_effective_policy` merges: same schema, same per-key
validation (:func:`~groupdesk.core.policy_files.layer_of`), same precedence, ceilings and
problems (file, key, reason) whatever the OS. Nothing here touches the OS itself: the
Windows registry and macOS preferences are read through two small views
(:class:`RegistryView`, :class:`ManagedPreferences`) that ``groupdesk.platform`` implements
with ``winreg`` and CoreFoundation, and that tests fake.

Sources, by OS:

* **Linux** (and other POSIX but macOS): ``/etc/groupdesk/policies/{managed,recommended}/
  *.json`` (:class:`FolderReader`), trusted only when root owns them and nobody else may
  write them (:func:`~groupdesk.core.policy_files.trusted`).
* **Windows**: ``HKLM\SOFTWARE\Policies\GroupDesk`` (managed) and its ``Recommended``
  subkey (recommended) (:class:`RegistryReader`), where Group Policy and Intune write.
  Only administrators may write under ``HKLM\SOFTWARE\Policies`` (its default ACL); a
  key that the current user, not elevated, could open for writing is reported
  (``registry_writable``) and not applied. The per-user ``HKCU`` hive is not read.
  Value types follow Chrome's registry policies:

  ========  ==================================================================
  boolean   ``REG_DWORD`` 0 or 1
  integer   ``REG_DWORD`` (``REG_QWORD`` accepted)
  string    ``REG_SZ``
  object    ``REG_SZ`` holding the JSON object (texts by language, the consent...)
  list      a subkey named after the key, holding values named ``1``, ``2``, ``3``...
            in that order (what an ADMX ``<list>`` element writes), each a ``REG_SZ``
            holding one JSON object; or one ``REG_SZ`` value holding the JSON array
  ========  ==================================================================

  Any other type is a ``wrong_registry_type`` problem and the value is not applied (a
  managed key still locks: fail closed, as with an invalid value in a file).
* **macOS**: the managed preferences of the domain :data:`MACOS_DOMAIN`, which a
  configuration profile (MDM, Jamf) installs (:class:`PreferencesReader`). A value is
  managed when ``CFPreferencesAppValueIsForced`` says so; recommended values are the
  entries of the forced dictionary ``Recommended``. A value that is *not* forced comes
  from a preferences file the person may write (``~/Library/Preferences``): it is reported
  (``not_forced``) and not applied.

The policy folder on Windows and macOS: **not read**. Its trust would rest on ACLs (Windows
ACLs, macOS ``chmod +a`` entries) that the POSIX mode bits do not show, and the registry
and configuration profiles are what those systems' management tools write. If the folder
exists it is reported (``folder_not_read``) so that a file dropped there is not silently
ignored. ``GROUPDESK_POLICY_ROOT`` (tests, packaging checks) is honoured on every OS only
while the system source holds no policy at all, managed or recommended.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Protocol

from groupdesk.core.policy_files import (
    ENV_POLICY_ROOT,
    SYSTEM_POLICY_ROOT,
    Layer,
    PolicyProblem,
    SourceRef,
    default_policy_root,
    layer_of,
    read_folder,
    root_override,
    trusted_owners,
    usable_folder,
)
from groupdesk.core.policy_schema import item_type, key_specs, key_type

REGISTRY_KEY = r"SOFTWARE\Policies\GroupDesk"
"""The managed policy's key under ``HKEY_LOCAL_MACHINE``."""
RECOMMENDED = "Recommended"
"""The subkey (Windows) or forced dictionary (macOS) of recommended values."""
MACOS_DOMAIN = "org.groupdesk.GroupDesk"
"""The preferences domain a configuration profile targets (the app's bundle id)."""
MANAGED_PREFERENCES = PurePosixPath("/Library/Managed Preferences")

REG_NONE, REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD = 0, 1, 2, 3, 4
REG_MULTI_SZ, REG_QWORD = 7, 11
REGISTRY_TYPES = {
    0: "REG_NONE",
    1: "REG_SZ",
    2: "REG_EXPAND_SZ",
    3: "REG_BINARY",
    4: "REG_DWORD",
    5: "REG_DWORD_BIG_ENDIAN",
    6: "REG_LINK",
    7: "REG_MULTI_SZ",
    8: "REG_RESOURCE_LIST",
    9: "REG_FULL_RESOURCE_DESCRIPTOR",
    10: "REG_RESOURCE_REQUIREMENTS_LIST",
    11: "REG_QWORD",
}
REGISTRY_FORMS = {
    "boolean": "REG_DWORD (0, 1)",
    "integer": "REG_DWORD",
    "string": "REG_SZ",
    "object": "REG_SZ (JSON)",
    "array": "subkey (1, 2, 3…) | REG_SZ (JSON)",
}
"""How each JSON type is stored in the registry, as problems and the reference name it."""


@dataclass
class Layers:
    """What one source holds: its managed layers and its recommended layers, in order."""

    managed: list[Layer] = field(default_factory=list)
    recommended: list[Layer] = field(default_factory=list)


class PolicyReader(Protocol):
    """One source of administrator policy."""

    @property
    def name(self) -> str:
        """Where it reads, as an administrator would write it."""
        ...

    def read(self, problems: list[PolicyProblem]) -> Layers:
        """Its layers; every problem met is appended to ``problems``. Never raises."""
        ...

    def deployed(self) -> bool:
        """Whether it holds any policy (then ``GROUPDESK_POLICY_ROOT`` may not apply)."""
        ...


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class FolderReader:
    """``<root>/managed/*.json`` and ``<root>/recommended/*.json``, in name order."""

    root: Path
    trusted_uids: frozenset[int]

    @property
    def name(self) -> str:
        return str(self.root)

    def read(self, problems: list[PolicyProblem]) -> Layers:
        if not usable_folder(self.root, self.trusted_uids, problems):
            return Layers()
        return Layers(
            read_folder(self.root, "managed", self.trusted_uids, problems),
            read_folder(self.root, "recommended", self.trusted_uids, problems),
        )

    def deployed(self) -> bool:
        try:
            return any((self.root / "managed").glob("*.json"))
        except OSError:
            return True  # a folder we cannot list may well hold a policy


# --------------------------------------------------------------------------- Windows


class RegistryView(Protocol):
    """Read access to ``HKEY_LOCAL_MACHINE`` (``groupdesk.platform.policy_windows``)."""

    def values(self, path: str) -> Mapping[str, tuple[Any, int]] | None:
        """The values of ``HKLM\\<path>`` by name, each ``(data, REG_* type)`` as ``winreg``
        gives them; None when the key does not exist; OSError when it cannot be read."""
        ...

    def subkeys(self, path: str) -> Sequence[str]:
        """The names of the subkeys of ``HKLM\\<path>`` (none when it does not exist);
        OSError when it cannot be read."""
        ...

    def writable(self, path: str) -> bool:
        """Whether an ordinary user could change ``HKLM\\<path>``: the current user, not
        elevated, may open it for writing (an elevated process cannot tell: False)."""
        ...


class _NotAppliedError(Exception):
    """A value that was reported and must not be applied."""


def _registry_form(jtype: str, raw: Any, rtype: int) -> Any:
    """The JSON value of a registry value for a JSON type; _NotAppliedError when it is not the
    registry type that JSON type is stored as (the caller reports it)."""
    if jtype == "boolean" and rtype == REG_DWORD and raw in (0, 1):
        return bool(raw)
    if jtype == "integer" and rtype in (REG_DWORD, REG_QWORD) and isinstance(raw, int):
        return raw
    if jtype == "string" and rtype == REG_SZ and isinstance(raw, str):
        return raw
    if jtype in ("object", "array") and rtype == REG_SZ and isinstance(raw, str):
        return json.loads(raw)  # JSONDecodeError: the caller reports it
    raise _NotAppliedError


@dataclass(frozen=True)
class RegistryReader:
    r"""``HKLM\SOFTWARE\Policies\GroupDesk`` (managed) and its ``Recommended`` subkey."""

    view: RegistryView
    key: str = REGISTRY_KEY

    @property
    def name(self) -> str:
        return str(self._where(self.key))

    @staticmethod
    def _where(path: str) -> PureWindowsPath:
        return PureWindowsPath("HKLM", path)

    def read(self, problems: list[PolicyProblem]) -> Layers:
        managed = self._layer(self.key, "managed", problems)
        recommended = self._layer(f"{self.key}\\{RECOMMENDED}", "recommended", problems)
        return Layers(
            [managed] if managed is not None else [],
            [recommended] if recommended is not None else [],
        )

    def deployed(self) -> bool:
        try:
            return bool(self.view.values(self.key) or self.view.subkeys(self.key))
        except OSError:
            return True  # a key we cannot read may well hold a policy

    def _writable(
        self, path: str, where: PurePath, key: str | None, problems: list[PolicyProblem]
    ) -> bool:
        """True, reported, when an ordinary user could have written the key."""
        try:
            writable = self.view.writable(path)
        except OSError as error:
            problems.append(_unreadable(where, error))
            return True
        if writable:
            problems.append(PolicyProblem(where, key, "registry_writable"))
        return writable

    def _layer(self, path: str, kind: str, problems: list[PolicyProblem]) -> Layer | None:
        where = self._where(path)
        try:
            values = self.view.values(path)
            subkeys = list(self.view.subkeys(path)) if values is not None else []
        except OSError as error:
            problems.append(_unreadable(where, error))
            return None
        if values is None:
            return None
        if self._writable(path, where, None, problems):
            return None
        data: dict[str, Any] = {}
        rejected: set[str] = set()
        for name, (raw, rtype) in sorted(values.items()):
            if name not in key_specs():
                data[name] = raw  # layer_of reports it (with a suggestion if close)
                continue
            try:
                item = (key_type(name), raw, rtype)
                data[name] = self._value(where, name, name, item=item, problems=problems)
            except _NotAppliedError:
                rejected.add(name)
        for sub in sorted(subkeys):
            if kind == "managed" and sub.casefold() == RECOMMENDED.casefold():
                continue  # Windows names are case-insensitive
            if sub in values:
                problems.append(PolicyProblem(where, sub, "duplicate_key", {"name": sub}))
                data.pop(sub, None)
                rejected.discard(sub)
                continue
            if sub not in key_specs():
                data[sub] = None
                continue
            try:
                data[sub] = self._list(f"{path}\\{sub}", sub, problems)
            except _NotAppliedError:
                rejected.add(sub)
        layer = layer_of(data, SourceRef(kind, where), where, problems)
        layer.rejected |= rejected
        return layer

    @staticmethod
    def _value(
        where: PurePath,
        key: str,
        value_name: str,
        *,
        item: tuple[str, Any, int],
        problems: list[PolicyProblem],
    ) -> Any:
        """The JSON value of one registry value (``item``: JSON type, data, REG_* type)."""
        jtype, raw, rtype = item
        try:
            return _registry_form(jtype, raw, rtype)
        except json.JSONDecodeError as error:
            params = {"value": value_name, "line": error.lineno, "column": error.colno}
            problems.append(PolicyProblem(where, key, "malformed_json_value", params))
            raise _NotAppliedError from error
        except _NotAppliedError:
            if jtype == "boolean" and rtype == REG_DWORD:
                detail = f"{raw!r} is not 0 or 1"
                problems.append(PolicyProblem(where, key, "invalid_value", {"detail": detail}))
                raise
            params = {
                "value": value_name,
                "found": REGISTRY_TYPES.get(rtype, str(rtype)),
                "expected": REGISTRY_FORMS[jtype],
            }
            problems.append(PolicyProblem(where, key, "wrong_registry_type", params))
            raise

    def _list(self, path: str, key: str, problems: list[PolicyProblem]) -> list[Any]:
        """The items of a list stored as a subkey of values named 1, 2, 3..."""
        where = self._where(path)
        try:
            values = self.view.values(path) or {}
        except OSError as error:
            problems.append(_unreadable(where, error))
            raise _NotAppliedError from error
        if self._writable(path, where, key, problems):
            raise _NotAppliedError
        numbered: list[tuple[int, str, Any, int]] = []
        for name, (raw, rtype) in values.items():
            if not (name.isascii() and name.isdigit()):
                problems.append(PolicyProblem(where, key, "ignored_value", {"value": name}))
                continue
            numbered.append((int(name), name, raw, rtype))
        jtype = item_type(key) or "string"
        items = []
        failed = False
        for _, name, raw, rtype in sorted(numbered):
            try:
                value = self._value(where, key, name, item=(jtype, raw, rtype), problems=problems)
                items.append(value)
            except _NotAppliedError:
                failed = True  # every wrong item is reported; the list is not applied
        if failed:
            raise _NotAppliedError
        return items


def _unreadable(where: PurePath, error: OSError) -> PolicyProblem:
    return PolicyProblem(where, None, "unreadable", {"detail": error.strerror or str(error)})


# --------------------------------------------------------------------------- macOS


class ManagedPreferences(Protocol):
    """Read access to one preferences domain (``groupdesk.platform.policy_macos``)."""

    def names(self) -> Iterable[str]:
        """The names the domain's managed preferences hold (to report unknown ones);
        OSError when they cannot be listed."""
        ...

    def value(self, name: str) -> Any:
        """The value of ``name`` as :mod:`plistlib` gives it; None when it is not set."""
        ...

    def forced(self, name: str) -> bool:
        """Whether a configuration profile forces ``name`` (``CFPreferencesAppValueIsForced``)."""
        ...


_PLIST_SCALARS = (bool, int, float, str)


def _plist_type(value: Any) -> str | None:
    """None when ``value`` is plain JSON (dict, array, string, number, boolean), else the
    plist type it is (data, date...)."""
    if isinstance(value, _PLIST_SCALARS):
        return None
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        value = list(value.values())
    if isinstance(value, list):
        return next((t for t in map(_plist_type, value) if t), None)
    names = {bytes: "data", datetime: "date", dict: "dict"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


@dataclass(frozen=True)
class PreferencesReader:
    """The forced preferences of :data:`MACOS_DOMAIN` (managed) and their forced
    ``Recommended`` dictionary (recommended)."""

    prefs: ManagedPreferences
    domain: str = MACOS_DOMAIN

    @property
    def name(self) -> str:
        return str(self.where)

    @property
    def where(self) -> PurePosixPath:
        return MANAGED_PREFERENCES / self.domain

    def deployed(self) -> bool:
        try:
            names = {*self.prefs.names(), *key_specs(), RECOMMENDED}
            return any(self.prefs.value(n) is not None and self.prefs.forced(n) for n in names)
        except OSError:
            return True

    def read(self, problems: list[PolicyProblem]) -> Layers:
        where = self.where
        try:  # a profile's own Payload* keys are not policy keys
            listed = {n for n in self.prefs.names() if not n.startswith("Payload")}
        except OSError as error:
            problems.append(_unreadable(where, error))
            listed = set()
        managed: dict[str, Any] = {}
        recommended: dict[str, Any] | None = None
        rejected: set[str] = set()
        for name in sorted({*listed, *key_specs(), RECOMMENDED}):
            try:
                value = self.prefs.value(name)
                forced = value is not None and self.prefs.forced(name)
            except OSError as error:
                problems.append(_unreadable(where, error))
                continue
            if value is None:
                continue
            if not forced:
                problems.append(PolicyProblem(where, name, "not_forced"))
                continue
            if name == RECOMMENDED:
                if isinstance(value, dict):
                    recommended = self._plain(where, value, problems, set())
                else:
                    params = {"value": name, "found": _plist_type(value) or type(value).__name__}
                    problems.append(PolicyProblem(where, name, "wrong_preference_type", params))
                continue
            managed[name] = value
        layers = Layers()
        if managed:
            plain = self._plain(where, managed, problems, rejected)
            layer = layer_of(plain, SourceRef("managed", where), where, problems)
            layer.rejected |= rejected
            layers.managed.append(layer)
        if recommended is not None:
            rec_where = where / RECOMMENDED
            ref = SourceRef("recommended", rec_where)
            layers.recommended.append(layer_of(recommended, ref, rec_where, problems))
        return layers

    @staticmethod
    def _plain(
        where: PurePath,
        values: Mapping[str, Any],
        problems: list[PolicyProblem],
        rejected: set[str],
    ) -> dict[str, Any]:
        """The values that are plain JSON; the others are reported (and rejected)."""
        plain = {}
        for name, value in values.items():
            found = _plist_type(value)
            if found is None:
                plain[name] = value
                continue
            params = {"value": name, "found": found}
            problems.append(PolicyProblem(where, name, "wrong_preference_type", params))
            rejected.add(name)
        return plain


# --------------------------------------------------------------------------- per OS

_system_reader: PolicyReader | None = None


def install_system_reader(reader: PolicyReader | None) -> None:
    """Set the Windows or macOS source (``groupdesk.platform.install_policy_reader`` does
    it at start; None removes it)."""
    global _system_reader  # noqa: PLW0603 -- one per process, installed by the entry points
    _system_reader = reader


def system_reader() -> PolicyReader | None:
    """The installed Windows or macOS source, if any."""
    return _system_reader


def current_platform() -> str:
    """``sys.platform`` (a function, so tests may pretend to be on Windows or macOS)."""
    return sys.platform


def system_source_name(platform: str) -> PurePath:
    """Where the system policy of ``platform`` lives, as an administrator writes it."""
    if platform == "win32":
        return PureWindowsPath("HKLM", REGISTRY_KEY)
    return MANAGED_PREFERENCES / MACOS_DOMAIN


def default_readers(
    root: Path | None, problems: list[PolicyProblem]
) -> tuple[list[PolicyReader], Path | None]:
    """The sources of this OS, and the policy folder they read (None: no folder).

    ``root`` given (tests, packaging checks): that folder only, on every OS.
    """
    if root is not None:
        return [FolderReader(root, trusted_owners(root))], root
    env = os.environ.get(ENV_POLICY_ROOT)
    platform = current_platform()
    if platform not in ("win32", "darwin"):
        if env and root_override() is None:
            problems.append(PolicyProblem(Path(env), None, "root_override_ignored", {}))
        folder = default_policy_root()
        return [FolderReader(folder, trusted_owners(None))], folder

    readers: list[PolicyReader] = []
    system = system_reader()
    if system is None:  # fail visibly: never a silent "no policy" on a managed machine
        params = {"platform": platform}
        problems.append(
            PolicyProblem(system_source_name(platform), None, "no_system_source", params)
        )
    else:
        readers.append(system)
    if env:
        if system is None or system.deployed():
            problems.append(PolicyProblem(Path(env), None, "root_override_ignored", {}))
        else:
            override = Path(env)
            readers.append(FolderReader(override, trusted_owners(override)))
            return readers, override
    if SYSTEM_POLICY_ROOT.is_dir():
        where = str(system_source_name(platform))
        params = {"where": where}
        problems.append(PolicyProblem(SYSTEM_POLICY_ROOT, None, "folder_not_read", params))
    return readers, None
