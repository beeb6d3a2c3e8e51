"""Admit all asks before letting in people who are not on the list; everyone admitted is
in the attendance (guests by the name they declared), on screen and in the log.

Real window (offscreen), embedded server, participants in the desktop app's participant mode.
"""

from __future__ import annotations

from typing import Any

import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Run, Windows

from groupdesk.core.models import Member
from groupdesk.core.protocol import LobbyEntry
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.lobby_panel import AdmitAllQuestion, LobbyPanel
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage


async def _window(windows: Windows, names: list[str]) -> tuple[MainWindow, int, list[Member]]:
    log, session, members = await prepared_log(windows.data_dir, names)
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.live_sources = synthetic("Julie Tremblay", 9)
    return window, session.id, members


def _question(panel: LobbyPanel) -> AdmitAllQuestion:
    panel.admit_all_button.click()
    box = panel.admit_all_question
    assert box is not None
    assert box.isVisible()
    return box


def _entry(seat: str, name: str) -> LobbyEntry:
    return LobbyEntry(member=seat, display_name=name, declared={}, waiting_since=0.0)


def test_admit_all_names_who_is_not_on_the_list(qtbot: Any, languages: Any) -> None:
    live = LiveSession()
    ana, ben, chloe = (Member(id=i, group_id=1, display_name=n) for i, n in
                       enumerate(["Ana", "Ben", "Chloé"], start=1))  # fmt: skip
    live.waiting_room.know_group([ana, ben, chloe], expected=[ana.id, chloe.id])
    live.waiting_room.update(
        [
            _entry("000000000001", "Ana"),
            _entry("000000000002", "Zoé"),
            _entry("000000000003", "Ben"),
            _entry("000000000004", "chloé"),
        ]
    )
    panel = LobbyPanel(live, None)
    qtbot.addWidget(panel)
    panel.show()
    box = _question(panel)
    assert box.text() == (
        "Not on the list of expected members: Zoé (not in the group), "
        "Ben (in the group, not expected)."
    )
    assert box.expected_button.text() == "Admit only the e&xpected (2)"
    assert box.all_button.text() == "Admit &everyone (4)"
    assert box.defaultButton() is box.expected_button  # Enter never lets a stranger in
    assert box.expected == ["000000000001", "000000000004"]  # Ana, and Chloé by her name
    box.cancel_button.click()
    assert box.chosen() == []
    assert panel.admit_all_question is None


@pytest.mark.slow
def test_admit_all_asks_then_guests_are_in_the_attendance_and_the_log(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, session_id, members = await _window(windows, ["Ana", "Ben", "Chloé"])
        page, live = window.live_page, window.live
        peers: list[LiveSession] = []
        try:
            assert await window.open_room_now(session_id)
            for i, name in enumerate(["Ana", "Ben", "Zoé"]):
                peers.append(await knock(live.invite, name, i))
            await wait_for(lambda: len(page.lobby.entries) == 3)

            # Cancel: nobody is let in.
            page.shortcut_actions["admit_all"].trigger()  # Ctrl+Shift+A
            box = page.lobby.admit_all_question
            assert box is not None
            assert box.text() == "Not on the list of expected members: Zoé (not in the group)."
            box.cancel_button.click()
            assert live.admitted_count == 0
            # Only the expected: Ana and Ben; Zoé keeps waiting.
            _question(page.lobby).expected_button.click()
            await wait_for(lambda: [p.name for p in live.lobby] == ["Zoé"])
            await wait_for(lambda: len(live.members) == 3)
            # Then everyone: Zoé, a guest.
            _question(page.lobby).all_button.click()
            await wait_for(lambda: not live.lobby and len(live.members) == 4)
            await wait_for(lambda: all(p.stage is LiveStage.LIVE for p in peers))

            page.confirm_end()
            end = page.findChild(QMessageBox)
            assert end is not None
            end.button(QMessageBox.StandardButton.Yes).click()
            await wait_for(lambda: live.stage is LiveStage.ENDED)
            stays = [page.attendance.item(i).text() for i in range(page.attendance.count())]
            assert sorted(s.split(":")[0] for s in stays) == ["Ana", "Ben", "Zoé (guest)"]
            assert "3 people attended" in page.summary.text()

            log = window.workspace.log
            assert log is not None
            logged = await log.attendance(session_id)
            assert sorted((s.member_id or 0, s.guest_name) for s in logged) == [
                (0, "Zoé"),
                (members[0].id, ""),
                (members[1].id, ""),
            ]
            assert all(s.left_at is not None for s in logged)
            journal = repr([e.data for e in await log.journal(session_id)])
            assert "Zoé" not in journal  # the journal keeps ids, never names
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())
