"""The live session: the room on the server, the lobby, the members, chat, and the log.

``LiveSession`` is the model the live page listens to (no widgets: tests drive
it without a window). As facilitator it opens the room -- on the organisation's
server (``server_url`` in the policy, credential from the OS keyring) or on an
embedded server started in this process -- admits or declines the people in
the lobby, and journals every meaningful event (ids, never names) in the
session log, with attendance. As participant (``join``) it knocks with an
invite link and waits to be admitted.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage

from groupdesk.core import policy
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Attendance, Member
from groupdesk.core.protocol import (
    MAX_QUESTIONS,
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
    FacilitatorHello,
    Lobby,
    MemberJoined,
    MemberLeft,
    OpenRoom,
    ParticipantHello,
    Question,
    QuestionText,
    Remove,
    Removed,
    RoomEnded,
    RoomOpened,
    ServerApp,
    ServerChat,
    ServerMessage,
    Welcome,
    parse_invite_link,
)
from groupdesk.core.protocol import (
    Waiting as WaitingMessage,
)
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged, PeerStats, VoiceActivity
from groupdesk.media.ice import follow_server
from groupdesk.media.link import ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import AudioSource, VideoSource
from groupdesk.server.app import RunningServer
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.live_connection import RoomConnection, websocket_url
from groupdesk.ui.live_media import MutableAudio, SelfView, TileFrames
from groupdesk.ui.live_members import (
    ChatLine,
    LiveMember,
    LiveProblem,
    Waiting,
    quality_of,
)
from groupdesk.ui.live_record import LiveRecord

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog

log = logging.getLogger(__name__)

_T = TypeVar("_T")

SourcesFactory = Callable[[], tuple[VideoSource | None, AudioSource | None]]
"""Opens the local camera and microphone (or synthetic stand-ins) when the room opens."""


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


_PROBLEMS = {
    ErrorCode.BAD_CREDENTIAL: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.CREDENTIAL_REVOKED: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.NOT_AUTHENTICATED: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.ROOM_FULL: LiveProblem.ROOM_FULL,
    ErrorCode.BAD_INVITE: LiveProblem.BAD_INVITE,
    ErrorCode.INVITE_EXPIRED: LiveProblem.INVITE_EXPIRED,
    ErrorCode.ROOM_ENDED: LiveProblem.ENDED_BY_FACILITATOR,
    ErrorCode.RESUME_EXPIRED: LiveProblem.CONNECTION_LOST,
}


def _question(item: object) -> Question | None:
    """One policy checklist item as a protocol question; None if the protocol cannot carry it."""
    if not isinstance(item, Mapping):
        return None
    item_id, texts = item.get("id"), item.get("text")
    if not isinstance(item_id, str) or not isinstance(texts, Mapping):
        return None
    try:
        return Question(item_id, QuestionText(en=texts.get("en"), fr_ca=texts.get("fr_CA")))
    except GroupDeskError:
        return None


def room_questions(checklist: object) -> tuple[Question, ...]:
    """The policy's ``participant_checklist`` as the questions a room asks on the web page.

    An item the protocol cannot carry (an id over 32 characters, a text over 300, no
    text) is left out and logged by its id; so is a repeated id; at most
    ``MAX_QUESTIONS`` go.
    """
    questions: list[Question] = []
    items = checklist if isinstance(checklist, list | tuple) else []
    for item in items:
        question = _question(item)
        item_id = item.get("id") if isinstance(item, Mapping) else None
        if question is None:
            log.warning("checklist item %r cannot be asked on the web page; left out", item_id)
        elif any(q.id == question.id for q in questions):
            log.warning("checklist item %r is listed twice; asked once", item_id)
        else:
            questions.append(question)
    if len(questions) > MAX_QUESTIONS:
        log.warning(
            "the checklist has %d items; the web page asks the first %d",
            len(questions),
            MAX_QUESTIONS,
        )
    return tuple(questions[:MAX_QUESTIONS])


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
    ended = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = LiveStage.IDLE
        self.problem: LiveProblem | None = None
        self.role = "facilitator"
        self.log: SessionLog | None = None
        self.session_id = 0
        self.group_id = 0
        self.roster: list[Member] = []
        self.expected: set[int] = set()
        self.embedded = False
        self.invite = ""
        self.questions: tuple[Question, ...] = ()
        """What the room asks participants before admission (the policy's checklist)."""
        self.lobby: list[Waiting] = []
        self.members: dict[str, LiveMember] = {}
        self.self_seat = ""
        self.chat: list[ChatLine] = []
        self.spotlight: str | None = None
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
        self.device_failures: set[str] = set()
        """"camera" / "microphone" found but not opened (e.g. in use by another program)."""
        self.mesh: Mesh | None = None
        self.conn = self._new_connection()
        self._sources: SourcesFactory | None = None
        self._audio: MutableAudio | None = None
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="groupdesk-tiles")
        self.frames = TileFrames(self._executor, self)
        self.frames.frame_ready.connect(self._on_frame)
        self._over: asyncio.Task[None] | None = None
        self._receive_video = True
        self._matches: dict[str, int | None] = {}
        self._seen_waiting: set[str] = set()
        self._self_view: SelfView | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self._check_frozen)
        self._frozen: set[str] = set()

    # -- what the page reads -----------------------------------------------------------

    @property
    def facilitator(self) -> bool:
        """True when this app runs the room (not a participant)."""
        return self.role == "facilitator"

    @property
    def active(self) -> bool:
        """True from connecting until the session ends or fails."""
        return self.stage in (LiveStage.CONNECTING, LiveStage.WAITING, LiveStage.LIVE)

    def member(self, seat: str) -> LiveMember | None:
        """The member in ``seat``, if seated."""
        return self.members.get(seat)

    def member_name(self, member_id: int | None) -> str:
        """The group member's name for a log id (for the lobby's "who is this")."""
        return next((m.display_name for m in self.roster if m.id == member_id), "")

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
        checklist: Sequence[Mapping[str, Any]] | None = None,
    ) -> bool:
        """Open the room of ``session_id``: on ``server_url`` with the credential, or embedded.

        The room asks participants ``checklist`` (default: the policy's
        ``participant_checklist``) before admission. False (``problem`` says why) when
        the room could not be opened; nothing is written to the log before the room is open.
        """
        if self.active:
            return False
        self._reset("facilitator")
        self.log, self.session_id, self._sources = log_, session_id, sources
        self.record = LiveRecord(log_, session_id, self._log_failed)
        self._set_stage(LiveStage.CONNECTING)
        sessions = await self._logged(log_.list_sessions)
        session = next((s for s in sessions or [] if s.id == session_id), None)
        if session is None:
            return self._fail(LiveProblem.LOG_FAILED)
        self.group_id = session.group_id
        self.roster = list(await self._logged(lambda: log_.list_members(session.group_id)) or [])
        self.expected = set(await self._logged(lambda: log_.expected_members(session_id)) or [])
        name = display_name or (session.facilitators[0] if session.facilitators else "")
        if not await self._sign_in(server_url, account, credential, name, embedded_host):
            return False
        if checklist is None:
            effective = await asyncio.to_thread(policy.load_effective_policy)
            checklist = effective.value("participant_checklist")
        self.questions = room_questions(checklist)
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
        if not server_url:
            try:
                url, account, credential = await self.conn.start_embedded(embedded_host)
            except (GroupDeskError, OSError):
                log.exception("the embedded server did not start")
                return self._fail(LiveProblem.UNREACHABLE)
            self.embedded = True
            follow_server(embedded_host)
        elif not (account and credential):
            return self._fail(LiveProblem.CREDENTIAL_NEEDED)
        else:
            url = websocket_url(server_url)
            follow_server(urlsplit(url).hostname or "")
        if not await self._connect(url):
            return False
        try:
            hello = FacilitatorHello(
                name=account, credential=credential, display_name=_display(name) or None
            )
        except GroupDeskError:
            return self._fail(LiveProblem.CREDENTIAL_REFUSED)
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
        self._reset("participant")
        self._receive_video = receive_video
        self._sources = sources
        self._set_stage(LiveStage.CONNECTING)
        try:
            invite = parse_invite_link(link)
        except ValueError:
            return self._fail(LiveProblem.BAD_INVITE)
        follow_server(urlsplit(invite.base_url).hostname or "")
        if not await self._connect(invite.websocket_url):
            return False
        try:
            hello = ParticipantHello(
                room=invite.room,
                secret=invite.secret,
                display_name=_display(display_name) or "?",
                declared=dict(declared or {}),
            )
        except GroupDeskError:
            return self._fail(LiveProblem.BAD_INVITE)
        reply = await self._ask(hello, WaitingMessage)
        if not isinstance(reply, WaitingMessage):
            return False
        self.invite = link
        self._set_stage(LiveStage.WAITING)
        return True

    # -- the lobby -----------------------------------------------------------------------

    def set_match(self, seat: str, member_id: int | None) -> None:
        """Who in the group the person waiting in ``seat`` is (identity check)."""
        for person in self.lobby:
            if person.seat == seat:
                person.match = member_id
        self.lobby_changed.emit()

    async def admit(self, seat: str) -> None:
        """Admit the person waiting in ``seat``."""
        person = next((p for p in self.lobby if p.seat == seat), None)
        if person is None or not self.facilitator:
            return
        self._matches[seat] = person.match
        if await self._send(Admit(member=seat)):
            self.admitted_count += 1
            await self._journal("lobby.admitted", {"seat": seat, "member": person.match})

    async def admit_all(self) -> None:
        """Admit everyone waiting, in arrival order."""
        for person in list(self.lobby):
            await self.admit(person.seat)

    async def decline(self, seat: str) -> None:
        """Turn away the person waiting in ``seat``."""
        person = next((p for p in self.lobby if p.seat == seat), None)
        if person is None or not self.facilitator:
            return
        if await self._send(Decline(member=seat)):
            await self._journal("lobby.declined", {"seat": seat, "member": person.match})

    # -- in the room ---------------------------------------------------------------------

    async def remove(self, seat: str) -> None:
        """Remove a member from the room (they cannot come back with the same seat)."""
        if self.facilitator and seat in self.members and seat != self.self_seat:
            await self._send(Remove(member=seat))

    async def request_mute(self, seat: str, text: str) -> None:
        """Ask a member to mute: a request their app acts on, and ``text`` in private chat."""
        if not self.facilitator or seat not in self.members:
            return
        await self._send(ClientApp(event="media_state", data={"request_mute": seat}))
        await self.send_chat(text, to=seat)
        await self._journal("member.mute_requested", {"seat": seat, "member": self._id_of(seat)})

    async def set_spotlight(self, seat: str | None) -> None:
        """Spotlight a member for everyone (None: back to the grid)."""
        self.spotlight = seat if seat in self.members else None
        self.members_changed.emit()
        if self.facilitator:
            await self._send(ClientApp(event="turn_state", data={"spotlight": self.spotlight}))

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone (silence is sent while muted)."""
        self.muted = muted
        if muted:
            self.mute_requested = False
        if self._audio is not None:
            self._audio.muted = muted
        await self._announce_media_state()

    async def set_camera_off(self, off: bool) -> None:
        """Stop or start sending video."""
        self.camera_off = off
        if self.mesh is not None:
            self.mesh.set_send_video(not off)
        await self._announce_media_state()

    async def set_hand_raised(self, raised: bool) -> None:
        """Raise or lower one's hand."""
        self.hand_raised = raised
        me = self.members.get(self.self_seat)
        if me is not None:
            me.hand_raised = raised
            self.member_updated.emit(me.seat)
        await self._send(ClientApp(event="raise_hand" if raised else "lower_hand"))

    async def send_chat(self, text: str, to: str | None = None) -> bool:
        """Send a chat line to everyone, or privately to one member (``to``)."""
        text = text.strip()
        if not text or self.client is None:
            return False
        if not await self._send(ClientChat(text=text[:2000], to=to)):
            return False
        self.chat.append(
            ChatLine(
                self.self_seat,
                text,
                datetime.now(UTC),
                to=to,
                private=to is not None,
                outgoing=True,
            )
        )
        self.chat_changed.emit()
        return True

    # -- the end -------------------------------------------------------------------------

    async def end(self) -> None:
        """End the session for everyone: the summary goes to the log, then ``ended``."""
        if self.stage in (LiveStage.ENDING, LiveStage.ENDED) or (self.stage is LiveStage.IDLE):
            return
        was_open = self.started_at is not None
        self._set_stage(LiveStage.ENDING)
        if self.facilitator and self.conn.connected:
            await self._send(EndRoom())
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
        self._executor.shutdown(wait=False, cancel_futures=True)

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
        self.lobby, self.members, self.chat = [], {}, []
        self.self_seat = ""
        self.spotlight = None
        self.started_at = self.ended_at = None
        self.admitted_count = 0
        self._matches, self._seen_waiting = {}, set()
        self.record = None
        self.attendance = []
        self.embedded = False
        self.muted = self.camera_off = self.hand_raised = self.mute_requested = False
        self.reconnecting = False
        self.frames.closed = False

    async def _connect(self, url: str) -> bool:
        if await self.conn.connect(url):
            return True
        return self._fail(LiveProblem.UNREACHABLE)

    async def _ask(
        self, message: ClientMessage, answer: type[ServerMessage]
    ) -> ServerMessage | None:
        """Send ``message``; the reply of type ``answer``, or None (failed, ``problem`` set)."""
        reply = await self.conn.ask(message, answer)
        if isinstance(reply, answer):
            return reply
        if reply is None:
            problem = (
                LiveProblem.UNREACHABLE if self.conn.connected else LiveProblem.CONNECTION_LOST
            )
        elif isinstance(reply, Error):
            problem = _PROBLEMS.get(ErrorCode(reply.code), LiveProblem.SERVER_ERROR)
        else:
            problem = LiveProblem.CONNECTION_LOST
        await self._hang_up()
        self._fail(problem)
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
        await self.conn.close()
        self.mesh = None
        self._audio = None
        if self._self_view is not None:
            self._self_view.stop()
            self._self_view = None

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        video, audio = self._sources() if self._sources is not None else (None, None)
        if audio is not None:
            self._audio = MutableAudio(audio)
            self._audio.muted = self.muted
        seat = admitted.member
        if video is not None:
            self._self_view = SelfView(video, lambda frame: self.frames.video_frame(seat, frame))
            video = self._self_view.source
        client = self.conn.client
        assert client is not None
        mesh = Mesh(
            admitted.member,
            client,
            ice_servers=ice_servers(admitted),
            video=video,
            audio=self._audio,
            sink=self.frames,
        )
        mesh.events.subscribe(self._on_media)
        self.mesh = mesh
        return mesh

    # -- internals: server messages ----------------------------------------------------

    async def _handle(self, message: ServerMessage) -> None:
        if self.conn.answers(message) and not isinstance(message, Declined | RoomEnded):
            return
        if isinstance(message, Admitted):
            await self._on_admitted(message)
        elif isinstance(message, Lobby):
            self._on_lobby(message)
        elif isinstance(message, MemberJoined):
            info = message.member
            await self._seat(info.member, info.display_name, info.role)
            self.members_changed.emit()
        elif isinstance(message, MemberLeft):
            await self._unseat(message.member, message.reason)
        elif isinstance(message, ServerChat):
            self.chat.append(
                ChatLine(message.sender, message.text, datetime.now(UTC), private=message.private)
            )
            self.chat_changed.emit()
        elif isinstance(message, ServerApp):
            await self._on_app(message)
        elif isinstance(message, Declined | Removed | RoomEnded):
            self.problem = {
                Declined: LiveProblem.DECLINED,
                Removed: LiveProblem.REMOVED,
                RoomEnded: LiveProblem.ENDED_BY_FACILITATOR,
            }[type(message)]
            if not self.facilitator:
                await self._participant_over()
        elif isinstance(message, Error) and self.stage is LiveStage.LIVE:
            log.info("the server refused a request: %s", message.code)
            if message.code == ErrorCode.ROOM_FULL:  # an admission: the person keeps waiting
                self.problem = LiveProblem.ROOM_FULL
                self.changed.emit()

    async def _on_admitted(self, message: Admitted) -> None:
        self.self_seat = message.member
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
        is_self = seat == self.self_seat
        member = LiveMember(seat=seat, name=name, role=role, is_self=is_self)
        if is_self:
            member.state = PeerState.CONNECTED
            member.muted, member.camera_off = self.muted, self.camera_off
        member.joined_at = datetime.now(UTC)
        member.log_member_id = self._matches.get(seat)
        self.members[seat] = member
        if self.facilitator and role == "participant" and self.record is not None:
            await self.record.joined(seat, member.log_member_id, member.joined_at)

    async def _unseat(self, seat: str, reason: str) -> None:
        member = self.members.pop(seat, None)
        self.frames.forget(seat)
        if self.spotlight == seat:
            self.spotlight = None
        if member is None:
            return
        self.members_changed.emit()
        if self.facilitator and member.role == "participant" and self.record is not None:
            await self.record.left(seat, member.log_member_id, reason)

    def _on_lobby(self, message: Lobby) -> None:
        old = {p.seat: p for p in self.lobby}
        self.lobby = []
        for entry in message.waiting:
            person = old.get(entry.member) or Waiting(
                seat=entry.member,
                name=entry.display_name,
                declared=dict(entry.declared),
                since=entry.waiting_since,
                match=self._guess(entry.display_name),
            )
            self.lobby.append(person)
        self.lobby_changed.emit()
        for person in self.lobby:
            if person.seat not in self._seen_waiting:
                self._seen_waiting.add(person.seat)
                self.knocked.emit(person.seat)

    def _guess(self, name: str) -> int | None:
        """The group member of that name, expected ones first (the facilitator confirms)."""
        wanted = " ".join(name.casefold().split())
        found = [m for m in self.roster if " ".join(m.display_name.casefold().split()) == wanted]
        found.sort(key=lambda m: m.id not in self.expected)
        taken = set(self._matches.values()) | {p.match for p in self.lobby}
        return next((m.id for m in found if m.id not in taken), None)

    async def _on_app(self, message: ServerApp) -> None:
        member = self.members.get(message.sender)
        data = message.data
        if message.event == "media_state" and "request_mute" in data:
            if data.get("request_mute") == self.self_seat and not self.muted:
                await self.set_muted(True)
                self.mute_requested = True
                self.changed.emit()
            return
        if message.event == "turn_state" and "spotlight" in data:
            spot = data.get("spotlight")
            self.spotlight = spot if isinstance(spot, str) and spot in self.members else None
            self.members_changed.emit()
            return
        if member is None:
            return
        if message.event in ("raise_hand", "lower_hand"):
            member.hand_raised = message.event == "raise_hand"
        elif message.event == "media_state":
            member.muted = bool(data.get("muted", member.muted))
            member.camera_off = bool(data.get("camera_off", member.camera_off))
        self.member_updated.emit(member.seat)

    async def _announce_media_state(self) -> None:
        me = self.members.get(self.self_seat)
        if me is not None:
            me.muted, me.camera_off = self.muted, self.camera_off
            self.member_updated.emit(me.seat)
        if self.stage is LiveStage.LIVE and self.self_seat:
            await self._send(
                ClientApp(
                    event="media_state", data={"muted": self.muted, "camera_off": self.camera_off}
                )
            )

    # -- internals: media events -------------------------------------------------------

    def _on_media(self, event: MediaEvent) -> None:
        if isinstance(event, VoiceActivity):
            member = self.members.get(event.member_id)
            if member is not None and member.speaking != event.speaking:
                member.speaking = event.speaking
                self.member_updated.emit(member.seat)
        elif isinstance(event, PeerStateChanged):
            member = self.members.get(event.member_id)
            if member is not None and member.state != event.state:
                member.state = event.state
                self.member_updated.emit(member.seat)
        elif isinstance(event, PeerStats):
            member = self.members.get(event.member_id)
            if member is not None:
                member.quality, member.fps = quality_of(event), event.fps
                self.member_updated.emit(member.seat)

    def _on_frame(self, seat: str, image: QImage) -> None:
        member = self.members.get(seat)
        if member is None:
            return
        member.frames += 1
        member.last_frame_at = time.monotonic()
        if seat in self._frozen:
            self._frozen.discard(seat)
            self.member_updated.emit(seat)
        self.frame_ready.emit(seat, image)

    def _check_frozen(self) -> None:
        now = time.monotonic()
        for member in self.members.values():
            if member.frozen(now) and member.seat not in self._frozen:
                self._frozen.add(member.seat)
                self.member_updated.emit(member.seat)

    def set_tile_size(self, seat: str, size: QSize) -> None:
        """The tile of ``seat`` is now ``size`` device pixels."""
        self.frames.set_tile_size(seat, size)

    # -- internals: the log ------------------------------------------------------------

    def _id_of(self, seat: str) -> int | None:
        member = self.members.get(seat)
        return member.log_member_id if member else None

    async def _journal(self, kind: str, data: Mapping[str, Any]) -> None:
        if self.record is not None and self.facilitator:
            await self.record.journal(kind, data)

    async def _record_end(self) -> None:
        assert self.record is not None
        self.ended_at = max(datetime.now(UTC), self.started_at or datetime.now(UTC))
        summary = {"admitted": self.admitted_count, "embedded": self.embedded}
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


_restricted = False


def _display(name: str) -> str:
    """A display name the protocol accepts (one line, at most 64 characters)."""
    return " ".join(name.split())[:64].strip()
