"""Guests in the attendance (schema version 5): everyone admitted has a stay.

A guest is someone admitted without being matched to a group member: their stay
carries the name they declared instead of a member id.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.sessionlog import NotFound, Store
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.migrations import migrate

from .fixtures.make_fixtures import TEST_KEY

T0 = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


def test_members_and_guests_each_have_their_stays(store: Store) -> None:
    group = store.create_group("Groupe du mardi")
    ana = store.add_member(group.id, "Ana")
    session = store.create_session(
        group.id, T0, T0 + timedelta(hours=2), expected_member_ids=[ana.id]
    )
    member = store.record_join(session.id, ana.id, T0)
    zoe = store.record_join(session.id, None, T0, guest_name="  Zoé ")
    other = store.record_join(session.id, None, T0 + timedelta(minutes=1), guest_name="Zoé")
    store.close_stay(session.id, zoe.id, T0 + timedelta(minutes=30))
    stays = store.attendance(session.id)
    assert [(s.member_id, s.guest_name, s.is_guest) for s in stays] == [
        (ana.id, "", False),
        (None, "Zoé", True),
        (None, "Zoé", True),
    ]
    by_id = {s.id: s for s in stays}
    assert by_id[zoe.id].left_at == T0 + timedelta(minutes=30)  # that stay, not the other
    assert by_id[other.id].left_at is None
    assert by_id[member.id].left_at is None
    # "present: 1 of 1" on the home page counts group members only
    assert store.session_counts(group.id)[session.id].attended == 1
    with pytest.raises(NotFound):
        store.close_stay(session.id, zoe.id)  # already closed


def test_a_stay_is_a_member_or_a_named_guest(store: Store) -> None:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana")
    session = store.create_session(group.id, T0, T0 + timedelta(hours=1))
    with pytest.raises(ValueError, match="not both or neither"):
        store.record_join(session.id, None, T0, guest_name="  ")
    with pytest.raises(ValueError, match="not both or neither"):
        store.record_join(session.id, ana.id, T0, guest_name="Ana")
    assert store.attendance(session.id) == []


def test_the_schema_itself_refuses_a_stay_of_nobody(tmp_path: Path) -> None:
    db = tmp_path / "v5.db"
    shutil.copyfile(FIXTURES / "schema_v4.db", db)
    conn = connect(db, TEST_KEY)
    try:
        assert migrate(conn, target=5) == [5]
        [row] = conn.execute("SELECT id, member_id, guest_name FROM attendance").fetchall()
        assert row == (1, 1, "")
        with pytest.raises(Exception, match="CHECK constraint failed"):
            conn.execute(
                "INSERT INTO attendance (session_id, member_id, guest_name, joined_at)"
                " VALUES (1, NULL, '', '2026-01-01T00:00:00+00:00')"
            )
        conn.execute(
            "INSERT INTO attendance (session_id, member_id, guest_name, joined_at)"
            " VALUES (1, NULL, 'Zoé', '2026-01-01T00:00:00+00:00')"
        )
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_the_purge_takes_guest_stays_with_their_old_session(store: Store) -> None:
    group = store.create_group("Ancien groupe")
    old = datetime(2010, 1, 5, 18, 0, tzinfo=UTC)
    session = store.create_session(group.id, old, old + timedelta(hours=2))
    store.record_join(session.id, None, old, guest_name="Zoé")
    report = store.purge(now=datetime(2026, 1, 1, tzinfo=UTC), retention_years=5)
    assert report.sessions == 1
    assert store.stats()["attendance"] == 0
