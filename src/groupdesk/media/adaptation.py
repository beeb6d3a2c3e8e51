"""What the fan-out should send: group size, then receiver reports, then this machine's load."""

from __future__ import annotations

import time
from collections.abc import Mapping

from groupdesk.media.fanout import VideoFanout
from groupdesk.media.peer import Peer
from groupdesk.media.quality import (
    LadderController,
    LinkReport,
    VideoProfile,
    profile_for_group,
)


class SendAdaptation:
    """Chooses the video profile of the shared encoder, poll after poll."""

    def __init__(
        self,
        fanout: VideoFanout,
        ladder: LadderController | None = None,
        *,
        adapt_to_bandwidth: bool = True,
    ) -> None:
        self.fanout = fanout
        self.ladder = ladder or LadderController()
        self.adapt_to_bandwidth = adapt_to_bandwidth
        self._links: dict[str, LinkReport] = {}
        self._sent_mark: tuple[float, int] | None = None
        self._overflows_seen: dict[int, int] = {}

    def report(self, member_id: str, link: LinkReport | None) -> None:
        """The latest report on the link to ``member_id`` (None: it takes no video from us)."""
        if link is None:
            self._links.pop(member_id, None)
        else:
            self._links[member_id] = link

    def decide(
        self,
        peers: Mapping[str, Peer],
        group_size: int,
        *,
        send_video: bool,
        group_changed: bool,
    ) -> VideoProfile | None:
        """The profile to send now; None for audio only."""
        if not send_video:
            return None
        if not self.adapt_to_bandwidth:
            return profile_for_group(group_size)
        now = time.monotonic()
        if group_changed:
            return self.ladder.update(group_size, None, [], now)
        links = [self._links[m] for m in peers if m in self._links]
        return self.ladder.update(
            group_size, self._sent_video_bps(), links, now, overloaded=self._overloaded(peers)
        )

    def _sent_video_bps(self) -> int | None:
        """What the shared encoder actually produced since the last call, in bits/s."""
        if not self.fanout.encode_once:
            return None
        now, total = time.monotonic(), self.fanout.bytes_encoded
        mark, self._sent_mark = self._sent_mark, (now, total)
        if mark is None or now - mark[0] <= 0:
            return None
        return int(8 * (total - mark[1]) / (now - mark[0]))

    def _overloaded(self, peers: Mapping[str, Peer]) -> bool:
        """Whether a connected peer's send queue overflowed since the last look.

        Only connected peers count: the queue of a peer whose path just failed fills
        up too, and that says nothing about this machine.
        """
        seen, self._overflows_seen = self._overflows_seen, {}
        overloaded = False
        for peer in peers.values():
            track = peer.video_track
            if track is None or peer.pc.connectionState != "connected":
                continue
            self._overflows_seen[id(track)] = track.overflows
            overloaded |= track.overflows > seen.get(id(track), track.overflows)
        return overloaded
