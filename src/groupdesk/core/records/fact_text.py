"""The facts of a session as short lines a practitioner cites, in French (Québec) or
English. Times are shown in the timezone the caller passes (never the machine's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from groupdesk.core.i18n import tr
from groupdesk.core.models import ConsentStatus, Modality, SessionKind
from groupdesk.core.protocol import SHARE_KINDS
from groupdesk.core.records.facts import (
    ConsentFact,
    IncidentFact,
    MemberFacts,
    SafetySignalFact,
    SessionFacts,
    ShareFact,
)


def time_text(moment: datetime, lang: str, tz: tzinfo) -> str:
    """``18:02`` in English, ``18 h 02`` in French, in ``tz``."""
    local = moment.astimezone(tz)
    return tr("records.time", lang, hour=f"{local.hour:02d}", minute=f"{local.minute:02d}")


def date_text(moment: datetime, tz: tzinfo) -> str:
    """The date in ``tz``, as ISO 8601 (``2026-11-02``), in both languages."""
    return moment.astimezone(tz).date().isoformat()


def span_text(start: datetime, end: datetime | None, lang: str, tz: tzinfo) -> str:
    """``18:02-19:31`` with an en dash (``from 18:02`` when there is no end)."""
    if end is None:
        return tr("records.span_open", lang, start=time_text(start, lang, tz))
    return tr("records.span", lang, start=time_text(start, lang, tz), end=time_text(end, lang, tz))


def duration_text(seconds: float, lang: str) -> str:
    """``6 min 40 s``, ``12 s``, ``5 min``."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return tr("records.seconds", lang, seconds=rest)
    if not rest:
        return tr("records.minutes", lang, minutes=minutes)
    return tr("records.minutes_seconds", lang, minutes=minutes, seconds=rest)


def _turns(count: int, lang: str) -> str:
    return (
        tr("records.facts.turns_one", lang)
        if count == 1
        else tr("records.facts.turns_many", lang, count=count)
    )


def _join(items: list[str], lang: str) -> str:
    return tr("records.list_sep", lang).join(items)


def _item_name(item: str, names: Mapping[str, str]) -> str:
    return names.get(item) or item.replace("_", " ")


def _presence(member: MemberFacts, facts: SessionFacts, lang: str, tz: tzinfo) -> str:
    spans = _join([span_text(s.joined_at, s.left_at, lang, tz) for s in member.stays], lang)
    rooms = {stay.in_room for stay in member.stays}
    if rooms == {True}:
        key = "records.facts.present_in_room"
    elif rooms == {True, False}:
        key = "records.facts.present_mixed"
    elif facts.modality is Modality.HYBRID:
        key = "records.facts.present_online"
    else:
        key = "records.facts.present"
    return tr(key, lang, spans=spans, minutes=member.minutes_present)


def _checklist_lines(member: MemberFacts, lang: str, item_names: Mapping[str, str]) -> list[str]:
    check = member.checklist
    lines: list[str] = []
    if check.unmet:
        key = "records.facts.unmet_one" if len(check.unmet) == 1 else "records.facts.unmet_many"
        unmet = tr(key, lang, items=_join([_item_name(i, item_names) for i in check.unmet], lang))
        if check.override_reason:
            reason = check.override_reason
            unmet = tr("records.facts.admitted_anyway", lang, unmet=unmet, reason=reason)
        elif check.admitted_anyway:
            unmet = tr("records.facts.admitted_anyway_no_reason", lang, unmet=unmet)
        lines.append(unmet)
    elif check.answered:
        lines.append(tr("records.facts.checklist_met", lang))
    key = (
        "records.facts.identity_verified"
        if check.identity_verified
        else ("records.facts.identity_not_verified")
    )
    lines.append(tr(key, lang))
    return lines


