"""The crisis panel's incident record in the encrypted session log: kept whole (each step
with its time and observation, resources, outcome, referral), read back per session,
journalled by id only, purged with its session, counted by ``groupdesk log stats``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.app import main
from groupdesk.core.models import CrisisIncident, IncidentStep
from groupdesk.core.policy_values import load_policy
from groupdesk.core.session.crisis import Crisis, Incident, KeepIncident
from groupdesk.core.session.crisis_note import incident_note
from groupdesk.core.session.room_state import LiveMember
from groupdesk.sessionlog import KeyStore, Store
from groupdesk.sessionlog.errors import NotFound
from memory_keyring import MemoryKeyring

from .conftest import decrypted_bytes

T0 = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
SECRET = "zqxcrisisobservation"


def _session(store: Store, start: datetime = T0) -> tuple[int, int]:
    group = store.create_group("Groupe de soutien")
    member = store.add_member(group.id, "Ana", phone="418 555-0142")
    session = store.create_session(group.id, start, start + timedelta(hours=2))
    store.start_session(session.id, start)
    return session.id, member.id


def _closed_crisis(member_id: int | None, opened: datetime = T0) -> Incident:
    """A crisis handled through the panel's core, as the app would close it."""
    ana = LiveMember(
        "a00000000001",
        "Ana",
        "participant",
        log_member_id=member_id,
        answers={"location": "Rimouski", "phone": "418 555-0142"},
    )
    crisis, _ = Crisis.open(ana, at=opened, policy=load_policy(), language="fr_CA")
    crisis.tick_step("keep_safe", opened + timedelta(seconds=20))
    crisis.tick_step("confirm_location", opened + timedelta(minutes=3))
    crisis.observe(f"Adresse confirmée {SECRET}", step="confirm_location")
    crisis.observe(f"Calme à la fin {SECRET}")
    crisis.use_resources(["info_social_811", "emergency_911"])
    crisis.refer(["suicide_prevention_qc"])
    crisis.set_outcome("referred")
    closing = crisis.close(opened + timedelta(minutes=15))
    (kept,) = [o for o in closing if isinstance(o, KeepIncident)]
    return kept.incident


def test_an_incident_is_kept_whole_and_read_back_with_its_session(store: Store) -> None:
    session_id, member_id = _session(store)
    incident = _closed_crisis(member_id)
    kept = store.add_incident(session_id, incident)

    assert store.incidents(session_id) == [kept]
    assert (kept.session_id, kept.member_id, kept.seat) == (session_id, member_id, "a00000000001")
    assert (kept.started_at, kept.ended_at) == (T0, T0 + timedelta(minutes=15))
    steps = {s.step: s for s in kept.steps}
    assert list(steps) == [s.id for s in load_policy().crisis_protocol]
    assert steps["keep_safe"].done_at == T0 + timedelta(seconds=20)
    assert steps["confirm_location"].done_at == T0 + timedelta(minutes=3)
    assert steps["confirm_location"].observation == f"Adresse confirmée {SECRET}"
    assert "Confirmer où la personne" in steps["confirm_location"].text
    assert steps["document"] == IncidentStep("document", steps["document"].text)  # not done
    assert kept.summary == f"Calme à la fin {SECRET}"
    assert kept.resources_used == ("info_social_811", "emergency_911")
    assert (kept.outcome, kept.referral) == ("referred", ("suicide_prevention_qc",))


