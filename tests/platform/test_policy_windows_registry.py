r"""The policy read from the real Windows registry (``winreg``): values written under
``HKLM\SOFTWARE\Policies`` by this test, read through ``WinRegView`` and the same
``RegistryReader`` the fakes of ``test_policy_adapters.py`` drive on Linux.

Windows only, elevated (the GitHub runner of ``.github/workflows/windows.yml``); it
writes under its own key (``GroupDeskTest<pid>``) and removes it, so a machine's real
GroupDesk policy is never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import PureWindowsPath
from typing import Any

import pytest

from groupdesk.core.policy import load_effective_policy
from groupdesk.core.policy_sources import RECOMMENDED, RegistryReader

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(sys.platform != "win32", reason="the real registry: Windows only"),
]

KEY = rf"SOFTWARE\Policies\GroupDeskTest{os.getpid()}"


def _delete_tree(winreg: Any, path: str) -> None:
    access = winreg.KEY_ALL_ACCESS | winreg.KEY_WOW64_64KEY
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, access) as key:
        subkeys = [winreg.EnumKey(key, i) for i in range(winreg.QueryInfoKey(key)[0])]
    for sub in subkeys:
        _delete_tree(winreg, f"{path}\\{sub}")
    winreg.DeleteKeyEx(winreg.HKEY_LOCAL_MACHINE, path, winreg.KEY_WOW64_64KEY, 0)


@pytest.fixture
def hklm() -> Iterator[Any]:
    import winreg  # Windows only

    yield winreg
    with contextlib.suppress(FileNotFoundError):  # the test failed before writing anything
        _delete_tree(winreg, KEY)


def _write(winreg: Any, path: str, name: str, kind: int, data: Any) -> None:
    access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
    with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, path, 0, access) as key:
        winreg.SetValueEx(key, name, 0, kind, data)


def test_values_written_under_hklm_are_read_with_their_types_and_levels(hklm: Any) -> None:
    from groupdesk.platform.policy_windows import WinRegView, is_elevated

    winreg = hklm
    _write(winreg, KEY, "retention_years", winreg.REG_DWORD, 7)
    _write(winreg, KEY, "lobby_preview", winreg.REG_DWORD, 0)
    _write(winreg, KEY, "server_url", winreg.REG_SZ, "wss://groupdesk.example.org")
    item = {"id": "ask", "text": {"en": "Ask first", "fr_CA": "Demander d'abord"}}
    _write(winreg, rf"{KEY}\participant_extra", "1", winreg.REG_SZ, json.dumps(item))
    _write(winreg, rf"{KEY}\{RECOMMENDED}", "language", winreg.REG_SZ, "fr_CA")
    _write(winreg, rf"{KEY}\{RECOMMENDED}", "update_check", winreg.REG_DWORD, 0)
    _write(winreg, KEY, "turn_seconds", winreg.REG_SZ, "90")  # wrong type: reported

    reader = RegistryReader(WinRegView(winreg, is_elevated), key=KEY)
    effective = load_effective_policy(readers=[reader])

    assert effective.value("retention_years") == 7
    assert effective.value("lobby_preview") is False
    assert effective.value("server_url") == "wss://groupdesk.example.org"
    assert effective.value("participant_extra") == [item]
    assert effective.setting("retention_years").managed
    assert effective.value("language") == "fr_CA"
    assert effective.value("update_check") is False
    assert not effective.setting("language").managed  # recommended: the person may change it
    where = PureWindowsPath("HKLM", KEY)
    assert [(p.file, p.key, p.code) for p in effective.problems] == [
        (where, "turn_seconds", "wrong_registry_type")
    ]
