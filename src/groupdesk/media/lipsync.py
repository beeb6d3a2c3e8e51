"""Lip sync: a member's audio held as long as their video is.

On a lossy network the video receiver holds frames back by a playout delay, so that a
retransmission comes in time (:mod:`groupdesk.media.recovery`: up to about a round
trip, 0.2-0.5 s at 5% loss and 100 ms each way). Audio has no such wait, so without
this module the voice came that much ahead of the lips. A viewer notices sound ahead of
the picture from about 45 ms (ITU-R BT.1359); a participant who is hard of hearing and
reads lips is the one it costs most. Chromium delays the audio to match
(RtpStreamsSynchronizer); so does :class:`LipSync`, by the same amount as the member's
video is held now, capped at :data:`MAX_HOLD_S`.

When the video delay shrinks, the audio already scheduled stays in order; the frames
that come meanwhile are behind their time, and the quiet ones among them are dropped
until the audio has caught up (a quiet 20 ms is not missed; speech is never cut).
Pure: the caller gives the times (the event loop's clock) and plays each frame when
:meth:`LipSync.due` says.
"""

from __future__ import annotations

MAX_HOLD_S = 1.0
"""Audio is never held longer than this, whatever the video's delay."""

CATCH_UP_S = 0.04
"""A frame more than this behind its time (the video's delay shrank) is dropped if quiet."""

QUIET_DBFS = -50.0
"""At or below this level a frame is quiet: dropping it to catch up is not heard."""


class LipSync:
    """When to play each audio frame of one member, to match their video's delay."""

    def __init__(self, max_hold: float = MAX_HOLD_S) -> None:
        self._max_hold = max_hold
        self._last_due: float | None = None
        self.held = 0
        """Frames played later than they came (the video was held)."""
        self.dropped = 0
        """Quiet frames dropped to catch up after the video's delay shrank."""

    def due(self, arrived: float, video_delay: float, level_dbfs: float) -> float | None:
        """When to play a frame that ``arrived`` while the member's video is held by
        ``video_delay`` seconds; None: drop it (quiet, and the audio is behind)."""
        target = arrived + min(max(video_delay, 0.0), self._max_hold)
        last = self._last_due
        if last is not None and target < last - CATCH_UP_S and level_dbfs <= QUIET_DBFS:
            self.dropped += 1
            return None
        due = target if last is None else max(target, last)
        self._last_due = due
        if due > arrived:
            self.held += 1
        return due
