"""The turn manager's outputs as journal entries (core/journal_kinds.py): ids and numbers.

:func:`journal_entries` picks, from what :meth:`TurnManager.handle` or
:meth:`TurnManager.tick` returned, what goes to the session journal; mute requests are
journalled where they are sent (``member.mute_requested``, one per member asked) and
refusals are not journalled. :func:`talk_time_entries` is what is stored at the
session's end: each member's talk time and turns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from groupdesk.core.journal_kinds import (
    FloorEndedEntry,
    FloorGivenEntry,
    HandLoweredEntry,
    HandRaisedEntry,
    QueueOrderEntry,
    RoundFinishedEntry,
    RoundSeatEntry,
    RoundStartedEntry,
    TalkTimeEntry,
    TurnExtendedEntry,
    TurnLimitEntry,
    TurnTimerEntry,
)
from groupdesk.core.session.turn_events import (
    FloorEnded,
    FloorGiven,
    HandLowered,
    HandRaised,
    JournalEvent,
    MuteRequest,
    QueueOrderChanged,
    Refused,
    RoundFinished,
    RoundPassed,
    RoundSkipped,
    RoundStarted,
    TimerWarning,
    TimeUp,
    TurnExtended,
    TurnLimitChanged,
    TurnOutput,
)
from groupdesk.core.session.turn_views import MemberTotals

TurnJournalEntry = (
    HandRaisedEntry
    | HandLoweredEntry
    | FloorGivenEntry
    | FloorEndedEntry
    | TurnExtendedEntry
    | TurnLimitEntry
    | QueueOrderEntry
    | TurnTimerEntry
    | RoundStartedEntry
    | RoundSeatEntry
    | RoundFinishedEntry
)
"""What :func:`journal_entry` returns."""


def _seconds(value: float) -> float:
    """Seconds as the journal keeps them: to the millisecond, never negative."""
    return round(max(0.0, float(value)), 3)


def _limit(value: float | None) -> float | None:
    return None if value is None else _seconds(value)


def journal_entry(event: JournalEvent) -> TurnJournalEntry:  # noqa: PLR0911, PLR0912 -- one match
    """The journal entry of one of the manager's journal events."""
    match event:
        case HandRaised(member, place):
            return HandRaisedEntry("turn.hand_raised", member, place)
        case HandLowered(member, by, reason):
            return HandLoweredEntry("turn.hand_lowered", member, by, reason)
        case FloorGiven(member, by, limit):
            return FloorGivenEntry("turn.floor_given", member, by, _limit(limit))
        case FloorEnded(member, by, seconds, reason):
            return FloorEndedEntry("turn.floor_ended", member, by, _seconds(seconds), reason)
        case TurnExtended(member, by, seconds, limit):
            return TurnExtendedEntry(
                "turn.extended", member, by, _seconds(seconds), _seconds(limit)
            )
        case TurnLimitChanged(by, limit):
            return TurnLimitEntry("turn.limit_changed", by, _limit(limit))
        case QueueOrderChanged(by, order):
            return QueueOrderEntry("turn.queue_order_changed", by, order)
        case TimerWarning(member, remaining):
            return TurnTimerEntry("turn.timer_warning", member, _seconds(remaining))
        case TimeUp(member):
            return TurnTimerEntry("turn.time_up", member)
        case RoundStarted(by, order, members):
            return RoundStartedEntry("round.started", by, order, members)
        case RoundPassed(member):
            return RoundSeatEntry("round.passed", member)
        case RoundSkipped(member, by):
            return RoundSeatEntry("round.skipped", member, by)
        case RoundFinished(by, completed, spoke, passed, skipped):
            return RoundFinishedEntry("round.finished", by, completed, spoke, passed, skipped)
        case _:
            assert_never(event)


def journal_entries(outputs: Iterable[TurnOutput]) -> list[TurnJournalEntry]:
    """The journal entries of the manager's outputs, in order (mute requests and
    refusals have none here)."""
    entries: list[TurnJournalEntry] = []
    for output in outputs:
        match output:
            case MuteRequest() | Refused():
                continue  # journalled where the request is sent; a refusal changed nothing
            case _:
                entries.append(journal_entry(output))
    return entries


def talk_time_entries(totals: Iterable[MemberTotals]) -> list[TalkTimeEntry]:
    """The session's record at its end (:meth:`TurnManager.totals`): one entry a member."""
    return [
        TalkTimeEntry("turn.talk_time", total.member, _seconds(total.seconds), total.turns)
        for total in totals
    ]
