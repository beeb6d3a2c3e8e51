"""Getting into a room: where the server is, the hellos, and reading each answer. No Qt.

Each step gives what it got, or the :class:`LiveProblem` that stopped it; the
live session's ways in (``live_join``) decide what to do with a problem (fail, hang up).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, TypeVar, cast
from urllib.parse import urlsplit

import aiohttp

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import (
    Admitted,
    ClientMessage,
    Error,
    FacilitatorHello,
    Inquire,
    Invite,
    JoinRoom,
    ParticipantHello,
    RoomInfo,
    SafetyWording,
    ServerMessage,
    Waiting,
    Welcome,
    parse_invite_link,
)
from groupdesk.core.session.room_problems import problem_of_error
from groupdesk.core.session.room_state import LiveProblem
from groupdesk.media.ice import follow_server
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.live_connection import ANSWER_TIMEOUT, RoomConnection, websocket_url

log = logging.getLogger(__name__)

_Answer = TypeVar("_Answer", bound=ServerMessage)

AnswerRoom = Callable[[RoomInfo], Awaitable[Mapping[str, Any] | None]]
"""Asks the person the room's questions (``RoomInfo``): the answers their hello declares,
or None when they cancelled (then no hello goes)."""


InviteReach = Literal["this_computer", "no_camera"]
"""Why an invite link will not do for a real session: ``this_computer``, it points at a
loopback address (other computers cannot open it); ``no_camera``, it is plain http on
another address, where browsers refuse the camera and microphone."""


def invite_reach(invite: str, embedded: bool = False) -> InviteReach | None:
    """What stops participants on other computers using ``invite`` (None: nothing).

    A room on the embedded server is never for a real session: its link is at best
    plain http on the local network.
    """
    parts = urlsplit(invite)
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if loopback:
        return "this_computer"
    if parts.scheme != "https" or embedded:
        return "no_camera"
    return None


def display_name(name: str) -> str:
    """A display name the protocol accepts (one line, at most 64 characters)."""
    return " ".join(name.split())[:64].strip()


async def facilitator_server(
    conn: RoomConnection, server_url: str, account: str, credential: str, embedded_host: str
) -> tuple[str, str, str] | LiveProblem:
    """Where a facilitator signs in: ``(websocket url, account, credential)``.

    No ``server_url``: the embedded server, started on ``embedded_host``.
    """
    if not server_url:
        try:
            url, account, credential = await conn.start_embedded(embedded_host)
        except (GroupDeskError, OSError):
            log.exception("the embedded server did not start")
            return LiveProblem.UNREACHABLE
        follow_server(embedded_host)
        return url, account, credential
    if not (account and credential):
        return LiveProblem.CREDENTIAL_NEEDED
    url = websocket_url(server_url)
    follow_server(urlsplit(url).hostname or "")
    return url, account, credential


def facilitator_hello(account: str, credential: str, name: str) -> FacilitatorHello | LiveProblem:
    """A facilitator's hello (``name`` as shown to the room)."""
    try:
        return FacilitatorHello(
            name=account, credential=credential, display_name=display_name(name) or None
        )
    except GroupDeskError:
        return LiveProblem.CREDENTIAL_REFUSED


def invite_of(link: str) -> Invite | LiveProblem:
    """The invite in ``link`` (its server is followed for media)."""
    try:
        invite = parse_invite_link(link)
    except ValueError:
        return LiveProblem.BAD_INVITE
    follow_server(urlsplit(invite.base_url).hostname or "")
    return invite


def participant_hello(
    invite: Invite, name: str, declared: Mapping[str, Any] | None
) -> ParticipantHello | LiveProblem:
    """A participant's knock at the room of ``invite``."""
    try:
        return ParticipantHello(
            room=invite.room,
            secret=invite.secret,
            display_name=display_name(name) or "?",
            declared=dict(declared or {}),
        )
    except GroupDeskError:
        return LiveProblem.BAD_INVITE


async def ask(
    conn: RoomConnection, message: ClientMessage, answer: type[_Answer]
) -> _Answer | LiveProblem:
    """Send ``message``: the reply of type ``answer``, or why none came."""
    reply = await conn.ask(message, cast(type[ServerMessage], answer))
    if isinstance(reply, answer):
        return reply
    if reply is None:
        return LiveProblem.UNREACHABLE if conn.connected else LiveProblem.CONNECTION_LOST
    if isinstance(reply, Error):
        return problem_of_error(reply.code)
    return LiveProblem.CONNECTION_LOST


