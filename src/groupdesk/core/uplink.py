"""``media_mode`` auto's second half: a room that opened as a mesh goes through the media
server when one of its members' uplink is too poor for the mesh. No I/O.

A mesh asks each member to upload one stream per other member. Clients report what
their uplink carries (``uplink`` messages, every :data:`REPORT_EVERY_S` seconds): the
sum, over the streams they send, of the bandwidth their connections estimate, and
whether that figure is a ceiling (``limited``: a bandwidth estimate, or congestion
that already pushed the picture down) or only what was sent (a static picture sends
little on any link). :class:`UplinkWatch` keeps one room's reports and decides, once,
that the room switches: when one member's reports say for :attr:`UplinkRule.poor_reports`
reports in a row that their uplink cannot give each stream :attr:`UplinkRule.floor_kbps`.
It never switches back (no flicker), and refuses reports that come too fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

REPORT_EVERY_S = 5.0
"""How often a client in a watched mesh room reports its uplink."""

FLOOR_KBPS = 300
"""What one stream of the mesh needs at least (the ladder's 270p rung is 400 kbit/s)."""

SwitchReason = Literal["uplink"]
"""Why a room left the mesh while open (the journal says it; never whose uplink)."""


@dataclass(frozen=True)
class UplinkRule:
    """When a member's uplink is too poor for the mesh."""

    floor_kbps: int = FLOOR_KBPS
    """Per stream the member sends: below it, the stream is not worth watching."""
    poor_reports: int = 3
    """Reports in a row below the need (15 s at the clients' pace) before the switch."""
    min_interval_s: float = 2.5
    """A member's report sooner than this after their last one is refused (rate limit)."""

    def __post_init__(self) -> None:
        if self.floor_kbps < 1 or self.poor_reports < 1 or self.min_interval_s < 0:
            raise ValueError("the floor and the report count must be positive")


Verdict = Literal["keep", "switch", "too_soon"]
"""What one report changed: nothing; the room should switch now; or refused (too soon)."""


@dataclass
class UplinkWatch:
    """One mesh room's uplink reports; says ``switch`` once, never again."""

    rule: UplinkRule
    clock: Callable[[], float]
    """Seconds, monotonic (the server's clock; a test's)."""
    switched: bool = False
    """The room has been told to switch (or did): later reports change nothing."""
    _last: dict[str, float] = field(default_factory=dict)
    _poor: dict[str, int] = field(default_factory=dict)

    def need_kbps(self, streams: int) -> int:
        """What ``streams`` streams of the mesh need at least."""
        return streams * self.rule.floor_kbps

    def report(
        self, member: str, kbps: int, *, limited: bool, streams: int, others: int
    ) -> Verdict:
        """``member`` says its uplink carries ``kbps`` over ``streams`` streams (``limited``:
        at most that); ``others``: the other members seated now. ``too_soon``: refused,
        the member reports too often; ``switch``: the room should go through the media
        server now (said once)."""
        now = self.clock()
        last = self._last.get(member)
        if last is not None and now - last < self.rule.min_interval_s:
            return "too_soon"
        self._last[member] = now
        if self.switched:
            return "keep"
        streams = min(streams, others)
        poor = limited and streams > 0 and kbps < self.need_kbps(streams)
        count = self._poor.get(member, 0) + 1 if poor else 0
        self._poor[member] = count
        if count >= self.rule.poor_reports:
            self.switched = True
            return "switch"
        return "keep"

    def forget(self, member: str) -> None:
        """``member`` left: their reports no longer count."""
        self._last.pop(member, None)
        self._poor.pop(member, None)
