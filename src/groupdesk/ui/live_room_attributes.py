"""What a live session shows of its room: attributes that are the room's. No Qt.

The page reads ``session.stage``, ``session.members``, ``session.lobby``...; the room's
core (``core.session.room.Room``) holds them. :class:`RoomAttributes` (a base of
``LiveSession``) reads and writes each one through to the session's ``room``, so there
is one copy, and adds the page's questions about it (a member, who a stay is).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Generic, TypeVar, cast

from groupdesk.core.models import Attendance, Member
from groupdesk.core.protocol import Role
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_lobby import RoomLobby, attended
from groupdesk.core.session.room_seats import RoomSeats
from groupdesk.core.session.room_state import ChatLine, LiveMember, LiveProblem, LiveStage, Waiting
from groupdesk.core.session.safety import SafetySignals

_V = TypeVar("_V")


class _OfRoom(Generic[_V]):
    """An attribute of the session that is its room's (``path`` in ``room``)."""

    def __init__(self, path: str) -> None:
        self._get, (*self._parent, self._name) = attrgetter(path), path.split(".")

    def __get__(self, session: RoomAttributes | None, owner: object = None) -> _V:
        return cast(_V, self if session is None else self._get(session.room))  # None: the class

    def __set__(self, session: RoomAttributes, value: _V) -> None:
        setattr(attrgetter(".".join(self._parent))(session.room) if self._parent
                else session.room, self._name, value)  # fmt: skip


class RoomAttributes:
    """The attributes of a live session that its ``room`` holds (see core.session.room)."""

    room: Room
    attendance: list[Attendance]

    stage = _OfRoom[LiveStage]("stage")
    problem = _OfRoom[LiveProblem | None]("problem")
    role = _OfRoom[Role]("role")
    facilitator = _OfRoom[bool]("facilitator")
    active = _OfRoom[bool]("active")
    self_seat = _OfRoom[str]("self_seat")
    muted = _OfRoom[bool]("muted")
    camera_off = _OfRoom[bool]("camera_off")
    hand_raised = _OfRoom[bool]("hand_raised")
    mute_requested = _OfRoom[bool]("mute_requested")
    reconnecting = _OfRoom[bool]("reconnecting")
    admitted_count = _OfRoom[int]("admitted_count")
    waiting_room = _OfRoom[RoomLobby]("lobby")
    lobby = _OfRoom[list[Waiting]]("lobby.waiting")
    roster = _OfRoom[list[Member]]("lobby.roster")
    expected = _OfRoom[set[int]]("lobby.expected")
    seats = _OfRoom[RoomSeats]("seats")
    members = _OfRoom[dict[str, LiveMember]]("seats.members")
    spotlight = _OfRoom[str | None]("seats.spotlight")
    safety = _OfRoom[SafetySignals]("safety")
    safety_requested = _OfRoom[bool]("safety_requested")
    chat = _OfRoom[list[ChatLine]]("chat")

    def member(self, seat: str) -> LiveMember | None:
        """The member in ``seat``, if seated."""
        return self.members.get(seat)

    def member_name(self, member_id: int | None) -> str:
        """The group member's name for a log id (for the lobby's "who is this")."""
        return self.waiting_room.member_name(member_id)

    def stay_name(self, stay: Attendance) -> str:
        """Who a stay in the attendance is: the member's name, or the guest's declared one."""
        return self.waiting_room.stay_name(stay)

    @property
    def attended_count(self) -> int:
        """After the end: how many people attended (one who came back counts once)."""
        return attended(self.attendance)
