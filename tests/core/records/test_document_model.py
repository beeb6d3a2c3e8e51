"""A document to export is plain, validated, frozen text: bad input is refused with a reason."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from groupdesk.core.records.document import (
    Document,
    Facts,
    Heading,
    JournalAnchor,
    PageBreak,
    Paper,
    Paragraph,
    Table,
)

ANCHOR = JournalAnchor(7, "0123456789abcdef" * 4)
AT = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)


def _document(**changes: Any) -> Document:
    fields: dict[str, Any] = {
        "title": "Session record",
        "language": "en",
        "practitioner": "Alex Tremblay",
        "organisation": "Clinique du Plateau",
        "anchor": ANCHOR,
        "exported_at": AT,
        "blocks": [Heading(1, "Attendance"), Paragraph("Line one\nline two")],
    }
    return Document(**(fields | changes))


def test_a_valid_document_keeps_its_blocks_in_order_and_frozen() -> None:
    blocks = [
        Heading(2, "Facts"),
        Facts([("Present", "5 of 6"), ("Length", "90 min")]),
        Table(["Member", "Arrived"], [["Ana", "18:02"], ["Luc", "18:05"]]),
        PageBreak(),
        Paragraph("<b>&amp; stays as typed\r\nover two lines"),
    ]
    document = _document(blocks=blocks, language="fr_CA")
    assert document.blocks == tuple(blocks)
    assert document.paper is Paper.LETTER
    facts = document.blocks[1]
    assert isinstance(facts, Facts)
    assert facts.rows == (("Present", "5 of 6"), ("Length", "90 min"))
    table = document.blocks[2]
    assert isinstance(table, Table)
    assert table.rows == (("Ana", "18:02"), ("Luc", "18:05"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "Another"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "  "}, "title must not be empty"),
        ({"title": "Two\nlines"}, "title must be one line"),
        ({"language": "de"}, "language must be one of"),
        ({"practitioner": "Alex\x00"}, "control character"),
        ({"exported_at": datetime(2026, 12, 6, 14, 30)}, "timezone"),
        ({"anchor": "#7 abc"}, "JournalAnchor"),
        ({"blocks": ["a bare string"]}, "not a block"),
        ({"paper": "tabloid"}, "tabloid"),
    ],
)
def test_a_bad_document_is_refused_with_its_reason(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        _document(**changes)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: Heading(0, "Too small"), "level must be 1 to 3"),
        (lambda: Heading(1, ""), "heading must not be empty"),
        (lambda: Paragraph(42), "must be text"),
        (lambda: Paragraph("bell\x07"), "control character"),
        (lambda: Facts([]), "at least one row"),
        (lambda: Facts([("", "value")]), "label must not be empty"),
        (lambda: Facts([("only a label",)]), "pair"),
        (lambda: Table([], []), "at least one column"),
        (lambda: Table(["A", "B"], [["1"]]), "row 0 has 1 cells, the header has 2"),
        (lambda: JournalAnchor(-1, "0" * 64), "0 or more"),
        (lambda: JournalAnchor(1, "ABC"), "64 lowercase hexadecimal"),
    ],
)
def test_a_bad_block_is_refused_with_its_reason(make: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        make()
