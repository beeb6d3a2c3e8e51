# ruff: noqa: RUF001 -- the en dash between two times is what the practitioner reads
"""The records to export, as documents: a session's record, one note, a member's history,
in French and in English, with times in the timezone asked for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from facts_scenario import (
    INCIDENTS,
    MEMBERS,
    MONTREAL,
    REFERRALS,
    SESSION,
    at,
    evening,
    one_to_one,
)

from groupdesk.core.models import (
    Attendance,
    Group,
    Member,
    Note,
    NoteAddendum,
    Referral,
    Session,
    SessionKind,
)
from groupdesk.core.records.attendance import attendance_table
from groupdesk.core.records.document import (
    Document,
    Facts,
    Heading,
    JournalAnchor,
    Paragraph,
    Table,
)
from groupdesk.core.records.record_document import (
    NoteRecord,
    RecordContext,
    member_document,
    note_document,
    session_document,
)

GROUP = Group(1, "Groupe du mardi")
ANCHOR = JournalAnchor(42, "ab" * 32)
FACILITATED = Session(
    id=SESSION.id,
    group_id=1,
    planned_start=SESSION.planned_start,
    planned_end=SESSION.planned_end,
    modality=SESSION.modality,
    facilitators=("Élise Gagnon-Côté", "Marc Roy"),
    actual_start=SESSION.actual_start,
    actual_end=SESSION.actual_end,
)
SIGNED = Note(
    10, 1, "Le groupe a parlé du retour au travail.", session_id=7, template="group_summary",
    created_at=at(20, 0), signed_by="Élise Gagnon-Côté", signed_at=at(20, 15),
)  # fmt: skip
ADDENDUM = NoteAddendum(1, 10, "Appel de suivi fait.", "Élise Gagnon-Côté", at(9, 30, day=4))
ANA_NOTE = Note(
    11, 1, "Ana a partagé ses progrès.", session_id=7, member_id=1, created_at=at(20, 5)
)
BEN_NOTE = Note(12, 1, "", session_id=7, member_id=2, created_at=at(20, 1))
NOTES = (NoteRecord(BEN_NOTE), NoteRecord(ANA_NOTE), NoteRecord(SIGNED, (ADDENDUM,)))


def context(lang: str = "en", **changes: object) -> RecordContext:
    arguments: dict[str, object] = {
        "lang": lang,
        "tz": MONTREAL,
        "organisation": "Clinique\ndu Plateau",
        "anchor": ANCHOR,
        "exported_at": datetime(2026, 12, 6, 14, 0, tzinfo=UTC),
        "template_names": {"group_summary": "Group summary"},
    }
    arguments.update(changes)
    return RecordContext(**arguments)  # type: ignore[arg-type]


def lines(document: Document) -> list[str]:
    """Every text of the document, block by block (a table or facts row as one line)."""
    out: list[str] = []
    for block in document.blocks:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                out.append(text)
            case Facts(rows=rows):
                out.extend(f"{label}: {value}" for label, value in rows)
            case Table(header=header, rows=rows):
                out.append(" | ".join(header))
                out.extend(" | ".join(row) for row in rows)
            case _:
                pass
    return out


def test_a_session_record_in_english() -> None:
    document = session_document(FACILITATED, GROUP, MEMBERS, evening(), notes=NOTES, ctx=context())
    text = lines(document)
    assert document.title == "Session record — Groupe du mardi — 2026-11-03"
    assert document.language == "en"
    assert document.organisation == "Clinique du Plateau"  # one line in the page header
    assert document.practitioner == "Élise Gagnon-Côté, Marc Roy"
    assert document.anchor == ANCHOR
    for expected in (
        "Planned: 18:00–19:30",
        "Held: 18:00–19:32",
        "Kind of session: Group session",
        "Modality: Hybrid",
        "Name | Expected | Times | Minutes | Where",
        "Ana | yes | 18:02–18:40, 18:45–19:31 | 84 | online",
        "Ben | yes | 18:00–19:30 | 90 | in the room",
        "Chloé | yes | — | — | absent",
        "Dan | no | 18:05–19:30 | 85 | in the room",
        "Zoé (guest) | no | 18:10–18:50 | 40 | online",
        "Signature: Signed by Élise Gagnon-Côté on 2026-11-03 at 20:15",
        "Template: Group summary",
        "Le groupe a parlé du retour au travail.",
        "Addendum of 2026-11-04 at 09:30 by Élise Gagnon-Côté\nAppel de suivi fait.",
        "(empty)",  # Ben's note has no text yet
    ):
        assert expected in text, expected
    assert "\n• Present: 2 of 3 expected\n" in "\n".join(text)
    ana_facts = text[text.index("Ana") + 1]
    assert ana_facts.startswith("• Present 18:02–18:40, 18:45–19:31 (84 min), online")
    assert "Safety signal at 18:40, seen after 12 s" in ana_facts
    # the group's note first, then the members' in the attendance order (Ana before Ben)
    notes = [t for t in text if t in ("Group note", "Note about Ana", "Note about Ben")]
    assert notes == ["Group note", "Note about Ana", "Note about Ben"]


def test_a_session_record_in_french_in_another_timezone() -> None:
    paris = timezone(timedelta(hours=1))
    ctx = context("fr_CA", tz=paris, practitioner="Dre Lune")
    document = session_document(SESSION, GROUP, MEMBERS, evening(), notes=(), ctx=ctx)
    text = lines(document)
    assert document.title == "Dossier de séance — Groupe du mardi — 2026-11-04"
    assert document.practitioner == "Dre Lune"
    for expected in (
        "Prévue: 00 h 00 à 01 h 30",
        "Nom | Attendu | Heures | Minutes | Où",
        "Ana | oui | 00 h 02 à 00 h 40, 00 h 45 à 01 h 31 | 84 | en ligne",
        "Présences",
        "Faits par membre",
        "Aucune note pour cette séance.",
    ):
        assert expected in text, expected


def test_a_member_note_cites_its_member_s_facts_only() -> None:
    ana = MEMBERS[0]
    document = note_document(
        NoteRecord(ANA_NOTE), GROUP, context(), member=ana, session=SESSION, facts=evening()
    )
    text = lines(document)
    assert document.title == "Note — Ana — 2026-11-03"
    assert "Member: Ana" in text
    facts = next(t for t in text if t.startswith("• Present"))
    assert "18:02–18:40" in facts
    assert "Present: 2 of 3 expected" not in "\n".join(text)
    assert "Signature: Not signed" in text
    assert text[-1] == "Ana a partagé ses progrès."


def test_a_group_note_cites_the_group_s_facts_and_its_addenda() -> None:
    document = note_document(
        NoteRecord(SIGNED, (ADDENDUM,)), GROUP, context("fr_CA"), session=SESSION, facts=evening()
    )
    text = lines(document)
    assert document.title == "Note — le groupe Groupe du mardi — 2026-11-03"
    assert "\n• Présences : 2 sur 3 personnes attendues\n" in "\n".join(text)
    assert "Signature: Signé par Élise Gagnon-Côté le 2026-11-03 à 20 h 15" in text
    assert text[-1] == "Addenda du 2026-11-04 à 09 h 30 par Élise Gagnon-Côté\nAppel de suivi fait."
    # no facilitators known: the signer is the practitioner printed
    assert document.practitioner == "Élise Gagnon-Côté"


def test_a_note_without_a_session_has_no_facts() -> None:
    note = Note(20, 1, "Appel reçu.", member_id=1, created_at=at(9, 0, day=10))
    document = note_document(NoteRecord(note), GROUP, context(), member=MEMBERS[0])
    assert document.title == "Note — Ana — 2026-11-10"
    assert not any(t.startswith("•") for t in lines(document))


def _sessions() -> list[Session]:
    return [
        Session(
            id=i, group_id=1, planned_start=at(18, 0, day=day), planned_end=at(19, 30, day=day),
            actual_start=at(18, 0, day=day), facilitators=("Élise Gagnon-Côté",),
        )
        for i, day in ((1, 3), (2, 10), (3, 17))
    ]  # fmt: skip


def test_a_member_history_with_attrition_notes_referrals_and_incidents() -> None:
    sessions = _sessions()
    stays = {1: [Attendance(1, 1, 1, at(18, 0, day=3), at(19, 30, day=3))]}
    table = attendance_table(
        sessions, {s.id: [1] for s in sessions}, stays, missed_in_row=2, members=[1]
    )
    later = Note(30, 1, "Deuxième note.", session_id=3, member_id=1, created_at=at(20, 0, day=17))
    earlier = Note(31, 1, "Première note.", session_id=1, member_id=1, created_at=at(20, 0, day=3))
    incident = INCIDENTS[0]
    document = member_document(
        MEMBERS[0],
        GROUP,
        table,
        notes=(NoteRecord(later), NoteRecord(earlier)),
        referrals=REFERRALS,
        incidents=(incident,),
        ctx=context("fr_CA", resource_names={"info_social_811": "Info-Social 811"}),
    )
    text = lines(document)
    assert document.title == "Historique du membre — Ana"
    assert document.practitioner == "Élise Gagnon-Côté"
    for expected in (
        "Séances suivies: 1 sur 3 où le membre était attendu",
        "Risque d'abandon: 2 séances manquées de suite",
        "Consentement: donné",
        "Date | Séance | Présence",
        "2026-11-03 | Séance de groupe | présence en ligne",
        "2026-11-10 | Séance de groupe | absence",
        "Date | Ressource | Précisions",
        "2026-11-03 à 19 h 00 | Info-Social 811 | ",
        "2026-11-03 | Panneau de crise 18 h 44 à 18 h 58 : issue orientée vers une ressource, "
        "orientation vers Info-Social 811",
    ):
        assert expected in text, expected
    assert text.index("Première note.") < text.index("Deuxième note.")  # oldest first
    assert "2026-11-03 — Note sur Ana" in text


def test_a_member_history_with_nothing_yet_says_so() -> None:
    table = attendance_table([], {}, {}, members=[1])
    document = member_document(
        MEMBERS[0], GROUP, table, notes=(), referrals=(), incidents=(), ctx=context()
    )
    text = lines(document)
    for expected in (
        "No sessions for this group yet.",
        "No notes about this member.",
        "No referrals.",
        "No crisis incidents.",
    ):
        assert expected in text
    assert document.practitioner == ""


@pytest.mark.parametrize("lang", ["en", "fr_CA"])
def test_every_label_is_in_the_record_s_language(lang: str) -> None:
    """The French record holds no English label, and the English one no French label."""
    document = session_document(
        FACILITATED, GROUP, MEMBERS, evening(), notes=NOTES, ctx=context(lang)
    )
    text = "\n".join(lines(document))
    english = ("Attendance", "Signed by", "Group note", "Expected", "Facts per member")
    french = ("Présences", "Signé par", "Note de groupe", "Attendu", "Faits par membre")
    present, absent = (english, french) if lang == "en" else (french, english)
    assert all(word in text for word in present)
    assert not any(word in text for word in absent)


def test_pasted_control_characters_and_overlong_cells_do_not_stop_an_export() -> None:
    pasted = Note(40, 1, "Avant\x0cAprès\x00 fin", member_id=1, created_at=at(9, 0, day=10))
    detail = Referral(3, 1, "community_211", "211\x07", at(10, 0, day=10), detail="x" * 20_000)
    document = member_document(
        Member(1, 1, "Ana\x1b"),
        GROUP,
        attendance_table([], {}, {}, members=[1]),
        notes=(NoteRecord(pasted),),
        referrals=(detail,),
        incidents=(),
        ctx=context(),
    )
    text = lines(document)
    assert document.title == "Member history — Ana"
    assert "AvantAprès fin" in text
    cell = next(t for t in text if t.startswith("2026-11-10 at 10:00 | 211 | "))
    assert cell.endswith("x…")
    assert len(cell) < 10_100


def test_a_one_to_one_note_cites_the_meeting_and_its_member() -> None:
    facts = one_to_one()
    note = Note(50, 1, "Rencontre préparatoire.", session_id=5, member_id=3)
    session = Session(
        id=5, group_id=1, planned_start=at(14, 0, day=1), planned_end=at(14, 45, day=1),
        actual_start=at(14, 1, day=1), actual_end=at(14, 44, day=1), kind=SessionKind.INDIVIDUAL,
    )  # fmt: skip
    document = note_document(
        NoteRecord(note), GROUP, context(), member=MEMBERS[2], session=session, facts=facts
    )
    text = "\n".join(lines(document))
    assert "• Session of 2026-11-01, 14:01–14:44 (planned 14:00–14:45)" in text
    assert "• One-to-one meeting" in text
    assert "Kind of session: One-to-one meeting" in text
    assert "• Present 14:01–14:44 (43 min)" in text
