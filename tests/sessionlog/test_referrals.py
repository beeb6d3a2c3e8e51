"""Referrals: a member referred to a resource, kept with the member, the session and the
note, listed by member and by session, journaled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from groupdesk.core.models import Referral
from groupdesk.sessionlog import Store
from groupdesk.sessionlog.errors import NotFound

T0 = datetime(2026, 4, 7, 18, 0, tzinfo=UTC)


def _referral(member_id: int, **kw: object) -> Referral:
    fields: dict[str, object] = {
        "id": 1,
        "member_id": member_id,
        "resource_id": "info_social_811",
        "resource_name": "Info-Social 811",
        "created_at": T0,
    }
    fields.update(kw)
    return Referral(**fields)  # type: ignore[arg-type]


def test_a_referral_is_kept_with_member_session_and_note(store: Store) -> None:
    group = store.create_group("G")
    ana = store.add_member(group.id, "Ana")
    sid = store.create_session(group.id, T0, T0 + timedelta(hours=2)).id
    note = store.add_note(group.id, "Référée au 811", session_id=sid, member_id=ana.id)

    kept = store.add_referral(
        _referral(ana.id, id=99, session_id=sid, note_id=note.id, detail="appeler lundi, 8 h")
    )

    assert kept.id != 99  # the log numbers it
    assert kept == Referral(
        id=kept.id,
        member_id=ana.id,
        resource_id="info_social_811",
        resource_name="Info-Social 811",
        created_at=T0,
        session_id=sid,
        note_id=note.id,
        detail="appeler lundi, 8 h",
    )
    assert store.referrals(member_id=ana.id) == [kept]
    [entry] = [e for e in store.journal(sid) if e.kind == "referral.recorded"]
    assert entry.data is not None
    assert (entry.data["row"], entry.data["member"]) == (kept.id, ana.id)
    assert "Info-Social" not in str(entry.data)  # a digest, never the content
    assert "info_social" not in str(entry.data)
    assert store.verify().ok


def test_listed_by_member_and_by_session(store: Store) -> None:
    group = store.create_group("G")
    ana = store.add_member(group.id, "Ana")
    bo = store.add_member(group.id, "Bo")
    first = store.create_session(group.id, T0, T0 + timedelta(hours=2)).id
    second = store.create_session(
        group.id, T0 + timedelta(days=7), T0 + timedelta(days=7, hours=2)
    ).id
    a1 = store.add_referral(_referral(ana.id, session_id=first)).id
    b1 = store.add_referral(_referral(bo.id, session_id=first, resource_id="tel_aide")).id
    a2 = store.add_referral(_referral(ana.id, session_id=second)).id
    a3 = store.add_referral(_referral(ana.id)).id  # outside any session

    assert [r.id for r in store.referrals(member_id=ana.id)] == [a1, a2, a3]
    assert [r.id for r in store.referrals(session_id=first)] == [a1, b1]
    assert [r.id for r in store.referrals(member_id=ana.id, session_id=second)] == [a2]
    assert [r.id for r in store.referrals()] == [a1, b1, a2, a3]
    assert store.referrals(member_id=bo.id, session_id=second) == []


def test_unknown_member_or_session_is_refused_and_nothing_kept(store: Store) -> None:
    group = store.create_group("G")
    ana = store.add_member(group.id, "Ana")
    with pytest.raises(NotFound):
        store.add_referral(_referral(ana.id + 40))
    with pytest.raises(NotFound):
        store.add_referral(_referral(ana.id, session_id=404))
    with pytest.raises(NotFound):
        store.add_referral(_referral(ana.id, note_id=404))
    bo = store.add_member(group.id, "Bo")
    about_bo = store.add_note(group.id, "Bo", member_id=bo.id)
    with pytest.raises(ValueError, match="another member"):
        store.add_referral(_referral(ana.id, note_id=about_bo.id))
    assert store.referrals() == []
    assert store.stats()["referrals"] == 0
    group_note = store.add_note(group.id, "Note de groupe")
    assert store.add_referral(_referral(ana.id, note_id=group_note.id)).note_id == group_note.id


def test_a_referral_names_a_resource() -> None:
    with pytest.raises(ValueError, match="resource name"):
        _referral(1, resource_name="  ")
