"""The administrator templates generated from the policy schema: checked in and current,
well-formed, complete, and read back by GroupDesk as the same policy on every OS."""

from __future__ import annotations

import json
import plistlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from groupdesk import policy_templates as templates
from groupdesk.core.policy import EffectivePolicy, load_effective_policy
from groupdesk.core.policy_schema import key_specs, key_type, resolved, schema
from groupdesk.core.policy_sources import (
    MACOS_DOMAIN,
    REG_DWORD,
    REG_SZ,
    REGISTRY_KEY,
    PreferencesReader,
    RegistryReader,
)
from policy_fakes import FakeRegistry

REPO = Path(__file__).resolve().parents[2]
NS = {"p": templates.ADMX_NS}


def parse(relative: str) -> ET.Element:
    return ET.parse(REPO / relative).getroot()


def test_the_checked_in_templates_are_those_the_schema_gives() -> None:
    stale = templates.stale(REPO)
    assert stale == [], f"regenerate: {sys.executable} -m groupdesk.policy_templates --write ."


def test_check_names_a_stale_template_and_write_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert templates.main(["--check", str(tmp_path)]) == 1
    assert "stale: installers/policy/windows/groupdesk.admx" in capsys.readouterr().out
    assert templates.main(["--write", str(tmp_path)]) == 0
    assert templates.main(["--check", str(tmp_path)]) == 0
    edited = tmp_path / templates.REFERENCE["en"]
    edited.write_text(edited.read_text() + "hand edit\n")
    assert templates.main(["--check", str(tmp_path)]) == 1
    assert str(templates.REFERENCE["en"]) in capsys.readouterr().out


def test_every_key_has_a_title_in_both_languages() -> None:
    for name, prop in schema()["properties"].items():
        assert prop.get("title", "").strip(), name
        assert prop.get("x-title-fr_CA", "").strip(), name


# --------------------------------------------------------------------------- ADMX / ADML


