"""Notes after the session (log version 9), on a real SQLCipher log: drafts, signature,
addenda, search with accents and filters, one-to-one sessions, presence in the room."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from groupdesk.core.i18n import tr
from groupdesk.core.models import SessionKind
from groupdesk.sessionlog import Store, notes
from groupdesk.sessionlog.errors import NoteNotSigned, NoteSigned, NotIndividual

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _note(store: Store, body: str = "Première version") -> int:
    group = store.create_group("Groupe deuil")
    return store.add_note(group.id, body).id


# -- drafts ---------------------------------------------------------------------------
def test_a_draft_is_replaced_then_kept_as_one_revision(store: Store) -> None:
    note_id = _note(store)
    store.save_draft(note_id, "Ana a parl")
    store.save_draft(note_id, "Ana a parlé du répit")
    draft = store.note_draft(note_id)
    assert draft is not None
    assert draft.body == "Ana a parlé du répit"
    assert [d.note_id for d in store.note_drafts()] == [note_id]  # one row, replaced
    assert store.get_note(note_id).body == "Première version"  # typing is not keeping
    assert len(store.note_history(note_id)) == 1

    kept = store.keep_draft(note_id)

    assert (kept.revision, kept.body) == (2, "Ana a parlé du répit")
    assert [r.body for r in store.note_history(note_id)] == [
        "Première version",
        "Ana a parlé du répit",
    ]
    assert store.note_draft(note_id) is None
    assert store.note_drafts() == []
    assert store.verify().ok


def test_keeping_the_same_text_is_no_new_revision(store: Store) -> None:
    note_id = _note(store)
    store.save_draft(note_id, "Première version")
    kept = store.keep_draft(note_id)
    assert kept.revision == 1
    assert store.note_draft(note_id) is None  # the draft is done with all the same
    assert store.revise_note(note_id, "Première version").revision == 1
    assert len(store.note_history(note_id)) == 1
    assert store.keep_draft(note_id).revision == 1  # no draft: nothing to do


def test_every_draft_left_is_listed_oldest_first(store: Store) -> None:
    group = store.create_group("G")
    first = store.add_note(group.id, "un").id
    second = store.add_note(group.id, "deux").id
    third = store.add_note(group.id, "trois").id
    with store.transaction() as conn:
        notes.save_draft(conn, second, "deux, en cours", T0)
        notes.save_draft(conn, first, "un, en cours", T0 + timedelta(seconds=5))
    assert [(d.note_id, d.body) for d in store.note_drafts()] == [
        (second, "deux, en cours"),
        (first, "un, en cours"),
    ]
    assert store.note_draft(third) is None


def test_a_signed_note_takes_no_draft(store: Store) -> None:
    note_id = _note(store)
    store.sign_note(note_id, "Julie Tremblay")
    with pytest.raises(NoteSigned) as caught:
        store.save_draft(note_id, "encore un mot")
    assert str(note_id) in caught.value.message("en")
    assert "addendum" in caught.value.message("en")
    assert "addenda" in caught.value.message("fr_CA")
    assert store.note_draft(note_id) is None


# -- signature ------------------------------------------------------------------------
def test_sign_keeps_the_draft_first_then_fixes_the_text(store: Store) -> None:
    note_id = _note(store)
    store.save_draft(note_id, "Texte final tapé avant de signer")

    signed = store.sign_note(note_id, "  Julie Tremblay ")

    assert signed.body == "Texte final tapé avant de signer"
    assert (signed.revision, signed.signed_by) == (2, "Julie Tremblay")
    assert signed.signed_at is not None
    assert store.note_draft(note_id) is None
    with pytest.raises(NoteSigned):
        store.revise_note(note_id, "réécrit")
    with pytest.raises(NoteSigned):
        store.sign_note(note_id, "Quelqu'un d'autre")
    assert store.get_note(note_id) == signed
    assert store.verify().ok


def test_the_trigger_refuses_a_raw_update_of_a_signed_note(store: Store) -> None:
    note_id = _note(store)
    store.sign_note(note_id, "Julie")
    conn = store.connection
    for sql in (
        "UPDATE notes SET body = 'réécrit' WHERE id = ?",
        "UPDATE notes SET signed_by = 'Autre' WHERE id = ?",
        "UPDATE notes SET signed_at = NULL WHERE id = ?",
        "UPDATE notes SET revision = 9 WHERE id = ?",
    ):
        with pytest.raises(Exception, match="a signed note cannot change"):
            conn.execute(sql, (note_id,))
    with pytest.raises(Exception, match="a revision of a note cannot change"):
        conn.execute("UPDATE note_revisions SET body = 'x' WHERE note_id = ?", (note_id,))
    assert store.get_note(note_id).body == "Première version"


# -- addenda --------------------------------------------------------------------------
def test_addenda_only_on_a_signed_note_listed_in_order(store: Store) -> None:
    note_id = _note(store)
    with pytest.raises(NoteNotSigned) as caught:
        store.add_addendum(note_id, "trop tôt", "Julie")
    assert "pas encore signée" in caught.value.message("fr_CA")
    assert store.note_addenda(note_id) == []
    store.sign_note(note_id, "Julie")
    first = store.add_addendum(note_id, "Appel de suivi fait.", " Julie ")
    second = store.add_addendum(note_id, "Rendez-vous au CLSC pris.", "Marc")
    assert [(a.id, a.body, a.author) for a in store.note_addenda(note_id)] == [
        (first.id, "Appel de suivi fait.", "Julie"),
        (second.id, "Rendez-vous au CLSC pris.", "Marc"),
    ]
    assert store.get_note(note_id).body == "Première version"  # the original stays
    assert store.verify().ok


# -- search ---------------------------------------------------------------------------
ACCENTED = (
    ("déménagement", "demenagement"),
    ("garçon", "garcon"),
    ("fièvre", "fievre"),
    ("à", "a"),
    ("fenêtre", "fenetre"),
)


@pytest.mark.parametrize(("accented", "plain"), ACCENTED)
def test_accents_match_typed_or_not(store: Store, accented: str, plain: str) -> None:
    group = store.create_group("G")
    with_accent = store.add_note(group.id, f"Elle parle de {accented} souvent").id
    without = store.add_note(group.id, f"Il écrit {plain} sans accent").id
    for query in (accented, plain, accented.upper()):
        assert {h.note.id for h in store.search_note_hits(query)} == {with_accent, without}


def test_prefix_words_all_required(store: Store) -> None:
    group = store.create_group("G")
    both = store.add_note(group.id, "Le déménagement à Rimouski inquiète Ana").id
    store.add_note(group.id, "Le déménagement est reporté")
    assert [h.note.id for h in store.search_note_hits("demen rimou")] == [both]
    assert len(store.search_note_hits("déménag")) == 2
    assert store.search_note_hits("rimouskiville") == []


def test_excerpt_marks_the_hit(store: Store) -> None:
    group = store.create_group("G")
    store.add_note(group.id, "Au début de la séance, Ana a parlé de son déménagement prochain.")
    [hit] = store.search_note_hits("demenagement")
    assert "[déménagement]" in hit.excerpt
    assert hit.addendum is None


def test_a_hit_in_an_addendum_names_it_one_hit_per_note(store: Store) -> None:
    group = store.create_group("G")
    note_id = store.add_note(group.id, "Suivi de la fièvre de Léo").id
    store.sign_note(note_id, "Julie")
    addendum = store.add_addendum(note_id, "Le garçon va mieux, plus de fièvre.", "Julie")
    [hit] = store.search_note_hits("garcon")
    assert (hit.note.id, hit.addendum) == (note_id, addendum.id)
    assert "[garçon]" in hit.excerpt
    # The word is in the note and in its addendum: the note is listed once.
    assert [h.note.id for h in store.search_note_hits("fievre")] == [note_id]


def test_the_newest_note_comes_first_however_often_the_word_appears(store: Store) -> None:
    group = store.create_group("G")
    strong = store.add_note(group.id, "Répit. Répit, répit : répit.").id  # bm25's best
    weak = store.add_note(
        group.id, "Une longue note sur la semaine, le travail, la famille, un peu de répit."
    ).id
    by_addendum = store.add_note(group.id, "Rien à signaler.").id
    store.sign_note(by_addendum, "Julie")
    store.add_addendum(by_addendum, "Un répit demandé.", "Julie")
    newest = store.add_note(
        group.id, "Répit accordé pour la semaine prochaine, avec le soutien de la famille."
    ).id
    found = [h.note.id for h in store.search_note_hits("repit")]
    assert found == [newest, by_addendum, weak, strong]
    assert [n.id for n in store.search_notes("repit")] == found


def test_the_limit_counts_notes_and_a_note_text_is_preferred_to_its_addenda(
    store: Store,
) -> None:
    group = store.create_group("G")
    older = [store.add_note(group.id, f"Suivi {i} : fièvre légère.").id for i in range(3)]
    both = store.add_note(group.id, "Fièvre forte au retour.").id
    store.sign_note(both, "Julie")
    for _ in range(3):
        store.add_addendum(both, "Fièvre, fièvre, fièvre.", "Julie")
    hits = store.search_note_hits("fievre", limit=3)
    # Three notes, not the one note three times (its addenda match better).
    assert [h.note.id for h in hits] == [both, older[2], older[1]]
    assert hits[0].addendum is None
    assert hits[0].excerpt == "[Fièvre] forte au retour."


def test_a_note_found_by_its_addendum_takes_its_note_place(store: Store) -> None:
    group = store.create_group("G")
    old = store.add_note(group.id, "Rencontre initiale.").id
    store.sign_note(old, "Julie")
    middle = [store.add_note(group.id, f"Répit numéro {i}").id for i in range(2)]
    new = store.add_note(group.id, "Rencontre de clôture.").id
    store.sign_note(new, "Julie")
    store.add_addendum(new, "Répit prolongé.", "Julie")
    late = store.add_addendum(old, "Appel : un autre répit obtenu.", "Julie")  # written last
    hits = store.search_note_hits("repit")
    assert [(h.note.id, h.addendum is not None) for h in hits] == [
        (new, True),
        (middle[1], False),
        (middle[0], False),
        (old, True),
    ]
    assert (hits[-1].addendum, hits[-1].excerpt) == (late.id, "Appel : un autre [répit] obtenu.")
    assert [h.note.id for h in store.search_note_hits("repit", limit=2)] == [new, middle[1]]
    assert [h.note.id for h in store.search_note_hits("repit", limit=1)] == [new]
    assert store.search_note_hits("repit", limit=0) == []


@pytest.mark.parametrize("checked", [0, 500])
def test_filters_keep_the_newest_notes_they_allow_addenda_included(
    store: Store, monkeypatch: pytest.MonkeyPatch, checked: int
) -> None:
    # Notes found by an addendum are checked one by one, or (past notes._CHECKED of
    # them) against the ids the filters keep: the same notes either way.
    monkeypatch.setattr(notes, "_CHECKED", checked)
    mine, other = store.create_group("Deuil"), store.create_group("Anxiété")
    ana = store.add_member(mine.id, "Ana")
    with store.transaction() as conn:
        ana_notes = [
            notes.add(conn, mine.id, f"répit {i}", T0, member_id=ana.id).id for i in range(4)
        ]
        signed = notes.add(conn, mine.id, "Bilan du groupe.", T0).id
        notes.sign(conn, signed, "Julie", T0)
        notes.add_addendum(conn, signed, "Répit à prévoir.", "Julie", T0)
        elsewhere = [notes.add(conn, other.id, "répit ailleurs", T0).id for _ in range(4)]
        notes.sign(conn, elsewhere[0], "Julie", T0)
        notes.add_addendum(conn, elsewhere[0], "Répit encore.", "Julie", T0)

    def found(**filters: object) -> list[int]:
        hits = store.search_note_hits("repit", **filters)  # type: ignore[arg-type]
        return [h.note.id for h in hits]

    assert found(member_id=ana.id, limit=3) == ana_notes[:0:-1]
    assert found(group_id=mine.id) == [signed, *ana_notes[::-1]]
    assert found(group_id=mine.id, limit=2) == [signed, ana_notes[-1]]
    assert (
        found(group_id=other.id, since=date(2026, 3, 2), until=date(2026, 3, 2))
        == (elsewhere[::-1])
    )


def _session(store: Store, group_id: int, start: datetime) -> int:
    return store.create_session(group_id, start, start + timedelta(hours=2)).id


def test_filters_by_group_member_and_dates(store: Store) -> None:
    g1 = store.create_group("Deuil")
    g2 = store.create_group("Anxiété")
    ana = store.add_member(g1.id, "Ana")
    bo = store.add_member(g1.id, "Bo")
    january = _session(store, g1.id, datetime(2026, 1, 15, 18, tzinfo=UTC))
    march = _session(store, g1.id, datetime(2026, 3, 10, 18, tzinfo=UTC))
    with store.transaction() as conn:
        # Written in May about the January session: the session's date counts.
        late = notes.add(
            conn, g1.id, "répit jan", datetime(2026, 5, 1, tzinfo=UTC), session_id=january
        ).id
        ana_march = notes.add(conn, g1.id, "répit ana", T0, session_id=march, member_id=ana.id).id
        # No session: the note's own date counts.
        bo_free = notes.add(
            conn, g1.id, "répit bo", datetime(2026, 2, 1, 9, tzinfo=UTC), member_id=bo.id
        ).id
        other = notes.add(conn, g2.id, "répit ailleurs", T0).id

    def found(**filters: object) -> set[int]:
        return {h.note.id for h in store.search_note_hits("repit", **filters)}  # type: ignore[arg-type]

    assert found() == {late, ana_march, bo_free, other}
    assert found(group_id=g1.id) == {late, ana_march, bo_free}
    assert found(group_id=g2.id) == {other}
    assert found(member_id=ana.id) == {ana_march}
    assert found(member_id=bo.id, group_id=g1.id) == {bo_free}
    assert found(since=date(2026, 3, 1)) == {ana_march, other}
    assert found(until=date(2026, 1, 31)) == {late}
    assert found(since=date(2026, 1, 15), until=date(2026, 1, 15)) == {late}  # days included
    assert found(since=date(2026, 2, 1), until=date(2026, 2, 28)) == {bo_free}
    assert found(since=date(2026, 4, 1)) == set()  # the May writing date does not count
    # Group or member and dates together; notes with and without a session.
    assert found(group_id=g1.id, since=date(2026, 2, 1), until=date(2026, 2, 28)) == {bo_free}
    assert found(group_id=g1.id, since=date(2026, 3, 1)) == {ana_march}
    assert found(group_id=g2.id, since=date(2026, 3, 1)) == {other}
    assert found(group_id=g2.id, until=date(2026, 3, 1)) == set()
    assert found(member_id=ana.id, group_id=g1.id, since=date(2026, 3, 10)) == {ana_march}
    assert found(member_id=ana.id, until=date(2026, 3, 9)) == set()


HOSTILE = (
    '"',
    '""',
    '"déménagement',
    "déménagement\"'",
    "*",
    "démén*",
    "** *",
    "NEAR(déménagement garçon)",
    "NEAR",
    "déménagement NEAR garçon",
    "(",
    "())",
    "(déménagement OR garçon)",
    "-",
    "-déménagement",
    "déménagement -garçon",
    "AND OR NOT",
    "body:garçon",
    "^garçon",
    "{body}: x",
    "garçon\x00",
    "\x00",
    "l'enfant",
    "   ",
    "",
)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_text_never_raises(store: Store, query: str) -> None:
    group = store.create_group("G")
    note_id = store.add_note(group.id, "Le déménagement du garçon, l'enfant de Léa").id
    store.sign_note(note_id, "Julie")
    store.add_addendum(note_id, "NEAR la fenêtre (note)", "Julie")
    hits = store.search_note_hits(query, group_id=group.id, since=date(2020, 1, 1))
    assert {h.note.id for h in hits} <= {note_id}


def test_operators_are_searched_as_words(store: Store) -> None:
    group = store.create_group("G")
    note_id = store.add_note(group.id, "Le déménagement du garçon").id
    # Typed words are words: no operator turns the query into "everything but".
    assert [h.note.id for h in store.search_note_hits("déménagement -garçon")] == [note_id]
    assert store.search_note_hits("déménagement NOT") == []
    assert [h.note.id for h in store.search_note_hits("garçon\x00")] == [note_id]


# -- one-to-one sessions, presence in the room ------------------------------------------------
def test_an_individual_session_expects_exactly_one_member(store: Store) -> None:
    group = store.create_group("G")
    ana = store.add_member(group.id, "Ana")
    bo = store.add_member(group.id, "Bo")
    end = T0 + timedelta(hours=1)
    for chosen in ((), (ana.id, bo.id)):
        with pytest.raises(NotIndividual) as caught:
            store.create_session(group.id, T0, end, kind="individual", expected_member_ids=chosen)
        assert f"({len(chosen)} " in caught.value.message("en")
        assert "rencontre individuelle" in caught.value.message("fr_CA")
    assert store.list_sessions() == []
    session = store.create_session(
        group.id, T0, end, kind=SessionKind.INDIVIDUAL, expected_member_ids=[ana.id, ana.id]
    )
    assert store.get_session(session.id).kind is SessionKind.INDIVIDUAL
    assert store.expected_members(session.id) == [ana.id]
    group_session = store.create_session(group.id, T0, end)
    assert store.get_session(group_session.id).kind is SessionKind.GROUP


def test_presence_in_the_room_is_kept(store: Store) -> None:
    group = store.create_group("G")
    ana = store.add_member(group.id, "Ana")
    bo = store.add_member(group.id, "Bo")
    sid = store.create_session(group.id, T0, T0 + timedelta(hours=2), modality="hybrid").id
    store.record_join(sid, ana.id, T0, in_room=True)
    store.record_join(sid, bo.id, T0 + timedelta(minutes=3))
    store.record_leave(sid, ana.id, T0 + timedelta(hours=2))
    stays = {s.member_id: s for s in store.attendance(sid)}
    assert stays[ana.id].in_room is True
    assert stays[ana.id].left_at == T0 + timedelta(hours=2)  # closing keeps in_room
    assert stays[bo.id].in_room is False
    assert store.verify().ok


def test_group_attendance_and_expected_across_sessions(store: Store) -> None:
    group = store.create_group("G")
    other = store.create_group("Autre")
    ana = store.add_member(group.id, "Ana")
    bo = store.add_member(group.id, "Bo")
    zoe = store.add_member(other.id, "Zoé")
    first = store.create_session(
        group.id, T0, T0 + timedelta(hours=2), expected_member_ids=[ana.id, bo.id]
    ).id
    second = store.create_session(
        group.id,
        T0 + timedelta(days=7),
        T0 + timedelta(days=7, hours=2),
        expected_member_ids=[bo.id],
    ).id
    elsewhere = store.create_session(
        other.id, T0, T0 + timedelta(hours=1), expected_member_ids=[zoe.id]
    ).id
    store.record_join(first, bo.id, T0 + timedelta(minutes=2))
    store.record_join(first, ana.id, T0, in_room=True)
    store.record_join(second, bo.id, T0 + timedelta(days=7))
    store.record_join(elsewhere, zoe.id, T0)

    stays = store.group_attendance(group.id)
    assert set(stays) == {first, second}
    assert [(s.member_id, s.in_room) for s in stays[first]] == [(ana.id, True), (bo.id, False)]
    assert [s.member_id for s in stays[second]] == [bo.id]
    assert store.group_expected(group.id) == {first: sorted([ana.id, bo.id]), second: [bo.id]}
    assert store.group_expected(other.id) == {elsewhere: [zoe.id]}


def test_errors_read_in_both_languages() -> None:
    for key in ("sessionlog.note_signed", "sessionlog.note_not_signed"):
        assert tr(key, "en", id=4) != tr(key, "fr_CA", id=4)
        assert "4" in tr(key, "fr_CA", id=4)
