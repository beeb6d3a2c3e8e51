"""How a call's link to one member is judged: its quality bars and when its video is frozen.

The same numbers for the desktop's tiles and the web page's (``protocol.js`` is generated
from this module by :mod:`groupdesk.server.web_protocol`).
"""

from __future__ import annotations

import math
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


ADVICE_SMOOTHING_S = 4.0
"""Time constant, in seconds, of the moving averages of loss and round trip the audio-only
suggestion reads: one reading moves them a little, a few seconds of them a lot."""
ADVICE_SHOW_LOSS = 0.05
"""Smoothed loss at or above which audio only is suggested. At 5 % the picture already
stutters (lost frames wait for a key frame) while Opus still carries speech well; the
former 8 % (the "poor" bars, per reading) was seldom reached for 10 s in a row even at
12 % nominal loss, one reading's loss scattering by several points."""
ADVICE_SHOW_RTT_S = 0.5
"""Smoothed round trip at or above which audio only is suggested (250 ms each way: where
people start to talk over each other)."""
ADVICE_SHOW_AFTER_S = 6.0
"""The smoothed figures stay at or above a show threshold this long before it shows."""
ADVICE_HIDE_AFTER_S = 15.0
"""Once shown, it hides only after the smoothed figures stayed under the "good" limits
(:data:`LOSS_GOOD_BELOW`, :data:`RTT_GOOD_BELOW_S`) this long: a fair reading or two
keeps it, it does not come and go."""


class AudioOnlyAdvice:
    """Whether to suggest audio only, reading after reading of the worst link's figures.

    Smoothed (exponential moving average over :data:`ADVICE_SMOOTHING_S`) with
    hysteresis: shown above one threshold, hidden below a lower one after a hold time.
    The page has the same rule (``state.js``: ``adviseAudioOnly``), tested on the same
    table of cases. Times are seconds on any monotonic clock (injected).
    """

    def __init__(self) -> None:
        self.shown = False
        self.loss: float | None = None
        """The smoothed loss (None before the first reading of it)."""
        self.rtt_s: float | None = None
        """The smoothed round trip (None before the first reading of it)."""
        self._at: float | None = None
        self._bad_since: float | None = None
        self._good_since: float | None = None

    def reading(self, now: float, loss: float | None, rtt_s: float | None) -> bool:
        """Take one reading (None: not measured this time); whether the advice shows."""
        weight = 1.0
        if self._at is not None:
            weight = 1.0 - math.exp(-max(0.0, now - self._at) / ADVICE_SMOOTHING_S)
        self._at = now
        self.loss = _smoothed(self.loss, loss, weight)
        self.rtt_s = _smoothed(self.rtt_s, rtt_s, weight)
        loss_now, rtt_now = self.loss or 0.0, self.rtt_s or 0.0
        if not self.shown:
            if loss_now >= ADVICE_SHOW_LOSS or rtt_now >= ADVICE_SHOW_RTT_S:
                self._bad_since = now if self._bad_since is None else self._bad_since
                if now - self._bad_since >= ADVICE_SHOW_AFTER_S:
                    self.shown, self._good_since = True, None
            else:
                self._bad_since = None
        elif loss_now < LOSS_GOOD_BELOW and rtt_now < RTT_GOOD_BELOW_S:
            self._good_since = now if self._good_since is None else self._good_since
            if now - self._good_since >= ADVICE_HIDE_AFTER_S:
                self.shown, self._bad_since = False, None
        else:
            self._good_since = None
        return self.shown


def _smoothed(average: float | None, value: float | None, weight: float) -> float | None:
    if value is None:
        return average
    if average is None:
        return value
    return average + weight * (value - average)
