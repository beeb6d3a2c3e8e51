"""How much video to send: a resolution and bitrate ladder by group size and bandwidth."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VideoProfile:
    """One rung of the ladder: the size, frame rate and target bitrate of sent video."""

    width: int
    height: int
    fps: int
    bitrate: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.width % 2 or self.height % 2:
            size = f"{self.width}x{self.height}"
            raise ValueError(f"width and height must be positive and even: {size}")
        if not 1 <= self.fps <= 60:
            raise ValueError(f"fps must be in 1..60, got {self.fps}")
        if self.bitrate < 50_000:
            raise ValueError(f"bitrate must be at least 50 kbit/s, got {self.bitrate}")

    @property
    def pixels(self) -> int:
        """Pixels per frame."""
        return self.width * self.height


LADDER: tuple[VideoProfile, ...] = (
    VideoProfile(640, 360, 24, 600_000),
    VideoProfile(480, 270, 20, 400_000),
    VideoProfile(320, 180, 15, 250_000),
    VideoProfile(240, 136, 12, 150_000),
)
"""From best to leanest."""


def profile_for_group(group_size: int) -> VideoProfile:
    """The best profile for a group of ``group_size`` members (the local one included)."""
    if group_size < 1:
        raise ValueError(f"group_size must be at least 1, got {group_size}")
    if group_size <= 3:
        return LADDER[0]
    if group_size <= 6:
        return LADDER[1]
    return LADDER[2]


@dataclass(frozen=True)
class LinkReport:
    """What one peer's connection says about the video we send it."""

    bandwidth_estimate: int | None
    loss: float | None


class LadderController:
    """Steps down the ladder on congestion, back up when it has passed; audio only at the bottom.

    Congestion is what the receivers report: a bandwidth estimate (REMB) below
    what we actually send, or packet loss above 10 %. A receiver's estimate on a
    healthy link tracks the rate it receives, so an estimate *below the target*
    alone is not congestion (simple content undershoots its target).
    The same encoded stream goes to every peer: the weakest link decides.
    """

    LOSS_LIMIT = 0.10
    ESTIMATE_MARGIN = 0.8

    def __init__(
        self,
        *,
        allow_audio_only: bool = True,
        down_hold_s: float = 4.0,
        up_hold_s: float = 12.0,
        audio_only_retry_s: float = 30.0,
    ) -> None:
        self.allow_audio_only = allow_audio_only
        self.down_hold_s = down_hold_s
        self.up_hold_s = up_hold_s
        self.audio_only_retry_s = audio_only_retry_s
        self._rung = 0
        self._audio_only = False
        self._last_change = -1e9

    def congested(self, sent_bps: int | None, links: list[LinkReport]) -> bool:
        """Whether any receiver reports congestion."""
        for link in links:
            if link.loss is not None and link.loss > self.LOSS_LIMIT:
                return True
            if (
                link.bandwidth_estimate is not None
                and sent_bps
                and link.bandwidth_estimate < self.ESTIMATE_MARGIN * sent_bps
            ):
                return True
        return False

    def update(
        self,
        group_size: int,
        sent_bps: int | None,
        links: list[LinkReport],
        now: float,
        *,
        overloaded: bool = False,
    ) -> VideoProfile | None:
        """The profile to send now (None: audio only, for want of bandwidth).

        ``overloaded``: this machine could not keep up (a peer's send queue overflowed);
        a smaller picture means fewer packets to handle, so it counts as congestion.
        """
        best = LADDER.index(profile_for_group(group_size))
        congested = overloaded or self.congested(sent_bps, links)
        held = now - self._last_change
        if self._audio_only:
            if held >= self.audio_only_retry_s:
                self._audio_only = False
                self._rung = len(LADDER) - 1
                self._last_change = now
        elif congested and held >= self.down_hold_s:
            if self._rung < len(LADDER) - 1:
                self._rung = max(self._rung, best) + 1
                self._last_change = now
            elif self.allow_audio_only:
                self._audio_only = True
                self._last_change = now
        elif not congested and held >= self.up_hold_s and self._rung > best:
            self._rung -= 1
            self._last_change = now
        self._rung = max(self._rung, best)
        return None if self._audio_only else LADDER[self._rung]
