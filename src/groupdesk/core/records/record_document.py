"""The records a practitioner exports, as ``Document``s: a session's record, one note,
and a member's history.

Pure: the caller reads the models from the log (the session, its facts, the notes with
their addenda...) and passes them with a :class:`RecordContext` (the language, the
timezone times are shown in, the organisation's name, the journal's anchor and the
export time); every label is a catalogue key (``i18n/messages/export.json``, the facts
in ``records.json``), so the same record reads the same in French and in English. No
clock, no file, no machine timezone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from groupdesk.core.i18n import tr
from groupdesk.core.models import (
    CrisisIncident,
    Group,
    Member,
    Modality,
    Note,
    NoteAddendum,
    Referral,
    Session,
)
from groupdesk.core.records.attendance import AttendanceTable, attrition_text, mark_text
from groupdesk.core.records.document import (
    MAX_CELL,
    MAX_LINE,
    MAX_TEXT,
    Block,
    Document,
    Facts,
    Heading,
    JournalAnchor,
    Paper,
    Paragraph,
    Table,
)
from groupdesk.core.records.fact_text import (
    date_text,
    fact_lines,
    group_fact_lines,
    member_fact_lines,
    span_text,
    time_text,
)
from groupdesk.core.records.facts import MemberFacts, SessionFacts


@dataclass(frozen=True)
class RecordContext:
    """How a record is written: ``lang`` and ``tz`` (times are shown there), the
    organisation's name, the journal's head at export (``anchor``), the export time,
    and ``practitioner`` ("" : the facilitators of the sessions concerned).
    ``template_names``: a note template's id -> its name in ``lang``; ``item_names`` and
    ``resource_names`` as in :func:`~groupdesk.core.records.fact_text.fact_lines`."""

    lang: str
    tz: tzinfo
    organisation: str
    anchor: JournalAnchor
    exported_at: datetime
    practitioner: str = ""
    template_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    item_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    resource_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    paper: Paper = Paper.LETTER


@dataclass(frozen=True)
class NoteRecord:
    """A note as it is kept (its current text) with its addenda, oldest first."""

    note: Note
    addenda: tuple[NoteAddendum, ...] = ()


# --------------------------------------------------------------------------- helpers

# Control characters pasted into a note or a name (a form feed, a NUL) have no place on
# paper, and the document refuses them: they are dropped, not the export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str, limit: int) -> str:
    """``text`` without control characters, cut (with an ellipsis) to ``limit``."""
    text = _CONTROL.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _paragraph(text: str) -> Paragraph:
    return Paragraph(_clean(text, MAX_TEXT))


def _facts(rows: Iterable[tuple[str, str]]) -> Facts:
    return Facts(tuple((_one_line(label), _clean(value, MAX_CELL)) for label, value in rows))


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    return Table(tuple(header), tuple(tuple(_clean(c, MAX_CELL) for c in row) for row in rows))


def _one_line(text: str) -> str:
    """A name or title on one line, within a header's length."""
    return " ".join(_CONTROL.sub("", text).split())[:MAX_LINE]


def _moment(moment: datetime, ctx: RecordContext) -> str:
    return tr(
        "export.value.moment",
        ctx.lang,
        date=date_text(moment, ctx.tz),
        time=time_text(moment, ctx.lang, ctx.tz),
    )


def _practitioner(ctx: RecordContext, sessions: Iterable[Session]) -> str:
    if ctx.practitioner.strip():
        return _one_line(ctx.practitioner)
    names = dict.fromkeys(name.strip() for s in sessions for name in s.facilitators)
    return _one_line(tr("records.list_sep", ctx.lang).join(n for n in names if n))


def _document(title: str, ctx: RecordContext, practitioner: str, blocks: list[Block]) -> Document:
    return Document(
        title=_one_line(title),
        language=ctx.lang,
        practitioner=practitioner,
        organisation=_one_line(ctx.organisation),
        anchor=ctx.anchor,
        exported_at=ctx.exported_at,
        blocks=tuple(blocks),
        paper=ctx.paper,
    )


def _bullets(lines: Sequence[str], ctx: RecordContext) -> Paragraph:
    if not lines:
        return _paragraph(tr("export.no_facts", ctx.lang))
    return _paragraph("\n".join(f"• {line}" for line in lines))


