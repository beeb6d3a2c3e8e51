"""A record on paper: a ``Document`` rendered to a PDF/A-1b file with Qt's ``QPdfWriter``.

Why ``QPdfWriter`` rather than fpdf2 or reportlab: it writes PDF/A-1b itself (XMP
metadata declaring part 1, conformance B, an sRGB output intent, every font
embedded), it adds no dependency (PySide6 is already there; fpdf2 and reportlab
would be new wheels to vet, pin and ship in every installer), and the text is shaped
and set by the same engine and fonts as the app's own windows, so a French note
looks the same on screen and on paper, accents and all. The body is laid out by
``QTextDocument`` (tables, line breaking, page breaks that never cut a line); the
header and footer are painted on each page over it.

Fonts: Qt embeds the font fontconfig picks for the app's default family, as CID
TrueType with a ToUnicode map so the text can be searched and copied; only the glyphs
used go in (a five-page record is about 38 kB), though Qt does not tag the subset's
name, so ``pdffonts`` says "sub no". On the Debian test machine that font is DejaVu
Sans (``pdffonts`` lists DejaVuSans and DejaVuSans-Bold), from ``fonts-dejavu-core``,
which ``scripts/setup.sh`` installs. A machine with no font at all would print blank
pages: the export refuses instead. Ligatures are turned off (see ``_font``) so that
the extracted text matches what was typed.

The file holds confidential text: it is written whole to a temporary file beside the
target, readable by its owner only (0600), then renamed over the target, so a reader
never sees half a record and a failed export leaves nothing behind.

Words printed on the page (page numbers, the journal's anchor, the export time) are in
the document's language, not the app's: a French record exported from an English
session of the app is French throughout.
"""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from groupdesk import __version__
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import tr as catalogue_text  # not "tr": lupdate reads that as Qt's
from groupdesk.core.records.document import (
    Block,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paper,
    Paragraph,
    Table,
)

# Margins in points: the header and footer sit inside the top and bottom ones.
_MARGINS = QMarginsF(54, 72, 54, 72)
_BODY_POINTS = 10.0
_FRAME_POINTS = 7.5
_HEADING_POINTS = {1: 17.0, 2: 13.5, 3: 11.5}
_FRAME_COLOUR = QColor(80, 80, 80)
_RULE_COLOUR = QColor(170, 170, 170)
_PAGE_SIZES = {Paper.LETTER: QPageSize.PageSizeId.Letter, Paper.A4: QPageSize.PageSizeId.A4}
_TABLE = (
    'width="100%" border="0" cellspacing="0" cellpadding="4" '
    'style="border-collapse: collapse; margin-top: 4px; margin-bottom: 8px"'
)
# A rule under each row (Qt's collapsed table borders draw some edges and not others).
_CELL = 'style="white-space: pre-wrap; border-bottom: 1px solid #bbbbbb"'


class PdfExportError(GroupDeskError):
    """The PDF could not be made or saved; the message says why, in both languages."""

    key = "pdf.error.write"


def write_pdf(document: Document, path: Path) -> Path:
    """Render ``document`` and save it as ``path`` (0600, replaced whole); the absolute path.

    Needs a ``QGuiApplication`` (the offscreen platform will do). Raises
    ``PdfExportError`` when the folder does not exist, no font is installed, or the
    file cannot be written; nothing is left behind then.
    """
    path = Path(path).expanduser().absolute()
    folder = path.parent
    if not folder.is_dir():
        raise PdfExportError("pdf.error.no_folder", folder=str(folder))
    data = render_pdf(document)
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as out:  # mkstemp made it 0600 whatever the umask
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        temporary = None
        _sync_folder(folder)
    except OSError as error:
        raise PdfExportError(
            "pdf.error.write", path=str(path), reason=error.strerror or str(error)
        ) from error
    finally:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    return path


def render_pdf(document: Document) -> bytes:
    """The bytes of ``document`` as a PDF/A-1b file."""
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError("render_pdf needs a QGuiApplication (fonts come from it)")  # noqa: TRY004
    if not _font_families():
        raise PdfExportError("pdf.error.no_font")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(_PAGE_SIZES[document.paper]),
            QPageLayout.Orientation.Portrait,
            _MARGINS,
            QPageLayout.Unit.Point,
        )
    )
    writer.setTitle(document.title)
    writer.setCreator(f"GroupDesk {__version__}")
    body = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    layout = QTextDocument()
    layout.documentLayout().setPaintDevice(writer)  # lay out at the writer's resolution
    layout.setDocumentMargin(0)
    layout.setDefaultFont(_font(_BODY_POINTS))
    layout.setHtml(document_html(document))
    layout.setPageSize(QSizeF(body.width(), body.height()))
    pages = max(1, layout.pageCount())
    painter = QPainter()
    if not painter.begin(writer):
        raise PdfExportError("pdf.error.render")
    try:
        for page in range(pages):
            if page and not writer.newPage():
                raise PdfExportError("pdf.error.render")
            painter.save()
            painter.translate(0, -page * body.height())
            layout.drawContents(
                painter, QRectF(0, page * body.height(), body.width(), body.height())
            )
            painter.restore()
            _paint_frame(painter, document, body, page + 1, pages)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def document_html(document: Document) -> str:
    """The body of ``document`` as the HTML subset ``QTextDocument`` reads; all text escaped."""
    blocks = list(document.blocks)
    while blocks and isinstance(blocks[-1], PageBreak):
        blocks.pop()  # a break with nothing after it would add a blank page
    return "".join(_block_html(block) for block in blocks)


