"""What the session log keeps of a live session: journal events, attendance (on the call,
or marked present in the room of a hybrid session), and what each participant answered
before admission. No Qt.

Events carry ids, never names: the seat the server gave (a random id that
means nothing outside the room) and the group member's id in the log. Every
write is awaited in the order things happened; a refused write is counted and
reported, and the session goes on with what was saved before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, assert_never

from groupdesk.core.journal_kinds import (
    JournalEntry,
    RoomClose,
    RoomOpen,
    SeatJoin,
    SeatLeave,
    SeatLeaveKind,
)
from groupdesk.core.models import Attendance, ConsentMethod, Member, ParticipantAnswers, Session
from groupdesk.core.session.checklist import Previous
from groupdesk.core.session.room_events import (
    AnswersKept,
    ConsentGiven,
    IdentityMarked,
    Journal,
    LogOutput,
    StayClosed,
    StayOpened,
)

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog

log = logging.getLogger(__name__)

_T = TypeVar("_T")


class LiveRecord:
    """The journal and attendance of one live session in the log."""

    def __init__(
        self, log_: SessionLog, session_id: int, on_failure: Callable[[], None] | None = None
    ) -> None:
        self.log = log_
        self.session_id = session_id
        self.failures = 0
        self._on_failure = on_failure
        self._present: dict[str, tuple[int, int | None]] = {}
        """Seats whose stay is open in the attendance: the stay's id, and the member id
        (None: a guest)."""
        self._tail: asyncio.Future[Any] | None = None
        """The last operation queued: each runs after the one before, in the order asked."""
        self._ended = False
        self.session: Session | None = None
        """The session as the log holds it (known once ``plan`` read it)."""
        self._in_room: dict[int, Attendance] = {}
        """Members marked present in the room (hybrid): member id -> their open stay."""

    def _queued(self, make: Callable[[], Awaitable[_T]]) -> Awaitable[_T]:
        """Run ``make`` after every operation asked for before it, even if the caller is
        cancelled meanwhile (a hang-up cancels the connection's handler mid-write: the
        stay it was opening must still be known to the end that closes it)."""
        previous = self._tail

        async def run() -> _T:
            if previous is not None:
                await asyncio.wait([previous])
            return await make()

        task = asyncio.ensure_future(run())
        self._tail = task
        return asyncio.shield(task)

    async def call(self, make: Callable[[], Awaitable[_T]]) -> _T | None:
        """Await one log call, in turn; None when it failed (counted and reported)."""
        return await self._queued(lambda: self._call(make))

    async def plan(self) -> tuple[Session, list[Member], list[int]] | None:
        """What the log holds before the room opens: the session, its group's members and
        those expected (None: the log failed, or has no such session)."""
        log_, session_id = self.log, self.session_id
        sessions = await self.call(log_.list_sessions)
        session = next((s for s in sessions or [] if s.id == session_id), None)
        if session is None:
            return None
        self.session = session
        roster = await self.call(lambda: log_.list_members(session.group_id)) or []
        expected = await self.call(lambda: log_.expected_members(session_id)) or []
        return session, roster, expected

    async def attendance(self) -> list[Attendance]:
        """Every stay in the session, as the log recorded it (empty: the log failed)."""
        log_, session_id = self.log, self.session_id
        return list(await self.call(lambda: log_.attendance(session_id)) or [])

    async def _call(self, make: Callable[[], Awaitable[_T]]) -> _T | None:
        try:
            return await make()
        except Exception:
            log.exception("the session log refused a live-session record")
            self.failures += 1
            if self._on_failure is not None:
                self._on_failure()
            return None

    async def _journal(self, entry: JournalEntry) -> None:
        log_, session_id = self.log, self.session_id
        await self._call(lambda: log_.append_event(session_id, entry))

    def _after_end(self, what: str) -> bool:
        if self._ended:
            log.info("not recorded after the end of the session: %s", what)
        return self._ended

    async def journal(self, entry: JournalEntry) -> None:
        """Append one event to the session's journal (nothing once the session has ended)."""

        async def write() -> None:
            if not self._after_end(entry.kind):
                await self._journal(entry)

        await self._queued(write)

    async def write(self, out: LogOutput) -> None:
        """Write what the room's core asks of the log: a journal entry, a stay, the
        answers of someone admitted, a consent given on the page, an identity mark."""
        log_, session_id = self.log, self.session_id
        match out:
            case Journal(entry):
                await self.journal(entry)
            case StayOpened(seat, member, at, guest_name):
                await self.joined(seat, member, at, guest_name=guest_name)
            case StayClosed(seat, member, reason):
                await self.left(seat, member, reason)
            case AnswersKept():
                kept = _answers(session_id, out)
                await self.call(lambda: log_.add_participant_answers(kept))
            case ConsentGiven(member, version, at):
                await self.call(
                    lambda: log_.record_consent(
                        member, version, ConsentMethod.PAGE, at, session_id=session_id
                    )
                )
            case IdentityMarked(seat, verified):
                await self.call(lambda: log_.set_identity_verified(session_id, seat, verified))
            case _:
                assert_never(out)

    async def previous(self, member: int) -> Previous | None:
        """The member's answers at their latest earlier session (None: none, or the log
        failed)."""
        log_, session_id = self.log, self.session_id
        found = await self.call(lambda: log_.previous_answers(member, session_id))
        if found is None:
            return None
        return Previous(member, dict(found.answers), found.answered_at)

    async def started(self, when: datetime, embedded: bool) -> None:
        """The room is open: the session's actual start."""
        log_, session_id = self.log, self.session_id

        async def write() -> None:
            await self._call(lambda: log_.start_session(session_id, when))
            await self._journal(RoomOpen("room.opened", embedded=embedded))

        await self._queued(write)

    async def joined(
        self, seat: str, member_id: int | None, when: datetime, guest_name: str = ""
    ) -> None:
        """Someone took a seat: their stay opens in the attendance, as the group member
        they were admitted as, or else as a guest under the name they declared."""
        log_, session_id = self.log, self.session_id
        guest = member_id is None

        async def write() -> None:
            if self._after_end("member.joined"):
                return
            stay = await self._call(
                lambda: log_.record_join(
                    session_id, member_id, when, guest_name=guest_name if guest else ""
                )
            )
            if stay is not None:
                self._present[seat] = (stay.id, member_id)
            # A guest's name is in the attendance, never in the journal.
            await self._journal(SeatJoin("member.joined", seat, member_id, guest=guest or None))

        await self._queued(write)

    async def left(self, seat: str, member_id: int | None, reason: str) -> None:
        """Someone's seat is gone (left, removed, expired): their stay closes."""
        log_, session_id = self.log, self.session_id

        async def write() -> None:
            if self._after_end("member.left"):
                return
            present = self._present.pop(seat, None)
            if present is not None:
                stay_id = present[0]
                await self._call(lambda: log_.close_stay(session_id, stay_id))
            kind: SeatLeaveKind = "member.removed" if reason == "removed" else "member.left"
            await self._journal(SeatLeave(kind, seat, member_id, reason))

        await self._queued(write)

    @property
    def in_room(self) -> frozenset[int]:
        """The members marked present in the room whose stay is open (ids)."""
        return frozenset(self._in_room)

    async def mark_in_room(self, member_id: int, when: datetime, present: bool = True) -> bool:
        """The facilitator marked a member present in the room at ``when`` (a stay opens,
        ``in_room``), or no longer there (``present`` False: their stay closes). False when
        nothing changed (already so, the session has ended, or the log refused)."""
        log_, session_id = self.log, self.session_id

        async def write() -> bool:
            if self._after_end("in the room"):
                return False
            if present:
                if member_id in self._in_room:
                    return False
                stay = await self._call(
                    lambda: log_.record_join(session_id, member_id, when, in_room=True)
                )
                if stay is None:
                    return False
                self._in_room[member_id] = stay
                return True
            open_stay = self._in_room.pop(member_id, None)
            if open_stay is None:
                return False
            until = max(when, open_stay.joined_at)
            closed = await self._call(lambda: log_.close_stay(session_id, open_stay.id, until))
            return closed is not None

        return await self._queued(write)

    async def ended(self, when: datetime, summary: RoomClose) -> None:
        """The session ended: every open stay closes, the summary, then the actual end."""
        log_, session_id = self.log, self.session_id

        async def write() -> None:
            if self._after_end("the end"):
                return
            self._ended = True
            for seat, (stay_id, member_id) in list(self._present.items()):
                await self._call(partial(log_.close_stay, session_id, stay_id, when))
                await self._journal(SeatLeave("member.left", seat, member_id, "ended"))
            self._present.clear()
            for stay in list(self._in_room.values()):  # present in the room until the end
                until = max(when, stay.joined_at)
                await self._call(partial(log_.close_stay, session_id, stay.id, until))
            self._in_room.clear()
            # The room's summary; then the log records the end itself ("session.ended").
            await self._journal(summary)
            await self._call(lambda: log_.end_session(session_id, when))

        await self._queued(write)


def _answers(session_id: int, kept: AnswersKept) -> ParticipantAnswers:
    return ParticipantAnswers(
        id=1,  # the log gives the row its own
        session_id=session_id,
        seat=kept.seat,
        answers=kept.answers,
        asked=kept.asked,
        answered_at=kept.at,
        member_id=kept.member,
        guest_name=kept.guest_name,
        unmet=kept.unmet,
        override_reason=kept.override_reason,
        identity_verified=kept.identity_verified,
        from_previous=kept.from_previous,
    )
