"""Rooms, lobbies and seats: the server's whole state, in memory, with no I/O.

``RoomRegistry`` takes parsed client messages from numbered connections and
answers with :class:`Send` and :class:`Close` actions that the web layer
carries out, so every rule here is testable without a socket. It refuses with
:class:`ProtocolError`; the web layer turns that into an ``error`` reply.

The rules that matter most: nobody in the lobby (or not yet identified) learns
who is in a room or receives anything a member sends -- save a facilitator's
request to see their camera (a ``preview.*`` signal, answered the same way); only
a facilitator of the room admits, declines, removes or ends, asks someone to mute or
leads the turns (a participant's control request is refused, ``control_refused``, and
reaches nobody); a dropped member keeps their seat for the grace period and takes it back
with their resume token. In a room whose media go through Janus (``media`` "sfu"), a
seated member's ``sfu`` message is checked here (``feed`` sits in the room; an offer is
for your own feed, an answer or a layer for another's) and handed on as :class:`ToSfu`
to the SFU bridge; anywhere else it is refused (``not_sfu``, ``not_admitted``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, assert_never

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    AppEvent,
    ClientApp,
    ClientChat,
    ClientMessage,
    ClientSfu,
    ClientSignal,
    ClientUplink,
    Decline,
    Declined,
    EndRoom,
    ErrorCode,
    FacilitatorHello,
    IceServer,
    Inquire,
    JoinRoom,
    Leave,
    LeftReason,
    Lobby,
    LobbyEntry,
    LowerHand,
    MediaMode,
    MediaState,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    OpenRoom,
    ParticipantHello,
    PassTurn,
    ProtocolError,
    Question,
    RaiseHand,
    Reaction,
    Remove,
    Removed,
    RequestMute,
    Resume,
    Role,
    RoomConsent,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    RoomText,
    SafetySignal,
    SafetyWording,
    ServerApp,
    ServerChat,
    ServerMedia,
    ServerMessage,
    ServerSignal,
    Share,
    SharePermission,
    SideRoom,
    TurnCommand,
    TurnState,
    TurnSync,
    Waiting,
    Welcome,
    build_invite_link,
    is_preview_payload,
)
from groupdesk.core.relay_only import relay_only_payload
from groupdesk.core.session.share import may_share
from groupdesk.core.uplink import UplinkRule, UplinkWatch

logger = logging.getLogger("groupdesk.server.rooms")


class Send(NamedTuple):
    """Deliver ``message`` on connection ``conn``."""

    conn: int
    message: ServerMessage


class Close(NamedTuple):
    """Close connection ``conn`` once what was sent before has gone out."""

    conn: int


class ToSfu(NamedTuple):
    """Hand seated ``member``'s checked ``sfu`` message to the SFU bridge (Janus)."""

    room: str
    member: str
    message: ClientSfu


class SfuAside(NamedTuple):
    """An SFU room's side room now (``members``; empty: none): Janus must stop forwarding
    media between them and the others, since in an SFU room everyone's stream reaches
    everyone's connection and a client could ignore the side room."""

    room: str
    members: frozenset[str]


class SfuUnshare(NamedTuple):
    """Seated ``member`` of an SFU room no longer shares (it said so, or a facilitator took
    its permission back): the SFU bridge ends its share publication at Janus, whatever
    its client does."""

    room: str
    member: str


class SwitchToSfu(NamedTuple):
    """A member's uplink is too poor for the mesh of ``room`` (media_mode auto): the web
    layer asks Janus for a VideoRoom, then calls :meth:`RoomRegistry.switched`."""

    room: str


Action = Send | Close | ToSfu | SfuAside | SfuUnshare | SwitchToSfu


@dataclass(frozen=True)
class RoomRules:
    """The limits the server enforces (the grace period and group size come from policy)."""

    max_members: int = 12
    max_lobby: int = 24
    max_rooms: int = 5000
    grace_seconds: float = 60.0
    invite_ttl_seconds: float = 12 * 3600.0

    def __post_init__(self) -> None:
        if self.max_members < 2 or self.max_lobby < 1 or self.max_rooms < 1:
            raise ValueError("a room needs at least two seats, a lobby and a room")
        if self.grace_seconds < 0 or self.invite_ttl_seconds <= 0:
            raise ValueError("the grace period and invite lifetime cannot be negative")


Stage = Literal["new", "facilitator", "lobby", "seated", "closed"]


