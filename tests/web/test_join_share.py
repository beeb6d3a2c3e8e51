"""Screen sharing between the desktop's media (aiortc) and a real Chromium page: the
facilitator shares a PDF's page, rendered through Qt, and the page shows it large with
the speakers small, then the next page; the page may share its own screen only once the
facilitator allows it, and its share stops when the permission is taken back. In a mesh,
and through the organisation's media server (a real Janus), where a share is a second
publication that the server ends for everyone when the permission is taken back."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    next_app,
    next_lobby_with_someone,
    page_state,
    run_async,
    save_screenshot,
    server_and_facilitator,
    wait_step,
)
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientApp,
    ServerSfu,
    Share,
    SharePermission,
)
from groupdesk.media.call import MediaCall
from groupdesk.media.link import MeshLink, ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sfu import SfuCall
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import ServerConfig
from groupdesk.server.rooms import RoomRules
from groupdesk.signaling.client import SignalingClient
from groupdesk.ui.share_sources import DocumentPages
from janus_harness import needs_janus, running_janus, sfu_config

pytestmark = pytest.mark.slow

ANA, CHLOE = "eeeeeeeeeeee", "888888888888"
"""Ana facilitates from aiortc; Chloé's page sorts first, so it makes the offer."""


class Received:
    """What Ana's media got: camera frames and share frames, by member."""

    def __init__(self) -> None:
        self.video: dict[str, int] = {}
        self.shares: dict[str, int] = {}
        self.share_sizes: dict[str, tuple[int, int]] = {}

    def video_frame(self, member_id: str, frame: Any) -> None:
        self.video[member_id] = self.video.get(member_id, 0) + 1

    def audio_frame(self, member_id: str, frame: Any) -> None:
        """Not counted."""

    def share_frame(self, member_id: str, frame: Any) -> None:
        self.shares[member_id] = self.shares.get(member_id, 0) + 1
        self.share_sizes[member_id] = (frame.width, frame.height)


def write_pdf(path: Path) -> None:
    """A two-page A4 landscape PDF: a light first page with a title, a dark second one."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF()
        )
    )
    painter = QPainter(writer)
    area = QRectF(0, 0, writer.width(), writer.height())
    painter.setFont(QFont("Sans", 40))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Ressources — page 1")
    writer.newPage()
    painter.fillRect(area, QColor("#102040"))
    painter.end()


async def share_picture(page: Page) -> dict[str, Any]:
    """The share view as the page shows it: visible, caption, size, the centre's brightness."""
    result: dict[str, Any] = await page.evaluate(
        """() => {
          const figure = document.getElementById('share');
          const video = document.getElementById('share-video');
          const caption = document.getElementById('share-caption').textContent;
          const frames = video.getVideoPlaybackQuality().totalVideoFrames;
          const out = {
            hidden: figure.hidden, caption, frames, brightness: null,
            width: video.videoWidth, height: video.videoHeight,
            boxWidth: figure.getBoundingClientRect().width,
          };
          if (video.videoWidth) {
            const canvas = document.createElement('canvas');
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            const g = canvas.getContext('2d');
            g.drawImage(video, 0, 0);
            const x = video.videoWidth / 2, y = video.videoHeight / 4;
            const [r, gr, b] = g.getImageData(x, y, 1, 1).data;
            out.brightness = (r + gr + b) / 3;
          }
          return out;
        }"""
    )
    return result


