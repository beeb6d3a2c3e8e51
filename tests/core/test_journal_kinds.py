"""The catalogue of journal kinds: each kind has one payload type, and nothing else fits."""

from __future__ import annotations

from typing import Any, cast

import pytest

from groupdesk.core.journal_kinds import (
    KINDS,
    ChecklistResult,
    ConsentRecorded,
    FloorEndedEntry,
    FloorGivenEntry,
    JournalEntry,
    JournalEntryError,
    RetentionPurge,
    RoomClose,
    RoundFinishedEntry,
    RoundStartedEntry,
    SeatEvent,
    SeatJoin,
    SessionMark,
    TalkTimeEntry,
    TurnTimerEntry,
    entry_row,
    parse_entry,
)

SEAT = "0a1b2c3d4e5f"
OTHER = "ffeeddccbbaa"

ENTRIES: list[JournalEntry] = [
    SessionMark("session.started"),
    SeatJoin("member.joined", SEAT, None, guest=True),
    SeatJoin("member.joined", SEAT, 7),
    SeatEvent("member.safety_signal", SEAT, 7),
    ChecklistResult("checklist.incomplete", "facilitator", unchecked=("alone",)),
    RoomClose("room.closed", admitted=3, embedded=False),
    RetentionPurge("retention.purged", None, 5, 1, 1, 2, 4),
    FloorGivenEntry("turn.floor_given", SEAT, OTHER, 180.0),
    FloorGivenEntry("turn.floor_given", SEAT, OTHER),
    FloorEndedEntry("turn.floor_ended", SEAT, None, 42.5, "left"),
    TurnTimerEntry("turn.time_up", SEAT),
    RoundStartedEntry("round.started", OTHER, "random", (SEAT, OTHER)),
    RoundFinishedEntry("round.finished", None, True, 2, 1, 0),
    TalkTimeEntry("turn.talk_time", SEAT, 0.0, 0),
    ConsentRecorded("member.consent_recorded", 1, 7, 3),
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
        "turn.hand_raised", "turn.hand_lowered", "turn.floor_given", "turn.floor_ended",
        "turn.extended", "turn.limit_changed", "turn.queue_order_changed",
        "turn.timer_warning", "turn.time_up", "round.started", "round.passed",
        "round.skipped", "round.finished", "turn.talk_time",
        "safety.sent", "safety.seen", "safety.withdrawn", "safety.handled",
        "member.consent_recorded", "lobby.admitted_anyway", "lobby.previous_answers_used",
        "member.identity_verified", "member.identity_unverified",
        "side_room.entered", "side_room.left",
        "share.started", "share.stopped", "share.allowed", "share.disallowed",
        "media.switched",
        "crisis.opened", "crisis.step_done", "crisis.step_undone", "crisis.dropped",
        "crisis.back", "crisis.silence", "crisis.freeze", "crisis.closed",
        "note.saved", "note.signed", "note.addendum", "attendance.kept", "referral.recorded",
        "record.exported",
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
        (
            "turn.floor_ended",
            {"seat": SEAT, "by": None, "seconds": "42", "reason": "left"},
            "'seconds' is not",
        ),
        ("turn.talk_time", {"seat": SEAT, "seconds": float("nan"), "turns": 1}, "'seconds' is not"),
        (
            "turn.talk_time",
            {"seat": SEAT, "seconds": 3.0, "turns": 1, "share": 0.5},
            "has no field ['share']",
        ),
    ],
)
def test_a_kind_or_payload_outside_the_catalogue_is_refused(
    kind: str, data: dict[str, Any], why: str
) -> None:
    with pytest.raises(JournalEntryError) as refused:
        parse_entry(kind, data)
    assert why in str(refused.value)


def test_seconds_read_back_whether_json_wrote_them_with_a_point_or_not() -> None:
    """A turn limit of 180 from the policy (an int) and 180.0 are the same seconds."""
    row = {"seat": SEAT, "by": OTHER, "limit": 180}
    assert parse_entry("turn.floor_given", row) == FloorGivenEntry(
        "turn.floor_given", SEAT, OTHER, 180.0
    )
    assert entry_row(FloorGivenEntry("turn.floor_given", SEAT, OTHER, 180))[1] == row


def test_an_entry_built_with_a_kind_of_another_class_is_refused() -> None:
    forged = SeatEvent(cast(Any, "room.opened"), SEAT, 7)
    with pytest.raises(JournalEntryError):
        entry_row(forged)
