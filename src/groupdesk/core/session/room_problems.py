"""Why a live session cannot go on, from what the server answered."""

from __future__ import annotations

from groupdesk.core.protocol import Declined, ErrorCode, Removed, RoomEnded
from groupdesk.core.session.room_state import LiveProblem

_ERRORS = {
    ErrorCode.BAD_CREDENTIAL: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.CREDENTIAL_REVOKED: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.NOT_AUTHENTICATED: LiveProblem.CREDENTIAL_REFUSED,
    ErrorCode.ROOM_FULL: LiveProblem.ROOM_FULL,
    ErrorCode.BAD_INVITE: LiveProblem.BAD_INVITE,
    ErrorCode.INVITE_EXPIRED: LiveProblem.INVITE_EXPIRED,
    ErrorCode.ROOM_ENDED: LiveProblem.ENDED_BY_FACILITATOR,
    ErrorCode.RESUME_EXPIRED: LiveProblem.CONNECTION_LOST,
    # the server's limits: nothing is wrong with the request, it may work in a while
    ErrorCode.SERVER_FULL: LiveProblem.SERVER_BUSY,
    ErrorCode.TOO_MANY_CONNECTIONS: LiveProblem.SERVER_BUSY,
    ErrorCode.ADDRESS_RATE_LIMITED: LiveProblem.SERVER_BUSY,
    ErrorCode.LOBBY_ADDRESS_FULL: LiveProblem.SERVER_BUSY,
    ErrorCode.SIGN_IN_BUSY: LiveProblem.SERVER_BUSY,
    ErrorCode.SIGN_IN_TIMEOUT: LiveProblem.SERVER_BUSY,
}

_NOTICES: dict[type[Declined | Removed | RoomEnded], LiveProblem] = {
    Declined: LiveProblem.DECLINED,
    Removed: LiveProblem.REMOVED,
    RoomEnded: LiveProblem.ENDED_BY_FACILITATOR,
}


def problem_of_error(code: str) -> LiveProblem:
    """The problem a server's refusal (an ``Error`` code) means for the session."""
    return _ERRORS.get(ErrorCode(code), LiveProblem.SERVER_ERROR)


def problem_of_notice(notice: Declined | Removed | RoomEnded) -> LiveProblem:
    """Why we are out of the room: declined, removed, or the room ended."""
    return _NOTICES[type(notice)]
