"""The journal covers notes, revisions, signatures, addenda, stays and referrals: a row
changed, added or deleted with the key outside GroupDesk makes ``verify`` fail and name
it (in English and in French); a retention purge and a migrated log still verify."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from groupdesk.core.models import Referral
from groupdesk.sessionlog import Store, coverage
from groupdesk.sessionlog.connection import key_pragma
from groupdesk.sessionlog.migrations import LATEST

from .fixtures.make_fixtures import TEST_KEY

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ids:
    note: int  # unsigned, two revisions
    signed: int  # signed, one revision, one addendum
    addendum: int
    stay: int
    referral: int
    member: int
    other_member: int
    session: int


def _fill(store: Store) -> Ids:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana")
    bo = store.add_member(group.id, "Bo")
    session = store.create_session(group.id, T0, T0 + timedelta(hours=2)).id
    stay = store.record_join(session, ana.id, T0).id
    store.record_leave(session, ana.id, T0 + timedelta(hours=1))
    store.record_join(session, bo.id, T0)
    note = store.add_note(group.id, "Ana a parlé du répit", session_id=session, member_id=ana.id)
    store.revise_note(note.id, "Ana a parlé du répit et du sommeil")
    signed = store.add_note(group.id, "Note de groupe", session_id=session).id
    store.sign_note(signed, "Julie")
    addendum = store.add_addendum(signed, "Ajout : appel fait.", "Julie").id
    referral = store.add_referral(
        Referral(
            id=1,
            member_id=ana.id,
            resource_id="info_social_811",
            resource_name="Info-Social 811",
            created_at=T0,
            session_id=session,
            note_id=note.id,
            detail="à appeler cette semaine",
        )
    ).id
    assert store.verify().ok
    return Ids(note.id, signed, addendum, stay, referral, ana.id, bo.id, session)


def _raw(db: Path, key: bytes, *statements: str) -> None:
    """What someone with the key does with a bare SQLCipher connection."""
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(f'PRAGMA key = "{key_pragma(key)}"')
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


TAMPERING: dict[str, tuple[Callable[[Ids], tuple[str, ...]], Callable[[Ids], tuple[str, str]]]] = {
    "revision rewritten": (
        lambda i: (
            "DROP TRIGGER note_revisions_fixed",
            f"UPDATE note_revisions SET body = 'autre' WHERE note_id = {i.note} AND revision = 1",
        ),
        lambda i: (f"revision 1 of note {i.note}", f"la révision 1 de la note {i.note}"),
    ),
    "newest revision deleted": (
        lambda i: (
            f"DELETE FROM note_revisions WHERE note_id = {i.note} AND revision = 2",
            f"UPDATE notes SET revision = 1, body = 'Ana a parlé du répit' WHERE id = {i.note}",
        ),
        lambda i: (f"revision 2 of note {i.note}", f"la révision 2 de la note {i.note}"),
    ),
    "revision added": (
        lambda i: (
            "INSERT INTO note_revisions (note_id, revision, body, created_at) VALUES"
            f" ({i.note}, 3, 'ajouté', '2026-02-04T00:00:00.000000+00:00')",
            f"UPDATE notes SET revision = 3, body = 'ajouté' WHERE id = {i.note}",
        ),
        lambda i: (f"revision 3 of note {i.note}", f"la révision 3 de la note {i.note}"),
    ),
    "current text rewritten": (
        lambda i: (f"UPDATE notes SET body = 'réécrit' WHERE id = {i.note}",),
        lambda i: (f"the text of note {i.note}", f"le texte de la note {i.note}"),
    ),
    "note moved to another member": (
        lambda i: (f"UPDATE notes SET member_id = {i.other_member} WHERE id = {i.note}",),
        lambda i: (f"of note {i.note}", f"de la note {i.note}"),
    ),
    "note row deleted": (
        lambda i: (f"DELETE FROM notes WHERE id = {i.note}",),
        lambda i: (f"note {i.note} is missing", f"la note {i.note} est absente"),
    ),
    "signature rewritten": (
        lambda i: (
            "DROP TRIGGER notes_signed_fixed",
            f"UPDATE notes SET signed_by = 'Autre' WHERE id = {i.signed}",
        ),
        lambda i: (f"signature of note {i.signed}", f"la signature de la note {i.signed}"),
    ),
    "signature removed": (
        lambda i: (
            "DROP TRIGGER notes_signed_fixed",
            f"UPDATE notes SET signed_by = '', signed_at = NULL WHERE id = {i.signed}",
        ),
        lambda i: (f"signature of note {i.signed}", f"la signature de la note {i.signed}"),
    ),
    "signed text rewritten with its revision": (
        lambda i: (
            "DROP TRIGGER notes_signed_fixed",
            "DROP TRIGGER note_revisions_fixed",
            f"UPDATE notes SET body = 'autre' WHERE id = {i.signed}",
            f"UPDATE note_revisions SET body = 'autre' WHERE note_id = {i.signed}",
        ),
        lambda i: (f"of note {i.signed}", f"de la note {i.signed}"),
    ),
    "addendum rewritten": (
        lambda i: (
            "DROP TRIGGER note_addenda_fixed",
            f"UPDATE note_addenda SET body = 'autre' WHERE id = {i.addendum}",
        ),
        lambda i: (f"addendum {i.addendum}", f"la note complémentaire {i.addendum}"),
    ),
    "addendum deleted": (
        lambda i: (f"DELETE FROM note_addenda WHERE id = {i.addendum}",),
        lambda i: (f"addendum {i.addendum}", f"la note complémentaire {i.addendum}"),
    ),
    "addendum added": (
        lambda i: (
            "INSERT INTO note_addenda (id, note_id, body, author, created_at) VALUES"
            f" (77, {i.signed}, 'faux', 'X', '2026-02-04T00:00:00.000000+00:00')",
        ),
        lambda i: ("addendum 77", "la note complémentaire 77"),
    ),
    "stay rewritten": (
        lambda i: (f"UPDATE attendance SET left_at = NULL WHERE id = {i.stay}",),
        lambda i: (f"attendance record {i.stay}", f"l'entrée de présence {i.stay}"),
    ),
    "stay marked in the room": (
        lambda i: (f"UPDATE attendance SET in_room = 1 WHERE id = {i.stay}",),
        lambda i: (f"attendance record {i.stay}", f"l'entrée de présence {i.stay}"),
    ),
    "stay deleted": (
        lambda i: (f"DELETE FROM attendance WHERE id = {i.stay}",),
        lambda i: (f"attendance record {i.stay}", f"l'entrée de présence {i.stay}"),
    ),
    "stay added": (
        lambda i: (
            "INSERT INTO attendance (id, session_id, member_id, guest_name, joined_at, in_room)"
            f" VALUES (55, {i.session}, NULL, 'Intrus', '2026-02-03T18:00:00.000000+00:00', 0)",
        ),
        lambda i: ("attendance record 55", "l'entrée de présence 55"),
    ),
    "referral rewritten": (
        lambda i: (f"UPDATE referrals SET detail = '' WHERE id = {i.referral}",),
        lambda i: (f"referral {i.referral}", f"la référence {i.referral}"),
    ),
    "referral deleted": (
        lambda i: (f"DELETE FROM referrals WHERE id = {i.referral}",),
        lambda i: (f"referral {i.referral}", f"la référence {i.referral}"),
    ),
    "referral added": (
        lambda i: (
            "INSERT INTO referrals (id, member_id, resource_id, resource_name, created_at)"
            f" VALUES (66, {i.member}, 'x', 'X', '2026-02-04T00:00:00.000000+00:00')",
        ),
        lambda i: ("referral 66", "la référence 66"),
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_a_change_outside_the_app_is_named(case: str, data_dir: Path, key: bytes) -> None:
    statements, names = TAMPERING[case]
    store = Store.open(data_dir, key)
    try:
        ids = _fill(store)
    finally:
        store.close()

    _raw(data_dir / "groupdesk.db", key, *statements(ids))

    store = Store.open(data_dir, key)
    try:
        report = store.verify()
    finally:
        store.close()
    english, french = names(ids)
    assert not report.ok
    assert english in report.message("en")
    assert "outside GroupDesk" in report.message("en")
    assert french in report.message("fr_CA")
    assert "hors de GroupDesk" in report.message("fr_CA")


def test_retention_of_a_member_whose_sessions_stay_still_verifies(store: Store) -> None:
    group = store.create_group("G")
    gone = store.add_member(group.id, "Partie depuis longtemps")
    active = store.add_member(group.id, "Toujours là")
    old = datetime(2019, 3, 5, 18, 0, tzinfo=UTC)
    recent = datetime(2026, 5, 20, 18, 0, tzinfo=UTC)
    shared = store.create_session(group.id, old, old + timedelta(hours=2)).id
    later = store.create_session(group.id, recent, recent + timedelta(hours=2)).id
    store.record_join(shared, gone.id, old)
    store.record_leave(shared, gone.id, old + timedelta(hours=1))
    store.record_join(shared, active.id, old, in_room=True)
    store.record_join(later, active.id, recent)
    about_gone = store.add_note(group.id, "Suivi", session_id=shared, member_id=gone.id).id
    store.revise_note(about_gone, "Suivi, deuxième version")
    store.sign_note(about_gone, "Julie")
    store.add_addendum(about_gone, "Ajout", "Julie")
    store.add_referral(
        Referral(
            id=1,
            member_id=gone.id,
            resource_id="811",
            resource_name="Info-Social 811",
            created_at=old,
            session_id=shared,
        )
    )
    group_note = store.add_note(group.id, "Note de groupe", session_id=shared).id
    store.sign_note(group_note, "Julie")
    store.add_addendum(group_note, "Ajout au groupe", "Julie")
    active_ref = store.add_referral(
        Referral(
            id=1,
            member_id=active.id,
            resource_id="811",
            resource_name="Info-Social 811",
            created_at=old,
            session_id=shared,
        )
    ).id

    report = store.purge(now=datetime(2026, 6, 1, tzinfo=UTC), retention_years=5)

    assert (report.sessions, report.members, report.notes) == (0, 1, 1)
    assert [s.id for s in store.list_sessions()] == [shared, later]
    assert [a.member_id for a in store.attendance(shared)] == [active.id]
    assert [n.id for n in store.list_notes()] == [group_note]
    assert [r.id for r in store.referrals()] == [active_ref]
    assert len(store.note_addenda(group_note)) == 1
    verdict = store.verify()
    assert verdict.ok, verdict.message("en")


def test_a_v8_log_has_its_earlier_rows_covered(data_dir: Path, no_keyring: None) -> None:
    data_dir.mkdir()
    shutil.copyfile(FIXTURES / "schema_v8.db", data_dir / "groupdesk.db")
    store = Store.open(data_dir, TEST_KEY)
    try:
        assert store.verify().ok
        [session] = store.list_sessions()
        stay = store.attendance(session.id)[0]
        [note] = store.list_notes()
        adopted = [e.kind for e in store.journal(session.id)]
        assert adopted.count("note.saved") == len(store.note_history(note.id))
        assert adopted.count("attendance.kept") == len(store.attendance(session.id))
    finally:
        store.close()
    db = data_dir / "groupdesk.db"
    backup = data_dir.parent / "before.db"
    shutil.copyfile(db, backup)
    for statements, named in (
        (
            (
                "DROP TRIGGER note_revisions_fixed",
                f"UPDATE note_revisions SET body = 'x' WHERE note_id = {note.id}",
            ),
            f"of note {note.id}",
        ),
        ((f"UPDATE attendance SET left_at = NULL WHERE id = {stay.id}",), f"record {stay.id}"),
    ):
        shutil.copyfile(backup, db)
        _raw(db, TEST_KEY, *statements)
        store = Store.open(data_dir, TEST_KEY)
        try:
            report = store.verify()
        finally:
            store.close()
        assert not report.ok
        assert named in report.message("en")


def test_a_failed_adoption_leaves_the_log_at_version_8(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    data_dir.mkdir()
    shutil.copyfile(FIXTURES / "schema_v8.db", data_dir / "groupdesk.db")

    def fail(conn: object, now: datetime) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(coverage, "adopt", fail)
    with pytest.raises(OSError, match="disk full"):
        Store.open(data_dir, TEST_KEY)
    conn = sqlcipher3.connect(str(data_dir / "groupdesk.db"))
    conn.execute(f'PRAGMA key = "{key_pragma(TEST_KEY)}"')
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 8  # not 9 without adoption
    conn.close()
    monkeypatch.undo()

    store = Store.open(data_dir, TEST_KEY)  # the next start adopts
    try:
        assert store.schema_version() == LATEST
        report = store.verify()
        assert report.ok, report.message("en")
    finally:
        store.close()
