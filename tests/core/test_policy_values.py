"""The effective policy as one typed object: each key the app reads, typed, read once."""

from __future__ import annotations

import dataclasses
import json

import pytest

from groupdesk.core.policy import key_specs
from groupdesk.core.policy_values import (
    ChecklistItem,
    CrisisResource,
    CrisisStep,
    GuidelineLink,
    Guidelines,
    Policy,
    PolicyText,
    load_policy,
)
from managed_policy import write_managed_policy


def test_the_defaults_as_typed_values() -> None:
    current = load_policy()
    assert (current.server_url, current.embedded_server_host) == ("", "127.0.0.1")
    assert (current.reconnect_grace_seconds, current.retention_years) == (60, 5)
    assert current.lobby_preview is True
    assert not current.lobby_preview_managed
    assert current.turn_seconds == 180
    assert current.turn_queue_order == "raised"
    assert current.floor_lowers_hand is True
    assert current.ice_relay_only is False  # privacy option, off unless chosen
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
    write_managed_policy(
        {
            "server_url": "https://rencontres.example.org",
            "lobby_preview": False,
            "retention_years": 7,
            "turn_seconds": 90,
            "turn_queue_order": "quieter_first",
            "floor_lowers_hand": False,
            "ice_relay_only": True,
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
    assert current.ice_relay_only is True
    assert current.participant_checklist == (
        ChecklistItem("alone", {"en": "Alone", "fr_CA": "Seul"}),
    )
    assert current.problems == ()


def test_every_typed_field_is_a_key_of_the_schema() -> None:
    """A key renamed in the schema breaks here, not in a consumer reading ``Any``."""
    derived = {"lobby_preview_managed", "managed_keys", "problems", "safety_wording"}
    fields = {f.name for f in dataclasses.fields(Policy)} - derived
    assert fields <= set(key_specs())


def test_a_checklist_item_without_an_id_or_with_text_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValueError, match="needs an id"):
        ChecklistItem("", {"en": "x"})
    with pytest.raises(ValueError, match="not text by language"):
        ChecklistItem("alone", {"en": 3})  # type: ignore[dict-item]


def test_the_safety_wording_is_the_organisation_s_and_a_blank_text_keeps_the_default() -> None:
    write_managed_policy(
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
    write_managed_policy({"participant_extra": [own, {"id": "phone", "text": {"en": "Twice"}}]})
    current = load_policy().participant_checklist
    assert [i.id for i in current][-2:] == ["emergency_contact", "camera_on"]
    added = current[-1]
    assert (added.kind, added.required) == ("tick", True)
    assert [i.text_in("en") for i in current if i.id == "phone"] != ["Twice"]  # asked once

    contact = {"id": "emergency_contact", "kind": "text", "required": True, "text": {"en": "Who?"}}
    write_managed_policy({"participant_checklist": [contact], "participant_extra": [own]})
    current = load_policy().participant_checklist
    assert [(i.id, i.kind, i.required) for i in current] == [
        ("emergency_contact", "text", True),
        ("camera_on", "tick", True),
    ]


def test_a_broken_checklist_item_is_reported_with_its_file_key_and_reason() -> None:
    write_managed_policy(
        {"participant_extra": [{"id": "camera_on", "text": {"en": "x"}, "kind": "essay"}]}
    )
    current = load_policy()
    (problem,) = current.problems
    assert (problem.file.name, problem.key, problem.code) == (
        "10-org.json",
        "participant_extra",
        "invalid_value",
    )
    assert "essay" in problem.params["detail"]
    assert [i.id for i in current.participant_checklist][-1] == "emergency_contact"  # kept


CRISIS_KEYS = ("crisis_protocol", "crisis_silence_seconds", "crisis_freeze_seconds")


def test_the_default_crisis_protocol_comes_from_resources_in_both_languages() -> None:
    from importlib import resources

    shipped = json.loads(
        resources.files("groupdesk").joinpath("resources/crisis/protocol.json").read_text()
    )
    current = load_policy()
    steps = current.crisis_protocol
    assert (
        [s.id for s in steps]
        == [s["id"] for s in shipped]
        == [
            "keep_safe",
            "side_room",
            "assess_risk",
            "confirm_location",
            "call_emergency",
            "call_back",
            "stay_connected",
            "notify_supervisor",
            "document",
        ]
    )
    assert all(isinstance(s, CrisisStep) and set(s.text) == {"en", "fr_CA"} for s in steps)
    assert [s.id for s in steps if s.when_dropped] == ["call_back"]
    call_back = steps[5]
    assert call_back.text_in("en").startswith("Call them back on their phone")
    assert call_back.text_in("fr_CA").startswith("La rappeler sur son téléphone")
    assert (current.crisis_silence_seconds, current.crisis_freeze_seconds) == (20, 10)
    assert current.crisis_alert_sound is False
    for key in (*CRISIS_KEYS, "crisis_alert_sound", "crisis_resources"):
        assert key in key_specs()
        assert len(key) <= 23


def test_the_crisis_lines_arrive_typed_with_region_and_languages() -> None:
    lines = {r.id: r for r in load_policy().crisis_resources}
    assert all(isinstance(r, CrisisResource) for r in lines.values())
    info_social = lines["info_social_811"]
    assert (info_social.phone, info_social.region, info_social.languages) == (
        "811",
        "CA-QC",
        ("en", "fr_CA"),
    )
    assert info_social.note_in("fr_CA") == "Composer le 811, puis l'option 2"
    assert not info_social.national
    assert lines["emergency_911"].national
    assert (lines["suicide_crisis_988"].phone, lines["suicide_crisis_988"].sms) == ("988", "988")
    assert lines["kids_help_phone"].name_in("fr_CA") == "Jeunesse, J'écoute"


def test_an_organisation_replaces_the_protocol_and_the_lines_and_sets_the_thresholds() -> None:
    write_managed_policy(
        {
            "crisis_protocol": [
                {"id": "appeler", "text": {"fr_CA": "Appeler la ligne de garde"}},
                {"id": "rappel", "text": {"en": "Call back"}, "when_dropped": True},
            ],
            "crisis_resources": [
                {
                    "id": "garde_cisss",
                    "name": {"fr_CA": "Ligne de garde du CISSS"},
                    "phone": "418 555-0199",
                    "region": "CA-QC",
                    "languages": ["fr_CA"],
                },
                {
                    "id": "emergency_911",
                    "name": {"en": "911 (dispatch)"},
                    "phone": "911",
                    "region": "CA",
                    "languages": ["en", "fr_CA"],
                },
            ],
            "crisis_silence_seconds": 45,
            "crisis_freeze_seconds": 5,
            "crisis_alert_sound": True,
        }
    )
    current = load_policy()
    assert current.problems == ()
    assert current.crisis_protocol == (
        CrisisStep("appeler", {"fr_CA": "Appeler la ligne de garde"}),
        CrisisStep("rappel", {"en": "Call back"}, when_dropped=True),
    )
    ids = [r.id for r in current.crisis_resources]
    assert ids[:2] == ["garde_cisss", "emergency_911"]
    assert ids.count("emergency_911") == 1  # the organisation's replaces the built-in one
    assert current.crisis_resources[1].name_in("fr_CA") == "911 (dispatch)"
    assert (current.crisis_silence_seconds, current.crisis_freeze_seconds) == (45, 5)
    assert current.crisis_alert_sound is True


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("crisis_protocol", [{"id": "call", "text": {"en": "Call"}, "when_dropped": "yes"}], "yes"),
        ("crisis_protocol", [{"id": "call"}], "'text' is a required property"),
        ("crisis_protocol", [{"id": "call", "text": {"en": "  "}}], "does not match"),
        ("crisis_protocol", [], "should be non-empty"),
        ("crisis_silence_seconds", 2, "less than the minimum"),
        ("crisis_freeze_seconds", "ten", "not of type 'integer'"),
        (
            "crisis_resources",
            [
                {
                    "id": "x",
                    "name": {"en": "X"},
                    "phone": "1",
                    "region": "Québec",
                    "languages": ["en"],
                }
            ],
            "region: 'Québec' does not match",
        ),
        (
            "crisis_resources",
            [{"id": "x", "name": {"en": "X"}, "region": "CA", "languages": ["en"]}],
            "is not valid under any of the given schemas",  # no number to call or to text
        ),
    ],
)
def test_broken_crisis_content_is_reported_with_its_file_key_and_reason(
    key: str, value: object, said: str
) -> None:
    write_managed_policy({key: value})
    current = load_policy()
    (problem,) = current.problems
    assert (problem.file.name, problem.key, problem.code) == ("10-org.json", key, "invalid_value")
    assert said in problem.params["detail"]
    assert problem.describe("fr_CA")  # said in words, in both languages
    assert problem.describe("en")
    # the built-in values stay (a broken managed list locks it to the default)
    assert current.crisis_protocol[0].id == "keep_safe"
    assert current.crisis_silence_seconds == 20
    assert "x" not in [r.id for r in current.crisis_resources]


