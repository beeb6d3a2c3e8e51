"""Who may do what with the turns: the refusals, as one exhaustive match.

A member acts only for itself (raise, lower their own hand, end their own turn,
pass in a round when it is their turn); whatever touches another member or the
room -- the floor, other hands, extensions, limits, ordering, mute requests,
rounds -- needs a facilitator. A refusal changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import assert_never

from groupdesk.core.protocol import Role
from groupdesk.core.session.turn_events import (
    Command,
    EndTurn,
    ExtendTurn,
    GiveFloor,
    LowerHand,
    MuteAll,
    MuteAllButSpeaker,
    PassInRound,
    RaiseHand,
    RefusalReason,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    StopRound,
)


@dataclass(frozen=True)
class TurnFacts:
    """What the rules need to know of the room when a command arrives."""

    roles: Mapping[str, Role]  # present members
    speaker: str | None
    round_running: bool
    round_current: str | None
    anyone_in_line: bool
    limited: bool  # turns have a soft limit


def round_members(command: StartRound, roles: Mapping[str, Role]) -> tuple[str, ...]:
    """Who a round started by ``command`` walks: ``among`` (once each), or the
    participants present in the order they joined."""
    if command.among is not None:
        return tuple(dict.fromkeys(command.among))
    return tuple(m for m, role in roles.items() if role == "participant")


def refusal(  # noqa: PLR0911, PLR0912 -- one exhaustive match over the commands
    command: Command, facts: TurnFacts
) -> RefusalReason | None:
    """Why ``command`` cannot be done now, or ``None`` if it can."""
    by, roles = command.by, facts.roles
    if by not in roles:
        return "not_present"
    facilitator = roles[by] == "facilitator"
    match command:
        case RaiseHand():
            return None
        case LowerHand(_, member):
            if member != by and not facilitator:
                return "not_facilitator"
            return None if member in roles else "unknown_member"
        case EndTurn():
            if facts.speaker is None:
                return "no_speaker"
            return None if facilitator or facts.speaker == by else "not_facilitator"
        case PassInRound():
            if not facts.round_running:
                return "no_round"
            return None if facts.round_current == by else "not_your_turn"
        case _ if not facilitator:
            return "not_facilitator"
        case GiveFloor(_, member):
            if facts.round_running:
                return "round_running"
            if member is None:
                return None if facts.anyone_in_line else "queue_empty"
            return None if member in roles else "unknown_member"
        case ExtendTurn():
            if facts.speaker is None:
                return "no_speaker"
            return None if facts.limited else "no_limit"
        case MuteAllButSpeaker():
            return "no_speaker" if facts.speaker is None else None
        case StartRound(_, _, among):
            if facts.round_running:
                return "round_running"
            if among is not None and any(m not in roles for m in among):
                return "unknown_member"
            return None if round_members(command, roles) else "nobody_in_round"
        case SkipInRound() | StopRound():
            return None if facts.round_running else "no_round"
        case SetTurnLimit() | SetQueueOrder() | MuteAll():
            return None
        case _:
            assert_never(command)
