"""How a call's link to one member is judged: its quality bars and when its video is frozen.

The same numbers for the desktop's tiles and the web page's (``protocol.js`` is generated
from this module by :mod:`groupdesk.server.web_protocol`).
"""

from __future__ import annotations

from typing import Literal

QualityLevel = Literal["good", "fair", "poor"]

LOSS_GOOD_BELOW = 0.02
"""Share of packets lost under which (with a short round trip) the link is good."""
LOSS_FAIR_BELOW = 0.08
"""Share of packets lost under which (with a round trip not too long) the link is fair."""
RTT_GOOD_BELOW_S = 0.3
"""Round-trip time, in seconds, under which (with little loss) the link is good."""
RTT_FAIR_BELOW_S = 0.6
"""Round-trip time, in seconds, under which (with some loss) the link is fair."""
FROZEN_AFTER_S = 3.0
"""A connected member whose video has not moved for this long is shown as frozen."""


def quality_level(loss: float, rtt_s: float) -> QualityLevel:
    """Good, fair or poor from the share of packets lost and the round-trip time."""
    if loss < LOSS_GOOD_BELOW and rtt_s < RTT_GOOD_BELOW_S:
        return "good"
    if loss < LOSS_FAIR_BELOW and rtt_s < RTT_FAIR_BELOW_S:
        return "fair"
    return "poor"