def test_a_crisis_step_or_line_built_wrong_is_refused() -> None:
    with pytest.raises(ValueError, match="needs an id"):
        CrisisStep("", {"en": "x"})
    with pytest.raises(ValueError, match="not text by language"):
        CrisisStep("call", {"en": 3})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="languages are en"):
        CrisisResource("x", {"en": "X"}, "CA", ("de",), phone="1")
    with pytest.raises(ValueError, match="number to call or to text"):
        CrisisResource("x", {"en": "X"}, "CA", ("en",))


NOTE_TEMPLATE = {
    "id": "intake_review",
    "name": {"en": "Intake review", "fr_CA": "Revue de l'accueil"},
    "applies_to": ["member", "individual"],
    "sections": [
        {"id": "facts", "heading": {"en": "Facts", "fr_CA": "Faits"}, "facts": True},
        {"id": "review", "heading": {"en": "Review", "fr_CA": "Revue"}},
    ],
}


def test_the_note_templates_and_attrition_threshold_by_default() -> None:
    from importlib import resources

    shipped = json.loads(
        resources.files("groupdesk").joinpath("resources/notes/templates.json").read_text()
    )
    current = load_policy()
    assert [t.id for t in current.note_templates] == [t["id"] for t in shipped]
    assert {t.id for t in current.note_templates} >= {"dap", "soap", "birp", "absence"}
    one_to_one = next(t for t in current.note_templates if t.id == "one_to_one")
    assert one_to_one.name_in("fr_CA") == "Rencontre individuelle avant le groupe"
    assert current.attrition_missed_in_row == 2


