"""A record exported to PDF: a real PDF/A file whose text, pages, fonts and metadata say
what the document says, in the document's language, saved whole and private or not at all.

Read back with poppler-utils (pdftotext, pdfinfo, pdftoppm, pdffonts), as a person or
an auditor would, not with the library that wrote it.
"""

from __future__ import annotations

import re
import stat
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from groupdesk.core import i18n
from groupdesk.core.records.document import (
    Block,
    Document,
    Facts,
    Heading,
    JournalAnchor,
    PageBreak,
    Paper,
    Paragraph,
    Table,
)
from groupdesk.ui.records import pdf
from groupdesk.ui.records.pdf import PdfExportError, write_pdf

HASH = "5f2c0e9a7b1d4c3e8f6a2b9d0c1e7f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e"
ANCHOR = JournalAnchor(1287, HASH)
ORGANISATION = "Clinique Saint-Édouard"
PRACTITIONER = "Élise Gagnon-Côté"
ACCENTS = "Très présente, elle a confié sa réflexion à l'équipe : ça va mieux."


def _poppler(*args: str) -> str:
    """Run a poppler-utils tool (installed by ``scripts/setup.sh --test``); its output."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def _members_table(rows: int) -> Table:
    return Table(
        ("Membre", "Arrivée", "Départ"),
        tuple((f"Membre {i:02d}", "18:0" + str(i % 10), "19:30") for i in range(rows)),
    )


def _french() -> Document:
    blocks: list[Block] = [
        Heading(1, "Séance du 3 décembre"),
        Paragraph(ACCENTS),
        Facts((("Présences", "5 sur 6"), ("Durée", "90 min"), ("Signalements", "aucun"))),
        _members_table(60),
        PageBreak(),
        Heading(2, "Notes de groupe"),
        *(Paragraph(f"Note {i} : " + "le groupe a parlé de la semaine. " * 12) for i in range(20)),
    ]
    return Document(
        title="Dossier de séance — Groupe du mardi",
        language="fr_CA",
        practitioner=PRACTITIONER,
        organisation=ORGANISATION,
        anchor=ANCHOR,
        exported_at=datetime(2026, 12, 6, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
        blocks=tuple(blocks),
    )


def _english() -> Document:
    blocks: list[Block] = [
        Heading(1, "Session of December 3"),
        Paragraph("First line of the note\nSecond line, kept apart"),
        Facts((("Present", "5 of 6"), ("Length", "90 min"))),
        Paragraph("The member wrote <b>&amp; & <i>not bold</i> exactly so."),
        _members_table(70),
        Heading(2, "Group note"),
        *(Paragraph(f"Note {i}: " + "the group spoke about the week. " * 12) for i in range(20)),
    ]
    return Document(
        title="Session record — Tuesday group",
        language="en",
        practitioner="Alex Tremblay",
        organisation="Plateau Community Clinic",
        anchor=ANCHOR,
        exported_at=datetime(2026, 12, 6, 14, 30, tzinfo=UTC),
        blocks=tuple(blocks),
    )


def _text(path: Path) -> str:
    """The PDF's text as laid out (one printed line, one line), pages split by form feeds."""
    return _poppler("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")


