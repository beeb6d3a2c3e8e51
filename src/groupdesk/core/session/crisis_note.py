"""The incident record as the session's note: plain words, in French or English. No I/O.

When the crisis panel closes, its incident goes to the encrypted log and, worded by
:func:`incident_note`, into the session's notes (``Store.add_incident(..., note=...)``):
who, when, each protocol step with its time (or not done) and what was observed beside
it, the observations, the resources used, the outcome, the referral.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from groupdesk.core.i18n import tr
from groupdesk.core.policy_values import CrisisResource, CrisisStep
from groupdesk.core.session.crisis import Incident


def _time(value: datetime, tz: tzinfo | None) -> str:
    return value.astimezone(tz).strftime("%H:%M")


def _lines(ids: Iterable[str], directory: dict[str, CrisisResource], lang: str) -> str:
    names = []
    for ident in ids:
        line = directory.get(ident)
        if line is None:
            names.append(ident)  # no longer in the policy: its id says which it was
        else:
            number = line.phone or line.sms
            names.append(f"{line.name_in(lang)} ({number})")
    return ", ".join(names) or tr("crisis.note.none", lang)


def incident_note(
    incident: Incident,
    lang: str,
    *,
    name: str = "",
    protocol: Iterable[CrisisStep] = (),
    directory: Iterable[CrisisResource] = (),
    tz: tzinfo | None = None,
) -> str:
    """The note of ``incident`` in ``lang`` (``en``, ``fr_CA``): ``name``, the member's
    name (a guest's is in the incident); ``protocol`` and ``directory``, the policy's, to
    word each step and line in ``lang``; ``tz``, the time zone of the times (None: this
    computer's)."""
    steps = {step.id: step for step in protocol}
    lines = {line.id: line for line in directory}
    if incident.member is None and incident.guest_name:
        who = tr("crisis.note.guest", lang, name=incident.guest_name)
    else:
        who = name or tr("crisis.note.someone", lang, seat=incident.seat)
    minutes = round((incident.closed_at - incident.opened_at).total_seconds() / 60)
    out = [
        tr("crisis.note.title", lang, who=who),
        tr(
            "crisis.note.times",
            lang,
            opened=_time(incident.opened_at, tz),
            closed=_time(incident.closed_at, tz),
            minutes=minutes,
        ),
        "",
        tr("crisis.note.steps", lang),
    ]
    for done in incident.steps:
        policy_step = steps.get(done.step)
        text = policy_step.text_in(lang) if policy_step else done.text.split("\n")[0] or done.step
        if done.done_at is None:
            out.append(tr("crisis.note.step_not_done", lang, step=text))
        else:
            out.append(tr("crisis.note.step_done", lang, time=_time(done.done_at, tz), step=text))
        if done.observation.strip():
            out.append(tr("crisis.note.step_observation", lang, text=done.observation.strip()))
    out.append("")
    if incident.observation.strip():
        out.append(tr("crisis.note.observation", lang, text=incident.observation.strip()))
    outcome = f"crisis.outcome.{incident.outcome}" if incident.outcome else "crisis.outcome.unsaid"
    out.append(tr("crisis.note.outcome", lang, outcome=tr(outcome, lang)))
    out.append(
        tr("crisis.note.resources_used", lang, names=_lines(incident.resources_used, lines, lang))
    )
    out.append(tr("crisis.note.referral", lang, names=_lines(incident.referral, lines, lang)))
    if incident.drops:
        out.append(tr("crisis.note.drops", lang, count=incident.drops))
    return "\n".join(out)
