"""What the live screen knows of each person: seats, lobby entries, chat lines. No Qt.

The records live in the room's core (:mod:`groupdesk.core.session.room_state`); this
module names them for the screens, and reads the media's statistics as quality bars.
"""

from __future__ import annotations

from groupdesk.core.session.room_state import (
    ChatLine,
    LiveMember,
    LiveProblem,
    Quality,
    Waiting,
    quality_from,
)
from groupdesk.media.events import PeerStats

__all__ = ["ChatLine", "LiveMember", "LiveProblem", "Quality", "Waiting", "quality_of"]


def quality_of(stats: PeerStats) -> Quality:
    """Bars from loss and round-trip time, by the rules the web page shares
    (:mod:`groupdesk.core.call_quality`)."""
    return quality_from(stats.loss, stats.rtt_s)
