"""What the parts of the live room share (``room.py`` puts them together). No I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from groupdesk.core.protocol import (
    Role,
)
from groupdesk.core.session.room_lobby import RoomLobby
from groupdesk.core.session.room_seats import RoomSeats
from groupdesk.core.session.side_room import SideRoomState


class RoomBase:
    """What the room's parts share: the role, the lobby, the seats, the clocks."""

    role: Role
    self_seat: str
    lobby: RoomLobby
    seats: RoomSeats
    side: SideRoomState
    _declined: dict[str, int | None]
    _side_told_at: float
    _clock: Callable[[], float]
    _wall: Callable[[], datetime]

    @property
    def facilitator(self) -> bool:
        """True when this app runs the room (not a participant)."""
        return self.role == "facilitator"

    def id_of(self, seat: str) -> int | None:
        """The group member's log id of whoever sits in ``seat`` (None: a guest, nobody)."""
        member = self.seats.members.get(seat)
        return member.log_member_id if member else None
