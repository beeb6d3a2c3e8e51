"""The private side room in the live room (``room.py`` puts the parts together). No I/O."""

from __future__ import annotations

from groupdesk.core.journal_kinds import (
    SideRoomEntry,
)
from groupdesk.core.protocol import (
    ClientApp,
    SideRoom,
)
from groupdesk.core.session.room_base import RoomBase
from groupdesk.core.session.room_events import (
    Changed,
    Journal,
    MediaReach,
    MembersChanged,
    RoomOutput,
    Send,
)
from groupdesk.core.session.side_room import SideRoomState

SIDE_ROOM_REMINDER_S = 5.0
"""How often the facilitator who opened a side room tells everyone again."""


class RoomSideRoom(RoomBase):
    """A facilitator steps aside with one member; every app leaves the other side alone."""

    def open_side_room(self, seat: str) -> list[RoomOutput]:
        """A facilitator steps aside with the member in ``seat``: the two see and hear
        only each other until :meth:`close_side_room`; everyone is told."""
        if not self.facilitator or seat == self.self_seat or seat not in self.seats.members:
            return []
        members = (self.self_seat, seat)
        event = SideRoom(members=members)
        self._side_told_at = self._clock()
        return [
            Send(ClientApp(event=event)),
            *self._side_room(frozenset(members), by=self.self_seat),
        ]

    def close_side_room(self) -> list[RoomOutput]:
        """Back to the group: nobody is aside any more; everyone is told."""
        if not self.facilitator or not self.side.active:
            return []
        return self._side_room_closed_by_us()

    def side_room_reminder(self) -> list[RoomOutput]:
        """Call every second: while our side room lasts, everyone is told again every
        :data:`SIDE_ROOM_REMINDER_S` seconds (a page reloaded meanwhile learns it: its
        seat is the same, so nobody joined to be told)."""
        now = self._clock()
        if not self._opened_side() or now - self._side_told_at < SIDE_ROOM_REMINDER_S:
            return []
        self._side_told_at = now
        return [Send(ClientApp(event=SideRoom(members=tuple(sorted(self.side.members)))))]

    def _opened_side(self) -> bool:
        return self.facilitator and self.side.opened_by == self.self_seat

    def _side_room_closed_by_us(self) -> list[RoomOutput]:
        closing = self._side_room(frozenset(), by=self.self_seat)
        return [Send(ClientApp(event=SideRoom())), *closing]

    def _side_room(self, members: frozenset[str], *, by: str) -> list[RoomOutput]:
        """The side room is now ``members`` (empty: closed), as facilitator ``by`` said:
        what our media may reach, the tiles, and (a facilitator's room) the journal."""
        before = self.side
        if members == before.members:
            return []
        self.side = SideRoomState(members, by if members else None)
        out: list[RoomOutput] = [
            MediaReach(self.side.blocked_for(self.self_seat, self.seats.members))
        ]
        out += [MembersChanged(), Changed()]
        if self.facilitator:
            opener = before.opened_by or by
            for seat in sorted(before.members - members - {opener}):
                out.append(Journal(SideRoomEntry("side_room.left", seat, self.id_of(seat), opener)))
            for seat in sorted(members - before.members - {by}):
                out.append(Journal(SideRoomEntry("side_room.entered", seat, self.id_of(seat), by)))
        return out
