"""The SFU bridge: members of an SFU room publish once and receive everybody through Janus.

Clients never talk to Janus's API (it stays on loopback). A member sends ``sfu`` messages
to ``groupdesk-server`` over its signalling WebSocket; the registry checks who may say
what (:mod:`groupdesk.server.rooms`) and this bridge turns them into Janus API requests on
a Janus session opened FOR THAT MEMBER with THAT MEMBER's token (granted by
:class:`~groupdesk.server.janus_rooms.JanusRooms`), then sends Janus's answers and offers
back as ``ServerSfu``. Only the media (ICE/DTLS/SRTP) go between the member and Janus.

Per seated member of an SFU room:

- one Janus session (its events by long poll, a keepalive under Janus's 60 s timeout);
- a publisher handle once the member offers to publish: ``joinandconfigure`` with
  ``id`` = ``int(member, 16)``, then ``configure`` for a later offer of the same feed;
- a member with neither camera nor microphone says ``none`` instead of offering: every
  other member is told ``ServerSfu(feed=X, kind="none")`` (X is there, with nothing to
  receive), now and when they arrive, until X offers after all;
- when member X's publication is up (Janus's ``webrtcup``), a subscriber handle in every
  other member Y's session (``join`` ptype subscriber, ``streams: [{feed: id(X)}]``);
  Janus's offer goes to Y as ``ServerSfu(feed=X, kind="offer")``, Y's answer back as
  ``start``; a member who arrives later gets an offer for every current publisher;
- Y's ``layer`` for X is a subscriber ``configure``: the simulcast ``substream``, or
  ``send: false`` on X's video (``SFU_NO_VIDEO``: audio only, Janus forwards no video);
  ``send: true`` when Y takes it again, on which Janus asks X for a keyframe;
- X's publication ends (its PeerConnection hung up, X left, was removed or dropped past
  the grace period): Y's handle for X is detached and Y gets ``ServerSfu(feed=X,
  kind="ended")``; X itself gets ``ended`` for its own feed when it is still there;
- a member who resumes after a dropped connection starts afresh: its old session is
  destroyed (``ended`` for its own feed and each feed it received), then it gets offers
  for every current publisher and publishes again;
- a member who shares (a screen, a window, a document) publishes a SECOND time, on a
  handle of its own in the same session (``sfu`` messages with ``track`` "share"; Janus
  id :func:`feed_id` + 2**48, below 2**53 for JavaScript): video only, capped at
  :data:`SHARE_BITRATE`; everyone else receives it as feed (member, "share"). The
  registry lets only who may share publish one (``control_refused``), and tells the
  bridge to end it (:meth:`SfuBridge.unshare`) when the member stops sharing or a
  facilitator takes the permission back; it ends with the member's session too.

Each member's work runs in order in its own task (a member's offer before its
candidates), so one slow Janus request never holds up another member or the signalling.
A Janus that cannot be reached or refuses gives ``ServerSfu(kind="failed", reason=...)``
for that feed and a log line that names no token and quotes no SDP.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import aiohttp

from groupdesk.core.protocol import (
    SFU_NO_VIDEO,
    ClientSfu,
    ErrorCode,
    ProtocolError,
    ServerSfu,
    SfuTrack,
)
from groupdesk.server.janus_client import UNAUTHORIZED, Event, JanusError, JanusSession
from groupdesk.server.janus_rooms import JanusRooms

logger = logging.getLogger("groupdesk.server.sfu")

Deliver = Callable[[str, str, ServerSfu], None]
"""``deliver(room, member, message)``: send ``message`` to ``member`` if connected."""
Job = Callable[[], Awaitable[None]]
Feed = tuple[str, SfuTrack]
"""A publication: (member, "camera") or (member, "share")."""


RESUBSCRIBE_SECONDS = 1.0
"""How long after Janus hung up a subscription the bridge offers the feed again."""


SHARE_ID_OFFSET = 2**48
"""Added to a member's Janus id for its share (48-bit member ids: still below 2**53)."""
SHARE_BITRATE = 600_000
"""The most a share publication may send (bits/s; 1280x720 text at 5 fps needs less)."""


def feed_id(member: str, track: SfuTrack = "camera") -> int:
    """Janus's publisher id of ``member``'s ``track`` (12 hex digits: 48 bits; a share
    above them)."""
    return int(member, 16) + (SHARE_ID_OFFSET if track == "share" else 0)


