"""The seats of a live room: who is in, what each tile shows, the spotlight.

:class:`LiveSeats` keeps one :class:`LiveMember` per seat and updates their
indicators from what the others announce (hand, mute, camera), from the media
(speaking, connection, quality) and from the frames that arrive (a picture that
stopped moving is shown as frozen).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import assert_never

from PySide6.QtCore import QObject, Signal

from groupdesk.core.protocol import LowerHand, MediaState, RaiseHand
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged, PeerStats, VoiceActivity
from groupdesk.ui.live_members import LiveMember, quality_of


class LiveSeats(QObject):
    """The members seated in one room (the local person included).

    Signals:
        ``changed()``: a seat was freed, or the spotlight moved (whoever seats a
        member says so once all are seated).
        ``updated(str)``: a member's indicators changed (mute, hand, speaking...).
    """

    changed = Signal()
    updated = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.members: dict[str, LiveMember] = {}
        self.spotlight: str | None = None
        """The seat everyone sees large (None: the grid)."""
        self._frozen: set[str] = set()
        self.safety_signals: dict[str, datetime] = {}
        """Who sent a safety signal (seat; kept after they leave), and when last."""

    def clear(self) -> None:
        """Nobody seated (a new session)."""
        self.members, self.spotlight = {}, None
        self._frozen = set()
        self.safety_signals = {}

    def seat(
        self,
        seat: str,
        name: str,
        role: str,
        joined_at: datetime,
        *,
        self_seat: str,
        muted: bool,
        camera_off: bool,
        log_member_id: int | None,
    ) -> LiveMember:
        """Seat a member (``muted`` and ``camera_off`` are ours, for our own seat)."""
        is_self = seat == self_seat
        member = LiveMember(seat=seat, name=name, role=role, is_self=is_self)
        if is_self:
            member.state = PeerState.CONNECTED
            member.muted, member.camera_off = muted, camera_off
        member.joined_at = joined_at
        member.log_member_id = log_member_id
        self.members[seat] = member
        return member

    def unseat(self, seat: str) -> LiveMember | None:
        """Free ``seat``; the member who was in it, if any."""
        member = self.members.pop(seat, None)
        if self.spotlight == seat:
            self.spotlight = None
        if member is not None:
            self.changed.emit()
        return member

    def set_spotlight(self, seat: object) -> None:
        """Spotlight a seated member (anything else: back to the grid)."""
        self.spotlight = seat if isinstance(seat, str) and seat in self.members else None
        self.changed.emit()

    def show(
        self,
        seat: str,
        *,
        muted: bool | None = None,
        camera_off: bool | None = None,
        hand_raised: bool | None = None,
    ) -> None:
        """Set a member's own indicators (those given)."""
        member = self.members.get(seat)
        if member is None:
            return
        if muted is not None:
            member.muted = muted
        if camera_off is not None:
            member.camera_off = camera_off
        if hand_raised is not None:
            member.hand_raised = hand_raised
        self.updated.emit(seat)

    def announced(self, seat: str, event: RaiseHand | LowerHand | MediaState) -> None:
        """What a member's app announced (hand raised or lowered, mute, camera)."""
        member = self.members.get(seat)
        if member is None:
            return
        match event:
            case RaiseHand() | LowerHand():
                member.hand_raised = isinstance(event, RaiseHand)
            case MediaState(muted=muted, camera_off=camera_off):
                member.muted, member.camera_off = muted, camera_off
            case _:
                assert_never(event)
        self.updated.emit(seat)

    def safety_signalled(self, seat: str, when: datetime) -> None:
        """``seat`` sent a safety signal (only a facilitator's app is told of one)."""
        self.safety_signals[seat] = when
        member = self.members.get(seat)
        if member is not None and not member.safety_signal:
            member.safety_signal = True
            self.updated.emit(seat)

    def media(self, event: MediaEvent) -> None:
        """What the media says of a member: speaking, connection, quality."""
        if isinstance(event, VoiceActivity):
            member = self.members.get(event.member_id)
            if member is not None and member.speaking != event.speaking:
                member.speaking = event.speaking
                self.updated.emit(member.seat)
        elif isinstance(event, PeerStateChanged):
            member = self.members.get(event.member_id)
            if member is not None and member.state != event.state:
                member.state = event.state
                self.updated.emit(member.seat)
        elif isinstance(event, PeerStats):
            member = self.members.get(event.member_id)
            if member is not None:
                member.quality, member.fps = quality_of(event), event.fps
                self.updated.emit(member.seat)

    def framed(self, seat: str) -> bool:
        """A new picture of ``seat`` arrived; False when nobody sits there."""
        member = self.members.get(seat)
        if member is None:
            return False
        member.frames += 1
        member.last_frame_at = time.monotonic()
        if seat in self._frozen:
            self._frozen.discard(seat)
            self.updated.emit(seat)
        return True

    def check_frozen(self) -> None:
        """Show as frozen each picture that stopped moving."""
        now = time.monotonic()
        for member in self.members.values():
            if member.frozen(now) and member.seat not in self._frozen:
                self._frozen.add(member.seat)
                self.updated.emit(member.seat)
