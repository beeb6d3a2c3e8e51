"""A tile whose picture stopped arriving keeps the last picture and says "Connection
problem"; only a camera really turned off shows the initials (issue 14)."""

from __future__ import annotations

import time

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from groupdesk.core.session.room_state import LiveMember
from groupdesk.media.events import PeerState
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.video_grid import VideoTile

PICTURE = QColor("#d02020")
INITIALS_DISC = QColor("#4a6fa5")


def _tile(*, camera_off: bool, stopped_for_s: float) -> VideoTile:
    member = LiveMember(seat="s1", name="Ana Tremblay", role="participant")
    member.state = PeerState.CONNECTED
    member.camera_off = camera_off
    member.frames = 40
    member.last_frame_at = time.monotonic() - stopped_for_s
    tile = VideoTile(member)
    tile.resize(320, 180)
    picture = QImage(320, 180, QImage.Format.Format_RGB32)
    picture.fill(PICTURE)
    tile.set_image(picture)
    tile.update_texts()
    return tile


def _centre(tile: VideoTile) -> QColor:
    shot = tile.grab().toImage()
    return shot.pixelColor(shot.width() // 2, shot.height() // 2 + 30)


def test_a_stopped_picture_stays_and_says_connection_problem(qapp: QApplication) -> None:
    tile = _tile(camera_off=False, stopped_for_s=10.0)
    assert tile.status_text() == "Connection problem"
    assert "Connection problem" in tile.accessibleName()
    centre = _centre(tile)  # the last picture, dimmed under the notice: not initials
    assert centre.red() > 2 * centre.blue()
    assert centre != INITIALS_DISC


def test_a_camera_turned_off_shows_the_initials(qapp: QApplication) -> None:
    tile = _tile(camera_off=True, stopped_for_s=10.0)
    assert tile.status_text() == ""
    assert _centre(tile) == INITIALS_DISC


def test_a_moving_picture_has_no_notice(qapp: QApplication) -> None:
    tile = _tile(camera_off=False, stopped_for_s=0.0)
    assert tile.status_text() == ""
    assert _centre(tile) == PICTURE


def test_the_notice_in_french(languages: LanguageSwitcher) -> None:
    languages.set_language("fr_CA")
    tile = _tile(camera_off=False, stopped_for_s=10.0)
    assert tile.status_text() == "Problème de connexion"
    assert "Problème de connexion" in tile.accessibleName()
