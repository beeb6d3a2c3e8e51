"""The journal as an audit trail: time, session, sequence, kind and ids; never content.

Journal payloads are meant to hold ids only, but this module does not trust
that: a field is shown only when its name is a plain identifier and its value
is a number, a boolean, nothing (null), a date, a seat id (the server's random
12-hex id, which is how the turn manager names members and actors), or one of
the known values of a known field (a reason, an order, a role, a modality, a
checklist id). Anything
else is *withheld*: the reader is told a field was there, never what it held,
so a future payload that carries text cannot leak through ``log events``.

Times are UTC, written ISO 8601 with ``Z``: the same on every administrator's
computer, and the way the journal stores them.

Reads only (its own SELECTs on the journal); the write path is journal.py's.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, get_args

from groupdesk.core.i18n import tr
from groupdesk.core.journal_kinds import EXPORT_FORMATS, EXPORTED
from groupdesk.core.models import Modality
from groupdesk.core.protocol import LEFT_REASONS, QUEUE_ORDERS, ROLES
from groupdesk.core.session.rounds import ROUND_ORDERS
from groupdesk.core.session.turn_events import FloorEndedReason, HandLoweredReason
from groupdesk.sessionlog.errors import SessionLogError

#: What the text and JSON outputs put where a value is not shown.
WITHHELD = "withheld"

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39}){0,4}")
_SEAT = re.compile(r"[0-9a-f]{12}")  # the server's random seat id (core/protocol.py): no text
_POLICY_ID = re.compile(r"[a-z0-9_]{1,64}")  # a checklist or checklist item id
_ISO_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # [0-9], not \d: ASCII digits only
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)

#: Fields whose value is one of a closed set.
_ENUMS: Mapping[str, frozenset[str]] = {
    "modality": frozenset(m.value for m in Modality),
    "reason": frozenset((*LEFT_REASONS, *get_args(HandLoweredReason), *get_args(FloorEndedReason))),
    "order": frozenset((*QUEUE_ORDERS, *ROUND_ORDERS)),
    "role": frozenset(ROLES),
    "what": frozenset(EXPORTED),
    "format": frozenset(EXPORT_FORMATS),
}
#: Fields that hold ids of the organisation's policy (checklists and their items).
_POLICY_ID_FIELDS = frozenset({"checklist", "unchecked", "items"})

Scalar = bool | int | float | str | None
Shown = Scalar | list[Scalar]


class NoSessionYet(SessionLogError):  # noqa: N818 -- named like the other conditions
    """``--session last`` but no session has a journal entry yet."""

    key = "log.events.no_session"


class UnknownSession(SessionLogError):  # noqa: N818 -- named like the other conditions
    """No session with this id, neither planned nor in the journal."""

    key = "log.events.unknown_session"


def _text_shown(name: str, value: str) -> bool:
    """A text value is shown only when it is a known value, a seat id, a policy id or a date."""
    if name in _ENUMS:
        return value in _ENUMS[name]
    return bool(
        _SEAT.fullmatch(value)
        or (name in _POLICY_ID_FIELDS and _POLICY_ID.fullmatch(value))
        or _ISO_TIME.fullmatch(value)
    )


def _shown_scalar(name: str, value: Any) -> tuple[bool, Scalar]:
    """(True, value) when ``value`` may be shown as the field ``name``; else (False, None)."""
    if value is None or isinstance(value, bool | int):
        ok = True
    elif isinstance(value, float):
        ok = math.isfinite(value)
    elif isinstance(value, str):
        ok = _text_shown(name, value)
    else:
        ok = False
    return (True, value) if ok else (False, None)


def shown_value(name: str, value: Any) -> tuple[bool, Shown]:
    """Whether the field ``name`` with ``value`` may be printed, and what to print."""
    if isinstance(value, list | tuple):
        items: list[Scalar] = []
        for item in value:
            ok, shown = _shown_scalar(name, item)
            if not ok:
                return False, None
            items.append(shown)
        return True, items
    return _shown_scalar(name, value)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One journal entry as an administrator may see it."""

    seq: int
    session_id: int | None
    ts: datetime
    kind: str | None  # None: withheld (not shaped like a kind)
    fields: Mapping[str, Shown]
    withheld: tuple[str, ...]  # fields present but not shown
    withheld_unnamed: int  # fields whose very name is not a plain identifier
    purged: bool  # retention removed the payload (the chain still holds its digest)

    @classmethod
    def from_row(
        cls, seq: int, session_id: int | None, ts: str, kind: str, payload: str | None
    ) -> AuditEvent:
        """Build from a journal row, keeping only what may be shown."""
        fields: dict[str, Shown] = {}
        withheld: list[str] = []
        unnamed = 0
        data = None if payload is None else json.loads(payload)
        if isinstance(data, dict):
            for name in sorted(data):
                if not _FIELD_NAME.fullmatch(name):
                    unnamed += 1
                    continue
                ok, shown = shown_value(name, data[name])
                if ok:
                    fields[name] = shown
                else:
                    withheld.append(name)
        elif data is not None:
            unnamed += 1
        return cls(
            seq=int(seq),
            session_id=None if session_id is None else int(session_id),
            ts=datetime.fromisoformat(ts).astimezone(UTC),
            kind=kind if _KIND.fullmatch(kind) else None,
            fields=fields,
            withheld=tuple(withheld),
            withheld_unnamed=unnamed,
            purged=payload is None,
        )

    def utc_time(self, *, precise: bool = False) -> str:
        """The time in UTC, ISO 8601 with Z (to the second, or to the microsecond)."""
        spec = "microseconds" if precise else "seconds"
        return self.ts.astimezone(UTC).replace(tzinfo=None).isoformat(timespec=spec) + "Z"

    def text(self) -> str:
        """One line for a person, in the current language."""
        session = "-" if self.session_id is None else str(self.session_id)
        parts = [
            self.utc_time(),
            tr("log.events.session", id=session),
            f"#{self.seq}",
            self.kind if self.kind is not None else tr("log.events.kind_withheld"),
        ]
        parts += [f"{name}={_text_value(value)}" for name, value in self.fields.items()]
        word = tr("log.events.withheld")
        parts += [f"{name}={word}" for name in self.withheld]
        if self.withheld_unnamed:
            parts.append(tr("log.events.unnamed_withheld", count=self.withheld_unnamed))
        if self.purged:
            parts.append(tr("log.events.purged"))
        return "  ".join(parts)

    def json(self) -> str:
        """One JSON object (a line of JSON Lines), keys in English, for tools."""
        return json.dumps(
            {
                "record": "event",
                "ts": self.utc_time(precise=True),
                "session": self.session_id,
                "seq": self.seq,
                "kind": self.kind if self.kind is not None else WITHHELD,
                "fields": dict(self.fields),
                "withheld": list(self.withheld),
                "withheld_unnamed": self.withheld_unnamed,
                "purged": self.purged,
            },
            ensure_ascii=False,
            sort_keys=False,
        )


