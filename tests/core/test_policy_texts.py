"""The policy's texts: the group rules and the consent to the remote modality."""

from __future__ import annotations

from typing import Any

import pytest

from groupdesk.core.i18n import LANGUAGES
from groupdesk.core.policy import format_effective_policy, key_specs, load_effective_policy
from groupdesk.core.policy_values import ConsentText, PolicyText, load_policy
from managed_policy import write_managed_policy


def test_the_default_rules_say_what_the_group_expects_in_both_languages() -> None:
    rules = load_policy().group_rules
    assert set(rules.text) == {"en", "fr_CA"}
    english, french = rules.text_in("en"), rules.text_in("fr_CA")
    for needed in ("Confidentiality", "record", "screenshots", "Respect", "raise your hand"):
        assert needed in english
    assert "gives the floor in order" in english
    assert "call you at the phone number you gave" in english
    assert "rejoin from the same link" in english
    for word in ("Confidentialité", "enregistrement", "capture d'écran", "Respect", "levez la"):
        assert word in french
    assert "numéro de téléphone que vous avez donné" in french
    assert "même lien" in french


def test_the_default_consent_has_advantages_drawbacks_and_a_version() -> None:
    consent = load_policy().remote_consent
    assert consent.version == "1"
    english, french = consent.text.text_in("en"), consent.text.text_in("fr_CA")
    for needed in ("Advantages", "No travel", "from home", "Drawbacks", "Less private",
                   "connection", "body language", "emergency"):  # fmt: skip
        assert needed in english, needed
    for needed in ("Avantages", "déplacement", "de chez vous", "Inconvénients",
                   "confidentialité", "connexion", "langage du corps", "urgence"):  # fmt: skip
        assert needed in french, needed


def test_an_organisation_replaces_the_rules_and_the_consent() -> None:
    file = write_managed_policy(
        {
            "group_rules": {"fr_CA": "Nos règles", "en": "Our rules"},
            "remote_consent": {"version": "2027-01", "text": {"fr_CA": "Notre texte"}},
        }
    )
    effective = load_effective_policy()
    assert effective.problems == ()
    assert effective.source("remote_consent") == f"managed: {file}"
    current = load_policy()
    assert current.group_rules == PolicyText({"fr_CA": "Nos règles", "en": "Our rules"})
    assert current.remote_consent == ConsentText("2027-01", PolicyText({"fr_CA": "Notre texte"}))
    assert current.remote_consent.text.text_in("en") == "Notre texte"  # the one there is


BROKEN = [
    # (case, key, value, words of the reason)
    ("blank rules", "group_rules", {"en": "   ", "fr_CA": "Règles"}, "en"),
    ("rules not text", "group_rules", "Be nice", "object"),
    ("rules in another language", "group_rules", {"de": "Regeln"}, "de"),
    ("consent without version", "remote_consent", {"text": {"en": "Consent"}}, "version"),
    ("consent with an empty text", "remote_consent", {"version": "2", "text": {}}, "text"),
    ("consent version with spaces", "remote_consent",
     {"version": "v 2", "text": {"en": "Consent"}}, "version"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value", "why"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_text_is_reported_with_file_key_and_reason(key: str, value: Any, why: str) -> None:
    file = write_managed_policy({key: value})
    effective = load_effective_policy()
    assert [(p.file, p.key, p.code) for p in effective.problems] == [(file, key, "invalid_value")]
    problem = effective.problems[0]
    assert why in problem.reason("en")
    for lang in LANGUAGES:
        line = problem.describe(lang)
        assert str(file) in line
        assert key in line
        assert problem.reason(lang) in line
    # the built-in text stays in force: participants are never shown a broken one
    assert load_policy().group_rules.text_in("en").startswith("Group rules")
    assert load_policy().remote_consent.version == "1"


def test_the_texts_print_in_the_aligned_columns() -> None:
    width = max(len(key) for key in key_specs())
    assert width == len("reconnect_grace_seconds")  # the CLI's column
    lines = format_effective_policy(load_effective_policy(), "en").splitlines()
    for key in ("group_rules", "remote_consent"):
        line = next(line for line in lines if line.startswith(key + " "))
        assert line[width : width + 2] == "  "
        assert line[width + 2] == "{"
        assert line.endswith("[built-in default]")
