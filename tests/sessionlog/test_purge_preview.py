"""The retention preview: what a purge would delete, shown before it is, changing nothing;
``groupdesk log purge`` shows it and asks (``--yes`` for scripts, ``--preview`` only shows)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.app import main
from groupdesk.core.models import Referral
from groupdesk.sessionlog import KeyStore, Store
from memory_keyring import MemoryKeyring

from .conftest import file_hash

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _session(store: Store, group_id: int, start: datetime) -> int:
    session = store.create_session(group_id, start, start + timedelta(hours=2))
    store.start_session(session.id, start)
    store.end_session(session.id, start + timedelta(hours=2))
    return session.id


def _fill(store: Store, now: datetime) -> dict[str, int]:
    """An old member and their own old session, a session shared with someone still
    active, and recent work; notes, a signed note with an addendum, referrals."""
    old = now - timedelta(days=365 * 7)
    recent = now - timedelta(days=10)
    group = store.create_group("Groupe deuil")
    other = store.create_group("Groupe anxiété")
    gone = store.add_member(group.id, "Ancienne Éloïse")
    active = store.add_member(group.id, "Toujours Ana")
    shared = _session(store, group.id, old - timedelta(days=7))
    old_only = _session(store, other.id, old)
    later = _session(store, group.id, recent)
    for sid, who in ((shared, gone), (shared, active), (old_only, gone)):
        store.record_join(sid, who.id, old)
    store.record_join(later, active.id, recent)
    signed = store.add_note(group.id, "séance ancienne", session_id=old_only).id
    store.sign_note(signed, "Julie")
    store.add_addendum(signed, "ajout", "Julie")
    store.add_note(group.id, "au sujet d'Éloïse", session_id=shared, member_id=gone.id)
    store.add_note(group.id, "séance récente", session_id=later)
    for member, sid in ((gone, shared), (active, shared)):
        store.add_referral(
            Referral(
                id=1,
                member_id=member.id,
                resource_id="811",
                resource_name="Info-Social 811",
                created_at=old,
                session_id=sid,
            )
        )
    return {"gone": gone.id, "active": active.id, "old_only": old_only, "shared": shared}


def _state(store: Store) -> dict[str, object]:
    return {
        "sessions": {s.id for s in store.list_sessions()},
        "members": {m.id for g in store.list_groups() for m in store.list_members(g.id)},
        "notes": len(store.list_notes()),
        "stays": sum(len(store.attendance(s.id)) for s in store.list_sessions()),
        "referrals": len(store.referrals()),
    }


def test_the_preview_is_what_the_purge_removes(store: Store) -> None:
    ids = _fill(store, NOW)
    before = _state(store)
    journal_before = len(store.journal())

    preview = store.purge_preview(NOW, retention_years=5)

    assert _state(store) == before  # nothing changed
    assert len(store.journal()) == journal_before
    assert [(s.id, s.group_name) for s in preview.sessions] == [(ids["old_only"], "Groupe anxiété")]
    assert preview.sessions[0].start == NOW - timedelta(days=365 * 7)
    assert [(m.id, m.name) for m in preview.members] == [(ids["gone"], "Ancienne Éloïse")]
    assert (preview.notes, preview.stays, preview.referrals) == (2, 2, 1)
    assert not preview.empty

    report = store.purge(NOW, retention_years=5)

    after = _state(store)
    assert before["sessions"] - after["sessions"] == {s.id for s in preview.sessions}  # type: ignore[operator]
    assert before["members"] - after["members"] == {m.id for m in preview.members}  # type: ignore[operator]
    for count in ("notes", "stays", "referrals"):
        assert before[count] - after[count] == getattr(preview, count)  # type: ignore[operator]
    assert (report.sessions, report.members, report.notes) == (1, 1, 2)
    assert store.purge_preview(NOW, retention_years=5).empty
    assert store.verify().ok


def _cli_log(data_dir: Path) -> Path:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    _fill(store, datetime.now(UTC))
    store.close()
    return data_dir / "groupdesk.db"


def _purge(data_dir: Path, *extra: str, lang: str = "en") -> int:
    return main(["--lang", lang, "--data-dir", str(data_dir), "log", "purge", *extra])


def _left(data_dir: Path) -> set[int]:
    store = Store.open(data_dir, KeyStore(data_dir).unlock(), create=False)
    try:
        return {s.id for s in store.list_sessions()}
    finally:
        store.close()


def test_preview_only_shows_and_changes_nothing(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _cli_log(data_dir)
    before = file_hash(db)

    assert _purge(data_dir, "--preview") == 0

    assert file_hash(db) == before
    out = capsys.readouterr().out
    assert "A purge would delete:" in out
    assert "1 sessions, 1 members, 2 notes, 2 attendance records, 1 referrals" in out
    assert "session 2: Groupe anxiété, " in out
    assert "member 1: Ancienne Éloïse" in out
    assert "Purged" not in out
    assert _purge(data_dir, "--preview", lang="fr_CA") == 0
    out = capsys.readouterr().out
    assert "Une purge supprimerait :" in out
    assert "1 séances, 1 membres, 2 notes, 2 entrées de présence, 1 références" in out
    assert "séance 2 : Groupe anxiété, " in out
    assert "membre 1 : Ancienne Éloïse" in out
    assert file_hash(db) == before
    assert len(_left(data_dir)) == 3


@pytest.mark.parametrize("answer", ["n\n", "\n", "", "peut-être\n"])
def test_answering_no_purges_nothing(
    answer: str,
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = _cli_log(data_dir)
    before = file_hash(db)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))

    assert _purge(data_dir) == 1

    out = capsys.readouterr().out
    assert "Delete these records for good? [y/N]" in out
    assert "Nothing was deleted." in out
    assert file_hash(db) == before
    assert len(_left(data_dir)) == 3


def test_answering_yes_in_french_purges(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cli_log(data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO("Oui\n"))
    assert _purge(data_dir, lang="fr_CA") == 0
    out = capsys.readouterr().out
    assert "Supprimer ces dossiers définitivement? [o/N]" in out
    assert "1 séances et 1 membres de plus de 5 ans supprimés" in out
    assert len(_left(data_dir)) == 2


def test_yes_purges_without_asking(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cli_log(data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))  # never read
    assert _purge(data_dir, "--yes") == 0
    out = capsys.readouterr().out
    assert "A purge would delete:" in out  # shown all the same, for the script's log
    assert "[y/N]" not in out
    assert "Purged 1 sessions and 1 members" in out
    assert len(_left(data_dir)) == 2
    assert _purge(data_dir, "--yes") == 0
    assert "Nothing is past the retention period of 5 years" in capsys.readouterr().out


def test_yes_and_preview_do_not_go_together(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _cli_log(data_dir)
    before = file_hash(db)
    with pytest.raises(SystemExit) as exited:
        _purge(data_dir, "--yes", "--preview")
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert file_hash(db) == before


def test_the_async_log_previews_off_the_ui_thread(data_dir: Path, key: bytes) -> None:
    import asyncio

    from groupdesk.sessionlog import SessionLog

    async def scenario() -> None:
        log = await SessionLog.open(data_dir, key)
        try:
            group = await log.create_group("G")
            start = NOW - timedelta(days=365 * 6)
            await log.create_session(group.id, start, start + timedelta(hours=2))
            preview = await asyncio.wait_for(log.purge_preview(NOW, 5), 10)
            assert [s.group_name for s in preview.sessions] == ["G"]
            assert len(await log.list_sessions()) == 1  # nothing changed
        finally:
            await log.close()

    asyncio.run(scenario())
