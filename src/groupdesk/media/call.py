"""What the app and the bots hold of a call, whichever way its media travel.

A room's media go member to member (:class:`~groupdesk.media.mesh.Mesh`) or through
the organisation's media server (:class:`~groupdesk.media.sfu.SfuCall`), as
``Admitted.media`` says. The live screen and the bots use either through
:class:`MediaCall`; what differs between them is dispatched on :attr:`MediaCall.media`
with ``match`` and ``assert_never``, so a new kind of call is a type error wherever it
is not handled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from groupdesk.core.protocol import MediaMode
from groupdesk.core.security_code import RoomCode
from groupdesk.media.events import EventStream, MediaEvent
from groupdesk.media.peer import Peer
from groupdesk.media.quality import VideoProfile
from groupdesk.media.sources import VideoSource


class MediaCall(Protocol):
    """The local member's media in a live room (a mesh or an SFU call)."""

    @property
    def local_id(self) -> str:
        """Our member id."""
        ...

    @property
    def events(self) -> EventStream[MediaEvent]:
        """Connection states, audio levels, voice activity, statistics, quality sent."""
        ...

    @property
    def media(self) -> MediaMode:
        """How the media travel: ``mesh`` (end to end) or ``sfu`` (the media server)."""
        ...

    @property
    def peers(self) -> Mapping[str, Peer]:
        """The connection bringing each remote member's media, by member id."""
        ...

    @property
    def members(self) -> frozenset[str]:
        """The remote members signalling says are in the room."""
        ...

    @property
    def silent(self) -> frozenset[str]:
        """The remote members who send nothing at all (no camera, no microphone), so that
        no connection brings their media: connected all the same."""
        ...

    @property
    def send_video(self) -> bool:
        """Whether we send video."""
        ...

    @property
    def receive_video(self) -> bool:
        """Whether we take the others' video."""
        ...

    @property
    def blocked(self) -> frozenset[str]:
        """The members whose media we leave alone (a side room)."""
        ...

    @property
    def profile(self) -> VideoProfile | None:
        """The video profile being sent, or None."""
        ...

    def security_code(self) -> RoomCode | None:
        """The room's security code as we see it; None when it means nothing (SFU)."""
        ...

    def start(self) -> None:
        """Start background work (levels, statistics, watchdog)."""
        ...

    async def member_joined(self, member_id: str) -> None:
        """``member_id`` is in the room."""
        ...

    async def member_left(self, member_id: str) -> None:
        """``member_id`` left the room."""
        ...

    def set_send_video(self, enabled: bool) -> None:
        """Send video, or audio only."""
        ...

    def set_blocked(self, member_ids: Iterable[str]) -> None:
        """The members whose media we leave alone from now on."""
        ...

    async def set_receive_video(self, enabled: bool) -> None:
        """Take the others' video, or audio only."""
        ...

    @property
    def can_share(self) -> bool:
        """Whether this call can carry a share (a mesh on a second video track; an SFU
        call as a second publication to the media server)."""
        ...

    @property
    def sharing(self) -> bool:
        """Whether we share something now."""
        ...

    async def set_share(self, source: VideoSource | None) -> None:
        """Share ``source`` with everyone (None: stop); only where :attr:`can_share`."""
        ...

    def check_receiving(self) -> None:
        """Run the receive watchdog once."""
        ...

    async def close(self) -> None:
        """Hang up."""
        ...
