"""The organisation's guidelines: text by language, and only https addresses as links."""

from __future__ import annotations

from groupdesk.core.guidelines import https_links, split_links
from groupdesk.core.policy_values import Guidelines, PolicyText, load_policy
from managed_policy import write_managed_policy


def test_only_https_addresses_become_links_and_punctuation_stays_text() -> None:
    text = (
        "Read https://intranet.example.org/groupes. Not http://old.example.org, "
        "nor javascript:alert(1) (see https://example.org/a?b=c)."
    )
    assert https_links(text) == (
        "https://intranet.example.org/groupes",
        "https://example.org/a?b=c",
    )
    parts = split_links(text)
    assert "".join(part for _kind, part in parts) == text  # nothing lost
    assert ("link", "https://intranet.example.org/groupes") in parts
    assert all(kind == "text" for kind, part in parts if "http://" in part)


def test_guidelines_by_language_with_english_as_fallback() -> None:
    guidelines = Guidelines(
        PolicyText({"en": "Breaks every hour.", "fr_CA": "Pause chaque heure."})
    )
    assert not guidelines.empty
    assert guidelines.text_in("fr_CA") == "Pause chaque heure."
    assert guidelines.text_in("de") == "Breaks every hour."
    assert Guidelines(PolicyText({"en": "  ", "fr_CA": ""})).empty


def test_the_policy_carries_guidelines_break_interval_and_what_is_managed() -> None:
    assert load_policy().organisation_guidelines.empty
    assert load_policy().managed_keys == frozenset()
    write_managed_policy(
        {
            "organisation_guidelines": {"en": "See https://example.org/guide", "fr_CA": "Voir"},
            "break_reminder_minutes": 45,
            "exclude_screen_capture": True,
        }
    )
    current = load_policy()
    assert ("link", "https://example.org/guide") in current.organisation_guidelines.parts("en")
    assert current.break_reminder_minutes == 45
    assert current.exclude_screen_capture is True
    assert {"break_reminder_minutes", "exclude_screen_capture"} <= current.managed_keys
    assert "language" not in current.managed_keys
