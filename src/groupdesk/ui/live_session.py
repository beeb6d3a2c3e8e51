"""The live session: the adapter between the room's core and the world around it.

``LiveSession`` is the model the live page listens to (no widgets: tests drive it
without a window). The room's rules -- stages, who may do what, the lobby and who each
person seems to be, seats, mute requests, what is journalled -- are in the sans-I/O
``core.session.room.Room`` (``room``); this adapter feeds it the server's messages
(``live_connection``), the media's facts (``live_call``, ``live_media``,
``live_preview``) and the page's commands, and carries its outputs out: sending,
writing to the log (``live_record``), emitting the signals below. As facilitator it
opens the room (``live_entry``: the organisation's server or an embedded one); as
participant (``join``) it knocks with an invite link, and lets the room's facilitators
see its camera while it waits (``PreviewAnswerer``), never hear its sound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, assert_never, cast

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage

from groupdesk.core.journal_kinds import JournalEntry
from groupdesk.core.models import Attendance, Member
from groupdesk.core.policy_values import Policy, load_policy
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    Declined,
    OpenRoom,
    Question,
    Role,
    RoomEnded,
    RoomOpened,
    ServerMessage,
    TurnState,
)
from groupdesk.core.session import room_events as ev
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_lobby import RoomLobby, attended
from groupdesk.core.session.room_seats import RoomSeats
from groupdesk.core.session.room_state import ChatLine, LiveMember, LiveProblem, LiveStage, Waiting
from groupdesk.core.session.turn_events import Command
from groupdesk.media.events import MediaEvent, PeerStateChanged, PeerStats, VoiceActivity
from groupdesk.media.mesh import Mesh
from groupdesk.server.app import RunningServer
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui import live_entry
from groupdesk.ui.live_call import LiveCall, SourcesFactory
from groupdesk.ui.live_connection import RoomConnection
from groupdesk.ui.live_media import TileFrames
from groupdesk.ui.live_preview import LivePreviews
from groupdesk.ui.live_questions import room_questions
from groupdesk.ui.live_record import LiveRecord
from groupdesk.ui.live_turns import LiveTurns

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog

__all__ = ["LiveSession", "LiveStage"]

log = logging.getLogger(__name__)

_V = TypeVar("_V")


class _OfRoom(Generic[_V]):
    """An attribute of the session that is its room's (``path`` in ``room``)."""

    def __init__(self, path: str) -> None:
        self._get, (*self._parent, self._name) = attrgetter(path), path.split(".")

    def __get__(self, session: LiveSession | None, owner: object = None) -> _V:
        return cast(_V, self if session is None else self._get(session.room))  # None: the class

    def __set__(self, session: LiveSession, value: _V) -> None:
        setattr(attrgetter(".".join(self._parent))(session.room) if self._parent
                else session.room, self._name, value)  # fmt: skip


