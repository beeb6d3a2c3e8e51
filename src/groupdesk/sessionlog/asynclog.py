"""``SessionLog``: the async session log for the UI, one writer thread, no SQL on the caller's.

Every call is a ``Store`` call run on a single-thread executor: that thread
owns the connection, so it is the one writer, and the asyncio (qasync) loop
only awaits results.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from groupdesk.core.journal_kinds import JournalEntry
from groupdesk.core.models import (
    Attendance,
    ChecklistResult,
    Consent,
    ConsentMethod,
    CrisisIncident,
    Group,
    JournalEvent,
    Member,
    Modality,
    Note,
    NoteRevision,
    ParticipantAnswers,
    Session,
)
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog.db import SessionCounts, Store, VerifyReport
from groupdesk.sessionlog.errors import LogLocked
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS, PurgeReport

P = ParamSpec("P")
T = TypeVar("T")


class SessionLog:
    """The async session log for the UI: every call runs on the one writer thread."""

    def __init__(self, store: Store, executor: ThreadPoolExecutor) -> None:
        self._store = store
        self._executor = executor
        self._closed = False

    @classmethod
    async def open(cls, data_dir: Path, key: bytes, *, create: bool = True) -> SessionLog:
        """Open (or create) the log: integrity gate and migrations run off the UI thread."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-sessionlog")
        loop = asyncio.get_running_loop()
        try:
            store = await loop.run_in_executor(
                executor, partial(Store.open, Path(data_dir), key, create=create)
            )
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(store, executor)

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._closed:
            raise LogLocked()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every call then raises ``LogLocked``."""
        return self._closed

    async def close(self) -> None:
        """Close the database (SQLCipher wipes its copy of the key), stop the writer thread."""
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        self._closed = True
        try:
            await loop.run_in_executor(self._executor, self._store.close)
        finally:
            self._executor.shutdown(wait=True)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._store.path

    async def create_group(self, name: str, description: str = "") -> Group:
        """A new group."""
        return await self._call(self._store.create_group, name, description)

    async def update_group(
        self, group_id: int, *, name: str | None = None, description: str | None = None
    ) -> Group:
        """Rename a group or change its description."""
        return await self._call(
            self._store.update_group, group_id, name=name, description=description
        )

    async def archive_group(self, group_id: int, archived: bool = True) -> Group:
        """Archive (or bring back) a group."""
        return await self._call(self._store.archive_group, group_id, archived)

    async def list_groups(self, include_archived: bool = False) -> list[Group]:
        """Groups by name."""
        return await self._call(self._store.list_groups, include_archived)

    async def add_member(self, group_id: int, display_name: str, **fields: Any) -> Member:
        """A new member of a group."""
        return await self._call(self._store.add_member, group_id, display_name, **fields)

    async def update_member(self, member_id: int, **changes: Any) -> Member:
        """Change some fields of a member."""
        return await self._call(self._store.update_member, member_id, **changes)

    async def archive_member(self, member_id: int, archived: bool = True) -> Member:
        """Archive (or bring back) a member."""
        return await self._call(self._store.archive_member, member_id, archived)

    async def list_members(self, group_id: int, include_archived: bool = False) -> list[Member]:
        """The members of a group (archived ones too if asked)."""
        return await self._call(self._store.list_members, group_id, include_archived)

    async def record_consent(
        self,
        member_id: int,
        version: str,
        method: ConsentMethod | str,
        given_at: datetime | None = None,
        *,
        session_id: int | None = None,
    ) -> Consent:
        """Record a member's consent to ``version`` of the text (journalled, ids only)."""
        return await self._call(
            self._store.record_consent,
            member_id,
            version,
            method,
            given_at,
            session_id=session_id,
        )

    async def consents(self, member_id: int) -> list[Consent]:
        """Every consent of a member, oldest first."""
        return await self._call(self._store.consents, member_id)

    async def latest_consent(self, member_id: int) -> Consent | None:
        """A member's latest consent, or None."""
        given = await self._call(self._store.consents, member_id)
        return given[-1] if given else None

    async def latest_consents(self, group_id: int) -> dict[int, Consent]:
        """The latest consent of each member of a group who has one, by member id."""
        return await self._call(self._store.latest_consents, group_id)

    async def without_consent(self, group_id: int, version: str) -> list[Member]:
        """The group's members who have not consented to ``version`` (or withdrew)."""
        return await self._call(self._store.without_consent, group_id, version)

    async def create_session(
        self,
        group_id: int,
        planned_start: datetime,
        planned_end: datetime,
        modality: Modality | str = Modality.REMOTE,
        facilitators: Sequence[str] = (),
        *,
        expected_member_ids: Sequence[int] = (),
    ) -> Session:
        """Plan a session, with the members expected at it."""
        return await self._call(
            self._store.create_session,
            group_id,
            planned_start,
            planned_end,
            modality,
            facilitators,
            expected_member_ids=expected_member_ids,
        )

    async def expected_members(self, session_id: int) -> list[int]:
        """The ids of the members expected at a session."""
        return await self._call(self._store.expected_members, session_id)

    async def session_counts(self, group_id: int | None = None) -> dict[int, SessionCounts]:
        """Expected and attending members per session (of one group, or all)."""
        return await self._call(self._store.session_counts, group_id)

    async def start_session(self, session_id: int, when: datetime | None = None) -> Session:
        """Record the actual start."""
        return await self._call(self._store.start_session, session_id, when)

    async def end_session(self, session_id: int, when: datetime | None = None) -> Session:
        """Record the actual end."""
        return await self._call(self._store.end_session, session_id, when)

    async def list_sessions(self, group_id: int | None = None) -> list[Session]:
        """Sessions by planned start."""
        return await self._call(self._store.list_sessions, group_id)

    async def record_join(
        self,
        session_id: int,
        member_id: int | None,
        when: datetime | None = None,
        *,
        guest_name: str = "",
    ) -> Attendance:
        """A member (or a guest, by the name they declared: ``member_id`` None) joined."""
        return await self._call(
            self._store.record_join, session_id, member_id, when, guest_name=guest_name
        )

    async def record_leave(
        self, session_id: int, member_id: int, when: datetime | None = None
    ) -> Attendance:
        """A member left a session."""
        return await self._call(self._store.record_leave, session_id, member_id, when)

    async def close_stay(
        self, session_id: int, stay_id: int, when: datetime | None = None
    ) -> Attendance:
        """One stay (a member's or a guest's) in a session ends."""
        return await self._call(self._store.close_stay, session_id, stay_id, when)

    async def attendance(self, session_id: int) -> list[Attendance]:
        """Every stay in a session."""
        return await self._call(self._store.attendance, session_id)

    async def append_event(self, session_id: int | None, entry: JournalEntry) -> JournalEvent:
        """Append one event to the journal (one of the catalogue's entries)."""
        return await self._call(self._store.append_event, session_id, entry)

    async def journal(self, session_id: int | None = None) -> list[JournalEvent]:
        """The journal of one session (or all of it)."""
        return await self._call(self._store.journal, session_id)

    async def add_checklist_result(
        self,
        session_id: int,
        checklist: str,
        answers: Mapping[str, bool],
        member_id: int | None = None,
    ) -> ChecklistResult:
        """Record the answers to a checklist."""
        return await self._call(
            self._store.add_checklist_result, session_id, checklist, answers, member_id
        )

    async def checklist_results(self, session_id: int) -> list[ChecklistResult]:
        """The checklist results of a session."""
        return await self._call(self._store.checklist_results, session_id)

    async def add_participant_answers(self, given: ParticipantAnswers) -> ParticipantAnswers:
        """Keep what a person answered when admitted (see ``Store.add_participant_answers``)."""
        return await self._call(self._store.add_participant_answers, given)

    async def participant_answers(self, session_id: int) -> list[ParticipantAnswers]:
        """Everyone's answers at a session, in the order they were admitted."""
        return await self._call(self._store.participant_answers, session_id)

    async def previous_answers(
        self, member_id: int, before_session: int
    ) -> ParticipantAnswers | None:
        """A member's answers at their latest other session, or None."""
        return await self._call(self._store.previous_answers, member_id, before_session)

    async def set_identity_verified(self, session_id: int, seat: str, verified: bool) -> bool:
        """Mark the identity of whoever was admitted in ``seat`` verified (or not)."""
        return await self._call(self._store.set_identity_verified, session_id, seat, verified)

    async def add_incident(
        self, session_id: int, incident: Incident, note: str | None = None
    ) -> CrisisIncident:
        """Keep the incident record a crisis panel closed with (journalled: its id), and
        ``note``, its words, in the session's notes."""
        return await self._call(self._store.add_incident, session_id, incident, note)

    async def incidents(self, session_id: int) -> list[CrisisIncident]:
        """The crisis incidents of a session, in the order they opened."""
        return await self._call(self._store.incidents, session_id)

    async def add_note(
        self,
        group_id: int,
        body: str,
        *,
        session_id: int | None = None,
        member_id: int | None = None,
    ) -> Note:
        """Write a new note."""
        return await self._call(
            self._store.add_note, group_id, body, session_id=session_id, member_id=member_id
        )

    async def revise_note(self, note_id: int, body: str) -> Note:
        """Save a new text for a note."""
        return await self._call(self._store.revise_note, note_id, body)

    async def note_history(self, note_id: int) -> list[NoteRevision]:
        """Every saved text of a note."""
        return await self._call(self._store.note_history, note_id)

    async def search_notes(self, query: str, group_id: int | None = None) -> list[Note]:
        """Full-text search over notes."""
        return await self._call(self._store.search_notes, query, group_id)

    async def verify(self) -> VerifyReport:
        """Integrity checks plus the journal's hash chain."""
        return await self._call(self._store.verify)

    async def purge(
        self, now: datetime | None = None, retention_years: int = DEFAULT_RETENTION_YEARS
    ) -> PurgeReport:
        """Delete what is past the retention period, journal it, then VACUUM."""
        return await self._call(self._store.purge, now, retention_years)

    async def backup(self, path: Path) -> Path:
        """Write an encrypted backup to ``path`` (never overwrites a file)."""
        return await self._call(self._store.backup, path)

    async def stats(self) -> dict[str, int]:
        """Counts only, never content."""
        return await self._call(self._store.stats)