@dataclass
class _Pub:
    """One of the member's publications (its camera, or its share) at Janus."""

    handle: int | None = None
    published: bool = False  # Janus said webrtcup
    streams: tuple[tuple[str, str], ...] = ()  # (type, mid) of what it publishes


@dataclass
class _Sub:
    """One subscription: member ``feed``'s stream to the subscriber, through Janus."""

    handle: int | None = None
    state: Literal["opening", "offered", "started"] = "opening"
    video_mids: tuple[str, ...] = ()
    video: bool = True  # Janus forwards the feed's video (False: the subscriber said no)
    paused: bool = False  # Janus forwards nothing: a side room separates the two


@dataclass
class _Member:
    room: str
    member: str
    queue: asyncio.Queue[Job]
    task: asyncio.Task[None] | None = None
    pending: int = 0
    janus: JanusSession | None = None
    token: str | None = None
    poller: asyncio.Task[None] | None = None
    keeper: asyncio.Task[None] | None = None
    pubs: dict[SfuTrack, _Pub] = field(default_factory=dict)
    nothing: bool = False  # said it publishes nothing (no camera, no microphone)
    subs: dict[Feed, _Sub] = field(default_factory=dict)
    ended: set[Feed] = field(default_factory=set)  # feeds told "ended" since their last offer
    gone: bool = False


