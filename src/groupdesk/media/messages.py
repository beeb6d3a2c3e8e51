"""The mesh's negotiation messages: validated value objects, parsed once at the edge.

They travel as JSON objects in the signalling channel's payloads, from one member
to one other; the signalling server relays them without reading them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from groupdesk.core.errors import GroupDeskError


class MediaSignalError(GroupDeskError):
    """A negotiation message that cannot be read."""

    key = "media.error.bad_signal"


@dataclass(frozen=True)
class Offer:
    """A session offer from the member with the smaller id; ``gen`` counts restarts."""

    gen: int
    sdp: str

    def __post_init__(self) -> None:
        _check_gen(self.gen)
        if not self.sdp.startswith("v=0"):
            raise ValueError("sdp must be an SDP session description")

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return {"type": "media.offer", "gen": self.gen, "sdp": self.sdp}


@dataclass(frozen=True)
class Answer:
    """The answer to the offer of generation ``gen``."""

    gen: int
    sdp: str

    def __post_init__(self) -> None:
        _check_gen(self.gen)
        if not self.sdp.startswith("v=0"):
            raise ValueError("sdp must be an SDP session description")

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return {"type": "media.answer", "gen": self.gen, "sdp": self.sdp}


@dataclass(frozen=True)
class RestartRequest:
    """The answering member lost the connection of generation ``gen``: please offer anew."""

    gen: int

    def __post_init__(self) -> None:
        _check_gen(self.gen)

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return {"type": "media.restart", "gen": self.gen}


@dataclass(frozen=True)
class MediaPrefs:
    """What the sender of this message wants to receive (video off: audio-only mode)."""

    video: bool

    def to_payload(self) -> dict[str, Any]:
        """The JSON object sent through signalling."""
        return {"type": "media.prefs", "video": self.video}


@dataclass(frozen=True)
class Candidate:
    """A trickled ICE candidate for generation ``gen`` (browsers send them one by one).

    ``candidate`` is the SDP attribute value (``candidate:...``); the empty string
    means the end of candidates. aiortc itself puts every candidate in its SDP.
    """

    gen: int
    candidate: str
    sdp_mid: str | None = None
    sdp_mline_index: int | None = None

    def __post_init__(self) -> None:
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
        return {
            "type": "media.candidate",
            "gen": self.gen,
            "candidate": self.candidate,
            "sdpMid": self.sdp_mid,
            "sdpMLineIndex": self.sdp_mline_index,
        }


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
    if kind == "media.offer":
        return Offer(payload["gen"], _text(payload["sdp"]))
    if kind == "media.answer":
        return Answer(payload["gen"], _text(payload["sdp"]))
    if kind == "media.restart":
        return RestartRequest(payload["gen"])
    if kind == "media.candidate":
        return Candidate(
            payload["gen"],
            payload["candidate"],
            payload.get("sdpMid"),
            payload.get("sdpMLineIndex"),
        )
    if kind == "media.prefs":
        video = payload["video"]
        if not isinstance(video, bool):
            raise TypeError("video must be true or false")
        return MediaPrefs(video)
    raise ValueError(f"unknown message type {kind!r}")


def is_media_signal(payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` is meant for the mesh (its type starts with ``media.``)."""
    kind = payload.get("type")
    return isinstance(kind, str) and kind.startswith("media.")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("sdp must be a string")
    return value
