"""Where a search's words are in a note: accents and case aside, each word a prefix, as
offsets into the text as written (combining accents and œ included); and the marked
words of an excerpt."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from groupdesk.core.records.find_text import excerpt_parts, find_span, fold

NOTE = (
    "Rencontre de suivi. Le déménagement de Mme Côté est reporté; elle a le cœur gros. "
    "Plan de sécurité révisé avec l'équipe. Ça va mieux, dit-elle."
)


def _hit(text: str, query: str) -> str | None:
    span = find_span(text, query)
    return None if span is None else text[span[0] : span[1]]


def test_fold_removes_accents_case_and_ligatures() -> None:
    assert fold("Ça DÉMÉNAGE à l'Œuvre, très Ærien") == "ca demenage a l'oeuvre, tres aerien"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("demenagement", "déménagement"),
        ("déménagement", "déménagement"),
        ("DÉMÉNAGEMENT", "déménagement"),
        ("Demenag", "déménagement"),  # a prefix, as the index
        ("cote", "Côté"),
        ("reporte", "reporté"),
        ("ca", "Ça"),
        ("ça", "Ça"),
        ("coeur", "cœur"),
        ("cœur", "cœur"),
        ("securite", "sécurité"),
        ("equipe", "équipe"),
        ("l'équipe", "l'équipe"),
        ("L'EQUIPE", "l'équipe"),
    ],
)
def test_a_word_is_found_with_or_without_accents_in_any_case(query: str, found: str) -> None:
    assert _hit(NOTE, query) == found


def test_a_word_matches_only_the_start_of_a_word() -> None:
    assert find_span(NOTE, "menagement") is None  # inside "déménagement"
    assert find_span(NOTE, "equipes") is None  # longer than any word
    assert find_span(NOTE, "budget") is None
    assert find_span(NOTE, "") is None
    assert find_span(NOTE, "  ' - ") is None  # nothing but separators
    assert find_span("", "demenagement") is None


def test_the_whole_query_next_to_each_other_comes_first() -> None:
    assert _hit(NOTE, "plan de securite") == "Plan de sécurité"
    assert _hit(NOTE, "PLAN DE SÉC") == "Plan de sécurité"


def test_else_the_first_place_any_word_matches() -> None:
    # "securite" comes after "demenagement" in the text, whatever the order typed.
    assert _hit(NOTE, "securite demenagement") == "déménagement"
    assert _hit(NOTE, "budget securite") == "sécurité"
    # "de" is both a word and the start of "déménagement": the longer span at the same place.
    assert _hit("déménagement", "de demenagement") == "déménagement"


def test_offsets_count_the_text_as_written_with_combining_accents() -> None:
    decomposed = unicodedata.normalize("NFD", NOTE)
    assert len(decomposed) > len(NOTE)
    span = find_span(decomposed, "equipe")
    assert span is not None
    assert decomposed[span[0] : span[1]] == unicodedata.normalize("NFD", "équipe")
    # The accent of the last letter (a separate character) is inside the span.
    assert unicodedata.normalize("NFD", "reporté")[-1] == "\u0301"
    assert _hit(decomposed, "reporte") == unicodedata.normalize("NFD", "reporté")
    assert _hit("Le de\u0301me\u0301nagement", "démén") == "de\u0301me\u0301nagement"


def test_offsets_count_a_ligature_as_one_character() -> None:
    text = "Le cœur, l'Œuvre et le cœur encore"
    assert find_span(text, "coeur") == (3, 7)
    assert find_span(text, "oeuv") == (11, 16)
    assert _hit(text, "œuvre") == "Œuvre"
    # After a ligature, offsets are still those of the text as written.
    assert find_span(text, "encore") == (text.index("encore"), len(text))


def test_words_are_cut_as_the_index_cuts_them() -> None:
    assert _hit("dit-elle", "elle") == "elle"
    assert _hit("(Ça va)", "va") == "va"
    assert _hit("rendez-vous", "rendez-vous") == "rendez-vous"
    assert find_span("rendezvous", "rendez-vous") is None


def test_excerpt_marks_become_emphasis_and_a_notes_own_brackets_stay() -> None:
    excerpt = "…Avec l'équipe [[sic]] du [déménagement], [plan de sécurité] révisé…"
    assert excerpt_parts(excerpt, "demenagement") == [
        ("…Avec l'équipe [[sic]] du ", False),
        ("déménagement", True),
        (", [plan de sécurité] révisé…", False),
    ]
    # A marked part is emphasised only when every word in it is one the person typed.
    assert excerpt_parts(excerpt, "sic plan securite") == [
        ("…Avec l'équipe [", False),
        ("sic", True),
        ("] du [déménagement], [plan de sécurité] révisé…", False),
    ]
    # "de" typed is also the start of "déménagement": the index marks it, and so here.
    assert excerpt_parts(excerpt, "plan de securite")[1:] == [
        ("déménagement", True),
        (", ", False),
        ("plan de sécurité", True),
        (" révisé…", False),
    ]
    assert excerpt_parts("no marks", "x") == [("no marks", False)]
    assert excerpt_parts("", "x") == []


#: The notes' tokenizer (sessionlog/migrations/m0003_notes_fts.py).
TOKENIZER = "unicode61 remove_diacritics 2"
FRENCH = [
    NOTE,
    unicodedata.normalize("NFD", NOTE),
    "Absent, il a prévenu l'intervenante par téléphone.",
    "Élodie parle de sa fille; garçon de 12 ans, école secondaire.",
    "Rendez-vous à l'hôpital jeudi; elle hésite à y aller.",
    "Noël approche: isolement, peine, colère.",
]
QUERIES = [
    "demenagement", "DÉMÉN", "cote", "l'equipe", "ca", "telephone", "elodie", "garcon",
    "ecole", "hopital", "hesite", "noel", "colere", "rendez-vous", "vous", "intervenant",
    "a", "y", "12", "menagement", "xyz", "plan de securite", "securite plan",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_found_exactly_when_the_index_finds_the_word(query: str) -> None:
    """The notes' own tokenizer, in SQLite: a text has a word of the query for find_span
    when the index finds that word in it (œ aside: find_span alone folds it)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
        db.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", enumerate(FRENCH))
        for word in query.split():
            phrase = '"' + word.replace('"', '""') + '"*'
            rows = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (phrase,))}
            found = {i for i, text in enumerate(FRENCH) if find_span(text, word) is not None}
            assert found == rows, word
    finally:
        db.close()