def test_the_journal_says_one_was_recorded_by_its_id_never_what_was_written(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    session_id, member_id = _session(store)
    kept = store.add_incident(session_id, _closed_crisis(member_id))
    events = [e for e in store.journal(session_id) if e.kind == "crisis.recorded"]
    assert [e.data for e in events] == [{"incident": kept.id}]
    assert all(SECRET not in str(e.data) for e in store.journal())
    store.close()
    raw = (data_dir / "groupdesk.db").read_bytes()
    assert SECRET.encode() not in raw  # encrypted on disk
    assert SECRET.encode() in decrypted_bytes(data_dir / "groupdesk.db", key, tmp_path / "x")


def test_a_guest_s_incident_keeps_the_name_they_declared(store: Store) -> None:
    session_id, _ = _session(store)
    incident = dataclasses.replace(_closed_crisis(None), guest_name=" Zoé ")
    kept = store.add_incident(session_id, incident)
    assert (kept.member_id, kept.guest_name) == (None, "Zoé")
    assert kept.outcome == "referred"


def test_an_incident_with_no_outcome_yet_is_kept_with_none(store: Store) -> None:
    session_id, member_id = _session(store)
    incident = dataclasses.replace(_closed_crisis(member_id), outcome=None, referral=())
    kept = store.add_incident(session_id, incident)
    assert (kept.outcome, kept.referral) == ("", ())


def test_a_bad_incident_is_refused_and_nothing_is_written(store: Store) -> None:
    session_id, member_id = _session(store)
    incident = _closed_crisis(member_id)
    with pytest.raises(NotFound):
        store.add_incident(session_id + 99, incident)
    with pytest.raises(NotFound):
        store.add_incident(session_id, dataclasses.replace(incident, member=member_id + 99))
    backwards = dataclasses.replace(incident, closed_at=T0 - timedelta(minutes=1))
    with pytest.raises(ValueError, match="ended_at"):
        store.add_incident(session_id, backwards)
    with pytest.raises(ValueError, match="unknown crisis outcome"):
        CrisisIncident(id=1, session_id=1, started_at=T0, outcome="fine")
    assert store.incidents(session_id) == []
    assert [e.kind for e in store.journal(session_id)] == ["session.started"]


def test_incidents_go_with_their_session_when_retention_purges_it(store: Store) -> None:
    old = datetime(2019, 3, 5, 18, 0, tzinfo=UTC)
    session_id, member_id = _session(store, old)
    store.end_session(session_id, old + timedelta(hours=2))
    store.add_incident(session_id, _closed_crisis(member_id, old))
    assert store.stats()["crisis_incidents"] == 1
    report = store.purge(now=datetime(2026, 6, 1, tzinfo=UTC), retention_years=5)
    assert report.sessions == 1
    assert store.stats()["crisis_incidents"] == 0
    with pytest.raises(NotFound):
        store.incidents(session_id)


def test_log_stats_counts_the_incidents_in_both_languages(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    session_id, member_id = _session(store)
    for minutes in (0, 30):
        store.add_incident(session_id, _closed_crisis(member_id, T0 + timedelta(minutes=minutes)))
    store.close()
    assert main(["--data-dir", str(data_dir), "log", "stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "crisis incidents: 2" in out
    assert main(["--lang", "fr_CA", "--data-dir", str(data_dir), "log", "stats"]) == 0
    out = capsys.readouterr().out
    assert "incidents de crise : 2" in out.splitlines()
    assert SECRET not in out


def test_the_incident_s_words_go_to_the_session_s_notes_with_it(store: Store) -> None:
    session_id, member_id = _session(store)
    incident = _closed_crisis(member_id)
    policy = load_policy()
    note = incident_note(
        incident,
        "fr_CA",
        name="Ana",
        protocol=policy.crisis_protocol,
        directory=policy.crisis_resources,
        tz=UTC,
    )
    kept = store.add_incident(session_id, incident, note=note)
    (found,) = store.search_notes("incident")
    assert (found.session_id, found.member_id) == (session_id, kept.member_id)
    assert found.body.startswith("Incident de crise : Ana\nOuvert à 19:00, fermé à 19:15")
    assert f"Observé : Adresse confirmée {SECRET}" in found.body
    assert [e.data for e in store.journal(session_id) if e.kind == "crisis.recorded"] == [
        {"incident": kept.id}
    ]
    store.add_incident(session_id, incident, note="   ")  # no words: no note
    assert len(store.search_notes("incident")) == 1
