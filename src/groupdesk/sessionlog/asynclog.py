"""``SessionLog``: the async session log for the UI, one writer thread, no SQL on the caller's.

Every call is a ``Store`` call run on a single-thread executor: that thread
owns the connection, so it is the one writer, and the asyncio (qasync) loop
only awaits results.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
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
    NoteAddendum,
    NoteDraft,
    NoteRevision,
    ParticipantAnswers,
    Referral,
    Session,
    SessionKind,
)
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import record_export
from groupdesk.sessionlog.db import SessionCounts, Store, VerifyReport
from groupdesk.sessionlog.errors import LogLocked
from groupdesk.sessionlog.notes import NoteHit
from groupdesk.sessionlog.record_export import ExportSettings, RecordExport, What
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS, PurgePreview, PurgeReport

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
        kind: SessionKind | str = SessionKind.GROUP,
    ) -> Session:
        """Plan a session, with the members expected at it (one-to-one: exactly one)."""
        return await self._call(
            self._store.create_session,
            group_id,
            planned_start,
            planned_end,
            modality,
            facilitators,
            expected_member_ids=expected_member_ids,
            kind=kind,
        )

    async def get_session(self, session_id: int) -> Session:
        """One session."""
        return await self._call(self._store.get_session, session_id)

    async def group_attendance(self, group_id: int) -> dict[int, list[Attendance]]:
        """Every stay in every session of a group, by session id."""
        return await self._call(self._store.group_attendance, group_id)

    async def group_expected(self, group_id: int) -> dict[int, list[int]]:
        """The members expected at each session of a group, by session id."""
        return await self._call(self._store.group_expected, group_id)

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
        in_room: bool = False,
    ) -> Attendance:
        """A member (or a guest, by the name they declared: ``member_id`` None) joined, on
        the call or (``in_room``) present in the room of a hybrid session."""
        return await self._call(
            self._store.record_join,
            session_id,
            member_id,
            when,
            guest_name=guest_name,
            in_room=in_room,
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

    async def build_export(
        self, what: What, row: int, settings: ExportSettings, now: datetime
    ) -> RecordExport:
        """A record to export (see ``record_export.build_export``), read on the writer
        thread: anchored at the journal's head as it is then."""
        return await self._call(record_export.build_export, self._store, what, row, settings, now)

    async def latest_session(self) -> int:
        """The session held most recently (``NoHeldSession`` when none was)."""
        return await self._call(record_export.latest_session, self._store)

    async def journal_head(self) -> tuple[int, str]:
        """The journal's head: last sequence number and its hash in hexadecimal."""
        return await self._call(self._store.journal_head)

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
        template: str = "",
    ) -> Note:
        """Write a new note (revision 1), started from ``template`` or not."""
        return await self._call(
            self._store.add_note,
            group_id,
            body,
            session_id=session_id,
            member_id=member_id,
            template=template,
        )

    async def revise_note(self, note_id: int, body: str) -> Note:
        """Keep a new text for a note (a revision; its draft is done with)."""
        return await self._call(self._store.revise_note, note_id, body)

    async def get_note(self, note_id: int) -> Note:
        """One note."""
        return await self._call(self._store.get_note, note_id)

    async def save_draft(self, note_id: int, body: str) -> NoteDraft:
        """Autosave the text being typed in a note."""
        return await self._call(self._store.save_draft, note_id, body)

    async def note_draft(self, note_id: int) -> NoteDraft | None:
        """The note's autosaved text not yet kept, or None."""
        return await self._call(self._store.note_draft, note_id)

    async def note_drafts(self) -> list[NoteDraft]:
        """Every autosaved text not yet kept."""
        return await self._call(self._store.note_drafts)

    async def keep_draft(self, note_id: int) -> Note:
        """Keep the note's autosaved text as a revision."""
        return await self._call(self._store.keep_draft, note_id)

    async def sign_note(self, note_id: int, signer: str) -> Note:
        """Sign a note: its text is then fixed."""
        return await self._call(self._store.sign_note, note_id, signer)

    async def add_addendum(self, note_id: int, body: str, author: str) -> NoteAddendum:
        """A dated addendum to a signed note."""
        return await self._call(self._store.add_addendum, note_id, body, author)

    async def note_addenda(self, note_id: int) -> list[NoteAddendum]:
        """A note's addenda, oldest first."""
        return await self._call(self._store.note_addenda, note_id)

    async def list_notes(
        self,
        *,
        group_id: int | None = None,
        session_id: int | None = None,
        member_id: int | None = None,
    ) -> list[Note]:
        """Notes of a group, a session and/or a member."""
        return await self._call(
            self._store.list_notes, group_id=group_id, session_id=session_id, member_id=member_id
        )

    async def search_note_hits(
        self,
        query: str,
        *,
        group_id: int | None = None,
        member_id: int | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 100,
    ) -> list[NoteHit]:
        """Full-text search over notes and addenda, with filters and excerpts."""
        return await self._call(
            self._store.search_note_hits,
            query,
            group_id=group_id,
            member_id=member_id,
            since=since,
            until=until,
            limit=limit,
        )

    async def add_referral(self, given: Referral) -> Referral:
        """Keep a referral of a member to a resource."""
        return await self._call(self._store.add_referral, given)

    async def referrals(
        self, *, member_id: int | None = None, session_id: int | None = None
    ) -> list[Referral]:
        """Referrals of a member and/or made at a session."""
        return await self._call(self._store.referrals, member_id=member_id, session_id=session_id)

    async def note_history(self, note_id: int) -> list[NoteRevision]:
        """Every saved text of a note."""
        return await self._call(self._store.note_history, note_id)

    async def search_notes(self, query: str, group_id: int | None = None) -> list[Note]:
        """Full-text search over notes."""
        return await self._call(self._store.search_notes, query, group_id)

    async def verify(self) -> VerifyReport:
        """Integrity checks plus the journal's hash chain."""
        return await self._call(self._store.verify)

    async def purge_preview(
        self, now: datetime | None = None, retention_years: int = DEFAULT_RETENTION_YEARS
    ) -> PurgePreview:
        """What ``purge`` would delete now, changing nothing."""
        return await self._call(self._store.purge_preview, now, retention_years)

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
