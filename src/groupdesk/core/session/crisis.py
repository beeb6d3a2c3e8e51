"""One crisis, sans-I/O: the protocol's steps, the person's contact, the alerts, the record.

A facilitator opens the crisis panel for one seated member (:meth:`Crisis.open`). The
panel shows at once what the member declared before admission (:class:`Contact`: where
they are, the region it is in, their phone, their emergency contact) and the crisis lines
of the policy, those of their region and language first (:func:`resources_for`; both in
:mod:`groupdesk.core.session.crisis_lines`). The policy's protocol is a list of steps,
each ticked with its time (and unticked, if ticked by mistake), with free-text
observations beside it and in general.

While the panel is open its adapter feeds it what the room learns:

* the member's connection dropped (:meth:`Crisis.member_dropped`: the media link to the
  seat is reconnecting or closed, or the server released the seat) or came back
  (:meth:`Crisis.member_back`). While dropped, the view says so and puts the phone number
  and the policy's ``when_dropped`` step ("call them back") first;
* the clock, with when the member was last heard and last seen (:meth:`Crisis.tick`, or
  :meth:`Crisis.watch` with their :class:`LiveMember`): silent, or with a picture frozen,
  for the policy's threshold raises an alert (:class:`CrisisAlert`, audible if the policy
  says so) once per episode; it clears when their voice or pictures return.

Closing (:meth:`Crisis.close`) hands the adapter the :class:`Incident` to keep in the
encrypted session log (``KeepIncident``). The journal gets ids and times only
(:class:`CrisisEntry`: seat, member, step id, seconds), never a word of the observations.

Times: ``at`` is the wall clock (a datetime, kept in the record); ``now`` and the last
voice and picture are the room's monotonic clock (seconds), as :class:`LiveMember` keeps
them. No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from groupdesk.core.journal_kinds import CrisisEntry, CrisisKind
from groupdesk.core.models import CRISIS_OUTCOMES, IncidentStep
from groupdesk.core.policy_values import CrisisResource, CrisisStep, Policy
from groupdesk.core.protocol import Question
from groupdesk.core.session.crisis_lines import Contact, resources_for
from groupdesk.core.session.room_events import Journal
from groupdesk.core.session.room_state import LiveMember

AlertKind = Literal["dropped", "silence", "freeze"]
Outcome = Literal["safe", "emergency_services", "referred", "contact_lost", "other"]
OUTCOMES: tuple[Outcome, ...] = ("safe", "emergency_services", "referred", "contact_lost", "other")
assert OUTCOMES == CRISIS_OUTCOMES

# ------------------------------------------------------------------ the settings


@dataclass(frozen=True)
class CrisisSettings:
    """The policy's thresholds of the alerts, in seconds, and whether they sound."""

    silence_seconds: float = 20.0
    freeze_seconds: float = 10.0
    sound: bool = False

    def __post_init__(self) -> None:
        if self.silence_seconds <= 0 or self.freeze_seconds <= 0:
            raise ValueError("the crisis alerts' thresholds are positive seconds")

    @classmethod
    def of(cls, policy: Policy) -> CrisisSettings:
        """The settings of the effective policy."""
        return cls(
            float(policy.crisis_silence_seconds),
            float(policy.crisis_freeze_seconds),
            policy.crisis_alert_sound,
        )


# ------------------------------------------------------------------ what comes out


@dataclass(frozen=True)
class CrisisChanged:
    """The crisis panel of ``seat`` shows something new (a step, a note, an alert...)."""

    seat: str


@dataclass(frozen=True)
class CrisisAlert:
    """Alert the facilitator: the person in ``seat`` dropped, or has been silent or their
    picture frozen for ``seconds``; ``sound``: make it audible too (the policy's choice)."""

    seat: str
    kind: AlertKind
    seconds: float
    sound: bool


@dataclass(frozen=True)
class CrisisAlertCleared:
    """The alert of ``kind`` for ``seat`` is over (they are back, heard or seen again)."""

    seat: str
    kind: AlertKind


