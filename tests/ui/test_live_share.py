"""Screen sharing on the desktop, with real calls between the facilitator's app and
participant-mode apps: the facilitator shares a PDF (rendered through Qt) from the share
panel, the participants see it large with its caption, page by page; a participant may
share only once allowed, and their share stops when the permission is taken back; screen
and window capture say "not available" where the system has none; the journal keeps who
shared what kind of source, and when, never the document's name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from ui_helpers import Run

from groupdesk.core.protocol import ShareKind
from groupdesk.media.sources import TestPatternSource, VideoSource
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage

pytestmark = pytest.mark.slow

DOCUMENT_NAME = "Plan d'intervention de Ana Tremblay.pdf"
"""A name a practitioner may give a file: it must never reach the journal."""


def write_pdf(path: Path) -> None:
    """Two light A4 pages, each with its title."""
    writer = QPdfWriter(str(path))
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF()
    )
    writer.setPageLayout(layout)
    painter = QPainter(writer)
    area = QRectF(0, 0, writer.width(), writer.height())
    painter.setFont(QFont("Sans", 30))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Page 1")
    writer.newPage()
    painter.fillRect(area, QColor("#ffffff"))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Page 2")
    painter.end()


def test_sharing_a_document_and_a_participants_screen_on_the_desktop(
    run: Run[Any], memory_keyring: Any, qtbot: Any, tmp_path: Path, languages: LanguageSwitcher
) -> None:
    pdf = tmp_path / DOCUMENT_NAME
    write_pdf(pdf)
    opened: list[ShareKind] = []
    captures: list[VideoSource] = []

    def fake_capture(kind: ShareKind) -> VideoSource | None:
        """What the system's capture would give: a picture of a "screen"."""
        opened.append(kind)
        source = TestPatternSource("Écran d'Ana", 640, 360, fps=5)
        captures.append(source)
        return source

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        ana: LiveSession | None = None
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            ana = await knock(live.invite, "Ana")
            julie_page, ana_page = LivePage(live), LivePage(ana)
            for page in (julie_page, ana_page):
                qtbot.addWidget(page)
                page.show()
            julie_page.share_panel._chooser = lambda _parent: pdf
            await wait_for(lambda: len(live.lobby) == 1)
            await live.admit_all()
            await wait_for(lambda: ana.stage is LiveStage.LIVE and len(ana.members) == 2)
            ana_seat, julie_seat = ana.self_seat, live.self_seat
            panel, ana_panel = julie_page.share_panel, ana_page.share_panel
            view, ana_view = julie_page.share_view, ana_page.share_view
            assert not view.isVisible()
            assert not ana_view.isVisible()

            # Ana may not share: her buttons say so; offscreen Qt has no screen capture
            assert not ana_panel.screen_button.isEnabled()
            assert ana_panel.status.text() == (
                "The facilitator has not asked you to share your screen."
            )
            assert panel.screen_button.toolTip() == "Not available on this system"
            panel.screen_button.click()
            await wait_for(lambda: not panel.problem.isHidden())
            assert panel.problem.text() == (
                "Sharing a screen or a window is not available on this system."
            )
            assert live.share.mine is None

            # Julie shares the PDF: Ana sees it large, with its caption, page 1 then 2
            panel.document_button.click()
            await wait_for(lambda: live.share.document is not None)
            assert panel.status.text() == "You are sharing a document with everyone."
            assert panel.page_label.text() == "Page 1 of 2"
            assert not panel.previous_button.isEnabled()
            assert view.caption.text() == "You are sharing a document"
            await wait_for(lambda: ana_view.isVisible() and not ana_view.image.isNull(), 45)
            assert ana_view.caption.text() == "Julie Tremblay is sharing a document"
            picture = ana_view.image
            assert picture.width() <= 1280
            assert picture.height() <= 720
            assert picture.height() > picture.width()  # the portrait page, not a camera
            tile = ana_page.grid.tiles[julie_seat]
            assert ana_view.height() > tile.height()  # large; the speakers small below
            panel.next_button.click()
            assert panel.page_label.text() == "Page 2 of 2"
            assert live.share.document is not None
            assert live.share.document.page == 1

            # French, on Ana's side
            languages.set_language("fr_CA")
            await wait_for(lambda: ana_view.caption.text() == "Julie Tremblay partage un document")
            languages.set_language("en")
            await wait_for(
                lambda: ana_view.caption.text() == "Julie Tremblay is sharing a document"
            )

            # Julie allows Ana; Ana shares her screen (the injected capture), shown last
            ana.share.capture = fake_capture
            allowed = panel.allowed.item(0)
            assert allowed.text() == "Ana"
            allowed.setCheckState(Qt.CheckState.Checked)
            await wait_for(ana_panel.screen_button.isEnabled)
            ana_panel.screen_button.click()
            await wait_for(lambda: view.caption.text() == "Ana is sharing a screen")
            await wait_for(
                lambda: not view.image.isNull() and view.image.width() > view.image.height()
            )
            assert opened == ["screen"]
            await wait_for(lambda: ana_view.caption.text() == "You are sharing your screen")

            # Julie takes it back: Ana's share stops; Julie's document is shown again
            panel.allowed.item(0).setCheckState(Qt.CheckState.Unchecked)
            await wait_for(lambda: ana.share.mine is None)
            await wait_for(lambda: captures[0].readyState == "ended")
            await wait_for(lambda: view.caption.text() == "You are sharing a document")
            await wait_for(
                lambda: ana_view.caption.text() == "Julie Tremblay is sharing a document"
            )
            assert not ana_panel.screen_button.isEnabled()

            panel.stop_button.click()
            await wait_for(lambda: not ana_view.isVisible())
            assert live.share.mine is None

            # the journal: who, when, what kind; never the file's name or what was shown
            rows = [e for e in await log.journal(session.id) if e.kind.startswith("share.")]
            said = [(e.kind, dict(e.data or {})) for e in rows]
            ana_member = said[1][1]["member"]
            assert isinstance(ana_member, int)  # the group's member, by log id, never a name
            assert said == [
                ("share.started", {"seat": julie_seat, "member": None, "source": "document"}),
                ("share.allowed", {"seat": ana_seat, "member": ana_member, "by": julie_seat}),
                ("share.started", {"seat": ana_seat, "member": ana_member, "source": "screen"}),
                ("share.disallowed", {"seat": ana_seat, "member": ana_member, "by": julie_seat}),
                (
                    "share.stopped",
                    {"seat": ana_seat, "member": ana_member, "source": "screen", "by": julie_seat},
                ),
                ("share.stopped", {"seat": julie_seat, "member": None, "source": "document"}),
            ]
            written = json.dumps([dict(e.data or {}) for e in await log.journal(session.id)])
            assert "Plan" not in written
            assert "Tremblay" not in written
        finally:
            if ana is not None:
                await ana.close()
            await live.close()
            await log.close()

    run(scenario())