def test_xmllint_finds_the_admx_and_adml_well_formed() -> None:
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is missing: scripts/setup.sh --test installs libxml2-utils"
    files = [templates.ADMX, *templates.ADML.values()]
    result = subprocess.run(
        [xmllint, "--noout", *files], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


def policies(admx: ET.Element) -> dict[str, ET.Element]:
    found = {p.get("name"): p for p in admx.iterfind("p:policies/p:policy", NS)}
    return {name: p for name, p in found.items() if name is not None}


def test_the_admx_has_every_key_mandatory_and_recommended_stored_as_the_reader_expects() -> None:
    admx = parse(templates.ADMX)
    found = policies(admx)
    assert len(found) == 2 * len(key_specs()) == len(admx.findall("p:policies/p:policy", NS))
    for level, suffix, key in (
        ("groupdesk", "", REGISTRY_KEY),
        ("groupdesk_recommended", "_recommended", REGISTRY_KEY + "\\Recommended"),
    ):
        for name in key_specs():
            policy = found[name + suffix]
            assert policy.get("class") == "Machine"
            assert policy.get("key") == key
            assert policy.find("p:parentCategory", NS).get("ref") == level  # type: ignore[union-attr]
            prop = resolved(schema()["properties"][name])
            kind = prop["type"]
            if kind == "boolean":
                assert policy.get("valueName") == name
                on = policy.find("p:enabledValue/p:decimal", NS)
                off = policy.find("p:disabledValue/p:decimal", NS)
                assert (on.get("value"), off.get("value")) == ("1", "0")  # type: ignore[union-attr]
                continue
            (element,) = list(policy.find("p:elements", NS))  # type: ignore[arg-type]
            tag = element.tag.split("}")[1]
            if kind == "array":
                assert (tag, element.get("key"), element.get("valuePrefix")) == (
                    "list",
                    f"{key}\\{name}",
                    "",
                )
                continue
            assert element.get("valueName") == name
            if kind == "integer":
                assert tag == "decimal"
                assert int(element.get("minValue", "")) == prop["minimum"]
                assert int(element.get("maxValue", "")) == prop["maximum"]
            elif "enum" in prop:
                assert tag == "enum"
                values = [s.text for s in element.iterfind("p:item/p:value/p:string", NS)]
                assert values == prop["enum"]
            else:
                assert tag == "text"


@pytest.mark.parametrize("lang", ["en", "fr_CA"])
def test_every_reference_of_the_admx_is_in_each_adml(lang: str) -> None:
    admx_text = (REPO / templates.ADMX).read_text(encoding="utf-8")
    adml = parse(templates.ADML[lang])
    strings = {s.get("id"): s.text for s in adml.iterfind("p:resources/p:stringTable/p:string", NS)}
    presentations = {
        p.get("id"): p for p in adml.iterfind("p:resources/p:presentationTable/p:presentation", NS)
    }
    used = set(re.findall(r"\$\(string\.([^)]+)\)", admx_text))
    assert used <= set(strings)
    assert all((strings[sid] or "").strip() for sid in used)
    used_presentations = set(re.findall(r"\$\(presentation\.([^)]+)\)", admx_text))
    assert used_presentations == set(presentations)
    admx = parse(templates.ADMX)
    for name, policy in policies(admx).items():
        element_ids = {e.get("id") for e in policy.findall("p:elements/*", NS)}
        if name in presentations:
            refs = {c.get("refId") for c in presentations[name]}
            assert refs == element_ids, name
        assert strings[name]
        assert strings[f"{name}_Explain"]
    spec = key_specs()["max_group_size"]
    assert strings["max_group_size"] == spec.title(lang)
    assert spec.description(lang) in (strings["max_group_size_Explain"] or "")
    assert "HKLM\\SOFTWARE\\Policies\\GroupDesk\\max_group_size" in (
        strings["max_group_size_Explain"] or ""
    )


def test_the_adml_of_each_language_is_in_that_language() -> None:
    en = {
        s.get("id"): s.text
        for s in parse(templates.ADML["en"]).iterfind("p:resources/p:stringTable/p:string", NS)
    }
    fr = {
        s.get("id"): s.text
        for s in parse(templates.ADML["fr_CA"]).iterfind("p:resources/p:stringTable/p:string", NS)
    }
    assert set(en) == set(fr)
    assert (
        fr["groupdesk_recommended"]
        == "GroupDesk \N{EN DASH} Recommandé (modifiable par l'utilisateur)"
    )
    assert fr["auto_lock_minutes"] == "Verrouillage automatique après inactivité (minutes)"
    assert "plafond" in (fr["auto_lock_minutes_Explain"] or "")


# ------------------------------------------- the templates give the same policy on every OS


def gpo_writes(registry: FakeRegistry, values: dict[str, Any], suffix: str) -> None:
    """What Group Policy writes when the ADMX policy of each key is enabled with ``value``."""
    found = policies(parse(templates.ADMX))
    for name, value in values.items():
        policy = found[name + suffix]
        key = policy.get("key", "")
        if policy.get("valueName"):  # a boolean
            registry.set(key, name, int(value), REG_DWORD)
            continue
        (element,) = list(policy.find("p:elements", NS))  # type: ignore[arg-type]
        tag = element.tag.split("}")[1]
        if tag == "list":
            for number, item in enumerate(value, start=1):
                registry.set(element.get("key", ""), str(number), json.dumps(item), REG_SZ)
        elif tag == "decimal":
            registry.set(key, name, value, REG_DWORD)
        elif key_type(name) == "string":
            registry.set(key, name, value, REG_SZ)
        else:  # an object typed into the text box as JSON
            registry.set(key, name, json.dumps(value), REG_SZ)


@pytest.fixture
def from_linux_examples(tmp_path: Path) -> EffectivePolicy:
    """The example files as deployed in a policy folder."""
    root = tmp_path / "policies"
    for level, relative in (
        ("managed", templates.LINUX_MANAGED),
        ("recommended", templates.LINUX_RECOMMENDED),
    ):
        (root / level).mkdir(parents=True)
        shutil.copy(REPO / relative, root / level / "10-organisation.json")
        (root / level / "10-organisation.json").chmod(0o644)
    root.chmod(0o755)
    effective = load_effective_policy(root=root)
    assert effective.problems == ()
    return effective


def test_the_linux_examples_set_what_they_say(from_linux_examples: EffectivePolicy) -> None:
    for key, value in templates.EXAMPLE_MANAGED.items():
        setting = from_linux_examples.setting(key)
        if key_specs()[key].merge == "ceiling":
            assert setting.ceiling == value, key
        elif isinstance(value, list):
            assert from_linux_examples.value(key)[: len(value)] == value
        else:
            assert from_linux_examples.value(key) == value
            assert setting.locked, key
    assert from_linux_examples.value("language") == templates.EXAMPLE_RECOMMENDED["language"]


def test_the_admx_written_by_group_policy_reads_as_the_linux_example(
    from_linux_examples: EffectivePolicy,
) -> None:
    registry = FakeRegistry()
    gpo_writes(registry, dict(templates.EXAMPLE_MANAGED), "")
    gpo_writes(registry, dict(templates.EXAMPLE_RECOMMENDED), "_recommended")
    effective = load_effective_policy(readers=[RegistryReader(registry)])
    assert effective.problems == ()
    assert effective.as_dict() == from_linux_examples.as_dict()
    assert effective.locked("server_url")
    assert effective.ceiling("auto_lock_minutes") == 10


def test_the_mobileconfig_loads_and_reads_as_the_linux_example(
    from_linux_examples: EffectivePolicy,
) -> None:
    with (REPO / templates.MOBILECONFIG).open("rb") as file:
        profile = plistlib.load(file)
    assert profile["PayloadType"] == "Configuration"
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == MACOS_DOMAIN
    uuids = {profile["PayloadUUID"], payload["PayloadUUID"]}
    assert len(uuids) == 2

    class Forced:  # what the profile installs: every key forced
        def names(self) -> list[str]:
            return list(payload)

        def value(self, name: str) -> Any:
            return payload.get(name)

        def forced(self, name: str) -> bool:
            return name in payload

    effective = load_effective_policy(readers=[PreferencesReader(Forced())])
    assert effective.problems == ()
    assert effective.as_dict() == from_linux_examples.as_dict()


def test_the_jamf_schema_covers_every_key_and_accepts_the_example() -> None:
    document = json.loads((REPO / templates.JAMF).read_text(encoding="utf-8"))
    properties = document["properties"]
    assert set(properties) == {*key_specs(), "Recommended"}
    assert "$ref" not in json.dumps(document)
    assert "oneOf" not in json.dumps(document)
    assert properties["max_group_size"]["maximum"] == 12
    assert properties["auto_lock_minutes"]["title"] == "Automatic lock after inactivity (minutes)"
    jsonschema.Draft7Validator.check_schema(document)
    example = {**templates.EXAMPLE_MANAGED, "Recommended": dict(templates.EXAMPLE_RECOMMENDED)}
    jsonschema.Draft7Validator(document).validate(example)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(document).validate({"max_group_size": 40})


# --------------------------------------------------------------------------- the reference


@pytest.mark.parametrize("lang", ["en", "fr_CA"])
def test_the_reference_lists_every_key_with_type_default_and_description(lang: str) -> None:
    page = (REPO / templates.REFERENCE[lang]).read_text(encoding="utf-8")
    for name, spec in key_specs().items():
        assert f"\n### {name}\n" in page
        assert f"[`{name}`](#{name})" in page
        assert spec.description(lang) in page
        assert spec.title("fr_CA") in page
        assert spec.title("en") in page
    assert "| [`auto_lock_minutes`](#auto_lock_minutes) | integer (1..240) | 10 | ceiling |" in page
    assert "HKLM\\SOFTWARE\\Policies\\GroupDesk" in page
