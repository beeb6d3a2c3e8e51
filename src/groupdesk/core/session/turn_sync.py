"""The turns between facilitators: the whole state for co-facilitators, their commands back.

The facilitator's app that keeps the turns (the *lead*) sends :class:`TurnSync` to the
other facilitators after each change, and every few seconds while talk time runs
(:func:`sync_of` a snapshot). A co-facilitator's app shows the state it restores from
the last one (:func:`snapshot_of`), and carries the turns on from it if the lead
leaves. A co-facilitator's command goes to the lead as a :class:`TurnCommand`
(:func:`wire_command`), which the lead's desk applies in the sender's name
(:func:`command_from`). Pure functions; times cross as ages, never as clock values.
"""

from __future__ import annotations

from typing import assert_never

from groupdesk.core.protocol import (
    QUEUE_ORDERS,
    ROUND_ORDERS,
    QueueOrder,
    RoundOrder,
    SyncedMember,
    SyncedRound,
    TurnCommand,
    TurnSync,
)
from groupdesk.core.session import turn_events as ev
from groupdesk.core.session.rounds import RoundState
from groupdesk.core.session.talk_time import VoiceRecord
from groupdesk.core.session.turn_views import TurnSnapshot

_QUEUE_ORDERS: dict[str, QueueOrder] = {order: order for order in QUEUE_ORDERS}
_ROUND_ORDERS: dict[str, RoundOrder] = {order: order for order in ROUND_ORDERS}


def _age(now: float, then: float) -> float:
    return round(max(0.0, now - then), 3)


def sync_of(snapshot: TurnSnapshot) -> TurnSync:
    """The wire form of ``snapshot`` for the other facilitators (present members only)."""
    now = snapshot.taken_at
    hands = dict(snapshot.hands)
    voices = {v.member: v for v in snapshot.voices}
    turns = dict(snapshot.turns)
    members = []
    for seat, role in snapshot.members:
        voice = voices.get(seat)
        seconds = 0.0
        if voice is not None:
            running = max(0.0, now - voice.since) if voice.since is not None else 0.0
            seconds = voice.seconds + running
        members.append(
            SyncedMember(
                seat=seat,
                role=role,
                seconds=round(max(0.0, seconds), 3),
                turns=turns.get(seat, 0),
                hand_age=None if seat not in hands else round(now - hands[seat], 3),
                speaking=voice is not None and voice.speaking,
                muted=voice is not None and voice.muted,
            )
        )
    state = snapshot.round
    synced_round = None
    if state is not None:
        synced_round = SyncedRound(
            order=state.order,
            pending=state.pending,
            done=tuple(m for m, _ in state.done),
            outcomes=tuple(o for _, o in state.done),
            by=snapshot.round_by,
        )
    started = snapshot.turn_started_at
    return TurnSync(
        members=tuple(members),
        queue_order=snapshot.queue_order,
        turn_limit=snapshot.turn_limit,
        speaker=snapshot.speaker,
        turn_by=snapshot.turn_by if snapshot.speaker else None,
        elapsed=None if started is None or snapshot.speaker is None else _age(now, started),
        extension=snapshot.extension,
        warned=snapshot.warned,
        timed_up=snapshot.timed_up,
        round=synced_round,
        rounds_started=snapshot.rounds_started,
        seed=snapshot.seed,
    )


def snapshot_of(sync: TurnSync, received_at: float) -> TurnSnapshot:
    """The snapshot a co-facilitator restores from ``sync``, received at ``received_at``
    (its own clock). Raises ``ValueError`` when the state does not hold together."""
    state = None
    if sync.round is not None:
        state = RoundState(
            sync.round.order,
            sync.round.pending,
            tuple(zip(sync.round.done, sync.round.outcomes, strict=True)),
        )
    voices = tuple(
        VoiceRecord(
            m.seat,
            m.seconds,
            m.speaking,
            m.muted,
            received_at if m.speaking and not m.muted else None,
        )
        for m in sorted(sync.members, key=lambda m: m.seat)
    )
    return TurnSnapshot(
        taken_at=received_at,
        seed=sync.seed,
        members=tuple((m.seat, m.role) for m in sync.members),
        hands=tuple(
            (m.seat, received_at - m.hand_age) for m in sync.members if m.hand_age is not None
        ),
        queue_order=sync.queue_order,
        turn_limit=sync.turn_limit,
        speaker=sync.speaker,
        turn_started_at=None if sync.elapsed is None else received_at - sync.elapsed,
        turn_by=sync.turn_by,
        extension=sync.extension,
        warned=sync.warned,
        timed_up=sync.timed_up,
        round=state,
        round_by=sync.round.by if sync.round is not None else None,
        rounds_started=sync.rounds_started,
        turns=tuple((m.seat, m.turns) for m in sync.members if m.turns),
        voices=voices,
        voices_latest=received_at,
    )


def wire_command(command: ev.Command) -> TurnCommand | None:  # noqa: PLR0911, PLR0912 -- one match
    """A co-facilitator's command as sent to the lead (None: a member's own act, sent as
    the member's app event -- a hand, a pass)."""
    match command:
        case ev.GiveFloor(_, member):
            return TurnCommand("give_floor", member=member)
        case ev.EndTurn():
            return TurnCommand("end_turn")
        case ev.ExtendTurn(_, seconds):
            return TurnCommand("extend", seconds=seconds)
        case ev.SetTurnLimit(_, seconds):
            return TurnCommand("set_limit", seconds=seconds)
        case ev.SetQueueOrder(_, order):
            return TurnCommand("set_order", order=order)
        case ev.MuteAll():
            return TurnCommand("mute_all")
        case ev.MuteAllButSpeaker():
            return TurnCommand("mute_all_but_speaker")
        case ev.StartRound(_, order, _among):
            return TurnCommand("start_round", order=order)
        case ev.SkipInRound():
            return TurnCommand("skip")
        case ev.StopRound():
            return TurnCommand("stop_round")
        case ev.LowerHand(by, member):
            return TurnCommand("lower_hand", member=member) if member != by else None
        case ev.RaiseHand() | ev.PassInRound():
            return None
        case _:
            assert_never(command)


def command_from(sender: str, command: TurnCommand) -> ev.Command:  # noqa: PLR0911
    """The lead's desk applies a co-facilitator's ``command`` in ``sender``'s name (the
    manager then checks that ``sender`` is a facilitator)."""
    match command.action:
        case "give_floor":
            return ev.GiveFloor(sender, command.member)
        case "end_turn":
            return ev.EndTurn(sender)
        case "extend":
            return ev.ExtendTurn(sender, command.seconds)
        case "set_limit":
            return ev.SetTurnLimit(sender, command.seconds)
        case "set_order":
            return ev.SetQueueOrder(sender, _QUEUE_ORDERS[command.order or ""])
        case "mute_all":
            return ev.MuteAll(sender)
        case "mute_all_but_speaker":
            return ev.MuteAllButSpeaker(sender)
        case "start_round":
            return ev.StartRound(sender, _ROUND_ORDERS[command.order or ""])
        case "skip":
            return ev.SkipInRound(sender)
        case "stop_round":
            return ev.StopRound(sender)
        case "lower_hand":
            assert command.member is not None  # checked by the protocol
            return ev.LowerHand(sender, command.member)
        case _:
            assert_never(command.action)