@dataclass(frozen=True)
class Incident:
    """The record of one crisis, as the panel closed it: who (``member``, None: a guest
    by ``guest_name``; ``seat`` in the journal), when it opened and closed, each protocol
    step with its time and observation, the general observations, the resources used,
    the ``outcome`` (one of :data:`OUTCOMES`, None: not said) and the referral (resource
    ids). Personal data: the encrypted session log keeps it, the journal never."""

    seat: str
    member: int | None
    guest_name: str
    opened_at: datetime
    closed_at: datetime
    steps: tuple[IncidentStep, ...]
    observation: str
    resources_used: tuple[str, ...]
    outcome: Outcome | None
    referral: tuple[str, ...]
    drops: int = 0


@dataclass(frozen=True)
class KeepIncident:
    """The panel closed: keep ``incident`` in the session log (``SessionLog.add_incident``)."""

    incident: Incident


CrisisOutput = Journal | CrisisChanged | CrisisAlert | CrisisAlertCleared | KeepIncident
"""What a crisis asks its adapter to do or to show."""


# ------------------------------------------------------------------ what the panel shows


@dataclass(frozen=True)
class StepView:
    """One step as the panel shows it: ticked at ``done_at`` (None: not yet)."""

    step: CrisisStep
    done_at: datetime | None
    observation: str


@dataclass(frozen=True)
class CrisisView:
    """Everything the crisis panel shows, in its order. ``dropped``: the person's connection
    is down (since ``dropped_at``): the panel says so, ``call_first`` is the number to call
    and the ``when_dropped`` steps come first in ``steps``."""

    seat: str
    member: int | None
    opened_at: datetime
    contact: Contact
    resources: tuple[CrisisResource, ...]
    steps: tuple[StepView, ...]
    alerts: tuple[CrisisAlert, ...]
    dropped: bool
    dropped_at: datetime | None
    call_first: str | None
    observation: str
    resources_used: tuple[str, ...]
    outcome: Outcome | None
    referral: tuple[str, ...]
    closed: bool


# ------------------------------------------------------------------ the machine


@dataclass
class _Step:
    step: CrisisStep
    done_at: datetime | None = None
    observation: str = ""


class CrisisClosedError(ValueError):
    """The crisis was closed: nothing more can be ticked, noted or recorded in it."""


