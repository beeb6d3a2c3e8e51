"""The speaking-turn manager: hands, the floor and its timer, mute requests, rounds.

``TurnManager`` is a sans-I/O state machine, like ``server/rooms.py``: the adapter
feeds it typed inputs (:data:`~groupdesk.core.session.turn_events.TurnInput`) with
:meth:`TurnManager.handle`, calls :meth:`TurnManager.tick` at
:meth:`TurnManager.next_deadline`, and gets typed outputs back (journal events,
mute requests, refusals). The views are read with :meth:`TurnManager.facilitator_view`
and :meth:`TurnManager.participant_view`. Time comes from an injected clock; nothing
runs in the background.

Rules where the issue is silent (see the module docs of ``rounds`` and ``talk_time`` too):

- the queue is ordered by the time the hand was raised (the server's), then member id,
  so every facilitator's machine agrees; or quieter members first (least talk time,
  then the same order); raising a raised hand or lowering a lowered one changes nothing;
- the turn limit is soft: at its end a :class:`TimeUp` is emitted and nothing is cut;
  the gentle warning comes ``warn_before_seconds`` before the end (at most a fifth of
  the turn before it), once per limit -- an extension or a new limit arms it again;
- a new limit set during a turn applies to that turn too;
- the speaker may end their own turn; while a round runs the floor follows the round,
  so giving the floor is refused (skip or stop the round first);
- "mute" requests name present members other than the facilitator who asks (and the
  speaker) whose microphone is not already known to be muted;
- :class:`Leave` means gone (the server's member_left), not a network drop within the
  grace period: it lowers the hand, ends the turn and takes the member out of a round.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from groupdesk.core.protocol import QueueOrder, Role
from groupdesk.core.session.rounds import Outcome, RoundState, round_order
from groupdesk.core.session.talk_time import TalkTimeMeter
from groupdesk.core.session.turn_events import (
    Command,
    EndTurn,
    ExtendTurn,
    FloorEnded,
    FloorEndedReason,
    FloorGiven,
    GiveFloor,
    HandLowered,
    HandRaised,
    Join,
    Leave,
    LowerHand,
    MuteAll,
    MuteAllButSpeaker,
    MuteChanged,
    MuteRequest,
    PassInRound,
    QueueOrderChanged,
    RaiseHand,
    Refused,
    RoundFinished,
    RoundPassed,
    RoundSkipped,
    RoundStarted,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    StopRound,
    TurnExtended,
    TurnInput,
    TurnLimitChanged,
    TurnOutput,
    VoiceActivity,
)
from groupdesk.core.session.turn_rules import TurnFacts, refusal, round_members
from groupdesk.core.session.turn_timer import Turn
from groupdesk.core.session.turn_views import (
    FacilitatorView,
    MemberTotals,
    ParticipantView,
    QueueEntry,
    RoundDetail,
    RoundProgress,
    TalkTime,
    TurnSnapshot,
)


@dataclass(frozen=True)
class TurnSettings:
    """How turns go in a session; ``turn_seconds`` is the policy's soft limit."""

    turn_seconds: float | None = 180.0
    warn_before_seconds: float = 30.0
    extend_seconds: float = 60.0
    lower_hand_on_floor: bool = True
    queue_order: QueueOrder = "raised"
    spoken_after_seconds: float = 1.0  # less than this (a cough) is not "having spoken"
    seed: int = 0  # random round orders are drawn from it
    # The voice-activity detector's delays (the mesh's VadConfig attack_s, hangover_s):
    # the talk-time meter takes them off each utterance (see talk_time).
    voice_attack_seconds: float = 0.0
    voice_hangover_seconds: float = 0.0

    def __post_init__(self) -> None:
        for value in (self.turn_seconds, self.extend_seconds):
            if value is not None and (not math.isfinite(value) or value <= 0):
                raise ValueError("a turn limit and an extension must be positive seconds")
        for value in (
            self.warn_before_seconds,
            self.spoken_after_seconds,
            self.voice_attack_seconds,
            self.voice_hangover_seconds,
        ):
            if not math.isfinite(value) or value < 0:
                raise ValueError("the warning, threshold and detector's delays cannot be negative")


