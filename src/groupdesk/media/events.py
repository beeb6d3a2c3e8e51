"""What the mesh reports: typed events and a small observer (no Qt).

The UI (tiles, indicators) and the turn manager (talk time) subscribe to
:class:`EventStream` and dispatch on the event type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from groupdesk.core.session.room_state import PeerState
from groupdesk.media.quality import VideoProfile

__all__ = [
    "AudioLevel",
    "EventStream",
    "MediaEvent",
    "PeerState",
    "PeerStateChanged",
    "PeerStats",
    "QualityChanged",
    "VoiceActivity",
]

logger = logging.getLogger(__name__)

E = TypeVar("E")


class EventStream(Generic[E]):
    """Listeners subscribe; the model emits. A failing listener does not stop the others."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[E], None]] = []

    def subscribe(self, listener: Callable[[E], None]) -> Callable[[], None]:
        """Call ``listener`` for every event from now on; returns the unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: E) -> None:
        """Deliver ``event`` to every listener, in subscription order."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("media event listener failed on %r", event)


@dataclass(frozen=True)
class PeerStateChanged:
    """The connection to ``member_id`` changed state."""

    member_id: str
    state: PeerState


@dataclass(frozen=True)
class AudioLevel:
    """The audio level of a member (remote, or the local one), about ten times a second."""

    member_id: str
    level_dbfs: float
    speaking: bool
    at: float


@dataclass(frozen=True)
class VoiceActivity:
    """A member started or stopped speaking (after the detector's attack or hangover)."""

    member_id: str
    speaking: bool
    at: float


@dataclass(frozen=True)
class PeerStats:
    """Connection statistics for one remote member, every stats interval.

    ``rtt_s`` and ``loss`` are None until the first RTCP report arrives.
    ``fps`` is decoded video frames per second from that member; the bitrates
    are for the whole connection (audio + video + RTCP).
    """

    member_id: str
    rtt_s: float | None
    loss: float | None
    fps: float
    recv_bitrate: int
    send_bitrate: int
    bandwidth_estimate: int | None
    at: float


@dataclass(frozen=True)
class QualityChanged:
    """What the local member now sends: a video profile, or None for audio only."""

    profile: VideoProfile | None
    receive_video: bool


MediaEvent = PeerStateChanged | AudioLevel | VoiceActivity | PeerStats | QualityChanged
"""Every event the mesh emits."""
