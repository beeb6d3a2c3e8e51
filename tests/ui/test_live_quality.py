"""A tile's quality bars follow the same rules as the web page's (core/call_quality)."""

from __future__ import annotations

import pytest

from groupdesk.media.events import PeerStats
from groupdesk.ui.live_members import Quality, quality_of


def _stats(loss: float | None, rtt_s: float | None) -> PeerStats:
    return PeerStats("0123456789ab", rtt_s, loss, 15.0, 500_000, 500_000, None, 0.0)


@pytest.mark.parametrize(
    ("loss", "rtt_s", "bars"),
    [
        (None, None, Quality.GOOD),  # no report yet: nothing says it is bad
        (0.01, 0.1, Quality.GOOD),
        (0.02, 0.1, Quality.FAIR),  # at a bound: the worse level, as on the page
        (0.05, 0.5, Quality.FAIR),
        (0.01, 0.6, Quality.POOR),
        (0.12, 0.05, Quality.POOR),
    ],
)
def test_bars_from_loss_and_round_trip(
    loss: float | None, rtt_s: float | None, bars: Quality
) -> None:
    assert quality_of(_stats(loss, rtt_s)) is bars