def _text_value(value: Shown) -> str:
    if isinstance(value, list):
        return "[" + ",".join(_text_value(item) for item in value) + "]"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def last_session(conn: Any) -> int:
    """The session of the newest journal entry that belongs to a session."""
    row = conn.execute(
        "SELECT session_id FROM journal WHERE session_id IS NOT NULL ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise NoSessionYet()
    return int(row[0])


def check_session(conn: Any, session_id: int) -> None:
    """Raise UnknownSession unless the session is planned or has journal entries
    (a session removed by retention keeps its entries, without their content)."""
    planned = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
    journalled = conn.execute(
        "SELECT 1 FROM journal WHERE session_id = ? LIMIT 1", (session_id,)
    ).fetchone()
    if planned is None and journalled is None:
        raise UnknownSession(id=session_id)


def since_text(day: date) -> str:
    """The journal's stored form of midnight UTC on ``day``, for comparing with ``ts``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat(timespec="microseconds")


def audit_events(
    conn: Any, session_id: int | None = None, since: date | None = None
) -> Iterator[AuditEvent]:
    """The entries of one session (every entry with None), from ``since`` (UTC), in order.

    Read in batches, so the whole journal is never held in memory at once.
    """
    where: list[str] = []
    params: list[Any] = []
    if session_id is not None:
        where.append("session_id = ?")
        params.append(session_id)
    if since is not None:
        where.append("ts >= ?")
        params.append(since_text(since))
    sql = "SELECT seq, session_id, ts, kind, payload FROM journal"
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = conn.execute(sql + " ORDER BY seq", tuple(params))
    while batch := cursor.fetchmany(500):
        for row in batch:
            yield AuditEvent.from_row(*row)


def chain_json(ok: bool, entries: int, problem: str | None) -> str:
    """The last JSON line: whether the journal's hash chain verifies."""
    record: dict[str, Any] = {"record": "chain", "verified": ok, "entries_checked": entries}
    if problem is not None:
        record["problem"] = problem
    return json.dumps(record, ensure_ascii=False)


__all__: Sequence[str] = (
    "WITHHELD",
    "AuditEvent",
    "NoSessionYet",
    "UnknownSession",
    "audit_events",
    "chain_json",
    "check_session",
    "last_session",
    "shown_value",
    "since_text",
)
