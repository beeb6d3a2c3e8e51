"""The live session: the room on the server, the lobby, the members, chat, and the log.

``LiveSession`` is the model the live page listens to (no widgets: tests drive
it without a window). As facilitator it opens the room -- on the organisation's
server (``server_url`` in the policy, credential from the OS keyring) or on an
embedded server started in this process -- admits or declines the people in
the lobby, and journals every meaningful event (ids, never names) in the
session log, with attendance. As participant (``join``) it knocks with an
invite link and waits to be admitted.

It coordinates the pieces that hold each part: ``live_entry`` (getting into the
room), ``live_connection`` (the signalling), ``live_lobby`` (who waits, and who
they seem to be: ``waiting_room``), ``live_seats`` (who is in: ``seats``),
``live_chat`` (``chat_lines``), ``live_call`` (our media: ``call``),
``live_preview`` (the camera previews of the people waiting: ``previews``) and
``live_record`` (the log). A participant waiting in the lobby lets the room's
facilitators see their camera (``PreviewAnswerer``), never their sound.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, assert_never

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage

from groupdesk.core.journal_kinds import JournalEntry, RoomClose, SeatEvent
from groupdesk.core.models import Attendance, Member
from groupdesk.core.policy_values import Policy, load_policy
from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientApp,
    ClientChat,
    ClientMessage,
    Decline,
    Declined,
    EndRoom,
    Error,
    ErrorCode,
    JoinRoom,
    Lobby,
    LowerHand,
    MediaState,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    OpenRoom,
    PassTurn,
    Question,
    RaiseHand,
    Reaction,
    Remove,
    Removed,
    RequestMute,
    RoomEnded,
    RoomOpened,
    SafetySignal,
    ServerApp,
    ServerChat,
    ServerMessage,
    TurnCommand,
    TurnState,
    TurnSync,
    Welcome,
)
from groupdesk.core.protocol import (
    Waiting as WaitingMessage,
)
from groupdesk.core.session.turn_events import Command
from groupdesk.media.events import MediaEvent, VoiceActivity
from groupdesk.media.mesh import Mesh
from groupdesk.media.preview import PreviewAnswerer
from groupdesk.server.app import RunningServer
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui import live_entry
from groupdesk.ui.live_call import LiveCall, SourcesFactory
from groupdesk.ui.live_chat import MAX_CHAT, LiveChat
from groupdesk.ui.live_connection import RoomConnection
from groupdesk.ui.live_lobby import LiveLobby
from groupdesk.ui.live_media import TileFrames
from groupdesk.ui.live_members import ChatLine, LiveMember, LiveProblem, Waiting
from groupdesk.ui.live_preview import LivePreviews
from groupdesk.ui.live_problems import problem_of_notice
from groupdesk.ui.live_questions import room_questions
from groupdesk.ui.live_record import LiveRecord
from groupdesk.ui.live_seats import LiveSeats
from groupdesk.ui.live_turns import LiveTurns

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog

log = logging.getLogger(__name__)

_T = TypeVar("_T")


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


class LiveSession(QObject):
    """One live session, as facilitator or participant.

    Signals:
        ``changed()``: ``stage``, ``problem``, ``invite`` or a notice changed.
        ``lobby_changed()``: someone knocked, was admitted, declined or gave up.
        ``knocked(str)``: a new person (seat) is waiting in the lobby.
        ``members_changed()``: a seat was taken or freed.
        ``member_updated(str)``: a member's indicators changed (mute, hand, speaking...).
        ``frame_ready(str, QImage)``: a tile-sized picture of a member.
        ``chat_changed()``: a chat line arrived or was sent.
        ``safety_signalled(str)``: a member (seat) sent a safety signal (facilitator).
        ``turns_changed()``: the queue, the floor, the round, talk time or a timer moved.
        ``ended(int)``: the session ended and its summary is in the log (session id; 0
        for a participant).
    """

    changed = Signal()
    lobby_changed = Signal()
    knocked = Signal(str)
    members_changed = Signal()
    member_updated = Signal(str)
    frame_ready = Signal(str, QImage)
    chat_changed = Signal()
    safety_signalled = Signal(str)
    turns_changed = Signal()
    ended = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = LiveStage.IDLE
        self.problem: LiveProblem | None = None
        self.role = "facilitator"
        self.log: SessionLog | None = None
        self.session_id = 0
        self.group_id = 0
        self.embedded = False
        self.invite = ""
        self.display_name = ""  # the name we go by in the room (a stand-in pattern shows it)
        self.questions: tuple[Question, ...] = ()
        """What the room asks participants before admission (the policy's checklist)."""
        self.waiting_room = LiveLobby(self)
        """The lobby: who is waiting, who they seem to be (``lobby`` is its list)."""
        self.waiting_room.changed.connect(self.lobby_changed)
        self.waiting_room.knocked.connect(self.knocked)
        self.seats = LiveSeats(self)
        """Who is in the room (``members`` is its map by seat)."""
        self.seats.changed.connect(self.members_changed)
        self.seats.updated.connect(self.member_updated)
        self.self_seat = ""
        self.chat_lines = LiveChat(self)
        """The chat (``chat`` is its list of lines)."""
        self.chat_lines.changed.connect(self.chat_changed)
        self.reconnecting = False
        self.muted = False
        self.camera_off = False
        self.hand_raised = False
        self.mute_requested = False
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.admitted_count = 0
        self.record: LiveRecord | None = None
        self.attendance: list[Attendance] = []
        """After the end: every stay in the session, as the log recorded it."""
        # "camera" / "microphone" found but not opened (e.g. in use by another program):
        self.device_failures: set[str] = set()
        self.call = LiveCall(self)
        """Our media: the mesh, our microphone and camera, the tiles' frames."""
        self.call.frames.frame_ready.connect(self._on_frame)
        self.previews = LivePreviews(self.call.executor, self)
        """The camera previews of the people waiting (facilitator); ``image(seat)``,
        ``state(seat)``, signals ``image_ready`` and ``state_changed``."""
        self.waiting_room.disappeared.connect(self.previews.forget)
        self._answerer: PreviewAnswerer | None = None
        self.turns = self._make_turns()
        self.conn = self._new_connection()
        self._over: asyncio.Task[None] | None = None
        self._receive_video = True
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self.seats.check_frozen)

    def _make_turns(self) -> LiveTurns:
        """The speaking turns: the facilitator's desk, or the state a member was sent."""
        turns = LiveTurns(self._send, self._journal, self._id_of, self)
        turns.changed.connect(self._show_hands)
        turns.changed.connect(self.turns_changed)
        return turns

    # -- what the page reads -----------------------------------------------------------

    @property
    def facilitator(self) -> bool:
        """True when this app runs the room (not a participant)."""
        return self.role == "facilitator"

    @property
    def ends_room(self) -> bool:
        """Whether ending here ends the room for everyone (the facilitator's app; a
        co-facilitator's only once it carries the turns on), rather than leaving it."""
        return self.facilitator and self.turns.leads

    @property
    def safety_signals(self) -> dict[str, datetime]:
        """Facilitator: who sent a safety signal in this session (seat), and when last."""
        return self.seats.safety_signals

    @property
    def active(self) -> bool:
        """True from connecting until the session ends or fails."""
        return self.stage in (LiveStage.CONNECTING, LiveStage.WAITING, LiveStage.LIVE)

    @property
    def lobby(self) -> list[Waiting]:
        """Everyone waiting in the lobby, in arrival order."""
        return self.waiting_room.waiting

    @property
    def roster(self) -> list[Member]:
        """The group's members (facilitator)."""
        return self.waiting_room.roster

    @property
    def expected(self) -> set[int]:
        """The group members expected at this session (facilitator)."""
        return self.waiting_room.expected

    @property
    def members(self) -> dict[str, LiveMember]:
        """Everyone in the room, by seat (ourselves included)."""
        return self.seats.members

    @property
    def spotlight(self) -> str | None:
        """The seat everyone sees large (None: the grid)."""
        return self.seats.spotlight

    @property
    def chat(self) -> list[ChatLine]:
        """The chat lines, oldest first."""
        return self.chat_lines.lines

    @property
    def frames(self) -> TileFrames:
        """Received frames, scaled for the tiles; ``frames.audio`` plays the others' audio."""
        return self.call.frames

    @property
    def mesh(self) -> Mesh | None:
        """The media connections to the others, from admission until hang-up."""
        return self.call.mesh

    def member(self, seat: str) -> LiveMember | None:
        """The member in ``seat``, if seated."""
        return self.members.get(seat)

    def member_name(self, member_id: int | None) -> str:
        """The group member's name for a log id (for the lobby's "who is this")."""
        return self.waiting_room.member_name(member_id)

    def stay_name(self, stay: Attendance) -> str:
        """Who a stay in the attendance is: the member's name, or the guest's declared one."""
        if stay.member_id is None:
            return stay.guest_name
        return self.member_name(stay.member_id) or "?"

    @property
    def attended_count(self) -> int:
        """After the end: how many people are in the attendance (members and guests; one
        who came back is counted once)."""
        return len({(s.member_id, s.guest_name if s.is_guest else "") for s in self.attendance})

    # -- opening (facilitator) ---------------------------------------------------------

    async def open_room(
        self,
        log_: SessionLog,
        session_id: int,
        *,
        server_url: str = "",
        account: str = "",
        credential: str = "",
        display_name: str = "",
        sources: SourcesFactory | None = None,
        embedded_host: str = "127.0.0.1",
        policy: Policy | None = None,
    ) -> bool:
        """Open the room of ``session_id``: on ``server_url`` with the credential, or embedded.

        The room asks participants the ``policy``'s ``participant_checklist`` (the one
        the app loaded at start; None: read it now) before admission; the people
        waiting are previewed unless its ``lobby_preview`` is False. False (``problem``
        says why) when the room could not be opened; nothing is written to the log
        before the room is open.
        """
        if self.active:
            return False
        await self._hang_up()  # whatever a failed attempt left (nothing, usually)
        self._reset("facilitator")
        self.log, self.session_id, self.call.sources = log_, session_id, sources
        self.record = LiveRecord(log_, session_id, self._log_failed)
        self._set_stage(LiveStage.CONNECTING)
        sessions = await self._logged(log_.list_sessions)
        session = next((s for s in sessions or [] if s.id == session_id), None)
        if session is None:
            return self._fail(LiveProblem.LOG_FAILED)
        self.group_id = session.group_id
        roster = await self._logged(lambda: log_.list_members(session.group_id)) or []
        expected = await self._logged(lambda: log_.expected_members(session_id)) or []
        self.waiting_room.know_group(roster, expected)
        name = display_name or (session.facilitators[0] if session.facilitators else "")
        self.display_name = name
        current = policy if policy is not None else await asyncio.to_thread(load_policy)
        self.previews.enabled = current.lobby_preview
        self.previews.managed = current.lobby_preview_managed
        self.turns.turn_seconds = current.turn_seconds
        if not await self._sign_in(server_url, account, credential, name, embedded_host):
            return False
        self.questions = room_questions(current.participant_checklist)
        reply = await self._ask(OpenRoom(questions=self.questions or None), RoomOpened)
        if not isinstance(reply, RoomOpened):
            return False
        self.invite = reply.invite
        self.started_at = datetime.now(UTC)
        await self.record.started(self.started_at, self.embedded)
        self._set_stage(LiveStage.LIVE)
        return True

    async def _sign_in(
        self, server_url: str, account: str, credential: str, name: str, embedded_host: str
    ) -> bool:
        """Start the embedded server (no ``server_url``) or reach the organisation's; hello."""
        where = await live_entry.facilitator_server(
            self.conn, server_url, account, credential, embedded_host
        )
        if isinstance(where, LiveProblem):
            return self._fail(where)
        url, account, credential = where
        self.embedded = not server_url
        if not await self._connect(url):
            return False
        assert self.client is not None
        # before the room is opened: the previews learn the ICE servers from our admission
        self.previews.start(self.client, enabled=self.previews.enabled)
        hello = live_entry.facilitator_hello(account, credential, name)
        if isinstance(hello, LiveProblem):
            await self._hang_up()
            return self._fail(hello)
        return isinstance(await self._ask(hello, Welcome), Welcome)

    # -- joining (participant) ---------------------------------------------------------

    async def join(
        self,
        link: str,
        display_name: str,
        *,
        declared: Mapping[str, Any] | None = None,
        sources: SourcesFactory | None = None,
        receive_video: bool = True,
    ) -> bool:
        """Knock at the room of an invite link; True once waiting in the lobby.

        ``receive_video=False`` asks the others for audio only (simulated participants).
        """
        if self.active:
            return False
        await self._hang_up()  # whatever a failed attempt left (nothing, usually)
        self._reset("participant")
        self._receive_video = receive_video
        self.display_name = display_name
        self.call.sources = sources
        self._set_stage(LiveStage.CONNECTING)
        invite = live_entry.invite_of(link)
        if isinstance(invite, LiveProblem):
            return self._fail(invite)
        if not await self._connect(invite.websocket_url):
            return False
        hello = live_entry.participant_hello(invite, display_name, declared)
        if isinstance(hello, LiveProblem):
            await self._hang_up()
            return self._fail(hello)
        assert self.client is not None
        # before the hello: the facilitators may ask to see us as soon as we wait
        self._answerer = PreviewAnswerer(self.client, self.call.open_sources())
        reply = await self._ask(hello, WaitingMessage)
        if not isinstance(reply, WaitingMessage):
            return False
        self.invite = link
        self._set_stage(LiveStage.WAITING)
        return True

    # -- co-facilitating -----------------------------------------------------------------

    async def co_facilitate(
        self,
        link: str,
        display_name: str,
        *,
        account: str,
        credential: str,
        sources: SourcesFactory | None = None,
    ) -> bool:
        """Join the room of an invite link as a co-facilitator, signed in with one's own
        credential on the organisation's server: straight in, no lobby. The facilitator's
        app keeps the turns and the record; this one shows them, acts through it, and
        carries the turns on if that app leaves. Leaving does not end the room."""
        if self.active:
            return False
        await self._hang_up()
        self._reset("facilitator")
        self.turns.lead = False
        self.display_name, self.call.sources = display_name, sources
        self._set_stage(LiveStage.CONNECTING)
        invite = live_entry.invite_of(link)
        hello = live_entry.facilitator_hello(account, credential, display_name)
        if isinstance(invite, LiveProblem):
            return self._fail(invite)
        if isinstance(hello, LiveProblem):
            return self._fail(hello)
        if not await self._connect(invite.websocket_url) or not isinstance(
            await self._ask(hello, Welcome), Welcome
        ):
            return False
        joined = await self._ask(JoinRoom(room=invite.room, secret=invite.secret), Admitted)
        if not isinstance(joined, Admitted):
            return False
        self.invite = link
        self._set_stage(LiveStage.LIVE)
        await self._on_admitted(joined)
        return True

    # -- the lobby -----------------------------------------------------------------------

    def set_match(self, seat: str, member_id: int | None) -> None:
        """Who in the group the person waiting in ``seat`` is (identity check)."""
        self.waiting_room.set_match(seat, member_id)

    async def admit(self, seat: str) -> None:
        """Admit the person waiting in ``seat``."""
        if not self.facilitator:
            return
        person = self.waiting_room.admitting(seat)
        if person is None:
            return
        if await self._send(Admit(member=seat)):
            self.admitted_count += 1
            await self._journal(SeatEvent("lobby.admitted", seat, person.match))

    async def admit_all(self) -> None:
        """Admit everyone waiting, in arrival order."""
        await self.admit_seats([person.seat for person in self.lobby])

    async def admit_seats(self, seats: Sequence[str]) -> None:
        """Admit those of ``seats`` still waiting, in that order."""
        for seat in seats:
            await self.admit(seat)

    async def decline(self, seat: str) -> None:
        """Turn away the person waiting in ``seat``."""
        person = self.waiting_room.person(seat)
        if person is None or not self.facilitator:
            return
        if await self._send(Decline(member=seat)):
            await self._journal(SeatEvent("lobby.declined", seat, person.match))

    # -- in the room ---------------------------------------------------------------------

    async def remove(self, seat: str) -> None:
        """Remove a member from the room (they cannot come back with the same seat)."""
        if self.facilitator and seat in self.members and seat != self.self_seat:
            await self._send(Remove(member=seat))

    async def request_mute(self, seat: str, text: str) -> None:
        """Ask a member to mute: a request their app acts on, and ``text`` in private chat."""
        if not self.facilitator or seat not in self.members:
            return
        await self._send(RequestMute(member=seat))
        await self.send_chat(text, to=seat)
        await self._journal(SeatEvent("member.mute_requested", seat, self._id_of(seat)))

    async def set_spotlight(self, seat: str | None) -> None:
        """Spotlight a member for everyone (None: back to the grid)."""
        self.seats.set_spotlight(seat)
        if self.facilitator:
            self.turns.spotlight(seat)
            await self.turns.flush()

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone (silence is sent while muted)."""
        self.muted = muted
        if muted:
            self.mute_requested = False
        self.call.set_muted(muted)
        self.turns.muted(muted)
        await self._announce_media_state()

    async def set_camera_off(self, off: bool) -> None:
        """Stop or start sending video (waiting: the lobby preview too)."""
        self.camera_off = off
        self.call.set_send_video(not off)
        if self._answerer is not None:
            await self._answerer.set_camera(not off)
        await self._announce_media_state()

    async def set_hand_raised(self, raised: bool) -> None:
        """Raise or lower one's hand."""
        self.hand_raised = raised
        self.seats.show(self.self_seat, hand_raised=raised)
        event = RaiseHand() if raised else LowerHand()
        self.turns.app(self.self_seat, event)  # a facilitator's own hand is in the desk's line
        await self._send(ClientApp(event=event))

    async def pass_turn(self) -> None:
        """Pass one's turn in a round (the facilitators are told, nobody else)."""
        await self._send(ClientApp(event=PassTurn()))

    async def turn_command(self, command: Command) -> None:
        """A facilitator's command on the turns (floor, timer, round, mute requests)."""
        self.turns.command(command)
        await self.turns.flush()

    async def send_chat(self, text: str, to: str | None = None) -> bool:
        """Send a chat line to everyone, or privately to one member (``to``)."""
        text = text.strip()
        if not text or self.client is None:
            return False
        if not await self._send(ClientChat(text=text[:MAX_CHAT], to=to)):
            return False
        self.chat_lines.sent(self.self_seat, text, to)
        return True

    # -- the end -------------------------------------------------------------------------

    async def end(self) -> None:
        """End the session for everyone: the summary goes to the log, then ``ended``."""
        if self.stage in (LiveStage.ENDING, LiveStage.ENDED) or (self.stage is LiveStage.IDLE):
            return
        was_open = self.started_at is not None
        self._set_stage(LiveStage.ENDING)
        await self.turns.closing()  # each member's talk time, while the record is open
        if self.ends_room and self.conn.connected:
            await self._send(EndRoom())  # (a co-facilitator's app leaves; the room goes on)
        await self._hang_up()
        if self.facilitator and was_open and self.record is not None:
            await self._record_end()
        self._set_stage(LiveStage.ENDED)
        self.ended.emit(self.session_id)

    async def leave(self) -> None:
        """A participant leaves the room (the others go on)."""
        await self.end()

    async def close(self) -> None:
        """The window is closing: a room still open ends (and the log records it); hang up."""
        if self.active and self.facilitator and self.started_at is not None:
            await self.end()
        else:
            await self._hang_up()
        self.call.shutdown()

    # -- internals: the connection -----------------------------------------------------

    def _new_connection(self) -> RoomConnection:
        return RoomConnection(
            self._handle, self._make_mesh, self._on_client_state, self._on_connection_gone
        )

    def _reset(self, role: str) -> None:
        self.conn = self._new_connection()
        self.role = role
        self._receive_video = True
        self.problem = None
        self.invite = ""
        self.waiting_room.clear()
        self.seats.clear()
        self.chat_lines.clear()
        self.self_seat = ""
        self.started_at = self.ended_at = None
        self.admitted_count = 0
        self.record = None
        self.attendance = []
        self.embedded = False
        self.muted = self.camera_off = self.hand_raised = self.mute_requested = False
        self.reconnecting = False
        self.frames.closed = False
        self.turns.clear()

    async def _connect(self, url: str) -> bool:
        if await self.conn.connect(url):
            return True
        return self._fail(LiveProblem.UNREACHABLE)

    async def _ask(
        self, message: ClientMessage, answer: type[ServerMessage]
    ) -> ServerMessage | None:
        """Send ``message``; the reply of type ``answer``, or None (failed, ``problem`` set)."""
        reply = await live_entry.ask(self.conn, message, answer)
        if not isinstance(reply, LiveProblem):
            return reply
        await self._hang_up()
        self._fail(reply)
        return None

    async def _send(self, message: ClientMessage) -> bool:
        return await self.conn.send(message)

    @property
    def client(self) -> SignalingClient | None:
        """The signalling client of this session, while connected."""
        return self.conn.client

    @property
    def server(self) -> RunningServer | None:
        """The embedded server, when the room is on this computer."""
        return self.conn.server

    def _on_connection_gone(self) -> None:
        """The signalling connection is gone for good while the session was running."""
        if not self.active:
            return
        if self.stage is LiveStage.LIVE and self.facilitator:
            # The log keeps everything so far; ending records the summary.
            self.problem = LiveProblem.CONNECTION_LOST
            self.changed.emit()
        elif self.stage in (LiveStage.LIVE, LiveStage.WAITING):
            self.problem = self.problem or LiveProblem.CONNECTION_LOST
            self._over = asyncio.get_running_loop().create_task(self._participant_over())

    async def _participant_over(self) -> None:
        await self._hang_up()
        self._set_stage(LiveStage.ENDED)
        self.ended.emit(0)

    def _on_client_state(self, state: str) -> None:
        reconnecting = state == "reconnecting"
        if reconnecting != self.reconnecting:
            self.reconnecting = reconnecting
            self.changed.emit()

    async def _hang_up(self) -> None:
        self._watch.stop()
        self.frames.close()
        if self.conn.connected:  # say stop to the other side of each preview
            await self.previews.stop()
            await self._end_preview()
        # (else closed first: a send would wait for a reconnection that may not come)
        await self.conn.close()
        await self.previews.stop()
        await self._end_preview()
        self.call.stopped()

    async def _end_preview(self) -> None:
        """A participant's lobby preview is over (admitted, turned away, or leaving)."""
        answerer, self._answerer = self._answerer, None
        if answerer is not None:
            await answerer.close()
        self.call.end_preview()

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        client = self.conn.client
        assert client is not None
        mesh = self.call.start(admitted, client, muted=self.muted, on_event=self._on_media)
        if self.camera_off:  # turned off while waiting
            mesh.set_send_video(False)
        return mesh

    # -- internals: server messages ----------------------------------------------------

    async def _handle(self, message: ServerMessage) -> None:
        if self.conn.answers(message) and not isinstance(message, Declined | RoomEnded):
            return
        if isinstance(message, Admitted):
            await self._on_admitted(message)
        elif isinstance(message, Lobby):
            self.waiting_room.update(message.waiting)
        elif isinstance(message, MemberJoined):
            info = message.member
            self.waiting_room.seated(info.member)
            await self._seat(info.member, info.display_name, info.role)
            self.members_changed.emit()
        elif isinstance(message, MemberLeft):
            await self._unseat(message.member, message.reason)
        elif isinstance(message, ServerChat):
            self.chat_lines.received(message.sender, message.text, private=message.private)
        elif isinstance(message, ServerApp):
            await self._on_app(message)
        elif isinstance(message, MuteRequested):
            await self._on_mute_requested(message)
        elif isinstance(message, Declined | Removed | RoomEnded):
            self.problem = problem_of_notice(message)
            if not self.facilitator:
                await self._participant_over()
        elif isinstance(message, Error) and self.stage is LiveStage.LIVE:
            log.info("the server refused a request: %s", message.code)
            if message.code == ErrorCode.ROOM_FULL:  # an admission: the person keeps waiting
                self.problem = LiveProblem.ROOM_FULL
                self.changed.emit()

    async def _on_admitted(self, message: Admitted) -> None:
        self.self_seat = message.member
        if not self.turns.me:
            seated = [(i.member, i.role) for i in message.members]
            self.turns.start(
                message.member, seated, facilitator=self.facilitator, lead=self.turns.lead
            )
        await self._end_preview()  # it hung up already, hearing ``admitted`` first
        if not self._receive_video and self.mesh is not None:
            await self.mesh.set_receive_video(False)
        for info in message.members:
            if info.member not in self.members:
                await self._seat(info.member, info.display_name, info.role)
        for gone in set(self.members) - {i.member for i in message.members}:
            await self._unseat(gone, "expired")
        if self.stage is LiveStage.WAITING:
            self._set_stage(LiveStage.LIVE)
        self._watch.start()
        self.members_changed.emit()
        await self._announce_media_state()

    async def _seat(self, seat: str, name: str, role: str) -> None:
        joined_at = datetime.now(UTC)
        member = self.seats.seat(
            seat,
            name,
            role,
            joined_at,
            self_seat=self.self_seat,
            muted=self.muted,
            camera_off=self.camera_off,
            log_member_id=self.waiting_room.admitted_as(seat),
        )
        if self.facilitator and role == "participant" and self.record is not None:
            await self.record.joined(seat, member.log_member_id, joined_at, guest_name=name)
        if seat != self.self_seat:
            self.turns.joined(seat, "facilitator" if role == "facilitator" else "participant")

    async def _unseat(self, seat: str, reason: str) -> None:
        self.frames.forget(seat)
        member = self.seats.unseat(seat)
        if member is None:
            return
        self.turns.left(seat)
        if self.facilitator and member.role == "participant" and self.record is not None:
            await self.record.left(seat, member.log_member_id, reason)

    def _from_facilitator(self, seat: str) -> bool:
        """Whether ``seat`` is a facilitator of the room: controls are theirs alone (a
        server of an older version relays a participant's too)."""
        member = self.members.get(seat)
        return member is not None and member.role == "facilitator" and seat != self.self_seat

    async def _on_mute_requested(self, message: MuteRequested) -> None:
        if not self._from_facilitator(message.sender):
            log.warning("ignored a mute request from %s: not a facilitator", message.sender)
            return
        if message.member == self.self_seat and not self.muted:
            await self.set_muted(True)
            self.mute_requested = True
            self.changed.emit()

    async def _on_app(self, message: ServerApp) -> None:
        sender, event = message.sender, message.event
        match event:
            case TurnState():
                if not self._from_facilitator(sender):
                    log.warning("ignored a control from %s: not a facilitator", sender)
                    return
                self.seats.set_spotlight(event.spotlight)
                self.turns.follow(sender, event)
                self._show_hands()
            case RaiseHand() | LowerHand() | MediaState():
                self.seats.announced(sender, event)
                self.turns.app(sender, event)
            case SafetySignal():
                await self._on_safety_signal(sender)
            case PassTurn() | TurnCommand() | TurnSync():
                self.turns.app(sender, event)  # the desk checks who may
            case Reaction():
                log.info("a reaction from %s: the desktop does not show reactions yet", sender)
            case _:
                assert_never(event)

    async def _on_safety_signal(self, seat: str) -> None:
        """A member signals they are not safe: facilitators see it, and it is journalled
        (ids only). The server sends it to facilitators alone; a participant's app that
        gets one anyway (an older server) keeps it from its person."""
        if not self.facilitator:
            log.warning("ignored a safety signal meant for facilitators, from %s", seat)
            return
        self.seats.safety_signalled(seat, datetime.now(UTC))
        self.safety_signalled.emit(seat)
        await self._journal(SeatEvent("member.safety_signal", seat, self._id_of(seat)))

    async def _announce_media_state(self) -> None:
        self.seats.show(self.self_seat, muted=self.muted, camera_off=self.camera_off)
        if self.stage is LiveStage.LIVE and self.self_seat:
            state = MediaState(muted=self.muted, camera_off=self.camera_off)
            await self._send(ClientApp(event=state))

    # -- internals: media --------------------------------------------------------------

    def _on_media(self, event: MediaEvent) -> None:
        self.seats.media(event)
        if isinstance(event, VoiceActivity):
            self.turns.voice(event.member_id, event.speaking, event.at)

    def _show_hands(self) -> None:
        """Hands follow the queue the turns keep (being given the floor lowers one)."""
        state = self.turns.state
        if state is None or state.queue is None:
            return
        for seat, member in self.members.items():
            if member.hand_raised != (seat in state.queue):
                self.seats.show(seat, hand_raised=seat in state.queue)
        if self.hand_raised != (self.self_seat in state.queue):
            self.hand_raised = self.self_seat in state.queue
            self.changed.emit()

    def _on_frame(self, seat: str, image: QImage) -> None:
        if self.seats.framed(seat):
            self.frame_ready.emit(seat, image)

    def set_tile_size(self, seat: str, size: QSize) -> None:
        """The tile of ``seat`` is now ``size`` device pixels."""
        self.frames.set_tile_size(seat, size)

    # -- internals: the log ------------------------------------------------------------

    def _id_of(self, seat: str) -> int | None:
        member = self.members.get(seat)
        return member.log_member_id if member else None

    async def _journal(self, entry: JournalEntry) -> None:
        if self.record is not None and self.facilitator:
            await self.record.journal(entry)

    async def _record_end(self) -> None:
        assert self.record is not None
        self.ended_at = max(datetime.now(UTC), self.started_at or datetime.now(UTC))
        summary = RoomClose("room.closed", admitted=self.admitted_count, embedded=self.embedded)
        await self.record.ended(self.ended_at, summary)
        log_, session_id = self.record.log, self.session_id
        self.attendance = list(await self._logged(lambda: log_.attendance(session_id)) or [])

    async def _logged(self, make: Callable[[], Awaitable[_T]]) -> _T | None:
        """A log call before the record exists or outside it (reads), through the record."""
        if self.record is None:
            return None
        return await self.record.call(make)

    def _log_failed(self) -> None:
        self.problem = LiveProblem.LOG_FAILED
        self.changed.emit()

    @property
    def log_failures(self) -> int:
        """How many log writes failed in this session (0 when all is saved)."""
        return self.record.failures if self.record is not None else 0

    # -- internals: stages -------------------------------------------------------------

    def _fail(self, problem: LiveProblem) -> bool:
        self.problem = problem
        self._set_stage(LiveStage.FAILED)
        return False

    def _set_stage(self, stage: LiveStage) -> None:
        self.stage = stage
        self.changed.emit()
