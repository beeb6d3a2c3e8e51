# ruff: noqa: RUF001 -- the en dash between two times is what the practitioner reads
"""The facts as lines a practitioner cites, in English and French, in a chosen timezone."""

from __future__ import annotations

from datetime import UTC

from facts_scenario import MONTREAL, REASON, evening, one_to_one

from groupdesk.core.records.fact_text import fact_lines

ITEMS_EN = {"phone": "phone number"}
ITEMS_FR = {"phone": "numéro de téléphone"}


def test_a_member_s_facts_in_english() -> None:
    lines = fact_lines(evening(), 1, "en", MONTREAL, item_names=ITEMS_EN)
    assert lines == [
        "Present 18:02–18:40, 18:45–19:31 (84 min), online",
        "Talk time 6 min 40 s in 3 turns",
        f"Required checklist item unmet: phone number; admitted anyway: {REASON}",
        "Identity verified",
        "Consent given 2026-11-02 (version 2, on the page)",
        "Safety signal at 18:40, seen after 12 s, handled",
        "Side room 18:44–18:58",
        "Shared a document 19:05–19:09, stopped by the facilitator",
        "Shared their screen from 19:20",
        "Crisis panel 18:44–18:58: outcome referred to a resource, referred to Info-Social",
        "Referred to Info-Social at 19:00",
    ]


def test_a_member_s_facts_in_french() -> None:
    lines = fact_lines(
        evening(),
        1,
        "fr_CA",
        MONTREAL,
        item_names=ITEMS_FR,
        resource_names={"info_social_811": "Info-Social (811)"},
    )
    assert lines[0] == "Présence 18 h 02 à 18 h 40, 18 h 45 à 19 h 31 (84 min), en ligne"
    assert lines[1] == "Temps de parole 6 min 40 s en 3 tours"
    assert lines[2] == (
        "Point requis de la liste non rempli : numéro de téléphone; "
        f"admission quand même : {REASON}"
    )
    assert "Consentement donné le 2026-11-02 (version 2, sur la page)" in lines
    assert "Signal de sécurité à 18 h 40, vu après 12 s, traité" in lines
    assert "Partage d'un document 19 h 05 à 19 h 09, arrêté par l'animation" in lines
    assert (
        "Panneau de crise 18 h 44 à 18 h 58 : issue orientée vers une ressource, "
        "orientation vers Info-Social (811)"
    ) in lines


def test_times_follow_the_timezone_passed_in() -> None:
    assert fact_lines(evening(), 2, "en", UTC)[0] == "Present 23:00–00:30 (90 min), in the room"


def test_an_absent_member_and_one_who_came_unexpected() -> None:
    facts = evening()
    assert fact_lines(facts, 3, "en", MONTREAL) == ["Absent (expected)", "Consent not given yet"]
    assert fact_lines(facts, 3, "fr_CA", MONTREAL)[0] == "Absence (personne attendue)"
    dan = fact_lines(facts, 4, "en", MONTREAL)
    assert dan[:3] == [
        "Present 18:05–19:30 (85 min), in the room",
        "Came without being on the expected list",
        "Identity not verified",  # talk time is not measured in the room: no claim about it
    ]
    # on the call with no turn at all: said
    assert fact_lines(evening(journal=()), 1, "en", MONTREAL)[1] == "Did not take the floor"
    assert fact_lines(facts, 99, "en", MONTREAL) == []  # neither expected nor present


def test_the_group_s_facts() -> None:
    assert fact_lines(evening(), None, "en", MONTREAL) == [
        "Session of 2026-11-03, 18:00–19:32 (planned 18:00–19:30)",
        "Present: 2 of 3 expected",
        "1 member(s) not on the expected list came",
        "In the room: 2",
        "Absent: Chloé",
        "Guests: Zoé",
        "Talk time: Ana 6 min 40 s (3 turns), Ben 1 min (1 turn), Zoé 30 s (1 turn)",
        "Admitted although a required checklist item was unmet: 1",
        "Safety signals: 1",
        "Crisis incidents: 1",
        "Referrals: 1",
    ]
    french = fact_lines(evening(), None, "fr_CA", MONTREAL)
    assert french[0] == "Séance du 2026-11-03, 18 h 00 à 19 h 32 (prévue 18 h 00 à 19 h 30)"
    assert "Absences : Chloé" in french


def test_a_one_to_one_meeting_cites_the_session_and_its_member() -> None:
    assert fact_lines(one_to_one(), 1, "en", MONTREAL) == []  # not the member it was with
    assert fact_lines(one_to_one(), 3, "en", MONTREAL) == fact_lines(
        one_to_one(), None, "en", MONTREAL
    )
    assert fact_lines(one_to_one(), None, "en", MONTREAL) == [
        "Session of 2026-11-01, 14:01–14:44 (planned 14:00–14:45)",
        "One-to-one meeting",
        "Present 14:01–14:44 (43 min)",
        "Identity not verified",
        "Consent not given yet",
    ]
