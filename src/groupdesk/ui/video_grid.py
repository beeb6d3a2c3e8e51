"""The video grid: 1 to 12 tiles that fill the space, a spotlight, and each tile's indicators.

A tile paints the last tile-sized picture of its member (scaled off the UI
thread by ``LiveSession.frames``), or their initials when there is no video,
and on top: the name, muted, raised hand (with its number in line when the turns are
kept), the speaker's turn timer, a safety signal (only a facilitator's app knows of
one), connection bars, a green border while speaking, and "connection problem" /
"reconnecting" over the last picture when it stopped (initials only when the camera
is really off: a stopped picture is not a camera turned off). A member on the other
side of the private side room shows a short notice over their initials instead of
their last, frozen picture.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from groupdesk.media.events import PeerState
from groupdesk.ui.accessible_roles import give_role
from groupdesk.ui.live_members import LiveMember, Quality
from groupdesk.ui.live_session import LiveSession

_BACKGROUND = QColor("#1d2126")
_TILE = QColor("#2b3036")
_SPEAKING = QColor("#3ec46d")
_CHIP = QColor(0, 0, 0, 160)
_HAND = QColor(200, 140, 0, 230)
_FLOOR = QColor(30, 120, 70, 230)
FOCUS_OUTER = QColor("#ffffff")
FOCUS_INNER = QColor("#000000")
FOCUS_OUTER_WIDTH = 3
FOCUS_INNER_WIDTH = 2
FOCUS_BESIDE = (_BACKGROUND, _TILE, _SPEAKING)
"""The colours the tile's focus ring is drawn next to (the grid, an empty tile, speaking)."""
_RAISED_HAND = 0x270B  # ✋
_GAP = 6
_ASPECT = 16 / 9
_FORMAT = QImage.Format.Format_RGB32

Apart = Literal["aside", "group"]
"""Across the side room from us: the member is ``aside`` (with the facilitator), or in
the ``group`` (we are aside)."""


