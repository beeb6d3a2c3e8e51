"""Every earlier schema version, from its committed encrypted fixture, migrates to the latest."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from groupdesk.core.journal_kinds import RoomOpen
from groupdesk.core.models import IncidentStep
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import SCHEMA_VERSION, Store
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.migrations import MIGRATIONS, migrate

from .conftest import file_hash
from .fixtures.make_fixtures import TEST_KEY

FIXTURES = Path(__file__).parent / "fixtures"
EARLIER = range(1, SCHEMA_VERSION)


def _schema(conn: object) -> set[tuple[str, str]]:
    return {
        (row[0], row[1])
        for row in conn.execute(  # type: ignore[attr-defined]
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')"
        )
    }


def test_there_is_a_fixture_for_every_earlier_version() -> None:
    assert SCHEMA_VERSION >= 3
    assert sorted(p.name for p in FIXTURES.glob("schema_v*.db")) == [
        f"schema_v{v}.db" for v in EARLIER
    ]


@pytest.mark.parametrize("version", EARLIER)
def test_fixture_migrates_to_latest(version: int, data_dir: Path, no_keyring: None) -> None:
    # no keyring: every copy of a fixture is the same database (same salt), and the
    # journal anchor one copy leaves in a keyring would rightly find the next one rewound
    data_dir.mkdir()
    fixture = FIXTURES / f"schema_v{version}.db"
    pristine = file_hash(fixture)
    shutil.copyfile(fixture, data_dir / "groupdesk.db")
    store = Store.open(data_dir, TEST_KEY)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.verify().ok
        # What the old version held is all there.
        [group] = store.list_groups()
        assert group.name == "Groupe de soutien"
        [member] = store.list_members(group.id)
        assert (member.display_name, member.region, member.consent) == ("Ana", "Montréal", "given")
        [session] = store.list_sessions()
        assert session.facilitators == ("Julie",)
        kinds = [e.kind for e in store.journal(session.id)]
        assert kinds[:3] == ["session.started", "hand.raised", "session.ended"]
        # What was written before version 9 is covered by the journal from then on.
        assert "attendance.kept" in kinds[3:]
        assert set(kinds[3:]) <= {
            "attendance.kept",
            "note.saved",
            "note.signed",
            "note.addendum",
            "referral.recorded",
        }
        if version >= 2:
            assert store.checklist_results(session.id)[0].answers == {
                "alone": True,
                "headphones": True,
            }
            [incident] = store.incidents(session.id)
            assert incident.summary == "résumé"
            assert incident.steps == (IncidentStep("811"),)  # a name, now a step (version 8)
            if version >= 8:
                assert (incident.seat, incident.outcome) == ("a00000000001", "safe")
                assert incident.referral == ("info_social_811",)
            else:
                assert (incident.seat, incident.outcome, incident.referral) == ("", "", ())
        if version >= 3:
            assert [n.body for n in store.search_notes("répit")] == ["Ana a parlé du répit"]
        if version >= 4:
            assert store.expected_members(session.id) == [member.id]
        if version >= 7:
            [answers] = store.participant_answers(session.id)
            assert (answers.answers["phone"], answers.identity_verified) == ("418 555-0142", True)
        stay, *others = store.attendance(session.id)  # a member's stay stays one (version 5)
        assert (stay.id, stay.member_id, stay.guest_name) == (1, member.id, "")
        guests = [g for g in others if g.is_guest]
        assert [g.guest_name for g in guests] == (["Zoé"] if version >= 5 else [])
        if version >= 9:
            [in_room] = [o for o in others if not o.is_guest]
            assert (in_room.member_id, in_room.in_room) == (member.id, True)
            [signed] = [n for n in store.list_notes(member_id=member.id) if n.signed]
            assert (signed.template, signed.signed_by) == ("dap", "Julie")
            [addendum] = store.note_addenda(signed.id)
            assert addendum.body == "Appel de suivi fait"
            [referral] = store.referrals(member_id=member.id)
            assert referral.note_id == signed.id
        # Version 10: the ligatures typed spelled out find the text that has them.
        if version >= 9:
            assert [n.id for n in store.search_notes("soeur")] == [signed.id]
        assert stay.left_at is not None
        assert not member.archived  # members from before version 4 are active
        # And the newer features work on it.
        closed = session.planned_start + timedelta(minutes=20)
        incident = Incident(
            seat="a00000000001",
            member=member.id,
            guest_name="",
            opened_at=session.planned_start,
            closed_at=closed,
            steps=(IncidentStep("confirm_location", "Confirmer l'adresse", closed, "Rimouski"),),
            observation="après migration",
            resources_used=("info_social_811",),
            outcome="safe",
            referral=(),
        )
        kept = store.add_incident(session.id, incident)
        assert kept in store.incidents(session.id)
        assert kept.steps[0].done_at == closed
        note = store.add_note(group.id, "première note après la migration")
        assert [n.id for n in store.search_notes("migration")] == [note.id]
        store.append_event(session.id, RoomOpen("room.opened", embedded=True))
        planned = store.create_session(
            group.id,
            session.planned_start,
            session.planned_end,
            expected_member_ids=[member.id],
        )
        assert store.expected_members(planned.id) == [member.id]
        store.archive_member(member.id)
        assert store.list_members(group.id) == []
        assert store.verify().ok
    finally:
        store.close()
    assert file_hash(fixture) == pristine


@pytest.mark.parametrize("version", EARLIER)
def test_each_migration_step_alone(version: int, tmp_path: Path) -> None:
    """Migration version+1 applied alone to the fixture of ``version``."""
    db = tmp_path / "step.db"
    shutil.copyfile(FIXTURES / f"schema_v{version}.db", db)
    conn = connect(db, TEST_KEY)
    before = _schema(conn)
    assert migrate(conn, target=version + 1) == [version + 1]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version + 1
    assert _schema(conn) != before  # every step adds or changes tables or triggers
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_failing_migration_leaves_the_last_good_version(tmp_path: Path) -> None:
    db = tmp_path / "fail.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", db)
    conn = connect(db, TEST_KEY)
    conn.execute("CREATE TABLE checklist_results (x)")  # collides with migration 2
    with pytest.raises(Exception, match="already exists"):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_migrations_are_numbered_in_order() -> None:
    assert [m.VERSION for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
