"""The lobby of a live room: who is waiting, and who in the group each seems to be.

The server lists everyone waiting, in arrival order, each time the lobby changes;
:class:`RoomLobby` turns those lists into arrivals and departures (:class:`Knocked`,
:class:`LeftLobby`), keeps each person's entry (and the facilitator's identity check)
from one list to the next, and remembers, for the seats a facilitator admits, the group
member they were admitted as: the log records their attendance under that id (or,
matched to nobody, as a guest under the name they declared). "On the list" means
matched to a member expected at this session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from groupdesk.core.models import Attendance, Member
from groupdesk.core.protocol import LobbyEntry
from groupdesk.core.session.room_events import Knocked, LeftLobby, LobbyChanged, ViewOutput
from groupdesk.core.session.room_state import Waiting


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
        self._admitted: dict[str, int | None] = {}
        self._knocked: set[str] = set()

    def clear(self) -> list[ViewOutput]:
        """Start over for a new session: nobody waiting, nobody admitted (the group stays
        until ``know_group`` says another)."""
        gone = [person.seat for person in self.waiting]
        self.waiting = []
        self._admitted, self._knocked = {}, set()
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

    def update(self, entries: Sequence[LobbyEntry]) -> list[ViewOutput]:
        """The server's list of everyone waiting, in arrival order."""
        old = {p.seat: p for p in self.waiting}
        self.waiting = []
        for entry in entries:
            person = old.get(entry.member) or Waiting(
                seat=entry.member,
                name=entry.display_name,
                declared=dict(entry.declared),
                since=entry.waiting_since,
                match=self._guess(entry.display_name),
            )
            self.waiting.append(person)
        out: list[ViewOutput] = [LobbyChanged()]
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

    def set_match(self, seat: str, member_id: int | None) -> list[ViewOutput]:
        """Who in the group the person waiting in ``seat`` is (identity check)."""
        for person in self.waiting:
            if person.seat == seat:
                person.match = member_id
        return [LobbyChanged()]

    def admitting(self, seat: str) -> Waiting | None:
        """The person in ``seat`` is being admitted: they will be seated as their match."""
        person = self.person(seat)
        if person is not None:
            self._admitted[seat] = person.match
        return person

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
