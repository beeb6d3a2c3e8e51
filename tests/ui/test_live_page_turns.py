"""The speaking turns on the live screens: the facilitator's panel and F8 in one window, the
participant's strip and tiles in another; real sessions on the embedded server."""

from __future__ import annotations

from typing import Any

import pytest
from live_helpers import answering, prepared_log, synthetic, wait_for
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows

from groupdesk.core.session.turn_events import GiveFloor
from groupdesk.ui.join_dialog import JoinDialog
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow


def test_the_panel_gives_the_floor_and_the_participant_sees_it(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir, ["Sophie"])
        await log.close()
        host_window = windows.open()
        await host_window.workspace.start()
        assert host_window.workspace.stage is Stage.OPEN
        host_window.live_sources = synthetic("Julie", 9)
        page, host = host_window.live_page, host_window.live
        guest_window = windows.open()
        guest_window.live_sources = synthetic("Sophie", 4)
        guest_page, guest = guest_window.live_page, guest_window.live
        try:
            assert await host_window.open_room_now(session.id)
            panel = page.turns_view.panel
            turns_tab = page.side_tabs.indexOf(panel)
            assert page.side_tabs.buttons[turns_tab].isVisibleTo(page)
            assert page.side_tabs.tabText(turns_tab) == "Turns"
            assert not page.turns_view.strip.isVisibleTo(page)  # a facilitator's panel

            guest_window.live_answers = answering()  # not about the questions
            assert await guest_window.join_now(host.invite, "Sophie")
            await wait_for(lambda: len(host.lobby) == 1)
            await host.admit_all()
            await wait_for(lambda: guest.stage.value == "live" and len(page.grid.tiles) == 2)
            assert not guest_page.side_tabs.buttons[turns_tab].isVisibleTo(guest_page)

            qtbot.mouseClick(guest_page.hand_button, Qt.MouseButton.LeftButton)
            await wait_for(panel.next_button.isEnabled)
            [row] = [r for r in panel.queue_rows if not r.isHidden()]
            assert "Sophie" in row.label.text()
            await wait_for(lambda: page.grid.tiles[guest.self_seat].hand_place == 1)
            await wait_for(lambda: "number 1" in guest_page.turns_view.strip.place_label.text())

            page.turns_view.panel.next_action.trigger()  # F8: the next speaker
            await wait_for(
                lambda: "You have the floor" in guest_page.turns_view.strip.floor_label.text()
            )
            assert not guest_page.hand_button.isChecked()  # the floor lowered the hand
            assert guest_page.turns_view.strip.timer_label.text() != ""
            assert page.grid.tiles[guest.self_seat].floor_timer  # the speaker's timer, on the tile
            assert "Sophie" in panel.speaker_label.text()

            page.turns_view.panel.end_action.trigger()  # F9: the turn ends
            await wait_for(
                lambda: "You have the floor" not in guest_page.turns_view.strip.floor_label.text()
            )
            # a refused command says why, on the page
            panel.command.emit(GiveFloor(host.self_seat))
            await wait_for(lambda: page.notice.text() == "Nobody is in line.")
        finally:
            await guest.close()
            await host.close()
            await windows.close_all()

    run(scenario())


def test_co_facilitating_is_offered_only_with_the_organisation_server(qtbot: Any) -> None:
    alone = JoinDialog(None, "")
    qtbot.addWidget(alone)
    alone.co_box.setChecked(True)
    assert not alone.co_box.isEnabled()
    assert not alone.co_facilitating()
    assert "organisation's server" in alone.co_box.toolTip()
    managed = JoinDialog(None, "https://groupdesk.example.org")
    qtbot.addWidget(managed)
    managed.co_box.setChecked(True)
    assert managed.co_facilitating()
