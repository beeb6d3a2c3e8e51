"""The lobby of a live room: who is waiting, and who in the group each seems to be.

The server lists everyone waiting, in arrival order, each time the lobby changes;
:class:`RoomLobby` turns those lists into arrivals and departures (:class:`Knocked`,
:class:`LeftLobby`), keeps each person's entry (and the facilitator's identity check)
from one list to the next, and remembers, for the seats a facilitator admits, the group
member they were admitted as: the log records their attendance under that id (or,
matched to nobody, as a guest under the name they declared). "On the list" means
matched to a member expected at this session.

It also holds the participant checklist's side of admission (the rules are in
``checklist.py``): the room's questions, which required items each person has not
met, the facilitator's identity mark, a member's answers from an earlier session
offered again, and, for each seat admitted, what they answered and why they were let
in (a reason when required items were unmet).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from groupdesk.core.models import Attendance, Member
from groupdesk.core.protocol import LobbyEntry, Question
from groupdesk.core.session import checklist
from groupdesk.core.session.checklist import Previous
from groupdesk.core.session.room_events import (
    Knocked,
    LeftLobby,
    LoadPrevious,
    LobbyChanged,
    ViewOutput,
)
from groupdesk.core.session.room_state import Waiting

LobbyOutput = ViewOutput | LoadPrevious


@dataclass(frozen=True)
class Admission:
    """How the person now in a seat was admitted: as they waited, the required items
    they had not met, and the facilitator's reason for admitting them anyway."""

    person: Waiting
    unmet: tuple[str, ...]
    reason: str | None


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


