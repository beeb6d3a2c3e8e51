"""The policy of Windows (registry) and macOS (managed preferences), read with fakes on
Linux: same schema, precedence, ceilings and problems (file, key, reason) as the files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pytest

from groupdesk.core import policy_sources
from groupdesk.core.policy import (
    EffectivePolicy,
    effective_policy_json,
    format_effective_policy,
    load_effective_policy,
)
from groupdesk.core.policy_sources import (
    REG_BINARY,
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_QWORD,
    REG_SZ,
    FolderReader,
    PreferencesReader,
    RegistryReader,
)
from managed_policy import write_managed_policy
from policy_fakes import FakeRegistry

HKLM_KEY = PureWindowsPath(r"HKLM\SOFTWARE\Policies\GroupDesk")
HKLM_REC = HKLM_KEY / "Recommended"
PREFS = PurePosixPath("/Library/Managed Preferences/org.groupdesk.GroupDesk")

SERVER = "wss://rencontres.example.org"
TURN = {"urls": "turn:turn.example.org:3478", "username": "u", "credential": "c"}
STUN = {"urls": ["stun:stun.example.org"]}
GUIDE = {
    "en": "Use a private room.",
    "fr_CA": "Utilisez une pièce fermée.",
    "links": [{"url": "https://intranet.example.org/g", "title": {"en": "Guide"}}],
}


def codes(effective: EffectivePolicy) -> list[tuple[str, str | None, str]]:
    """Problems as (where, key, code)."""
    return [(str(p.file), p.key, p.code) for p in effective.problems]


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry()


def load_registry(registry: FakeRegistry, **kwargs: Any) -> EffectivePolicy:
    return load_effective_policy(readers=[RegistryReader(registry)], **kwargs)


def org_registry(registry: FakeRegistry) -> None:
    """One organisation's policy with every registry form: DWORD, SZ, JSON, lists."""
    registry.policy("server_url", SERVER, REG_SZ)
    registry.policy("lobby_preview", 0, REG_DWORD)
    registry.policy("retention_years", 7, REG_DWORD)
    registry.policy("auto_lock_minutes", 5, REG_QWORD)
    registry.policy("organisation_guidelines", json.dumps(GUIDE), REG_SZ)
    registry.policy_list("ice_servers", [json.dumps(TURN)])
    registry.policy("max_group_size", 9, REG_DWORD, sub="Recommended")
    registry.policy("language", "fr_CA", REG_SZ, sub="Recommended")
    registry.policy_list("ice_servers", [json.dumps(STUN)], sub="Recommended")


ORG_FILES = (
    {
        "server_url": SERVER,
        "lobby_preview": False,
        "retention_years": 7,
        "auto_lock_minutes": 5,
        "organisation_guidelines": GUIDE,
        "ice_servers": [TURN],
    },
    {"max_group_size": 9, "language": "fr_CA", "ice_servers": [STUN]},
)


def write_files(root: Path, managed: dict[str, Any], recommended: dict[str, Any]) -> None:
    root.mkdir(mode=0o755, exist_ok=True)
    root.chmod(0o755)
    for level, data in (("managed", managed), ("recommended", recommended)):
        (root / level).mkdir(mode=0o755)
        (root / level / "10-org.json").write_text(json.dumps(data))
        (root / level / "10-org.json").chmod(0o644)


# --------------------------------------------------------------------------- Windows


