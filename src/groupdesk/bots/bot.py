"""One simulated participant: knocks at the lobby, sends synthetic media, takes turns.

A :class:`Bot` is a real client of the server: a
:class:`~groupdesk.signaling.SignalingClient` (which resumes the seat by itself
after a dropped connection) and, once admitted, a media
:class:`~groupdesk.media.mesh.Mesh` (in an SFU room, an
:class:`~groupdesk.media.sfu.SfuCall`) made by a :class:`~groupdesk.media.link.MeshLink`
that sends a test pattern and a microphone (:mod:`groupdesk.bots.speech`).

The room's rules are the participant side's own: each bot drives a sans-I/O
:class:`~groupdesk.core.session.room.Room` in the participant role, as the desktop app
does -- it feeds it the server's messages and carries out what comes back (messages to
send, the microphone to mute, the end of its session, the turn states a facilitator
sent). Its state, seat, members, microphone, hand and why it ended are the room's.

It follows the turn state a facilitator broadcasts (:attr:`Bot.turns`, kept with the
time it came): it speaks when given the floor or its turn in a round (or passes), waits
in line with its hand up, and knows its hand is down when the queue no longer holds it.
What the room ignores (a turn state or a mute request from a participant) is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal, assert_never

import aiohttp

from groupdesk.bots.behaviour import BotBehaviour, SpeechScript
from groupdesk.bots.speech import BotSpeech
from groupdesk.bots.turns import BotTurns
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import tr
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    Error,
    Inquire,
    Invite,
    ParticipantHello,
    Resume,
    RoomInfo,
    ServerMessage,
    TurnState,
    Waiting,
)
from groupdesk.core.session import room_events as ev
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_problems import problem_of_error
from groupdesk.core.session.room_state import LiveMember, LiveProblem, LiveStage
from groupdesk.core.session.turn_wire import ReceivedTurns, from_wire
from groupdesk.media.call import MediaCall
from groupdesk.media.events import EventStream, MediaEvent, PeerStateChanged
from groupdesk.media.link import MeshLink, make_call
from groupdesk.media.preview import PreviewAnswerer
from groupdesk.media.sources import TestPatternSource
from groupdesk.signaling.client import ClientState, SignalingClient, SignalingClosedError

logger = logging.getLogger(__name__)

BotState = Literal["new", "connecting", "waiting", "admitted", "reconnecting", "left", "ended"]
"""``left``: the bot left (``leave()``); ``ended``: the session ended it (see ``reason``)."""
FINAL_STATES: frozenset[BotState] = frozenset({"left", "ended"})

_OWN_REASONS = frozenset(
    {"declined", "removed", "connection_lost", "unreachable", "no_answer", "dropped"}
)


def reason_key(reason: str) -> str:
    """The catalogue key that explains ``reason`` (a protocol error code or one of ours)."""
    return f"bots.reason.{reason}" if reason in _OWN_REASONS else f"protocol.error.{reason}"


class BotError(GroupDeskError):
    """A bot could not join or lost its seat; ``reason`` says why.

    ``reason`` is a protocol error code (``bad_invite``, ``invite_expired``,
    ``room_full``, ``room_ended``, ``resume_expired`` ...) or ``declined``,
    ``removed``, ``connection_lost``, ``unreachable``, ``no_answer``, ``dropped`` (it
    hung up without leaving, on purpose: :meth:`Bot.drop`).
    """

    key = "bots.error.ended"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name=name)
        self.name = name
        self.reason = reason

    def message(self, lang: str | None = None) -> str:
        """``<name>: <why>`` in ``lang``."""
        return tr(self.key, lang, name=self.name, reason=tr(reason_key(self.reason), lang))


@dataclass(frozen=True)
class BotSeat:
    """What a new process needs to take a bot's seat back: its name and resume token."""

    name: str
    member_id: str
    token: str


@dataclass(frozen=True)
class BotStateChanged:
    """``bot`` is now in ``state`` (``admitted`` again after each resume: a new token)."""

    bot: Bot
    state: BotState


@dataclass(frozen=True)
class HandChanged:
    """``bot`` raised (``raised``) or lowered its hand."""

    bot: Bot
    raised: bool


@dataclass(frozen=True)
class SpeechChanged:
    """``bot`` started (``speaking``) or stopped speaking (muted or not)."""

    bot: Bot
    speaking: bool


