"""Admission in the live room: the checklist's gate, the identity mark, earlier answers,
and what is kept of each person let in (``room.py`` puts the parts together). No I/O."""

from __future__ import annotations

from collections.abc import Iterable

from groupdesk.core.journal_kinds import (
    AdmissionEntry,
    AdmissionKind,
)
from groupdesk.core.models import Member
from groupdesk.core.protocol import (
    CONSENT_ANSWER,
    Admit,
    Decline,
    Question,
)
from groupdesk.core.session import checklist
from groupdesk.core.session.checklist import Previous
from groupdesk.core.session.room_base import RoomBase
from groupdesk.core.session.room_events import (
    AdmissionHeld,
    AnswersKept,
    ConsentGiven,
    IdentityMarked,
    Journal,
    LobbyChanged,
    MemberChanged,
    RoomOutput,
    Send,
)


class RoomAdmission(RoomBase):
    """A facilitator's lobby: who is let in, on what answers, and why."""

    def _admitted_by_another(self, seat: str) -> list[RoomOutput]:
        """Someone from our lobby was seated, admitted by another facilitator of the room
        (a co-facilitator): seated as who they were matched to here, their answers kept
        here too (that facilitator's reason, if any, stays in their app)."""
        if not self.facilitator or self.lobby.person(seat) is None:
            return []
        if self.lobby.admission(seat) is not None:
            return []  # we admitted them
        self.lobby.admitting(seat)
        return self._answers_kept(seat)

    def _answers_kept(self, seat: str) -> list[RoomOutput]:
        """Someone we admitted: their answers to the log, the override journalled, and
        their consent given on the page recorded."""
        admission = self.lobby.admission(seat)
        if admission is None or not self.facilitator:
            return []
        person, member, now = admission.person, admission.person.match, self._wall()
        out: list[RoomOutput] = []
        if admission.reason is not None:
            entry = AdmissionEntry("lobby.admitted_anyway", seat, member, admission.unmet)
            out.append(Journal(entry))
        out.append(
            AnswersKept(
                seat=seat,
                member=member,
                guest_name=person.name if member is None else "",
                answers=checklist.kept_answers(self.lobby.questions, person.answers),
                asked=checklist.asked_items(self.lobby.questions),
                unmet=admission.unmet,
                override_reason=admission.reason,
                identity_verified=person.identity_verified,
                from_previous=tuple(person.from_previous),
                at=now,
            )
        )
        version = self.lobby.consent_version
        if member is not None and version and person.declared.get(CONSENT_ANSWER) == version:
            out.append(ConsentGiven(member, version, now))
        return out

    # -- the lobby (facilitator) -----------------------------------------------------

    def know_group(self, roster: Iterable[Member], expected: Iterable[int]) -> None:
        """The group's members, and those expected at this session."""
        self.lobby.know_group(roster, expected)

    def know_questions(
        self, questions: Iterable[Question], consent_version: str | None = None
    ) -> None:
        """What the room asks participants before admission, and the version of the
        consent text it offers on the page (None: none)."""
        self.lobby.know_questions(tuple(questions), consent_version)

    def set_match(self, seat: str, member_id: int | None) -> list[RoomOutput]:
        """Who in the group the person waiting in ``seat`` is (identity check)."""
        return [*self.lobby.set_match(seat, member_id)]

    def know_previous(self, seat: str, previous: Previous) -> list[RoomOutput]:
        """The answers at an earlier session of the member the person in ``seat`` is
        taken to be (read from the log after a :class:`LoadPrevious`)."""
        return [LobbyChanged()] if self.lobby.know_previous(seat, previous) else []

    def use_previous(self, seat: str) -> list[RoomOutput]:
        """The facilitator confirmed with the person in ``seat`` their earlier answers to
        what they left out today (a phone number, an emergency contact)."""
        person = self.lobby.person(seat)
        if not self.facilitator or person is None:
            return []
        taken = self.lobby.use_previous(seat)
        if not taken:
            return []
        entry = AdmissionEntry("lobby.previous_answers_used", seat, person.match, taken)
        return [LobbyChanged(), Journal(entry)]

    def verify_identity(self, seat: str, verified: bool = True) -> list[RoomOutput]:
        """The facilitator verified who the person in ``seat`` is (waiting or seated),
        or takes the mark back."""
        if not self.facilitator:
            return []
        kind: AdmissionKind = (
            "member.identity_verified" if verified else "member.identity_unverified"
        )
        if self.lobby.verify(seat, verified):
            person = self.lobby.person(seat)
            member = person.match if person is not None else None
            return [LobbyChanged(), Journal(AdmissionEntry(kind, seat, member))]
        seated = self.seats.members.get(seat)
        if seated is None or seated.role != "participant" or seated.identity_verified == verified:
            return []
        seated.identity_verified = verified
        entry = AdmissionEntry(kind, seat, seated.log_member_id)
        return [MemberChanged(seat), Journal(entry), IdentityMarked(seat, verified)]

    def admit(self, seat: str, reason: str | None = None) -> list[RoomOutput]:
        """Admit the person waiting in ``seat`` (seated as the member they were matched
        to). Someone who has not met the checklist's required items is held
        (:class:`AdmissionHeld`) unless the facilitator gives a ``reason``."""
        person = self.lobby.person(seat)
        if not self.facilitator or person is None:
            return []
        reason = " ".join((reason or "").split()) or None
        unmet = self.lobby.unmet(person)
        if unmet and reason is None:
            return [AdmissionHeld(seat, unmet)]
        self.lobby.admitting(seat, reason if unmet else None)
        return [Send(Admit(member=seat))]

    def admit_all(self) -> list[RoomOutput]:
        """Admit everyone waiting who meets the required items; the others stay (the
        lobby's ``held()`` says who)."""
        return [out for person in self.lobby.admissible() for out in self.admit(person.seat)]

    def decline(self, seat: str) -> list[RoomOutput]:
        """Turn away the person waiting in ``seat``."""
        person = self.lobby.person(seat)
        if person is None or not self.facilitator:
            return []
        self._declined[seat] = person.match
        return [Send(Decline(member=seat))]
