"""The speaker's turn and its soft-limit timer, read from the clock on each query.

The limit is soft: at its end a :class:`TimeUp` is emitted and nothing is cut. The
gentle warning comes ``warn_before`` seconds before the end, but never earlier than
a fifth of the turn before it (a 60 s turn is warned at 48 s), and once per limit:
an extension or a new limit arms both again when their points are still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from groupdesk.core.session.turn_events import TimerWarning, TimeUp
from groupdesk.core.session.turn_views import TimerView

WARN_AT_MOST_FRACTION = 0.2
"""The warning never comes earlier than this fraction of the turn before its end."""


@dataclass
class Turn:
    """``member`` has the floor since ``started_at``, given by ``by``.

    ``base`` is the session's turn limit (``None``: no limit), passed on each call
    because a facilitator may change it during the turn.
    """

    member: str
    by: str
    started_at: float
    warn_before: float
    extension: float = 0.0
    warned: bool = False
    timed_up: bool = False

    def limit(self, base: float | None) -> float | None:
        """The turn's soft limit, extensions included."""
        return None if base is None else base + self.extension

    def _warn_at(self, limit: float) -> float:
        return limit - min(self.warn_before, WARN_AT_MOST_FRACTION * limit)

    def next_deadline(self, base: float | None) -> float | None:
        """When :meth:`due` next has something to say."""
        limit = self.limit(base)
        if limit is None:
            return None
        if not self.warned:
            return self.started_at + self._warn_at(limit)
        if not self.timed_up:
            return self.started_at + limit
        return None

    def rearm(self, base: float | None, now: float) -> None:
        """After the limit moved: warn and time out again if those points are ahead."""
        limit = self.limit(base)
        if limit is None:
            return
        elapsed = now - self.started_at
        if elapsed < self._warn_at(limit):
            self.warned = False
        if elapsed < limit:
            self.timed_up = False

    def due(self, base: float | None, now: float) -> list[TimerWarning | TimeUp]:
        """The warning or time-up due at ``now``, each once."""
        limit = self.limit(base)
        if limit is None:
            return []
        elapsed = now - self.started_at
        if elapsed >= limit:
            out: list[TimerWarning | TimeUp] = [] if self.timed_up else [TimeUp(self.member)]
            self.warned = self.timed_up = True  # a late tick does not warn after the fact
            return out
        if not self.warned and elapsed >= self._warn_at(limit):
            self.warned = True
            return [TimerWarning(self.member, limit - elapsed)]
        return []

    def view(self, base: float | None, now: float) -> TimerView:
        """The timer as shown at ``now``."""
        limit = self.limit(base)
        elapsed = max(0.0, now - self.started_at)
        return TimerView(
            member=self.member,
            started_at=self.started_at,
            elapsed=elapsed,
            limit=limit,
            extended=self.extension,
            remaining=None if limit is None else limit - elapsed,
            warning=limit is not None and elapsed >= self._warn_at(limit),
            over=limit is not None and elapsed >= limit,
        )