class Crisis:
    """The crisis panel's state for one member (create it with :meth:`open`)."""

    def __init__(
        self,
        seat: str,
        member: int | None,
        *,
        opened_at: datetime,
        protocol: Sequence[CrisisStep],
        settings: CrisisSettings,
        contact: Contact,
        resources: Sequence[CrisisResource],
        guest_name: str = "",
    ) -> None:
        if not protocol:
            raise ValueError("a crisis protocol has at least one step")
        self.seat, self.member, self.guest_name = seat, member, guest_name
        self.opened_at = opened_at
        self.settings = settings
        self.contact = contact
        self.resources = tuple(resources)
        self._steps = {step.id: _Step(step) for step in protocol}
        self.observation = ""
        self.outcome: Outcome | None = None
        self.referral: tuple[str, ...] = ()
        self.resources_used: tuple[str, ...] = ()
        self.dropped_at: datetime | None = None
        self.drops = 0
        self.closed_at: datetime | None = None
        self._alerts: dict[AlertKind, CrisisAlert] = {}
        self._watch_from: float | None = None
        """When watching began (the first tick, or the first after coming back)."""

    @classmethod
    def open(
        cls,
        member: LiveMember,
        *,
        at: datetime,
        policy: Policy,
        language: str | None,
        asked: Iterable[Question] = (),
    ) -> tuple[Crisis, list[CrisisOutput]]:
        """The facilitator opens the panel for the seated ``member`` at ``at``: their
        declared contact, the policy's protocol, thresholds and lines (ordered for their
        region and ``language``); ``asked``: the room's questions, to find the answers."""
        contact = Contact.of(member.answers, asked)
        crisis = cls(
            member.seat,
            member.log_member_id,
            opened_at=at,
            protocol=policy.crisis_protocol,
            settings=CrisisSettings.of(policy),
            contact=contact,
            resources=resources_for(policy.crisis_resources, contact.region, language),
            guest_name=member.name if member.log_member_id is None else "",
        )
        return crisis, [crisis._journal("crisis.opened"), CrisisChanged(member.seat)]

    # -- reading ------------------------------------------------------------------

    @property
    def dropped(self) -> bool:
        """Whether the person's connection is down now."""
        return self.dropped_at is not None

    @property
    def closed(self) -> bool:
        """Whether the panel was closed (the incident recorded)."""
        return self.closed_at is not None

    def alerts(self) -> tuple[CrisisAlert, ...]:
        """The alerts on now: dropped first, then silence, then freeze."""
        order: tuple[AlertKind, ...] = ("dropped", "silence", "freeze")
        return tuple(self._alerts[kind] for kind in order if kind in self._alerts)

    def view(self) -> CrisisView:
        """What the panel shows now, in its order."""
        steps = [StepView(s.step, s.done_at, s.observation) for s in self._steps.values()]
        if self.dropped:  # the call-back step first, the others in the protocol's order
            steps.sort(key=lambda s: not s.step.when_dropped)
        return CrisisView(
            seat=self.seat,
            member=self.member,
            opened_at=self.opened_at,
            contact=self.contact,
            resources=self.resources,
            steps=tuple(steps),
            alerts=self.alerts(),
            dropped=self.dropped,
            dropped_at=self.dropped_at,
            call_first=self.contact.phone if self.dropped else None,
            observation=self.observation,
            resources_used=self.resources_used,
            outcome=self.outcome,
            referral=self.referral,
            closed=self.closed,
        )

    # -- the facilitator ----------------------------------------------------------

    def tick_step(self, step: str, at: datetime, done: bool = True) -> list[CrisisOutput]:
        """Tick ``step`` done at ``at`` (or untick it: ``done`` False, a tick by mistake);
        the same again changes nothing."""
        state = self._step(step)
        if (state.done_at is not None) == done:
            return []
        state.done_at = at if done else None
        kind: CrisisKind = "crisis.step_done" if done else "crisis.step_undone"
        return [self._journal(kind, step=step), CrisisChanged(self.seat)]

    def observe(self, text: str, step: str | None = None) -> list[CrisisOutput]:
        """What the facilitator observed, beside ``step`` (None: in general); it replaces
        what was written there. Never journalled: it is kept in the incident record."""
        self._open_or_raise()
        if step is None:
            self.observation = text
        else:
            self._step(step).observation = text
        return [CrisisChanged(self.seat)]

    def use_resources(self, ids: Iterable[str]) -> list[CrisisOutput]:
        """The lines the facilitator used (called, texted, gave), by their ids."""
        self.resources_used = self._resource_ids(ids)
        return [CrisisChanged(self.seat)]

    def refer(self, ids: Iterable[str]) -> list[CrisisOutput]:
        """The lines the person was referred to, by their ids."""
        self.referral = self._resource_ids(ids)
        return [CrisisChanged(self.seat)]

    def set_outcome(self, outcome: Outcome | None) -> list[CrisisOutput]:
        """How the crisis ended (one of :data:`OUTCOMES`; None: not said yet)."""
        self._open_or_raise()
        if outcome is not None and outcome not in OUTCOMES:
            raise ValueError(f"unknown crisis outcome {outcome!r}")
        self.outcome = outcome
        return [CrisisChanged(self.seat)]

    def close(self, at: datetime) -> list[CrisisOutput]:
        """The facilitator closes the panel at ``at``: the incident is to be kept."""
        self._open_or_raise()
        self.closed_at = at
        seconds = round(max(0.0, (at - self.opened_at).total_seconds()), 3)
        cleared = [CrisisAlertCleared(self.seat, kind) for kind in self._alerts]
        self._alerts = {}
        return [
            *cleared,
            self._journal("crisis.closed", seconds=seconds),
            KeepIncident(self.incident()),
            CrisisChanged(self.seat),
        ]

    def incident(self, at: datetime | None = None) -> Incident:
        """The record: as closed, or so far (a draft closing ``at``)."""
        closed_at = self.closed_at or at or self.opened_at
        return Incident(
            seat=self.seat,
            member=self.member,
            guest_name=self.guest_name,
            opened_at=self.opened_at,
            closed_at=closed_at,
            steps=tuple(
                IncidentStep(s.step.id, _both(s.step), s.done_at, s.observation)
                for s in self._steps.values()
            ),
            observation=self.observation,
            resources_used=self.resources_used,
            outcome=self.outcome,
            referral=self.referral,
            drops=self.drops,
        )

    # -- the room -----------------------------------------------------------------

    def member_dropped(self, at: datetime) -> list[CrisisOutput]:
        """The person's connection dropped at ``at`` (their media link is reconnecting or
        closed, or the server released their seat): the panel says so at once, the phone
        and the call-back step first. Silence and freeze are not alerted meanwhile."""
        if self.closed or self.dropped:
            return []
        self.dropped_at = at
        self.drops += 1
        out: list[CrisisOutput] = [
            CrisisAlertCleared(self.seat, kind) for kind in self._alerts if kind != "dropped"
        ]
        alert = CrisisAlert(self.seat, "dropped", 0.0, self.settings.sound)
        self._alerts = {"dropped": alert}
        return [*out, alert, self._journal("crisis.dropped"), CrisisChanged(self.seat)]

    def member_back(self, at: datetime) -> list[CrisisOutput]:
        """The person's connection is back at ``at``: silence and freeze are watched again
        from the next tick."""
        if self.closed or self.dropped_at is None:
            return []
        seconds = round(max(0.0, (at - self.dropped_at).total_seconds()), 3)
        self.dropped_at = None
        self._alerts.pop("dropped", None)
        self._watch_from = None
        return [
            CrisisAlertCleared(self.seat, "dropped"),
            self._journal("crisis.back", seconds=seconds),
            CrisisChanged(self.seat),
        ]

    def watch(self, member: LiveMember, now: float) -> list[CrisisOutput]:
        """:meth:`tick` with what the room knows of the seated ``member``."""
        return self.tick(
            now,
            last_voice=member.last_voice_at,
            speaking=member.speaking,
            last_frame=member.last_frame_at,
            camera_off=member.camera_off,
        )

    def tick(
        self,
        now: float,
        *,
        last_voice: float | None,
        speaking: bool = False,
        last_frame: float | None,
        camera_off: bool = False,
    ) -> list[CrisisOutput]:
        """The clock (call it every second): alert once when the person has not been heard
        for the silence threshold, or their picture has not moved for the freeze threshold
        (since they were last heard or seen, or since watching began); the alert clears
        when their voice or pictures return. A camera turned off, or never on, is not a
        frozen picture."""
        if self.closed or self.dropped:
            return []
        if self._watch_from is None:
            self._watch_from = now
        start = self._watch_from
        heard = now if speaking else max(start, last_voice if last_voice is not None else start)
        out = self._check("silence", now - heard, self.settings.silence_seconds, present=True)
        seen = max(start, last_frame) if last_frame is not None else now
        video = last_frame is not None and not camera_off
        return out + self._check("freeze", now - seen, self.settings.freeze_seconds, video)

    # -- inside -------------------------------------------------------------------

    def _check(
        self, kind: AlertKind, seconds: float, threshold: float, present: bool
    ) -> list[CrisisOutput]:
        on = present and seconds >= threshold
        if on and kind not in self._alerts:
            alert = CrisisAlert(self.seat, kind, round(seconds, 3), self.settings.sound)
            self._alerts[kind] = alert
            entry = self._journal(
                "crisis.silence" if kind == "silence" else "crisis.freeze",
                seconds=round(seconds, 3),
            )
            return [alert, entry, CrisisChanged(self.seat)]
        if not on and kind in self._alerts:
            del self._alerts[kind]
            return [CrisisAlertCleared(self.seat, kind), CrisisChanged(self.seat)]
        return []

    def _journal(
        self, kind: CrisisKind, *, step: str | None = None, seconds: float | None = None
    ) -> Journal:
        return Journal(CrisisEntry(kind, self.seat, self.member, step=step, seconds=seconds))

    def _open_or_raise(self) -> None:
        if self.closed:
            raise CrisisClosedError(f"the crisis of seat {self.seat!r} is closed")

    def _step(self, step: str) -> _Step:
        self._open_or_raise()
        state = self._steps.get(step)
        if state is None:
            raise ValueError(f"{step!r} is not a step of this crisis protocol")
        return state

    def _resource_ids(self, ids: Iterable[str]) -> tuple[str, ...]:
        self._open_or_raise()
        known = {r.id for r in self.resources}
        chosen = tuple(dict.fromkeys(ids))
        unknown = [i for i in chosen if i not in known]
        if unknown:
            raise ValueError(f"not in the crisis directory: {unknown}")
        return chosen


def _both(step: CrisisStep) -> str:
    """A step's words as the record keeps them: each language the policy gave, on its line
    (a later reader knows what was ticked even after the policy changed)."""
    return "\n".join(step.text[lang] for lang in ("fr_CA", "en") if step.text.get(lang))
