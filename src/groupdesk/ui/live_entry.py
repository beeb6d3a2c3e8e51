"""Getting into a room: where the server is, the hellos, and reading each answer. No Qt.

Each step gives what it got, or the :class:`LiveProblem` that stopped it; the
live session decides what to do with a problem (fail, hang up).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import (
    ClientMessage,
    Error,
    FacilitatorHello,
    Invite,
    ParticipantHello,
    ServerMessage,
    parse_invite_link,
)
from groupdesk.core.session.room_problems import problem_of_error
from groupdesk.core.session.room_state import LiveProblem
from groupdesk.media.ice import follow_server
from groupdesk.ui.live_connection import RoomConnection, websocket_url

log = logging.getLogger(__name__)


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
    conn: RoomConnection, message: ClientMessage, answer: type[ServerMessage]
) -> ServerMessage | LiveProblem:
    """Send ``message``: the reply of type ``answer``, or why none came."""
    reply = await conn.ask(message, answer)
    if isinstance(reply, answer):
        return reply
    if reply is None:
        return LiveProblem.UNREACHABLE if conn.connected else LiveProblem.CONNECTION_LOST
    if isinstance(reply, Error):
        return problem_of_error(reply.code)
    return LiveProblem.CONNECTION_LOST
