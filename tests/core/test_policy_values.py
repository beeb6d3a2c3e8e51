"""The effective policy as one typed object: each key the app reads, typed, read once."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from groupdesk.core.policy import key_specs
from groupdesk.core.policy_values import ChecklistItem, Policy, load_policy


def _managed(data: dict[str, object]) -> None:
    root = Path(os.environ["GROUPDESK_POLICY_ROOT"])  # per test (conftest)
    root.chmod(0o755)
    folder = root / "managed"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    path = folder / "10-org.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o644)


def test_the_defaults_as_typed_values() -> None:
    current = load_policy()
    assert (current.server_url, current.embedded_server_host) == ("", "127.0.0.1")
    assert (current.reconnect_grace_seconds, current.retention_years) == (60, 5)
    assert current.lobby_preview is True
    assert not current.lobby_preview_managed
    assert current.turn_seconds == 180
    assert current.turn_queue_order == "raised"
    assert current.floor_lowers_hand is True
    wording = current.safety_wording  # ordinary words for an onlooker
    assert (wording.option.en, wording.option.fr_ca) == (
        "Switch to text only",
        "Passer en mode texte seulement",
    )
    assert (wording.sent.en, wording.withdraw.fr_ca) == (
        "Text-only mode requested.",
        "Revenir au mode normal",
    )
    assert all(isinstance(item, ChecklistItem) for item in current.participant_checklist)
    headset = next(i for i in current.facilitator_checklist if i.id == "headset")
    assert headset.text_in("fr_CA") == "Casque d'écoute en place"
    assert headset.text_in("de") == "Headset on"  # else English


def test_an_organisation_s_values_arrive_typed() -> None:
    _managed(
        {
            "server_url": "https://rencontres.example.org",
            "lobby_preview": False,
            "retention_years": 7,
            "turn_seconds": 90,
            "turn_queue_order": "quieter_first",
            "floor_lowers_hand": False,
            "participant_checklist": [{"id": "alone", "text": {"en": "Alone", "fr_CA": "Seul"}}],
        }
    )
    current = load_policy()
    assert current.server_url == "https://rencontres.example.org"
    assert current.lobby_preview is False
    assert current.lobby_preview_managed
    assert current.retention_years == 7
    assert current.turn_seconds == 90
    assert current.turn_queue_order == "quieter_first"
    assert current.floor_lowers_hand is False
    assert current.participant_checklist == (
        ChecklistItem("alone", {"en": "Alone", "fr_CA": "Seul"}),
    )
    assert current.problems == ()


def test_every_typed_field_is_a_key_of_the_schema() -> None:
    """A key renamed in the schema breaks here, not in a consumer reading ``Any``."""
    derived = {"lobby_preview_managed", "problems", "safety_wording"}
    fields = {f.name for f in dataclasses.fields(Policy)} - derived
    assert fields <= set(key_specs())


def test_a_checklist_item_without_an_id_or_with_text_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValueError, match="needs an id"):
        ChecklistItem("", {"en": "x"})
    with pytest.raises(ValueError, match="not text by language"):
        ChecklistItem("alone", {"en": 3})  # type: ignore[dict-item]


def test_the_safety_wording_is_the_organisation_s_and_a_blank_text_keeps_the_default() -> None:
    _managed(
        {
            "safety_option": {"en": "Audio settings", "fr_CA": "Réglages\u0000 audio"},
            "safety_sent": {"fr_CA": "  "},
        }
    )
    wording = load_policy().safety_wording
    assert (wording.option.en, wording.option.fr_ca) == ("Audio settings", "Réglages audio")
    assert wording.sent.en == "Text-only mode requested."  # blank: the default
    for key in ("safety_option", "safety_sent", "safety_withdraw", "safety_withdrawn"):
        assert key in key_specs()
        assert len(key) <= 23


def test_the_default_participant_checklist_comes_from_resources() -> None:
    from importlib import resources

    shipped = json.loads(
        resources.files("groupdesk").joinpath("resources/checklists/participant.json").read_text()
    )
    current = load_policy().participant_checklist
    assert [(i.id, i.kind, i.required) for i in current] == [
        (i["id"], i["kind"], i["required"]) for i in shipped
    ]
    assert {i.id: i.kind for i in current}["location"] == "location"
    assert all(set(i.text) == {"en", "fr_CA"} for i in current)  # plain words, both languages


def test_an_organisation_replaces_or_extends_the_participant_checklist() -> None:
    own = {"id": "camera_on", "text": {"en": "My camera is on"}, "required": True}
    _managed({"participant_extra": [own, {"id": "phone", "text": {"en": "Twice"}}]})
    current = load_policy().participant_checklist
    assert [i.id for i in current][-2:] == ["emergency_contact", "camera_on"]
    added = current[-1]
    assert (added.kind, added.required) == ("tick", True)
    assert [i.text_in("en") for i in current if i.id == "phone"] != ["Twice"]  # asked once

    contact = {"id": "emergency_contact", "kind": "text", "required": True, "text": {"en": "Who?"}}
    _managed({"participant_checklist": [contact], "participant_extra": [own]})
    current = load_policy().participant_checklist
    assert [(i.id, i.kind, i.required) for i in current] == [
        ("emergency_contact", "text", True),
        ("camera_on", "tick", True),
    ]


def test_a_broken_checklist_item_is_reported_with_its_file_key_and_reason() -> None:
    _managed({"participant_extra": [{"id": "camera_on", "text": {"en": "x"}, "kind": "essay"}]})
    current = load_policy()
    (problem,) = current.problems
    assert (problem.file.name, problem.key, problem.code) == (
        "10-org.json",
        "participant_extra",
        "invalid_value",
    )
    assert "essay" in problem.params["detail"]
    assert [i.id for i in current.participant_checklist][-1] == "emergency_contact"  # kept