class SfuBridge:
    """Mediates between every seated member of the SFU rooms and Janus."""

    def __init__(
        self,
        api_url: str,
        rooms: JanusRooms,
        deliver: Deliver,
        *,
        timeout: float = 5.0,
        reply_timeout: float = 10.0,
        token_timeout: float = 10.0,
        keepalive_seconds: float = 25.0,
        queue_size: int = 256,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.rooms = rooms
        self._deliver_to = deliver
        self._timeout = timeout
        self._reply_timeout = reply_timeout
        self._token_timeout = token_timeout
        self._keepalive_seconds = keepalive_seconds
        self._queue_size = queue_size
        self._members: dict[str, dict[str, _Member]] = {}
        self._ending: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._aside: dict[str, frozenset[str]] = {}  # room -> its side room's members
        self._http: aiohttp.ClientSession | None = None
        rooms.before_revoke = self._before_revoke

    # ------------------------------------------------------------ what the server calls

    def sync(self, wanted: Mapping[str, frozenset[str]]) -> None:
        """The SFU rooms and their seated members, now: sessions for newcomers (with an
        offer for each current publisher), the end of the others' (returns at once)."""
        for room_id in list(self._members):
            keep = wanted.get(room_id, frozenset())
            for member in [m for m in self._members[room_id] if m not in keep]:
                self._drop(room_id, member, notify_self=False)
        for room_id, members in wanted.items():
            for member in sorted(members):
                self._member(room_id, member)

    def submit(self, room: str, member: str, message: ClientSfu) -> None:
        """Queue a seated member's ``sfu`` message (the registry checked the room's media,
        that ``feed`` sits in the room and is the member's own for an offer, another's for
        an answer or a layer). Refuses an answer, layer or candidate for a feed with no
        offer made to this member (``out_of_order``), and a flood (``rate_limited``)."""
        state = self._member(room, member)
        key: Feed = (message.feed, message.track)
        if message.kind != "offer" and message.feed != member and key not in state.subs:
            if key in state.ended:
                return  # it ended as the member answered: nothing to do, nothing wrong
            raise ProtocolError(ErrorCode.OUT_OF_ORDER)
        job: Job
        if message.kind == "offer":
            assert message.sdp is not None  # checked by ClientSfu
            if message.track == "share" and not _video_only(message.sdp):
                raise ProtocolError(ErrorCode.BAD_MESSAGE)  # a share is a picture only
            job = functools.partial(self._publish, state, message.track, message.sdp)
        elif message.kind == "candidate":
            job = functools.partial(self._candidate, state, message)
        elif message.kind == "answer":
            if state.subs[key].state != "offered":
                raise ProtocolError(ErrorCode.OUT_OF_ORDER)
            assert message.sdp is not None
            job = functools.partial(self._answer, state, key, message.sdp)
        elif message.kind == "layer":
            assert message.layer is not None
            job = functools.partial(self._layer, state, key, message.layer)
        elif message.kind == "none":
            job = functools.partial(self._nothing, state)
        else:  # pragma: no cover - ClientSfu allows no other kind
            raise ProtocolError(ErrorCode.BAD_MESSAGE)
        if state.queue.full():
            raise ProtocolError(ErrorCode.RATE_LIMITED)
        self._enqueue(state, job)

    def unshare(self, room: str, member: str) -> None:
        """``member`` no longer shares (it stopped, or may no longer): its share
        publication ends at Janus and everyone gets ``ended`` for it (track "share")."""
        state = self._members.get(room, {}).get(member)
        if state is not None:
            self._enqueue(state, functools.partial(self._unshare, state))

    def set_aside(self, room: str, members: frozenset[str]) -> None:
        """``room``'s side room now (empty: none): Janus stops forwarding media between
        its members and the others (subscriptions paused), and forwards again after."""
        if self._aside.get(room, frozenset()) == members:
            return
        self._aside[room] = members
        for state in self._members.get(room, {}).values():
            self._enqueue(state, functools.partial(self._apply_aside, state))

    def separated(self, room: str, member: str, feed: str) -> bool:
        """Whether a side room keeps ``feed``'s media from ``member``."""
        aside = self._aside.get(room, frozenset())
        return bool(aside) and (member in aside) != (feed in aside)

    def reset(self, room: str, member: str) -> None:
        """``member`` resumed on a new connection: end its Janus session (it gets
        ``ended`` for its own feed and each feed it received), then open a new one that
        receives every current publisher."""
        if member not in self._members.get(room, {}):
            return
        self._drop(room, member, notify_self=True)
        self._member(room, member)

    def publishing(self, room: str, track: SfuTrack = "camera") -> frozenset[str]:
        """The members of ``room`` whose ``track`` publication (camera or share) is up."""
        return frozenset(
            m
            for m, s in self._members.get(room, {}).items()
            if track in s.pubs and s.pubs[track].published
        )

    def session_id(self, room: str, member: str) -> int | None:
        """``member``'s Janus session, if open."""
        state = self._members.get(room, {}).get(member)
        janus = state.janus if state else None
        return janus.session_id if janus and not janus.gone else None

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) until every queued job and ended session is
        done (the tests' way to know the bridge has caught up)."""

        async def idle() -> None:
            while self._ending or any(
                s.pending for members in self._members.values() for s in members.values()
            ):
                await asyncio.gather(*self._ending.values(), return_exceptions=True)
                await asyncio.sleep(0.02)

        await asyncio.wait_for(idle(), timeout)

    async def close(self, timeout: float = 10.0) -> None:
        """End every member's session (bounded), then close the HTTP connections."""
        for room_id in list(self._members):
            for member in list(self._members[room_id]):
                self._drop(room_id, member, notify_self=False, notify_others=False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*self._ending.values(), return_exceptions=True), timeout
            )
        if self._http is not None:
            await self._http.close()
            self._http = None

    # ------------------------------------------------------------ members and their jobs

    def _member(self, room: str, member: str) -> _Member:
        members = self._members.setdefault(room, {})
        state = members.get(member)
        if state is None:
            state = members[member] = _Member(room, member, asyncio.Queue(self._queue_size))
            state.task = asyncio.get_running_loop().create_task(self._run(state))
            self._enqueue(state, functools.partial(self._join, state))
        return state

    def _enqueue(self, state: _Member, job: Job) -> None:
        if state.gone:
            return
        try:
            state.queue.put_nowait(job)
        except asyncio.QueueFull:
            logger.warning(
                "SFU: too much to do for member %s of room %s; dropped", state.member, state.room
            )
            return
        state.pending += 1

    async def _run(self, state: _Member) -> None:
        current = asyncio.current_task()
        while True:
            if state.gone or (current is not None and current.cancelling()):
                # The member's session is ending. A job can swallow the cancellation that
                # says so: Python 3.11's wait_for does when its awaitable completes as the
                # cancellation comes (gh-86296); the fuzz test caught a removed member's
                # worker waiting for its next job, and its Janus session's end held 10 s.
                return
            job = await state.queue.get()
            try:
                await job()
            except JanusError as error:
                logger.warning(
                    "SFU: Janus failed for member %s of room %s: %s",
                    state.member,
                    state.room,
                    _said(error),
                )
            except Exception as error:  # noqa: BLE001 -- one bad job must not stop the member's
                logger.error(  # noqa: TRY400 -- the traceback could quote an SDP
                    "SFU: %s in a job for member %s of room %s",
                    type(error).__name__,
                    state.member,
                    state.room,
                )
            finally:
                state.pending -= 1

    def _others(self, state: _Member) -> list[_Member]:
        return [s for s in self._members.get(state.room, {}).values() if s is not state]

    def _deliver(self, state: _Member, message: ServerSfu) -> None:
        if not state.gone:
            self._deliver_to(state.room, state.member, message)

    def _failed(
        self,
        state: _Member,
        feed: str,
        error: JanusError,
        what: str,
        track: SfuTrack = "camera",
    ) -> None:
        reason = (
            ErrorCode.MEDIA_SERVER_UNAVAILABLE
            if error.code is None
            else ErrorCode.MEDIA_SERVER_REFUSED
        )
        logger.warning(
            "SFU: %s of feed %s (%s) for member %s of room %s failed (%s): %s",
            what,
            feed,
            track,
            state.member,
            state.room,
            reason.value,
            _said(error),
        )
        failed = ServerSfu(feed=feed, kind="failed", reason=reason.value, track=track)
        self._deliver(state, failed)

    # ------------------------------------------------------------ the member's Janus session

    def _http_session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def _open(self, state: _Member) -> JanusSession:
        """The member's Janus session, opened with its token if not open yet."""
        if state.janus is not None and not state.janus.gone:
            return state.janus
        if state.janus is not None:
            await self._lost(state, state.janus)
        await self._after_prior(state)
        token = await self.rooms.wait_token(state.room, state.member, self._token_timeout)
        if token is None:
            raise JanusError("the member has no Janus token (Janus did not grant it in time)")
        janus = await self._session(token)
        if janus is None:  # Janus refused the token: did it restart and lose the room?
            if not await self.rooms.recover(state.room):
                raise JanusError("Janus refused the member's token", UNAUTHORIZED)
            token = await self.rooms.wait_token(state.room, state.member, self._token_timeout)
            janus = await self._session(token) if token is not None else None
            if janus is None or token is None:
                raise JanusError("Janus refused the member's new token", UNAUTHORIZED)
        state.janus, state.token = janus, token
        loop = asyncio.get_running_loop()
        state.poller = loop.create_task(self._poll(state, janus))
        state.keeper = loop.create_task(self._keepalive(janus))
        logger.info("SFU: Janus session open for member %s of room %s", state.member, state.room)
        return janus

    async def _session(self, token: str) -> JanusSession | None:
        """A new Janus session with ``token`` (None if Janus refuses the token)."""
        janus = JanusSession(
            self._http_session(),
            self.api_url,
            token,
            timeout=self._timeout,
            reply_timeout=self._reply_timeout,
        )
        try:
            await janus.create()
        except JanusError as error:
            if error.code == UNAUTHORIZED:
                return None
            raise
        return janus

    async def _after_prior(self, state: _Member) -> None:
        """Wait (bounded) until a previous session of the same member is destroyed:
        Janus refuses a second publisher with the same id."""
        prior = self._ending.get((state.room, state.member))
        if prior is not None:
            await _wait_for_other(prior, 2 * self._timeout)

    async def _poll(self, state: _Member, janus: JanusSession) -> None:
        await janus.events(functools.partial(self._on_event, state))
        if state.janus is janus and not state.gone:
            self._enqueue(state, functools.partial(self._lost, state, janus))

    async def _keepalive(self, janus: JanusSession) -> None:
        while not janus.gone:
            await asyncio.sleep(self._keepalive_seconds)
            with contextlib.suppress(JanusError):
                await janus.keepalive()

    async def _lost(self, state: _Member, janus: JanusSession) -> None:
        """The member's session ended under us (Janus restarted, timed it out...): what
        it published and received has ended; a new session receives the publishers."""
        if state.janus is not janus:
            return  # already replaced
        logger.warning(
            "SFU: the Janus session of member %s of room %s ended", state.member, state.room
        )
        state.janus = None
        _cancel(state.poller, state.keeper)
        for track in list(state.pubs):
            self._unpublish(state, track, notify_self=True, detach=False)
        for key in list(state.subs):
            del state.subs[key]
            self._ended(state, key)
        self._enqueue(state, functools.partial(self._join, state))

    def _on_event(self, state: _Member, event: Event) -> None:
        """An event Janus sent on its own (not a reply): publication up or down, a
        subscriber PeerConnection hung up, a new offer for a subscriber."""
        kind = event.get("janus")
        sender = event.get("sender")
        data = (event.get("plugindata") or {}).get("data") or {}
        logger.debug(
            "SFU: Janus %s %s for member %s (handle %s)",
            kind,
            data.get("videoroom", "") if isinstance(data, dict) else "",
            state.member,
            sender,
        )
        if not isinstance(sender, int):
            return
        for track, pub in state.pubs.items():
            if pub.handle == sender:
                if kind == "webrtcup":
                    self._enqueue(state, functools.partial(self._published, state, track, sender))
                elif kind == "hangup":
                    self._enqueue(state, functools.partial(self._hung_up, state, track, sender))
                return
        for key, sub in state.subs.items():
            if sub.handle == sender:
                jsep = event.get("jsep")
                if kind == "hangup":
                    self._enqueue(state, functools.partial(self._sub_hung_up, state, key, sender))
                elif kind == "event" and isinstance(jsep, dict) and jsep.get("type") == "offer":
                    offer = functools.partial(self._renegotiate, state, key, sender, jsep)
                    self._enqueue(state, offer)
                return

    # ------------------------------------------------------------ publishing

    async def _join(self, state: _Member) -> None:
        """Open the member's session and subscribe it to every current publisher (and
        say who publishes nothing)."""
        for other in self._others(state):
            if other.nothing and not self._is_published(state.room, (other.member, "camera")):
                self._deliver(state, ServerSfu(feed=other.member, kind="none"))
        try:
            await self._open(state)
        except JanusError as error:
            logger.warning(
                "SFU: no Janus session for member %s of room %s: %s",
                state.member,
                state.room,
                _said(error),
            )
            for other in self._others(state):
                for track, pub in other.pubs.items():
                    if pub.published:
                        self._failed(state, other.member, error, "subscription", track)
            return
        for other in self._others(state):
            for track, pub in list(other.pubs.items()):
                if pub.published:
                    await self._subscribe(state, (other.member, track))

    async def _publish(self, state: _Member, track: SfuTrack, sdp: str) -> None:
        pub = state.pubs.get(track)
        fresh = pub is None or pub.handle is None
        if pub is None:
            pub = state.pubs[track] = _Pub()
        if track == "camera":
            state.nothing = False
        try:
            janus = await self._open(state)
            janus_id = self._janus_id(state)
            if pub.handle is None:
                pub.handle = await janus.attach()
                body: dict[str, object] = {
                    "request": "joinandconfigure",
                    "room": janus_id,
                    "ptype": "publisher",
                    "id": feed_id(state.member, track),
                    "display": state.member if track == "camera" else f"{state.member} share",
                    "token": state.token,
                }
            else:
                body = {"request": "configure"}
            if track == "share":
                body["bitrate"] = SHARE_BITRATE
            started = time.monotonic()
            offer = {"type": "offer", "sdp": sdp}
            data, jsep = await janus.message(pub.handle, body, offer)
            answer = ServerSfu(
                feed=state.member, kind="answer", sdp=_sdp(jsep, "answer"), track=track
            )
        except (JanusError, ProtocolError) as error:
            janus_error = error if isinstance(error, JanusError) else JanusError("bad SDP", -1)
            if fresh and state.pubs.get(track) is pub:
                del state.pubs[track]
                if pub.handle is not None:
                    await self._detach(state, pub.handle)
            self._failed(state, state.member, janus_error, "publication", track)
            return
        logger.info(
            "SFU: member %s of room %s publishes (%s, its %s, %.0f ms)",
            state.member,
            state.room,
            body["request"],
            track,
            (time.monotonic() - started) * 1000,
        )
        self._deliver(state, answer)
        streams = _streams(data)
        if pub.published and streams != pub.streams:
            # what it sends changed: everyone receives it anew (no renegotiation to follow)
            key: Feed = (state.member, track)
            for other in self._others(state):
                self._enqueue(other, functools.partial(self._unsubscribe, other, key))
                self._enqueue(other, functools.partial(self._subscribe, other, key))
        pub.streams = streams

    async def _nothing(self, state: _Member) -> None:
        """The member publishes nothing (neither camera nor microphone; what it published
        before, if anything, ends): every other member is told so, in its own order. (Its
        share, if any, goes on: a screen needs no camera.)"""
        if "camera" in state.pubs:
            self._unpublish(state, "camera", notify_self=False, detach=True)
        state.nothing = True
        for other in self._others(state):
            self._enqueue(other, functools.partial(self._say_nothing, other, state.member))

    async def _say_nothing(self, state: _Member, feed: str) -> None:
        """Tell the member that ``feed`` publishes nothing, if that still holds."""
        publisher = self._members.get(state.room, {}).get(feed)
        if (
            publisher is not None
            and publisher.nothing
            and not self._is_published(state.room, (feed, "camera"))
        ):
            self._deliver(state, ServerSfu(feed=feed, kind="none"))

    async def _published(self, state: _Member, track: SfuTrack, handle: int) -> None:
        """Janus says one of the member's publications is up: everybody else subscribes."""
        pub = state.pubs.get(track)
        if pub is None or pub.handle != handle or pub.published:
            return
        pub.published = True
        for other in self._others(state):
            key: Feed = (state.member, track)
            self._enqueue(other, functools.partial(self._subscribe, other, key))

    async def _hung_up(self, state: _Member, track: SfuTrack, handle: int) -> None:
        """One of the member's publishing PeerConnections is gone (closed, ICE failed...)."""
        pub = state.pubs.get(track)
        if pub is not None and pub.handle == handle:
            self._unpublish(state, track, notify_self=True, detach=True)

    async def _unshare(self, state: _Member) -> None:
        """The member no longer shares: its share publication ends (if it has one)."""
        self._unpublish(state, "share", notify_self=True, detach=True)

    def _unpublish(
        self, state: _Member, track: SfuTrack, *, notify_self: bool, detach: bool
    ) -> None:
        pub = state.pubs.pop(track, None)
        if pub is None or pub.handle is None:
            return
        if detach:
            self._enqueue(state, functools.partial(self._detach, state, pub.handle))
        key: Feed = (state.member, track)
        for other in self._others(state):
            self._enqueue(other, functools.partial(self._unsubscribe, other, key))
        if notify_self:
            self._deliver(state, ServerSfu(feed=state.member, kind="ended", track=track))

    def _janus_id(self, state: _Member) -> int:
        room = self.rooms.room(state.room)
        if room is None:
            raise JanusError("the room has no Janus VideoRoom")
        return room.janus_id

    # ------------------------------------------------------------ receiving

    def _is_published(self, room: str, key: Feed) -> bool:
        publisher = self._members.get(room, {}).get(key[0])
        pub = publisher.pubs.get(key[1]) if publisher is not None else None
        return pub is not None and pub.published

    async def _subscribe(self, state: _Member, key: Feed) -> None:
        feed, track = key
        if not self._is_published(state.room, key) or key in state.subs:
            return
        sub = state.subs[key] = _Sub()
        state.ended.discard(key)
        try:
            janus = await self._open(state)
            janus_id = self._janus_id(state)
            sub.handle = await janus.attach()
            body = {
                "request": "join",
                "ptype": "subscriber",
                "room": janus_id,
                "streams": [{"feed": feed_id(feed, track)}],
                "autoupdate": False,  # the bridge says "ended" itself: no renegotiation
                "token": state.token,
            }
            data, jsep = await janus.message(sub.handle, body)
            offer = ServerSfu(feed=feed, kind="offer", sdp=_sdp(jsep, "offer"), track=track)
        except (JanusError, ProtocolError) as error:
            janus_error = error if isinstance(error, JanusError) else JanusError("bad SDP", -1)
            if state.subs.get(key) is sub:
                del state.subs[key]
            if sub.handle is not None:
                await self._detach(state, sub.handle)
            if self._is_published(state.room, key):
                self._failed(state, feed, janus_error, "subscription", track)
            return  # else the publisher went meanwhile: nothing to receive, nothing failed
        sub.video_mids = _video_mids(data)
        sub.state = "offered"
        self._deliver(state, offer)

    async def _renegotiate(self, state: _Member, key: Feed, handle: int, jsep: Event) -> None:
        """Janus offers again for a subscription (the publisher's streams changed)."""
        sub = state.subs.get(key)
        if sub is None or sub.handle != handle:
            return
        try:
            offer = ServerSfu(feed=key[0], kind="offer", sdp=str(jsep.get("sdp")), track=key[1])
        except ProtocolError:
            return
        sub.state = "offered"
        self._deliver(state, offer)

    async def _answer(self, state: _Member, key: Feed, sdp: str) -> None:
        sub = state.subs.get(key)
        if sub is None or sub.handle is None or sub.state != "offered" or state.janus is None:
            return
        answer = {"type": "answer", "sdp": sdp}
        try:
            await state.janus.message(sub.handle, {"request": "start"}, answer)
        except JanusError as error:
            del state.subs[key]
            await self._detach(state, sub.handle)
            self._failed(state, key[0], error, "subscription start", key[1])
            return
        sub.state = "started"
        await self._pause(state, key[0], sub)  # a side room began before this subscription

    async def _apply_aside(self, state: _Member) -> None:
        """Pause or resume each started subscription as the room's side room wants."""
        for (feed, _track), sub in list(state.subs.items()):
            await self._pause(state, feed, sub)

    async def _pause(self, state: _Member, feed: str, sub: _Sub) -> None:
        wanted = self.separated(state.room, state.member, feed)
        if sub.state != "started" or sub.handle is None or state.janus is None:
            return
        if wanted != sub.paused:
            request = {"request": "pause" if wanted else "start"}
            await state.janus.message(sub.handle, request)
            sub.paused = wanted

    async def _layer(self, state: _Member, key: Feed, layer: int) -> None:
        """The subscriber's choice of ``key``'s video: a simulcast layer, or none of it."""
        sub = state.subs.get(key)
        if sub is None or sub.handle is None or not sub.video_mids or state.janus is None:
            return
        video = layer != SFU_NO_VIDEO
        streams: list[dict[str, object]]
        if not video:
            streams = [{"mid": mid, "send": False} for mid in sub.video_mids]
        else:
            streams = [{"mid": mid, "substream": layer} for mid in sub.video_mids]
            if not sub.video:  # only then: Janus asks the publisher for a keyframe on it
                for stream in streams:
                    stream["send"] = True
        await state.janus.message(sub.handle, {"request": "configure", "streams": streams})
        sub.video = video

    async def _unsubscribe(self, state: _Member, key: Feed) -> None:
        sub = state.subs.pop(key, None)
        if sub is None:
            return
        if sub.handle is not None:
            await self._detach(state, sub.handle)
        self._ended(state, key)

    def _ended(self, state: _Member, key: Feed) -> None:
        """Tell the member ``key``'s stream to it has ended."""
        state.ended.add(key)
        self._deliver(state, ServerSfu(feed=key[0], kind="ended", track=key[1]))

    async def _sub_hung_up(self, state: _Member, key: Feed, handle: int) -> None:
        """Janus hung up one subscription (the member's network changed, its receiving
        connection failed): ``ended``, then, if ``key`` still publishes a moment later
        (its own hang-up may be on the way), a fresh offer of it."""
        sub = state.subs.get(key)
        if sub is not None and sub.handle == handle:
            await self._unsubscribe(state, key)
            asyncio.get_running_loop().call_later(
                RESUBSCRIBE_SECONDS, self._resubscribe, state, key
            )

    def _resubscribe(self, state: _Member, key: Feed) -> None:
        if not state.gone and key not in state.subs and self._is_published(state.room, key):
            self._enqueue(state, functools.partial(self._subscribe, state, key))

    async def _candidate(self, state: _Member, message: ClientSfu) -> None:
        if message.feed == state.member:
            pub = state.pubs.get(message.track)
            handle = pub.handle if pub else None
        else:
            sub = state.subs.get((message.feed, message.track))
            handle = sub.handle if sub else None
        if handle is None or state.janus is None or state.janus.gone:
            return  # the publication or subscription failed or ended meanwhile
        candidate: dict[str, object]
        if message.candidate is None:
            candidate = {"completed": True}
        else:
            candidate = {"candidate": message.candidate}
            if message.mid is not None:
                candidate["sdpMid"] = message.mid
            if message.mline is not None:
                candidate["sdpMLineIndex"] = message.mline
        try:
            await state.janus.trickle(handle, candidate)
        except JanusError as error:
            logger.info(
                "SFU: Janus refused a candidate of member %s of room %s: %s",
                state.member,
                state.room,
                _said(error),
            )

    async def _detach(self, state: _Member, handle: int) -> None:
        janus = state.janus
        if janus is None or janus.gone:
            return
        with contextlib.suppress(JanusError):
            await janus.detach(handle)

    # ------------------------------------------------------------ members who go

    def _drop(
        self, room: str, member: str, *, notify_self: bool, notify_others: bool = True
    ) -> None:
        """End ``member``'s session in the background; others get ``ended`` for its feed."""
        members = self._members.get(room, {})
        state = members.pop(member, None)
        if not members:
            self._members.pop(room, None)
            self._aside.pop(room, None)
        if state is None:
            return
        if notify_self:
            for track in state.pubs:
                self._deliver(state, ServerSfu(feed=member, kind="ended", track=track))
            for feed, track in state.subs:
                self._deliver(state, ServerSfu(feed=feed, kind="ended", track=track))
        state.gone = True
        if notify_others:
            for track in state.pubs:
                gone: Feed = (member, track)
                for other in self._members.get(room, {}).values():
                    self._enqueue(other, functools.partial(self._unsubscribe, other, gone))
        key = (room, member)
        prior = self._ending.get(key)
        task = asyncio.get_running_loop().create_task(self._teardown(state, prior))
        self._ending[key] = task
        task.add_done_callback(lambda t: self._forget(key, t))

    def _forget(self, key: tuple[str, str], task: asyncio.Task[None]) -> None:
        if self._ending.get(key) is task:
            del self._ending[key]

    async def _teardown(self, state: _Member, prior: asyncio.Task[None] | None) -> None:
        if prior is not None:
            with contextlib.suppress(Exception):
                await prior
        _cancel(state.task, state.keeper)
        if state.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await state.task
        state.pending = 0
        janus = state.janus
        if janus is not None and janus.session_id is not None and not janus.gone:
            try:  # the Admin API: whether or not the member's token is still good
                await self.rooms.admin.destroy_session(janus.session_id, self._timeout)
            except JanusError as error:
                logger.warning(
                    "SFU: cannot end the Janus session of member %s of room %s: %s",
                    state.member,
                    state.room,
                    _said(error),
                )
            janus.gone = True
            logger.info(
                "SFU: Janus session ended for member %s of room %s", state.member, state.room
            )
        _cancel(state.poller)

    async def _before_revoke(self, room: str, member: str) -> None:
        """Before Janus takes back the member's token: its session is ended."""
        if member in self._members.get(room, {}):
            self._drop(room, member, notify_self=False)
        task = self._ending.get((room, member))
        if task is not None:
            await _wait_for_other(task, 3 * self._timeout)


