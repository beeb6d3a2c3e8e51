"""Notes: revisions kept, full-text search over the current text."""

from __future__ import annotations

import pytest

from groupdesk.sessionlog import NotFound, Store
from groupdesk.sessionlog.notes import fts_query


def test_revisions_and_search(store: Store) -> None:
    group = store.create_group("G")
    other = store.create_group("H")
    note = store.add_note(group.id, "Première rencontre: présentation des règles du groupe")
    store.add_note(other.id, "Rencontre annulée")
    assert [n.id for n in store.search_notes("regles")] == [note.id]  # accents folded
    assert [n.id for n in store.search_notes("présent")] == [note.id]  # prefix
    revised = store.revise_note(note.id, "Première rencontre: tour de table, anxiété")
    assert revised.revision == 2
    assert store.search_notes("regles") == []  # only the current text is indexed
    assert [n.id for n in store.search_notes("anxiete")] == [note.id]
    assert {n.group_id for n in store.search_notes("rencontre")} == {group.id, other.id}
    assert [n.group_id for n in store.search_notes("rencontre", group.id)] == [group.id]
    history = store.note_history(note.id)
    assert [h.revision for h in history] == [1, 2]
    assert "règles" in history[0].body
    assert history[1].body == revised.body


@pytest.mark.parametrize("query", ['"', 'a" OR "b', "NEAR(", "*", "col:x", "  ", "-x AND"])
def test_search_survives_what_people_type(store: Store, query: str) -> None:
    group = store.create_group("G")
    store.add_note(group.id, "texte")
    store.search_notes(query)  # no FTS5 syntax error reaches the user


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('a "b') == '"a"* """b"*'
    assert fts_query("   ") == ""


def test_unknown_note(store: Store) -> None:
    with pytest.raises(NotFound):
        store.revise_note(42, "x")