class LiveSession(QObject):
    """One live session, as facilitator or participant.

    Signals:
        ``changed()``: ``stage``, ``problem``, ``invite`` or a notice changed.
        ``lobby_changed()``: someone knocked, was admitted, declined or gave up.
        ``knocked(str)``: a new person (seat) is waiting in the lobby.
        ``members_changed()``: a seat was taken or freed, or the spotlight moved.
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

    # What the page reads, and the room holds (see core.session.room).
    stage = _OfRoom[LiveStage]("stage")
    problem = _OfRoom[LiveProblem | None]("problem")
    role = _OfRoom[Role]("role")
    facilitator = _OfRoom[bool]("facilitator")
    active = _OfRoom[bool]("active")
    self_seat = _OfRoom[str]("self_seat")
    muted = _OfRoom[bool]("muted")
    camera_off = _OfRoom[bool]("camera_off")
    hand_raised = _OfRoom[bool]("hand_raised")
    mute_requested = _OfRoom[bool]("mute_requested")
    reconnecting = _OfRoom[bool]("reconnecting")
    admitted_count = _OfRoom[int]("admitted_count")
    waiting_room = _OfRoom[RoomLobby]("lobby")
    lobby = _OfRoom[list[Waiting]]("lobby.waiting")
    roster = _OfRoom[list[Member]]("lobby.roster")
    expected = _OfRoom[set[int]]("lobby.expected")
    seats = _OfRoom[RoomSeats]("seats")
    members = _OfRoom[dict[str, LiveMember]]("seats.members")
    spotlight = _OfRoom[str | None]("seats.spotlight")
    safety_signals = _OfRoom[dict[str, datetime]]("seats.safety_signals")
    chat = _OfRoom[list[ChatLine]]("chat")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.room = Room()
        self.log: SessionLog | None = None
        self.session_id = self.group_id = 0
        self.embedded = False
        self.invite = self.display_name = ""  # display_name: ours (a stand-in pattern shows it)
        self.questions: tuple[Question, ...] = ()
        """What the room asks participants before admission (the policy's checklist)."""
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.record: LiveRecord | None = None
        self.attendance: list[Attendance] = []
        """After the end: every stay in the session, as the log recorded it."""
        self.device_failures: set[str] = set()
        """"camera" / "microphone" found but not opened (e.g. in use by another program)."""
        self.call = LiveCall(self)
        """Our media: the mesh, our microphone and camera, the tiles' frames."""
        self.call.frames.frame_ready.connect(self._on_frame)
        self.previews = LivePreviews(self.call.executor, self)
        """The camera previews of the people waiting (facilitator)."""
        self.turns = LiveTurns(self._send, self._journal, self.room.id_of, self)
        """The speaking turns: the facilitator's desk, or the state a member was sent."""
        self.turns.changed.connect(lambda: self._show(self._hands_follow_queue()))
        self.turns.changed.connect(self.turns_changed)
        self.conn = self._new_connection()
        self._over: asyncio.Task[bool] | None = None
        self._receive_video = True
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(lambda: self._show(self.room.tick()))

    @property
    def ends_room(self) -> bool:
        """Whether ending here ends the room for everyone (the facilitator's app; a
        co-facilitator's only once it carries the turns on), rather than leaving it."""
        return self.facilitator and self.turns.leads

    @property
    def frames(self) -> TileFrames:
        """Received frames, scaled for the tiles; ``frames.audio`` plays the others' audio."""
        return self.call.frames

    @property
    def mesh(self) -> Mesh | None:
        """The media connections to the others, from admission until hang-up."""
        return self.call.mesh

    @property
    def client(self) -> SignalingClient | None:
        """The signalling client of this session, while connected."""
        return self.conn.client

    @property
    def server(self) -> RunningServer | None:
        """The embedded server, when the room is on this computer."""
        return self.conn.server

    @property
    def log_failures(self) -> int:
        """How many log writes failed in this session (0 when all is saved)."""
        return self.record.failures if self.record is not None else 0

    def member(self, seat: str) -> LiveMember | None:
        """The member in ``seat``, if seated."""
        return self.members.get(seat)

    def member_name(self, member_id: int | None) -> str:
        """The group member's name for a log id (for the lobby's "who is this")."""
        return self.waiting_room.member_name(member_id)

    def stay_name(self, stay: Attendance) -> str:
        """Who a stay in the attendance is: the member's name, or the guest's declared one."""
        return self.waiting_room.stay_name(stay)

    @property
    def attended_count(self) -> int:
        """After the end: how many people attended (one who came back counts once)."""
        return attended(self.attendance)

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
        plan = await self.record.plan()
        if plan is None:
            return self._fail(LiveProblem.LOG_FAILED)
        session, roster, expected = plan
        self.group_id = session.group_id
        self.room.know_group(roster, expected)
        name = display_name or (session.facilitators[0] if session.facilitators else "")
        self.display_name = name
        current = policy if policy is not None else await asyncio.to_thread(load_policy)
        self.previews.enabled = current.lobby_preview
        self.previews.managed = current.lobby_preview_managed
        self.turns.turn_seconds = current.turn_seconds
        # before the room is opened: the previews learn the ICE servers from our admission
        problem = await live_entry.facilitator_sign_in(
            self.conn, (server_url, account, credential), name, embedded_host,
            lambda client: self.previews.start(client, enabled=self.previews.enabled),
        )  # fmt: skip
        if problem is not None:
            return await self._failed(problem)
        self.embedded = not server_url
        self.questions = room_questions(current.participant_checklist)
        opening = OpenRoom(questions=self.questions or None)
        reply = await live_entry.ask(self.conn, opening, RoomOpened)
        if isinstance(reply, LiveProblem):
            return await self._failed(reply)
        self.invite = reply.invite
        self.started_at = datetime.now(UTC)
        await self.record.started(self.started_at, self.embedded)
        self._set_stage(LiveStage.LIVE)
        return True

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
        problem = await live_entry.participant_knock(
            self.conn, link, display_name, declared, self.call.answer_previews
        )
        if problem is not None:
            return await self._failed(problem)
        self.invite = link
        self._set_stage(LiveStage.WAITING)
        return True

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
        joined = await live_entry.co_facilitator_join(
            self.conn, link, account, credential, display_name
        )
        if isinstance(joined, LiveProblem):
            return await self._failed(joined)
        self.invite = link
        self._set_stage(LiveStage.LIVE)
        await self._admitted(joined)  # taken as the answer: the room hears it here
        await self._apply(self.room.receive(joined))
        return True

    # -- commands: they go to the room, and what follows is carried out ------------------

    def set_match(self, seat: str, member_id: int | None) -> None:
        """Who in the group the person waiting in ``seat`` is (identity check)."""
        self._show(self.room.set_match(seat, member_id))

    async def admit(self, seat: str) -> None:
        """Admit the person waiting in ``seat``."""
        await self._apply(self.room.admit(seat))

    async def admit_all(self) -> None:
        """Admit everyone waiting, in arrival order."""
        await self.admit_seats([person.seat for person in self.lobby])

    async def admit_seats(self, seats: Sequence[str]) -> None:
        """Admit those of ``seats`` still waiting, in that order (each when its turn
        comes: the lobby may change while the one before goes out)."""
        for seat in seats:
            await self.admit(seat)

    async def decline(self, seat: str) -> None:
        """Turn away the person waiting in ``seat``."""
        await self._apply(self.room.decline(seat))

    async def remove(self, seat: str) -> None:
        """Remove a member from the room (they cannot come back with the same seat)."""
        await self._apply(self.room.remove(seat))

    async def request_mute(self, seat: str, text: str) -> None:
        """Ask a member to mute: a request their app acts on, and ``text`` in private chat."""
        await self._apply(self.room.request_mute(seat, text))

    async def set_spotlight(self, seat: str | None) -> None:
        """Spotlight a member for everyone (None: back to the grid)."""
        await self._apply(self.room.set_spotlight(seat))

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone (silence is sent while muted)."""
        await self._apply(self.room.set_muted(muted))

    async def set_camera_off(self, off: bool) -> None:
        """Stop or start sending video (waiting: the lobby preview too)."""
        outputs = self.room.set_camera_off(off)  # first: a mesh made meanwhile sends none
        await self.call.set_camera(not off)
        await self._apply(outputs)

    async def set_hand_raised(self, raised: bool) -> None:
        """Raise or lower one's hand."""
        await self._apply(self.room.set_hand_raised(raised))

    async def pass_turn(self) -> None:
        """Pass one's turn in a round (the facilitators are told, nobody else)."""
        await self._apply(self.room.pass_turn())

    async def turn_command(self, command: Command) -> None:
        """A facilitator's command on the turns (floor, timer, round, mute requests)."""
        self.turns.command(command)
        await self.turns.flush()

    async def send_chat(self, text: str, to: str | None = None) -> bool:
        """Send a chat line to everyone, or privately to one member (``to``)."""
        outputs = self.room.chat_line(text, to)
        return bool(outputs) and await self._apply(outputs)

    def set_tile_size(self, seat: str, size: QSize) -> None:
        """The tile of ``seat`` is now ``size`` device pixels."""
        self.frames.set_tile_size(seat, size)

    # -- the end -------------------------------------------------------------------------

    async def end(self) -> None:
        """End the session for everyone: the summary goes to the log, then ``ended``."""
        ending = self.room.ending()
        if ending is None:
            return
        was_open = self.started_at is not None
        self._show(ending)
        await self.turns.closing()  # each member's talk time, while the record is open
        await self._apply(self.room.end_room(connected=self.conn.connected, leads=self.turns.leads))
        await self._hang_up()
        if self.facilitator and was_open and self.record is not None:
            self.ended_at = max(datetime.now(UTC), self.started_at or datetime.now(UTC))
            await self.record.ended(self.ended_at, self.room.summary(self.embedded))
            self.attendance = await self.record.attendance()
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

    # -- the room's outputs, carried out ---------------------------------------------------

    async def _apply(self, outputs: Iterable[ev.RoomOutput]) -> bool:  # noqa: PLR0912
        """Carry out the room's ``outputs`` in order; False when a message did not go out."""
        all_sent = True
        for out in outputs:
            match out:
                case ev.Send(message):
                    if await self.conn.send(message):
                        await self._apply(self.room.sent(message))
                    else:
                        all_sent = False
                case ev.Journal() | ev.StayOpened() | ev.StayClosed():
                    if self.record is not None:
                        await self.record.write(out)
                case ev.Microphone(muted):
                    self.call.set_muted(muted)
                    self.turns.muted(muted)
                case ev.Over():
                    await self._participant_over()
                case ev.Seated(seat):
                    self._seat(seat)
                case ev.Unseated(seat, reason, known):
                    self._unseat(seat, reason, known)
                case ev.ForTurns(sender, event):
                    self._on_turn_event(sender, event)
                case ev.SpotlightForAll(seat):
                    self.turns.spotlight(seat)
                    await self.turns.flush()
                case ev.SafetySignalled(seat):
                    self.safety_signalled.emit(seat)
                case ev.Ignored(seat, event_name, reason):
                    level = logging.INFO if reason == "not_shown" else logging.WARNING
                    log.log(level, "ignored %s from %s: %s", event_name, seat, reason)
                case ev.ServerRefused(code):
                    log.info("the server refused a request: %s", code)
                case _:
                    self._show([out])
        return all_sent

    def _show(self, outputs: Iterable[ev.ViewOutput]) -> None:
        """Emit the signal of each view change."""
        for out in outputs:
            match out:
                case ev.Changed():
                    self.changed.emit()
                case ev.LobbyChanged():
                    self.lobby_changed.emit()
                case ev.Knocked(seat):
                    self.knocked.emit(seat)
                case ev.LeftLobby(seat):
                    self.previews.forget(seat)
                case ev.MembersChanged():
                    self.members_changed.emit()
                case ev.MemberChanged(seat):
                    self.member_updated.emit(seat)
                case ev.ChatChanged():
                    self.chat_changed.emit()
                case _:
                    assert_never(out)

    # The speaking turns (ui/live_turns.py) hear who joins and leaves, their app events,
    # the media's voice activity, our microphone (``Microphone``), the spotlight and the end.

    def _seat(self, seat: str) -> None:
        """Someone took ``seat``: the turns count them."""
        if seat != self.self_seat:
            self.turns.joined(seat, self.members[seat].role)

    def _unseat(self, seat: str, reason: str, known: bool) -> None:
        """``seat`` is gone: its tile's pictures, and (someone sat there) from the turns."""
        self.frames.forget(seat)
        if known:
            self.turns.left(seat)

    def _on_turn_event(self, sender: str, event: ev.TurnAppEvent) -> None:
        """An app event for the speaking turns, allowed by the room's rules."""
        if isinstance(event, TurnState):
            self.turns.follow(sender, event)
            self._show(self._hands_follow_queue())
        else:
            self.turns.app(sender, event)  # the desk checks who may

    def _hands_follow_queue(self) -> list[ev.ViewOutput]:
        state = self.turns.state
        return [] if state is None or state.queue is None else self.room.follow_queue(state.queue)

    def _on_media(self, event: MediaEvent) -> None:
        """What the media says of a member: speaking, connection, quality."""
        if isinstance(event, VoiceActivity):
            self._show(self.room.voice(event.member_id, event.speaking))
            self.turns.voice(event.member_id, event.speaking, event.at)
        elif isinstance(event, PeerStateChanged):
            self._show(self.room.link(event.member_id, event.state))
        elif isinstance(event, PeerStats):
            self._show(self.room.stats(event.member_id, event.loss, event.rtt_s, event.fps))

    def _on_frame(self, seat: str, image: QImage) -> None:
        shown = self.room.frame(seat)
        if shown is not None:
            self._show(shown)
            self.frame_ready.emit(seat, image)

    # -- internals: the connection, the media, the log -------------------------------------

    def _new_connection(self) -> RoomConnection:
        return RoomConnection(
            self._handle, self._make_mesh, self._on_client_state, self._on_connection_gone
        )

    def _reset(self, role: Role) -> None:
        self.conn = self._new_connection()
        self._receive_video = True
        self.invite = ""
        self.started_at = self.ended_at = None
        self.record, self.attendance, self.embedded = None, [], False
        self.frames.closed = False
        self.turns.clear()
        self._show(self.room.start(role))

    async def _handle(self, message: ServerMessage) -> None:
        if self.conn.answers(message) and not isinstance(message, Declined | RoomEnded):
            return
        if isinstance(message, Admitted):
            await self._admitted(message)
        await self._apply(self.room.receive(message))

    async def _admitted(self, message: Admitted) -> None:
        """Before the room seats everyone: the turns, the preview's end, video or not."""
        if not self.turns.me:
            seated = [(i.member, i.role) for i in message.members]
            lead = self.turns.lead
            self.turns.start(message.member, seated, facilitator=self.facilitator, lead=lead)
        await self.call.end_preview()  # it hung up already, hearing ``admitted`` first
        if not self._receive_video and self.mesh is not None:
            await self.mesh.set_receive_video(False)
        self._watch.start()

    async def _send(self, message: ClientMessage) -> bool:
        return await self.conn.send(message)

    async def _journal(self, entry: JournalEntry) -> None:
        if self.record is not None and self.facilitator:
            await self.record.journal(entry)

    def _on_connection_gone(self) -> None:
        """The signalling connection is gone for good while the session was running."""
        outputs = self.room.connection_gone()
        if outputs:
            self._over = asyncio.get_running_loop().create_task(self._apply(outputs))

    async def _participant_over(self) -> None:
        await self._hang_up()
        self._set_stage(LiveStage.ENDED)
        self.ended.emit(0)

    def _on_client_state(self, state: str) -> None:
        self._show(self.room.client_state(reconnecting=state == "reconnecting"))

    async def _hang_up(self) -> None:
        self._watch.stop()
        self.frames.close()
        if self.conn.connected:  # say stop to the other side of each preview
            await self.previews.stop()
            await self.call.end_preview()
        # (else closed first: a send would wait for a reconnection that may not come)
        await self.conn.close()
        await self.previews.stop()
        await self.call.end_preview()
        self.call.stopped()

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        assert self.client is not None
        muted, camera_off = self.muted, self.camera_off
        return self.call.start(admitted, self.client, muted=muted, camera_off=camera_off,
                               on_event=self._on_media)  # fmt: skip

    def _log_failed(self) -> None:
        self._show(self.room.set_problem(LiveProblem.LOG_FAILED))

    async def _failed(self, problem: LiveProblem) -> bool:
        await self._hang_up()
        return self._fail(problem)

    def _fail(self, problem: LiveProblem) -> bool:
        self._show(self.room.fail(problem))
        return False

    def _set_stage(self, stage: LiveStage) -> None:
        self._show(self.room.set_stage(stage))