async def _wait_for_other(task: asyncio.Task[None], timeout: float) -> None:
    """Wait (at most ``timeout`` seconds) until another ``task`` is over, however it ends.

    Only the other task's cancellation is swallowed, never ours: a member's job waiting
    here for its previous session to end, when the member is removed, stops at once.
    (It used to swallow both, so the job went on and the removal waited up to 10 s.)"""
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
    except TimeoutError:
        return
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # we are being stopped


def _sdp(jsep: Event | None, kind: str) -> str:
    """The SDP of Janus's ``kind`` (offer or answer), else JanusError."""
    if jsep is None or jsep.get("type") != kind or not isinstance(jsep.get("sdp"), str):
        raise JanusError(f"Janus gave no {kind}", -1)
    return str(jsep["sdp"])


def _video_only(sdp: str) -> bool:
    """Whether every media section of an offer's SDP is video (a share's must be: no
    sound, no data channel)."""
    kinds = [line[2:].split(" ", 1)[0] for line in sdp.splitlines() if line.startswith("m=")]
    return all(kind == "video" for kind in kinds)


def _streams(data: Event) -> tuple[tuple[str, str], ...]:
    """The (type, mid) of each stream a publisher sends, from VideoRoom's answer."""
    streams = data.get("streams")
    if not isinstance(streams, list):
        return ()
    return tuple(
        (str(s.get("type")), str(s.get("mid")))
        for s in streams
        if isinstance(s, dict) and not s.get("disabled")
    )


def _video_mids(data: Event) -> tuple[str, ...]:
    streams = data.get("streams")
    if not isinstance(streams, list):
        return ()
    return tuple(
        str(s["mid"])
        for s in streams
        if isinstance(s, dict) and s.get("type") == "video" and "mid" in s
    )


def _cancel(*tasks: asyncio.Task[None] | None) -> None:
    for task in tasks:
        if task is not None and not task.done():
            task.cancel()


def _said(error: JanusError) -> str:
    """What to log of a Janus error: its code and the start of its reason (Janus's
    reasons quote neither tokens nor SDP; the long poll's errors never hold its URL)."""
    text = str(error)[:160]
    return f"{text} (code {error.code})" if error.code is not None else text
