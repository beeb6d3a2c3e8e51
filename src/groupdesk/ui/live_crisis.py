"""The crisis panels' adapter: a :class:`CrisisDesk` beside the live session's room.

The rules of a crisis are in the sans-I/O ``core.session.crisis`` and ``crisis_desk``.
:class:`LiveCrisis` feeds the desk what the room learns (the media links that drop or come
back, the seats that go or are taken again, a one-second tick with the room's clock and
members), carries out what it answers (journal entries with ids only, through the
session's record; the incident kept in the log with its note, through the record's
queue) and tells the page with its signals. The facilitator's commands (open, tick a step,
observe, close...) come through it too. Qt only for the signals and the clock's timer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, assert_never, cast

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from groupdesk.core.models import CrisisIncident
from groupdesk.core.policy_values import Policy
from groupdesk.core.protocol import LeftReason
from groupdesk.core.session.crisis import (
    Crisis,
    CrisisAlert,
    CrisisAlertCleared,
    CrisisChanged,
    CrisisOutput,
    Incident,
    KeepIncident,
    Outcome,
)
from groupdesk.core.session.crisis_desk import CrisisDesk
from groupdesk.core.session.crisis_lines import language_of
from groupdesk.core.session.crisis_note import incident_note
from groupdesk.core.session.room_events import Journal
from groupdesk.core.session.room_state import PeerState
from groupdesk.ui.widgets import spawn

if TYPE_CHECKING:
    from groupdesk.ui.live_session import LiveSession

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LiveCrisis(QObject):
    """The open crisis panels of a live session (facilitator), fed by its room.

    Signals:
        ``changed(str)``: the panel of a seat shows something new (opened, a step, a drop,
        an alert cleared, moved to a new seat, closed).
        ``alerted(object)``: a :class:`CrisisAlert` to show (and to sound, if it says so).
        ``kept(str, object)``: a closed panel's incident went to the log (the seat, the
        ``CrisisIncident`` kept; None: the log refused it, ``session.problem`` says so).
    """

    changed = Signal(str)
    alerted = Signal(object)
    kept = Signal(str, object)

    def __init__(self, session: LiveSession) -> None:
        super().__init__(session)
        self._session = session
        self.desk: CrisisDesk | None = None
        """None until a room opens with its policy (``use_policy``)."""
        self.clock: Callable[[], float] = time.monotonic
        """The room's clock (the one its members' last voice and picture are on)."""
        self.wall: Callable[[], datetime] = _utc_now
        """The wall clock of what is kept: when opened, ticked, dropped, closed."""
        self.names: dict[str, str] = {}
        """The name of each member a panel was opened for, kept for after they leave."""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)

    # -- reading ----------------------------------------------------------------------

    @property
    def policy(self) -> Policy | None:
        """The policy of the open room (its protocol, lines and thresholds)."""
        return None if self.desk is None else self.desk.policy

    def crisis(self, seat: str) -> Crisis | None:
        """The open panel of ``seat`` (None: none)."""
        return None if self.desk is None else self.desk.crisis(seat)

    def open_seats(self) -> list[str]:
        """The seats whose panel is open, in the order they were opened."""
        return [] if self.desk is None else list(self.desk.crises)

    def name_of(self, seat: str) -> str:
        """The member's name (seated, or as they were when their panel opened)."""
        member = self._session.member(seat)
        return member.name if member is not None else self.names.get(seat, "")

    # -- the room's policy ------------------------------------------------------------

    def use_policy(self, policy: Policy) -> None:
        """A room opens with ``policy``: its protocol, crisis lines and alert thresholds."""
        if self.desk is not None and self.desk.crises:
            return  # a panel still open keeps the protocol it was opened with
        self.desk = CrisisDesk(policy)

    # -- the facilitator ----------------------------------------------------------------

    def open(self, seat: str) -> bool:
        """Open the panel of the member in ``seat`` (again: the same one). False when
        nobody else sits there, or no room is open as facilitator."""
        session, desk = self._session, self.desk
        member = session.member(seat)
        if desk is None or member is None or member.is_self or not session.facilitator:
            return False
        self.names[seat] = member.name
        language = QLocale().name()
        self._carry(desk.open(member, at=self.wall(), language=language, asked=session.questions))
        self._timer.start()
        return True

    def tick_step(self, seat: str, step: str, done: bool = True) -> None:
        """Tick ``step`` of ``seat``'s protocol done now (or untick it)."""
        crisis = self.crisis(seat)
        if crisis is not None:
            self._carry(crisis.tick_step(step, self.wall(), done))

    def observe(self, seat: str, text: str, step: str | None = None) -> None:
        """What the facilitator observed, beside ``step`` (None: in general)."""
        crisis = self.crisis(seat)
        if crisis is not None:
            self._carry(crisis.observe(text, step))

    def use_resources(self, seat: str, ids: Iterable[str]) -> None:
        """The crisis lines used (called, texted, given), by id."""
        crisis = self.crisis(seat)
        if crisis is not None:
            self._carry(crisis.use_resources(ids))

    def refer(self, seat: str, ids: Iterable[str]) -> None:
        """The lines the person was referred to, by id."""
        crisis = self.crisis(seat)
        if crisis is not None:
            self._carry(crisis.refer(ids))

    def set_outcome(self, seat: str, outcome: Outcome | None) -> None:
        """How the crisis ended (None: not said yet)."""
        crisis = self.crisis(seat)
        if crisis is not None:
            self._carry(crisis.set_outcome(outcome))

    async def close(self, seat: str) -> CrisisIncident | None:
        """Close ``seat``'s panel: its incident goes to the log with its note (the kept
        record; None: nothing open, or the log refused it)."""
        if self.desk is None:
            return None
        kept = await self._apply(self.desk.close(seat, self.wall()))
        if not self.open_seats():
            self._timer.stop()
        return kept[0] if kept else None

    async def close_all(self) -> None:
        """The session ends: every open panel closes, its incident kept."""
        if self.desk is not None:
            await self._apply(self.desk.close_all(self.wall()))
        self._timer.stop()

    def dropped_call_done(self, seat: str) -> None:
        """The facilitator dealt with ``seat``'s dropped call (the technical-problem plan)."""
        session = self._session
        session.outputs.show(session.room.dropped_call_done(seat))

    # -- what the room learns ---------------------------------------------------------

    def link(self, seat: str, state: PeerState) -> None:
        """The media link to ``seat`` is now ``state``."""
        if self.desk is not None:
            self._carry(self.desk.link(seat, state, self.wall()))

    def unseated(self, seat: str, reason: str) -> None:
        """``seat`` is gone (``reason``: a ``LeftReason``): its panel stays open, says so."""
        if self.desk is not None:
            self._carry(self.desk.unseated(seat, cast(LeftReason, reason), self.wall()))

    def seated(self, seat: str) -> None:
        """``seat`` was taken: a member's panel follows them from a seat that expired."""
        member = self._session.member(seat)
        if self.desk is not None and member is not None:
            self._carry(self.desk.seated(member, self.wall()))

    def tick(self) -> None:
        """The clock (every second while a panel is open): silence and freeze."""
        if self.desk is not None:
            session = self._session
            room = session.room
            apart = room.side.blocked_for(room.self_seat, room.seats.members)
            self._carry(self.desk.tick(session.members, self.clock(), apart))

    # -- carrying out -----------------------------------------------------------------

    def _carry(self, outputs: list[CrisisOutput]) -> None:
        """Show at once; write to the log in the background, in order."""
        self._show(outputs)
        if any(isinstance(out, Journal | KeepIncident) for out in outputs):
            spawn(self._write(outputs))

    async def _apply(self, outputs: list[CrisisOutput]) -> list[CrisisIncident | None]:
        self._show(outputs)
        return await self._write(outputs)

    def _show(self, outputs: list[CrisisOutput]) -> None:
        for out in outputs:
            match out:
                case CrisisChanged(seat):
                    self.changed.emit(seat)
                case CrisisAlert():
                    self.alerted.emit(out)
                case CrisisAlertCleared(seat):
                    self.changed.emit(seat)
                case Journal() | KeepIncident():
                    pass  # written by _write
                case _:
                    assert_never(out)

    async def _write(self, outputs: list[CrisisOutput]) -> list[CrisisIncident | None]:
        kept: list[CrisisIncident | None] = []
        for out in outputs:
            if isinstance(out, Journal):
                await self._session.outputs.journal(out.entry)
            elif isinstance(out, KeepIncident):
                incident = out.incident
                result = await self._keep(incident)
                kept.append(result)
                self.kept.emit(incident.seat, result)
        return kept

    async def _keep(self, incident: Incident) -> CrisisIncident | None:
        """The incident and its note, in the log (through the record's queue)."""
        session, policy = self._session, self.policy
        record = session.record
        if record is None or policy is None:
            log.warning("a crisis incident could not be kept: no session log")
            return None
        name = session.member_name(incident.member) if incident.member is not None else ""
        note = incident_note(
            incident,
            language_of(QLocale().name()),
            name=name or self.names.get(incident.seat, ""),
            protocol=policy.crisis_protocol,
            directory=policy.crisis_resources,
        )
        session_id, log_ = session.session_id, record.log
        return await record.call(lambda: log_.add_incident(session_id, incident, note=note))