def _consent_line(consent: ConsentFact, lang: str, tz: tzinfo) -> str:
    if consent.status is ConsentStatus.WITHDRAWN:
        if consent.given_at is None or consent.version is None:
            return tr("records.facts.consent_withdrawn_never", lang)
        return tr(
            "records.facts.consent_withdrawn",
            lang,
            date=date_text(consent.given_at, tz),
            version=consent.version,
        )
    if consent.given_at is None or consent.version is None or consent.method is None:
        return tr("records.facts.consent_pending", lang)
    text = tr(
        "records.facts.consent_given",
        lang,
        date=date_text(consent.given_at, tz),
        version=consent.version,
        method=tr(f"records.consent_method.{consent.method.value}", lang),
    )
    if consent.current is False:
        text = tr("records.facts.consent_outdated", lang, consent=text)
    return text


def _safety_line(signal: SafetySignalFact, lang: str, tz: tzinfo) -> str:
    parts = [tr("records.facts.safety", lang, time=time_text(signal.sent_at, lang, tz))]
    if signal.seen_after is not None:
        parts.append(
            tr("records.facts.safety_seen", lang, duration=duration_text(signal.seen_after, lang))
        )
    else:
        parts.append(tr("records.facts.safety_not_seen", lang))
    if signal.withdrawn_after is not None:
        duration = duration_text(signal.withdrawn_after, lang)
        parts.append(tr("records.facts.safety_withdrawn", lang, duration=duration))
    if signal.handled_after is not None:
        parts.append(tr("records.facts.safety_handled", lang))
    return _join(parts, lang)


def _share_line(share: ShareFact, lang: str, tz: tzinfo) -> str:
    source = share.source if share.source in SHARE_KINDS else "screen"
    span = span_text(share.started_at, share.stopped_at, lang, tz)
    text = tr(f"records.facts.share.{source}", lang, span=span)
    if share.stopped_by_facilitator:
        return tr("records.facts.share_stopped", lang, share=text)
    return text


def _incident_line(
    incident: IncidentFact, lang: str, tz: tzinfo, resource_names: Mapping[str, str]
) -> str:
    outcome_key = f"crisis.outcome.{incident.outcome or 'unsaid'}"
    text = tr(
        "records.facts.crisis",
        lang,
        span=span_text(incident.started_at, incident.ended_at, lang, tz),
        outcome=tr(outcome_key, lang),
    )
    if incident.referral:
        names = _join([resource_names.get(r, r) for r in incident.referral], lang)
        text = tr("records.facts.crisis_referred", lang, crisis=text, names=names)
    return text


def member_fact_lines(
    facts: SessionFacts,
    member: MemberFacts,
    lang: str,
    tz: tzinfo,
    *,
    item_names: Mapping[str, str] | None = None,
    resource_names: Mapping[str, str] | None = None,
) -> list[str]:
    """The lines about one member or guest of ``facts``."""
    if not member.present:
        lines = [tr("records.facts.absent", lang)] if member.expected else []
        if member.consent is not None:
            lines.append(_consent_line(member.consent, lang, tz))
        return lines
    names = {r.resource_id: r.resource_name for r in member.referrals}
    names.update(resource_names or {})
    lines = [_presence(member, facts, lang, tz)]
    if not member.expected and not member.guest and facts.kind is SessionKind.GROUP:
        lines.append(tr("records.facts.not_expected", lang))
    if member.turns or member.talk_seconds:
        lines.append(
            tr(
                "records.facts.talk",
                lang,
                duration=duration_text(member.talk_seconds, lang),
                turns=_turns(member.turns, lang),
            )
        )
    elif facts.kind is SessionKind.GROUP and not member.in_room:
        # talk time is measured on the call: in the room, nobody counted
        lines.append(tr("records.facts.no_talk", lang))
    lines.extend(_checklist_lines(member, lang, item_names or {}))
    if member.consent is not None:
        lines.append(_consent_line(member.consent, lang, tz))
    lines.extend(_safety_line(signal, lang, tz) for signal in member.safety_signals)
    lines.extend(
        tr("records.facts.side_room", lang, span=span_text(v.entered_at, v.left_at, lang, tz))
        for v in member.side_room
    )
    lines.extend(_share_line(share, lang, tz) for share in member.shares)
    lines.extend(_incident_line(i, lang, tz, names) for i in member.incidents)
    lines.extend(
        tr(
            "records.facts.referral",
            lang,
            name=names.get(r.resource_id, r.resource_name),
            time=time_text(r.created_at, lang, tz),
        )
        for r in member.referrals
    )
    return lines


