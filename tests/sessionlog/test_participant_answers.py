"""What participants answered before admission (schema version 7): kept encrypted, read
back for facilitators, the latest of another session offered again."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.core.models import AskedItem, ParticipantAnswers
from groupdesk.sessionlog import Store
from groupdesk.sessionlog.connection import connect
from groupdesk.sessionlog.migrations import LATEST, migrate

from .conftest import decrypted_bytes
from .fixtures.make_fixtures import TEST_KEY

T0 = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"
ASKED = (
    AskedItem("alone", "tick", True),
    AskedItem("location", "location", True),
    AskedItem("phone", "phone", True),
    AskedItem("emergency_contact", "text", False),
)
PHONE = "514-555-0142"


def _answers(session_id: int, seat: str, **fields: object) -> ParticipantAnswers:
    values: dict[str, object] = {
        "id": 1,
        "session_id": session_id,
        "seat": seat,
        "answers": {"alone": True, "location": "Rimouski, Bas-Saint-Laurent", "phone": PHONE},
        "asked": ASKED,
        "answered_at": T0,
    }
    values.update(fields)
    return ParticipantAnswers(**values)  # type: ignore[arg-type]


def _session(store: Store, group_id: int, day: int, members: list[int]) -> int:
    start = T0 + timedelta(days=day)
    session = store.create_session(
        group_id, start, start + timedelta(hours=1), expected_member_ids=members
    )
    return session.id


def test_answers_are_kept_and_read_back_with_how_the_person_came_in(
    store: Store, data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    group = store.create_group("Groupe du mardi")
    ana = store.add_member(group.id, "Ana")
    first = _session(store, group.id, 0, [ana.id])
    kept = store.add_participant_answers(_answers(first, "a1b2c3d4e5f6", member_id=ana.id))
    guest = store.add_participant_answers(
        _answers(
            first,
            "0f0f0f0f0f0f",
            answers={"alone": False, "location": "Gaspé"},
            answered_at=T0 + timedelta(minutes=2),
            guest_name="Zoé",
            unmet=("alone", "phone"),
            override_reason="Her daughter is asleep in the next room; we agreed on headphones.",
        )
    )
    assert [a.id for a in store.participant_answers(first)] == [kept.id, guest.id]
    (back_ana, back_guest) = store.participant_answers(first)
    assert back_ana.answers == {
        "alone": True,
        "location": "Rimouski, Bas-Saint-Laurent",
        "phone": PHONE,
    }
    assert back_ana.asked == ASKED
    assert not back_ana.admitted_anyway
    assert (back_guest.guest_name, back_guest.unmet) == ("Zoé", ("alone", "phone"))
    assert back_guest.admitted_anyway
    assert "headphones" in (back_guest.override_reason or "")

    assert store.set_identity_verified(first, "a1b2c3d4e5f6", True)
    assert not store.set_identity_verified(first, "ffffffffffff", True)  # nobody admitted there
    assert store.participant_answers(first)[0].identity_verified

    # the same seat admitted again (after a drop): one row, the newer answers
    again = _answers(first, "a1b2c3d4e5f6", member_id=ana.id, answers={"alone": True})
    store.add_participant_answers(again)
    assert len(store.participant_answers(first)) == 2
    assert store.participant_answers(first)[0].answers == {"alone": True}

    # encrypted on disk; readable only with the key
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    assert PHONE.encode() not in raw
    assert "Gaspé".encode() not in raw
    store.close()
    assert "Gaspé".encode() in decrypted_bytes(data_dir / "groupdesk.db", key, tmp_path / "x")


def test_the_previous_answers_are_the_latest_of_another_session(store: Store) -> None:
    group = store.create_group("Groupe")
    ana = store.add_member(group.id, "Ana")
    ben = store.add_member(group.id, "Ben")
    first, second, third = (_session(store, group.id, d, [ana.id]) for d in (0, 7, 14))
    assert store.previous_answers(ana.id, third) is None
    store.add_participant_answers(_answers(first, "aaaaaaaaaaaa", member_id=ana.id))
    newer = {"alone": True, "phone": "418-555-0199"}
    store.add_participant_answers(
        _answers(
            second, "bbbbbbbbbbbb", member_id=ana.id, answers=newer, answered_at=T0 + timedelta(7)
        )
    )
    previous = store.previous_answers(ana.id, third)
    assert previous is not None
    assert previous.answers["phone"] == "418-555-0199"
    assert store.previous_answers(ana.id, second).answers["phone"] == PHONE  # type: ignore[union-attr]
    assert store.previous_answers(ben.id, third) is None


def test_a_bad_answer_or_an_empty_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="tick or words"):
        _answers(1, "aaaaaaaaaaaa", answers={"alone": 3})
    with pytest.raises(ValueError, match="override reason"):
        _answers(1, "aaaaaaaaaaaa", override_reason="   ")


def test_migration_7_adds_the_answers_to_a_version_5_log(tmp_path: Path) -> None:
    db = tmp_path / "v5.db"
    shutil.copyfile(FIXTURES / "schema_v5.db", db)
    conn = connect(db, TEST_KEY)
    try:
        assert migrate(conn) == list(range(6, LATEST + 1))
        assert conn.execute("SELECT count(*) FROM participant_answers").fetchone() == (0,)
    finally:
        conn.close()