def _session_rows(session: Session, ctx: RecordContext) -> list[tuple[str, str]]:
    lang, tz = ctx.lang, ctx.tz
    held = (
        span_text(session.actual_start, session.actual_end, lang, tz)
        if session.actual_start is not None
        else tr("export.value.not_started", lang)
    )
    rows = [
        (tr("export.label.date", lang), date_text(_when(session), tz)),
        (
            tr("export.label.planned", lang),
            span_text(session.planned_start, session.planned_end, lang, tz),
        ),
        (tr("export.label.held", lang), held),
        (tr("export.label.kind", lang), tr(f"export.kind.{session.kind.value}", lang)),
        (tr("export.label.modality", lang), tr(f"export.modality.{session.modality.value}", lang)),
    ]
    if session.facilitators:
        names = tr("records.list_sep", lang).join(session.facilitators)
        rows.append((tr("export.label.facilitators", lang), names))
    return rows


def _where(person: MemberFacts, facts: SessionFacts, ctx: RecordContext) -> str:
    if not person.present:
        return tr("export.where.absent", ctx.lang)
    rooms = {stay.in_room for stay in person.stays}
    if rooms == {True}:
        return tr("export.where.in_room", ctx.lang)
    if rooms == {True, False}:
        return tr("export.where.mixed", ctx.lang)
    if facts.modality is Modality.IN_PERSON:
        return tr("export.where.in_room", ctx.lang)
    return tr("export.where.online", ctx.lang)


def _person_name(person: MemberFacts, ctx: RecordContext) -> str:
    return tr("export.guest", ctx.lang, name=person.name) if person.guest else person.name


def attendance_block(facts: SessionFacts, ctx: RecordContext) -> Table:
    """Who was expected and who came, with their times, minutes present and where."""
    lang, tz = ctx.lang, ctx.tz
    rows = []
    for person in (*facts.members, *(g for g in facts.guests if g.present)):
        spans = tr("records.list_sep", lang).join(
            span_text(s.joined_at, s.left_at, lang, tz) for s in person.stays
        )
        rows.append(
            (
                _person_name(person, ctx),
                tr("export.yes" if person.expected else "export.no", lang),
                spans or "—",
                str(person.minutes_present) if person.present else "—",
                _where(person, facts, ctx),
            )
        )
    header = tuple(
        tr(f"export.column.{c}", lang) for c in ("name", "expected", "times", "minutes", "where")
    )
    return _table(header, tuple(rows))


def _member_names(members: Iterable[Member]) -> dict[int, str]:
    return {m.id: m.display_name for m in members}


def _note_title(note: Note, names: Mapping[int, str], ctx: RecordContext) -> str:
    if note.member_id is None:
        return tr("export.note.group", ctx.lang)
    name = names.get(note.member_id, f"#{note.member_id}")
    return tr("export.note.member", ctx.lang, name=name)


def _signature(note: Note, ctx: RecordContext) -> str:
    if note.signed_at is None:
        return tr("export.not_signed", ctx.lang)
    return tr(
        "export.signed",
        ctx.lang,
        name=note.signed_by,
        date=date_text(note.signed_at, ctx.tz),
        time=time_text(note.signed_at, ctx.lang, ctx.tz),
    )


def _note_blocks(record: NoteRecord, ctx: RecordContext, *, heading: str | None) -> list[Block]:
    """A note: its heading (level 3), template, dates and signature, its text, then its
    addenda, each dated and signed by its author."""
    note, lang = record.note, ctx.lang
    blocks: list[Block] = []
    if heading is not None:
        blocks.append(Heading(3, _one_line(heading)))
    template = (
        ctx.template_names.get(note.template, note.template)
        if note.template
        else tr("export.no_template", lang)
    )
    rows = [(tr("export.label.template", lang), template)]
    if note.created_at is not None:
        rows.append((tr("export.label.written", lang), _moment(note.created_at, ctx)))
    rows.append((tr("export.label.revision", lang), str(note.revision)))
    rows.append((tr("export.label.signature", lang), _signature(note, ctx)))
    blocks.append(_facts(tuple(rows)))
    blocks.append(_paragraph(note.body if note.body.strip() else tr("export.empty_note", lang)))
    for addendum in record.addenda:
        title = tr(
            "export.addendum",
            lang,
            date=date_text(addendum.created_at, ctx.tz),
            time=time_text(addendum.created_at, lang, ctx.tz),
            author=addendum.author,
        )
        blocks.append(
            _paragraph(f"{_one_line(title)}\n{_clean(addendum.body, MAX_TEXT - MAX_LINE)}")
        )
    return blocks