def test_an_organisation_adds_a_template_replaces_a_built_in_and_sets_the_threshold() -> None:
    own_dap = {
        **NOTE_TEMPLATE,
        "id": "dap",
        "name": {"en": "DAP (ours)", "fr_CA": "DAP (la nôtre)"},
    }
    write_managed_policy({"note_templates": [NOTE_TEMPLATE, own_dap], "attrition_missed_in_row": 3})
    current = load_policy()
    assert current.problems == ()
    ids = [t.id for t in current.note_templates]
    assert ids[:2] == ["intake_review", "dap"]  # the organisation's first
    assert ids.count("dap") == 1
    assert "absence" in ids
    assert "one_to_one" in ids
    assert current.note_templates[1].name_in("en") == "DAP (ours)"
    assert current.note_templates[0].facts_section is not None
    assert current.note_templates[0].facts_section.heading_in("fr_CA") == "Faits"
    assert current.attrition_missed_in_row == 3


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("note_templates", [{**NOTE_TEMPLATE, "applies_to": ["everyone"]}], "everyone"),
        ("note_templates", [{**NOTE_TEMPLATE, "sections": []}], "should be non-empty"),
        (
            "note_templates",
            [{**NOTE_TEMPLATE, "sections": [{"id": "x", "heading": {"fr_CA": " "}}]}],
            "does not match",
        ),
        ("note_templates", [{"id": "x", "name": {"en": "X"}}], "is a required property"),
        ("attrition_missed_in_row", 0, "less than the minimum"),
        ("attrition_missed_in_row", 11, "greater than the maximum"),
        ("attrition_missed_in_row", "two", "not of type 'integer'"),
    ],
)
def test_a_broken_template_or_threshold_is_reported_with_its_file_key_and_reason(
    key: str, value: object, said: str
) -> None:
    write_managed_policy({key: value})
    current = load_policy()
    (problem,) = current.problems
    assert (problem.file.name, problem.key, problem.code) == ("10-org.json", key, "invalid_value")
    assert said in problem.params["detail"]
    assert problem.describe("fr_CA")
    assert problem.describe("en")
    # the built-in values stay in force
    assert next(t.id for t in current.note_templates) == "dap"
    assert current.attrition_missed_in_row == 2


def test_break_reminder_and_guidelines_by_default() -> None:
    current = load_policy()
    assert current.break_reminder_minutes == 60
    assert current.organisation_guidelines.empty
    assert current.organisation_guidelines.links == ()


def test_the_organisation_s_break_reminder_and_guidelines_arrive_typed() -> None:
    guide = {
        "en": "Use a private room.",
        "fr_CA": "Utilisez une pièce fermée.",
        "links": [
            {
                "url": "https://intranet.example.org/groupes?lang=fr#distance",
                "title": {"en": "Remote groups", "fr_CA": "Groupes à distance"},
            }
        ],
    }
    write_managed_policy({"break_reminder_minutes": 45, "organisation_guidelines": guide})
    current = load_policy()
    assert current.problems == ()
    assert current.break_reminder_minutes == 45
    guidelines = current.organisation_guidelines
    assert not guidelines.empty
    assert guidelines.text_in("fr_CA") == "Utilisez une pièce fermée."
    (link,) = guidelines.links
    assert link.url == "https://intranet.example.org/groupes?lang=fr#distance"
    assert (link.title_in("en"), link.title_in("fr_CA")) == ("Remote groups", "Groupes à distance")


@pytest.mark.parametrize(
    "url",
    ["http://intranet.example.org", "javascript:alert(1)", "file:///etc/passwd", "https://"],
)
def test_a_guideline_link_that_is_not_https_is_reported_and_not_shown(url: str) -> None:
    guide = {"en": "Read this", "links": [{"url": url, "title": {"en": "x"}}]}
    write_managed_policy({"organisation_guidelines": guide})
    current = load_policy()
    (problem,) = current.problems
    assert (problem.key, problem.code) == ("organisation_guidelines", "invalid_value")
    assert current.organisation_guidelines.empty  # the default: nothing shown
    with pytest.raises(ValueError, match="https"):
        GuidelineLink(url, PolicyText({"en": "x"}))


def test_the_guidelines_of_schema_version_2_still_apply() -> None:
    """Text alone (no ``links``), as the schema allowed before links existed."""
    write_managed_policy({"organisation_guidelines": {"en": "Be kind"}})
    current = load_policy()
    assert current.problems == ()
    assert current.organisation_guidelines == Guidelines(PolicyText({"en": "Be kind"}))
