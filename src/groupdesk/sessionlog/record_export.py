"""Reading a record to export from the log: a session's, a note's or a member's history.

:func:`build_export` runs on the ``Store``'s thread (the command line calls it
directly, the app through ``SessionLog.build_export``): it reads what the record
needs, reads the journal's head (anchored outside the database first, see
``sessionlog/anchor.py``), and hands the models to the pure builders of
``core/records/record_document.py``. Writing the file is the caller's (it needs Qt);
so is journaling it, with :func:`exported_entry`, once the file is written.

The anchor printed in the PDF is the journal's head *before* the ``record.exported``
entry of that same export: the entry is appended only after the file exists, so a
failed export journals nothing, and the head the paper carries is one the log held.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Literal

from groupdesk.core.journal_kinds import RecordExported
from groupdesk.core.models import Group, Note, Session
from groupdesk.core.policy_values import Policy
from groupdesk.core.records.attendance import attendance_table
from groupdesk.core.records.document import Document, JournalAnchor, Paper
from groupdesk.core.records.fact_text import date_text
from groupdesk.core.records.facts import SessionFacts, session_facts
from groupdesk.core.records.record_document import (
    NoteRecord,
    RecordContext,
    member_document,
    note_document,
    session_document,
)
from groupdesk.sessionlog import records
from groupdesk.sessionlog.db import Store
from groupdesk.sessionlog.errors import NotFound, SessionLogError

log = logging.getLogger(__name__)

What = Literal["session", "note", "member"]
WHAT: tuple[What, ...] = ("session", "note", "member")


class ExportNotFound(SessionLogError):  # noqa: N818 -- named like the other conditions
    """No session, note or member with that number in the log."""

    key = "export.error.unknown_session"


class NoHeldSession(SessionLogError):  # noqa: N818 -- named like the other conditions
    """``--session last`` but no session has been held yet."""

    key = "export.error.no_session_yet"


@dataclass(frozen=True)
class ExportSettings:
    """What the record is written with: language, timezone, the organisation's name,
    the practitioner's ("" : the sessions' facilitators), names from the policy (templates,
    checklist items, resources), the attrition threshold and the consent's version."""

    lang: str
    tz: tzinfo
    organisation: str = ""
    practitioner: str = ""
    template_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    item_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    resource_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    missed_in_row: int = 2
    consent_version: str | None = None
    paper: Paper = Paper.LETTER

    @classmethod
    def from_policy(
        cls, policy: Policy, lang: str, tz: tzinfo, *, practitioner: str = ""
    ) -> ExportSettings:
        """The settings of ``policy`` for a record in ``lang``."""
        return cls(
            lang=lang,
            tz=tz,
            organisation=policy.organisation_name.text_in(lang).strip(),
            practitioner=practitioner,
            template_names={t.id: t.name_in(lang) for t in policy.note_templates},
            item_names={
                i.id: i.text_in(lang)
                for i in (*policy.participant_checklist, *policy.facilitator_checklist)
            },
            resource_names={r.id: r.name_in(lang) for r in policy.crisis_resources},
            missed_in_row=policy.attrition_missed_in_row,
            consent_version=policy.remote_consent.version,
        )


@dataclass(frozen=True)
class RecordExport:
    """A record ready to write: the document, what it is (``what``, ``row``), the session
    its journal entry belongs to (None: none) and a file name to offer."""

    document: Document
    what: What
    row: int
    session_id: int | None
    file_name: str

    def entry(self) -> RecordExported:
        """The journal entry of this export (ids only)."""
        return exported_entry(self.what, self.row)


def exported_entry(what: What, row: int) -> RecordExported:
    """``record.exported``: what was exported and its id, as a PDF; never the content."""
    return RecordExported("record.exported", what=what, row=row, format="pdf")


def file_name(what: What, row: int, day: str) -> str:
    """``groupdesk-session-12-2026-12-06.pdf``: what, its number and the record's day."""
    safe_day = re.sub(r"[^0-9-]", "", day)
    return f"groupdesk-{what}-{row}-{safe_day}.pdf"


def latest_session(store: Store) -> int:
    """The session held most recently (by its actual start): what ``last`` means."""
    held = [s for s in store.list_sessions() if s.actual_start is not None]
    if not held:
        raise NoHeldSession()
    return max(held, key=lambda s: (s.actual_start, s.id)).id