class TurnManager:
    """Who is in line, who has the floor and for how long, and the round, for one room."""

    def __init__(
        self, settings: TurnSettings | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings or TurnSettings()
        self._clock = clock
        self._seed = self.settings.seed
        self._members: dict[str, Role] = {}  # present, in the order they joined
        self._hands: dict[str, float] = {}
        self._queue_order: QueueOrder = self.settings.queue_order
        self._limit = self.settings.turn_seconds
        self._turn: Turn | None = None
        self._round: RoundState | None = None
        self._round_by: str | None = None
        self._rounds_started = 0
        self._turns: dict[str, int] = {}
        self._meter = self._new_meter()

    def _new_meter(self) -> TalkTimeMeter:
        s = self.settings
        return TalkTimeMeter(s.voice_attack_seconds, s.voice_hangover_seconds)

    # ------------------------------------------------------------ inputs

    def handle(self, event: TurnInput) -> list[TurnOutput]:
        """Apply ``event``; return what follows from it, timer events due now included."""
        now = self._clock()
        out: list[TurnOutput]
        match event:
            case Join(member, role):
                self._members[member] = role  # a role change keeps the member's place
                out = []
            case Leave(member):
                out = self._leave(member, now)
            case VoiceActivity(member, speaking, at):
                self._meter.voice(member, speaking, at)
                out = []
            case MuteChanged(member, muted, at):
                self._meter.mute(member, muted, at)
                out = []
            case _:
                refused = refusal(event, self._facts())
                out = [Refused(event, refused)] if refused else self._command(event, now)
        return out + self._timer_due(now)

    def tick(self) -> list[TurnOutput]:
        """The timer events due now (call at :meth:`next_deadline`)."""
        return self._timer_due(self._clock())

    def _timer_due(self, now: float) -> list[TurnOutput]:
        return list(self._turn.due(self._limit, now)) if self._turn else []

    def next_deadline(self) -> float | None:
        """When :meth:`tick` next has something to say (the clock's time), if ever."""
        return self._turn.next_deadline(self._limit) if self._turn else None

    # --------------------------------------------------------- inspection

    def queue(self) -> tuple[str, ...]:
        """Who has a hand up, in the order they will be given the floor."""
        if self._queue_order == "quieter_first":
            now = self._clock()
            return tuple(
                sorted(
                    self._hands,
                    key=lambda m: (self._meter.seconds(m, now), self._hands[m], m),
                )
            )
        return tuple(sorted(self._hands, key=lambda m: (self._hands[m], m)))

    @property
    def speaker(self) -> str | None:
        """Who has the floor (``None``: the floor is open)."""
        return self._turn.member if self._turn else None

    @property
    def members(self) -> tuple[str, ...]:
        """Who is present, in the order they joined."""
        return tuple(self._members)

    def roles(self) -> tuple[tuple[str, Role], ...]:
        """Who is present with their role, in the order they joined."""
        return tuple(self._members.items())

    def talk_seconds(self, member: str) -> float:
        """``member``'s talk time so far (whether present or not)."""
        return self._meter.seconds(member, self._clock())

    def turn_counts(self) -> dict[str, int]:
        """How many turns each member was given, for the session's record."""
        return dict(self._turns)

    def totals(self) -> tuple[MemberTotals, ...]:
        """Talk time and turns of everyone seen this session, present or not, by id."""
        now = self._clock()
        seen = sorted({*self._members, *self._turns, *(r.member for r in self._meter.records())})
        return tuple(
            MemberTotals(m, self._meter.seconds(m, now), self._turns.get(m, 0)) for m in seen
        )

    def facilitator_view(self) -> FacilitatorView:
        """The state as facilitators see it, at the clock's time."""
        now = self._clock()
        present = list(self._members)
        seconds = {m: self._meter.seconds(m, now) for m in present}
        total = sum(seconds.values())
        talk = tuple(
            TalkTime(
                m,
                seconds[m],
                seconds[m] / total if total > 0 else None,
                self._turns.get(m, 0),
                self._meter.is_speaking(m),
            )
            for m in present
        )
        round_detail = None
        if self._round is not None:
            round_detail = RoundDetail(
                self._progress(self._round), self._round.done, self._round.pending
            )
        return FacilitatorView(
            queue=tuple(
                QueueEntry(m, i, self._hands[m]) for i, m in enumerate(self.queue(), start=1)
            ),
            queue_order=self._queue_order,
            speaker=self.speaker,
            timer=self._turn.view(self._limit, now) if self._turn else None,
            turn_limit=self._limit,
            round=round_detail,
            talk=talk,
            fair_share=1 / len(present) if present else None,
            not_yet_spoken=tuple(
                m for m in present if seconds[m] < self.settings.spoken_after_seconds
            ),
            muted=tuple(m for m in present if self._meter.is_muted(m)),
        )

    def participant_view(self, member: str) -> ParticipantView:
        """The state as ``member`` sees it: no talk time, no outcomes of the round."""
        queue = self.queue()
        place = queue.index(member) + 1 if member in queue else None
        current = self._round.current if self._round else None
        return ParticipantView(
            member=member,
            hand_raised=member in self._hands,
            place=place,
            queue=queue,
            speaker=self.speaker,
            timer=self._turn.view(self._limit, self._clock()) if self._turn else None,
            round=self._progress(self._round) if self._round else None,
            my_turn_in_round=current == member,
        )

    # ------------------------------------------------------------ snapshot

    def snapshot(self) -> TurnSnapshot:
        """The whole state now, for a co-facilitator's machine to carry on."""
        turn = self._turn
        return TurnSnapshot(
            taken_at=self._clock(),
            seed=self._seed,
            members=tuple(self._members.items()),
            hands=tuple(self._hands.items()),
            queue_order=self._queue_order,
            turn_limit=self._limit,
            speaker=turn.member if turn else None,
            turn_started_at=turn.started_at if turn else None,
            turn_by=turn.by if turn else None,
            extension=turn.extension if turn else 0.0,
            warned=turn.warned if turn else False,
            timed_up=turn.timed_up if turn else False,
            round=self._round,
            round_by=self._round_by,
            rounds_started=self._rounds_started,
            turns=tuple(self._turns.items()),
            voices=self._meter.records(),
            voices_latest=self._meter.latest,
        )

    @classmethod
    def restore(
        cls,
        snapshot: TurnSnapshot,
        settings: TurnSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        at: float | None = None,
    ) -> TurnManager:
        """A manager carrying on from ``snapshot``; ``at`` is the time on ``clock`` that
        matches ``snapshot.taken_at`` (default: now), so running timers keep their age."""
        machine = cls(settings, clock=clock)
        shift = (clock() if at is None else at) - snapshot.taken_at
        machine._seed = snapshot.seed
        machine._members = dict(snapshot.members)
        machine._hands = dict(snapshot.hands)
        machine._queue_order = snapshot.queue_order
        machine._limit = snapshot.turn_limit
        if (
            snapshot.speaker is not None
            and snapshot.turn_started_at is not None
            and snapshot.turn_by is not None
        ):
            machine._turn = Turn(
                snapshot.speaker,
                snapshot.turn_by,
                snapshot.turn_started_at + shift,
                machine.settings.warn_before_seconds,
                snapshot.extension,
                snapshot.warned,
                snapshot.timed_up,
            )
        machine._round = snapshot.round
        machine._round_by = snapshot.round_by
        machine._rounds_started = snapshot.rounds_started
        machine._turns = dict(snapshot.turns)
        machine._meter = TalkTimeMeter.restored(
            snapshot.voices,
            snapshot.voices_latest,
            shift,
            attack=machine.settings.voice_attack_seconds,
            hangover=machine.settings.voice_hangover_seconds,
        )
        return machine

    # ------------------------------------------------------------ commands

    def _facts(self) -> TurnFacts:
        return TurnFacts(
            roles=self._members,
            speaker=self.speaker,
            round_running=self._round is not None,
            round_current=self._round.current if self._round else None,
            anyone_in_line=any(m != self.speaker for m in self._hands),
            limited=self._limit is not None,
        )

    def _command(  # noqa: PLR0911, PLR0912 -- one exhaustive match over the commands
        self, command: Command, now: float
    ) -> list[TurnOutput]:
        """Carry out ``command`` (already allowed by :meth:`_refusal`)."""
        by = command.by
        match command:
            case RaiseHand(_, at):
                if by in self._hands:
                    return []
                self._hands[by] = now if at is None else at
                return [HandRaised(by, self.queue().index(by) + 1)]
            case LowerHand(_, member):
                if self._hands.pop(member, None) is None:
                    return []
                return [HandLowered(member, by, "self" if member == by else "facilitator")]
            case GiveFloor(_, member):
                # The speaker's own hand (kept up on the floor) is not "next".
                target = member or next(m for m in self.queue() if m != self.speaker)
                if self._turn is not None and self._turn.member == target:
                    return []
                return self._give_floor(target, by, now)
            case EndTurn():
                if self._round is not None:
                    return self._round_step("spoke", by, now)
                return self._end_turn(by, "ended", now)
            case ExtendTurn(_, seconds):
                return self._extend(by, seconds or self.settings.extend_seconds, now)
            case SetTurnLimit(_, seconds):
                self._limit = seconds
                if self._turn is not None:
                    self._turn.rearm(seconds, now)
                return [TurnLimitChanged(by, seconds)]
            case SetQueueOrder(_, order):
                self._queue_order = order
                return [QueueOrderChanged(by, order)]
            case MuteAll():
                return [MuteRequest(by, self._to_mute({by}), all_but_speaker=False)]
            case MuteAllButSpeaker():
                spared = {by, self.speaker or by}
                return [MuteRequest(by, self._to_mute(spared), all_but_speaker=True)]
            case StartRound():
                return self._start_round(command, now)
            case PassInRound():
                return self._round_step("passed", by, now)
            case SkipInRound():
                return self._round_step("skipped", by, now)
            case StopRound():
                return self._stop_round(by, now)
            case _:
                assert_never(command)

    def _leave(self, member: str, now: float) -> list[TurnOutput]:
        if member not in self._members:
            return []
        del self._members[member]
        self._meter.close(member, now)
        out: list[TurnOutput] = []
        if self._hands.pop(member, None) is not None:
            out.append(HandLowered(member, None, "left"))
        if self._round is not None and member in self._round.pending:
            was_current = self._round.current == member
            self._round = self._round.without(member)
            if was_current:
                if self.speaker == member:
                    out += self._end_turn(None, "left", now)
                out += self._round_next(now)
        if self.speaker == member:
            out += self._end_turn(None, "left", now)
        return out

    def _give_floor(self, member: str, by: str, now: float) -> list[TurnOutput]:
        out = self._end_turn(by, "replaced", now) if self._turn else []
        self._turn = Turn(member, by, now, self.settings.warn_before_seconds)
        self._turns[member] = self._turns.get(member, 0) + 1
        out.append(FloorGiven(member, by, self._limit))
        if self.settings.lower_hand_on_floor and self._hands.pop(member, None) is not None:
            out.append(HandLowered(member, by, "floor"))
        return out

    def _end_turn(self, by: str | None, reason: FloorEndedReason, now: float) -> list[TurnOutput]:
        turn = self._turn
        if turn is None:
            return []
        self._turn = None
        return [FloorEnded(turn.member, by, max(0.0, now - turn.started_at), reason)]

    def _extend(self, by: str, seconds: float, now: float) -> list[TurnOutput]:
        turn = self._turn
        assert turn is not None
        assert self._limit is not None
        turn.extension += seconds
        turn.rearm(self._limit, now)
        return [TurnExtended(turn.member, by, seconds, self._limit + turn.extension)]

    def _to_mute(self, spared: set[str]) -> tuple[str, ...]:
        return tuple(m for m in self._members if m not in spared and not self._meter.is_muted(m))

    # --------------------------------------------------------------- rounds

    def _start_round(self, command: StartRound, now: float) -> list[TurnOutput]:
        self._rounds_started += 1
        members = round_order(
            round_members(command, self._members),
            command.order,
            seconds=lambda m: self._meter.seconds(m, now),
            seed=f"{self._seed}:{self._rounds_started}",
        )
        self._round = RoundState(command.order, members)
        self._round_by = command.by
        out: list[TurnOutput] = [RoundStarted(command.by, command.order, members)]
        out += self._end_turn(command.by, "round", now)
        return out + self._round_next(now)

    def _round_step(self, outcome: Outcome, by: str, now: float) -> list[TurnOutput]:
        """The current member of the round is done (spoke, passed, or was skipped)."""
        assert self._round is not None
        assert self._round.current is not None
        member = self._round.current
        out: list[TurnOutput] = self._end_turn(by, "round", now)
        self._round = self._round.advanced(outcome)
        if outcome == "passed":
            out.append(RoundPassed(member))
        elif outcome == "skipped":
            out.append(RoundSkipped(member, by))
        return out + self._round_next(now)

    def _round_next(self, now: float) -> list[TurnOutput]:
        """Give the floor to whose turn it is, or close the finished round."""
        state = self._round
        assert state is not None
        if state.current is None:
            return self._close_round(None, completed=True)
        return self._give_floor(state.current, self._round_by or state.current, now)

    def _stop_round(self, by: str, now: float) -> list[TurnOutput]:
        return self._end_turn(by, "round", now) + self._close_round(by, completed=False)

    def _close_round(self, by: str | None, *, completed: bool) -> list[TurnOutput]:
        state = self._round
        assert state is not None
        self._round = None
        self._round_by = None
        outcomes = [outcome for _, outcome in state.done]
        return [
            RoundFinished(
                by,
                completed,
                spoke=outcomes.count("spoke"),
                passed=outcomes.count("passed"),
                skipped=outcomes.count("skipped"),
            )
        ]

    @staticmethod
    def _progress(state: RoundState) -> RoundProgress:
        return RoundProgress(state.order, len(state.done), state.total, state.current, state.next)
