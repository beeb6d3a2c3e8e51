"""The session log's ``Store``: the open database, used from one thread.

``Store`` owns the sqlcipher3 connection and must stay on the thread that
opened it (the command line uses it directly; ``asynclog.SessionLog`` runs it
on one dedicated writer thread for the UI).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from groupdesk.core.i18n import tr
from groupdesk.core.journal_kinds import ConsentRecorded, CrisisRecord, JournalEntry, SessionMark
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
from groupdesk.sessionlog import (
    answers,
    consents,
    coverage,
    incidents,
    journal,
    notes,
    records,
    referrals,
    retention,
)
from groupdesk.sessionlog.anchor import Anchoring, Finding, check_triggers
from groupdesk.sessionlog.backup import write_backup
from groupdesk.sessionlog.connection import PAGE_SIZE, connect, file_salt, integrity_gate
from groupdesk.sessionlog.errors import KeystoreDamaged, NoLogYet, WrongKey
from groupdesk.sessionlog.keys import KeyStore, key_check
from groupdesk.sessionlog.migrations import LATEST, migrate
from groupdesk.sessionlog.notes import NoteHit
from groupdesk.sessionlog.paths import create_private_file, db_path, ensure_private_dir, fsync_dir
from groupdesk.sessionlog.records import SessionCounts
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS, PurgePreview, PurgeReport

log = logging.getLogger(__name__)


COUNTED_TABLES = (
    "groups",
    "members",
    "consents",
    "sessions",
    "expected_members",
    "attendance",
    "journal",
    "checklist_results",
    "participant_answers",
    "crisis_incidents",
    "notes",
    "note_revisions",
    "note_addenda",
    "note_drafts",
    "referrals",
)

#: The version whose migration starts covering notes and attendance in the journal.
_COVERAGE_VERSION = 9


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The result of ``verify``: integrity checks plus the journal's hash chain."""

    ok: bool
    journal_rows: int
    integrity: str = "ok"
    bad_seq: int | None = None
    reason: str | None = None
    params: Mapping[str, Any] | None = None
    notes: tuple[Finding, ...] = ()

    def message(self, lang: str | None = None) -> str:
        """What a person reads: sound, or which row is bad and why."""
        if self.ok:
            said = tr("verify.ok", lang, rows=self.journal_rows)
            return "; ".join([said, *self.notes_text(lang)])
        if self.reason is None:
            return tr("verify.integrity_failed", lang, detail=self.integrity)
        params = {"seq": self.bad_seq, **dict(self.params or {})}
        if "where" in params:
            params["where"] = tr(f"verify.where.{params['where']}", lang)
        return tr(self.reason, lang, **params)

    def notes_text(self, lang: str | None = None) -> list[str]:
        """The benign things verify repaired or could not do (a lagging witness, no anchor)."""
        return [tr(n.reason, lang, seq=n.seq, **dict(n.params)) for n in self.notes]