async def facilitator_sign_in(
    conn: RoomConnection,
    server: tuple[str, str, str],
    name: str,
    embedded_host: str,
    connected: Callable[[SignalingClient], None],
) -> LiveProblem | None:
    """Start the embedded server (no server url in ``server``: url, account, credential) or
    reach the organisation's, and say hello as ``name``; ``connected`` hears of the client
    before the hello. The problem that stopped it, if any."""
    where = await facilitator_server(conn, *server, embedded_host)
    if isinstance(where, LiveProblem):
        return where
    url, account, credential = where
    if not await conn.connect(url):
        return LiveProblem.UNREACHABLE
    assert conn.client is not None
    connected(conn.client)
    hello = facilitator_hello(account, credential, name)
    if isinstance(hello, LiveProblem):
        return hello
    reply = await ask(conn, hello, Welcome)
    return reply if isinstance(reply, LiveProblem) else None


async def inquire(invite: Invite) -> RoomInfo | LiveProblem:
    """What the room of ``invite`` asks (its questions, rules, consent, safety wording),
    on a short-lived connection of its own, as the web page does: the server closes a
    connection that has not said hello in time, and answering may take longer."""
    client = SignalingClient(auto_resume=False, connect_timeout=ANSWER_TIMEOUT)
    try:
        await asyncio.wait_for(client.connect(invite.websocket_url), ANSWER_TIMEOUT)
        await client.send(Inquire(room=invite.room, secret=invite.secret))
        async with asyncio.timeout(ANSWER_TIMEOUT):
            while True:
                reply = await client.receive()
                if isinstance(reply, RoomInfo):
                    return reply
                if isinstance(reply, Error):
                    return problem_of_error(reply.code)
    except (GroupDeskError, aiohttp.ClientError, OSError, TimeoutError, ValueError):
        log.info("the room's questions could not be read")
        return LiveProblem.UNREACHABLE
    finally:
        with contextlib.suppress(GroupDeskError, aiohttp.ClientError, OSError):
            await client.close(leave=False)


async def participant_knock(
    conn: RoomConnection,
    link: str,
    name: str,
    declared: Mapping[str, Any] | None,
    connected: Callable[[SignalingClient], None],
    *,
    wording: Callable[[SafetyWording], None] | None = None,
    answer: AnswerRoom | None = None,
) -> Waiting | LiveProblem | None:
    """Knock at the room of the invite ``link`` as ``name``; ``connected`` hears of the
    client before the hello (the facilitators may ask to see us as soon as we wait);
    ``wording`` hears the words of the room's safety option first (as the web page does;
    a room without them keeps ours). The problem that stopped it, or the lobby's
    ``waiting`` (the room's rules).

    ``answer``: the person answers the room's questions (read first, see
    :func:`inquire`), and the hello declares those answers instead of ``declared``;
    None when they cancelled (nothing is left connected, no hello went).
    """
    invite = invite_of(link)
    if isinstance(invite, LiveProblem):
        return invite
    if answer is not None:
        info = await inquire(invite)
        if isinstance(info, LiveProblem):
            return info
        if wording is not None and info.safety is not None:
            wording(info.safety)
        answers = await answer(info)
        if answers is None:
            return None
        declared = answers
    if not await conn.connect(invite.websocket_url):
        return LiveProblem.UNREACHABLE
    if wording is not None and answer is None:
        room = await conn.ask(Inquire(room=invite.room, secret=invite.secret), RoomInfo)
        if isinstance(room, RoomInfo) and room.safety is not None:
            wording(room.safety)  # a refusal: the hello below says why
    hello = participant_hello(invite, name, declared)
    if isinstance(hello, LiveProblem):
        return hello
    assert conn.client is not None
    connected(conn.client)
    return await ask(conn, hello, Waiting)


async def co_facilitator_join(
    conn: RoomConnection, link: str, account: str, credential: str, name: str
) -> Admitted | LiveProblem:
    """Join the room of the invite ``link`` as a co-facilitator signed in with one's own
    ``account`` and ``credential``: straight in, no lobby. Our seat, or why not."""
    invite = invite_of(link)
    if isinstance(invite, LiveProblem):
        return invite
    hello = facilitator_hello(account, credential, name)
    if isinstance(hello, LiveProblem):
        return hello
    if not await conn.connect(invite.websocket_url):
        return LiveProblem.UNREACHABLE
    welcome = await ask(conn, hello, Welcome)
    if isinstance(welcome, LiveProblem):
        return welcome
    return await ask(conn, JoinRoom(room=invite.room, secret=invite.secret), Admitted)
