"""What the notes page shows of one session, read from the log: the session, its group,
the members, the facts, the notes, and the rows of the notes list (one per person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from groupdesk.core.models import Group, Member, Note, Session, SessionKind
from groupdesk.core.policy_values import Policy
from groupdesk.core.records.facts import SessionFacts, session_facts
from groupdesk.core.records.templates import NoteKind, NoteTemplate, note_kind, templates_for
from groupdesk.sessionlog import SessionLog


@dataclass(frozen=True)
class NoteRow:
    """One row of the notes list: whose note (``member_id`` None: the group's), the note
    when it exists (None: not started yet), and whether the member was absent."""

    member_id: int | None
    name: str
    note: Note | None
    absent: bool = False


@dataclass(frozen=True)
class SessionNotes:
    """One session as the notes page needs it."""

    session: Session
    group: Group
    members: dict[int, Member]
    facts: SessionFacts
    notes: tuple[Note, ...]

    @property
    def tz(self) -> tzinfo:
        """This computer's time zone as it was on the session's day."""
        start = self.session.actual_start or self.session.planned_start
        zone = start.astimezone().tzinfo
        assert zone is not None
        return zone

    def kind(self, member_id: int | None) -> NoteKind:
        """The kind of the note about ``member_id`` (None: the group's)."""
        return note_kind(self.facts, member_id)

    def templates(self, policy: Policy, member_id: int | None) -> tuple[NoteTemplate, ...]:
        """The templates that apply to that note, the policy's order (first: the default)."""
        return templates_for(policy.note_templates, self.kind(member_id))

    def name(self, member_id: int | None) -> str:
        """A member's name ("" for the group or an unknown member)."""
        member = None if member_id is None else self.members.get(member_id)
        return member.display_name if member is not None else ""

    def rows(self) -> list[NoteRow]:
        """The group's note first (not for a one-to-one session: it has its member's
        note only), then each member expected or present (absent ones marked), then any
        other note of the session; a person with several notes has a row for each."""
        rows: list[NoteRow] = []
        people: list[tuple[int | None, bool]] = []
        if self.facts.kind is not SessionKind.INDIVIDUAL or not self.facts.members:
            people.append((None, False))
        people.extend(
            (m.member_id, m.expected and not m.present)
            for m in self.facts.members
            if m.member_id is not None
        )
        listed: set[int | None] = set()
        for member_id, absent in people:
            listed.add(member_id)
            theirs: list[Note | None] = [n for n in self.notes if n.member_id == member_id]
            for note in theirs or [None]:
                rows.append(NoteRow(member_id, self.name(member_id), note, absent))
        rows.extend(
            NoteRow(n.member_id, self.name(n.member_id), n)
            for n in self.notes
            if n.member_id not in listed
        )
        return rows


async def load_session_notes(log: SessionLog, session_id: int, policy: Policy) -> SessionNotes:
    """Read a session, its group, members, facts and notes from the log."""
    session = await log.get_session(session_id)
    groups = await log.list_groups(include_archived=True)
    group = next(g for g in groups if g.id == session.group_id)
    members = await log.list_members(group.id, include_archived=True)
    consents = await log.latest_consents(group.id)
    facts = session_facts(
        session,
        members,
        await log.expected_members(session_id),
        await log.attendance(session_id),
        answers=await log.participant_answers(session_id),
        consents=consents.values(),
        incidents=await log.incidents(session_id),
        referrals=await log.referrals(session_id=session_id),
        journal=await log.journal(session_id),
        current_consent_version=policy.remote_consent.version,
    )
    notes = await log.list_notes(session_id=session_id)
    return SessionNotes(
        session=session,
        group=group,
        members={m.id: m for m in members},
        facts=facts,
        notes=tuple(notes),
    )
