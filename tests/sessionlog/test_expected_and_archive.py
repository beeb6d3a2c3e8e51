"""Members expected at a session, attendance counts per session, and archived members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from groupdesk.core.models import Modality
from groupdesk.sessionlog import SessionCounts, Store

T0 = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)


def test_a_session_keeps_its_expected_members_and_counts_who_came(store: Store) -> None:
    group = store.create_group("Groupe du mardi")
    ana = store.add_member(group.id, "Ana")
    ben = store.add_member(group.id, "Ben")
    cleo = store.add_member(group.id, "Cléo")
    session = store.create_session(
        group.id,
        T0,
        T0 + timedelta(hours=2),
        Modality.HYBRID,
        ("Julie", "Marc"),
        expected_member_ids=[ana.id, ben.id, cleo.id, ana.id],  # a repeat counts once
    )
    assert store.expected_members(session.id) == [ana.id, ben.id, cleo.id]
    store.record_join(session.id, ana.id, T0)
    store.record_leave(session.id, ana.id, T0 + timedelta(minutes=10))
    store.record_join(session.id, ana.id, T0 + timedelta(minutes=12))  # came back: still one
    store.record_join(session.id, ben.id, T0)
    other = store.create_session(group.id, T0 + timedelta(days=7), T0 + timedelta(days=7, hours=2))
    assert store.session_counts(group.id) == {
        session.id: SessionCounts(expected=3, attended=2),
        other.id: SessionCounts(expected=0, attended=0),
    }
    assert store.stats()["expected_members"] == 3


def test_expected_members_must_belong_to_the_group(store: Store) -> None:
    group = store.create_group("A")
    stranger = store.add_member(store.create_group("B").id, "Dana")
    with pytest.raises(ValueError, match="not in group"):
        store.create_session(
            group.id, T0, T0 + timedelta(hours=1), expected_member_ids=[stranger.id]
        )
    assert store.list_sessions(group.id) == []  # nothing half-written


def test_an_archived_member_leaves_the_list_and_keeps_their_record(store: Store) -> None:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana", phone="514-555-0100")
    ben = store.add_member(group.id, "Ben")
    archived = store.archive_member(ana.id)
    assert archived.archived
    assert archived.phone == "514-555-0100"
    assert [m.display_name for m in store.list_members(group.id)] == ["Ben"]
    every = store.list_members(group.id, include_archived=True)
    assert [(m.display_name, m.archived) for m in every] == [("Ana", True), ("Ben", False)]
    assert store.update_member(ana.id, region="Laval").archived  # editing keeps the state
    assert not store.archive_member(ana.id, archived=False).archived
    assert ben.archived is False


def test_the_purge_takes_expected_members_with_their_session(store: Store) -> None:
    group = store.create_group("Ancien groupe")
    ana = store.add_member(group.id, "Ana")
    old = datetime(2010, 1, 5, 18, 0, tzinfo=UTC)
    store.create_session(group.id, old, old + timedelta(hours=2), expected_member_ids=[ana.id])
    report = store.purge(now=datetime(2026, 1, 1, tzinfo=UTC), retention_years=5)
    assert report.sessions == 1
    assert store.stats()["expected_members"] == 0
