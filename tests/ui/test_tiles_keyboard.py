"""The participants' tiles stay in the Tab order, where the grid shows them, however
often people come and go, the grid is re-laid out and its updates run; a tile with the
keyboard focus keeps it; Enter or Space pins it, the menu key opens its menu (issue 17)."""

from __future__ import annotations

from typing import Any

from keyboard_screens import (
    ANA,
    BEN,
    CLO,
    DAN,
    FAC,
    describe,
    open_screen,
    out_of_reading_order,
    press_tab_around,
    seat,
    tab_stops,
    unseat,
)
from page_helpers import wait_for
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.core.session.room_state import Quality
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.video_grid import VideoTile


def _tab_to(window: MainWindow, tile: VideoTile) -> None:
    """Tab from the first control until ``tile`` has the focus."""
    stops = tab_stops(window)
    for reached in press_tab_around(window, stops[0], limit=6 * len(stops)):
        if reached is tile:
            return
    raise AssertionError(f"Tab never reaches {describe(tile)}")


def _two_minutes_of_updates(window: MainWindow) -> None:
    """What the session's timers and the media make the page do for two minutes: the
    turns' clock each second, each member's indicators and pictures, the status."""
    live, grid = window.live, window.live_page.grid
    picture = QImage(160, 90, QImage.Format.Format_RGB32)
    picture.fill(QColor("#406080"))
    for second in range(120):
        live.turns_changed.emit()
        for seat_id in list(live.members):
            live.member_updated.emit(seat_id)
            live.frame_ready.emit(seat_id, picture)
        if second % 30 == 0:
            live.seats.members[ANA].quality = Quality(1 + second // 30 % 3)
            live.changed.emit()  # the status line, which re-lays the grid out
    assert grid.tiles


def test_tiles_stay_in_the_tab_order_through_a_rehearsal(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window = await open_screen(windows, "live")
        page, grid = window.live_page, window.live_page.grid
        try:
            ana = grid.tiles[ANA]
            _tab_to(window, ana)
            window.live.changed.emit()  # the status changes: the grid is laid out again
            assert QApplication.focusWidget() is ana, "the tile lost the focus"

            for round_ in range(3):  # people come and go; pins, spotlight, self-view, size
                seat(window, DAN)
                unseat(window, BEN)
                seat(window, BEN)
                grid.set_pinned(CLO if round_ % 2 == 0 else None)
                window.live.seats.set_spotlight(DAN if round_ == 1 else None)
                window.live.members_changed.emit()
                page.self_view_button.click()
                window.resize(1280 - 100 * round_, 800 - 40 * round_)
                _two_minutes_of_updates(window)
            unseat(window, DAN)
            # the window's last size reached the grid: its tiles are inside it
            await wait_for(
                lambda: all(grid.rect().contains(t.geometry()) for t in grid.visible_tiles())
            )

            stops = tab_stops(window)
            chain = [stops[0], *press_tab_around(window, stops[0], limit=6 * len(stops))]
            tiles = grid.visible_tiles()
            assert {t.member.seat for t in tiles} == {FAC, ANA, BEN, CLO} - (
                {FAC} if grid.hide_self else set()
            )
            missing = [describe(t) for t in tiles if t not in chain]
            assert not missing, f"tiles out of the Tab order: {missing}"
            wrong = out_of_reading_order(chain)
            assert not wrong, "\n".join(wrong)
            first_tile = chain.index(tiles[0])
            assert all(chain.index(t) < chain.index(page.end_button) for t in tiles)
            assert chain.index(page.copy_button) < first_tile  # the invite, above the grid

            # pinning by keyboard: Enter pins, Space unpins, the menu key opens the menu
            ben = grid.tiles[BEN]
            _tab_to(window, ben)
            QTest.keyClick(ben, Qt.Key.Key_Return)
            assert grid.pinned == BEN
            assert QApplication.focusWidget() is ben  # still on the tile, now large
            QTest.keyClick(ben, Qt.Key.Key_Space)
            assert grid.pinned is None
            asked: list[str] = []  # the menu itself pops up on a real screen only
            grid.menu_requested.disconnect(page.member_menu)
            grid.menu_requested.connect(lambda seat_id, _where: asked.append(seat_id))
            QTest.keyClick(ben, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
            QTest.keyClick(ben, Qt.Key.Key_Menu)
            assert asked == [BEN, BEN]
            menu = page.member_actions(BEN)
            assert menu is not None
            assert menu.actions()[0].text() == "Pin for me"
        finally:
            await windows.close_all()

    run(scenario())