@dataclass
class _Conn:
    id: int
    stage: Stage = "new"
    display_name: str | None = None
    room: str | None = None
    member: str | None = None


@dataclass
class _Seat:
    member: str
    role: Role
    display_name: str
    declared: dict[str, Any]
    since: float
    conn: int | None
    token_hash: bytes = b""
    dropped_at: float | None = None

    def info(self) -> MemberInfo:
        return MemberInfo(self.member, self.display_name, self.role)


@dataclass
class _Room:
    id: str
    secret_hash: bytes
    invite_expires_at: float
    questions: tuple[Question, ...] = ()  # configuration from the facilitator's policy
    safety: SafetyWording | None = None  # the words of the page's safety option (policy)
    rules: RoomText | None = None  # the group's rules, from the facilitator's policy
    consent: RoomConsent | None = None  # the consent text the page offers (policy)
    relay_only: bool = False  # members connect through TURN alone (policy ice_relay_only)
    media: MediaMode = "mesh"  # "sfu": media go through the organisation's Janus
    uplink: UplinkWatch | None = None  # auto: a mesh that moves to Janus for a poor uplink
    share_allowed: frozenset[str] = frozenset()  # participants a facilitator lets share
    seats: dict[str, _Seat] = field(default_factory=dict)
    lobby: dict[str, _Seat] = field(default_factory=dict)  # arrival order


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("ascii")).digest()