class VideoTile(QWidget):
    """One member's tile.

    Signals: ``menu_requested(str, QPoint)``: the tile's context menu (seat, global position;
    also the menu key or Shift+F10 on a focused tile); ``pin_requested(str)``: Enter or Space
    on a focused tile, to pin (or unpin) it on this screen.
    """

    menu_requested = Signal(str, QPoint)
    pin_requested = Signal(str)

    def __init__(self, member: LiveMember, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member = member
        self.image: QImage | None = None
        self.pinned = False
        self.hand_place: int | None = None
        """The member's place in line (1 is next), when the turns are kept."""
        self.floor_timer: str | None = None
        """The member has the floor: their turn timer ("" when it is not shown)."""
        self.apart: Apart | None = None
        """Across the side room from us (None: we see and hear each other)."""
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        give_role(VideoTile, QAccessible.Role.Graphic)  # a picture of the member, named
        self.update_texts()

    def set_image(self, image: QImage) -> None:
        """A new picture, kept as 32-bit RGB at the screen's pixel ratio.

        Qt's raster engine blits a 32-bit image drawn at its own size on the UI
        thread. Any other format, or a scaled draw, goes through its span blender,
        which splits the rows across Qt's GUI thread pool and waits for those
        threads, holding the GIL meanwhile: on a busy machine that wait stalled the
        UI thread for tens of milliseconds. The pictures ``devices.scaled_image``
        makes are RGB32 already, so this is no conversion for them (a tile-sized one
        for any other, well under a millisecond).
        """
        if self.apart is not None:
            return  # one scaled just before the side room: not shown (nor kept for after)
        image = image.convertToFormat(_FORMAT)  # our own object even when no conversion
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.image = image
        self.update()

    def set_turn(self, hand_place: int | None, floor_timer: str | None) -> None:
        """The place in line (None: not in line) and, for the speaker, the timer text."""
        if (hand_place, floor_timer) != (self.hand_place, self.floor_timer):
            self.hand_place, self.floor_timer = hand_place, floor_timer
            self.update_texts()

    def set_apart(self, apart: Apart | None) -> None:
        """Across the side room from us, or (None) together again."""
        if apart == self.apart:
            return
        self.apart = apart
        if apart is not None:
            self.image = None  # never their last picture, frozen; the next is fresh
        self.update_texts()

    def update_texts(self) -> None:
        """The accessible name and tooltip, from the member's state."""
        parts = [self.member.name]
        if self.member.is_self:
            parts.append(self.tr("you"))
        if self.member.muted:
            parts.append(self.tr("muted"))
        if self.hand_place is not None:
            parts.append(self.tr("number {place} in line").format(place=self.hand_place))
        elif self.member.hand_raised:
            parts.append(self.tr("hand raised"))
        if self.floor_timer is not None:
            parts.append(self.tr("has the floor"))
            if self.floor_timer:
                parts.append(self.floor_timer)
        if self.member.safety_signal:
            parts.append(self.tr("safety signal"))
        if self.member.speaking:
            parts.append(self.tr("speaking"))
        status = self.status_text()
        if status:
            parts.append(status)
        self.setAccessibleName(", ".join(parts))
        self.setToolTip(", ".join(parts))
        self.update()

    def status_text(self) -> str:
        """ "Connection problem" (the picture stopped), "Reconnecting…", "Connecting…",
        the side room, or "" (all is well)."""
        state = self.member.state
        if self.member.is_self or self.apart is not None:
            return self.apart_text(self.apart) if self.apart is not None else ""
        if state is PeerState.RECONNECTING:
            return self.tr("Reconnecting…")
        if state is PeerState.CLOSED:
            return self.tr("Connection lost")
        if state is PeerState.CONNECTING:
            return self.tr("Connecting…")
        if self.member.frozen():
            # Not "frozen", which reads as the member's doing: their camera is on, the
            # link is what stopped the picture.
            return self.tr("Connection problem")
        return ""

    def apart_text(self, apart: Apart) -> str:
        """What the tile says instead of a picture, across the side room."""
        if apart == "aside":  # we are in the group
            return self.tr("With the facilitator for a moment")
        return self.tr("In the group")  # we are aside

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 -- Qt's name
        """Pin, spotlight, mute request, remove, private message."""
        self.menu_requested.emit(self.member.seat, event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 -- Qt's name
        """Enter or Space pins (or unpins) the tile; the menu key or Shift+F10 opens its menu."""
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and not mods & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            self.pin_requested.emit(self.member.seat)
        elif key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier
        ):
            self.menu_requested.emit(self.member.seat, self.mapToGlobal(self.rect().center()))
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 -- Qt's name
        """The picture (or initials), then the indicators."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect()
        painter.fillRect(rect, _TILE)
        member = self.member
        status = self.status_text()
        if self.image is not None and not member.camera_off and self.apart is None:
            natural = self.image.deviceIndependentSize().toSize()
            scaled = natural.scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            exact = abs(scaled.width() - natural.width()) <= 2
            target = QRect(QPoint(0, 0), natural if exact else scaled)
            target.moveCenter(rect.center())
            if exact:  # scaled to this tile already (give or take the even sizes): a blit
                painter.drawImage(target.topLeft(), self.image)
            else:  # the tile was resized since: scaled here until the next frame
                painter.drawImage(target, self.image)
            if status:
                painter.fillRect(rect, QColor(0, 0, 0, 120))
        else:
            self._paint_initials(painter, rect)
        if member.speaking and not member.muted:
            painter.setPen(QPen(_SPEAKING, 4))
            painter.drawRect(rect.adjusted(2, 2, -2, -2))
        self._paint_name(painter, rect)
        self._paint_badges(painter, rect, status)
        if self.hasFocus():
            self._paint_focus(painter, rect)
        painter.end()

    def _paint_focus(self, painter: QPainter, rect: QRect) -> None:
        """A solid ring, white outside and black inside: seen on any picture, on top of
        the speaking border and the badges (a dashed 2 px line was lost in a picture)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        outer, inner = FOCUS_OUTER_WIDTH, FOCUS_INNER_WIDTH
        for color, width, inset in ((FOCUS_OUTER, outer, 0), (FOCUS_INNER, inner, outer)):
            painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap,
                                Qt.PenJoinStyle.MiterJoin))  # fmt: skip
            half = inset + width // 2
            painter.drawRect(rect.adjusted(half, half, -half - 1, -half - 1))

    def _paint_initials(self, painter: QPainter, rect: QRect) -> None:
        side = int(min(rect.width(), rect.height()) * 0.42)
        circle = QRect(0, 0, side, side)
        circle.moveCenter(rect.center())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#4a6fa5"))
        painter.drawEllipse(circle)
        font = QFont(self.font())
        font.setPixelSize(max(10, side // 3))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self.member.initials)

    def _chip(self, painter: QPainter, x: int, y: int, text: str, color: QColor = _CHIP) -> int:
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(text) + 12
        box = QRect(x, y, width, metrics.height() + 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return width

    def _paint_name(self, painter: QPainter, rect: QRect) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(11, min(15, rect.height() // 14)))
        painter.setFont(font)
        name = self.member.name
        if self.member.is_self:
            name = self.tr("{name} (you)").format(name=name)
        elif self.member.facilitator:
            name = self.tr("{name} · facilitator").format(name=name)
        x = 8
        y = rect.height() - painter.fontMetrics().height() - 12
        if self.member.muted:
            x += self._chip(painter, x, y, self.tr("Muted"), QColor(170, 40, 40, 220)) + 4
        self._chip(painter, x, y, name)

    def _paint_badges(self, painter: QPainter, rect: QRect, status: str) -> None:
        x, y = 8, 8
        if self.hand_place is not None:
            x += self._chip(painter, x, y, self._place_text(painter), _HAND) + 4
        elif self.member.hand_raised:
            x += self._chip(painter, x, y, self.tr("Hand raised"), _HAND) + 4
        if self.floor_timer is not None:
            floor = self.floor_timer or self.tr("Has the floor")
            x += self._chip(painter, x, y, floor, _FLOOR) + 4
        if self.member.safety_signal:  # only a facilitator's app knows of one
            x += self._chip(painter, x, y, self.tr("Safety signal"), QColor(150, 40, 120, 230)) + 4
        if self.pinned:
            x += self._chip(painter, x, y, self.tr("Pinned")) + 4
        if status:
            self._chip(painter, x, y, status, QColor(120, 120, 120, 220))
        if not self.member.is_self and self.apart is None:  # no media: no link to rate
            self._paint_bars(painter, rect)

    def _place_text(self, painter: QPainter) -> str:
        """ "✋ 2", or "In line: 2" where the font has no hand to draw (a box says nothing)."""
        if painter.fontMetrics().inFontUcs4(_RAISED_HAND):
            return f"{chr(_RAISED_HAND)} {self.hand_place}"
        return self.tr("In line: {place}").format(place=self.hand_place)

    def _paint_bars(self, painter: QPainter, rect: QRect) -> None:
        quality = self.member.quality
        colors = {
            Quality.GOOD: QColor("#3ec46d"),
            Quality.FAIR: QColor("#e0b000"),
            Quality.POOR: QColor("#e04040"),
            Quality.UNKNOWN: QColor("#9aa0a6"),
        }
        painter.setPen(Qt.PenStyle.NoPen)
        right = rect.width() - 10
        for i in range(3):
            height = 5 + 4 * i
            lit = quality is not Quality.UNKNOWN and i < quality.value
            painter.setBrush(colors[quality] if lit else QColor(255, 255, 255, 70))
            painter.drawRect(QRect(right - (2 - i) * 7 - 5, 24 - height, 5, height))


class VideoGrid(QWidget):
    """Tiles of every member in a grid that fills the space; one large when spotlit or pinned.

    Signals: ``menu_requested(str, QPoint)`` from a tile; ``laid_out()``: the tiles
    were placed again (someone came or went, a pin, a resize), so the page can keep
    them in its Tab order where they are shown.
    """

    menu_requested = Signal(str, QPoint)
    laid_out = Signal()

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.tiles: dict[str, VideoTile] = {}
        self.pinned: str | None = None
        self.hide_self = False
        self.hands: dict[str, int] = {}
        """Each seat's place in line (from the turns), for the tiles' hand badges."""
        self.speaker: str | None = None
        self.speaker_timer = ""
        self.setMinimumSize(QSize(320, 200))
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), _BACKGROUND)
        self.setPalette(palette)
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #e8eaed; font-size: 16px;")
        live.members_changed.connect(self.sync)
        live.member_updated.connect(self._member_updated)
        live.frame_ready.connect(self._frame)

    def visible_tiles(self) -> list[VideoTile]:
        """The tiles shown, in order."""
        return [t for t in self.tiles.values() if t.isVisible()]

    def focus_seat(self) -> str | None:
        """The member shown large: pinned here, else spotlit for everyone."""
        for seat in (self.pinned, self.live.spotlight):
            if seat is not None and seat in self.tiles:
                return seat
        return None

    def set_pinned(self, seat: str | None) -> None:
        """Pin a member large on this screen only (None: unpin)."""
        self.pinned = seat
        for tile in self.tiles.values():
            tile.pinned = tile.member.seat == seat
            tile.update()
        self._lay_out()

    def toggle_pin(self, seat: str) -> None:
        """Pin ``seat`` large on this screen, or unpin it if it is pinned (a tile's Enter)."""
        self.set_pinned(None if self.pinned == seat else seat)

    def set_hide_self(self, hide: bool) -> None:
        """Hide or show one's own tile."""
        self.hide_self = hide
        self._lay_out()

    def set_turn_badges(
        self, hands: Mapping[str, int], speaker: str | None, timer_text: str
    ) -> None:
        """Show each hand's number in line on its tile ("✋ 2"), and ``timer_text`` on the
        tile of the ``speaker`` (None: the floor is open)."""
        self.hands, self.speaker, self.speaker_timer = dict(hands), speaker, timer_text
        for tile in self.tiles.values():
            self._show_turn(tile)

    def _show_turn(self, tile: VideoTile) -> None:
        seat = tile.member.seat
        tile.set_turn(self.hands.get(seat), self.speaker_timer if seat == self.speaker else None)

    def sync(self) -> None:
        """Add and remove tiles to match the members."""
        for seat in list(self.tiles):
            if seat not in self.live.members:
                tile = self.tiles.pop(seat)
                tile.hide()  # gone now: not shown, nor reached by Tab, until it is deleted
                tile.deleteLater()
                if self.pinned == seat:
                    self.pinned = None
        for seat, member in self.live.members.items():
            if seat not in self.tiles:
                tile = VideoTile(member, self)
                tile.menu_requested.connect(self.menu_requested)
                tile.pin_requested.connect(self.toggle_pin)
                self.tiles[seat] = tile
                self._show_turn(tile)
            self.tiles[seat].member = member
            self.tiles[seat].set_apart(self._apart(seat))
        self._lay_out()

    def _apart(self, seat: str) -> Apart | None:
        """Whether the member in ``seat`` is across the side room from us, and on which side."""
        side = self.live.room.side
        if not side.apart(self.live.self_seat, seat):
            return None
        return "aside" if side.aside(seat) else "group"

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 -- Qt's name
        """Lay the tiles out again."""
        super().resizeEvent(event)
        self._lay_out()

    def _ordered(self) -> list[VideoTile]:
        tiles = [t for t in self.tiles.values() if not (self.hide_self and t.member.is_self)]
        # Facilitators first, then in arrival order; oneself last.
        return sorted(tiles, key=lambda t: (t.member.is_self, not t.member.facilitator))

    def set_placeholder(self, text: str) -> None:
        """What the grid says while it has no tile (waiting room, connecting)."""
        self.placeholder.setText(text)
        self._lay_out()

    def _lay_out(self) -> None:
        tiles = self._ordered()
        # Only the tiles not shown are hidden: hiding a shown one, even for a moment, sends
        # the keyboard focus away from it (each status change re-lays the grid out).
        for tile in self.tiles.values():
            if tile not in tiles:
                tile.hide()
        self.placeholder.setGeometry(self.rect().adjusted(24, 24, -24, -24))
        self.placeholder.setVisible(not self.tiles and bool(self.placeholder.text()))
        if tiles:
            self._place_all(tiles)
        self.laid_out.emit()

    def _place_all(self, tiles: list[VideoTile]) -> None:
        area = self.rect().adjusted(_GAP, _GAP, -_GAP, -_GAP)
        focus = self.focus_seat()
        big = next((t for t in tiles if t.member.seat == focus), None)
        if big is not None and len(tiles) > 1:
            strip_height = max(80, area.height() // 4)
            top = QRect(area.x(), area.y(), area.width(), area.height() - strip_height - _GAP)
            self._place([big], top)
            rest = [t for t in tiles if t is not big]
            strip = QRect(area.x(), top.bottom() + _GAP, area.width(), strip_height)
            self._place(rest, strip, rows=1)
        else:
            self._place(tiles, area)

    def _place(self, tiles: list[VideoTile], area: QRect, rows: int | None = None) -> None:
        count = len(tiles)
        best = (0.0, 1, count)
        for cols in range(1, count + 1):
            r = rows or math.ceil(count / cols)
            if rows is not None and cols != count:
                continue
            width = (area.width() - _GAP * (cols - 1)) / cols
            height = (area.height() - _GAP * (r - 1)) / r
            tile_w = min(width, height * _ASPECT)
            if tile_w > best[0]:
                best = (tile_w, r, cols)
        tile_w, r, cols = best
        tile_h = tile_w / _ASPECT
        used_h = r * tile_h + (r - 1) * _GAP
        y0 = area.y() + (area.height() - used_h) / 2
        ratio = self.devicePixelRatioF()
        for index, tile in enumerate(tiles):
            row, col = divmod(index, cols)
            in_row = min(cols, count - row * cols)
            used_w = in_row * tile_w + (in_row - 1) * _GAP
            x0 = area.x() + (area.width() - used_w) / 2
            x = int(x0 + col * (tile_w + _GAP))
            y = int(y0 + row * (tile_h + _GAP))
            tile.setGeometry(x, y, int(tile_w), int(tile_h))
            tile.show()
            size = QSize(int(tile_w * ratio), int(tile_h * ratio))
            self.live.set_tile_size(tile.member.seat, size)

    def _member_updated(self, seat: str) -> None:
        tile = self.tiles.get(seat)
        if tile is not None:
            tile.update_texts()

    def _frame(self, seat: str, image: QImage) -> None:
        tile = self.tiles.get(seat)
        if tile is not None:
            tile.set_image(image)
