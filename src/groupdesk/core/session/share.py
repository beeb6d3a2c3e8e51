"""Screen sharing in the live room, sans-I/O: who may share now, and whose share is shown.

A facilitator may always share (a screen, a window, a document). A participant may share
from the page only while a facilitator allows it (``SharePermission``, the whole list
each time): the rule :func:`may_share` is the one the server applies to refuse a share
it was not allowed (``server/rooms.py``) and the one every app applies to what it shows
(a server of an older version relays anything). When the permission is taken back, the
participant's share ends at once for everyone -- their own app stops capturing, and the
others stop showing it even if it did not.

Several members may share at once (a facilitator starts a document while a participant
still shows their screen): the share started last is the one shown, the others wait
behind it and come back when it stops.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from groupdesk.core.protocol import Role, ShareKind


def may_share(role: Role | None, seat: str, allowed: Iterable[str]) -> bool:
    """Whether the member in ``seat`` (of ``role``; None: not seated) may share now:
    a facilitator always, a participant while named in ``allowed``."""
    return role == "facilitator" or (role == "participant" and seat in allowed)


@dataclass(frozen=True)
class ShownShare:
    """The share every member shows large: ``seat`` shares a ``kind``."""

    seat: str
    kind: ShareKind


@dataclass
class ShareBoard:
    """Who may share and who shares, as this app knows it."""

    allowed: frozenset[str] = frozenset()
    """The participants a facilitator lets share now."""
    sharing: dict[str, ShareKind] = field(default_factory=dict)
    """Who shares what, in the order they started (the last one is shown)."""

    @property
    def shown(self) -> ShownShare | None:
        """The share to show large (the one started last), or None."""
        if not self.sharing:
            return None
        seat = next(reversed(self.sharing))
        return ShownShare(seat, self.sharing[seat])

    def kind_of(self, seat: str) -> ShareKind | None:
        """What ``seat`` shares now (None: nothing)."""
        return self.sharing.get(seat)

    def start(self, seat: str, role: Role | None, kind: ShareKind) -> bool:
        """``seat`` (of ``role``) starts sharing ``kind`` (or shares another kind now);
        False, and nothing changes, when they may not."""
        if not may_share(role, seat, self.allowed):
            return False
        if self.sharing.get(seat) == kind:
            return True  # told again (someone joined): keeps its place
        self.sharing.pop(seat, None)
        self.sharing[seat] = kind
        return True

    def stop(self, seat: str) -> ShareKind | None:
        """``seat`` stopped sharing (or left); what they shared, None if nothing."""
        return self.sharing.pop(seat, None)

    def permit(self, allowed: Iterable[str], roles: dict[str, Role]) -> dict[str, ShareKind]:
        """A facilitator's new list of the participants allowed to share; the shares that
        end because their participant is no longer allowed (by seat, what they shared).
        ``roles``: the role of each seated member (a facilitator's share never ends here)."""
        self.allowed = frozenset(allowed)
        ended = {
            seat: kind
            for seat, kind in self.sharing.items()
            if not may_share(roles.get(seat), seat, self.allowed)
        }
        for seat in ended:
            del self.sharing[seat]
        return ended
