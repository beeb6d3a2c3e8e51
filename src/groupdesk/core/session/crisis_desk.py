"""The crisis panels open in a facilitator's room, one per member, fed by the room's facts.

The live session's adapter keeps one :class:`CrisisDesk` beside its ``Room`` and passes
it what the room learns, so that a rule about a crisis is written here once and tested
without Qt:

* :meth:`CrisisDesk.open` from the shortcut or a tile's menu (a second time: the same
  panel again);
* :meth:`CrisisDesk.link` with every change of a media link (what ``Room.link`` gets):
  reconnecting or closed is a drop, said at once; connected again, they are back;
* :meth:`CrisisDesk.unseated` with every seat that goes (``Unseated``): the panel stays
  open (the facilitator still calls them back) and says they dropped;
* :meth:`CrisisDesk.seated` with every seat taken (``Seated``): a member whose seat
  expired and who was admitted again takes their panel along to the new seat;
* :meth:`CrisisDesk.tick` with the room's clock and members, every second: silence and
  freeze;
* :meth:`CrisisDesk.close`: the incident is to be kept (``KeepIncident``).

Every method returns :data:`~groupdesk.core.session.crisis.CrisisOutput` values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from groupdesk.core.policy_values import Policy
from groupdesk.core.protocol import LeftReason, Question
from groupdesk.core.session.crisis import Crisis, CrisisChanged, CrisisOutput
from groupdesk.core.session.room_state import LiveMember, PeerState


class CrisisDesk:
    """The open crisis panels of one room, by seat."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.crises: dict[str, Crisis] = {}
        """The open panels, by the seat of the member each is about."""

    def crisis(self, seat: str) -> Crisis | None:
        """The open panel of ``seat`` (None: none)."""
        return self.crises.get(seat)

    def open(
        self,
        member: LiveMember,
        *,
        at: datetime,
        language: str | None,
        asked: Iterable[Question] = (),
    ) -> list[CrisisOutput]:
        """Open the panel for the seated ``member`` at ``at`` (their own ``language``,
        else the interface's; ``asked``: the room's questions, to find their answers).
        Already open: shown again, nothing new recorded."""
        if member.is_self:
            raise ValueError("a crisis panel is about another member of the room")
        if member.seat in self.crises:
            return [CrisisChanged(member.seat)]
        crisis, out = Crisis.open(member, at=at, policy=self.policy, language=language, asked=asked)
        self.crises[member.seat] = crisis
        if member.state in (PeerState.RECONNECTING, PeerState.CLOSED):
            out += crisis.member_dropped(at)  # opened because they dropped
        return out

    def link(self, seat: str, state: PeerState, at: datetime) -> list[CrisisOutput]:
        """The media link to ``seat`` is now ``state`` (at ``at``)."""
        crisis = self.crises.get(seat)
        if crisis is None:
            return []
        if state in (PeerState.RECONNECTING, PeerState.CLOSED):
            return crisis.member_dropped(at)
        if state is PeerState.CONNECTED:
            return crisis.member_back(at)
        return []

    def unseated(self, seat: str, reason: LeftReason, at: datetime) -> list[CrisisOutput]:
        """``seat`` is gone (left, removed, expired, the room ended): the panel stays open
        and says the person is no longer connected."""
        crisis = self.crises.get(seat)
        return [] if crisis is None else crisis.member_dropped(at)

    def seated(self, member: LiveMember, at: datetime) -> list[CrisisOutput]:
        """``member`` took a seat: if their panel is open under a seat that expired (the
        same group member), it follows them to the new seat, and they are back."""
        if member.log_member_id is None or member.seat in self.crises:
            return []
        old = next(
            (s for s, c in self.crises.items() if c.member == member.log_member_id and c.dropped),
            None,
        )
        if old is None:
            return []
        crisis = self.crises.pop(old)
        out = crisis.member_back(at)  # said for the seat that dropped, its alert cleared
        crisis.seat = member.seat
        self.crises[member.seat] = crisis
        return [*out, CrisisChanged(member.seat)]

    def tick(
        self, members: Mapping[str, LiveMember], now: float, apart: Collection[str] = ()
    ) -> list[CrisisOutput]:
        """The room's clock (every second), with its seated ``members``: silence, freeze
        (not of those ``apart`` from us in a side room: we neither hear nor see them)."""
        return [
            out
            for seat, crisis in self.crises.items()
            if (member := members.get(seat)) is not None and seat not in apart
            for out in crisis.watch(member, now)
        ]

    def close(self, seat: str, at: datetime) -> list[CrisisOutput]:
        """Close ``seat``'s panel at ``at``: its incident is to be kept (nothing open:
        nothing to do)."""
        crisis = self.crises.pop(seat, None)
        return [] if crisis is None else crisis.close(at)

    def close_all(self, at: datetime) -> list[CrisisOutput]:
        """The session ends: every open panel closes, its incident kept."""
        return [out for seat in list(self.crises) for out in self.close(seat, at)]
