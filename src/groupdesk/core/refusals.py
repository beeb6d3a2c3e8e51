"""What a refused client does next: which refusals end a visit, which a later try may pass.

The desktop's signalling client and the web page (its ``protocol.js`` is generated from
this module, :mod:`groupdesk.server.web_protocol`) read the same sets, so a code the
server gains is classed once, here.
"""

from __future__ import annotations

from groupdesk.core.protocol import Declined, ErrorCode, Removed, RoomEnded

FINAL_SERVER_MESSAGES: frozenset[str] = frozenset({Declined.TYPE, Removed.TYPE, RoomEnded.TYPE})
"""Server messages after which the server relays nothing more for the seat."""

FINAL_ERROR_CODES: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.BAD_INVITE,
        ErrorCode.INVITE_EXPIRED,
        ErrorCode.ROOM_ENDED,
        ErrorCode.ROOM_FULL,
        ErrorCode.RESUME_EXPIRED,
        ErrorCode.TOO_MANY_ATTEMPTS,
        ErrorCode.UNSUPPORTED_VERSION,
    }
)
"""Refusals of a ``hello`` or ``resume`` that end the visit: the same try will fail again."""

RETRY_LATER_ERROR_CODES: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.SERVER_FULL,
        ErrorCode.TOO_MANY_CONNECTIONS,
        ErrorCode.RATE_LIMITED,
        ErrorCode.ADDRESS_RATE_LIMITED,
        ErrorCode.LOBBY_ADDRESS_FULL,
        ErrorCode.SIGN_IN_BUSY,
        ErrorCode.SIGN_IN_TIMEOUT,
    }
)
"""Refusals of an ``inquire``, ``hello`` or ``resume`` because the server, or the caller's
network address, is busy: the same try may pass in a few minutes."""

INVITE_ERROR_CODES: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.BAD_INVITE,
        ErrorCode.INVITE_EXPIRED,
        ErrorCode.ROOM_ENDED,
        ErrorCode.TOO_MANY_ATTEMPTS,
    }
)
"""Answers to ``inquire`` that end the visit before the device check."""