BotEvent = BotStateChanged | HandChanged | SpeechChanged


class _Changes:
    """Wakes waiters whenever something they may be waiting for has changed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def until(self, check: Callable[[], bool], timeout: float | None) -> None:
        async with asyncio.timeout(timeout):
            while not check():
                await self._event.wait()


class Bot:
    """A simulated participant: ``name``, ``state``, ``member_id``, ``mesh`` once admitted.

    ``index`` (its place in the swarm) and the behaviour's seed decide its answers,
    its speech, its passes and when it raises its hand. Events go to ``events``. The
    room as the bot sees it (seats, stage, microphone, hand) is :attr:`room`.
    """

    def __init__(
        self,
        name: str,
        index: int = 0,
        behaviour: BotBehaviour | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        events: EventStream[BotEvent] | None = None,
    ) -> None:
        self.name = name
        self.index = index
        self.behaviour = behaviour or BotBehaviour()
        self.events: EventStream[BotEvent] = events or EventStream()
        self.room = Room()
        """The room's rules, in the participant role: what the bot does follows from it."""
        self.blocked: frozenset[str] = frozenset()
        """The seats whose media this bot leaves alone (a side room)."""
        self.state: BotState = "new"
        """The room's stage, in the bots' words (kept so each change is told once)."""
        self.reason: str | None = None
        """Why the bot ended (see :class:`BotError`), when ``state`` is ``ended``: what the
        server said (a refusal's code, a notice's type) or ours."""
        self.resumed = False
        """Whether the last ``admitted`` took an existing seat back."""
        self._token: str | None = None
        self._room_info: RoomInfo | None = None
        self._rng = random.Random(f"{self.behaviour.seed}:{index}:{name}")
        self._turns = BotTurns(
            self.behaviour, random.Random(f"{self.behaviour.seed}:{index}:{name}:turns")
        )
        self.speech = BotSpeech(
            self.behaviour.seed * 1000 + index,
            random.Random(f"{self.behaviour.seed}:{index}:{name}:chatter"),
            self._mute,
            lambda speaking: self.events.emit(SpeechChanged(self, speaking)),
        )
        """The bot's microphone: what it says, and the truth of what it sent."""
        self._changes = _Changes()
        self._tasks: set[asyncio.Task[None]] = set()
        self._hands: asyncio.Task[None] | None = None
        self._chatter: asyncio.Task[None] | None = None
        self._drill: asyncio.Task[None] | None = None
        self._stopping: asyncio.Task[None] | None = None
        self._dropping = False
        self.ssl_context = ssl_context
        """How the bot checks the server's certificate (None: the system's)."""
        self.client = SignalingClient(ssl_context=ssl_context)
        b = self.behaviour
        self._video = TestPatternSource(name, b.width, b.height, b.fps) if b.send_video else None
        self.link = MeshLink(self.client, self._make_mesh)  # first: it makes the mesh
        self.preview = PreviewAnswerer(self.client, self._video)
        """Shows the bot's test pattern to the facilitators while it waits in the lobby."""
        self.client.on_message(self._on_message)
        self.client.on_state(self._on_client_state)

    def __repr__(self) -> str:
        return f"<Bot {self.name!r} {self.state} member={self.member_id}>"

    # ------------------------------------------------------------ public surface

    @property
    def member_id(self) -> str | None:
        """The bot's seat, from its first admission on."""
        return self.room.self_seat or None

    @property
    def members(self) -> dict[str, LiveMember]:
        """Who is in the room (the bot too), by seat, as the room's core keeps them."""
        return self.room.seats.members

    @property
    def problem(self) -> LiveProblem | None:
        """Why the bot's session ended, in the room core's words (as the desktop says it)."""
        return self.room.problem

    @property
    def hand_raised(self) -> bool:
        """Whether the bot's hand is up (until it or the queue lowers it)."""
        return self.room.hand_raised

    @property
    def mesh(self) -> MediaCall | None:
        """The call (a mesh, or through the media server in an SFU room), from the first
        admission on."""
        return self.link.mesh

    @property
    def resume_token(self) -> str | None:
        """The newest resume token (it changes at every admission): a secret."""
        return self._token

    def seat(self) -> BotSeat | None:
        """What a restarted process needs to resume this bot, while it holds a seat."""
        if self._token is None or self.member_id is None or self.state in FINAL_STATES:
            return None
        return BotSeat(self.name, self.member_id, self._token)

    @property
    def meshed(self) -> bool:
        """Admitted, and connected to every other member signalling says is there (one
        who sends nothing through the media server needs no connection)."""
        mesh = self.mesh
        if self.state != "admitted" or mesh is None:
            return False
        peers, silent = mesh.peers, mesh.silent
        return all(
            m in silent or (m in peers and peers[m].pc.connectionState == "connected")
            for m in mesh.members
        )

    async def join(self, invite: Invite, timeout: float = 30.0) -> None:
        """Knock at the lobby; returns once waiting there (or admitted), else BotError.

        First the bot asks the room what it asks (``inquire``) and answers exactly that,
        each question by its kind, and agrees to the room's consent text, as a person on
        the web page does; a room without questions gets the default checklist.
        """
        await self._connect(invite)
        await self._send_and_wait(
            Inquire(room=invite.room, secret=invite.secret),
            lambda: self._room_info is not None,
            timeout,
        )
        assert self._room_info is not None
        info = self._room_info
        answers = self.behaviour.answers.answers_to(info.questions, self.index, info.consent)
        hello = ParticipantHello(
            room=invite.room, secret=invite.secret, display_name=self.name, declared=answers
        )
        await self._send_and_wait(hello, lambda: self.state in ("waiting", "admitted"), timeout)

    async def resume(self, invite: Invite, token: str, timeout: float = 30.0) -> None:
        """Take a seat back with ``token`` (from an earlier process); raises :class:`BotError`."""
        await self._connect(invite)
        await self._send_and_wait(Resume(token=token), lambda: self.state == "admitted", timeout)

    async def wait_meshed(self, timeout: float | None = None) -> None:
        """Wait until admitted and connected to everyone; raises :class:`BotError` if it ended."""
        await self._changes.until(lambda: self.meshed or self.state in FINAL_STATES, timeout)
        self._raise_if_ended()

    async def wait_final(self) -> None:
        """Wait until the bot has left or ended."""
        await self._changes.until(lambda: self.state in FINAL_STATES, None)

    @property
    def turns(self) -> ReceivedTurns | None:
        """The last turn state a facilitator sent (queue, floor, timer, round), and when
        it came (``time.monotonic()``)."""
        return self._turns.last

    @property
    def turn_log(self) -> deque[ReceivedTurns]:
        """The turn states received, oldest first, each with the time it came."""
        return self._turns.log

    @property
    def turn(self) -> TurnState | None:
        """The last turn state a facilitator sent, as it came."""
        return self.turns.state if self.turns is not None else None

    @property
    def has_turn(self) -> bool:
        """Whether the bot has the floor (or its turn in a round), as last told."""
        return self._turns.has_turn

    @property
    def passes(self) -> int:
        """How many times the bot passed its turn in a round."""
        return self._turns.passes

    @property
    def speaking(self) -> bool:
        """Whether the bot is speaking now (nobody hears it while muted)."""
        return self.speech.speaking

    @property
    def muted(self) -> bool:
        """Whether the bot's microphone is muted (it sends silence)."""
        return self.room.muted

    def spoken_seconds(self) -> float:
        """Seconds of speech the bot sent with its microphone on: the truth to measure."""
        return self.speech.spoken_seconds()

    async def set_muted(self, muted: bool) -> None:
        """Mute or unmute the microphone and tell the room, as the desktop does."""
        await self.speech.set_muted(muted)

    async def play_script(self, script: SpeechScript, start: float | None = None) -> None:
        """Speak and mute as ``script`` says, from ``start`` (``time.monotonic()``; None:
        now); returns at the script's end."""
        await self.speech.play(script, start)

    async def raise_hand(self) -> None:
        """Ask for the floor (the ``raise_hand`` app event)."""
        await self._set_hand(raised=True)

    async def lower_hand(self) -> None:
        """Withdraw the request (the ``lower_hand`` app event)."""
        await self._set_hand(raised=False)

    async def signal_safety(self, *, withdrawn: bool = False) -> None:
        """Signal discreetly that it cannot talk freely (the ``safety_signal`` app event,
        which the server gives the facilitators alone), or take it back, as the web page
        does; nothing when it already is so."""
        if not await self._apply(self.room.request_safety(not withdrawn)):
            raise SignalingClosedError

    async def send_chat(self, text: str, to: str | None = None) -> None:
        """A chat line for everyone, or privately to the member in ``to`` (a facilitator);
        raises :class:`SignalingClosedError` when it cannot go out."""
        if not await self._apply(self.room.chat_line(text, to)):
            raise SignalingClosedError

    async def go_silent(self) -> None:
        """No more speech and no more hands (the crisis drill): the bot stays connected,
        its camera on and its microphone open, sending silence."""
        self.speech.hush()
        if self._hands is not None:
            self._hands.cancel()
        if self.hand_raised:
            await self.lower_hand()

    async def drop(self) -> BotSeat | None:
        """Lose the connection without leaving, as a crash or a network gone would: the
        socket and the media close, no ``leave`` is said, so the server holds the seat for
        its grace period. Returns the seat (its resume token) for a new bot to take back
        (None: no seat held); this bot ends with the reason ``dropped``."""
        seat = self.seat()
        self._dropping = True
        await self.link.stop()  # the media goes with the network, before a word could
        await self.client.close(leave=False)
        await self._stop()
        return seat

    async def leave(self) -> None:
        """Leave the room (the seat is freed at once) and hang up; idempotent."""
        if self.state not in FINAL_STATES:
            if self.room.ending() is None:  # nothing began: done at once
                self.room.set_stage(LiveStage.ENDED)
            self._sync()
        await self._stop()

    # ------------------------------------------------------------ joining

    async def _connect(self, invite: Invite) -> None:
        if self.state != "new":
            raise RuntimeError("a bot joins once")
        self.room.start("participant")
        self.room.set_camera_off(not self.behaviour.send_video)  # said once admitted
        self._sync()
        try:
            await self.client.connect(invite.websocket_url)
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            logger.info("bot %d cannot reach the server: %s", self.index, type(error).__name__)
            self._fail("unreachable", LiveProblem.UNREACHABLE)
            await self._stop()
            raise BotError(self.name, "unreachable") from error

    async def _send_and_wait(
        self,
        message: ParticipantHello | Resume | Inquire,
        done: Callable[[], bool],
        timeout: float,
    ) -> None:
        """Send ``message``; wait until ``done()`` or the bot ended (then BotError)."""
        try:
            await self.client.send(message)
            await self._changes.until(lambda: done() or self.state in FINAL_STATES, timeout)
        except TimeoutError:
            self._fail("no_answer", LiveProblem.UNREACHABLE)
        except SignalingClosedError:
            self._fail("connection_lost", LiveProblem.CONNECTION_LOST)
        if self.state in FINAL_STATES:
            await self._stop()
        self._raise_if_ended()

    # ------------------------------------------------------------ the room

    async def _on_message(self, message: ServerMessage) -> None:
        """The answers to the bot's own requests are its own (as the desktop's entry
        reads them); everything goes to the room, whose outputs are carried out."""
        knocking = self.room.stage is LiveStage.CONNECTING
        if isinstance(message, RoomInfo):
            self._room_info = message
        elif isinstance(message, Waiting) and knocking:
            self.room.set_stage(LiveStage.WAITING)
        elif isinstance(message, Error) and knocking:
            self._fail(message.code, problem_of_error(message.code))  # hello or resume refused
        elif isinstance(message, Admitted):
            await self._on_admitted(message)
        if not isinstance(message, Admitted):
            word = message.code if isinstance(message, Error) else message.TYPE
            await self._apply(self.room.receive(message), word)
        self._sync()
        self._changes.notify()  # e.g. someone left: the link has told the mesh by now

    async def _on_admitted(self, message: Admitted) -> None:
        self._token, self.resumed = message.resume_token, message.resumed
        mesh = self.mesh
        if mesh is not None and not self.behaviour.receive_video and mesh.receive_video:
            await mesh.set_receive_video(False)
        self.room.client_state(reconnecting=False)  # back: the seat is ours again
        if self.room.stage is LiveStage.CONNECTING:  # the answer to a resume: straight in
            self.room.set_stage(LiveStage.LIVE)
        await self._apply(self.room.receive(message))
        self._sync(again=self.state == "admitted")  # a new token: said at each admission
        if self.state in FINAL_STATES:
            return  # left meanwhile: no hands, no chatter
        if self._hands is None and self.behaviour.hand_raises_per_minute > 0:
            self._hands = self._spawn(self._hand_loop())
        b = self.behaviour
        if self._chatter is None and b.chatter and b.speak:
            self._chatter = self._spawn(self.speech.chatter(b.talk_ratio))
        if self._drill is None and b.safety_after is not None and self.index == 0:
            self._drill = self._spawn(self._safety_drill(b.safety_after))

    async def _safety_drill(self, after: float) -> None:
        """The safety drill: the signal, ``after`` seconds in the room."""
        await asyncio.sleep(after)
        with contextlib.suppress(SignalingClosedError):
            await self.signal_safety()

    def _on_client_state(self, state: ClientState) -> None:
        if state == "reconnecting":
            self.room.client_state(reconnecting=True)
        elif state == "closed":
            if self.room.stage is LiveStage.CONNECTING:  # the request's wait says it too
                self._fail("connection_lost", LiveProblem.CONNECTION_LOST)
            for out in self.room.connection_gone():
                if self._carry_out(out, "connection_lost") is not None:
                    logger.info("bot %d: nothing more goes out, the connection is gone", self.index)
            if self._stopping is None:  # not from within the client's own reader
                self._stopping = asyncio.get_running_loop().create_task(self._hang_up())
        self._sync()

    async def _apply(self, outputs: list[ev.RoomOutput], reason: str = "connection_lost") -> bool:
        """Carry out the room's ``outputs`` in order (``reason``: the word for an end);
        False when a message could not go out (the connection is gone)."""
        all_sent = True
        for out in outputs:
            message = self._carry_out(out, reason)
            if message is None:
                continue
            try:
                await self.client.send(message)
            except SignalingClosedError:
                gone = "bot %d could not send %s: the connection is gone"
                logger.info(gone, self.index, message.TYPE)
                all_sent = False
                continue
            await self._apply(self.room.sent(message))
        return all_sent

    def _carry_out(self, out: ev.RoomOutput, reason: str) -> ClientMessage | None:  # noqa: PLR0912 -- one match
        """Do what ``out`` asks at once; a message to send is returned for the caller."""
        if isinstance(out, ev.ViewOutput):
            return None  # a bot has no screen: the room keeps what it would show
        match out:
            case ev.Send(message):
                return message
            case ev.Microphone(muted):
                self.speech.microphone(muted)
            case ev.MediaReach(blocked):
                self._reach(blocked)
            case ev.Over():
                self._end(reason)
            case ev.ForTurns(_, TurnState() as turn):  # a facilitator's: the room checked
                self._follow(from_wire(turn, received_at=time.monotonic()))
            case ev.Ignored(seat, event, why):
                logger.warning("bot %d ignored %s from %s: %s", self.index, event, seat, why)
            case ev.ServerRefused(code):
                logger.info("bot %d: the server refused a message (%s)", self.index, code)
            case ev.ForTurns() | ev.Seated() | ev.Unseated():
                pass  # a facilitator's desk counts hands and talk time; the mesh, seats
            case ev.Journal() | ev.StayOpened() | ev.StayClosed() | ev.SpotlightForAll():
                pass  # a facilitator's room only
            case ev.AnswersKept() | ev.ConsentGiven() | ev.IdentityMarked() | ev.LoadPrevious():
                pass  # a facilitator's lobby only
            case ev.SafetySignalled():
                pass  # a facilitator's room only
            case _:
                assert_never(out)
        return None

    def _make_mesh(self, admitted: Admitted) -> MediaCall:
        mesh = make_call(admitted, self.client, video=self._video, audio=self.speech.source)
        mesh.set_blocked(self.blocked)  # a side room heard of before the mesh was made
        mesh.events.subscribe(self._on_media_event)
        return mesh

    def _on_media_event(self, event: MediaEvent) -> None:
        if isinstance(event, PeerStateChanged):
            self._changes.notify()

    # ------------------------------------------------------------ turns

    def _follow(self, received: ReceivedTurns) -> None:
        """A facilitator's turn state came: the hand, the floor, a turn in a round."""
        assert self.member_id is not None  # only the admitted hear the room's app events
        change = self._turns.follow(received, self.member_id, self.hand_raised)
        if change.hand_down and received.state.queue is not None:
            self.room.follow_queue(received.state.queue)  # the floor or a facilitator did it
            self.events.emit(HandChanged(self, raised=False))
        if change.ended:
            self.speech.floor_ended()
        if change.passes:
            self._spawn(self._quietly(self.room.pass_turn()))
        elif change.speak_seconds is not None and self.behaviour.speak:
            if self.room.mute_requested and self.room.muted:  # asked to mute, now given
                self._spawn(self.set_muted(False))  # the floor: unmute, speak
            self.speech.floor_given(change.speak_seconds)
        self._changes.notify()

    async def _quietly(self, outputs: list[ev.RoomOutput]) -> None:
        await self._apply(outputs)

    async def _mute(self, muted: bool) -> None:
        """Mute or unmute through the room: the microphone, then the others are told."""
        await self._apply(self.room.set_muted(muted))

    # ------------------------------------------------------------ hands

    def _queue_kept(self) -> bool:
        return self._turns.queue_kept

    async def _hand_loop(self) -> None:
        """Raise the hand now and then (a Poisson process); wait in line until the floor
        or a facilitator lowers it, or, when no queue is kept, lower it a bit later."""
        b = self.behaviour
        rate_per_second = b.hand_raises_per_minute / 60.0
        loop = asyncio.get_running_loop()
        try:
            while True:
                await asyncio.sleep(self._rng.expovariate(rate_per_second))
                patience = self._rng.uniform(*b.hand_up_seconds)
                if self.has_turn or self.hand_raised:
                    continue  # speaking now, or still in line: no second hand
                await self._set_hand(raised=True)
                deadline = loop.time() + patience
                while self.hand_raised:
                    if self._queue_kept():
                        await self._changes.until(
                            lambda: not self.hand_raised or not self._queue_kept(), None
                        )
                        continue
                    left = deadline - loop.time()
                    if left <= 0:
                        await self._set_hand(raised=False)
                        break
                    with contextlib.suppress(TimeoutError):
                        await self._changes.until(self._queue_kept, left)
        except SignalingClosedError:
            return

    async def _set_hand(self, *, raised: bool) -> None:
        if not await self._apply(self.room.set_hand_raised(raised)):
            raise SignalingClosedError
        self._turns.hand_moved()
        self.events.emit(HandChanged(self, raised))

    # ------------------------------------------------------------ state

    def _sync(self, *, again: bool = False) -> None:
        """The bot's state follows the room's stage; each change (``again``: this one
        once more) is told. The end is final: what comes after changes nothing."""
        if self.state in FINAL_STATES:
            return
        state = _STATES[self.room.stage]
        if state == "admitted" and self.room.reconnecting:
            state = "reconnecting"
        elif state == "ended" and self.room.problem is None:
            state = "left"  # the bot ended it (``leave``)
        if state == self.state and not again:
            return
        self.state = state
        self._changes.notify()
        self.events.emit(BotStateChanged(self, state))

    def _reach(self, blocked: frozenset[str]) -> None:
        """The side room changed: the seats whose media this bot must leave alone."""
        self.blocked = blocked
        if self.mesh is not None:
            self.mesh.set_blocked(blocked)

    def _end(self, reason: str) -> None:
        """The room says the bot is out (turned away, removed, the room ended, lost)."""
        if self.state in FINAL_STATES:
            return
        self.reason = "dropped" if self._dropping else reason
        self.room.set_stage(LiveStage.ENDED)
        self._sync()

    def _fail(self, reason: str, problem: LiveProblem) -> None:
        """The bot could not get in (or stay in), for ``reason``."""
        if self.state in FINAL_STATES:
            return
        self.reason = "dropped" if self._dropping else reason
        self.room.fail(problem)
        self._sync()

    def _raise_if_ended(self) -> None:
        if self.state == "ended":
            raise BotError(self.name, self.reason or "connection_lost")

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _stop(self) -> None:
        """Stop raising hands, leave (if still seated), hang up; once, whoever asks."""
        if self._stopping is None:
            self._stopping = asyncio.get_running_loop().create_task(self._hang_up())
        await asyncio.shield(self._stopping)

    async def _hang_up(self) -> None:
        self.speech.stop()
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close(leave=True)
        await self.preview.close()
        await self.link.stop()


_STATES: dict[LiveStage, BotState] = {
    LiveStage.IDLE: "new",
    LiveStage.CONNECTING: "connecting",
    LiveStage.WAITING: "waiting",
    LiveStage.LIVE: "admitted",
    LiveStage.ENDING: "left",
    LiveStage.ENDED: "ended",
    LiveStage.FAILED: "ended",
}
"""The bots' name for each stage of the room (``admitted`` is ``reconnecting`` while the
connection is down; ``ended`` without a problem is ``left``)."""
