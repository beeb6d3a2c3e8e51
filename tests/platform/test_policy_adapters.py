"""The OS adapters of the policy (``groupdesk.platform``), driven on Linux by fakes of
``winreg`` and of CoreFoundation's preferences."""

from __future__ import annotations

import json
import plistlib
import sys
from datetime import datetime
from pathlib import Path, PureWindowsPath

import pytest

from groupdesk.core import policy_sources
from groupdesk.core.policy import load_effective_policy
from groupdesk.core.policy_sources import (
    MACOS_DOMAIN,
    REG_DWORD,
    REG_SZ,
    PreferencesReader,
    RegistryReader,
)
from groupdesk.platform import install_policy_reader, system_policy_reader
from groupdesk.platform.policy_macos import CFPreferencesView, CoreFoundation
from groupdesk.platform.policy_windows import WinRegView
from policy_fakes import FakePreferences, FakeRegistry, FakeWinreg

HKLM_KEY = PureWindowsPath(r"HKLM\SOFTWARE\Policies\GroupDesk")


def test_the_winreg_view_reads_values_and_list_subkeys_of_hklm() -> None:
    registry = FakeRegistry()
    registry.policy("retention_years", 7, REG_DWORD)
    registry.policy("language", "en", REG_SZ, sub="Recommended")
    registry.policy_list("participant_extra", [json.dumps({"id": "a", "text": {"en": "A"}})])
    fake = FakeWinreg(registry)
    view = WinRegView(fake, elevated=lambda: False)

    assert view.values(r"SOFTWARE\Policies\GroupDesk") == {"retention_years": (7, REG_DWORD)}
    assert view.subkeys(r"SOFTWARE\Policies\GroupDesk") == ["Recommended", "participant_extra"]
    assert view.values(r"SOFTWARE\Policies\Nobody") is None
    assert view.subkeys(r"SOFTWARE\Policies\Nobody") == []
    hives = {(hive, access) for hive, _, access in fake.opened}
    assert hives == {(fake.HKEY_LOCAL_MACHINE, fake.KEY_READ | fake.KEY_WOW64_64KEY)}

    effective = load_effective_policy(readers=[RegistryReader(view)])
    assert effective.problems == ()
    assert effective.value("retention_years") == 7
    assert effective.value("language") == "en"
    assert effective.value("participant_extra") == [{"id": "a", "text": {"en": "A"}}]


def test_a_key_winreg_refuses_is_reported_by_the_reader() -> None:
    registry = FakeRegistry()
    registry.policy("retention_years", 7, REG_DWORD)
    registry.denied.add(r"SOFTWARE\Policies\GroupDesk")
    effective = load_effective_policy(
        readers=[RegistryReader(WinRegView(FakeWinreg(registry), elevated=lambda: False))]
    )
    assert [(p.file, p.code) for p in effective.problems] == [(HKLM_KEY, "unreadable")]
    assert effective.value("retention_years") == 5


def test_a_key_a_non_elevated_user_can_open_for_writing_is_writable() -> None:
    registry = FakeRegistry()
    registry.policy("retention_years", 7, REG_DWORD)
    fake = FakeWinreg(registry)
    path = r"SOFTWARE\Policies\GroupDesk"
    assert not WinRegView(fake, elevated=lambda: False).writable(path)
    registry.user_writable.add(path)
    assert WinRegView(fake, elevated=lambda: False).writable(path)
    assert (fake.HKEY_LOCAL_MACHINE, path, fake.KEY_SET_VALUE | fake.KEY_WOW64_64KEY) in (
        fake.opened
    )
    assert not WinRegView(fake, elevated=lambda: True).writable(path)  # cannot tell
    reader = RegistryReader(WinRegView(fake, elevated=lambda: False))
    effective = load_effective_policy(readers=[reader])
    assert [(p.file, p.code) for p in effective.problems] == [(HKLM_KEY, "registry_writable")]
    assert effective.value("retention_years") == 5


def test_the_cfpreferences_view_reads_forced_values_through_xml_plists(tmp_path: Path) -> None:
    cf = FakePreferences()
    cf.values[(MACOS_DOMAIN, "retention_years")] = (7, True)
    cf.values[(MACOS_DOMAIN, "Recommended")] = ({"turn_seconds": 90}, True)
    cf.values[(MACOS_DOMAIN, "language")] = ("en", False)  # the person's own plist
    cf.values[(MACOS_DOMAIN, "colour")] = ("x", True)  # a user-level profile's typo
    cf.values[("com.other.app", "server_url")] = ("wss://x.example", True)
    managed = tmp_path / "Managed Preferences"
    (managed / "ana").mkdir(parents=True)
    (managed / f"{MACOS_DOMAIN}.plist").write_bytes(
        plistlib.dumps({"retention_years": 7, "Recommended": {"turn_seconds": 90}})
    )
    (managed / "ana" / f"{MACOS_DOMAIN}.plist").write_bytes(plistlib.dumps({"colour": "x"}))
    view = CFPreferencesView(cf, managed_folder=managed, user="ana")

    assert set(view.names()) == {"retention_years", "Recommended", "colour"}
    assert view.value("retention_years") == 7
    assert view.value("server_url") is None  # another domain's
    assert view.forced("retention_years")
    assert not view.forced("language")

    effective = load_effective_policy(readers=[PreferencesReader(view)])
    assert effective.value("retention_years") == 7
    assert effective.value("turn_seconds") == 90
    assert effective.value("language") == "system"
    assert sorted((p.key, p.code) for p in effective.problems) == [
        ("colour", "unknown_key"),
        ("language", "not_forced"),
    ]


def test_a_date_in_a_profile_is_reported_not_a_crash(tmp_path: Path) -> None:
    cf = FakePreferences()
    cf.values[(MACOS_DOMAIN, "server_url")] = (datetime(2026, 1, 1), True)
    view = CFPreferencesView(cf, managed_folder=tmp_path, user="ana")
    effective = load_effective_policy(readers=[PreferencesReader(view)])
    assert [(p.key, p.code, p.params["found"]) for p in effective.problems] == [
        ("server_url", "wrong_preference_type", "date")
    ]


def test_a_broken_managed_plist_is_reported(tmp_path: Path) -> None:
    (tmp_path / f"{MACOS_DOMAIN}.plist").write_bytes(b"not a plist")
    view = CFPreferencesView(FakePreferences(), managed_folder=tmp_path, user="ana")
    effective = load_effective_policy(readers=[PreferencesReader(view)])
    assert [p.code for p in effective.problems] == ["unreadable"]


@pytest.mark.skipif(sys.platform == "darwin", reason="CoreFoundation exists on macOS")
def test_core_foundation_is_loaded_only_on_macos() -> None:
    with pytest.raises(OSError):  # noqa: PT011 -- whatever the loader says
        CoreFoundation()


def test_on_linux_no_system_reader_is_installed() -> None:
    assert system_policy_reader("linux") is None
    install_policy_reader("linux")
    assert policy_sources.system_reader() is None


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the libraries exist there")
@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_a_missing_os_library_installs_no_reader_and_is_reported(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_policy_reader(platform)  # winreg / CoreFoundation cannot load here
    try:
        assert policy_sources.system_reader() is None
        monkeypatch.setattr(policy_sources, "current_platform", lambda: platform)
        (problem,) = load_effective_policy().problems[:1]
        assert problem.code == "no_system_source"
    finally:
        policy_sources.install_system_reader(None)
