"""The notes a search finds, described for a list: group, member, date, excerpt.

``NoteFinder`` asks the session log (``SessionLog.search_note_hits``, its FTS5 index)
and reads, once each, the names of the groups and members and the sessions the notes
belong to. No widget: the search dialog shows what it returns, tests call it directly.

Dates are the person's days (this computer's time zone, or the one given) while the log
filters by UTC days: the finder asks the log one day wider on each side and keeps the
notes whose session (or, without a session, the note itself) falls on the days chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from groupdesk.core.models import Group, Session
from groupdesk.sessionlog import SessionLog
from groupdesk.sessionlog.notes import NoteHit

#: The most notes one search lists (the newest first).
LIMIT = 100
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Which notes to search: one group's (``group_id``), one member's of it
    (``member_id``), those of sessions from ``since`` to ``until`` included (the person's
    days). None: no limit."""

    group_id: int | None = None
    member_id: int | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.member_id is not None and self.group_id is None:
            raise ValueError("a member is chosen within a group")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError("the first day comes after the last")

    @property
    def narrowed(self) -> bool:
        """True when some filter is set."""
        return any(v is not None for v in (self.group_id, self.since, self.until))


@dataclass(frozen=True, slots=True)
class FoundNote:
    """A note found, with what the list shows of it. ``member`` is None for a group
    note; ``when`` is its session's start (the note's own time when ``session`` is None)."""

    hit: NoteHit
    group: str
    member: str | None
    session: Session | None
    when: datetime


class NoteFinder:
    """Searches the notes through the log and describes what it finds; every failure of
    the log is raised to the caller (a ``GroupDeskError`` as a rule)."""

    def __init__(self, log: SessionLog, tz: tzinfo | None = None) -> None:
        self.log = log
        self.tz = tz
        self.groups: dict[int, Group] = {}
        self._members: dict[int, dict[int, str]] = {}  # group id -> member id -> name
        self._sessions: dict[int, Session] = {}

    async def load_groups(self) -> list[Group]:
        """Every group, archived ones too (their notes are searched as well)."""
        groups = await self.log.list_groups(include_archived=True)
        self.groups = {group.id: group for group in groups}
        return groups

    async def member_names(self, group_id: int) -> dict[int, str]:
        """The names of a group's members by id, archived members too (read once)."""
        if group_id not in self._members:
            members = await self.log.list_members(group_id, include_archived=True)
            self._members[group_id] = {m.id: m.display_name for m in members}
        return self._members[group_id]

    def known_member_names(self, group_id: int) -> dict[int, str]:
        """The names ``member_names`` read for the group (none yet: empty)."""
        return self._members.get(group_id, {})

    def day_of(self, moment: datetime) -> date:
        """The person's day of ``moment``."""
        return moment.astimezone(self.tz).date()

    async def find(self, query: str, filters: SearchFilters, limit: int = LIMIT) -> list[FoundNote]:
        """The notes with every word of ``query`` (accents optional), newest first."""
        hits = await self.log.search_note_hits(
            query,
            group_id=filters.group_id,
            member_id=filters.member_id,
            since=None if filters.since is None else filters.since - _DAY,
            until=None if filters.until is None else filters.until + _DAY,
            limit=limit,
        )
        found: list[FoundNote] = []
        for hit in hits:
            described = await self._describe(hit)
            day = self.day_of(described.when)
            if (filters.since is None or filters.since <= day) and (
                filters.until is None or day <= filters.until
            ):
                found.append(described)
        return found

    async def _describe(self, hit: NoteHit) -> FoundNote:
        note = hit.note
        if note.group_id not in self.groups:
            await self.load_groups()  # a group made since the dialog opened
        names = await self.member_names(note.group_id)
        session: Session | None = None
        if note.session_id is not None:
            if note.session_id not in self._sessions:
                self._sessions[note.session_id] = await self.log.get_session(note.session_id)
            session = self._sessions[note.session_id]
        when = (session.actual_start or session.planned_start) if session else note.created_at
        group = self.groups.get(note.group_id)
        return FoundNote(
            hit=hit,
            group=group.name if group is not None else "",
            member=None if note.member_id is None else names.get(note.member_id, ""),
            session=session,
            when=when if when is not None else datetime.now(self.tz),
        )
