"""The core models the log returns: each rejects what a database row or form must not hold.

(They live in groupdesk.core.models, owned with the session log.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groupdesk.core.models import (
    Attendance,
    ChecklistResult,
    ConsentStatus,
    CrisisIncident,
    Group,
    JournalEvent,
    Member,
    Modality,
    Note,
    Session,
)
from groupdesk.sessionlog import InvalidRecoveryKey, decode_recovery_key, encode_recovery_key

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Group(id=0, name="G"), "group id"),
        (lambda: Group(id=1, name="  "), "group name"),
        (lambda: Group(id=1, name="x" * 201), "longer than 200"),
        (lambda: Member(id=1, group_id=1, display_name=""), "display name"),
        (lambda: Member(id=1, group_id=1, display_name="A", modality="video"), "video"),
        (lambda: Member(id=1, group_id=1, display_name="A", consent="maybe"), "maybe"),
        (
            lambda: Session(id=1, group_id=1, planned_start=T0, planned_end=T0 - timedelta(1)),
            "before",
        ),
        (
            lambda: Session(id=1, group_id=1, planned_start=T0, planned_end=T0, actual_end=T0),
            "cannot end before it starts",
        ),
        (
            lambda: Session(
                id=1, group_id=1, planned_start=T0.replace(tzinfo=None), planned_end=T0
            ),
            "timezone",
        ),
        (
            lambda: Session(id=1, group_id=1, planned_start=T0, planned_end=T0, facilitators=("",)),
            "facilitator",
        ),
        (
            lambda: Attendance(
                id=1, session_id=1, member_id=1, joined_at=T0, left_at=T0 - timedelta(1)
            ),
            "before",
        ),
        (lambda: JournalEvent(seq=1, session_id=None, ts=T0, kind="", data={}), "kind"),
        (lambda: Note(id=1, group_id=1, body="x" * 100_001), "longer"),
        (
            lambda: ChecklistResult(id=1, session_id=1, checklist="c", answers={"alone": "yes"}),
            "true or false",
        ),  # type: ignore[dict-item]
        (
            lambda: CrisisIncident(id=1, session_id=1, started_at=T0, ended_at=T0 - timedelta(1)),
            "before",
        ),
        (lambda: Group(id=True, name="G"), "group id"),
    ],
)
def test_invalid_values_are_refused(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_enums_are_parsed_and_values_frozen() -> None:
    member = Member(id=1, group_id=1, display_name="A", modality="hybrid", consent="given")
    assert member.modality is Modality.HYBRID
    assert member.consent is ConsentStatus.GIVEN
    event = JournalEvent(seq=1, session_id=1, ts=T0, kind="k", data={"a": 1})
    with pytest.raises(TypeError):
        event.data["a"] = 2  # type: ignore[index]
    result = ChecklistResult(id=1, session_id=1, checklist="c", answers={"a": True, "b": True})
    assert result.complete
    assert not ChecklistResult(id=1, session_id=1, checklist="c").complete


@given(st.binary(min_size=32, max_size=32))
def test_recovery_key_round_trip(raw: bytes) -> None:
    text = encode_recovery_key(raw)
    assert decode_recovery_key(text) == raw
    assert decode_recovery_key(text.lower().replace("-", "  ")) == raw


@given(st.binary(min_size=32, max_size=32), st.integers(0, 55), st.integers(1, 31))
def test_recovery_key_single_typo_is_caught(raw: bytes, position: int, shift: int) -> None:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    chars = encode_recovery_key(raw).replace("-", "")
    wrong = alphabet[(alphabet.index(chars[position]) + shift) % 32]
    typo = chars[:position] + wrong + chars[position + 1 :]
    with pytest.raises(InvalidRecoveryKey):
        decode_recovery_key(typo)
