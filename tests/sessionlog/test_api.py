"""The async public API the UI uses: every call runs on the one writer thread."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.core.models import ConsentStatus, Group, IncidentStep, Modality
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import (
    SCHEMA_VERSION,
    KeyStore,
    NotFound,
    SessionLog,
    Store,
    default_data_dir,
)
from memory_keyring import MemoryKeyring

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


def test_default_data_dir_follows_xdg(tmp_path: Path) -> None:
    import os

    assert default_data_dir() == Path(os.environ["XDG_DATA_HOME"]) / "GroupDesk"


def test_first_run_create_open_and_use(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()
    original = Store.list_groups

    def spy(self: Store, include_archived: bool = False) -> list[Group]:
        threads.add(threading.current_thread().name)
        return original(self, include_archived)

    monkeypatch.setattr(Store, "list_groups", spy)

    async def scenario() -> None:
        keystore = KeyStore(data_dir)
        assert keystore.state() == "new"
        key = keystore.create().key
        log = await SessionLog.open(data_dir, key)
        try:
            group = await log.create_group("Groupe du mardi", "Soutien aux proches aidants")
            archived = await log.create_group("Ancien groupe")
            await log.archive_group(archived.id)
            assert await log.list_groups() == [group]
            assert len(await log.list_groups(include_archived=True)) == 2
            renamed = await log.update_group(group.id, name="Groupe du mercredi")
            assert renamed.name == "Groupe du mercredi"
            session = await log.create_session(
                group.id, T0, T0 + timedelta(hours=2), Modality.HYBRID, ["Julie", "Marc"]
            )
            assert session.facilitators == ("Julie", "Marc")
            assert await log.list_sessions() == [session]
            assert await log.list_sessions(group.id) == [session]
            assert await log.list_sessions(archived.id) == []
            member = await log.add_member(
                group.id,
                "Ana",
                pseudonym="A.",
                phone="514-555-0100",
                emergency_contact="Luc 514-555-0199",
                region="Montréal",
                language="fr",
                modality="remote",
                consent="given",
            )
            assert member.consent is ConsentStatus.GIVEN
            updated = await log.update_member(member.id, consent="withdrawn")
            assert updated.consent is ConsentStatus.WITHDRAWN
            assert await log.list_members(group.id) == [updated]
            started = await log.start_session(session.id, T0 + timedelta(minutes=2))
            assert started.actual_start == T0 + timedelta(minutes=2)
            stay = await log.record_join(session.id, member.id, T0 + timedelta(minutes=3))
            left = await log.record_leave(session.id, member.id, T0 + timedelta(minutes=50))
            assert left.id == stay.id
            assert left.left_at == T0 + timedelta(minutes=50)
            assert await log.attendance(session.id) == [left]
            result = await log.add_checklist_result(
                session.id, "participant", {"private_place": True, "alone": False}, member.id
            )
            assert not result.complete
            assert await log.checklist_results(session.id) == [result]
            step = IncidentStep("call_emergency", "911", T0, "called 811")
            closed = Incident(
                seat="s1",
                member=member.id,
                guest_name="",
                opened_at=T0,
                closed_at=T0,
                steps=(step,),
                observation="résumé",
                resources_used=(),
                outcome=None,
                referral=(),
            )
            incident = await log.add_incident(session.id, closed)
            assert await log.incidents(session.id) == [incident]
            ended = await log.end_session(session.id, T0 + timedelta(hours=2))
            assert ended.actual_end == T0 + timedelta(hours=2)
            kinds = [e.kind for e in await log.journal(session.id)]
            assert kinds == [
                "session.started",
                "attendance.kept",  # the stay as it began, then as it ended
                "attendance.kept",
                "crisis.recorded",
                "session.ended",
            ]
            with pytest.raises(NotFound):
                await log.add_member(9999, "Personne")
            with pytest.raises(ValueError, match="display name"):
                await log.add_member(group.id, "  ")
            stats = await log.stats()
            assert stats["groups"] == 2
            assert stats["members"] == 1
            assert stats["journal"] == 5
            assert (await log.verify()).ok
        finally:
            await log.close()
        # Reopen with the key from the keyring: everything is still there.
        reopened = await SessionLog.open(data_dir, KeyStore(data_dir).unlock())
        try:
            assert [g.name for g in await reopened.list_groups()] == ["Groupe du mercredi"]
        finally:
            await reopened.close()

    asyncio.run(scenario())
    assert threads
    assert all(name.startswith("groupdesk-sessionlog") for name in threads)
    assert threading.current_thread().name not in threads


def test_sessions_validate_times(store: Store) -> None:
    group = store.create_group("G")
    with pytest.raises(ValueError, match="planned_end is before planned_start"):
        store.create_session(group.id, T0, T0 - timedelta(hours=1))
    with pytest.raises(ValueError, match="timezone"):
        store.create_session(group.id, T0.replace(tzinfo=None), T0 + timedelta(hours=1))
    assert store.list_sessions() == []


def test_connection_settings(store: Store) -> None:
    conn = store.connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")


def test_creation_is_all_or_nothing(
    data_dir: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while creating leaves no half-made database (which would read as damaged)."""
    import groupdesk.sessionlog.db as db_module

    def boom(conn: object, **kwargs: object) -> list[int]:
        raise KeyboardInterrupt

    monkeypatch.setattr(db_module, "migrate", boom)
    with pytest.raises(KeyboardInterrupt):
        Store.open(data_dir, key)
    assert not (data_dir / "groupdesk.db").exists()
    monkeypatch.undo()
    store = Store.open(data_dir, key)  # the next start simply creates it
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["groupdesk.db", "journal.witness"]


def test_closing_twice_is_harmless(data_dir: Path, key: bytes) -> None:
    async def scenario() -> None:
        log = await SessionLog.open(data_dir, key)
        await log.close()
        await log.close()

    asyncio.run(scenario())


def test_open_without_create_never_starts_over(data_dir: Path, key: bytes) -> None:
    from groupdesk.sessionlog import NoLogYet

    with pytest.raises(NoLogYet):
        Store.open(data_dir, key, create=False)
    assert not (data_dir / "groupdesk.db").exists()