def test_the_registry_gives_the_same_policy_as_the_same_files(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    org_registry(registry)
    write_files(tmp_path / "etc", *ORG_FILES)
    from_registry = load_registry(registry)
    from_files = load_effective_policy(root=tmp_path / "etc")

    assert from_registry.problems == from_files.problems == ()
    assert from_registry.as_dict() == from_files.as_dict()
    for key, setting in from_registry.settings.items():
        other = from_files.settings[key]
        assert (setting.locked, setting.ceiling, setting.user_settable) == (
            other.locked,
            other.ceiling,
            other.user_settable,
        ), key
    assert from_registry.value("ice_servers") == [TURN, STUN]  # managed, then recommended
    assert from_registry.source("server_url") == f"managed: {HKLM_KEY}"
    assert from_registry.source("language") == f"recommended: {HKLM_REC}"
    assert from_registry.locked("lobby_preview")
    assert from_registry.value("lobby_preview") is False


def test_a_managed_registry_ceiling_bounds_the_user_and_recommended_values(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    registry.policy("max_group_size", 6, REG_DWORD)
    registry.policy("max_group_size", 9, REG_DWORD, sub="Recommended")
    effective = load_registry(registry)
    assert effective.value("max_group_size") == 6
    assert effective.ceiling("max_group_size") == 6
    assert codes(effective) == [(str(HKLM_REC), "max_group_size", "recommended_above_ceiling")]

    settings = tmp_path / "settings.json"
    settings.write_text('{"max_group_size": 4, "retention_years": 1}')
    effective = load_registry(registry, user_file=settings)
    assert effective.value("max_group_size") == 4  # below the ceiling: the person's choice
    assert effective.value("retention_years") == 5  # admin-only, reported
    assert ("retention_years", "user_key_admin_only") in [
        (p.key, p.code) for p in effective.problems
    ]


def test_the_user_s_setting_sits_between_managed_and_recommended_registry_values(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    registry.policy("turn_seconds", 120, REG_DWORD, sub="Recommended")
    registry.policy("language", "en", REG_SZ)
    settings = tmp_path / "settings.json"
    settings.write_text('{"turn_seconds": 90, "language": "fr_CA"}')
    effective = load_registry(registry, user_file=settings)
    assert effective.value("turn_seconds") == 90
    assert effective.value("language") == "en"
    assert [(p.key, p.code) for p in effective.problems] == [("language", "user_key_locked")]


def test_list_items_come_in_number_order_not_name_order(registry: FakeRegistry) -> None:
    base = r"SOFTWARE\Policies\GroupDesk\participant_extra"
    for number in (10, 2, 1):
        item = {"id": f"item_{number}", "text": {"en": str(number)}}
        registry.set(base, str(number), json.dumps(item), REG_SZ)
    effective = load_registry(registry)
    assert [i["id"] for i in effective.value("participant_extra")] == [
        "item_1",
        "item_2",
        "item_10",
    ]


def test_a_list_or_object_may_also_be_one_json_string(registry: FakeRegistry) -> None:
    registry.policy("ice_servers", json.dumps([TURN, STUN]), REG_SZ)
    registry.policy("group_rules", json.dumps({"en": "Be kind"}), REG_SZ)
    effective = load_registry(registry)
    assert effective.problems == ()
    assert effective.value("ice_servers") == [TURN, STUN]
    assert effective.value("group_rules") == {"en": "Be kind"}


@pytest.mark.parametrize(
    ("name", "data", "kind", "found", "expected"),
    [
        ("retention_years", "7", REG_SZ, "REG_SZ", "REG_DWORD"),
        ("server_url", b"wss://x", REG_BINARY, "REG_BINARY", "REG_SZ"),
        ("server_url", "%SERVER%", REG_EXPAND_SZ, "REG_EXPAND_SZ", "REG_SZ"),
        ("lobby_preview", "false", REG_SZ, "REG_SZ", "REG_DWORD (0, 1)"),
        ("group_rules", ["Be kind"], REG_MULTI_SZ, "REG_MULTI_SZ", "REG_SZ (JSON)"),
        (
            "ice_servers",
            ["turn:x"],
            REG_MULTI_SZ,
            "REG_MULTI_SZ",
            "subkey (1, 2, 3…) | REG_SZ (JSON)",
        ),
    ],
)
def test_a_wrong_registry_type_is_reported_not_applied_and_still_locks(
    registry: FakeRegistry, name: str, data: Any, kind: int, found: str, expected: str
) -> None:
    registry.policy(name, data, kind)
    registry.policy(name, data, kind, sub="Recommended")
    effective = load_registry(registry)
    problems = [p for p in effective.problems if p.file == HKLM_KEY]
    (problem,) = problems
    assert (problem.key, problem.code) == (name, "wrong_registry_type")
    assert problem.params == {"value": name, "found": found, "expected": expected}
    reason = problem.describe("en")
    assert str(HKLM_KEY) in reason
    assert f"{name}: the registry value {name} is a {found}" in reason
    assert f"est de type {found}" in problem.reason("fr_CA")
    assert effective.value(name) == effective.setting(name).value  # the default stays
    if name != "ice_servers":  # a list-append key never locks
        assert effective.locked(name)  # fail closed: the user cannot escape a typo


def test_a_boolean_dword_other_than_0_or_1_is_an_invalid_value(registry: FakeRegistry) -> None:
    registry.policy("crisis_alert_sound", 2, REG_DWORD)
    effective = load_registry(registry)
    assert codes(effective) == [(str(HKLM_KEY), "crisis_alert_sound", "invalid_value")]
    assert "2 is not 0 or 1" in effective.problems[0].reason("en")


def test_malformed_json_in_a_registry_string_names_line_and_column(
    registry: FakeRegistry,
) -> None:
    registry.policy("organisation_name", '{"en": "CISSS",\n}', REG_SZ)
    effective = load_registry(registry)
    (problem,) = effective.problems
    assert (problem.file, problem.key, problem.code) == (
        HKLM_KEY,
        "organisation_name",
        "malformed_json_value",
    )
    assert "(line 2, column 1)" in problem.reason("en")
    assert effective.locked("organisation_name")


def test_a_list_with_a_wrong_item_is_not_applied_and_every_wrong_item_is_named(
    registry: FakeRegistry,
) -> None:
    base = r"SOFTWARE\Policies\GroupDesk\facilitator_checklist"
    registry.set(base, "1", json.dumps({"id": "ok", "text": {"en": "ok"}}), REG_SZ)
    registry.set(base, "2", 5, REG_DWORD)
    registry.set(base, "3", "{", REG_SZ)
    registry.set(base, "first", "x", REG_SZ)
    effective = load_registry(registry)
    where = str(HKLM_KEY / "facilitator_checklist")
    assert codes(effective) == [
        (where, "facilitator_checklist", "ignored_value"),
        (where, "facilitator_checklist", "wrong_registry_type"),
        (where, "facilitator_checklist", "malformed_json_value"),
    ]
    assert effective.problems[1].params["value"] == "2"
    assert effective.locked("facilitator_checklist")
    assert effective.value("facilitator_checklist")[0]["id"] != "ok"  # the built-in list


def test_unknown_and_duplicate_registry_names_are_reported(registry: FakeRegistry) -> None:
    registry.policy("max_group_sise", 6, REG_DWORD)
    registry.policy("colour", "blue", REG_SZ)
    registry.policy("ice_servers", json.dumps([TURN]), REG_SZ)
    registry.policy_list("ice_servers", [json.dumps(STUN)])
    registry.set(r"SOFTWARE\Policies\GroupDesk\Wallpaper", "1", "x", REG_SZ)
    effective = load_registry(registry)
    assert sorted(codes(effective)) == [
        (str(HKLM_KEY), "Wallpaper", "unknown_key"),
        (str(HKLM_KEY), "colour", "unknown_key"),
        (str(HKLM_KEY), "ice_servers", "duplicate_key"),
        (str(HKLM_KEY), "max_group_sise", "unknown_key_suggestion"),
    ]
    assert effective.value("ice_servers") == []  # ambiguous: neither applies


def test_a_registry_key_that_cannot_be_read_is_reported_never_a_crash(
    registry: FakeRegistry,
) -> None:
    registry.policy("retention_years", 7, REG_DWORD)
    registry.policy("retention_years", 8, REG_DWORD, sub="Recommended")
    registry.denied |= {r"SOFTWARE\Policies\GroupDesk", r"SOFTWARE\Policies\GroupDesk\Recommended"}
    effective = load_registry(registry)
    assert codes(effective) == [
        (str(HKLM_KEY), None, "unreadable"),
        (str(HKLM_REC), None, "unreadable"),
    ]
    assert "Access is denied" in effective.problems[0].reason("en")
    assert effective.value("retention_years") == 5


def test_a_registry_key_ordinary_users_can_write_is_reported_and_not_applied(
    registry: FakeRegistry,
) -> None:
    registry.policy("retention_years", 1, REG_DWORD)
    registry.policy("language", "en", REG_SZ, sub="Recommended")
    registry.policy_list("crisis_protocol", [json.dumps({"id": "x", "text": {"en": "x"}})])
    registry.user_writable.add(r"SOFTWARE\Policies\GroupDesk")
    effective = load_registry(registry)
    assert codes(effective) == [(str(HKLM_KEY), None, "registry_writable")]
    assert "ordinary users can change" in effective.problems[0].reason("en")
    assert effective.value("retention_years") == 5
    assert effective.value("language") == "en"  # its Recommended subkey is protected

    registry.user_writable = {r"SOFTWARE\Policies\GroupDesk\crisis_protocol"}
    effective = load_registry(registry)
    where = str(HKLM_KEY / "crisis_protocol")
    assert codes(effective) == [(where, "crisis_protocol", "registry_writable")]
    assert effective.value("retention_years") == 1
    assert effective.locked("crisis_protocol")  # fail closed: the built-in steps stay
    assert effective.value("crisis_protocol")[0]["id"] != "x"


def test_no_registry_key_is_no_policy_and_no_problem(registry: FakeRegistry) -> None:
    effective = load_registry(registry)
    assert effective.problems == ()
    assert not RegistryReader(registry).deployed()
    registry.policy("language", "en", REG_SZ, sub="Recommended")
    assert RegistryReader(registry).deployed()


# --------------------------------------------------------------------------- macOS


class Prefs:
    """A ManagedPreferences: name -> (value, forced), and the names the profile lists."""

    def __init__(self, values: dict[str, tuple[Any, bool]], listed: set[str] | None = None):
        self.entries = values
        self.listed = listed if listed is not None else set(values)

    def names(self) -> set[str]:
        return self.listed

    def value(self, name: str) -> Any:
        return self.entries.get(name, (None, False))[0]

    def forced(self, name: str) -> bool:
        return self.entries.get(name, (None, False))[1]


def load_prefs(prefs: Prefs, **kwargs: Any) -> EffectivePolicy:
    return load_effective_policy(readers=[PreferencesReader(prefs)], **kwargs)


def test_managed_preferences_give_the_same_policy_as_the_same_files(tmp_path: Path) -> None:
    managed, recommended = ORG_FILES
    prefs = Prefs(
        {
            **{name: (value, True) for name, value in managed.items()},
            "Recommended": (recommended, True),
        }
    )
    write_files(tmp_path / "etc", *ORG_FILES)
    from_prefs = load_prefs(prefs)
    from_files = load_effective_policy(root=tmp_path / "etc")
    assert from_prefs.problems == ()
    assert from_prefs.as_dict() == from_files.as_dict()
    assert from_prefs.source("server_url") == f"managed: {PREFS}"
    assert from_prefs.source("language") == f"recommended: {PREFS / 'Recommended'}"
    assert from_prefs.locked("retention_years")
    assert from_prefs.ceiling("auto_lock_minutes") == 5


def test_a_preference_the_person_could_have_written_is_reported_not_applied() -> None:
    prefs = Prefs(
        {
            "retention_years": (1, False),  # e.g. ~/Library/Preferences, written by anyone
            "Recommended": ({"ice_servers": [TURN]}, False),
            "lobby_preview": (False, True),
        }
    )
    effective = load_prefs(prefs)
    assert codes(effective) == [
        (str(PREFS), "Recommended", "not_forced"),
        (str(PREFS), "retention_years", "not_forced"),
    ]
    assert "configuration profile" in effective.problems[0].reason("en")
    assert effective.value("retention_years") == 5
    assert effective.value("ice_servers") == []
    assert effective.value("lobby_preview") is False


def test_preference_types_no_key_takes_are_reported_and_still_lock() -> None:
    prefs = Prefs(
        {
            "server_url": (b"wss://x", True),
            "group_rules": ({"en": "x", "fr_CA": b"\x00"}, True),
            "Recommended": (["not", "a", "dict"], True),
            "max_group_size": ("9", True),
            "Colour": ("blue", True),
        }
    )
    effective = load_prefs(prefs)
    assert sorted(codes(effective)) == [
        (str(PREFS), "Colour", "unknown_key"),
        (str(PREFS), "Recommended", "wrong_preference_type"),
        (str(PREFS), "group_rules", "wrong_preference_type"),
        (str(PREFS), "max_group_size", "invalid_value"),
        (str(PREFS), "server_url", "wrong_preference_type"),
    ]
    found = {p.key: p.params.get("found") for p in effective.problems}
    assert (found["server_url"], found["group_rules"], found["Recommended"]) == (
        "data",
        "data",
        "list",
    )
    assert effective.locked("server_url")
    assert effective.locked("max_group_size")  # an invalid managed value fails closed too
    assert effective.value("server_url") == ""


def test_names_the_profile_holds_that_cannot_be_listed_are_reported() -> None:
    class Unlisted(Prefs):
        def names(self) -> set[str]:
            raise PermissionError(13, "Operation not permitted")

    effective = load_prefs(Unlisted({"retention_years": (7, True)}))
    assert codes(effective) == [(str(PREFS), None, "unreadable")]
    assert effective.value("retention_years") == 7  # the known keys are still read


# --------------------------------------------------------------------------- per OS


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch, registry: FakeRegistry) -> Iterator[FakeRegistry]:
    """Pretend to be on Windows, with the fake registry installed as the system source."""
    monkeypatch.setattr(policy_sources, "current_platform", lambda: "win32")
    policy_sources.install_system_reader(RegistryReader(registry))
    yield registry
    policy_sources.install_system_reader(None)


def test_windows_reads_the_registry_by_default(on_windows: FakeRegistry) -> None:
    on_windows.policy("retention_years", 7, REG_DWORD)
    effective = load_effective_policy()
    assert effective.value("retention_years") == 7
    assert effective.root is None
    assert effective.sources == (str(HKLM_KEY),)
    lines = format_effective_policy(effective, "en").splitlines()
    assert f"Policy source: {HKLM_KEY}" in lines
    assert not any(line.startswith("Policy folder") for line in lines)
    document = json.loads(effective_policy_json(effective))
    assert (document["root"], document["sources"]) == (None, [str(HKLM_KEY)])


def test_windows_does_not_read_the_policy_folder_and_says_so(
    on_windows: FakeRegistry, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A folder any user could write on Windows: its files are not applied."""
    folder = tmp_path / "policies"
    write_files(folder, {"retention_years": 1}, {})
    (folder / "managed" / "10-org.json").chmod(0o666)  # what POSIX bits cannot show on NTFS
    monkeypatch.setattr(policy_sources, "SYSTEM_POLICY_ROOT", folder)
    monkeypatch.delenv("GROUPDESK_POLICY_ROOT")
    effective = load_effective_policy()
    assert effective.value("retention_years") == 5
    assert codes(effective) == [(str(folder), None, "folder_not_read")]
    assert str(HKLM_KEY) in effective.problems[0].reason("en")


def test_the_variable_applies_on_windows_only_without_a_registry_policy(
    on_windows: FakeRegistry,
) -> None:
    root = Path(os.environ["GROUPDESK_POLICY_ROOT"])
    write_managed_policy({"retention_years": 3})
    effective = load_effective_policy()
    assert (effective.value("retention_years"), effective.problems) == (3, ())
    assert effective.root == root

    on_windows.policy("turn_seconds", 60, REG_DWORD, sub="Recommended")  # any policy at all
    effective = load_effective_policy()
    assert effective.value("retention_years") == 5
    assert effective.value("turn_seconds") == 60
    assert codes(effective) == [(str(root), None, "root_override_ignored")]


def test_without_its_reader_a_managed_os_reports_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_sources, "current_platform", lambda: "darwin")
    policy_sources.install_system_reader(None)
    write_managed_policy({"retention_years": 3})
    effective = load_effective_policy()
    assert codes(effective) == [
        (str(PREFS), None, "no_system_source"),
        (os.environ["GROUPDESK_POLICY_ROOT"], None, "root_override_ignored"),
    ]
    assert effective.value("retention_years") == 5  # the variable cannot fill the gap
    assert "darwin" in effective.problems[0].reason("fr_CA")


def test_linux_still_reads_the_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_sources, "current_platform", lambda: "linux")
    write_managed_policy({"retention_years": 3})
    effective = load_effective_policy()
    assert effective.value("retention_years") == 3
    (reader,) = policy_sources.default_readers(None, [])[0]
    assert isinstance(reader, FolderReader)
