"""How much video to send: a resolution and bitrate ladder by group size and bandwidth."""

from __future__ import annotations

from collections.abc import Sequence
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
class UplinkReading:
    """What our uplink carries, as the mesh's connections measure it (``uplink`` reports):
    ``kbps`` summed over ``streams``; ``limited``: at most that (congestion, or the ladder
    had to step down), else only what we sent (simple content undershoots its target)."""

    kbps: int
    streams: int
    limited: bool


def uplink_reading(
    links: Sequence[tuple[int | None, int]], *, stepped_down: bool
) -> UplinkReading | None:
    """Our uplink from each connected peer's ``(bandwidth estimate, what we send it)``, in
    bit/s (the receivers' REMB estimates, summed: they share our uplink); ``stepped_down``:
    the ladder sends less than the group's profile (congestion, or this machine could not
    keep up). None without any estimate yet."""
    known = [(estimate, sent) for estimate, sent in links if estimate is not None]
    if not known:
        return None
    congested = all(estimate < LadderController.ESTIMATE_MARGIN * sent for estimate, sent in known)
    kbps = sum(estimate for estimate, _ in known) // 1000
    return UplinkReading(kbps, len(known), stepped_down or congested)


def below_group_profile(profile: VideoProfile | None, group_size: int) -> bool:
    """Whether ``profile`` (None: audio only) is below what a group of ``group_size`` gets."""
    return profile is None or profile.bitrate < profile_for_group(group_size).bitrate


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

    Back up, with hysteresis rather than flicker (issue 14):

    - *clean* readings (loss under 2 %, no congestion) for ``up_hold_s`` in a row climb
      one rung every ``up_hold_s``: from audio only to the top in 4 steps, 8 s with the
      defaults (it took 25-45 s). One reading that is not clean starts the count again,
      so readings that alternate never climb -- nor step down, unless they are congested;
    - readings between (loss 2-10 %: not clean, not congested) hold the rung; after
      ``calm_up_hold_s`` of them (``audio_only_retry_s`` from audio only) one rung is
      tried anyway;
    - a climb undone by congestion within ``probe_window_s`` was a failed probe: the next
      climb waits twice as long (up to ``max_up_hold_s``), so a link that cannot carry the
      rung above is not tried every few seconds; a rung held calm for ``probe_window_s``
      brings the wait back to ``up_hold_s``.
    """

    LOSS_LIMIT = 0.10
    CLEAN_LOSS_BELOW = 0.02
    """Under this loss (the "good" bars' limit, :mod:`groupdesk.core.call_quality`) a
    reading is clean: between it and :attr:`LOSS_LIMIT` the ladder holds still."""
    ESTIMATE_MARGIN = 0.8

    def __init__(
        self,
        *,
        allow_audio_only: bool = True,
        down_hold_s: float = 4.0,
        up_hold_s: float = 2.0,
        calm_up_hold_s: float = 12.0,
        audio_only_retry_s: float = 30.0,
        probe_window_s: float = 10.0,
        max_up_hold_s: float = 32.0,
    ) -> None:
        self.allow_audio_only = allow_audio_only
        self.down_hold_s = down_hold_s
        self.base_up_hold_s = up_hold_s
        self.up_hold_s = up_hold_s
        """The wait before the next clean climb (doubled by each failed probe)."""
        self.calm_up_hold_s = calm_up_hold_s
        self.audio_only_retry_s = audio_only_retry_s
        self.probe_window_s = probe_window_s
        self.max_up_hold_s = max_up_hold_s
        self._rung = 0
        self._audio_only = False
        self._last_change = -1e9
        self._last_climb: float | None = None
        self._clean_since: float | None = None
        self._calm_since: float | None = None

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

    def clean(self, links: list[LinkReport]) -> bool:
        """Whether every receiver reports (almost) no loss (not counting congestion)."""
        return all(link.loss is None or link.loss < self.CLEAN_LOSS_BELOW for link in links)

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
        self._rung = max(self._rung, best)
        congested = overloaded or self.congested(sent_bps, links)
        clean = not congested and self.clean(links)
        if congested:
            self._clean_since = self._calm_since = None
        else:
            self._calm_since = now if self._calm_since is None else self._calm_since
            if not clean:
                self._clean_since = None
            elif self._clean_since is None:
                self._clean_since = now
        held = now - self._last_change
        if congested:
            if held >= self.down_hold_s:
                self._step_down(now)
        elif self._audio_only or self._rung > best:
            if held >= self.probe_window_s and not self._audio_only:
                self.up_hold_s = self.base_up_hold_s  # this rung held: probes succeed again
            if self._may_climb(now, held):
                self._step_up(now)
        self._rung = max(self._rung, best)
        return None if self._audio_only else LADDER[self._rung]

    def _may_climb(self, now: float, held: float) -> bool:
        if self._clean_since is not None:
            clean_for = now - self._clean_since
            if clean_for >= self.up_hold_s and held >= self.up_hold_s:
                return True
        calm_hold = self.audio_only_retry_s if self._audio_only else self.calm_up_hold_s
        if self._calm_since is None:
            return False
        return now - self._calm_since >= calm_hold and held >= calm_hold

    def _step_down(self, now: float) -> None:
        if self._last_climb is not None and now - self._last_climb <= self.probe_window_s:
            self.up_hold_s = min(self.max_up_hold_s, 2 * self.up_hold_s)  # a failed probe
        self._last_climb = None
        if self._rung < len(LADDER) - 1:
            self._rung += 1
            self._last_change = now
        elif self.allow_audio_only and not self._audio_only:
            self._audio_only = True
            self._last_change = now

    def _step_up(self, now: float) -> None:
        if self._audio_only:
            self._audio_only = False
            self._rung = len(LADDER) - 1
        else:
            self._rung -= 1
        self._last_change = self._last_climb = now
