# ruff: noqa: RUF001 -- the en dash between two times is what the practitioner reads
"""Note templates: which apply to which note, and the starting text with the facts."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from facts_scenario import MONTREAL, REASON, evening, one_to_one

from groupdesk.core.policy_values import load_policy
from groupdesk.core.records.templates import (
    NoteKind,
    NoteTemplate,
    TemplateSection,
    note_kind,
    note_templates,
    starting_text,
    templates_for,
)

BUILT_IN = note_templates(
    json.loads(resources.files("groupdesk").joinpath("resources/notes/templates.json").read_text())
)


def _template(template_id: str) -> NoteTemplate:
    return next(t for t in BUILT_IN if t.id == template_id)


def test_every_built_in_template_has_a_name_and_headings_in_both_languages() -> None:
    assert [t.id for t in BUILT_IN] == [
        "dap",
        "soap",
        "birp",
        "group_summary",
        "incident_follow_up",
        "absence",
        "one_to_one",
    ]
    for template in BUILT_IN:
        assert template.name["en"].strip()
        assert template.name["fr_CA"].strip()
        for section in template.sections:
            assert section.heading["en"].strip()
            assert section.heading["fr_CA"].strip()


def test_which_templates_apply_to_which_note() -> None:
    ids = {kind: [t.id for t in templates_for(BUILT_IN, kind)] for kind in NoteKind}
    assert ids[NoteKind.ABSENT] == ["absence"]
    assert ids[NoteKind.GROUP] == ["dap", "birp", "group_summary", "incident_follow_up"]
    assert ids[NoteKind.MEMBER] == ["dap", "soap", "birp", "incident_follow_up"]
    assert ids[NoteKind.INDIVIDUAL][-1] == "one_to_one"
    assert "group_summary" not in ids[NoteKind.INDIVIDUAL]


def test_the_kind_of_a_note() -> None:
    facts = evening()
    assert note_kind(facts, None) is NoteKind.GROUP
    assert note_kind(facts, 1) is NoteKind.MEMBER
    assert note_kind(facts, 3) is NoteKind.ABSENT
    assert note_kind(one_to_one(), None) is NoteKind.INDIVIDUAL
    assert note_kind(one_to_one(), 3) is NoteKind.INDIVIDUAL


def test_a_member_s_dap_note_starts_with_the_facts_under_data() -> None:
    text = starting_text(
        _template("dap"), evening(), 1, "en", MONTREAL, item_names={"phone": "phone number"}
    )
    assert text.startswith(
        "Data\n- Present 18:02–18:40, 18:45–19:31 (84 min), online\n"
        "- Talk time 6 min 40 s in 3 turns\n"
    )
    assert f"- Required checklist item unmet: phone number; admitted anyway: {REASON}\n" in text
    assert text.endswith("\n\nAssessment\n\n\nPlan\n\n")


def test_a_french_soap_note_places_the_facts_under_objective() -> None:
    text = starting_text(_template("soap"), evening(), 2, "fr_CA", MONTREAL)
    assert text.startswith("Subjectif\n\n\nObjectif\n- Présence 18 h 00 à 19 h 30 (90 min)")
    assert "\n\nAnalyse\n\n\nPlan\n" in text


def test_the_one_to_one_template_gets_a_facts_heading_first() -> None:
    text = starting_text(_template("one_to_one"), one_to_one(), None, "fr_CA", MONTREAL)
    headings = [line for line in text.splitlines() if line and not line.startswith("- ")]
    assert headings == [
        "Faits de la séance",
        "Objectifs",
        "Pertinence de la participation au groupe",
        "Consentement et conditions de la participation à distance",
        "Plan de sécurité",
        "Prochaines étapes",
    ]
    assert "- Rencontre individuelle\n" in text


def test_an_absent_member_s_note_starts_from_the_absence_fact() -> None:
    facts = evening()
    (absence,) = templates_for(BUILT_IN, note_kind(facts, 3))
    assert starting_text(absence, facts, 3, "en", MONTREAL) == (
        "Absence\n- Absent (expected)\n- Consent not given yet\n\n"
        "Contact attempts and reason given\n\n\nFollow-up\n\n"
    )


def test_the_group_summary_starts_with_the_group_s_facts() -> None:
    text = starting_text(_template("group_summary"), evening(), None, "en", MONTREAL)
    assert text.startswith(
        "Attendance and facts of the session\n"
        "- Session of 2026-11-03, 18:00–19:32 (planned 18:00–19:30)\n"
        "- Present: 2 of 3 expected\n"
    )


def test_the_policy_carries_the_built_in_templates() -> None:
    assert load_policy().note_templates == BUILT_IN


def test_a_template_built_wrong_is_refused() -> None:
    section = TemplateSection("data", {"en": "Data"})
    with pytest.raises(ValueError, match="id of 1 to 64"):
        NoteTemplate("", {"en": "X"}, frozenset({NoteKind.GROUP}), (section,))
    with pytest.raises(ValueError, match="applies to no note"):
        NoteTemplate("x", {"en": "X"}, frozenset(), (section,))
    with pytest.raises(ValueError, match="needs sections"):
        NoteTemplate("x", {"en": "X"}, frozenset({NoteKind.GROUP}), ())
    with pytest.raises(ValueError, match="not text by language"):
        TemplateSection("data", {"en": "  "})