class RoomLobby:
    """The people waiting in the lobby of one room, and the group they may belong to."""

    def __init__(self) -> None:
        self.waiting: list[Waiting] = []
        """Everyone waiting, in arrival order."""
        self.roster: list[Member] = []
        """The group's members (the facilitator's room); empty for a participant."""
        self.expected: set[int] = set()
        """Members expected at this session: preferred when two share a name."""
        self.questions: tuple[Question, ...] = ()
        """What the room asks participants before admission (the policy's checklist)."""
        self.consent_version: str | None = None
        """The version of the consent text the room offers on the page (None: none)."""
        self._admitted: dict[str, int | None] = {}
        self._admissions: dict[str, Admission] = {}
        self._knocked: set[str] = set()

    def clear(self) -> list[ViewOutput]:
        """Start over for a new session: nobody waiting, nobody admitted (the group stays
        until ``know_group`` says another)."""
        gone = [person.seat for person in self.waiting]
        self.waiting = []
        self._admitted, self._admissions, self._knocked = {}, {}, set()
        return [LeftLobby(seat) for seat in gone]

    def know_group(self, roster: Iterable[Member], expected: Iterable[int]) -> None:
        """The group's members, and those expected at this session."""
        self.roster, self.expected = list(roster), set(expected)

    def person(self, seat: str) -> Waiting | None:
        """The person waiting in ``seat``, if any."""
        return next((p for p in self.waiting if p.seat == seat), None)

    def member_name(self, member_id: int | None) -> str:
        """The group member's name for a log id (for the lobby's "who is this")."""
        return next((m.display_name for m in self.roster if m.id == member_id), "")

    def stay_name(self, stay: Attendance) -> str:
        """Who a stay in the attendance is: the member's name, or the guest's declared one."""
        if stay.member_id is None:
            return stay.guest_name
        return self.member_name(stay.member_id) or "?"

    def know_questions(self, questions: Sequence[Question], consent_version: str | None) -> None:
        """What the room asks before admission, and the version of its consent text."""
        self.questions, self.consent_version = tuple(questions), consent_version

    def update(self, entries: Sequence[LobbyEntry]) -> list[LobbyOutput]:
        """The server's list of everyone waiting, in arrival order."""
        old = {p.seat: p for p in self.waiting}
        self.waiting = []
        out: list[LobbyOutput] = [LobbyChanged()]
        for entry in entries:
            person = old.get(entry.member)
            if person is None:
                person = Waiting(
                    seat=entry.member,
                    name=entry.display_name,
                    declared=dict(entry.declared),
                    since=entry.waiting_since,
                    match=self._guess(entry.display_name),
                )
                if person.match is not None:
                    out.append(LoadPrevious(person.seat, person.match))
            self.waiting.append(person)
        now = {p.seat for p in self.waiting}
        out += [LeftLobby(seat) for seat in old if seat not in now]
        for person in self.waiting:
            if person.seat not in self._knocked:
                self._knocked.add(person.seat)
                out.append(Knocked(person.seat))
        return out

    def seated(self, seat: str) -> list[ViewOutput]:
        """The person in ``seat`` joined the room: they no longer wait.

        The server says so twice -- ``member_joined``, then a new ``lobby`` -- and
        between the two nobody must count them both as waiting and as in the room.
        """
        if self.person(seat) is None:
            return []
        self.waiting = [person for person in self.waiting if person.seat != seat]
        return [LobbyChanged(), LeftLobby(seat)]

    def on_the_list(self, person: Waiting) -> bool:
        """True when ``person`` is taken to be a member expected at this session (when no
        one was listed as expected, any member of the group)."""
        if person.match is None:
            return False
        return person.match in self.expected if self.expected else True

    def not_on_the_list(self) -> list[Waiting]:
        """Those waiting who match no expected member, in arrival order."""
        return [person for person in self.waiting if not self.on_the_list(person)]

    def set_match(self, seat: str, member_id: int | None) -> list[LobbyOutput]:
        """Who in the group the person waiting in ``seat`` is. Another match drops what
        belonged to the last one: the identity mark, the earlier answers."""
        person = self.person(seat)
        if person is None or person.match == member_id:
            return []
        person.match = member_id
        person.identity_verified, person.previous, person.from_previous = False, None, {}
        load = [LoadPrevious(seat, member_id)] if member_id is not None else []
        return [LobbyChanged(), *load]

    # -- the checklist ---------------------------------------------------------------

    def unmet(self, person: Waiting) -> tuple[str, ...]:
        """The required items ``person`` has not met (their answers, with those taken
        from an earlier session)."""
        return checklist.unmet(self.questions, person.answers)

    def admissible(self) -> list[Waiting]:
        """Those waiting who meet every required item, in arrival order."""
        return [person for person in self.waiting if not self.unmet(person)]

    def held(self) -> list[Waiting]:
        """Those waiting who have not met some required item, in arrival order."""
        return [person for person in self.waiting if self.unmet(person)]

    def verify(self, seat: str, verified: bool) -> bool:
        """Mark the identity of the person waiting in ``seat``; True when it changed."""
        person = self.person(seat)
        if person is None or person.identity_verified == verified:
            return False
        person.identity_verified = verified
        return True

    def know_previous(self, seat: str, previous: Previous) -> bool:
        """``previous``: the answers at an earlier session of the member the person in
        ``seat`` is taken to be; True when it is still their match."""
        person = self.person(seat)
        if person is None or person.match != previous.member:
            return False
        person.previous = previous
        return True

    def offered_again(self, person: Waiting) -> dict[str, str]:
        """What may be taken from ``person``'s earlier answers: the words they left out
        today and not taken yet (never a tick, never a location)."""
        if person.previous is None:
            return {}
        offered = checklist.offered_again(self.questions, person.previous.answers)
        asked = {q.id: q for q in self.questions}
        return {
            k: v
            for k, v in offered.items()
            if k not in person.from_previous and not checklist.met(asked[k], person.declared.get(k))
        }

    def use_previous(self, seat: str) -> tuple[str, ...]:
        """The facilitator confirmed with the person their earlier answers to what they
        left out today: those answers are theirs now. The items taken."""
        person = self.person(seat)
        if person is None:
            return ()
        taken = self.offered_again(person)
        person.from_previous.update(taken)
        return tuple(taken)

    def admitting(self, seat: str, reason: str | None = None) -> Waiting | None:
        """The person in ``seat`` is being admitted: they will be seated as their match;
        ``reason``: why, when required items are unmet."""
        person = self.person(seat)
        if person is not None:
            self._admitted[seat] = person.match
            self._admissions[seat] = Admission(person, self.unmet(person), reason)
        return person

    def admission(self, seat: str) -> Admission | None:
        """How the person now in ``seat`` was admitted (None: not through this lobby)."""
        return self._admissions.get(seat)

    def admitted_as(self, seat: str) -> int | None:
        """The group member the person now in ``seat`` was admitted as (None: unknown)."""
        return self._admitted.get(seat)

    def _guess(self, name: str) -> int | None:
        """The group member of that name, expected ones first (the facilitator confirms)."""
        wanted = _folded(name)
        found = [m for m in self.roster if _folded(m.display_name) == wanted]
        found.sort(key=lambda m: m.id not in self.expected)
        taken = set(self._admitted.values()) | {p.match for p in self.waiting}
        return next((m.id for m in found if m.id not in taken), None)


def attended(stays: Iterable[Attendance]) -> int:
    """How many people the stays are: one who came back counts once (a guest by name)."""
    return len({(s.member_id, s.guest_name if s.is_guest else "") for s in stays})
