"""Retention: purged text is gone from the file, even for someone with the key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.core.journal_kinds import SeatEvent
from groupdesk.core.models import IncidentStep
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import Store
from groupdesk.sessionlog.retention import cutoff_for

from .conftest import decrypted_bytes, decrypted_pages

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = datetime(2019, 3, 5, 18, 0, tzinfo=UTC)
RECENT = datetime(2026, 5, 20, 18, 0, tzinfo=UTC)
GONE = "zqxpurgedmarker"
KEPT = "zqxkeptmarker"


def _session(store: Store, group_id: int, start: datetime) -> int:
    session = store.create_session(group_id, start, start + timedelta(hours=2))
    store.start_session(session.id, start)
    store.end_session(session.id, start + timedelta(hours=2))
    return session.id


def test_purge_removes_old_records_and_their_text(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    group = store.create_group("G")
    old_member = store.add_member(group.id, f"Ancien {GONE}name", phone="514-555-0000")
    active = store.add_member(group.id, "Toujours là")
    shared = _session(store, group.id, OLD - timedelta(days=7))  # both attended
    old_only = _session(store, group.id, OLD)
    recent = _session(store, group.id, RECENT)
    for sid, who in ((shared, old_member), (shared, active), (old_only, old_member)):
        store.record_join(sid, who.id, OLD)
    store.record_join(recent, active.id, RECENT)
    store.append_event(old_only, SeatEvent("lobby.admitted", f"{GONE}journal", None), OLD)
    store.append_event(recent, SeatEvent("lobby.admitted", f"{KEPT}journal", None), RECENT)
    store.add_note(group.id, f"séance {GONE}note", session_id=old_only)
    store.add_note(group.id, f"au sujet du membre {GONE}membernote", member_id=old_member.id)
    kept_note = store.add_note(group.id, f"séance récente {KEPT}note", session_id=recent)
    step = IncidentStep("assess_risk", "Évaluer", OLD, f"{GONE}step")
    incident = Incident(
        seat="s1",
        member=old_member.id,
        guest_name="",
        opened_at=OLD,
        closed_at=OLD,
        steps=(step,),
        observation=GONE,
        resources_used=(),
        outcome="other",
        referral=(),
    )
    store.add_incident(old_only, incident)
    store.add_checklist_result(old_only, "participant", {"alone": True}, old_member.id, OLD)

    report = store.purge(now=NOW, retention_years=5)

    assert (report.sessions, report.members, report.notes) == (1, 1, 2)
    # Every event of old_only (6), and the entries covering what else went: the old
    # member's stay in the shared session and the note about them.
    assert report.journal_redacted == 8
    assert [s.id for s in store.list_sessions()] == [shared, recent]
    assert [m.id for m in store.list_members(group.id)] == [active.id]
    assert [a.member_id for a in store.attendance(shared)] == [active.id]
    assert store.stats()["crisis_incidents"] == 0
    assert store.search_notes(GONE) == []
    assert [n.id for n in store.search_notes(KEPT)] == [kept_note.id]
    old_events = store.journal(old_only)
    assert [e.kind for e in old_events] == [
        "session.started",
        "session.ended",
        "attendance.kept",
        "lobby.admitted",
        "note.saved",
        "crisis.recorded",
    ]
    assert all(e.data is None for e in old_events)
    purge_event = store.journal()[-1]
    assert purge_event.kind == "retention.purged"
    assert purge_event.data is not None
    assert purge_event.data["sessions"] == 1
    assert GONE not in str(purge_event.data)
    assert store.verify().ok  # the chain survives redaction

    # Someone with the key exports everything: the purged text is nowhere.
    plain = decrypted_bytes(data_dir / "groupdesk.db", key, tmp_path / "plain")
    assert GONE.encode() not in plain
    assert KEPT.encode() in plain  # the scan does find text that is there
    # The file's own pages, decrypted, free pages included: nothing left behind.
    assert store.connection.execute("PRAGMA freelist_count").fetchone()[0] == 0
    pages = decrypted_pages(data_dir / "groupdesk.db", key)
    assert KEPT.encode() in pages
    assert GONE.encode() not in pages
    for name in ("groupdesk.db", "groupdesk.db-wal", "groupdesk.db-shm"):
        path = data_dir / name
        if path.exists():
            assert GONE.encode() not in path.read_bytes()
            assert KEPT.encode() not in path.read_bytes()


def test_nothing_recent_is_purged(store: Store) -> None:
    group = store.create_group("G")
    member = store.add_member(group.id, "Nouvelle")  # never attended, created now
    sid = _session(store, group.id, RECENT)
    store.record_join(sid, member.id, RECENT)
    report = store.purge(now=NOW)
    assert (report.sessions, report.members, report.notes) == (0, 0, 0)
    assert len(store.list_sessions()) == 1
    assert store.verify().ok


def test_retention_period_is_configurable(store: Store) -> None:
    group = store.create_group("G")
    sid = _session(store, group.id, datetime(2023, 1, 10, tzinfo=UTC))
    assert store.purge(now=NOW, retention_years=5).sessions == 0
    assert store.purge(now=NOW, retention_years=3).sessions == 1
    assert sid not in [s.id for s in store.list_sessions()]
    kinds = [e.kind for e in store.journal()]
    assert kinds.count("retention.purged") == 2


def test_cutoff() -> None:
    assert cutoff_for(NOW, 5) == datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    assert cutoff_for(datetime(2028, 2, 29, tzinfo=UTC), 1).day == 28
    with pytest.raises(ValueError, match="at least one year"):
        cutoff_for(NOW, 0)