def _when(session: Session) -> datetime:
    """When the session took place (or was planned to)."""
    return session.actual_start or session.planned_start


def _by_time(records: Iterable[NoteRecord]) -> list[NoteRecord]:
    return sorted(records, key=lambda r: (r.note.created_at is None, r.note.created_at, r.note.id))


# --------------------------------------------------------------------------- the records


def session_document(
    session: Session,
    group: Group,
    members: Iterable[Member],
    facts: SessionFacts,
    *,
    notes: Iterable[NoteRecord],
    ctx: RecordContext,
) -> Document:
    """A session's record: the group, date, planned and actual times, kind, the
    attendance with times, the group's facts, each member's facts, then every note (the
    group's first, then the members' in the attendance order) with its template, text,
    signature and dated addenda."""
    lang, tz = ctx.lang, ctx.tz
    names = _member_names(members)
    date = date_text(session.actual_start or session.planned_start, tz)
    title = tr("export.title.session", lang, group=_one_line(group.name), date=date)
    blocks: list[Block] = [
        Heading(1, _one_line(title)),
        _facts(((tr("export.label.group", lang), group.name), *_session_rows(session, ctx))),
        Heading(2, tr("export.heading.attendance", lang)),
        attendance_block(facts, ctx),
        Heading(2, tr("records.template.facts_heading", lang)),
        _bullets(group_fact_lines(facts, lang, tz), ctx),
        Heading(2, tr("export.heading.member_facts", lang)),
    ]
    words = {"item_names": ctx.item_names, "resource_names": ctx.resource_names}
    people = (*facts.members, *(g for g in facts.guests if g.present))
    for person in people:
        blocks.append(Heading(3, _one_line(_person_name(person, ctx))))
        blocks.append(_bullets(member_fact_lines(facts, person, lang, tz, **words), ctx))
    blocks.append(Heading(2, tr("export.heading.notes", lang)))
    order = {m.member_id: i for i, m in enumerate(facts.members)}
    ordered = sorted(
        _by_time(notes),
        key=lambda r: -1 if r.note.member_id is None else order.get(r.note.member_id, len(order)),
    )
    if not ordered:
        blocks.append(_paragraph(tr("export.no_notes", lang)))
    for record in ordered:
        blocks.extend(_note_blocks(record, ctx, heading=_note_title(record.note, names, ctx)))
    return _document(title, ctx, _practitioner(ctx, [session]), blocks)


def note_document(
    record: NoteRecord,
    group: Group,
    ctx: RecordContext,
    *,
    member: Member | None = None,
    session: Session | None = None,
    facts: SessionFacts | None = None,
) -> Document:
    """One note: what it is about (group, member, session), the session's facts it
    cites (the group's, or its member's), then its text, signature and addenda."""
    lang, tz = ctx.lang, ctx.tz
    note = record.note
    about = (
        member.display_name
        if member is not None
        else tr("export.note.about_group", lang, group=group.name)
    )
    moment = (
        session.actual_start or session.planned_start if session is not None else note.created_at
    )
    date = date_text(moment, tz) if moment is not None else ""
    title = tr("export.title.note", lang, about=_one_line(about), date=date).rstrip(" —")
    rows = [(tr("export.label.group", lang), group.name)]
    if member is not None:
        rows.append((tr("export.label.member", lang), member.display_name))
    blocks: list[Block] = [Heading(1, _one_line(title)), _facts(tuple(rows))]
    if session is not None:
        blocks.append(Heading(2, tr("export.label.session", lang)))
        blocks.append(_facts(tuple(_session_rows(session, ctx))))
    if facts is not None:
        blocks.append(Heading(2, tr("records.template.facts_heading", lang)))
        words = {"item_names": ctx.item_names, "resource_names": ctx.resource_names}
        lines = fact_lines(facts, note.member_id, lang, tz, **words)
        blocks.append(_bullets(lines, ctx))
    blocks.append(Heading(2, tr("export.heading.note_text", lang)))
    blocks.extend(_note_blocks(record, ctx, heading=None))
    practitioner = _practitioner(ctx, [session] if session is not None else [])
    if not practitioner and note.signed_by.strip():
        practitioner = _one_line(note.signed_by)
    return _document(title, ctx, practitioner, blocks)


