"""macOS managed preferences as a ``core.policy_sources.ManagedPreferences``:
``CFPreferencesCopyAppValue`` and ``CFPreferencesAppValueIsForced`` of CoreFoundation,
through ``ctypes`` (the framework is loaded only on macOS; tests pass a fake).

Values cross as XML property lists (``CFPropertyListCreateData``, then :mod:`plistlib`),
so no CoreFoundation type is converted by hand. The names to report as unknown are those
of the profile-installed files under ``/Library/Managed Preferences`` (root-owned).
"""

from __future__ import annotations

import ctypes
import getpass
import plistlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from groupdesk.core.policy_sources import MACOS_DOMAIN, MANAGED_PREFERENCES, PreferencesReader

CORE_FOUNDATION = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
_UTF8 = 0x08000100  # kCFStringEncodingUTF8
_XML_FORMAT = 100  # kCFPropertyListXMLFormat_v1_0


class Preferences(Protocol):
    """The two CoreFoundation calls needed (:class:`CoreFoundation`, or a fake)."""

    def copy_app_value(self, name: str, app: str) -> bytes | None:
        """The value as an XML property list, None when unset."""
        ...

    def is_forced(self, name: str, app: str) -> bool:
        """``CFPreferencesAppValueIsForced``."""
        ...


class CoreFoundation:
    """CFPreferences through ctypes (macOS only: OSError elsewhere)."""

    def __init__(self, path: str = CORE_FOUNDATION) -> None:
        cf = ctypes.cdll.LoadLibrary(path)
        ref = ctypes.c_void_p
        cf.CFStringCreateWithCString.restype = ref
        cf.CFStringCreateWithCString.argtypes = [ref, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFPreferencesCopyAppValue.restype = ref
        cf.CFPreferencesCopyAppValue.argtypes = [ref, ref]
        cf.CFPreferencesAppValueIsForced.restype = ctypes.c_ubyte
        cf.CFPreferencesAppValueIsForced.argtypes = [ref, ref]
        cf.CFPropertyListCreateData.restype = ref
        cf.CFPropertyListCreateData.argtypes = [ref, ref, ctypes.c_long, ctypes.c_ulong, ref]
        cf.CFDataGetLength.restype = ctypes.c_long
        cf.CFDataGetLength.argtypes = [ref]
        cf.CFDataGetBytePtr.restype = ref
        cf.CFDataGetBytePtr.argtypes = [ref]
        cf.CFRelease.restype = None
        cf.CFRelease.argtypes = [ref]
        self._cf = cf

    def _string(self, text: str) -> Any:
        made = self._cf.CFStringCreateWithCString(None, text.encode("utf-8"), _UTF8)
        if not made:
            raise OSError(f"CFStringCreateWithCString failed for {text!r}")
        return made

    def copy_app_value(self, name: str, app: str) -> bytes | None:
        cf = self._cf
        key, domain = self._string(name), self._string(app)
        try:
            value = cf.CFPreferencesCopyAppValue(key, domain)
            if not value:
                return None
            try:
                data = cf.CFPropertyListCreateData(None, value, _XML_FORMAT, 0, None)
                if not data:
                    raise OSError(f"the preference {name} cannot be serialised")
                try:
                    return ctypes.string_at(cf.CFDataGetBytePtr(data), cf.CFDataGetLength(data))
                finally:
                    cf.CFRelease(data)
            finally:
                cf.CFRelease(value)
        finally:
            cf.CFRelease(key)
            cf.CFRelease(domain)

    def is_forced(self, name: str, app: str) -> bool:
        key, domain = self._string(name), self._string(app)
        try:
            return bool(self._cf.CFPreferencesAppValueIsForced(key, domain))
        finally:
            self._cf.CFRelease(key)
            self._cf.CFRelease(domain)


class CFPreferencesView:
    """``ManagedPreferences`` of one domain over :class:`Preferences`."""

    def __init__(
        self,
        cf: Preferences,
        domain: str = MACOS_DOMAIN,
        managed_folder: Path = Path(MANAGED_PREFERENCES),
        user: str | None = None,
    ) -> None:
        self._cf = cf
        self._domain = domain
        self._files = [
            managed_folder / f"{domain}.plist",
            managed_folder / (user or getpass.getuser()) / f"{domain}.plist",
        ]

    def names(self) -> Iterable[str]:
        names: set[str] = set()
        for path in self._files:
            try:
                with path.open("rb") as plist:
                    loaded = plistlib.load(plist)
            except FileNotFoundError:
                continue
            except plistlib.InvalidFileException as error:
                raise OSError(f"{path}: {error}") from error
            if isinstance(loaded, dict):
                names.update(str(name) for name in loaded)
        return names

    def value(self, name: str) -> Any:
        data = self._cf.copy_app_value(name, self._domain)
        if data is None:
            return None
        try:
            return plistlib.loads(data)
        except plistlib.InvalidFileException as error:
            raise OSError(f"{name}: {error}") from error

    def forced(self, name: str) -> bool:
        return self._cf.is_forced(name, self._domain)


def preferences_reader() -> PreferencesReader:
    """The reader of this Mac's managed preferences (macOS only)."""
    return PreferencesReader(CFPreferencesView(CoreFoundation()))
