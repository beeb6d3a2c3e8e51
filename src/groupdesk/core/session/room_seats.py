"""The seats of a live room: who is in, what each tile shows, the spotlight.

:class:`RoomSeats` keeps one :class:`LiveMember` per seat and updates their indicators
from what the others announce (hand, mute, camera), from the media (speaking,
connection, quality) and from the pictures that arrive (one that stopped moving is
shown as frozen). Each change says which seat changed (:class:`MemberChanged`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import assert_never

from groupdesk.core.protocol import LowerHand, MediaState, RaiseHand, Role
from groupdesk.core.session.room_events import MemberChanged, MembersChanged, ViewOutput
from groupdesk.core.session.room_state import LiveMember, PeerState, quality_from


class RoomSeats:
    """The members seated in one room (the local person included)."""

    def __init__(self) -> None:
        self.members: dict[str, LiveMember] = {}
        """Everyone in the room, by seat."""
        self.spotlight: str | None = None
        """The seat everyone sees large (None: the grid)."""
        self._frozen: set[str] = set()

    def clear(self) -> None:
        """Nobody seated (a new session)."""
        self.members, self.spotlight = {}, None
        self._frozen = set()

    def seat(self, member: LiveMember) -> None:
        """Seat ``member`` (ourselves: connected from the start)."""
        if member.is_self:
            member.state = PeerState.CONNECTED
        self.members[member.seat] = member

    def unseat(self, seat: str) -> LiveMember | None:
        """Free ``seat``; the member who was in it, if any."""
        member = self.members.pop(seat, None)
        if self.spotlight == seat:
            self.spotlight = None
        self._frozen.discard(seat)
        return member

    def role(self, seat: str) -> Role | None:
        """The role of whoever sits in ``seat`` (None: nobody)."""
        member = self.members.get(seat)
        return member.role if member is not None else None

    def set_spotlight(self, seat: str | None) -> list[ViewOutput]:
        """Spotlight a seated member (anyone else, or None: back to the grid)."""
        self.spotlight = seat if seat in self.members else None
        return [MembersChanged()]

    def show(
        self,
        seat: str,
        *,
        muted: bool | None = None,
        camera_off: bool | None = None,
        hand_raised: bool | None = None,
    ) -> list[ViewOutput]:
        """Set a member's own indicators (those given)."""
        member = self.members.get(seat)
        if member is None:
            return []
        if muted is not None:
            member.muted = muted
        if camera_off is not None:
            member.camera_off = camera_off
        if hand_raised is not None:
            member.hand_raised = hand_raised
        return [MemberChanged(seat)]

    def announced(self, seat: str, event: RaiseHand | LowerHand | MediaState) -> list[ViewOutput]:
        """What a member's app announced (hand raised or lowered, mute, camera)."""
        match event:
            case RaiseHand() | LowerHand():
                return self.show(seat, hand_raised=isinstance(event, RaiseHand))
            case MediaState(muted=muted, camera_off=camera_off):
                return self.show(seat, muted=muted, camera_off=camera_off)
            case _:
                assert_never(event)

    def show_safety(self, seat: str, signalled: bool) -> list[ViewOutput]:
        """Whether ``seat``'s tile shows a safety signal (only a facilitator's app knows)."""
        member = self.members.get(seat)
        if member is None or member.safety_signal == signalled:
            return []
        member.safety_signal = signalled
        return [MemberChanged(seat)]

    def speaking(self, seat: str, speaking: bool, now: float | None = None) -> list[ViewOutput]:
        """The media heard ``seat`` start or stop speaking (at ``now``, if known)."""
        member = self.members.get(seat)
        if member is None or member.speaking == speaking:
            return []
        member.speaking = speaking
        if now is not None:
            member.last_voice_at = now
        return [MemberChanged(seat)]

    def link(self, seat: str, state: PeerState) -> list[ViewOutput]:
        """The media connection to ``seat`` changed state."""
        member = self.members.get(seat)
        if member is None or member.state == state:
            return []
        member.state = state
        return [MemberChanged(seat)]

    def stats(
        self, seat: str, loss: float | None, rtt_s: float | None, fps: float
    ) -> list[ViewOutput]:
        """The media's statistics of the link to ``seat``: its quality bars."""
        member = self.members.get(seat)
        if member is None:
            return []
        member.quality, member.fps = quality_from(loss, rtt_s), fps
        return [MemberChanged(seat)]

    def framed(self, seat: str, now: float) -> list[ViewOutput] | None:
        """A new picture of ``seat`` arrived at ``now``; None when nobody sits there."""
        member = self.members.get(seat)
        if member is None:
            return None
        member.frames += 1
        member.last_frame_at = now
        if seat in self._frozen:
            self._frozen.discard(seat)
            return [MemberChanged(seat)]
        return []

    def check_frozen(self, now: float, apart: Collection[str] = ()) -> list[ViewOutput]:
        """Show as frozen each picture that stopped moving by ``now`` (not those ``apart``
        from us in a side room: no picture is expected from them)."""
        out: list[ViewOutput] = []
        for member in self.members.values():
            if member.seat in apart:
                continue
            if member.frozen(now) and member.seat not in self._frozen:
                self._frozen.add(member.seat)
                out.append(MemberChanged(member.seat))
        return out
