"""The live session: the adapter between the room's core and the world around it.

``LiveSession`` is the model the live page listens to (no widgets: tests drive it
without a window). The room's rules are in the sans-I/O ``core.session.room.Room``
(``room``); each part around it has its module: getting in (``live_join``, with the
steps of ``live_entry``), the connection until hang-up (``live_line``), the room's
outputs carried out (``live_outputs``: sending, the log ``live_record``, the speaking
turns ``live_turns``, the signals below) and our media (``live_call``, ``live_preview``,
screen sharing ``live_share``).
This class holds them, passes the page's commands to the room, and ends the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from groupdesk.core.models import Attendance
from groupdesk.core.policy_values import DEFAULT_SAFETY_WORDING
from groupdesk.core.protocol import Question, RoomText, SafetyWording
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_state import LiveStage
from groupdesk.core.session.turn_events import Command
from groupdesk.media.call import MediaCall
from groupdesk.server.app import RunningServer, ServerConfig
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui import live_join
from groupdesk.ui.live_call import LiveCall
from groupdesk.ui.live_connection import RoomConnection
from groupdesk.ui.live_crisis import LiveCrisis
from groupdesk.ui.live_line import LiveLine
from groupdesk.ui.live_media import TileFrames
from groupdesk.ui.live_outputs import LiveOutputs
from groupdesk.ui.live_preview import LivePreviews
from groupdesk.ui.live_record import LiveRecord
from groupdesk.ui.live_room_attributes import RoomAttributes
from groupdesk.ui.live_share import LiveShare
from groupdesk.ui.live_turns import LiveTurns

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog

__all__ = ["LiveSession", "LiveStage"]


class LiveSession(QObject, RoomAttributes):
    """One live session, as facilitator or participant; what it shows of its room
    (``stage``, ``members``, ``lobby``...) is its room's (``RoomAttributes``).

    Signals:
        ``changed()``: ``stage``, ``problem``, ``invite`` or a notice changed.
        ``lobby_changed()``: someone knocked, was admitted, declined or gave up.
        ``knocked(str)``: a new person (seat) is waiting in the lobby.
        ``members_changed()``: a seat was taken or freed, or the spotlight moved.
        ``member_updated(str)``: a member's indicators changed (mute, hand, speaking...).
        ``frame_ready(str, QImage)``: a tile-sized picture of a member.
        ``chat_changed()``: a chat line arrived or was sent.
        ``safety_signalled(str)``: a member's (seat) safety signal came, was withdrawn or
        handled (facilitator; ``safety`` holds the open ones).
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
    admission_held = Signal(str)
    """Someone was not admitted: required checklist items are unmet (their seat)."""
    turns_changed = Signal()
    ended = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.room = Room()
        self.log: SessionLog | None = None
        self.session_id = self.group_id = 0
        self.embedded = False
        self.embedded_config: ServerConfig | None = None
        """The embedded server's settings; ``groupdesk demo --sfu`` gives it a Janus."""
        self.invite = self.display_name = ""  # display_name: ours (a stand-in pattern shows it)
        self.questions: tuple[Question, ...] = ()
        """What the room asks participants before admission (the policy's checklist)."""
        self.safety_wording: SafetyWording = DEFAULT_SAFETY_WORDING
        """The words of the discreet safety option (the policy's once a room opens)."""
        self.rules: RoomText | None = None
        """The group's rules: the policy's (facilitator), the room's (participant)."""
        self.consent_needed: frozenset[int] = frozenset()
        """Facilitator: the group's members without consent to the current text (ids)."""
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.record: LiveRecord | None = None
        self.attendance: list[Attendance] = []
        """After the end: every stay in the session, as the log recorded it."""
        self.device_failures: set[str] = set()
        """"camera" / "microphone" found but not opened (e.g. in use by another program)."""
        self.call = LiveCall(self)
        """Our media: the mesh, our microphone and camera, the tiles' frames."""
        self.outputs = LiveOutputs(self)
        """Carries out what the room decides (sends, log, turns, signals)."""
        self.line = LiveLine(self)
        """The connection to the room, from the first hello to hanging up."""
        self.call.frames.frame_ready.connect(self.outputs.on_frame)
        self.previews = LivePreviews(self.call.executor, self)
        """The camera previews of the people waiting (facilitator)."""
        self.turns = LiveTurns(self.line.send, self.outputs.journal, self.room.id_of, self)
        """The speaking turns: the facilitator's desk, or the state a member was sent."""
        self.turns.changed.connect(self.outputs.hands_follow_queue)
        self.turns.changed.connect(self.turns_changed)
        self.crisis = LiveCrisis(self)
        """The crisis panels open (facilitator): fed by the room, kept in the log."""
        self.share = LiveShare(self, self.outputs.apply, self.call.executor, self)
        """Screen sharing: ours, the permission, the share shown large."""
        self.call.share_sink = self.share

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
    def mesh(self) -> MediaCall | None:
        """The media connections to the others, from admission until hang-up."""
        return self.call.mesh

    @property
    def conn(self) -> RoomConnection:
        """The signalling connection of the current (or last) attempt to get in."""
        return self.line.conn

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

    # -- getting in, as facilitator, participant or co-facilitator (see ui/live_join.py)

    open_room = live_join.open_room
    join = live_join.join
    co_facilitate = live_join.co_facilitate

    # -- commands: they go to the room, and what follows is carried out ------------------

    async def set_match(self, seat: str, member_id: int | None) -> None:
        """Who in the group the person waiting in ``seat`` is (their earlier answers are
        read from the log to offer again)."""
        await self.outputs.apply(self.room.set_match(seat, member_id))

    async def verify_identity(self, seat: str, verified: bool = True) -> None:
        """Mark the identity of someone waiting or seated verified (or take it back)."""
        await self.outputs.apply(self.room.verify_identity(seat, verified))

    async def use_previous(self, seat: str) -> None:
        """Take the earlier answers the person confirmed for what they left out today."""
        await self.outputs.apply(self.room.use_previous(seat))

    async def admit(self, seat: str, reason: str | None = None) -> None:
        """Admit the person waiting in ``seat``; one who has not met the checklist's
        required items is held (``admission_held``) unless ``reason`` says why."""
        await self.outputs.apply(self.room.admit(seat, reason))

    async def admit_all(self) -> None:
        """Admit everyone waiting who meets the checklist's required items, in arrival
        order (the others stay: ``room.lobby.held()``)."""
        await self.admit_seats([person.seat for person in self.room.lobby.admissible()])

    async def admit_seats(self, seats: Sequence[str]) -> None:
        """Admit those of ``seats`` still waiting, in that order (each when its turn
        comes: the lobby may change while the one before goes out)."""
        for seat in seats:
            await self.admit(seat)

    async def decline(self, seat: str) -> None:
        """Turn away the person waiting in ``seat``."""
        await self.outputs.apply(self.room.decline(seat))

    async def remove(self, seat: str) -> None:
        """Remove a member from the room (they cannot come back with the same seat)."""
        await self.outputs.apply(self.room.remove(seat))

    async def request_mute(self, seat: str, text: str) -> None:
        """Ask a member to mute: a request their app acts on, and ``text`` in private chat."""
        await self.outputs.apply(self.room.request_mute(seat, text))

    async def set_spotlight(self, seat: str | None) -> None:
        """Spotlight a member for everyone (None: back to the grid)."""
        await self.outputs.apply(self.room.set_spotlight(seat))

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone (silence is sent while muted)."""
        await self.outputs.apply(self.room.set_muted(muted))

    async def set_camera_off(self, off: bool) -> None:
        """Stop or start sending video (waiting: the lobby preview too)."""
        outputs = self.room.set_camera_off(off)  # first: a mesh made meanwhile sends none
        await self.call.set_camera(not off)
        await self.outputs.apply(outputs)

    async def set_hand_raised(self, raised: bool) -> None:
        """Raise or lower one's hand."""
        await self.outputs.apply(self.room.set_hand_raised(raised))

    async def pass_turn(self) -> None:
        """Pass one's turn in a round (the facilitators are told, nobody else)."""
        await self.outputs.apply(self.room.pass_turn())

    async def open_side_room(self, seat: str) -> None:
        """Step aside with the member in ``seat``: the two see and hear only each other."""
        await self.outputs.apply(self.room.open_side_room(seat))

    async def close_side_room(self) -> None:
        """Back to the group from the side room."""
        await self.outputs.apply(self.room.close_side_room())

    async def request_safety(self, requested: bool) -> None:
        """A participant: signal discreetly that we cannot talk freely, or take it back."""
        await self.outputs.apply(self.room.request_safety(requested))

    async def safety_seen(self, seats: Sequence[str]) -> None:
        """A facilitator's app showed the safety signals of ``seats`` (journalled once)."""
        await self.outputs.apply(self.room.safety_seen(seats))

    async def safety_handled(self, seat: str) -> None:
        """The facilitator marked ``seat``'s safety signal handled."""
        await self.outputs.apply(self.room.safety_handled(seat))

    async def turn_command(self, command: Command) -> None:
        """A facilitator's command on the turns (floor, timer, round, mute requests)."""
        self.turns.command(command)
        await self.turns.flush()

    async def send_chat(self, text: str, to: str | None = None) -> bool:
        """Send a chat line to everyone, or privately to one member (``to``)."""
        outputs = self.room.chat_line(text, to)
        return bool(outputs) and await self.outputs.apply(outputs)

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
        self.outputs.show(ending)
        await self.turns.closing()  # each member's talk time, while the record is open
        await self.crisis.close_all()  # a panel still open: its incident is kept
        await self.outputs.apply(
            self.room.end_room(connected=self.conn.connected, leads=self.turns.leads)
        )
        await self.line.hang_up()
        if self.facilitator and was_open and self.record is not None:
            self.ended_at = max(datetime.now(UTC), self.started_at or datetime.now(UTC))
            await self.record.ended(self.ended_at, self.room.summary(self.embedded))
            self.attendance = await self.record.attendance()
        self.outputs.show(self.room.set_stage(LiveStage.ENDED))
        self.ended.emit(self.session_id)

    async def leave(self) -> None:
        """A participant leaves the room (the others go on)."""
        await self.end()

    async def close(self) -> None:
        """The window is closing: a room still open ends (and the log records it); hang up."""
        if self.active and self.facilitator and self.started_at is not None:
            await self.end()
        else:
            await self.line.hang_up()
        self.turns.clear()  # no timer of a closed session fires later
        self.call.shutdown()
