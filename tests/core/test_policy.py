"""Organisation policy: precedence, ceilings, lists, problems, user settings and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from groupdesk.core import policy
from groupdesk.core.i18n import LANGUAGES, catalogue, tr
from groupdesk.core.policy import (
    EffectivePolicy,
    PolicyError,
    PolicyProblem,
    clear_user_setting,
    key_specs,
    load_effective_policy,
    save_user_setting,
)

GROUPDESK = Path(sys.executable).parent / "groupdesk"


@pytest.fixture
def root() -> Path:
    """The per-test policy root (``GROUPDESK_POLICY_ROOT`` from conftest)."""
    path = Path(os.environ["GROUPDESK_POLICY_ROOT"])
    path.chmod(0o755)
    return path


@pytest.fixture
def user_file() -> Path:
    return policy.default_user_file()


Write = Callable[..., Path]


@pytest.fixture
def write(root: Path) -> Write:
    """Write ``<root>/<level>/<name>`` (JSON unless ``raw``), with safe modes by default."""

    def _write(level: str, name: str, data: Any = None, raw: bytes | None = None) -> Path:
        folder = root / level
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
        path = folder / name
        path.write_bytes(raw if raw is not None else json.dumps(data).encode())
        path.chmod(0o644)
        return path

    return _write


def write_user(user_file: Path, data: Any) -> None:
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(json.dumps(data), encoding="utf-8")


def codes(effective: EffectivePolicy) -> list[tuple[str, str | None, str]]:
    """Problems as (file name, key, code): what a test can compare in one line."""
    return [(p.file.name if p.file else "", p.key, p.code) for p in effective.problems]


# --------------------------------------------------------------------------- the schema


def test_schema_is_versioned_and_valid() -> None:
    schema = policy.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:groupdesk:policy:2"
    assert policy.schema_version() == schema["version"] == 2


def test_every_key_says_how_it_merges_who_sets_it_and_what_it_means() -> None:
    for name, prop in policy.schema()["properties"].items():
        assert prop["x-merge"] in policy.MERGE_KINDS, name
        assert isinstance(prop["x-user"], bool), name
        assert "default" in prop, name
        assert prop["description"].strip(), name
        assert prop["x-description-fr_CA"].strip(), name
        if prop["x-merge"] == "ceiling":
            assert prop["type"] == "integer", name


def test_defaults_validate_against_the_schema_itself() -> None:
    defaults = {name: spec.default for name, spec in key_specs().items()}
    jsonschema.Draft202012Validator(policy.schema()).validate(defaults)


def test_the_keys_other_parts_rely_on_exist_with_their_defaults() -> None:
    effective = load_effective_policy()
    assert effective.problems == ()
    assert effective.value("retention_years") == 5
    assert effective.value("max_group_size") == 8
    assert effective.value("reconnect_grace_seconds") == 60
    assert effective.value("auto_lock_minutes") == 10
    assert effective.value("session_max_minutes") == 120
    assert effective.value("break_reminder_minutes") == 60
    assert effective.value("turn_seconds") == 180
    assert effective.value("language") == "system"
    assert effective.value("server_url") == ""
    assert effective.value("embedded_server_host") == "127.0.0.1"
    assert effective.value("ice_servers") == []
    assert effective.value("organisation_guidelines") == {"en": "", "fr_CA": "", "links": []}
    assert {r["phone"] for r in effective.value("crisis_resources")} >= {
        "911",
        "811",
        "988",
        "1 866 277-3553",
        "211",
        "1 800 363-9010",
        "1 800 668-6868",
    }
    assert [i["id"] for i in effective.value("facilitator_checklist")] == [
        "private_room",
        "headset",
        "secure_network",
        "no_recording",
        "crisis_resources",
    ]
    participant = effective.value("participant_checklist")
    assert [(i["id"], i["kind"], i["required"]) for i in participant] == [
        ("private_place", "tick", True),
        ("alone", "tick", True),
        ("headphones", "tick", False),  # "if possible"
        ("no_recording", "tick", True),
        ("group_rules", "tick", True),
        ("location", "location", True),
        ("phone", "phone", True),
        ("emergency_contact", "text", False),  # optional unless the policy says otherwise
    ]
    assert effective.value("participant_extra") == []
    assert all(effective.source(key) == "default" for key in key_specs())


def test_default_texts_are_in_both_languages() -> None:
    effective = load_effective_policy()
    texts = [i["text"] for i in effective.value("facilitator_checklist")]
    texts += [i["text"] for i in effective.value("participant_checklist")]
    texts += [r["name"] for r in effective.value("crisis_resources")]
    for text in texts:
        assert set(text) == {"en", "fr_CA"}
        assert all(value.strip() for value in text.values())


def test_default_locations(root: Path) -> None:
    assert policy.default_policy_root() == root
    assert policy.default_user_file() == (
        Path(os.environ["XDG_CONFIG_HOME"]) / "GroupDesk" / "settings.json"
    )


def test_without_the_variable_the_root_is_etc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROUPDESK_POLICY_ROOT")
    assert policy.default_policy_root() == Path("/etc/groupdesk/policies")


def test_only_root_owns_the_system_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from groupdesk.core.policy_files import trusted_owners

    assert trusted_owners(tmp_path) == {0, os.geteuid()}
    assert trusted_owners(None) == {0, os.geteuid()}  # GROUPDESK_POLICY_ROOT is set
    monkeypatch.delenv("GROUPDESK_POLICY_ROOT")
    assert trusted_owners(None) == {0}


# --------------------------------------------------------------------------- precedence


def test_value_precedence_managed_user_recommended_default(write: Write, user_file: Path) -> None:
    rec = write("recommended", "10-rec.json", {"server_url": "wss://rec.example", "language": "en"})
    write_user(user_file, {"server_url": "wss://mine.example", "language": "fr_CA"})
    managed = write("managed", "10-org.json", {"server_url": "wss://org.example"})

    effective = load_effective_policy()

    assert effective.value("server_url") == "wss://org.example"
    assert effective.source("server_url") == f"managed: {managed}"
    assert effective.locked("server_url")
    assert effective.value("language") == "fr_CA"
    assert effective.source("language") == "user"
    assert not effective.locked("language")
    assert codes(effective) == [("settings.json", "server_url", "user_key_locked")]

    user_file.unlink()
    effective = load_effective_policy()
    assert effective.value("language") == "en"
    assert effective.source("language") == f"recommended: {rec}"
    assert effective.problems == ()


def test_managed_files_apply_in_name_order(write: Write) -> None:
    later = write("managed", "20-site.json", {"reconnect_grace_seconds": 90})
    earlier = write("managed", "10-org.json", {"reconnect_grace_seconds": 30, "retention_years": 7})

    effective = load_effective_policy()

    assert effective.value("reconnect_grace_seconds") == 90
    assert effective.source("reconnect_grace_seconds") == f"managed: {later} (overrides {earlier})"
    assert effective.value("retention_years") == 7
    assert effective.source("retention_years") == f"managed: {earlier}"


def test_recommended_files_apply_in_name_order(write: Write) -> None:
    write("recommended", "b.json", {"embedded_server_host": "10.0.0.2"})
    write("recommended", "a.json", {"embedded_server_host": "10.0.0.1"})
    effective = load_effective_policy()
    assert effective.value("embedded_server_host") == "10.0.0.2"
    assert "b.json (overrides " in effective.source("embedded_server_host")


def test_explicit_paths_override_the_environment(tmp_path: Path) -> None:
    (tmp_path / "managed").mkdir()
    (tmp_path / "managed" / "org.json").write_text('{"retention_years": 9}')
    settings = tmp_path / "mine.json"
    settings.write_text('{"language": "en"}')
    effective = load_effective_policy(root=tmp_path, user_file=settings)
    assert effective.value("retention_years") == 9
    assert effective.value("language") == "en"
    assert (effective.root, effective.user_file) == (tmp_path, settings)


# --------------------------------------------------------------------------- ceilings


def test_a_managed_ceiling_caps_the_user_who_may_choose_less(write: Write, user_file: Path) -> None:
    managed = write("managed", "10-org.json", {"auto_lock_minutes": 10})
    write_user(user_file, {"auto_lock_minutes": 5})

    effective = load_effective_policy()

    assert effective.value("auto_lock_minutes") == 5
    assert effective.source("auto_lock_minutes") == "user"
    assert effective.ceiling("auto_lock_minutes") == 10
    assert not effective.locked("auto_lock_minutes")
    assert effective.user_settable("auto_lock_minutes")
    assert effective.setting("auto_lock_minutes").managed
    assert effective.problems == ()

    write_user(user_file, {"auto_lock_minutes": 30})
    effective = load_effective_policy()
    assert effective.value("auto_lock_minutes") == 10
    assert effective.source("auto_lock_minutes") == f"managed: {managed}"
    assert codes(effective) == [("settings.json", "auto_lock_minutes", "user_above_ceiling")]
    assert "30" in effective.problems[0].reason("en")
    assert "10" in effective.problems[0].reason("fr_CA")


def test_the_default_is_capped_by_a_lower_ceiling_without_a_problem(write: Write) -> None:
    managed = write("managed", "10-org.json", {"auto_lock_minutes": 10, "max_group_size": 6})
    effective = load_effective_policy()
    assert effective.value("auto_lock_minutes") == 10
    assert effective.value("max_group_size") == 6
    assert effective.source("max_group_size") == f"managed: {managed}"
    assert effective.problems == ()


def test_a_ceiling_above_the_default_leaves_the_default(write: Write) -> None:
    write("managed", "10-org.json", {"max_group_size": 12})
    effective = load_effective_policy()
    assert effective.value("max_group_size") == 8
    assert effective.source("max_group_size") == "default"
    assert effective.ceiling("max_group_size") == 12


def test_a_recommended_value_above_the_ceiling_is_clamped_and_reported(write: Write) -> None:
    write("managed", "10-org.json", {"session_max_minutes": 90})
    write("recommended", "10-rec.json", {"session_max_minutes": 150})
    effective = load_effective_policy()
    assert effective.value("session_max_minutes") == 90
    assert codes(effective) == [("10-rec.json", "session_max_minutes", "recommended_above_ceiling")]


def test_recommended_values_are_not_ceilings(write: Write, user_file: Path) -> None:
    write("recommended", "10-rec.json", {"auto_lock_minutes": 10})
    write_user(user_file, {"auto_lock_minutes": 30})
    effective = load_effective_policy()
    assert effective.value("auto_lock_minutes") == 30
    assert effective.ceiling("auto_lock_minutes") is None
    assert effective.problems == ()


def test_a_user_chooses_the_turn_limit_within_its_bounds_unless_it_is_locked(
    write: Write, user_file: Path
) -> None:
    write_user(user_file, {"turn_seconds": 120})
    assert load_effective_policy().value("turn_seconds") == 120
    for out_of_bounds in (29, 1801, 90.5, "120"):
        write_user(user_file, {"turn_seconds": out_of_bounds})
        effective = load_effective_policy()
        assert effective.value("turn_seconds") == 180
        assert codes(effective) == [("settings.json", "turn_seconds", "invalid_value")]
    managed = write("managed", "10-org.json", {"turn_seconds": 240})
    write_user(user_file, {"turn_seconds": 60})
    effective = load_effective_policy()
    assert effective.value("turn_seconds") == 240
    assert effective.source("turn_seconds") == f"managed: {managed}"
    assert effective.locked("turn_seconds")
    assert codes(effective) == [("settings.json", "turn_seconds", "user_key_locked")]


def test_the_schema_maximum_is_the_hard_ceiling(user_file: Path) -> None:
    write_user(user_file, {"max_group_size": 13})
    effective = load_effective_policy()
    assert effective.value("max_group_size") == 8
    assert codes(effective) == [("settings.json", "max_group_size", "invalid_value")]


# --------------------------------------------------------------------------- lists


def _items(ids: list[str]) -> list[dict[str, Any]]:
    return [{"id": i, "text": {"en": i, "fr_CA": i}} for i in ids]


def test_list_replace_the_highest_source_wins(write: Write, user_file: Path) -> None:
    write("recommended", "10-rec.json", {"participant_checklist": _items(["rec"])})
    write_user(user_file, {"participant_checklist": _items(["mine"])})
    effective = load_effective_policy()
    assert effective.value("participant_checklist") == _items(["mine"])

    write("managed", "10-org.json", {"participant_checklist": _items(["org"])})
    effective = load_effective_policy()
    assert effective.value("participant_checklist") == _items(["org"])
    assert effective.locked("participant_checklist")
    assert codes(effective) == [("settings.json", "participant_checklist", "user_key_locked")]


def _resource(rid: str, phone: str) -> dict[str, Any]:
    return {"id": rid, "name": {"en": rid}, "phone": phone, "region": "CA-QC", "languages": ["en"]}


def test_list_append_managed_then_user_then_recommended_then_defaults(
    write: Write, user_file: Path
) -> None:
    m1 = write("managed", "10-org.json", {"crisis_resources": [_resource("org", "1")]})
    m2 = write("managed", "20-site.json", {"crisis_resources": [_resource("site", "2")]})
    rec = write("recommended", "10-rec.json", {"crisis_resources": [_resource("rec", "3")]})
    write_user(user_file, {"crisis_resources": [_resource("mine", "4")]})

    effective = load_effective_policy()

    ids = [r["id"] for r in effective.value("crisis_resources")]
    defaults = [r["id"] for r in key_specs()["crisis_resources"].default]
    assert ids == ["org", "site", "mine", "rec", *defaults]
    assert effective.source("crisis_resources") == (
        f"managed: {m1} + managed: {m2} + user + recommended: {rec} + default"
    )
    assert not effective.locked("crisis_resources")
    assert effective.problems == ()


def test_list_append_an_id_already_listed_replaces_the_lower_entry(write: Write) -> None:
    write("managed", "10-org.json", {"crisis_resources": [_resource("emergency_911", "911")]})
    resources = load_effective_policy().value("crisis_resources")
    matching = [r for r in resources if r["id"] == "emergency_911"]
    assert matching == [_resource("emergency_911", "911")]
    assert resources[0] == matching[0]


def test_list_append_without_the_user_for_admin_only_lists(write: Write, user_file: Path) -> None:
    ice = {"urls": ["turn:turn.example:3478"], "username": "u", "credential": "c"}
    write("managed", "10-org.json", {"ice_servers": [ice]})
    write("recommended", "10-rec.json", {"ice_servers": [{"urls": "stun:stun.example"}, ice]})
    write_user(user_file, {"ice_servers": [{"urls": "stun:evil.example"}]})
    effective = load_effective_policy()
    assert effective.value("ice_servers") == [ice, {"urls": "stun:stun.example"}]
    assert codes(effective) == [("settings.json", "ice_servers", "user_key_admin_only")]


def test_values_handed_out_are_copies() -> None:
    effective = load_effective_policy()
    effective.value("crisis_resources").clear()
    assert effective.value("crisis_resources")
    effective.as_dict()["facilitator_checklist"].clear()
    assert effective.value("facilitator_checklist")


# --------------------------------------------------------------------------- problems


def _bad_file(raw: bytes) -> Callable[[Write, Path], Path]:
    return lambda write, user_file: write("managed", "10-org.json", raw=raw)


def _insecure_file(write: Write, user_file: Path) -> Path:
    path = write("managed", "10-org.json", {"retention_years": 1})
    path.chmod(0o666)
    return path


def _insecure_folder(write: Write, user_file: Path) -> Path:
    path = write("managed", "10-org.json", {"retention_years": 1})
    path.parent.chmod(0o777)
    return path.parent


def _not_owned(write: Write, user_file: Path) -> Path:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    path = write("managed", "10-org.json", {"retention_years": 1})
    os.chown(path, 65534, 65534)
    return path


def _ignored(write: Write, user_file: Path) -> Path:
    return write("managed", "10-org.json.bak", {"retention_years": 1})


def _managed_is_a_file(write: Write, user_file: Path) -> Path:
    path = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    path.write_text('{"retention_years": 1}')
    return path


def _in_user_file(data: Any, raw: str | None = None) -> Callable[[Write, Path], Path]:
    def setup(write: Write, user_file: Path) -> Path:
        write_user(user_file, data)
        if raw is not None:
            user_file.write_text(raw)
        return user_file

    return setup


PROBLEMS = [
    # (case, setup returning the file named in the problem, key, code)
    ("malformed", _bad_file(b'{"retention_years": 7,\n}'), None, "malformed_json"),
    ("not utf-8", _bad_file(b'{"language": "fran\xe7ais"}'), None, "not_utf8"),
    ("not an object", _bad_file(b'[{"retention_years": 7}]'), None, "not_an_object"),
    ("duplicate", _bad_file(b'{"retention_years": 7, "retention_years": 1}'), "retention_years",
     "duplicate_key"),
    ("unknown key", _bad_file(b'{"colour": 7}'), "colour", "unknown_key"),
    ("typo", _bad_file(b'{"retention_year": 7}'), "retention_year", "unknown_key_suggestion"),
    ("wrong type", _bad_file(b'{"retention_years": "7"}'), "retention_years", "invalid_value"),
    ("wrong value", _bad_file(b'{"server_url": "http://x"}'), "server_url", "invalid_value"),
    ("insecure file", _insecure_file, None, "insecure_permissions"),
    ("insecure folder", _insecure_folder, None, "insecure_permissions"),
    ("not root's", _not_owned, None, "not_owned_by_root"),
    ("not .json", _ignored, None, "ignored_entry"),
    ("not a folder", _managed_is_a_file, None, "not_a_folder"),
    ("nested duplicate", _bad_file(b'{"organisation_guidelines": {"en": "a", "en": "b"}}'), None,
     "duplicate_name"),
    ("user: admin-only", _in_user_file({"retention_years": 1}), "retention_years",
     "user_key_admin_only"),
    ("user: unknown", _in_user_file({"colour": "red"}), "colour", "unknown_key"),
    ("user: malformed", _in_user_file(None, raw="{"), None, "malformed_json"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "key", "code"), [p[1:] for p in PROBLEMS], ids=[p[0] for p in PROBLEMS]
)
def test_every_problem_is_reported_with_file_key_and_reason(
    write: Write,
    user_file: Path,
    setup: Callable[[Write, Path], Path],
    key: str | None,
    code: str,
) -> None:
    file = setup(write, user_file)
    effective = load_effective_policy()
    assert [(p.file, p.key, p.code) for p in effective.problems] == [(file, key, code)]
    problem = effective.problems[0]
    for lang in LANGUAGES:
        line = problem.describe(lang)
        assert str(file) in line
        assert key is None or key in line
        assert problem.reason(lang) in line
    assert problem.reason("en") != problem.reason("fr_CA")
    # and nothing from the bad file or entry was applied
    assert effective.value("retention_years") == 5
    assert effective.value("language") == "system"


def test_a_folder_the_user_may_not_list_is_reported(
    root: Path, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("managed", "10-org.json", {"retention_years": 7})

    def iterdir(self: Path) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", iterdir)
    effective = load_effective_policy()
    assert [(p.file, p.code) for p in effective.problems] == [(root / "managed", "unreadable")]


def test_a_missing_policy_folder_is_no_policy_and_no_problem(tmp_path: Path) -> None:
    effective = load_effective_policy(root=tmp_path / "absent")
    assert effective.problems == ()
    assert effective.value("retention_years") == 5


def test_the_variable_cannot_escape_a_deployed_managed_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, root: Path
) -> None:
    from groupdesk.core import policy_files

    system = tmp_path / "etc"
    (system / "managed").mkdir(parents=True)
    (system / "managed" / "10-org.json").write_text('{"retention_years": 7}')
    system.chmod(0o755)
    (system / "managed").chmod(0o755)
    (system / "managed" / "10-org.json").chmod(0o644)
    monkeypatch.setattr(policy_files, "SYSTEM_POLICY_ROOT", system)
    (root / "managed").mkdir(exist_ok=True)
    (root / "managed" / "10-mine.json").write_text('{"retention_years": 1}')

    effective = load_effective_policy()

    assert effective.value("retention_years") == 7
    assert [p.code for p in effective.problems] == ["root_override_ignored"]
    assert effective.problems[0].file == root


def test_every_problem_code_is_exercised() -> None:
    elsewhere = {
        "user_key_locked",
        "user_above_ceiling",
        "recommended_above_ceiling",
        "unreadable",
        "root_override_ignored",
        # the registry and managed preferences: tests/core/test_policy_sources.py
        "wrong_registry_type",
        "registry_writable",
        "malformed_json_value",
        "ignored_value",
        "not_forced",
        "wrong_preference_type",
        "folder_not_read",
        "no_system_source",
    }
    table = {p[3] for p in PROBLEMS}
    assert table | elsewhere == policy.PROBLEM_CODES


def test_an_unreadable_file_is_reported(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("managed", "10-org.json", {"retention_years": 7})
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:  # root reads a chmod 000 file anyway: refuse the way a user would be
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    effective = load_effective_policy()
    assert codes(effective) == [("10-org.json", None, "unreadable")]
    assert "Permission denied" in effective.problems[0].reason("en")
    assert effective.value("retention_years") == 5


def test_malformed_json_names_line_and_column(write: Write) -> None:
    write("managed", "10-org.json", raw=b'{\n  "retention_years": 7,\n}')
    problem = load_effective_policy().problems[0]
    assert problem.params["line"] == 3
    assert problem.params["column"] == 1
    assert "line 3, column 1" in problem.reason("en")
    assert "ligne 3, colonne 1" in problem.reason("fr_CA")


def test_the_good_keys_of_a_file_with_a_bad_key_still_apply(write: Write) -> None:
    write(
        "managed",
        "10-org.json",
        {"retention_years": 7, "max_group_siz": 6, "auto_lock_minutes": 0},
    )
    effective = load_effective_policy()
    assert effective.value("retention_years") == 7
    assert codes(effective) == [
        ("10-org.json", "max_group_siz", "unknown_key_suggestion"),
        ("10-org.json", "auto_lock_minutes", "invalid_value"),
    ]
    assert "0 is less than the minimum of 1" in effective.problems[1].reason("en")


def test_an_invalid_managed_value_still_locks_the_key(write: Write, user_file: Path) -> None:
    write("managed", "10-org.json", {"server_url": "http://plain.example"})
    write("recommended", "10-rec.json", {"server_url": "wss://rec.example"})
    write_user(user_file, {"server_url": "wss://mine.example"})
    effective = load_effective_policy()
    assert effective.value("server_url") == "wss://rec.example"
    assert effective.locked("server_url")
    assert not effective.user_settable("server_url")
    assert codes(effective) == [
        ("10-org.json", "server_url", "invalid_value"),
        ("settings.json", "server_url", "user_key_locked"),
    ]


def test_an_untrusted_file_is_skipped_and_the_others_apply(write: Write) -> None:
    write("managed", "10-org.json", {"retention_years": 7})
    write("managed", "20-anyone.json", {"retention_years": 1}).chmod(0o646)
    effective = load_effective_policy()
    assert effective.value("retention_years") == 7
    assert codes(effective) == [("20-anyone.json", None, "insecure_permissions")]
    assert "-rw-r--rw-" in effective.problems[0].reason("en")


def test_a_world_writable_root_disables_the_whole_policy(root: Path, write: Write) -> None:
    write("managed", "10-org.json", {"retention_years": 7})
    root.chmod(0o777)
    effective = load_effective_policy()
    assert effective.value("retention_years") == 5
    assert [(p.file, p.code) for p in effective.problems] == [(root, "insecure_permissions")]


def test_a_user_file_is_not_required_to_be_root_s(user_file: Path) -> None:
    write_user(user_file, {"language": "fr_CA"})
    user_file.chmod(0o600)
    effective = load_effective_policy()
    assert effective.value("language") == "fr_CA"
    assert effective.problems == ()


def test_problem_values_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown policy problem code"):
        PolicyProblem(Path("/x"), None, "whatever")


def test_every_problem_code_and_source_has_messages_in_both_languages() -> None:
    keys = [f"policy.problem.{code}" for code in policy.PROBLEM_CODES]
    keys += [f"policy.source.{kind}" for kind in policy.SOURCE_KINDS]
    missing = [key for key in keys if key not in catalogue()]
    assert missing == []


# --------------------------------------------------------------------------- user settings


def test_save_user_setting_writes_the_file_and_takes_effect(user_file: Path) -> None:
    effective = save_user_setting("language", "fr_CA")
    assert effective.value("language") == "fr_CA"
    assert effective.source("language") == "user"
    save_user_setting("auto_lock_minutes", 5)
    assert json.loads(user_file.read_text("utf-8")) == {"auto_lock_minutes": 5, "language": "fr_CA"}
    effective = clear_user_setting("language")
    assert effective.value("language") == "system"
    assert json.loads(user_file.read_text("utf-8")) == {"auto_lock_minutes": 5}


def test_save_user_setting_keeps_what_it_does_not_understand(user_file: Path) -> None:
    write_user(user_file, {"future_key": True})
    save_user_setting("language", "en")
    assert json.loads(user_file.read_text("utf-8")) == {"future_key": True, "language": "en"}


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("retention_years", 3, "policy.error.admin_only"),
        ("server_url", "wss://mine.example", "policy.error.locked"),
        ("auto_lock_minutes", 20, "policy.error.above_ceiling"),
        ("language", "de", "policy.error.invalid"),
        ("colour", "red", "policy.error.unknown_key"),
    ],
)
def test_save_user_setting_refuses_with_a_clear_error(
    write: Write, user_file: Path, key: str, value: Any, code: str
) -> None:
    write("managed", "10-org.json", {"server_url": "wss://org.example", "auto_lock_minutes": 10})
    with pytest.raises(PolicyError) as caught:
        save_user_setting(key, value)
    assert caught.value.code == code
    assert key in caught.value.message("en")
    assert key in caught.value.message("fr_CA")
    assert not user_file.exists()


def test_save_user_setting_does_not_overwrite_a_broken_file(user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text('{"language": "fr_CA",')
    with pytest.raises(PolicyError) as caught:
        save_user_setting("language", "en")
    assert caught.value.code == "policy.error.user_file_broken"
    assert str(user_file) in caught.value.message("fr_CA")
    assert user_file.read_text() == '{"language": "fr_CA",'


# --------------------------------------------------------------------------- printing


def test_format_lists_every_key_with_value_and_source(write: Write) -> None:
    managed = write("managed", "10-org.json", {"retention_years": 7, "auto_lock_minutes": 5})
    effective = load_effective_policy()
    lines = policy.format_effective_policy(effective, "en").splitlines()
    assert lines[0] == tr("policy.print.title", "en", version=2)
    for key in key_specs():
        assert any(line.startswith(key + " ") for line in lines), key
    retention = next(line for line in lines if line.startswith("retention_years"))
    assert " ".join(retention.split()) == f"retention_years 7 [managed: {managed}; locked]"
    assert lines[-1] == "No problems."
    french = policy.format_effective_policy(effective, "fr_CA").splitlines()
    lock = next(line for line in french if line.startswith("auto_lock_minutes"))
    assert (
        " ".join(lock.split())
        == f"auto_lock_minutes 5 [politique obligatoire : {managed}; plafond 5]"
    )
    assert french[-1] == "Aucun problème."


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GROUPDESK_POLICY_ROOT": str(root), "GROUPDESK_LANG": "en"}
    return subprocess.run(
        [str(GROUPDESK), "--print-effective-policy", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_prints_sources_and_exits_0_then_1_on_a_problem(root: Path, write: Write) -> None:
    managed = write("managed", "10-org.json", {"max_group_size": 6})
    rec = write("recommended", "10-rec.json", {"reconnect_grace_seconds": 120})

    ok = _run(root)
    assert ok.returncode == 0, ok.stderr
    assert f"max_group_size           6  [managed: {managed}; ceiling 6]" in ok.stdout
    assert f"reconnect_grace_seconds  120  [recommended: {rec}]" in ok.stdout
    assert "retention_years          5  [built-in default]" in ok.stdout
    assert "turn_seconds             180  [built-in default]" in ok.stdout
    assert ok.stdout.rstrip().endswith("No problems.")

    bad = write("managed", "20-typo.json", {"max_group_sise": 4})
    failed = _run(root, "--lang", "fr_CA")
    assert failed.returncode == 1
    assert "Problèmes (1) :" in failed.stdout
    assert (
        f"{bad}, clé max_group_sise : clé inconnue (vouliez-vous dire max_group_size?)"
        in failed.stdout
    )

    as_json = _run(root, "--json")
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    assert document["settings"]["max_group_size"] == {
        "value": 6,
        "source": f"managed: {managed}",
        "locked": False,
        "ceiling": 6,
        "user_settable": True,
    }
    assert document["problems"][0]["file"] == str(bad)
    assert document["problems"][0]["code"] == "unknown_key_suggestion"