def _pages(path: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", _poppler("pdfinfo", str(path)), re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def test_a_french_record_prints_its_words_accents_and_frame_on_every_page(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "_current", "en")  # the app speaks English; the record is French
    path = write_pdf(_french(), tmp_path / "séance.pdf")

    pages = _pages(path)
    assert pages >= 3
    text = _text(path)
    for words in ("Séance du 3 décembre", "Notes de groupe", ACCENTS, "Membre 59"):
        assert words in text
    assert re.search(r"Présences\s+5 sur 6", text)
    assert re.search(r"Durée\s+90 min", text)
    page_texts = text.split("\f")[:pages]
    for number, page_text in enumerate(page_texts, start=1):
        assert f"Page {number} de {pages}" in page_text
        assert f"{ORGANISATION} · {PRACTITIONER}" in page_text
        assert "Dossier de séance — Groupe du mardi" in page_text
        assert f"Journal nº 1287 · {HASH}" in page_text
        assert "Exporté le 2026-12-06 à 09 h 30 UTC-05:00" in page_text  # French time
    assert "Page 1 of" not in text
    # The members' table runs onto a second page, its header row repeated there.
    assert "Membre 59" in page_texts[1]
    assert "Arrivée" in page_texts[1]
    # The page break: the group's notes start a page of their own.
    assert "Notes de groupe" not in page_texts[1]


def test_an_english_record_prints_plain_text_literally_and_keeps_line_breaks(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "_current", "fr_CA")  # the app speaks French; the record English
    path = write_pdf(_english(), tmp_path / "record.pdf")

    pages = _pages(path)
    assert pages >= 3
    text = _text(path)
    assert "The member wrote <b>&amp; & <i>not bold</i> exactly so." in text
    assert "First line of the note\nSecond line, kept apart" in text
    assert re.search(r"Present\s+5 of 6", text)
    for number, page_text in enumerate(text.split("\f")[:pages], start=1):
        assert f"Page {number} of {pages}" in page_text
        assert "Plateau Community Clinic · Alex Tremblay" in page_text
        assert f"Journal #1287 · {HASH}" in page_text
        assert "Exported on 2026-12-06 at 14:30 UTC" in page_text


def test_every_page_renders_and_the_file_is_pdf_a_with_its_title_and_fonts_embedded(
    qapp: QApplication, tmp_path: Path
) -> None:
    path = write_pdf(_french(), tmp_path / "séance.pdf")

    info = _poppler("pdfinfo", str(path))
    assert re.search(r"^Title:\s+Dossier de séance — Groupe du mardi$", info, re.MULTILINE)
    assert re.search(r"^Creator:\s+GroupDesk ", info, re.MULTILINE)
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)$", info, re.MULTILINE)
    pages = _pages(path)
    out = tmp_path / "png"
    out.mkdir()
    _poppler("pdftoppm", "-r", "50", "-png", str(path), str(out / "page"))
    images = sorted(out.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)
    raw = path.read_bytes()
    assert b'pdfaid:part="1"' in raw
    assert b'pdfaid:conformance="B"' in raw
    fonts = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "no font in the PDF: the text would not print"
    for row in fonts:
        name, embedded = row.split()[0], row.split()[-5]
        assert embedded == "yes", f"font {name} is not embedded (PDF/A requires it)"


def test_a4_is_chosen_by_the_document(qapp: QApplication, tmp_path: Path) -> None:
    document = _english()
    a4 = Document(**{**{f: getattr(document, f) for f in document.__slots__}, "paper": Paper.A4})
    info = _poppler("pdfinfo", str(write_pdf(a4, tmp_path / "a4.pdf")))
    assert re.search(r"^Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)$", info, re.MULTILINE)


def test_the_file_is_private_and_replaces_an_older_export_whole(
    qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "record.pdf"
    path.write_text("an older, world-readable export")
    path.chmod(0o644)

    assert write_pdf(_english(), path) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.pdf"]


def test_a_missing_folder_is_a_clear_error_and_nothing_is_left_behind(
    qapp: QApplication, tmp_path: Path
) -> None:
    target = tmp_path / "no such folder" / "record.pdf"
    with pytest.raises(PdfExportError) as caught:
        write_pdf(_english(), target)

    assert caught.value.code == "pdf.error.no_folder"
    assert str(target.parent) in caught.value.message("en")
    assert "does not exist" in caught.value.message("en")
    assert "n'existe pas" in caught.value.message("fr_CA")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_partial_file(qapp: QApplication, tmp_path: Path) -> None:
    target = tmp_path / "record.pdf"
    target.mkdir()  # the rename onto it fails after the whole file was written beside it

    with pytest.raises(PdfExportError) as caught:
        write_pdf(_english(), target)

    assert caught.value.code == "pdf.error.write"
    assert str(target) in caught.value.message("en")
    assert [p.name for p in tmp_path.iterdir()] == ["record.pdf"]
    assert list(target.iterdir()) == []


def test_with_no_font_installed_the_export_refuses_instead_of_printing_blank_pages(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "_font_families", list)
    with pytest.raises(PdfExportError) as caught:
        write_pdf(_english(), tmp_path / "record.pdf")

    assert caught.value.code == "pdf.error.no_font"
    assert "fonts-dejavu-core" in caught.value.message("fr_CA")
    assert list(tmp_path.iterdir()) == []