def _session_line(facts: SessionFacts, lang: str, tz: tzinfo) -> str:
    planned = span_text(facts.planned_start, facts.planned_end, lang, tz)
    if facts.actual_start is None:
        date = date_text(facts.planned_start, tz)
        return tr("records.facts.session_not_held", lang, date=date, planned=planned)
    return tr(
        "records.facts.session",
        lang,
        date=date_text(facts.actual_start, tz),
        span=span_text(facts.actual_start, facts.actual_end, lang, tz),
        planned=planned,
    )


def group_fact_lines(facts: SessionFacts, lang: str, tz: tzinfo) -> list[str]:
    """The lines about the session as a whole (the group note's)."""
    counts = facts.counts
    lines = [_session_line(facts, lang, tz)]
    if facts.kind is SessionKind.INDIVIDUAL:
        lines.append(tr("records.facts.individual", lang))
    lines.append(
        tr(
            "records.facts.present_count",
            lang,
            present=counts.present_expected,
            expected=counts.expected,
        )
    )
    unexpected = counts.present - counts.present_expected
    if unexpected:
        lines.append(tr("records.facts.present_unexpected_count", lang, count=unexpected))
    if counts.in_room:
        lines.append(tr("records.facts.in_room_count", lang, count=counts.in_room))
    if facts.absent:
        names = _join([m.name for m in facts.absent], lang)
        lines.append(tr("records.facts.absent_names", lang, names=names))
    present_guests = [g.name for g in facts.guests if g.present]
    if present_guests:
        lines.append(tr("records.facts.guest_names", lang, names=_join(present_guests, lang)))
    talkers = [m for m in (*facts.members, *facts.guests) if m.present and m.turns]
    if talkers:
        parts = [
            tr(
                "records.facts.talk_part",
                lang,
                name=m.name,
                duration=duration_text(m.talk_seconds, lang),
                turns=_turns(m.turns, lang),
            )
            for m in talkers
        ]
        lines.append(tr("records.facts.talk_summary", lang, parts=_join(parts, lang)))
    for count, key in (
        (counts.admitted_anyway, "records.facts.admitted_anyway_count"),
        (counts.safety_signals, "records.facts.safety_count"),
        (counts.incidents, "records.facts.incident_count"),
        (counts.referrals, "records.facts.referral_count"),
    ):
        if count:
            lines.append(tr(key, lang, count=count))
    return lines


def fact_lines(
    facts: SessionFacts,
    member_id: int | None,
    lang: str,
    tz: tzinfo,
    *,
    item_names: Mapping[str, str] | None = None,
    resource_names: Mapping[str, str] | None = None,
) -> list[str]:
    """The facts to cite in a note: the group's (``member_id`` None) or one member's.

    ``tz``: the timezone times are shown in. ``item_names``: checklist item id -> its
    text in ``lang`` (else the id is shown); ``resource_names``: a crisis resource's id
    -> its name in ``lang`` (else the name recorded with the referral, else the id). A
    member neither expected nor present has no facts (an empty list). The note of a
    one-to-one session (``member_id`` None or its member) cites the session and its
    member.
    """
    words = {"item_names": item_names, "resource_names": resource_names}
    if facts.kind is SessionKind.INDIVIDUAL and facts.members:
        # a one-to-one session has one note, about its member, with the session's times
        only = facts.members[0]
        if member_id not in (None, only.member_id):
            return []
        head = [_session_line(facts, lang, tz), tr("records.facts.individual", lang)]
        return head + member_fact_lines(facts, only, lang, tz, **words)
    if member_id is None:
        return group_fact_lines(facts, lang, tz)
    member = facts.member(member_id)
    if member is None:
        return []
    return member_fact_lines(facts, member, lang, tz, **words)