def build_export(
    store: Store, what: What, row: int, settings: ExportSettings, now: datetime
) -> RecordExport:
    """The record ``what`` number ``row`` as a document, anchored at the journal's head
    as it is now (``now``: the export time, aware). Raises :class:`ExportNotFound`."""
    anchor = JournalAnchor(*_head(store))
    ctx = RecordContext(
        lang=settings.lang,
        tz=settings.tz,
        organisation=settings.organisation,
        anchor=anchor,
        exported_at=now.astimezone(settings.tz),
        practitioner=settings.practitioner,
        template_names=settings.template_names,
        item_names=settings.item_names,
        resource_names=settings.resource_names,
        paper=settings.paper,
    )
    if what == "session":
        return _session_export(store, row, settings, ctx)
    if what == "note":
        return _note_export(store, row, settings, ctx)
    return _member_export(store, row, settings, ctx)


def _head(store: Store) -> tuple[int, str]:
    """The journal's head, witnessed and anchored outside the database first (so the
    paper and the anchors agree); when that cannot be written, the head as the database
    holds it (the same sequence and hash; only the outside copy lags)."""
    try:
        return store.journal_anchor()
    except OSError as error:
        log.warning("journal not anchored before an export: %s", type(error).__name__)
        return store.journal_head()


def _session(store: Store, session_id: int) -> Session:
    try:
        return store.get_session(session_id)
    except NotFound as error:
        raise ExportNotFound("export.error.unknown_session", id=session_id) from error


def _group(store: Store, group_id: int) -> Group:
    for group in store.list_groups(include_archived=True):
        if group.id == group_id:
            return group
    raise ExportNotFound("export.error.unknown_group", id=group_id)


def _facts(store: Store, session: Session, settings: ExportSettings) -> SessionFacts:
    sid = session.id
    return session_facts(
        session,
        store.list_members(session.group_id, include_archived=True),
        store.expected_members(sid),
        store.attendance(sid),
        answers=store.participant_answers(sid),
        consents=store.latest_consents(session.group_id).values(),
        incidents=store.incidents(sid),
        referrals=store.referrals(session_id=sid),
        journal=store.journal(sid),
        current_consent_version=settings.consent_version,
    )


def _record(store: Store, note: Note) -> NoteRecord:
    return NoteRecord(note, tuple(store.note_addenda(note.id)))


def _session_export(
    store: Store, session_id: int, settings: ExportSettings, ctx: RecordContext
) -> RecordExport:
    session = _session(store, session_id)
    group = _group(store, session.group_id)
    members = store.list_members(group.id, include_archived=True)
    notes = [_record(store, n) for n in store.list_notes(session_id=session_id)]
    facts = _facts(store, session, settings)
    document = session_document(session, group, members, facts, notes=notes, ctx=ctx)
    day = date_text(session.actual_start or session.planned_start, settings.tz)
    return RecordExport(
        document, "session", session_id, session_id, file_name("session", session_id, day)
    )


def _note_export(
    store: Store, note_id: int, settings: ExportSettings, ctx: RecordContext
) -> RecordExport:
    try:
        note = store.get_note(note_id)
    except NotFound as error:
        raise ExportNotFound("export.error.unknown_note", id=note_id) from error
    group = _group(store, note.group_id)
    members = {m.id: m for m in store.list_members(group.id, include_archived=True)}
    member = members.get(note.member_id) if note.member_id is not None else None
    session = facts = None
    if note.session_id is not None:
        session = _session(store, note.session_id)
        facts = _facts(store, session, settings)
    document = note_document(
        _record(store, note), group, ctx, member=member, session=session, facts=facts
    )
    moment = session.actual_start or session.planned_start if session else note.created_at
    day = date_text(moment or ctx.exported_at, settings.tz)
    return RecordExport(document, "note", note_id, note.session_id, file_name("note", note_id, day))


def _member_export(
    store: Store, member_id: int, settings: ExportSettings, ctx: RecordContext
) -> RecordExport:
    try:
        member = records.get_member(store.connection, member_id)
    except NotFound as error:
        raise ExportNotFound("export.error.unknown_member", id=member_id) from error
    group = _group(store, member.group_id)
    sessions = store.list_sessions(group.id)
    table = attendance_table(
        sessions,
        store.group_expected(group.id),
        store.group_attendance(group.id),
        missed_in_row=settings.missed_in_row,
        members=[member.id],
    )
    notes = [_record(store, n) for n in store.list_notes(member_id=member_id)]
    incidents = [i for s in sessions for i in store.incidents(s.id) if i.member_id == member_id]
    document = member_document(
        member,
        group,
        table,
        notes=notes,
        referrals=store.referrals(member_id=member_id),
        incidents=incidents,
        ctx=ctx,
    )
    day = date_text(ctx.exported_at, settings.tz)
    return RecordExport(document, "member", member_id, None, file_name("member", member_id, day))
