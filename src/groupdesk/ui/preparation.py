"""Preparing a session: the plan goes to the log, and the room is asked for.

``Preparation`` belongs to the workspace (``Workspace.preparation``): it creates
the session with its expected members, saves the facilitator's checklist,
journals both, and emits ``open_room_requested`` -- the hook the live-session
screen wires to the signalling server. Nothing here fakes a server.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.journal_kinds import ChecklistKind, ChecklistResult, SessionPrepared
from groupdesk.core.models import Member, Session
from groupdesk.core.session_plan import FACILITATOR_CHECKLIST, SessionPlan
from groupdesk.sessionlog import SessionLog
from groupdesk.ui.widgets import by_name

if TYPE_CHECKING:
    from groupdesk.ui.workspace import Workspace

log = logging.getLogger(__name__)

_T = TypeVar("_T")


class Preparation(QObject):
    """The session being prepared, and the request to open its room.

    Signals:
        ``session_prepared(int)``: a session was prepared (its id); ``prepared`` holds it.
        ``prepare_failed()``: preparing failed; ``error`` says why.
        ``open_room_requested(int)``: the facilitator asked to open the room of the
        prepared session (its id). Whoever can open rooms (the live-session screen,
        wired to the server) connects to it and sets ``rooms_available``.
    """

    session_prepared = Signal(int)
    prepare_failed = Signal()
    open_room_requested = Signal(int)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.prepared: Session | None = None
        self.error: GroupDeskError | None = None
        #: Set by whoever can open rooms (the live-session screen, wired to the server).
        self.rooms_available = False

    async def members_of(self, group_id: int) -> list[Member]:
        """The active members of a group."""
        log_ = self.workspace.log
        if log_ is None:
            return []
        members = await self._attempt(lambda: log_.list_members(group_id)) or []
        return by_name(list(members), lambda member: member.display_name)

    async def last_facilitator(self) -> str:
        """The name the facilitator used last time, to fill the form."""
        log_ = self.workspace.log
        if log_ is None:
            return ""
        sessions = await self._attempt(log_.list_sessions) or []
        for session in sorted(sessions, key=lambda s: s.id, reverse=True):
            if session.facilitators:
                return session.facilitators[0]
        return ""

    async def prepare(self, plan: SessionPlan, max_group_size: int) -> Session | None:
        """Create the session with its expected members, save the checklist, journal both."""
        log_ = self.workspace.log
        if log_ is None or plan.group_id is None or plan.problems():
            return None
        group_id = plan.group_id
        self.error = None
        session = await self._attempt(
            lambda: log_.create_session(
                group_id,
                plan.start,
                plan.end,
                plan.modality,
                plan.facilitators,
                expected_member_ids=plan.expected_member_ids,
                kind=plan.kind,
            )
        )
        if session is None:
            self.prepare_failed.emit()
            return None
        saved = await self._attempt(lambda: _prepared_records(log_, session, plan, max_group_size))
        self.prepared = session
        await self.workspace.reload_sessions()
        if saved is None:
            self.prepare_failed.emit()  # the session exists; the page says the rest failed
            return session
        self.session_prepared.emit(session.id)
        return session

    async def request_open_room(self, answers: dict[str, bool]) -> bool:
        """Save the checklist as it is now, then ask for the prepared session's room.

        False when no session is prepared or nothing can open rooms yet.
        """
        log_ = self.workspace.log
        if log_ is None or self.prepared is None or not self.rooms_available:
            return False
        session_id = self.prepared.id
        saved = await self._attempt(
            lambda: log_.add_checklist_result(session_id, FACILITATOR_CHECKLIST, answers)
        )
        if saved is None:
            self.prepare_failed.emit()
            return False
        if saved.complete:
            await self._attempt(
                lambda: log_.append_event(
                    session_id, ChecklistResult("checklist.completed", FACILITATOR_CHECKLIST)
                )
            )
        self.open_room_requested.emit(session_id)
        return True

    async def _attempt(self, make: Callable[[], Awaitable[_T]]) -> _T | None:
        """Await ``make()``; on failure keep the error for the page and return None."""
        try:
            return await make()
        except GroupDeskError as raised:
            self.error = raised
        except Exception:  # the page must show a message, never crash
            log.exception("unexpected failure while preparing a session")
            self.error = GroupDeskError()
        return None


async def _prepared_records(
    log_: SessionLog, session: Session, plan: SessionPlan, max_group_size: int
) -> bool:
    """The checklist answers and the journal events of a newly prepared session."""
    answers = dict(plan.checklist)
    await log_.add_checklist_result(session.id, FACILITATOR_CHECKLIST, answers)
    expected = len(plan.expected_member_ids)
    prepared = SessionPrepared(
        "session.prepared",
        group=session.group_id,
        modality=str(session.modality),
        expected=expected,
        max_group_size=max_group_size,
        over_max=expected > max_group_size,
        co_facilitator=len(session.facilitators) > 1,
    )
    await log_.append_event(session.id, prepared)
    unchecked = sorted(item for item, done in answers.items() if not done)
    kind: ChecklistKind = (
        "checklist.incomplete" if unchecked or not answers else "checklist.completed"
    )
    result = ChecklistResult(kind, FACILITATOR_CHECKLIST, unchecked=tuple(unchecked))
    await log_.append_event(session.id, result)
    return True
