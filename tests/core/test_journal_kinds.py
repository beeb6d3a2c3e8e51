"""The catalogue of journal kinds: each kind has one payload type, and nothing else fits."""

from __future__ import annotations

from typing import Any, cast

import pytest

from groupdesk.core.journal_kinds import (
    KINDS,
    ChecklistResult,
    JournalEntry,
    JournalEntryError,
    RetentionPurge,
    RoomClose,
    SeatEvent,
    SeatJoin,
    SessionMark,
    entry_row,
    parse_entry,
)

SEAT = "0a1b2c3d4e5f"

ENTRIES: list[JournalEntry] = [
    SessionMark("session.started"),
    SeatJoin("member.joined", SEAT, None, guest=True),
    SeatJoin("member.joined", SEAT, 7),
    SeatEvent("member.safety_signal", SEAT, 7),
    ChecklistResult("checklist.incomplete", "facilitator", unchecked=("alone",)),
    RoomClose("room.closed", admitted=3, embedded=False),
    RetentionPurge("retention.purged", None, 5, 1, 1, 2, 4),
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.kind)
def test_an_entry_is_stored_as_its_kind_and_payload_and_read_back(entry: JournalEntry) -> None:
    kind, data = entry_row(entry)
    assert kind == entry.kind
    assert parse_entry(kind, data) == entry


def test_the_payload_keeps_its_v1_form() -> None:
    assert entry_row(SeatJoin("member.joined", SEAT, None, guest=True)) == (
        "member.joined",
        {"seat": SEAT, "member": None, "guest": True},
    )
    assert entry_row(SeatJoin("member.joined", SEAT, 7)) == (
        "member.joined",
        {"seat": SEAT, "member": 7},
    )
    assert entry_row(ChecklistResult("checklist.completed", "facilitator"))[1] == {
        "checklist": "facilitator",
        "unchecked": [],
    }


def test_every_kind_written_today_is_catalogued_once() -> None:
    assert {
        "session.started", "session.ended", "session.prepared", "checklist.completed",
        "checklist.incomplete", "group.created", "group.updated", "group.archived",
        "group.restored", "member.added", "member.updated", "member.archived",
        "member.restored", "room.opened", "room.closed", "member.joined", "member.left",
        "member.removed", "lobby.admitted", "lobby.declined", "member.mute_requested",
        "member.safety_signal", "crisis.recorded", "retention.purged",
    } == set(KINDS)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "data", "why"),
    [
        ("member.raised_hand", {}, "is not a journal kind"),
        ("chat", {"text": "bonjour"}, "is not a journal kind"),
        ("member.joined", {"seat": SEAT}, "needs 'member'"),
        ("member.joined", {"seat": SEAT, "member": 7, "name": "Ana"}, "has no field ['name']"),
        ("lobby.admitted", {"seat": SEAT, "member": "7"}, "'member' is not"),
        ("room.opened", {"embedded": 1}, "'embedded' is not"),
        ("crisis.recorded", {"incident": True}, "'incident' is not"),
    ],
)
def test_a_kind_or_payload_outside_the_catalogue_is_refused(
    kind: str, data: dict[str, Any], why: str
) -> None:
    with pytest.raises(JournalEntryError) as refused:
        parse_entry(kind, data)
    assert why in str(refused.value)


def test_an_entry_built_with_a_kind_of_another_class_is_refused() -> None:
    forged = SeatEvent(cast(Any, "room.opened"), SEAT, 7)
    with pytest.raises(JournalEntryError):
        entry_row(forged)