class RoomRegistry:
    """Every room the server holds, and what each connection may do."""

    def __init__(
        self,
        rules: RoomRules | None = None,
        *,
        public_url: str = "http://127.0.0.1:8765",
        ice_servers: Callable[[str], tuple[IceServer, ...]] = lambda member: (),
        lobby_ice_servers: Callable[[], tuple[IceServer, ...]] = lambda: (),
        clock: Callable[[], float] = time.time,
        uplink_rule: UplinkRule | None = None,
    ) -> None:
        """``ice_servers(member)``: what an admitted member gets (TURN credentials
        included); ``lobby_ice_servers()``: what someone waiting gets (none)."""
        self.rules = rules or RoomRules()
        self.public_url = public_url
        self._ice_servers = ice_servers
        self._lobby_ice_servers = lobby_ice_servers
        self._clock = clock
        self.uplink_rule = uplink_rule or UplinkRule()
        self._conns: dict[int, _Conn] = {}
        self._rooms: dict[str, _Room] = {}
        self._tokens: dict[bytes, tuple[str, str]] = {}  # token hash -> (room, member)
        self._member_ids: set[str] = set()
        self._held: dict[str, tuple[_Room, _Seat]] = {}  # dropped members' seats, oldest first
        self._next_conn = 0
        self.seat_changes = 0
        """Counts every seat taken or freed and room closed (see ``seated_members``)."""

    # ------------------------------------------------------------ inspection

    @property
    def room_count(self) -> int:
        """How many rooms are open."""
        return len(self._rooms)

    @property
    def connection_count(self) -> int:
        """How many connections are open."""
        return len(self._conns)

    def stage(self, conn: int) -> Stage:
        """Where connection ``conn`` stands (``closed`` once it is gone)."""
        state = self._conns.get(conn)
        return state.stage if state else "closed"

    def seated_members(self, media: MediaMode | None = None) -> dict[str, frozenset[str]]:
        """Each open room's seated members (a dropped one keeps its seat until expiry);
        with ``media``, only the rooms whose media travel that way."""
        return {
            room_id: frozenset(room.seats)
            for room_id, room in self._rooms.items()
            if media is None or room.media == media
        }

    def member_conn(self, room_id: str, member: str) -> int | None:
        """The connection of seated ``member`` of ``room_id`` (None: dropped, or gone)."""
        room = self._rooms.get(room_id)
        seat = room.seats.get(member) if room else None
        return seat.conn if seat else None

    def next_deadline(self) -> float | None:
        """When the earliest held seat of a dropped member runs out, if any."""
        for _room, seat in self._held.values():
            if seat.dropped_at is not None:
                return seat.dropped_at + self.rules.grace_seconds
        return None

    # ------------------------------------------------------------ connection life

    def connect(self) -> int:
        """A new connection; returns its number."""
        self._next_conn += 1
        self._conns[self._next_conn] = _Conn(self._next_conn)
        return self._next_conn

    def check_hello(self, conn: int) -> None:
        """Refuse a ``hello`` (before any credential check) unless it is the first message."""
        if self._state(conn).stage != "new":
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)

    def authenticate_facilitator(self, conn: int, hello: FacilitatorHello) -> list[Action]:
        """Record a facilitator whose credential the caller has verified."""
        self.check_hello(conn)
        state = self._state(conn)
        state.stage = "facilitator"
        state.display_name = hello.display_name or hello.name
        logger.info("conn %d authenticated as facilitator", conn)
        return [Send(conn, Welcome(role="facilitator"))]

    def disconnect(self, conn: int) -> list[Action]:
        """The connection is gone: a seat is held for the grace period, a lobby place is not."""
        state = self._conns.pop(conn, None)
        if state is None or state.room is None or state.member is None:
            return []
        room = self._rooms.get(state.room)
        if room is None:
            return []
        if state.stage == "lobby":
            room.lobby.pop(state.member, None)
            self._member_ids.discard(state.member)
            return self._lobby_update(room)
        seat = room.seats.get(state.member)
        if seat is not None and seat.conn == conn:
            seat.conn = None
            seat.dropped_at = self._clock()
            self._held[seat.member] = (room, seat)
            logger.info("member %s of room %s dropped; seat held", seat.member, room.id)
        return []

    def expire(self) -> list[Action]:
        """Free the seats of members not back within the grace period."""
        now = self._clock()
        actions: list[Action] = []
        for room, seat in list(self._held.values()):  # in the order they dropped
            if seat.dropped_at is not None and now - seat.dropped_at < self.rules.grace_seconds:
                break
            logger.info("member %s of room %s not back in time", seat.member, room.id)
            actions += self._unseat(room, seat, "expired")
        return actions

    # ------------------------------------------------------------ messages

    def handle(
        self,
        conn: int,
        message: ClientMessage,
        *,
        media: MediaMode = "mesh",
        watch_uplink: bool = False,
    ) -> list[Action]:
        """Apply one client message; raises :class:`ProtocolError` when it is refused.

        ``media``: how the media of a room this message opens travel (the web layer says
        ``sfu`` once Janus has made the room's VideoRoom); ``watch_uplink``: such a mesh
        room moves to Janus when a member's uplink is too poor (media_mode auto)."""
        state = self._state(conn)
        if isinstance(
            message,
            FacilitatorHello | ParticipantHello | Inquire | Resume | Leave | OpenRoom | JoinRoom,
        ):
            return self._come_or_go(state, message, media, watch_uplink)
        if state.stage == "new":
            raise ProtocolError(ErrorCode.NOT_AUTHENTICATED)
        if state.stage == "lobby":
            return self._lobby_signal(state, message)
        if state.stage == "facilitator":
            # authenticated but in no room: there is nobody to talk to or act on
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        return self._member_action(*self._seated(state), message)

    def _come_or_go(
        self,
        state: _Conn,
        message: FacilitatorHello
        | ParticipantHello
        | Inquire
        | Resume
        | Leave
        | OpenRoom
        | JoinRoom,
        media: MediaMode,
        watch_uplink: bool = False,
    ) -> list[Action]:
        if isinstance(message, FacilitatorHello):
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)  # the web layer verifies credentials
        if isinstance(message, ParticipantHello):
            return self._participant_hello(state, message)
        if isinstance(message, Inquire):
            return self._inquire(state, message)
        if isinstance(message, Resume):
            return self._resume(state, message)
        if isinstance(message, Leave):
            return self._leave(state)
        return self._enter_as_facilitator(state, message, media, watch_uplink)

    def _enter_as_facilitator(
        self, state: _Conn, message: OpenRoom | JoinRoom, media: MediaMode, watch_uplink: bool
    ) -> list[Action]:
        if state.stage == "new":
            raise ProtocolError(ErrorCode.NOT_AUTHENTICATED)
        if state.stage == "lobby" or (
            state.stage == "seated" and self._seated(state)[1].role != "facilitator"
        ):
            raise ProtocolError(ErrorCode.NOT_FACILITATOR)
        if state.stage != "facilitator":
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        if isinstance(message, OpenRoom):
            return self._open_room(state, message, media, watch_uplink)
        return self._join_room(state, message)

    def _member_action(  # noqa: PLR0911 -- one branch per kind of message
        self, room: _Room, seat: _Seat, message: ClientMessage
    ) -> list[Action]:
        if isinstance(message, ClientSignal):
            return self._signal(room, seat, message)
        if isinstance(message, ClientSfu):
            return self._sfu(room, seat, message)
        if isinstance(message, ClientUplink):
            return self._uplink(room, seat, message)
        if isinstance(message, ClientChat):
            return self._chat(room, seat, message)
        if isinstance(message, ClientApp):
            return self._app(room, seat, message)
        if isinstance(message, RequestMute):
            self._check_control(seat)
            return self._request_mute(room, seat, message.member)
        if seat.role != "facilitator":
            raise ProtocolError(ErrorCode.NOT_FACILITATOR)
        return self._facilitator_action(room, seat, message)

    def _facilitator_action(self, room: _Room, seat: _Seat, message: ClientMessage) -> list[Action]:
        if isinstance(message, Admit):
            return self._admit(room, message.member)
        if isinstance(message, Decline):
            return self._decline(room, message.member)
        if isinstance(message, Remove):
            return self._remove(room, seat, message.member)
        if isinstance(message, EndRoom):
            return self._end(room)
        raise ProtocolError(ErrorCode.BAD_MESSAGE)  # pragma: no cover - every type is handled

    # ------------------------------------------------------------ entering

    def _participant_hello(self, state: _Conn, hello: ParticipantHello) -> list[Action]:
        if state.stage != "new":
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        room = self._room_for_invite(hello.room, hello.secret)
        if len(room.lobby) >= self.rules.max_lobby:
            raise ProtocolError(ErrorCode.ROOM_FULL)
        seat = _Seat(
            member=self._new_member_id(),
            role="participant",
            display_name=hello.display_name,
            declared=dict(hello.declared),
            since=self._clock(),
            conn=state.id,
        )
        room.lobby[seat.member] = seat
        state.stage, state.room, state.member = "lobby", room.id, seat.member
        logger.info("conn %d waiting in the lobby of room %s as %s", state.id, room.id, seat.member)
        return [
            Send(state.id, Welcome(role="participant")),
            Send(
                state.id,
                Waiting(room=room.id, ice_servers=self._lobby_ice_servers(), rules=room.rules),
            ),
            *self._lobby_update(room),
        ]

    def _inquire(self, state: _Conn, message: Inquire) -> list[Action]:
        """Whether an invite is good and what the room asks: nothing about who is there."""
        if state.stage != "new":
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        room = self._room_for_invite(message.room, message.secret)
        info = RoomInfo(
            room=room.id,
            questions=room.questions,
            invite_expires_at=room.invite_expires_at,
            safety=room.safety,
            rules=room.rules,
            consent=room.consent,
            media=room.media,
            previews=not room.relay_only,  # a preview would show the lobby's address
        )
        return [Send(state.id, info)]

    def _room_for_invite(self, room_id: str, secret: str) -> _Room:
        room = self._rooms.get(room_id)
        # compare even when the room is unknown, so timing does not tell rooms apart
        expected = room.secret_hash if room else _digest(room_id)
        if not hmac.compare_digest(expected, _digest(secret)) or room is None:
            raise ProtocolError(ErrorCode.BAD_INVITE)
        if self._clock() >= room.invite_expires_at:
            raise ProtocolError(ErrorCode.INVITE_EXPIRED)
        return room

    def _open_room(
        self, state: _Conn, message: OpenRoom, media: MediaMode, watch_uplink: bool
    ) -> list[Action]:
        if len(self._rooms) >= self.rules.max_rooms:
            raise ProtocolError(ErrorCode.ROOM_FULL)
        room_id = secrets.token_urlsafe(9)
        while room_id in self._rooms:  # pragma: no cover - 72 random bits
            room_id = secrets.token_urlsafe(9)
        secret = secrets.token_urlsafe(24)
        room = _Room(
            room_id,
            _digest(secret),
            self._clock() + self.rules.invite_ttl_seconds,
            questions=message.questions or (),
            safety=message.safety,
            rules=message.rules,
            consent=message.consent,
            relay_only=bool(message.relay_only),
            media=media,
        )
        if watch_uplink and media == "mesh":
            room.uplink = UplinkWatch(self.uplink_rule, self._clock)
        self._rooms[room_id] = room
        logger.info("conn %d opened room %s (%s)", state.id, room_id, media)
        opened = RoomOpened(
            room=room_id,
            invite=build_invite_link(self.public_url, room_id, secret),
            invite_expires_at=room.invite_expires_at,
        )
        return [Send(state.id, opened), *self._seat_facilitator(state, room)]

    def _join_room(self, state: _Conn, message: JoinRoom) -> list[Action]:
        room = self._room_for_invite(message.room, message.secret)
        logger.info("conn %d joins room %s as co-facilitator", state.id, room.id)
        return self._seat_facilitator(state, room)

    def _seat_facilitator(self, state: _Conn, room: _Room) -> list[Action]:
        if len(room.seats) >= self.rules.max_members:
            raise ProtocolError(ErrorCode.ROOM_FULL)
        seat = _Seat(
            member=self._new_member_id(),
            role="facilitator",
            display_name=state.display_name or "?",
            declared={},
            since=self._clock(),
            conn=state.id,
        )
        actions = self._take_seat(room, seat, state)
        actions.append(Send(state.id, self._lobby_message(room)))
        return actions

    def _take_seat(self, room: _Room, seat: _Seat, state: _Conn) -> list[Action]:
        others = [s for s in room.seats.values() if s.conn is not None]
        room.seats[seat.member] = seat
        self.seat_changes += 1
        state.stage, state.room, state.member = "seated", room.id, seat.member
        actions: list[Action] = [Send(state.id, self._admitted(room, seat, resumed=False))]
        joined = MemberJoined(member=seat.info())
        actions += [Send(s.conn, joined) for s in others if s.conn is not None]
        return actions

    def _admitted(self, room: _Room, seat: _Seat, *, resumed: bool) -> Admitted:
        """The ``admitted`` message for ``seat``, with a fresh resume token."""
        self._tokens.pop(seat.token_hash, None)
        token = secrets.token_urlsafe(32)
        seat.token_hash = _digest(token)
        self._tokens[seat.token_hash] = (room.id, seat.member)
        return Admitted(
            room=room.id,
            member=seat.member,
            role=seat.role,
            members=tuple(s.info() for s in room.seats.values()),
            ice_servers=self._ice_servers(seat.member),
            resume_token=token,
            grace_seconds=self.rules.grace_seconds,
            resumed=resumed,
            # members of an SFU room see only the media server's address, never each
            # other's: relay-only's promise holds without forcing TURN, which denies
            # relaying to the organisation's own (private) media server
            ice_transport_policy="relay" if room.relay_only and room.media == "mesh" else "all",
            media=room.media,
            uplink=room.uplink is not None and not room.uplink.switched,
        )

    def _resume(self, state: _Conn, message: Resume) -> list[Action]:
        if state.stage != "new":
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        found = self._tokens.get(_digest(message.token))
        room = self._rooms.get(found[0]) if found else None
        seat = room.seats.get(found[1]) if room and found else None
        if room is None or seat is None:
            raise ProtocolError(ErrorCode.RESUME_EXPIRED)
        now = self._clock()
        if seat.dropped_at is not None and now - seat.dropped_at >= self.rules.grace_seconds:
            raise ProtocolError(ErrorCode.RESUME_EXPIRED)  # expire() frees the seat
        actions: list[Action] = []
        if seat.conn is not None:
            # the old connection has not noticed it is dead yet: the newer one wins
            self._close_state(seat.conn)
            actions.append(Close(seat.conn))
        seat.conn, seat.dropped_at = state.id, None
        self._held.pop(seat.member, None)
        state.stage, state.room, state.member = "seated", room.id, seat.member
        logger.info("conn %d resumed member %s of room %s", state.id, seat.member, room.id)
        actions.append(Send(state.id, self._admitted(room, seat, resumed=True)))
        if seat.role == "facilitator":
            actions.append(Send(state.id, self._lobby_message(room)))
        return actions

    # ------------------------------------------------------------ facilitator actions

    def _admit(self, room: _Room, member: str) -> list[Action]:
        seat = room.lobby.get(member)
        if seat is None or seat.conn is None:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if len(room.seats) >= self.rules.max_members:
            raise ProtocolError(ErrorCode.ROOM_FULL)
        del room.lobby[member]
        seat.since = self._clock()
        state = self._conns[seat.conn]
        logger.info("member %s admitted to room %s", member, room.id)
        return [*self._take_seat(room, seat, state), *self._lobby_update(room)]

    def _decline(self, room: _Room, member: str) -> list[Action]:
        seat = room.lobby.pop(member, None)
        if seat is None:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        self._member_ids.discard(member)
        logger.info("member %s declined from room %s", member, room.id)
        actions: list[Action] = []
        if seat.conn is not None:
            self._close_state(seat.conn)
            actions += [Send(seat.conn, Declined(room=room.id)), Close(seat.conn)]
        return actions + self._lobby_update(room)

    def _remove(self, room: _Room, by: _Seat, member: str) -> list[Action]:
        seat = room.seats.get(member)
        if seat is None:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if seat is by:
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)  # leave, don't remove yourself
        logger.info("member %s removed from room %s", member, room.id)
        actions: list[Action] = []
        if seat.conn is not None:
            actions += [Send(seat.conn, Removed(room=room.id)), Close(seat.conn)]
        return actions + self._unseat(room, seat, "removed")

    def _check_control(self, seat: _Seat) -> None:
        """Refuse a control request (mute someone, lead the turns) unless from a facilitator."""
        if seat.role != "facilitator":
            logger.info("member %s sent a control request; refused", seat.member)
            raise ProtocolError(ErrorCode.CONTROL_REFUSED)

    def _request_mute(self, room: _Room, by: _Seat, member: str) -> list[Action]:
        """Relay a facilitator's mute request to the member asked, and nobody else."""
        seat = room.seats.get(member)
        if seat is None or seat is by:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if seat.conn is None:
            return []  # dropped for now: the request is for this moment, not for later
        return [Send(seat.conn, MuteRequested(sender=by.member, member=member))]

    def _end(self, room: _Room) -> list[Action]:
        logger.info("room %s ended", room.id)
        return self._close_room(room)

    # ------------------------------------------------------------ relaying

    def _signal(self, room: _Room, seat: _Seat, message: ClientSignal) -> list[Action]:
        waiting = room.lobby.get(message.to)
        if waiting is not None and seat.role == "facilitator":
            # a facilitator asking to see someone waiting: the preview, and only that
            if not is_preview_payload(message.payload):
                raise ProtocolError(ErrorCode.NOT_ADMITTED)
            target: _Seat | None = waiting
        else:
            target = room.seats.get(message.to)  # a participant never learns lobby ids
        if target is None or target is seat:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if target.conn is None:
            return []  # dropped for now; the mesh renegotiates when they are back
        return self._relay_signal(room, seat, target.conn, message.payload)

    def _sfu(self, room: _Room, seat: _Seat, message: ClientSfu) -> list[Action]:
        """Check an ``sfu`` message before the SFU bridge turns it into Janus requests:
        the room's media go through Janus, ``feed`` sits in this room, an offer or a
        ``none`` is for your own feed, an answer or a layer for someone else's; a share is
        published only by who may share now (the rule is ``core/session/share.py``'s)."""
        if room.media != "sfu":
            raise ProtocolError(ErrorCode.NOT_SFU)
        if message.feed not in room.seats:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        own = message.feed == seat.member
        if (message.kind in ("offer", "none")) != own and message.kind != "candidate":
            raise ProtocolError(ErrorCode.BAD_MESSAGE)
        if (
            message.track == "share"
            and message.kind == "offer"
            and not may_share(seat.role, seat.member, room.share_allowed)
        ):
            raise ProtocolError(ErrorCode.CONTROL_REFUSED)
        return [ToSfu(room.id, seat.member, message)]

    def _uplink(self, room: _Room, seat: _Seat, message: ClientUplink) -> list[Action]:
        """A member's uplink report, in a mesh room that may move to Janus (auto): the
        rule (``core/uplink.py``) says when; the web layer then asks Janus."""
        watch = room.uplink
        if watch is None:
            raise ProtocolError(ErrorCode.UPLINK_NOT_WATCHED)
        verdict = watch.report(
            seat.member,
            message.kbps,
            limited=message.limited,
            streams=message.streams,
            others=len(room.seats) - 1,
        )
        if verdict == "too_soon":
            raise ProtocolError(ErrorCode.RATE_LIMITED)
        if verdict == "switch":
            logger.info("room %s: a member's uplink is too poor for the mesh", room.id)
            return [SwitchToSfu(room.id)]
        return []

    def switched(self, room_id: str, *, reason: ErrorCode | None = None) -> list[Action]:
        """The web layer's answer to :class:`SwitchToSfu`: Janus made the room's VideoRoom
        (``reason`` None): the room's media go through it from now on, and every seated
        member is told; else the room stays a mesh and its facilitators are told why."""
        room = self._rooms.get(room_id)
        if room is None:
            return []
        if reason is not None:
            logger.warning("room %s stays a mesh: %s", room.id, reason.value)
            notice = ServerMedia(media="mesh", reason=reason.value)
            return [Send(c, notice) for c in self._conns_of(room, facilitators=True)]
        room.media = "sfu"
        self.seat_changes += 1  # Janus tokens for everyone seated
        logger.info("room %s now goes through the media server", room.id)
        switched = ServerMedia(media="sfu")
        waiting = [s.conn for s in room.lobby.values() if s.conn is not None]
        # those waiting learn it too: the page's lobby says how media travel (room_info)
        return [Send(c, switched) for c in [*self._conns_of(room), *waiting]]

    def _lobby_signal(self, state: _Conn, message: ClientMessage) -> list[Action]:
        """A waiting person's answer to a facilitator's preview request (nothing else)."""
        if not isinstance(message, ClientSignal):
            raise ProtocolError(ErrorCode.NOT_ADMITTED)
        room = self._rooms.get(state.room or "")
        seat = room.lobby.get(state.member or "") if room else None
        if room is None or seat is None:  # pragma: no cover - lobby states are popped
            raise ProtocolError(ErrorCode.ROOM_ENDED)
        if not is_preview_payload(message.payload):
            raise ProtocolError(ErrorCode.NOT_ADMITTED)
        target = room.seats.get(message.to)
        if target is None or target.role != "facilitator":
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if target.conn is None:
            return []
        return self._relay_signal(room, seat, target.conn, message.payload)

    def _relay_signal(
        self, room: _Room, seat: _Seat, conn: int, payload: dict[str, Any]
    ) -> list[Action]:
        """Relay ``payload``; in a relay-only room, without any address but the relay's.

        The server does not trust the sender's ICE agent to keep to the room's policy:
        a host or server-reflexive candidate would hand the receiver the sender's IP.
        """
        if room.relay_only:
            relayed = relay_only_payload(payload)
            if relayed is None:
                return []
            payload = relayed
        return [Send(conn, ServerSignal(sender=seat.member, payload=payload))]

    def _chat(self, room: _Room, seat: _Seat, message: ClientChat) -> list[Action]:
        if message.to is None:
            line = ServerChat(sender=seat.member, text=message.text, private=False)
            return [Send(c, line) for c in self._conns_of(room, exclude=seat)]
        target = room.seats.get(message.to)
        if target is None or target is seat:
            raise ProtocolError(ErrorCode.UNKNOWN_MEMBER)
        if seat.role != "facilitator" and target.role != "facilitator":
            raise ProtocolError(ErrorCode.NOT_FACILITATOR)  # private chat goes to facilitators
        if target.conn is None:
            return []
        return [Send(target.conn, ServerChat(sender=seat.member, text=message.text, private=True))]

    def _app(self, room: _Room, seat: _Seat, message: ClientApp) -> list[Action]:
        """Relay an app event (parsed and validated already) to whom it is for."""
        allowed_before = room.share_allowed
        only_facilitators = self._app_route(room, seat, message.event)
        event = ServerApp(sender=seat.member, event=message.event)
        actions: list[Action] = [
            Send(c, event)
            for c in self._conns_of(room, exclude=seat, facilitators=only_facilitators)
        ]
        if isinstance(message.event, SideRoom) and room.media == "sfu":
            aside = frozenset(m for m in message.event.members if m in room.seats)
            actions.append(SfuAside(room.id, aside if len(aside) > 1 else frozenset()))
        if room.media == "sfu":
            actions += self._sfu_unshares(room, seat, message.event, allowed_before)
        return actions

    @staticmethod
    def _sfu_unshares(
        room: _Room, seat: _Seat, event: AppEvent, allowed_before: frozenset[str]
    ) -> list[Action]:
        """The share publications Janus must end after ``event``: the sender's, when it
        stops sharing; each participant's whose permission a facilitator took back."""
        if isinstance(event, Share) and event.kind is None:
            return [SfuUnshare(room.id, seat.member)]
        if isinstance(event, SharePermission):
            return [
                SfuUnshare(room.id, member)
                for member in sorted(allowed_before - room.share_allowed)
                if member in room.seats
                and not may_share(room.seats[member].role, member, room.share_allowed)
            ]
        return []

    def _app_route(self, room: _Room, seat: _Seat, event: AppEvent) -> bool:
        """Whether ``event`` goes to the room's facilitators only; refuses a participant's
        control, and a participant's share that no facilitator allowed (the rule is
        ``core/session/share.py``'s). Every event is routed here by name: a new one is a
        type error until it is."""
        match event:
            case SharePermission(allowed=allowed):
                self._check_control(seat)
                room.share_allowed = frozenset(allowed)
                return False  # to everyone: a participant no longer allowed stops
            case Share(kind=kind):
                if kind is not None and not may_share(seat.role, seat.member, room.share_allowed):
                    raise ProtocolError(ErrorCode.CONTROL_REFUSED)
                return False
            case TurnState() | SideRoom():
                self._check_control(seat)
                return False  # to everyone: each app honours it
            case TurnCommand() | TurnSync():
                self._check_control(seat)
                return True  # between facilitators
            case SafetySignal() | PassTurn():
                return True
            case RaiseHand() | LowerHand() | MediaState() | Reaction():
                return False
            case _:
                assert_never(event)

    # ------------------------------------------------------------ leaving

    def _leave(self, state: _Conn) -> list[Action]:
        actions: list[Action] = []
        room = self._rooms.get(state.room) if state.room else None
        if room is not None and state.member is not None:
            if state.stage == "lobby":
                room.lobby.pop(state.member, None)
                self._member_ids.discard(state.member)
                actions += self._lobby_update(room)
            elif state.stage == "seated" and state.member in room.seats:
                logger.info("member %s left room %s", state.member, room.id)
                actions += self._unseat(room, room.seats[state.member], "left")
        self._close_state(state.id)
        return [*actions, Close(state.id)]

    def _unseat(self, room: _Room, seat: _Seat, reason: LeftReason) -> list[Action]:
        """Free ``seat``; tell the others; close the room when nobody is left in it."""
        room.seats.pop(seat.member, None)
        self.seat_changes += 1
        self._tokens.pop(seat.token_hash, None)
        self._member_ids.discard(seat.member)
        self._held.pop(seat.member, None)
        if seat.conn is not None:
            self._close_state(seat.conn)
        if room.uplink is not None:
            room.uplink.forget(seat.member)
        if not room.seats:
            return self._close_room(room)
        left = MemberLeft(member=seat.member, reason=reason)
        return [Send(c, left) for c in self._conns_of(room)]

    def _close_room(self, room: _Room) -> list[Action]:
        actions: list[Action] = []
        ended = RoomEnded(room=room.id)
        for seat in [*room.seats.values(), *room.lobby.values()]:
            self._tokens.pop(seat.token_hash, None)
            self._member_ids.discard(seat.member)
            self._held.pop(seat.member, None)
            if seat.conn is not None and self._close_state(seat.conn):
                actions += [Send(seat.conn, ended), Close(seat.conn)]
        room.seats.clear()
        self.seat_changes += 1
        room.lobby.clear()
        self._rooms.pop(room.id, None)
        return actions

    # ------------------------------------------------------------ helpers

    def _state(self, conn: int) -> _Conn:
        state = self._conns.get(conn)
        if state is None:
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)  # the connection is closing
        return state

    def _close_state(self, conn: int) -> bool:
        """Detach connection ``conn`` from every room; False if it was already gone."""
        state = self._conns.pop(conn, None)
        if state is not None:
            state.stage = "closed"
        return state is not None

    def _seated(self, state: _Conn) -> tuple[_Room, _Seat]:
        room = self._rooms.get(state.room or "")
        seat = room.seats.get(state.member or "") if room else None
        if room is None or seat is None:  # pragma: no cover - closed states are popped
            raise ProtocolError(ErrorCode.ROOM_ENDED)
        return room, seat

    def _conns_of(
        self, room: _Room, *, exclude: _Seat | None = None, facilitators: bool = False
    ) -> list[int]:
        return [
            s.conn
            for s in room.seats.values()
            if s.conn is not None
            and s is not exclude
            and (not facilitators or s.role == "facilitator")
        ]

    def _lobby_message(self, room: _Room) -> Lobby:
        return Lobby(
            room=room.id,
            waiting=tuple(
                LobbyEntry(s.member, s.display_name, s.declared, s.since)
                for s in room.lobby.values()
            ),
        )

    def _lobby_update(self, room: _Room) -> list[Action]:
        lobby = self._lobby_message(room)
        return [Send(c, lobby) for c in self._conns_of(room, facilitators=True)]

    def _new_member_id(self) -> str:
        member = secrets.token_hex(6)
        while member in self._member_ids:  # pragma: no cover - 48 random bits
            member = secrets.token_hex(6)
        self._member_ids.add(member)
        return member
