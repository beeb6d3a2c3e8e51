"""The mesh's negotiation messages: validated value objects, parsed once at the edge.

They travel as JSON objects in the signalling channel's payloads, from one member
to one other; the signalling server relays them without reading them.

Every message may carry two optional fields (protocol v1 without them still parses):

- ``incarnation``: who sent it, more precisely than the member id: one random id per
  mesh, so per run of the program (or load of the web page). A member whose program
  was killed and started again keeps its member id (it resumes its seat) but not this.
- ``to_incarnation``: the receiver's incarnation as the sender last heard it, if it did.

A mesh that hears a new incarnation from a member it knows drops its connection to the
old one at once and negotiates afresh; what comes from an incarnation it has replaced,
or is addressed to one before its own, it ignores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Self

from groupdesk.core.errors import GroupDeskError

INCARNATION_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""An incarnation on the wire: 1 to 64 letters, digits, ``-`` or ``_`` (a UUID fits)."""


class MediaSignalError(GroupDeskError):
    """A negotiation message that cannot be read."""

    key = "media.error.bad_signal"


@dataclass(frozen=True, kw_only=True)
class _Addressed:
    """The sender's incarnation and the receiver's, as the sender knows them (optional)."""

    incarnation: str | None = None
    to_incarnation: str | None = None

    def __post_init__(self) -> None:
        for name in ("incarnation", "to_incarnation"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, str) or not INCARNATION_PATTERN.fullmatch(value)
            ):
                raise ValueError(f"{name} must be 1 to 64 letters, digits, '-' or '_'")

    def addressed(self, incarnation: str | None, to_incarnation: str | None) -> Self:
        """This message from ``incarnation`` to ``to_incarnation``."""
        return replace(self, incarnation=incarnation, to_incarnation=to_incarnation)

    def _with_addressing(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.incarnation is not None:
            payload["incarnation"] = self.incarnation
        if self.to_incarnation is not None:
            payload["to_incarnation"] = self.to_incarnation
        return payload


@dataclass(frozen=True)
class Offer(_Addressed):
    """A session offer from the member with the smaller id; ``gen`` counts restarts."""

    gen: int
    sdp: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_gen(self.gen)
        if not self.sdp.startswith("v=0"):
            raise ValueError("sdp must be an SDP session description")

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return self._with_addressing({"type": "media.offer", "gen": self.gen, "sdp": self.sdp})


@dataclass(frozen=True)
class Answer(_Addressed):
    """The answer to the offer of generation ``gen``."""

    gen: int
    sdp: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_gen(self.gen)
        if not self.sdp.startswith("v=0"):
            raise ValueError("sdp must be an SDP session description")

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return self._with_addressing({"type": "media.answer", "gen": self.gen, "sdp": self.sdp})


@dataclass(frozen=True)
class RestartRequest(_Addressed):
    """The answering member lost the connection of generation ``gen``: please offer anew."""

    gen: int

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_gen(self.gen)

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return self._with_addressing({"type": "media.restart", "gen": self.gen})


@dataclass(frozen=True)
class MediaPrefs(_Addressed):
    """What the sender of this message wants to receive (video off: audio-only mode).

    A mesh sends it to every member it hears of, so that its incarnation is known at once.
    """

    video: bool

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.video, bool):
            raise TypeError("video must be true or false")

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return self._with_addressing({"type": "media.prefs", "video": self.video})


@dataclass(frozen=True)
class Candidate(_Addressed):
    """A trickled ICE candidate for generation ``gen`` (browsers send them one by one).

    ``candidate`` is the SDP attribute value (``candidate:...``); the empty string
    means the end of candidates. aiortc itself puts every candidate in its SDP.
    """

    gen: int
    candidate: str
    sdp_mid: str | None = None
    sdp_mline_index: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_gen(self.gen)
        if not isinstance(self.candidate, str) or len(self.candidate) > 1024:
            raise ValueError("candidate must be a string of at most 1024 characters")
        if self.candidate and not self.candidate.startswith("candidate:"):
            raise ValueError("candidate must start with 'candidate:'")
        if self.sdp_mid is not None and not isinstance(self.sdp_mid, str):
            raise TypeError("sdpMid must be a string")
        index = self.sdp_mline_index
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError("sdpMLineIndex must be an integer")
        if self.candidate and self.sdp_mid is None and index is None:
            raise ValueError("a candidate needs sdpMid or sdpMLineIndex")

    @property
    def end_of_candidates(self) -> bool:
        """Whether this marks the end of the remote candidates."""
        return not self.candidate

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return self._with_addressing(
            {
                "type": "media.candidate",
                "gen": self.gen,
                "candidate": self.candidate,
                "sdpMid": self.sdp_mid,
                "sdpMLineIndex": self.sdp_mline_index,
            }
        )


Signal = Offer | Answer | RestartRequest | MediaPrefs | Candidate


def _check_gen(gen: int) -> None:
    if isinstance(gen, bool) or not isinstance(gen, int) or gen < 0:
        raise ValueError(f"gen must be a non-negative integer, got {gen!r}")


def parse_signal(payload: Mapping[str, Any], sender: str = "?") -> Signal:
    """The message in ``payload``; raises :class:`MediaSignalError` if it is not one."""
    try:
        return _parse(payload)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise MediaSignalError(member=sender, reason=str(exc)) from exc


def _parse(payload: Mapping[str, Any]) -> Signal:
    kind = payload.get("type")
    # Absent (or null): a sender that predates incarnations, as a v1 payload without them.
    addressing = {
        "incarnation": payload.get("incarnation"),
        "to_incarnation": payload.get("to_incarnation"),
    }
    if kind == "media.offer":
        return Offer(payload["gen"], _text(payload["sdp"]), **addressing)
    if kind == "media.answer":
        return Answer(payload["gen"], _text(payload["sdp"]), **addressing)
    if kind == "media.restart":
        return RestartRequest(payload["gen"], **addressing)
    if kind == "media.candidate":
        return Candidate(
            payload["gen"],
            payload["candidate"],
            payload.get("sdpMid"),
            payload.get("sdpMLineIndex"),
            **addressing,
        )
    if kind == "media.prefs":
        return MediaPrefs(payload["video"], **addressing)
    raise ValueError(f"unknown message type {kind!r}")


def is_media_signal(payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` is meant for the mesh (its type starts with ``media.``)."""
    kind = payload.get("type")
    return isinstance(kind, str) and kind.startswith("media.")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("sdp must be a string")
    return value
