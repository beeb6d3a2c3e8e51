"""A document to export for the record: what it says, not how it looks on paper.

A session record, a note or a member's history is built as a ``Document`` (a title,
the language it is written in, who wrote it, for which organisation, the journal's
anchor at export, and an ordered list of blocks) and handed to a renderer
(``groupdesk.ui.records.pdf``). Every text here is plain text: a note that contains
``<b>`` or ``&`` must print those characters, so escaping is the renderer's job and no
markup is ever accepted from a block. Pure: no Qt, no files.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from groupdesk.core.i18n import LANGUAGES

MAX_LINE = 500
MAX_TEXT = 100_000
MAX_CELL = 10_000
MAX_HEADING_LEVEL = 3

# Control characters have no place in a printed record; a paragraph keeps its line
# breaks (\n, or \r\n from a Windows text field) and tabs, a one-line field (a title,
# a label) keeps none of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\t\u2028\u2029]")
_HASH_HEX = re.compile(r"[0-9a-f]{64}")


def _check_text(name: str, value: object, *, limit: int, one_line: bool) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")  # noqa: TRY004 -- ValueError is the contract
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    if _CONTROL.search(value):
        raise ValueError(f"{name} holds a control character")
    if one_line and _LINE_BREAK.search(value):
        raise ValueError(f"{name} must be one line")
    return value


def _tuple_of_text(name: str, values: object, *, limit: int) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValueError(f"{name} must be a sequence of texts")  # noqa: TRY004
    return tuple(
        _check_text(f"{name}[{i}]", v, limit=limit, one_line=False) for i, v in enumerate(values)
    )


class Paper(enum.StrEnum):
    """The sheet a record is laid out on.

    Letter is the default: GroupDesk's practitioners work in Québec and the rest of
    Canada, where the office printer holds Letter (8.5 x 11 in) even though the
    country is otherwise metric. A4 is there for an organisation elsewhere.
    """

    LETTER = "letter"
    A4 = "a4"


@dataclass(frozen=True, slots=True)
class Heading:
    """A section title; level 1 is the largest."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise ValueError(f"a heading's level must be an integer, got {self.level!r}")  # noqa: TRY004
        if not 1 <= self.level <= MAX_HEADING_LEVEL:
            raise ValueError(f"a heading's level must be 1 to {MAX_HEADING_LEVEL}")
        _check_text("a heading", self.text, limit=MAX_LINE, one_line=True)
        if not self.text.strip():
            raise ValueError("a heading must not be empty")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text; its line breaks are kept as written."""

    text: str

    def __post_init__(self) -> None:
        _check_text("a paragraph", self.text, limit=MAX_TEXT, one_line=False)


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled values, printed as a two-column table (label, value)."""

    rows: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        if isinstance(self.rows, str) or not isinstance(self.rows, Sequence):
            raise ValueError("facts must be a sequence of (label, value) pairs")  # noqa: TRY004
        rows: list[tuple[str, str]] = []
        for i, row in enumerate(self.rows):
            if isinstance(row, str) or not isinstance(row, Sequence) or len(row) != 2:
                raise ValueError(f"fact {i} must be a (label, value) pair")
            label = _check_text(f"fact {i}'s label", row[0], limit=MAX_LINE, one_line=True)
            if not label.strip():
                raise ValueError(f"fact {i}'s label must not be empty")
            value = _check_text(f"fact {i}'s value", row[1], limit=MAX_CELL, one_line=False)
            rows.append((label, value))
        if not rows:
            raise ValueError("facts must hold at least one row")
        object.__setattr__(self, "rows", tuple(rows))


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; every row has as many cells as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        header = _tuple_of_text("a table's header", self.header, limit=MAX_LINE)
        if not header:
            raise ValueError("a table needs at least one column")
        if isinstance(self.rows, str) or not isinstance(self.rows, Sequence):
            raise ValueError("a table's rows must be a sequence of rows")  # noqa: TRY004
        rows = tuple(
            _tuple_of_text(f"table row {i}", row, limit=MAX_CELL) for i, row in enumerate(self.rows)
        )
        for i, row in enumerate(rows):
            if len(row) != len(header):
                raise ValueError(
                    f"table row {i} has {len(row)} cells, the header has {len(header)}"
                )
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True, slots=True)
class PageBreak:
    """What follows starts on a new page."""


Block = Heading | Paragraph | Facts | Table | PageBreak
_BLOCK_TYPES = (Heading, Paragraph, Facts, Table, PageBreak)


@dataclass(frozen=True, slots=True)
class JournalAnchor:
    """The journal's head at export (sequence number and SHA-256 hash, hex): printed on
    every page so that a paper copy can later be checked against the log."""

    seq: int
    hash_hex: str

    def __post_init__(self) -> None:
        if isinstance(self.seq, bool) or not isinstance(self.seq, int) or self.seq < 0:
            raise ValueError(f"the journal's sequence number must be 0 or more, got {self.seq!r}")
        if not isinstance(self.hash_hex, str) or not _HASH_HEX.fullmatch(self.hash_hex):
            raise ValueError("the journal's hash must be 64 lowercase hexadecimal digits")


@dataclass(frozen=True, slots=True)
class Document:
    """A record to export: its title, language, authors, anchor, export time and blocks.

    ``practitioner`` and ``organisation`` may be empty (no name set, no organisation
    in the policy): the page header then shows what there is.
    """

    title: str
    language: str
    practitioner: str
    organisation: str
    anchor: JournalAnchor
    exported_at: datetime
    blocks: tuple[Block, ...] = field(default=())
    paper: Paper = Paper.LETTER

    def __post_init__(self) -> None:
        _check_text("the title", self.title, limit=MAX_LINE, one_line=True)
        if not self.title.strip():
            raise ValueError("the title must not be empty")
        if self.language not in LANGUAGES:
            raise ValueError(f"the language must be one of {LANGUAGES}, got {self.language!r}")
        _check_text("the practitioner's name", self.practitioner, limit=MAX_LINE, one_line=True)
        _check_text("the organisation's name", self.organisation, limit=MAX_LINE, one_line=True)
        if not isinstance(self.anchor, JournalAnchor):
            raise ValueError("the anchor must be a JournalAnchor")  # noqa: TRY004
        if not isinstance(self.exported_at, datetime):
            raise ValueError("the export time must be a datetime")  # noqa: TRY004
        if self.exported_at.tzinfo is None or self.exported_at.utcoffset() is None:
            raise ValueError("the export time must carry a timezone")
        if isinstance(self.blocks, str) or not isinstance(self.blocks, Sequence):
            raise ValueError("the blocks must be a sequence")  # noqa: TRY004
        for i, block in enumerate(self.blocks):
            if not isinstance(block, _BLOCK_TYPES):
                raise ValueError(f"block {i} is a {type(block).__name__}, not a block")  # noqa: TRY004
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "paper", Paper(self.paper))
