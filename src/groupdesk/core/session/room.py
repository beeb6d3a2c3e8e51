"""The live room's rules, sans-I/O: one session as facilitator or participant.

``Room`` is a state machine like ``server/rooms.py`` and ``turns.TurnManager``: its
adapters (the desktop's ``ui/live_session.py`` with ``ui/live_outputs.py``, and each
simulated participant, ``bots/bot.py``) feed it the server's messages as they arrive
(:meth:`Room.receive`), what went out (:meth:`Room.sent`), the local person's commands
(admit, mute, raise a hand...), the media's facts (a picture seen, someone speaking, a
link's state) and the clock (:meth:`Room.tick`); each returns the outputs of
:mod:`groupdesk.core.session.room_events` for the adapter to carry out in order. No Qt,
no loop, no socket; time comes from injected clocks.

The rules: controls (a turn state, a mute request) count only from a facilitator of the
room other than ourselves -- a server of an older version relays a participant's too; a
safety signal reaches a facilitator's screen and journal alone, and stays there until
the facilitator marks it handled (``core/session/safety.py``); the journal (ids, never
names) and the attendance are a facilitator's, and count participants only; someone
admitted is seated as the group member they were matched to; seats missing from a new
admission (a resume after a drop) expired while we were away; a participant whose seat
was released (the resume came too late) is out at once. Admission waits on the
participant checklist's required items (``checklist.py``): a facilitator admits someone
who has not met them only with a reason (journalled; the reason is kept with their
answers, never in the journal); the answers of each person admitted go to the log and
stay at hand, for facilitators only, during the session.

The class is put together from parts, each in its own module: ``room_admission.py``
(the lobby's gate and what is kept of each person let in) and ``room_side.py`` (the
private side room) over ``room_base.py`` (what they share); the lobby, the seats and
the safety signals are objects of their own (``room_lobby``, ``room_seats``,
``safety``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import assert_never

from groupdesk.core.journal_kinds import (
    MediaSwitchEntry,
    RoomClose,
    SeatEvent,
    SeatEventKind,
)
from groupdesk.core.protocol import (
    MAX_CHAT_CHARS,
    Admit,
    Admitted,
    AppEvent,
    ClientApp,
    ClientChat,
    ClientMessage,
    Decline,
    Declined,
    EndRoom,
    Error,
    ErrorCode,
    LeftReason,
    Lobby,
    LowerHand,
    MediaState,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    PassTurn,
    RaiseHand,
    Reaction,
    Remove,
    Removed,
    RequestMute,
    Role,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    SafetySignal,
    ServerApp,
    ServerChat,
    ServerMedia,
    ServerMessage,
    ServerSfu,
    ServerSignal,
    Share,
    ShareKind,
    SharePermission,
    SideRoom,
    TurnCommand,
    TurnState,
    TurnSync,
    Waiting,
    Welcome,
)
from groupdesk.core.session import checklist
from groupdesk.core.session.room_admission import RoomAdmission
from groupdesk.core.session.room_events import (
    Changed,
    ChatChanged,
    ForTurns,
    Ignored,
    Journal,
    MediaReach,
    MembersChanged,
    Microphone,
    Over,
    RoomOutput,
    SafetySignalled,
    Seated,
    Send,
    ServerRefused,
    SpotlightForAll,
    StayClosed,
    StayOpened,
    Unseated,
    ViewOutput,
)
from groupdesk.core.session.room_lobby import RoomLobby
from groupdesk.core.session.room_problems import problem_of_error, problem_of_notice
from groupdesk.core.session.room_seats import RoomSeats
from groupdesk.core.session.room_share import RoomShare
from groupdesk.core.session.room_side import RoomSideRoom
from groupdesk.core.session.room_state import (
    ChatLine,
    DroppedCall,
    LiveMember,
    LiveProblem,
    LiveStage,
    PeerState,
)
from groupdesk.core.session.safety import SafetySignals
from groupdesk.core.session.share import ShareBoard
from groupdesk.core.session.side_room import SideRoomState


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Room(RoomAdmission, RoomSideRoom, RoomShare):
    """One live session's room, as this app sees it: stage, lobby, seats, chat, our media."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._clock = clock
        """For pictures and their freezing (seconds; ``time.monotonic`` in the app)."""
        self._wall = wall
        """For what is shown or kept with a date: joins, chat lines, safety signals."""
        self.role: Role = "facilitator"
        self.stage = LiveStage.IDLE
        self.problem: LiveProblem | None = None
        self.lobby = RoomLobby()
        self.seats = RoomSeats()
        self.safety = SafetySignals()
        """The open safety signals (a facilitator's room)."""
        self.safety_requested = False
        """A participant: we signal that we cannot talk freely (until we withdraw it)."""
        self.side = SideRoomState()
        """Who is in the private side room (nobody: everyone is together)."""
        self._side_told_at = 0.0
        self.shares = ShareBoard()
        """Who may share (a facilitator's word) and who shares now (``share.py``)."""
        self.my_share: ShareKind | None = None
        """What we share now (None: nothing)."""
        self.dropped_calls: dict[str, DroppedCall] = {}
        """Participants whose connection dropped, by seat (a facilitator's room): call them
        or suggest the chat (the technical-problem plan)."""
        self.chat: list[ChatLine] = []
        self.self_seat = ""
        self.muted = self.camera_off = self.hand_raised = self.mute_requested = False
        self.reconnecting = False
        self.admitted_count = 0
        self._declined: dict[str, int | None] = {}

    # -- reading ---------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True from connecting until the session ends or fails."""
        return self.stage in (LiveStage.CONNECTING, LiveStage.WAITING, LiveStage.LIVE)

    def from_facilitator(self, seat: str) -> bool:
        """Whether ``seat`` is another facilitator of the room: controls are theirs alone."""
        return self.seats.role(seat) == "facilitator" and seat != self.self_seat

    def summary(self, embedded: bool) -> RoomClose:
        """The journal's last word on the room: how many were admitted."""
        return RoomClose("room.closed", admitted=self.admitted_count, embedded=embedded)

    # -- stages ----------------------------------------------------------------------

    def start(self, role: Role) -> list[ViewOutput]:
        """A new session as ``role``: everything of the last one is forgotten; connecting."""
        self.role = role
        out = self.lobby.clear()
        self.seats.clear()
        self.safety.clear()
        self.safety_requested = False
        self.side = SideRoomState()
        self.shares = ShareBoard()
        self.my_share = None
        self.dropped_calls = {}
        self.chat = []
        self.self_seat = ""
        self.muted = self.camera_off = self.hand_raised = self.mute_requested = False
        self.reconnecting = False
        self.admitted_count = 0
        self._declined = {}
        self.problem = None
        return out + self.set_stage(LiveStage.CONNECTING)

    def set_stage(self, stage: LiveStage) -> list[ViewOutput]:
        """The session is now at ``stage`` (open: live; knocked: waiting; ended...)."""
        self.stage = stage
        return [Changed()]

    def fail(self, problem: LiveProblem) -> list[ViewOutput]:
        """Could not open or join, for ``problem``."""
        self.problem = problem
        return self.set_stage(LiveStage.FAILED)

    def set_problem(self, problem: LiveProblem) -> list[ViewOutput]:
        """Something went wrong that the session survives (the log refused a write...)."""
        self.problem = problem
        return [Changed()]

    def ending(self) -> list[ViewOutput] | None:
        """The session is ending; None when there is nothing to end."""
        if self.stage in (LiveStage.ENDING, LiveStage.ENDED, LiveStage.IDLE):
            return None
        return self.set_stage(LiveStage.ENDING)

    def end_room(self, *, connected: bool, leads: bool) -> list[RoomOutput]:
        """The room ends for everyone when the facilitator's app that ``leads`` the turns
        ends it (a co-facilitator's app leaves; the room goes on); not while the
        connection is down (the send would wait for a reconnection that may not come)."""
        return [Send(EndRoom())] if self.facilitator and leads and connected else []

    def connection_gone(self) -> list[RoomOutput]:
        """The signalling connection is gone for good while the session was running."""
        if not self.active:
            return []
        if self.stage is LiveStage.LIVE and self.facilitator:
            # The log keeps everything so far; ending records the summary.
            return [*self.set_problem(LiveProblem.CONNECTION_LOST)]
        if self.stage in (LiveStage.LIVE, LiveStage.WAITING):
            self.problem = self.problem or LiveProblem.CONNECTION_LOST
            return [Over()]
        return []

    def client_state(self, *, reconnecting: bool) -> list[ViewOutput]:
        """The signalling client is reconnecting (or back)."""
        if reconnecting == self.reconnecting:
            return []
        self.reconnecting = reconnecting
        return [Changed()]

    # -- from the server -------------------------------------------------------------

    def receive(self, message: ServerMessage) -> list[RoomOutput]:  # noqa: PLR0911
        """A message from the server (one that answers a request was taken already)."""
        match message:
            case Admitted():
                return self._admitted(message)
            case Lobby(waiting=waiting):
                return [*self.lobby.update(waiting)]
            case MemberJoined(member=info):
                kept = self._admitted_by_another(info.member)
                return [*kept, *self.lobby.seated(info.member), *self._seat(info), MembersChanged()]
            case MemberLeft(member=seat, reason=reason):
                return self._unseat(seat, reason)
            case ServerChat(sender=sender, text=text, private=private):
                self.chat.append(ChatLine(sender, text, self._wall(), private=private))
                return [ChatChanged()]
            case ServerApp(sender=sender, event=event):
                return self._app(sender, event)
            case MuteRequested():
                return self._mute_requested(message)
            case Declined() | Removed() | RoomEnded():
                self.problem = problem_of_notice(message)
                return [] if self.facilitator else [Over()]
            case Error(code=code):
                return self._refused(code)
            case ServerMedia():
                return self._media(message)
            case Welcome() | RoomInfo() | RoomOpened() | Waiting() | ServerSignal() | ServerSfu():
                return []  # answers to our requests, and the media's own
            case _:
                assert_never(message)

    def _media(self, message: ServerMedia) -> list[RoomOutput]:
        """The room's media moved to the media server (the call follows it: the security
        code gives way to "not end-to-end encrypted"), journaled with why; or, for a
        facilitator, the room should have moved and could not: it stays a mesh."""
        if message.media == "mesh":
            if not self.facilitator or self.stage is not LiveStage.LIVE:
                return []
            return [*self.set_problem(LiveProblem.MEDIA_SERVER_UNAVAILABLE)]
        out: list[RoomOutput] = [Changed()]
        if self.facilitator:
            out.append(Journal(MediaSwitchEntry("media.switched", message.why)))
        return out

    def _refused(self, code: str) -> list[RoomOutput]:
        if code == ErrorCode.RESUME_EXPIRED and self.active and not self.facilitator:
            # our seat was released while the connection was down: out, at once (a
            # facilitator's app keeps the room's record and says the connection is lost)
            self.problem = self.problem or problem_of_error(code)
            return [Over()]
        if self.stage is not LiveStage.LIVE:
            return []
        out: list[RoomOutput] = [ServerRefused(code)]
        if code == ErrorCode.ROOM_FULL:  # an admission: the person keeps waiting
            out += self.set_problem(LiveProblem.ROOM_FULL)
        return out

    def _admitted(self, message: Admitted) -> list[RoomOutput]:
        self.self_seat = message.member
        out: list[RoomOutput] = []
        for info in message.members:
            if info.member not in self.seats.members:
                out += self._seat(info)
        for gone in set(self.seats.members) - {i.member for i in message.members}:
            out += self._unseat(gone, "expired")  # while we were away
        if self.stage is LiveStage.WAITING:
            out += self.set_stage(LiveStage.LIVE)
        out.append(MembersChanged())
        return out + self._announce()

    def _seat(self, info: MemberInfo) -> list[RoomOutput]:
        seat, joined_at = info.member, self._wall()
        member = LiveMember(
            seat=seat,
            name=info.display_name,
            role=info.role,
            is_self=seat == self.self_seat,
            log_member_id=self.lobby.admitted_as(seat),
            joined_at=joined_at,
        )
        if member.is_self:
            member.muted, member.camera_off = self.muted, self.camera_off
        admission = self.lobby.admission(seat)
        if admission is not None:  # a facilitator's room: what they answered stays at hand
            person = admission.person
            member.answers = dict(checklist.kept_answers(self.lobby.questions, person.answers))
            member.identity_verified = person.identity_verified
        member.safety_signal = self.facilitator and self.safety.active(seat)
        self.seats.seat(member)
        out: list[RoomOutput] = [Seated(seat)]
        if member.log_member_id is not None:  # back in a new seat: no call to make
            out += self._call_done(
                [s for s, c in self.dropped_calls.items() if c.member == member.log_member_id]
            )
        if self.facilitator and info.role == "participant":
            guest = info.display_name if member.log_member_id is None else ""
            out.append(StayOpened(seat, member.log_member_id, joined_at, guest))
        if self.side.active and not member.is_self:  # someone new: outside the side room
            out.append(MediaReach(self.side.blocked_for(self.self_seat, self.seats.members)))
            if self._opened_side():  # tell them, so they keep away from the pair too
                out.append(
                    Send(ClientApp(event=SideRoom(members=tuple(sorted(self.side.members)))))
                )
        if not member.is_self:  # a newcomer shows the share and knows who may share
            out += self._share_for_newcomer()
        return out

    def _unseat(self, seat: str, reason: LeftReason) -> list[RoomOutput]:
        shared = self._stopped(seat, by=None)  # their share, if any, ends with their seat
        member = self.seats.unseat(seat)
        if member is None:
            return [Unseated(seat, reason, known=False)]
        out: list[RoomOutput] = [Unseated(seat, reason), MembersChanged()]
        if reason == "expired":  # dropped and not back in time: the call is still to make
            out += self._dropped(member)
        else:  # they left, were removed, or the room ended: nobody to call back
            out += self._call_done([seat])
        if self.facilitator and member.role == "participant":
            out.append(StayClosed(seat, member.log_member_id, reason))
        out += shared
        if self.side.aside(seat):  # one of the pair is gone: everyone is together again
            out += (
                self._side_room_closed_by_us()
                if self._opened_side()
                else self._side_room(frozenset(), by=self.side.opened_by or seat)
            )
        return out

    def _app(self, sender: str, event: AppEvent) -> list[RoomOutput]:  # noqa: PLR0911 -- one match
        match event:
            case TurnState():
                if not self.from_facilitator(sender):
                    return [Ignored(sender, event.EVENT, "not_a_facilitator")]
                return [*self.seats.set_spotlight(event.spotlight), ForTurns(sender, event)]
            case RaiseHand() | LowerHand() | MediaState():
                return [*self.seats.announced(sender, event), ForTurns(sender, event)]
            case SafetySignal(withdrawn=withdrawn):
                return self._safety_signal(sender, withdrawn=withdrawn)
            case PassTurn() | TurnCommand() | TurnSync():
                return [ForTurns(sender, event)]  # the turns check who may
            case SideRoom(members=members):
                if not self.from_facilitator(sender):
                    return [Ignored(sender, event.EVENT, "not_a_facilitator")]
                return self._side_room(frozenset(members), by=sender)
            case Share() | SharePermission():
                return self._share_event(sender, event)
            case Reaction():
                return [Ignored(sender, event.EVENT, "not_shown")]
            case _:
                assert_never(event)

    def _safety_signal(self, seat: str, *, withdrawn: bool) -> list[RoomOutput]:
        """A member signals they cannot talk freely, or withdraws it: facilitators see
        it, and it is journalled (ids only). The server sends it to facilitators alone;
        a participant's app that gets one anyway (an older server) keeps it from its
        person."""
        if not self.facilitator:
            return [Ignored(seat, SafetySignal.EVENT, "facilitators_only")]
        now = self._wall()
        if withdrawn:
            entries = self.safety.withdrawn(seat, now)
        else:
            entries = self.safety.sent(seat, self.id_of(seat), now)
        if not entries:
            return []
        out: list[RoomOutput] = [*self.seats.show_safety(seat, self.safety.active(seat))]
        return [*out, SafetySignalled(seat), *(Journal(entry) for entry in entries)]

    def safety_seen(self, seats: Iterable[str]) -> list[RoomOutput]:
        """The facilitator's app showed the safety signals of ``seats`` (journalled once)."""
        if not self.facilitator:
            return []
        now = self._wall()
        return [Journal(entry) for seat in seats for entry in self.safety.seen(seat, now)]

    def safety_handled(self, seat: str) -> list[RoomOutput]:
        """The facilitator marked ``seat``'s safety signal handled: it closes."""
        if not self.facilitator:
            return []
        entries = self.safety.handled(seat, self._wall())
        if not entries:
            return []
        out: list[RoomOutput] = [*self.seats.show_safety(seat, False)]
        return [*out, SafetySignalled(seat), *(Journal(entry) for entry in entries)]

    def _mute_requested(self, message: MuteRequested) -> list[RoomOutput]:
        if not self.from_facilitator(message.sender):
            return [Ignored(message.sender, "mute_requested", "not_a_facilitator")]
        if message.member != self.self_seat or self.muted:
            return []
        out = self.set_muted(True)
        self.mute_requested = True
        return [*out, Changed()]

    # -- what went out ---------------------------------------------------------------

    def sent(self, message: ClientMessage) -> list[RoomOutput]:
        """``message`` went out to the server (a :class:`Send` the adapter carried out)."""
        match message:
            case Admit(member=seat):
                self.admitted_count += 1
                out = self._journal("lobby.admitted", seat, self.lobby.admitted_as(seat))
                return out + self._answers_kept(seat)
            case Decline(member=seat):
                return self._journal("lobby.declined", seat, self._declined.get(seat))
            case ClientChat(text=text, to=to):
                line = ChatLine(
                    self.self_seat, text, self._wall(), to=to, private=to is not None, outgoing=True
                )
                self.chat.append(line)
                return [ChatChanged()]
            case _:
                return []

    def _journal(self, kind: SeatEventKind, seat: str, member: int | None) -> list[RoomOutput]:
        return [Journal(SeatEvent(kind, seat, member))] if self.facilitator else []

    # -- in the room -----------------------------------------------------------------

    def remove(self, seat: str) -> list[RoomOutput]:
        """Remove a member (a facilitator; never oneself)."""
        if self.facilitator and seat in self.seats.members and seat != self.self_seat:
            return [Send(Remove(member=seat))]
        return []

    def request_mute(self, seat: str, text: str) -> list[RoomOutput]:
        """Ask a member to mute: a request their app acts on, and ``text`` in private chat."""
        if not self.facilitator or seat not in self.seats.members:
            return []
        entry = SeatEvent("member.mute_requested", seat, self.id_of(seat))
        return [Send(RequestMute(member=seat)), *self.chat_line(text, to=seat), Journal(entry)]

    def chat_line(self, text: str, to: str | None = None) -> list[RoomOutput]:
        """A chat line to everyone, or privately to one seat (``to``); nothing when empty.
        It shows once it went out."""
        text = text.strip()
        return [Send(ClientChat(text=text[:MAX_CHAT_CHARS], to=to))] if text else []

    def set_spotlight(self, seat: str | None) -> list[RoomOutput]:
        """Spotlight a member (None: the grid); a facilitator's spotlight is everyone's."""
        out: list[RoomOutput] = [*self.seats.set_spotlight(seat)]
        if self.facilitator:
            out.append(SpotlightForAll(self.seats.spotlight))
        return out

    def set_muted(self, muted: bool) -> list[RoomOutput]:
        """Mute or unmute our microphone; the others see it. Either is ours now: the
        facilitator's request to mute is no longer what the screen says."""
        self.muted = muted
        told = self.mute_requested
        self.mute_requested = False
        return [Microphone(muted), *self._announce(), *([Changed()] if told else [])]

    def set_camera_off(self, off: bool) -> list[RoomOutput]:
        """Our camera is off (or on again); the others see it."""
        self.camera_off = off
        return self._announce()

    def set_hand_raised(self, raised: bool) -> list[RoomOutput]:
        """Raise or lower our hand (a facilitator's own hand is in their turns' line too)."""
        self.hand_raised = raised
        event = RaiseHand() if raised else LowerHand()
        out: list[RoomOutput] = [*self.seats.show(self.self_seat, hand_raised=raised)]
        return [*out, ForTurns(self.self_seat, event), Send(ClientApp(event=event))]

    def request_safety(self, requested: bool) -> list[RoomOutput]:
        """A participant signals discreetly that they cannot talk freely (``requested``),
        or withdraws it; only the room's facilitators are told."""
        if self.facilitator or requested == self.safety_requested:
            return []
        self.safety_requested = requested
        event = SafetySignal(withdrawn=not requested)
        return [Send(ClientApp(event=event)), Changed()]

    def pass_turn(self) -> list[RoomOutput]:
        """Pass our turn in a round (the facilitators are told, nobody else)."""
        return [Send(ClientApp(event=PassTurn()))]

    def follow_queue(self, queue: tuple[str, ...]) -> list[ViewOutput]:
        """Hands follow the queue the turns keep (being given the floor lowers one)."""
        out: list[ViewOutput] = []
        for seat, member in self.seats.members.items():
            if member.hand_raised != (seat in queue):
                out += self.seats.show(seat, hand_raised=seat in queue)
        if self.hand_raised != (self.self_seat in queue):
            self.hand_raised = self.self_seat in queue
            out.append(Changed())
        return out

    def _announce(self) -> list[RoomOutput]:
        """Our microphone and camera, on our tile and (live) to the others."""
        out: list[RoomOutput] = [
            *self.seats.show(self.self_seat, muted=self.muted, camera_off=self.camera_off)
        ]
        if self.stage is LiveStage.LIVE and self.self_seat:
            state = MediaState(muted=self.muted, camera_off=self.camera_off)
            out.append(Send(ClientApp(event=state)))
            if self.my_share is not None:  # back after a drop: our share goes on
                out.append(Send(ClientApp(event=Share(kind=self.my_share))))
        return out

    # -- from the media, and the clock -----------------------------------------------

    def voice(self, seat: str, speaking: bool) -> list[ViewOutput]:
        """The media heard ``seat`` start or stop speaking (now, on the room's clock)."""
        return self.seats.speaking(seat, speaking, self._clock())

    def link(self, seat: str, state: PeerState) -> list[ViewOutput]:
        """The media connection to ``seat`` is now ``state``: a participant's that drops
        (reconnecting, closed) puts up a :class:`DroppedCall` in ``dropped_calls``, taken
        down once it is connected again."""
        out = self.seats.link(seat, state)
        member = self.seats.members.get(seat)
        if member is None or not out:
            return out
        if state in (PeerState.RECONNECTING, PeerState.CLOSED):
            return out + self._dropped(member)
        if state is PeerState.CONNECTED:
            return out + self._call_done([seat])
        return out

    def dropped_call_done(self, seat: str) -> list[ViewOutput]:
        """The facilitator dealt with ``seat``'s dropped call (called, or wrote): it goes."""
        return self._call_done([seat])

    def _dropped(self, member: LiveMember) -> list[ViewOutput]:
        """A participant's connection dropped: the facilitator sees whom to call back."""
        if not self.facilitator or member.role != "participant" or member.is_self:
            return []
        if member.seat in self.dropped_calls:
            return []
        phone = checklist.declared(self.lobby.questions, member.answers, "phone")
        call = DroppedCall(member.seat, member.log_member_id, member.name, phone, self._wall())
        self.dropped_calls[member.seat] = call
        return [Changed()]

    def _call_done(self, seats: Iterable[str]) -> list[ViewOutput]:
        gone = [seat for seat in seats if self.dropped_calls.pop(seat, None) is not None]
        return [Changed()] if gone else []

    def stats(
        self, seat: str, loss: float | None, rtt_s: float | None, fps: float
    ) -> list[ViewOutput]:
        """The link to ``seat`` loses ``loss`` of its packets, with that round trip."""
        return self.seats.stats(seat, loss, rtt_s, fps)

    def frame(self, seat: str) -> list[ViewOutput] | None:
        """A picture of ``seat`` arrived now; None when nobody sits there (not shown)."""
        return self.seats.framed(seat, self._clock())

    def tick(self) -> list[ViewOutput]:
        """The clock: pictures that stopped moving show as frozen (call every second)."""
        apart = self.side.blocked_for(self.self_seat, self.seats.members)
        return self.seats.check_frozen(self._clock(), apart)
