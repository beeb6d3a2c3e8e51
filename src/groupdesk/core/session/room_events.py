"""What comes out of the live room's core: messages to send, the log's entries, what changed.

The adapter (``ui/live_outputs.py`` for the desktop, ``bots/bot.py`` for a simulated
participant) carries each output out in order: it sends, it
writes to the session log, it emits the Qt signal that matches a view change. Outputs
carry seat ids and log ids, never names, save :class:`StayOpened`'s guest name (the
attendance keeps it; the journal never does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from groupdesk.core.journal_kinds import (
    AdmissionEntry,
    CrisisEntry,
    MediaSwitchEntry,
    RoomClose,
    SafetyEntry,
    SeatEvent,
    ShareEntry,
    SharePermissionEntry,
    SideRoomEntry,
)
from groupdesk.core.models import AnswerValue, AskedItem
from groupdesk.core.protocol import (
    ClientMessage,
    LeftReason,
    LowerHand,
    MediaState,
    PassTurn,
    RaiseHand,
    TurnCommand,
    TurnState,
    TurnSync,
)

# ------------------------------------------------------------ to the server, to the log


@dataclass(frozen=True)
class Send:
    """Send ``message`` to the server; once it went out, tell the room (``Room.sent``)."""

    message: ClientMessage


@dataclass(frozen=True)
class Journal:
    """Append ``entry`` to the session's journal (a facilitator's room only)."""

    entry: (
        SeatEvent
        | SafetyEntry
        | AdmissionEntry
        | CrisisEntry
        | SideRoomEntry
        | ShareEntry
        | SharePermissionEntry
        | MediaSwitchEntry
        | RoomClose
    )


@dataclass(frozen=True)
class StayOpened:
    """A participant took a seat: their stay opens in the attendance, as the group member
    ``member`` (None: a guest, by the ``guest_name`` they declared)."""

    seat: str
    member: int | None
    at: datetime
    guest_name: str


@dataclass(frozen=True)
class StayClosed:
    """A participant's seat is gone: their stay closes (``reason``: left, removed...)."""

    seat: str
    member: int | None
    reason: LeftReason


@dataclass(frozen=True)
class AnswersKept:
    """Someone was admitted: keep what they answered before admission in the session's
    log (personal data: a facilitator's encrypted log only). ``member`` None: a guest,
    by ``guest_name``. ``unmet``: required items not met; ``override_reason``: why the
    facilitator admitted them anyway; ``from_previous``: answers taken from their
    earlier session, confirmed with them."""

    seat: str
    member: int | None
    guest_name: str
    answers: dict[str, AnswerValue]
    asked: tuple[AskedItem, ...]
    unmet: tuple[str, ...]
    override_reason: str | None
    identity_verified: bool
    from_previous: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class ConsentGiven:
    """The group member ``member`` agreed on the page to ``version`` of the consent to
    taking part remotely (the adapter records it unless it is on record already)."""

    member: int
    version: str
    at: datetime


@dataclass(frozen=True)
class IdentityMarked:
    """The facilitator marked the identity of the member seated in ``seat`` verified (or
    took the mark back) after admission: their kept answers say so."""

    seat: str
    verified: bool


@dataclass(frozen=True)
class LoadPrevious:
    """The person waiting in ``seat`` is taken to be the group member ``member``: read
    their answers of an earlier session (``Room.know_previous``) to offer them again."""

    seat: str
    member: int


# ------------------------------------------------------------ to our media


@dataclass(frozen=True)
class MediaReach:
    """The side room changed: ``blocked`` are the seats this app must neither send its
    media to nor take media from (empty: everyone again)."""

    blocked: frozenset[str]


@dataclass(frozen=True)
class Microphone:
    """Send silence from our microphone (``muted``), or our voice again."""

    muted: bool


@dataclass(frozen=True)
class Over:
    """A participant is out of the room (turned away, removed, the room ended, the
    connection lost): hang up, then the session has ended."""


# ------------------------------------------------------------ to the speaking turns


TurnAppEvent = RaiseHand | LowerHand | PassTurn | TurnState | MediaState | TurnCommand | TurnSync
"""The app events the speaking turns follow (hands, passes, the facilitator's turn state,
mute for talk time, a co-facilitator's commands and the lead's sync)."""