@pytest.mark.parametrize("media", ["mesh", pytest.param("sfu", marks=needs_janus)])
@run_async
async def test_a_document_shared_from_aiortc_is_shown_large_and_a_page_shares_when_allowed(
    tmp_path: Path, qapp: QApplication, media: str
) -> None:
    pdf = tmp_path / "ressources.pdf"
    write_pdf(pdf)
    document = DocumentPages(pdf)
    assert document.page_count == 2
    received = Received()
    client = SignalingClient()

    def make_mesh(admitted: Admitted) -> MediaCall:
        assert admitted.media == media
        kind = Mesh if admitted.media == "mesh" else SfuCall
        return kind(
            admitted.member,
            client,
            ice_servers=ice_servers(admitted),
            video=TestPatternSource("Ana", 320, 180, 15),
            audio=SpeechLikeAudioSource(seed=1, talk_ratio=1.0),
            sink=received,
            share_sink=received,
            stats_interval=None,
        )

    link = MeshLink(client, make_mesh)
    sfu_said: list[ServerSfu] = []
    client.on_message(lambda m: sfu_said.append(m) if isinstance(m, ServerSfu) else None)
    async with contextlib.AsyncExitStack() as stack:
        config = None
        if media == "sfu":
            janus = await stack.enter_async_context(running_janus())
            # a full room: two cameras, and a share each besides
            config = ServerConfig(rules=RoomRules(max_members=2), sfu=sfu_config(janus))
        _s, ana, opened = await stack.enter_async_context(
            server_and_facilitator(tmp_path, config, client=client, member_ids=[ANA, CHLOE])
        )
        page = await stack.enter_async_context(
            chromium(extra_flags=("--auto-select-desktop-capture-source=Entire screen",))
        )
        try:
            await go_to_lobby(page, opened.invite, name="Chloé")
            await next_lobby_with_someone(ana)
            await ana.send(Admit(member=CHLOE))
            await wait_step(page, "session")
            mesh = await link.ready()

            async def cameras() -> bool:
                members = (await page_state(page))["members"]
                return (
                    received.video.get(CHLOE, 0) >= 10
                    and ANA in members
                    and members[ANA]["video"]["framesDecoded"] >= 10
                )

            await eventually(cameras, 45, "both cameras")
            assert await page.is_hidden("#share")
            assert await page.is_hidden("#btn-share")  # not allowed: no way to share

            # Ana shares her PDF: the page shows it large, the caption says what it is
            await mesh.set_share(document.source)
            await ana.send(ClientApp(event=Share(kind="document")))

            async def shown(bright: bool) -> bool:
                picture = await share_picture(page)
                level = picture["brightness"]
                return (
                    not picture["hidden"]
                    and picture["frames"] >= 3
                    and level is not None
                    and (level > 200 if bright else level < 80)
                )

            await eventually(lambda: shown(True), 45, "the PDF's first page on the page")
            picture = await share_picture(page)
            assert picture["caption"] == "Ana is sharing a document"
            assert (picture["width"], picture["height"]) == (
                1018,
                720,
            )  # A4 landscape, fitted to 720p
            tile = await page.locator(f"#grid li[data-member='{ANA}']").bounding_box()
            assert tile is not None
            assert picture["boxWidth"] > 2 * tile["width"]  # large, the speakers small
            members = (await page_state(page))["members"]
            assert members[ANA]["video"]["framesDecoded"] > 10  # the camera goes on
            save_screenshot(await page.screenshot(), tmp_path, "join-share-document.png")

            assert document.next()
            await eventually(lambda: shown(False), 30, "the PDF's second page on the page")

            # Chloé may not share yet; Ana allows her, and she shares her screen
            await ana.send(ClientApp(event=SharePermission(allowed=(CHLOE,))))
            await page.wait_for_selector("#btn-share:not([hidden])", timeout=10_000)
            await page.click("#btn-share")
            started = await next_app(ana, Share, timeout=20)
            assert started.sender == CHLOE
            assert started.event == Share(kind="screen")
            await eventually(
                lambda: received.shares.get(CHLOE, 0) >= 3, 45, "Chloé's screen at Ana's"
            )
            assert received.shares.get(ANA, 0) == 0
            assert await page.inner_text("#btn-share") == "Stop sharing"

            # Ana takes the permission back: Chloé's page stops sharing and says so
            await ana.send(ClientApp(event=SharePermission(allowed=())))
            stopped = await next_app(ana, Share, timeout=20)
            assert stopped.sender == CHLOE
            assert stopped.event == Share()
            if isinstance(mesh, SfuCall):  # the media server ended it for everyone
                # (the call may drop the share before this test's listener hears the
                # server's "ended": both are waited for, in either order)
                await eventually(
                    lambda: any(
                        (m.feed, m.kind, m.track) == (CHLOE, "ended", "share") for m in sfu_said
                    ),
                    20,
                    "the server's ended for Chloé's share",
                )
                await eventually(lambda: CHLOE not in mesh.share_peers, 20, "Chloé's share ended")
                assert (await page_state(page))["sfu"]["share"] == "none"
            await page.wait_for_selector("#btn-share", state="hidden", timeout=10_000)
            state = await page_state(page)
            assert state["share"]["mine"] is None
            assert state["share"]["allowed"] == []
            # Ana's document is shown again (Chloé's was the last started; now gone)
            picture = await share_picture(page)
            assert picture["caption"] == "Ana is sharing a document"

            await mesh.set_share(None)
            await ana.send(ClientApp(event=Share()))
            await page.wait_for_selector("#share", state="hidden", timeout=10_000)
        finally:
            document.close()
            await link.stop()
