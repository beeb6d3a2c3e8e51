"""What the live room knows of itself: its stage, each seat, each person waiting, the chat.

Plain records, no rules: :mod:`groupdesk.core.session.room` changes them, and the
screens read them (a tile reads its :class:`LiveMember`, the lobby panel its
:class:`Waiting`).
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from datetime import datetime

from groupdesk.core.call_quality import FROZEN_AFTER_S, quality_level
from groupdesk.core.protocol import Role
from groupdesk.core.session.checklist import Previous


class LiveStage(enum.Enum):
    """Where the live session is."""

    IDLE = "idle"
    CONNECTING = "connecting"
    WAITING = "waiting"
    """Participant: knocked, waiting in the lobby."""
    LIVE = "live"
    ENDING = "ending"
    ENDED = "ended"
    FAILED = "failed"
    """Could not open or join; ``problem`` says why. Nothing was lost."""


class PeerState(enum.Enum):
    """The connection to one remote member, as a tile would show it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


class Quality(enum.Enum):
    """The connection to one member, as the tile's bars show it."""

    UNKNOWN = 0
    POOR = 1
    FAIR = 2
    GOOD = 3


_QUALITY = {"good": Quality.GOOD, "fair": Quality.FAIR, "poor": Quality.POOR}


def quality_from(loss: float | None, rtt_s: float | None) -> Quality:
    """Bars from loss and round-trip time (None: no report yet), by the rules the web
    page shares (:mod:`groupdesk.core.call_quality`)."""
    return _QUALITY[quality_level(loss or 0.0, rtt_s or 0.0)]


class LiveProblem(enum.Enum):
    """Why the live screen cannot go on as it was; the page says it in words."""

    UNREACHABLE = "unreachable"
    CREDENTIAL_REFUSED = "credential_refused"
    CREDENTIAL_NEEDED = "credential_needed"
    ROOM_FULL = "room_full"
    CONNECTION_LOST = "connection_lost"
    BAD_INVITE = "bad_invite"
    INVITE_EXPIRED = "invite_expired"
    DECLINED = "declined"
    REMOVED = "removed"
    ENDED_BY_FACILITATOR = "ended_by_facilitator"
    LOG_FAILED = "log_failed"
    SERVER_ERROR = "server_error"
    SERVER_BUSY = "server_busy"
    """Refused by the server's limits (busy, or too much from this network): try later."""
    MEDIA_SERVER_UNAVAILABLE = "media_server_unavailable"
    """A member's connection was too poor for the mesh, and the organisation's media
    server could not take the room: it stays member to member."""


@dataclass
class LiveMember:
    """One seat in the room (the local person included, ``is_self``)."""

    seat: str
    name: str
    role: Role
    is_self: bool = False
    log_member_id: int | None = None
    muted: bool = False
    camera_off: bool = False
    hand_raised: bool = False
    safety_signal: bool = False
    """They sent a safety signal (known to facilitators only)."""
    speaking: bool = False
    last_voice_at: float | None = None
    """When they were last heard (started or stopped speaking), on the room's clock."""
    state: PeerState = PeerState.CONNECTING
    quality: Quality = Quality.UNKNOWN
    fps: float = 0.0
    frames: int = 0
    last_frame_at: float | None = None
    """When the last picture arrived, on the room's clock (``time.monotonic`` in the app)."""
    joined_at: datetime | None = None
    answers: dict[str, object] = field(default_factory=dict)
    """What they answered before admission (a facilitator's room only): their location,
    phone and emergency contact stay at hand during the session."""
    identity_verified: bool = False
    """The facilitator verified who they are (a facilitator's room only)."""

    @property
    def initials(self) -> str:
        """Up to two initials, for a tile without video."""
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalnum()]
        letters = "".join(w[0] for w in words[:2]) or self.name[:1]
        return letters.upper()

    @property
    def facilitator(self) -> bool:
        """True for a facilitator's seat."""
        return self.role == "facilitator"

    def frozen(self, now: float | None = None) -> bool:
        """Connected, sending video, but no new frame for a while."""
        if self.is_self or self.camera_off or self.last_frame_at is None:
            return False
        if self.state is not PeerState.CONNECTED:
            return False
        return (time.monotonic() if now is None else now) - self.last_frame_at > FROZEN_AFTER_S

    def audio_only(self, now: float | None = None) -> bool:
        """No picture to show: the camera is off or nothing arrived yet."""
        return self.camera_off or self.last_frame_at is None


@dataclass(frozen=True)
class DroppedCall:
    """A participant's connection dropped (a facilitator's room): the facilitator may call
    them at ``phone`` (None: they gave none) or suggest they write in the chat. It stays
    until they are back or the facilitator dismisses it, even once their seat is gone."""

    seat: str
    member: int | None
    name: str
    phone: str | None
    at: datetime


@dataclass(frozen=True)
class ChatLine:
    """One chat message, as shown (the server keeps none)."""

    sender: str
    """The seat of whoever wrote it (the local seat for ours)."""
    text: str
    at: datetime
    to: str | None = None
    """For our private messages: the seat it went to."""
    private: bool = False
    outgoing: bool = False


@dataclass
class Waiting:
    """A person in the lobby, and who in the group they seem to be."""

    seat: str
    name: str
    declared: dict[str, object] = field(default_factory=dict)
    since: float = 0.0
    match: int | None = None
    """The group member they are taken to be (None: not in the group)."""
    identity_verified: bool = False
    """The facilitator verified who they are (seen, asked, compared)."""
    previous: Previous | None = None
    """Their matched member's answers at an earlier session (to offer again)."""
    from_previous: dict[str, str] = field(default_factory=dict)
    """Answers the facilitator took from ``previous``, confirmed with the person."""

    @property
    def answers(self) -> dict[str, object]:
        """What they declared, completed with the answers taken from an earlier session."""
        return {**self.declared, **self.from_previous}