def _create(path: Path, key: bytes) -> None:
    """Build the schema under a temporary name, then rename it into place.

    A crash at any moment leaves either no database or a complete one, never a
    half-made file that the gate would then (rightly) call damaged.
    """
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        leftover.unlink(missing_ok=True)
    create_private_file(tmp)
    conn = connect(tmp, key)
    try:
        migrate(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()  # the last connection removes the -wal and -shm
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # never replaces a database that appeared meanwhile
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def _adopt(conn: Any) -> None:
    """Journal the notes and stays written before the journal covered them (inside the
    transaction of the migration to version 9: a crash between the two would leave a
    version-9 log whose earlier rows verify as written outside the app, for good)."""
    count = coverage.adopt(conn, _now())
    log.info("journal now covers %d earlier records", count)


def _evidence(keystore: KeyStore) -> tuple[str | None, bytes | None]:
    """The key check value and database salt keystore.json records (none if it is damaged:
    a recovery key then opens the log without them, and the keystore is left as it is)."""
    try:
        return keystore.key_check(), keystore.db_salt()
    except KeystoreDamaged:
        return None, None


class Store:
    """The open database, used from one thread only."""

    def __init__(
        self, conn: Any, path: Path, key: bytes, clock: Callable[[], float] | None = None
    ) -> None:
        self._conn = conn
        # Kept for backups, which are encrypted under the same key; a bytearray so
        # that close() can overwrite this long-lived copy (the caller's ``key`` is an
        # immutable bytes object Python cannot wipe: dropping it is all one can do).
        self._key = bytearray(key)
        self.path = path
        self._anchoring = Anchoring(path.parent, key, file_salt(path), clock=clock)

    # -- opening and closing ----------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: Path,
        key: bytes,
        *,
        create: bool = True,
        expected_check: str | None = None,
        clock: Callable[[], float] | None = None,
    ) -> Store:
        """Open (or create) the log in ``data_dir`` behind the integrity gate, then migrate.

        ``expected_check`` defaults to the key check value in keystore.json; ``clock``
        (monotonic seconds) paces the journal anchor between explicit ones.
        """
        data_dir = Path(data_dir)
        path = db_path(data_dir)
        keystore = KeyStore(data_dir)
        recorded_check, salt = _evidence(keystore)
        if expected_check is None:
            expected_check = recorded_check
        if path.exists():
            integrity_gate(path, key, expected_check, salt)
        else:
            if not create:
                raise NoLogYet(path=str(data_dir))
            if expected_check is not None and key_check(key) != expected_check:
                raise WrongKey(path=str(path))
            _create(path, key)
            log.info("created a new session log")
        conn = connect(path, key)
        try:
            applied = migrate(conn, after={_COVERAGE_VERSION: _adopt})
            keystore.record_db_salt(key, file_salt(path))
        except BaseException:
            conn.close()
            raise
        if applied:
            log.info("session log migrated: versions %s", applied)
        store = cls(conn, path, key, clock)
        try:
            store._anchoring.start(conn, catch_up=bool(applied))
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Checkpoint the WAL into the file, close, and overwrite this object's key copy."""
        self._key[:] = bytes(len(self._key))
        if self._conn is None:
            return
        try:
            self._anchoring.anchor_now(self._conn)
        except (OSError, sqlcipher3.Error) as error:
            log.warning("journal not anchored at close: %s", type(error).__name__)
        with contextlib.suppress(Exception):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        self._conn.close()
        self._conn = None

    @property
    def connection(self) -> Any:
        """The raw connection (for retention and backup in this package)."""
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        # Outside the database, after it: the witness may lag it, never lead it.
        self._anchoring.after_commit(self._conn)

    def schema_version(self) -> int:
        """The schema version of the open database."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # -- groups -------------------------------------------------------------
    def create_group(self, name: str, description: str = "") -> Group:
        """A new group."""
        with self.transaction() as conn:
            return records.create_group(conn, name, description, _now())

    def update_group(
        self, group_id: int, *, name: str | None = None, description: str | None = None
    ) -> Group:
        """Rename a group or change its description."""
        with self.transaction() as conn:
            return records.update_group(conn, group_id, name=name, description=description)

    def archive_group(self, group_id: int, archived: bool = True) -> Group:
        """Archive (or bring back) a group."""
        with self.transaction() as conn:
            return records.archive_group(conn, group_id, archived)

    def list_groups(self, include_archived: bool = False) -> list[Group]:
        """Groups by name."""
        return records.list_groups(self._conn, include_archived)

    # -- members ------------------------------------------------------------
    def add_member(self, group_id: int, display_name: str, **fields: Any) -> Member:
        """A new member; other fields as keywords (pseudonym, phone, modality, consent...)."""
        with self.transaction() as conn:
            return records.add_member(
                conn, group_id, {"display_name": display_name, **fields}, _now()
            )

    def update_member(self, member_id: int, **changes: Any) -> Member:
        """Change some fields of a member."""
        with self.transaction() as conn:
            return records.update_member(conn, member_id, changes)

    def archive_member(self, member_id: int, archived: bool = True) -> Member:
        """Archive (or bring back) a member."""
        with self.transaction() as conn:
            return records.archive_member(conn, member_id, archived)

    def list_members(self, group_id: int, include_archived: bool = False) -> list[Member]:
        """The members of a group (archived ones too if asked)."""
        return records.list_members(self._conn, group_id, include_archived)

    # -- consents -----------------------------------------------------------
    def record_consent(
        self,
        member_id: int,
        version: str,
        method: ConsentMethod | str,
        given_at: datetime | None = None,
        *,
        session_id: int | None = None,
    ) -> Consent:
        """Record a member's consent to ``version`` of the text and journal it (ids only)."""
        now = _now()
        with self.transaction() as conn:
            consent = consents.record_consent(
                conn, member_id, version, method, given_at=given_at or now, now=now
            )
            group_id = records.get_member(conn, member_id).group_id
            entry = ConsentRecorded("member.consent_recorded", group_id, member_id, consent.id)
            journal.append(conn, session_id, entry, now)
            return consent

    def consents(self, member_id: int) -> list[Consent]:
        """Every consent of a member, oldest first."""
        return consents.consents(self._conn, member_id)

    def latest_consents(self, group_id: int) -> dict[int, Consent]:
        """The latest consent of each member of a group who has one, by member id."""
        return consents.latest_consents(self._conn, group_id)

    def without_consent(self, group_id: int, version: str) -> list[Member]:
        """The group's members who have not consented to ``version`` (or withdrew)."""
        return consents.without_consent(self._conn, group_id, version)

    # -- sessions and attendance --------------------------------------------
    def create_session(
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
        """Plan a session, with the members expected at it (members of its group); a
        one-to-one meeting (``kind`` individual) expects exactly one."""
        with self.transaction() as conn:
            return records.create_session(
                conn,
                group_id,
                planned_start,
                planned_end,
                modality=modality,
                facilitators=facilitators,
                expected_member_ids=expected_member_ids,
                kind=kind,
            )

    def expected_members(self, session_id: int) -> list[int]:
        """The ids of the members expected at a session."""
        return records.expected_members(self._conn, session_id)

    def session_counts(self, group_id: int | None = None) -> dict[int, SessionCounts]:
        """Expected and attending members per session (of one group, or all)."""
        return records.session_counts(self._conn, group_id)

    def start_session(self, session_id: int, when: datetime | None = None) -> Session:
        """Record the actual start, and journal it."""
        when = when or _now()
        with self.transaction() as conn:
            session = records.set_session_time(conn, session_id, "actual_start", when)
            journal.append(conn, session_id, SessionMark("session.started"), when)
            return session

    def end_session(self, session_id: int, when: datetime | None = None) -> Session:
        """Record the actual end, and journal it."""
        when = when or _now()
        with self.transaction() as conn:
            session = records.set_session_time(conn, session_id, "actual_end", when)
            journal.append(conn, session_id, SessionMark("session.ended"), when)
        self._anchoring.anchor_now(self._conn)
        return session

    def list_sessions(self, group_id: int | None = None) -> list[Session]:
        """Sessions by planned start."""
        return records.list_sessions(self._conn, group_id)

    def record_join(
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
        with self.transaction() as conn:
            return records.record_join(
                conn, session_id, member_id, when or _now(), guest_name, in_room=in_room
            )

    def record_leave(
        self, session_id: int, member_id: int, when: datetime | None = None
    ) -> Attendance:
        """A member left a session."""
        with self.transaction() as conn:
            return records.record_leave(conn, session_id, member_id, when or _now())

    def close_stay(self, session_id: int, stay_id: int, when: datetime | None = None) -> Attendance:
        """One stay (a member's or a guest's) in a session ends."""
        with self.transaction() as conn:
            return records.close_stay(conn, session_id, stay_id, when or _now())

    def attendance(self, session_id: int) -> list[Attendance]:
        """Every stay in a session."""
        return records.attendance(self._conn, session_id)

    def group_attendance(self, group_id: int) -> dict[int, list[Attendance]]:
        """Every stay in every session of a group, by session id."""
        return records.group_attendance(self._conn, group_id)

    def group_expected(self, group_id: int) -> dict[int, list[int]]:
        """The members expected at each session of a group, by session id."""
        return records.group_expected(self._conn, group_id)

    def get_session(self, session_id: int) -> Session:
        """One session."""
        return records.get_session(self._conn, session_id)

    # -- journal ------------------------------------------------------------
    def append_event(
        self, session_id: int | None, entry: JournalEntry, when: datetime | None = None
    ) -> JournalEvent:
        """Append one event to the hash-chained journal (committed when this returns); a
        kind or payload outside the catalogue raises ``JournalEntryError``."""
        with self.transaction() as conn:
            return journal.append(conn, session_id, entry, when or _now())

    def journal_anchor(self) -> tuple[int, str]:
        """The journal's head (seq, hash in hexadecimal), witnessed and anchored outside
        the database first: what a PDF export prints so paper carries it too."""
        seq, row_hash = self._anchoring.anchor_now(self._conn)
        return seq, row_hash.hex()

    def journal(self, session_id: int | None = None) -> list[JournalEvent]:
        """The journal of one session (or all of it)."""
        return journal.events(self._conn, session_id)

    def journal_head(self) -> tuple[int, str]:
        """The journal's head as the database holds it: the last sequence number and its
        hash in hexadecimal ((0, 64 zeros) before the first entry). An export prints it."""
        return journal.head(self._conn)

    # -- checklists and crises ------------------------------------------------
    def add_checklist_result(
        self,
        session_id: int,
        checklist: str,
        answers: Mapping[str, bool],
        member_id: int | None = None,
        completed_at: datetime | None = None,
    ) -> ChecklistResult:
        """Record the answers to a checklist."""
        with self.transaction() as conn:
            return records.add_checklist_result(
                conn,
                session_id,
                checklist,
                answers,
                completed_at=completed_at or _now(),
                member_id=member_id,
            )

    def checklist_results(self, session_id: int) -> list[ChecklistResult]:
        """The checklist results of a session."""
        return records.checklist_results(self._conn, session_id)

    # -- participants' answers before admission ------------------------------
    def add_participant_answers(self, given: ParticipantAnswers) -> ParticipantAnswers:
        """Keep what a person answered when admitted (their seat's row, replaced if the
        same seat is admitted again)."""
        with self.transaction() as conn:
            return answers.add_participant_answers(conn, given)

    def participant_answers(self, session_id: int) -> list[ParticipantAnswers]:
        """Everyone's answers at a session, in the order they were admitted."""
        return answers.participant_answers(self._conn, session_id)

    def previous_answers(self, member_id: int, before_session: int) -> ParticipantAnswers | None:
        """A member's answers at their latest other session, or None."""
        return answers.previous_answers(self._conn, member_id, before_session)

    def set_identity_verified(self, session_id: int, seat: str, verified: bool) -> bool:
        """Mark the identity of whoever was admitted in ``seat`` verified (or not)."""
        with self.transaction() as conn:
            return answers.set_identity_verified(conn, session_id, seat, verified)

    # -- crisis incidents ------------------------------------------------------
    def add_incident(
        self, session_id: int, incident: Incident, note: str | None = None
    ) -> CrisisIncident:
        """Keep the incident record a crisis panel closed with, and journal that one was
        recorded (its id: no content); ``note``, its words for the session's notes
        (``crisis_note.incident_note``), is written with it, about its member."""
        record = incidents.record_of(session_id, incident)
        now = _now()
        with self.transaction() as conn:
            kept = incidents.add_incident(conn, record)
            if note is not None and note.strip():
                group_id = records.get_session(conn, session_id).group_id
                notes.add(
                    conn, group_id, note, now, session_id=session_id, member_id=kept.member_id
                )
            entry = CrisisRecord("crisis.recorded", incident=kept.id)
            journal.append(conn, session_id, entry, now)
            return kept

    def incidents(self, session_id: int) -> list[CrisisIncident]:
        """The crisis incidents of a session, in the order they opened."""
        return incidents.incidents(self._conn, session_id)

    # -- notes --------------------------------------------------------------
    def add_note(
        self,
        group_id: int,
        body: str,
        *,
        session_id: int | None = None,
        member_id: int | None = None,
        template: str = "",
    ) -> Note:
        """Write a new note (revision 1), started from ``template`` (its id) or not."""
        with self.transaction() as conn:
            return notes.add(
                conn,
                group_id,
                body,
                _now(),
                session_id=session_id,
                member_id=member_id,
                template=template,
            )

    def revise_note(self, note_id: int, body: str) -> Note:
        """Keep a new text for a note (a revision; its draft is done with)."""
        with self.transaction() as conn:
            return notes.revise(conn, note_id, body, _now())

    def save_draft(self, note_id: int, body: str) -> NoteDraft:
        """Autosave the text being typed in a note (no revision yet)."""
        with self.transaction() as conn:
            return notes.save_draft(conn, note_id, body, _now())

    def note_draft(self, note_id: int) -> NoteDraft | None:
        """The note's autosaved text not yet kept, or None."""
        return notes.draft(self._conn, note_id)

    def note_drafts(self) -> list[NoteDraft]:
        """Every autosaved text not yet kept (what a crash or a lock left)."""
        return notes.drafts(self._conn)

    def keep_draft(self, note_id: int) -> Note:
        """Keep the note's autosaved text as a revision."""
        with self.transaction() as conn:
            return notes.keep_draft(conn, note_id, _now())

    def sign_note(self, note_id: int, signer: str) -> Note:
        """Sign a note (its draft kept first): its text is then fixed."""
        with self.transaction() as conn:
            return notes.sign(conn, note_id, signer, _now())

    def add_addendum(self, note_id: int, body: str, author: str) -> NoteAddendum:
        """A dated addendum to a signed note."""
        with self.transaction() as conn:
            return notes.add_addendum(conn, note_id, body, author, _now())

    def note_addenda(self, note_id: int) -> list[NoteAddendum]:
        """A note's addenda, oldest first."""
        return notes.addenda(self._conn, note_id)

    def list_notes(
        self,
        *,
        group_id: int | None = None,
        session_id: int | None = None,
        member_id: int | None = None,
    ) -> list[Note]:
        """Notes of a group, a session and/or a member."""
        return notes.list_notes(
            self._conn, group_id=group_id, session_id=session_id, member_id=member_id
        )

    def note_history(self, note_id: int) -> list[NoteRevision]:
        """Every saved text of a note."""
        return notes.history(self._conn, note_id)

    def get_note(self, note_id: int) -> Note:
        """One note."""
        return notes.get(self._conn, note_id)

    def search_notes(self, query: str, group_id: int | None = None, limit: int = 100) -> list[Note]:
        """Full-text search over the current text of notes."""
        return notes.search(self._conn, query, group_id=group_id, limit=limit)

    def search_note_hits(
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
        return notes.search_hits(
            self._conn,
            query,
            group_id=group_id,
            member_id=member_id,
            since=since,
            until=until,
            limit=limit,
        )

    # -- referrals ----------------------------------------------------------
    def add_referral(self, given: Referral) -> Referral:
        """Keep a referral of a member to a resource (``given.id`` is ignored)."""
        with self.transaction() as conn:
            return referrals.add_referral(conn, given)

    def referrals(
        self, *, member_id: int | None = None, session_id: int | None = None
    ) -> list[Referral]:
        """Referrals of a member and/or made at a session."""
        return referrals.referrals(self._conn, member_id=member_id, session_id=session_id)

    # -- checks and counts --------------------------------------------------
    def verify(self) -> VerifyReport:
        """cipher_integrity_check, integrity_check, the journal's hash chain, then the
        chain against the witness and anchors outside the file, and the guard triggers."""
        bad = [str(r[0]) for r in self._conn.execute("PRAGMA cipher_integrity_check")]
        if bad:
            return VerifyReport(ok=False, journal_rows=0, integrity="; ".join(bad[:3]))
        result = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            return VerifyReport(ok=False, journal_rows=0, integrity="; ".join(result[:3]))
        rows, problem = journal.verify_chain(self._conn)
        if problem is None:
            return self._verify_after_chain(rows)
        log.warning("journal chain broken at seq %d (%s)", problem.seq, problem.reason)
        return VerifyReport(
            ok=False,
            journal_rows=rows,
            bad_seq=problem.seq,
            reason=problem.reason,
            params=problem.params,
        )

    def _verify_after_chain(self, rows: int) -> VerifyReport:
        """The chain holds together: is it the one witnessed and anchored outside the file,
        do the records match it, and are the guard triggers the migrations' own?"""
        outside = self._anchoring.check(self._conn)
        if outside.problem is not None:
            return self._failed(rows, outside.problem)
        kept = coverage.verify_records(self._conn)
        if kept is not None:
            log.warning("a record does not match the journal (%s)", kept.reason)
            return VerifyReport(
                ok=False,
                journal_rows=rows,
                bad_seq=kept.params.get("seq"),
                reason=kept.reason,
                params=kept.params,
            )
        guards = check_triggers(self._conn)
        if guards is not None:
            return self._failed(rows, guards)
        return VerifyReport(ok=True, journal_rows=rows, notes=outside.notes)

    @staticmethod
    def _failed(rows: int, finding: Finding) -> VerifyReport:
        log.warning("journal check failed: %s at seq %s", finding.reason, finding.seq)
        return VerifyReport(
            ok=False,
            journal_rows=rows,
            bad_seq=finding.seq,
            reason=finding.reason,
            params=finding.params,
        )

    def purge_preview(
        self, now: datetime | None = None, retention_years: int = DEFAULT_RETENTION_YEARS
    ) -> PurgePreview:
        """What ``purge`` would delete now, changing nothing (the same selection)."""
        return retention.preview(self._conn, now or _now(), retention_years)

    def purge(
        self, now: datetime | None = None, retention_years: int = DEFAULT_RETENTION_YEARS
    ) -> PurgeReport:
        """Delete what is past the retention period, journal it, then VACUUM."""
        with self.transaction() as conn:
            report = retention.purge_in_transaction(conn, now or _now(), retention_years)
        retention.compact(self._conn)
        log.info(
            "retention purge: %d sessions, %d members, %d notes",
            report.sessions,
            report.members,
            report.notes,
        )
        return report

    def backup(self, dest: Path) -> Path:
        """Write an encrypted backup (same key) to ``dest``, which must not exist."""
        return write_backup(self._conn, bytes(self._key), Path(dest))

    def stats(self) -> dict[str, int]:
        """Row counts per table, schema version and file size: never content."""
        counts: dict[str, int] = {}
        for table in COUNTED_TABLES:
            sql = f"SELECT count(*) FROM {table}"  # noqa: S608 -- constant table names
            counts[table] = int(self._conn.execute(sql).fetchone()[0])
        counts["schema_version"] = self.schema_version()
        counts["pages"] = int(self._conn.execute("PRAGMA page_count").fetchone()[0])
        counts["bytes"] = counts["pages"] * PAGE_SIZE
        return counts


__all__ = ["LATEST", "PurgePreview", "PurgeReport", "SessionCounts", "Store", "VerifyReport"]
