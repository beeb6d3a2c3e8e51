"""Hybrid sessions: the facilitator marks who is present in the room, not on the call.

Real core objects: the embedded server, the session log (SQLCipher), the main window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from live_helpers import synthetic, wait_for
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows

from groupdesk.core.models import Modality, SessionKind
from groupdesk.sessionlog import KeyStore, SessionLog
from groupdesk.ui.live_session import LiveStage
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow


def test_a_member_marked_in_the_room_is_present_until_the_end(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
        group = await log.create_group("Proches aidants")
        ana, ben = [await log.add_member(group.id, name) for name in ("Ana", "Ben")]
        start = datetime.now(UTC)
        session = await log.create_session(
            group.id,
            start,
            start + timedelta(hours=2),
            Modality.HYBRID,
            ["Julie Tremblay"],
            expected_member_ids=[ana.id, ben.id],
        )
        await log.close()
        window = windows.open()
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        window.live_sources = synthetic("Julie Tremblay", 9)
        page, live = window.live_page, window.live
        view = page.in_room_view
        log_ = window.workspace.log
        assert log_ is not None
        try:
            assert not page.side_tabs.buttons[page.side_tabs.indexOf(view.panel)].isVisibleTo(page)
            assert await window.open_room_now(session.id)
            tab = page.side_tabs.buttons[page.side_tabs.indexOf(view.panel)]
            assert tab.isVisibleTo(page)
            assert tab.text() == "In the room (0)"
            members = view.panel.members
            assert members.accessibleName() == "Who is in the room"
            assert [members.item(i).text() for i in range(members.count())] == ["Ana", "Ben"]

            members.item(0).setCheckState(Qt.CheckState.Checked)  # Ana is in the room
            await wait_for(lambda: tab.text() == "In the room (1)")
            assert members.item(0).text() == "Ana — in the room"
            assert members.item(0).checkState() == Qt.CheckState.Checked
            [stay] = await log_.attendance(session.id)
            assert (stay.member_id, stay.in_room, stay.left_at) == (ana.id, True, None)

            # Ben ticked by mistake, then unticked: his stay closes at once.
            members.setCurrentRow(1)
            members.item(1).setCheckState(Qt.CheckState.Checked)
            await wait_for(lambda: tab.text() == "In the room (2)")
            members.item(1).setCheckState(Qt.CheckState.Unchecked)
            await wait_for(lambda: tab.text() == "In the room (1)")
            assert members.item(1).text() == "Ben"
            stays = {s.member_id: s for s in await log_.attendance(session.id)}
            assert stays[ben.id].in_room
            assert stays[ben.id].left_at is not None

            await live.end()
            assert live.stage is LiveStage.ENDED
            stays = {s.member_id: s for s in await log_.attendance(session.id)}
            assert stays[ana.id].in_room
            assert stays[ana.id].left_at == live.ended_at  # closed at the end
            lines = [page.attendance.item(i).text() for i in range(page.attendance.count())]
            assert sorted(line.split(":")[0] for line in lines) == [
                "Ana (in the room)",
                "Ben (in the room)",
            ]
        finally:
            await live.close()
            await windows.close_all()

    run(scenario())


def test_a_one_to_one_meeting_says_so_and_has_no_room_to_mark_when_remote(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
        group = await log.create_group("Proches aidants")
        ana = await log.add_member(group.id, "Ana")
        start = datetime.now(UTC)
        session = await log.create_session(
            group.id,
            start,
            start + timedelta(hours=1),
            Modality.REMOTE,
            ["Julie Tremblay"],
            expected_member_ids=[ana.id],
            kind=SessionKind.INDIVIDUAL,
        )
        await log.close()
        window = windows.open()
        await window.workspace.start()
        window.live_sources = synthetic("Julie Tremblay", 9)
        page, live = window.live_page, window.live
        try:
            assert await window.open_room_now(session.id)
            assert page.title.text() == "One-to-one meeting with Ana"
            tab = page.side_tabs.buttons[page.side_tabs.indexOf(page.in_room_view.panel)]
            assert not tab.isVisibleTo(page)  # a remote session: nobody is in a room
        finally:
            await live.close()
            await windows.close_all()

    run(scenario())