def _block_html(block: Block) -> str:
    match block:
        case Heading(level=level, text=text):
            size = _HEADING_POINTS[level]
            return (
                f'<h{level} style="font-size: {size}pt; margin-top: 10px; margin-bottom: 4px">'
                f"{_text(text)}</h{level}>"
            )
        case Paragraph(text=text):
            return f'<p style="white-space: pre-wrap; margin-bottom: 6px">{_text(text)}</p>'
        case Facts(rows=rows):
            cells = "".join(
                f'<tr><td width="35%" {_CELL}><b>{_text(label)}</b></td>'
                f"<td {_CELL}>{_text(value)}</td></tr>"
                for label, value in rows
            )
            return f"<table {_TABLE}>{cells}</table>"
        case Table(header=header, rows=rows):
            head = "".join(f'<th align="left" {_CELL}>{_text(cell)}</th>' for cell in header)
            body = "".join(
                "<tr>" + "".join(f"<td {_CELL}>{_text(cell)}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            # <thead> becomes the table's header rows: repeated on every page it spans.
            return f'<table {_TABLE}><thead><tr bgcolor="#eeeeee">{head}</tr></thead>{body}</table>'
        case PageBreak():
            return '<p style="page-break-after: always; margin: 0"></p>'


def _text(text: str) -> str:
    """Plain text as HTML that shows exactly that text (line breaks are kept by pre-wrap)."""
    return html.escape(text.replace("\r\n", "\n").replace("\r", "\n"), quote=True)


def _font_families() -> list[str]:
    return QFontDatabase.families()


def _font(points: float) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(points)
    # No ligatures: an "fi" drawn as one glyph is extracted as U+FB01, and a search for
    # "confidentiel" in the PDF (or a copy and paste of it) would then miss it.
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _paint_frame(
    painter: QPainter, document: Document, body: QRectF, page: int, pages: int
) -> None:
    """The page's header (organisation, practitioner, title) and footer (anchor, export
    time, page number), in the document's language, in the margins around ``body``."""
    lang = document.language
    font = _font(_FRAME_POINTS)
    metrics = QFontMetricsF(font, painter.device())
    line = metrics.height()
    gap = line * 1.5  # clear of the body, so text extraction keeps the frame apart
    painter.save()
    painter.setFont(font)
    painter.setPen(_RULE_COLOUR)
    painter.drawLine(0, int(-gap / 2), int(body.width()), int(-gap / 2))
    painter.drawLine(
        0, int(body.height() + gap / 2), int(body.width()), int(body.height() + gap / 2)
    )
    painter.setPen(_FRAME_COLOUR)
    half = body.width() / 2 - gap
    who = " · ".join(name for name in (document.organisation, document.practitioner) if name)
    top = QRectF(0, -gap - line, body.width(), line)
    left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
    painter.drawText(top, left, metrics.elidedText(who, Qt.TextElideMode.ElideRight, half))
    painter.drawText(
        top, right, metrics.elidedText(document.title, Qt.TextElideMode.ElideRight, half)
    )
    anchor = catalogue_text(
        "pdf.anchor", lang, seq=document.anchor.seq, hash=document.anchor.hash_hex
    )
    first = QRectF(0, body.height() + gap, body.width(), line)
    painter.drawText(first, left, anchor)  # never elided: the hash is checked digit by digit
    at = document.exported_at
    clock = catalogue_text("records.time", lang, hour=f"{at:%H}", minute=f"{at:%M}")  # 09 h 42
    exported = catalogue_text(
        "pdf.exported", lang, date=f"{at:%Y-%m-%d}", time=clock, zone=at.tzname() or ""
    )
    second = first.translated(0, line)
    painter.drawText(second, left, exported.strip())
    painter.drawText(second, right, catalogue_text("pdf.page", lang, page=page, pages=pages))
    painter.restore()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); elsewhere the rename is all there is."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