def _consent_text(member: Member, lang: str) -> str:
    return tr(f"export.consent.{member.consent.value}", lang)


def member_document(
    member: Member,
    group: Group,
    table: AttendanceTable,
    *,
    notes: Iterable[NoteRecord],
    referrals: Iterable[Referral],
    incidents: Iterable[CrisisIncident],
    ctx: RecordContext,
) -> Document:
    """A member's history: their attendance across the group's sessions (``table``) with
    the attrition flag, their notes oldest first, their referrals and crisis incidents."""
    lang, tz = ctx.lang, ctx.tz
    title = tr("export.title.member", lang, name=_one_line(member.display_name))
    row = table.row(member.id)
    rows = [
        (tr("export.label.member", lang), member.display_name),
        (tr("export.label.group", lang), group.name),
        (tr("export.label.modality", lang), tr(f"export.modality.{member.modality.value}", lang)),
        (tr("export.label.consent", lang), _consent_text(member, lang)),
    ]
    if row is not None:
        attended = tr("export.value.attended", lang, attended=row.attended, expected=row.expected)
        rows.append((tr("export.label.attended", lang), attended))
        rows.append(
            (
                tr("export.label.attrition", lang),
                attrition_text(row, lang) or tr("export.value.none", lang),
            )
        )
    blocks: list[Block] = [
        Heading(1, _one_line(title)),
        _facts(tuple(rows)),
        Heading(2, tr("export.heading.attendance", lang)),
    ]
    if row is None or not table.sessions:
        blocks.append(_paragraph(tr("export.no_sessions", lang)))
    else:
        header = tuple(tr(f"export.column.{c}", lang) for c in ("date", "session", "attendance"))
        blocks.append(
            _table(
                header,
                tuple(
                    (
                        date_text(s.actual_start or s.planned_start, tz),
                        tr(f"export.kind.{s.kind.value}", lang),
                        mark_text(mark, lang),
                    )
                    for s, mark in zip(table.sessions, row.marks, strict=True)
                ),
            )
        )
    sessions = {s.id: s for s in table.sessions}
    blocks.append(Heading(2, tr("export.heading.notes", lang)))
    mine = _by_time(notes)
    if not mine:
        blocks.append(_paragraph(tr("export.no_member_notes", lang)))
    for record in mine:
        session = sessions.get(record.note.session_id or 0)
        when = _when(session) if session is not None else record.note.created_at
        heading = tr("export.note.member", lang, name=member.display_name)
        if when is not None:
            heading = f"{date_text(when, tz)} — {heading}"
        blocks.extend(_note_blocks(record, ctx, heading=heading))
    blocks.append(Heading(2, tr("export.heading.referrals", lang)))
    referred = sorted(referrals, key=lambda r: (r.created_at, r.id))
    if referred:
        header = tuple(tr(f"export.column.{c}", lang) for c in ("date", "resource", "detail"))
        blocks.append(
            _table(
                header,
                tuple(
                    (
                        _moment(r.created_at, ctx),
                        ctx.resource_names.get(r.resource_id, r.resource_name),
                        r.detail,
                    )
                    for r in referred
                ),
            )
        )
    else:
        blocks.append(_paragraph(tr("export.no_referrals", lang)))
    blocks.append(Heading(2, tr("export.heading.incidents", lang)))
    crises = sorted(incidents, key=lambda i: (i.started_at, i.id))
    if crises:
        header = (tr("export.column.date", lang), tr("export.column.times_outcome", lang))
        blocks.append(_table(header, tuple(_incident_row(i, ctx) for i in crises)))
    else:
        blocks.append(_paragraph(tr("export.no_incidents", lang)))
    return _document(title, ctx, _practitioner(ctx, table.sessions), blocks)


def _incident_row(incident: CrisisIncident, ctx: RecordContext) -> tuple[str, str]:
    lang, tz = ctx.lang, ctx.tz
    text = tr(
        "records.facts.crisis",
        lang,
        span=span_text(incident.started_at, incident.ended_at, lang, tz),
        outcome=tr(f"crisis.outcome.{incident.outcome or 'unsaid'}", lang),
    )
    if incident.referral:
        names = tr("records.list_sep", lang).join(
            ctx.resource_names.get(r, r) for r in incident.referral
        )
        text = tr("records.facts.crisis_referred", lang, crisis=text, names=names)
    return date_text(incident.started_at, tz), text
