"""Screen sharing in the live room (``room.py`` puts the parts together). No I/O.

The rules are :mod:`groupdesk.core.session.share`'s; here they meet the wire, the journal
and the view: a facilitator allows or disallows a participant (``SharePermission``, the
whole list each time), anyone allowed starts and stops their share (``Share``); a
facilitator's room journals who shared what kind of source, when, and who was allowed --
never what was shown, never a document's name.
"""

from __future__ import annotations

from groupdesk.core.journal_kinds import ShareEntry, SharePermissionEntry
from groupdesk.core.protocol import ClientApp, Role, Share, ShareKind, SharePermission
from groupdesk.core.session.room_base import RoomBase
from groupdesk.core.session.room_events import (
    Ignored,
    Journal,
    RoomOutput,
    Send,
    ShareChanged,
)
from groupdesk.core.session.share import ShareBoard, may_share


class RoomShare(RoomBase):
    """Who may share, who shares, and our own share."""

    shares: ShareBoard
    my_share: ShareKind | None

    # -- reading ---------------------------------------------------------------------

    @property
    def may_share_now(self) -> bool:
        """Whether we may start a share (a facilitator, or a participant allowed)."""
        return may_share(self.role, self.self_seat, self.shares.allowed)

    def _roles(self) -> dict[str, Role]:
        return {seat: m.role for seat, m in self.seats.members.items()}

    # -- our own share ---------------------------------------------------------------

    def start_share(self, kind: ShareKind) -> list[RoomOutput]:
        """We start sharing ``kind`` (or share another kind now); nothing when we may not
        (a participant the facilitator has not allowed)."""
        if not self.self_seat or not self.may_share_now or self.my_share == kind:
            return []
        self.my_share = kind
        return [Send(ClientApp(event=Share(kind=kind))), *self._started(self.self_seat, kind)]

    def stop_share(self) -> list[RoomOutput]:
        """We stop sharing (nothing when we do not share)."""
        if self.my_share is None:
            return []
        self.my_share = None
        return [Send(ClientApp(event=Share())), *self._stopped(self.self_seat, by=None)]

    # -- a facilitator's permission --------------------------------------------------

    def allow_share(self, seat: str, allowed: bool) -> list[RoomOutput]:
        """A facilitator lets the participant in ``seat`` share their screen (or takes it
        back: their share, if any, ends for everyone); everyone is told the whole list."""
        if not self.facilitator or self.seats.role(seat) != "participant":
            return []
        now = set(self.shares.allowed)
        if (seat in now) == allowed:
            return []
        now = now | {seat} if allowed else now - {seat}
        event = SharePermission(allowed=tuple(sorted(now)))
        return [Send(ClientApp(event=event)), *self._permit(now, by=self.self_seat)]

    def _permit(self, allowed: set[str] | frozenset[str], *, by: str) -> list[RoomOutput]:
        """The participants allowed to share are now ``allowed`` (facilitator ``by`` said)."""
        before = self.shares.allowed
        if frozenset(allowed) == before:
            return []
        ended = self.shares.permit(allowed, self._roles())
        out: list[RoomOutput] = []
        if self.facilitator:
            for seat in sorted(frozenset(allowed) - before):
                out.append(
                    Journal(SharePermissionEntry("share.allowed", seat, self.id_of(seat), by))
                )
            for seat in sorted(before - frozenset(allowed)):
                entry = SharePermissionEntry("share.disallowed", seat, self.id_of(seat), by)
                out.append(Journal(entry))
            for seat, kind in sorted(ended.items()):
                out.append(Journal(ShareEntry("share.stopped", seat, self.id_of(seat), kind, by)))
        if self.my_share is not None and not self.may_share_now:
            self.my_share = None  # taken back: the adapter stops our capture
            out.append(Send(ClientApp(event=Share())))
        return [*out, ShareChanged()]

    # -- from the others -------------------------------------------------------------

    def _share_event(self, sender: str, event: Share | SharePermission) -> list[RoomOutput]:
        """A member's ``Share``, or a facilitator's ``SharePermission``."""
        match event:
            case SharePermission(allowed=allowed):
                if self.seats.role(sender) != "facilitator" or sender == self.self_seat:
                    return [Ignored(sender, event.EVENT, "not_a_facilitator")]
                return self._permit(frozenset(allowed), by=sender)
            case Share(kind=kind):
                if kind is None:
                    return self._stopped(sender, by=None)
                if self.shares.kind_of(sender) == kind:
                    return []  # told again for a newcomer
                if not self.shares.start(sender, self.seats.role(sender), kind):
                    return [Ignored(sender, event.EVENT, "not_allowed")]
                return [*self._journal_share(True, sender, kind, by=None), ShareChanged()]

    def _started(self, seat: str, kind: ShareKind) -> list[RoomOutput]:
        previous = self.shares.kind_of(seat)
        self.shares.start(seat, self.role, kind)
        out: list[RoomOutput] = []
        if previous is not None:
            out += self._journal_share(False, seat, previous, by=None)
        return [*out, *self._journal_share(True, seat, kind, by=None), ShareChanged()]

    def _stopped(self, seat: str, *, by: str | None) -> list[RoomOutput]:
        """``seat``'s share ended (they stopped, or left)."""
        kind = self.shares.stop(seat)
        if kind is None:
            return []
        return [*self._journal_share(False, seat, kind, by=by), ShareChanged()]

    def _journal_share(
        self, started: bool, seat: str, kind: ShareKind, *, by: str | None
    ) -> list[RoomOutput]:
        if not self.facilitator:
            return []
        entry = ShareEntry(
            "share.started" if started else "share.stopped", seat, self.id_of(seat), kind, by
        )
        return [Journal(entry)]

    def _share_for_newcomer(self) -> list[RoomOutput]:
        """Someone joined: what they must hear of sharing from us (the permission, from a
        facilitator; our own share, from whoever shares)."""
        out: list[RoomOutput] = []
        if self.facilitator and self.shares.allowed:
            allowed = tuple(sorted(self.shares.allowed))
            out.append(Send(ClientApp(event=SharePermission(allowed=allowed))))
        if self.my_share is not None:
            out.append(Send(ClientApp(event=Share(kind=self.my_share))))
        return out