@dataclass(frozen=True)
class SpotlightForAll:
    """A facilitator spotlit ``seat`` (None: the grid): the turn state tells everyone."""

    seat: str | None


@dataclass(frozen=True)
class ForTurns:
    """``sender`` sent ``event``, already allowed by the room's rules (a turn state comes
    from a facilitator): the speaking-turn manager may act on it."""

    sender: str
    event: TurnAppEvent


# ------------------------------------------------------------ what was not done, and why


IgnoredReason = Literal["not_a_facilitator", "facilitators_only", "not_shown", "not_allowed"]
"""Why an event was ignored: ``not_a_facilitator``, a control from a participant (a server
of an older version relays it); ``facilitators_only``, a participant's app got what only
facilitators may see; ``not_shown``, this app does not show that event yet;
``not_allowed``, a participant's share that no facilitator allowed."""


@dataclass(frozen=True)
class Ignored:
    """What ``seat`` sent (``event``, its wire name) was ignored, for ``reason``."""

    seat: str
    event: str
    reason: IgnoredReason


@dataclass(frozen=True)
class ServerRefused:
    """The server refused a request of ours with ``code`` (the room goes on)."""

    code: str


# ------------------------------------------------------------ what the screens show


@dataclass(frozen=True)
class Changed:
    """The stage, the problem, a notice (mute requested, reconnecting) or the invite."""


@dataclass(frozen=True)
class LobbyChanged:
    """Someone knocked, was admitted or declined, gave up, or a match changed."""


@dataclass(frozen=True)
class Knocked:
    """A person (``seat``) waits in the lobby for the first time in this session."""

    seat: str


@dataclass(frozen=True)
class AdmissionHeld:
    """The person in ``seat`` was not admitted: required checklist items (``unmet``) are
    not met. The facilitator may admit them anyway with a reason."""

    seat: str
    unmet: tuple[str, ...]


@dataclass(frozen=True)
class LeftLobby:
    """A person (``seat``) no longer waits: admitted, declined, gave up, or a new session."""

    seat: str


@dataclass(frozen=True)
class Seated:
    """Someone took ``seat`` (their :class:`LiveMember` is in the room's members)."""

    seat: str


@dataclass(frozen=True)
class Unseated:
    """Someone's ``seat`` is gone (``reason``: left, removed, expired, ended); ``known``:
    someone sat there (else only what the media kept of that seat is to drop)."""

    seat: str
    reason: LeftReason
    known: bool = True


@dataclass(frozen=True)
class MembersChanged:
    """Seats were taken or freed, or the spotlight moved: the grid is laid out again."""


@dataclass(frozen=True)
class MemberChanged:
    """The indicators of the member in ``seat`` changed (mute, hand, speaking, frozen...)."""

    seat: str


@dataclass(frozen=True)
class ChatChanged:
    """A chat line arrived or went out."""


@dataclass(frozen=True)
class SafetySignalled:
    """A member's (``seat``) safety signal came, was withdrawn or handled (a
    facilitator's room only): the tile and the safety panel show ``Room.safety``."""

    seat: str


@dataclass(frozen=True)
class ShareChanged:
    """Who shares, who may, or our own share changed (``Room.shares``, ``Room.my_share``):
    the large share view follows, and a capture of ours that the room no longer counts
    (the permission was taken back) stops."""


LogOutput = Journal | StayOpened | StayClosed | AnswersKept | ConsentGiven | IdentityMarked
"""What a facilitator's app writes to the session log."""

ViewOutput = (
    Changed
    | LobbyChanged
    | Knocked
    | LeftLobby
    | AdmissionHeld
    | MembersChanged
    | MemberChanged
    | ChatChanged
    | ShareChanged
)
"""What changed on screen: the adapter emits the matching signal (nothing to await)."""

RoomOutput = (
    Send
    | Journal
    | StayOpened
    | StayClosed
    | AnswersKept
    | ConsentGiven
    | IdentityMarked
    | LoadPrevious
    | Microphone
    | MediaReach
    | Over
    | ForTurns
    | SpotlightForAll
    | Seated
    | Unseated
    | SafetySignalled
    | Ignored
    | ServerRefused
    | ViewOutput
)
"""Everything the room's core asks its adapter to do or to show."""
