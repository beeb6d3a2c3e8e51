"""Consent to the remote modality (schema version 6): to which version, when, how."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.core.models import ConsentMethod, ConsentStatus
from groupdesk.sessionlog import NotFound, SessionLog, Store
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.migrations import LATEST, migrate

from .fixtures.make_fixtures import TEST_KEY

T0 = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


def test_migration_6_adds_the_consents_and_keeps_what_was_there(tmp_path: Path) -> None:
    db = tmp_path / "v6.db"
    shutil.copyfile(FIXTURES / "schema_v5.db", db)
    conn = connect(db, TEST_KEY)
    try:
        assert migrate(conn) == list(range(6, LATEST + 1))
        assert conn.execute("SELECT count(*) FROM consents").fetchone() == (0,)
        assert conn.execute("SELECT consent FROM members WHERE id = 1").fetchone() == ("given",)
        with pytest.raises(Exception, match="CHECK constraint failed"):
            conn.execute(
                "INSERT INTO consents (member_id, version, given_at, method, recorded_at)"
                " VALUES (1, '1', '2026-01-01T00:00:00+00:00', 'email',"
                " '2026-01-01T00:00:00+00:00')"
            )
        with pytest.raises(Exception, match="CHECK constraint failed"):
            conn.execute(
                "INSERT INTO consents (member_id, version, given_at, method, recorded_at)"
                " VALUES (1, ' ', '2026-01-01T00:00:00+00:00', 'page',"
                " '2026-01-01T00:00:00+00:00')"
            )
    finally:
        conn.close()


def test_a_status_given_before_version_6_is_no_consent_to_any_version(
    data_dir: Path, no_keyring: None
) -> None:
    data_dir.mkdir()
    shutil.copyfile(FIXTURES / "schema_v5.db", data_dir / "groupdesk.db")
    store = Store.open(data_dir, TEST_KEY)
    try:
        [ana] = store.list_members(1)
        assert ana.consent == ConsentStatus.GIVEN  # the status is kept as it was
        assert store.consents(ana.id) == []  # but no text, date or way is on record
        assert store.without_consent(1, "1") == [ana]
    finally:
        store.close()


def test_consent_is_recorded_with_version_date_and_way_and_journalled(store: Store) -> None:
    group = store.create_group("Groupe du mardi")
    ana = store.add_member(group.id, "Ana")
    ben = store.add_member(group.id, "Ben")
    cy = store.add_member(group.id, "Cy")
    store.archive_member(cy.id)
    assert store.without_consent(group.id, "1") == [ana, ben]

    first = store.record_consent(ana.id, "1", ConsentMethod.PHONE, T0)
    assert (first.member_id, first.version, first.given_at, first.method) == (
        ana.id, "1", T0, ConsentMethod.PHONE,
    )  # fmt: skip
    assert store.list_members(group.id)[0].consent == ConsentStatus.GIVEN
    assert [m.display_name for m in store.without_consent(group.id, "1")] == ["Ben"]

    # the organisation changes its text: Ana has to consent again
    assert [m.display_name for m in store.without_consent(group.id, "2")] == ["Ana", "Ben"]
    second = store.record_consent(ana.id, "2", "in_person", T0 + timedelta(days=7))
    assert store.consents(ana.id) == [first, second]
    assert store.latest_consents(group.id) == {ana.id: second}
    assert [m.display_name for m in store.without_consent(group.id, "2")] == ["Ben"]

    # a withdrawn consent is no consent, whatever the version
    store.update_member(ana.id, consent="withdrawn")
    assert [m.display_name for m in store.without_consent(group.id, "2")] == ["Ana", "Ben"]

    events = [e for e in store.journal() if e.kind == "member.consent_recorded"]
    assert [dict(e.data or {}) for e in events] == [
        {"group": group.id, "member": ana.id, "consent": first.id},
        {"group": group.id, "member": ana.id, "consent": second.id},
    ]


def test_bad_consent_is_refused_and_nothing_is_written(store: Store) -> None:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana")
    with pytest.raises(ValueError, match="not a valid ConsentMethod"):
        store.record_consent(ana.id, "1", "email", T0)
    with pytest.raises(ValueError, match="consent version must not be empty"):
        store.record_consent(ana.id, "  ", "page", T0)
    with pytest.raises(ValueError, match="given_at must carry a timezone"):
        store.record_consent(ana.id, "1", "page", datetime(2026, 1, 1))
    with pytest.raises(NotFound):
        store.record_consent(9999, "1", "page", T0)
    assert store.consents(ana.id) == []
    assert store.list_members(group.id)[0].consent == ConsentStatus.PENDING
    assert [e.kind for e in store.journal()] == []


def test_the_async_log_records_and_reads_consent_back(data_dir: Path, key: bytes) -> None:
    async def scenario() -> None:
        log = await SessionLog.open(data_dir, key)
        try:
            group = await log.create_group("Groupe")
            ana = await log.add_member(group.id, "Ana")
            assert await log.latest_consent(ana.id) is None
            given = await log.record_consent(ana.id, "2026-12", ConsentMethod.PAGE, T0)
            assert await log.latest_consent(ana.id) == given
            assert await log.consents(ana.id) == [given]
            assert await log.latest_consents(group.id) == {ana.id: given}
            assert await log.without_consent(group.id, "2026-12") == []
        finally:
            await log.close()

    asyncio.run(scenario())
    # and it is on disk, after closing: reopened, read back
    store = Store.open(data_dir, key)
    try:
        [member] = store.list_members(store.list_groups()[0].id)
        [consent] = store.consents(member.id)
        assert (consent.version, consent.method, consent.given_at) == ("2026-12", "page", T0)
    finally:
        store.close()


def test_retention_purges_the_consents_of_a_member_it_purges(store: Store, tmp_path: Path) -> None:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana")
    store.record_consent(ana.id, "1", "phone", T0)
    report = store.purge(datetime.now(UTC) + timedelta(days=366 * 6), retention_years=5)
    assert report.members == 1
    count = store.connection.execute("SELECT count(*) FROM consents").fetchone()[0]
    assert count == 0
    assert json.dumps(store.stats())  # still counts every table
