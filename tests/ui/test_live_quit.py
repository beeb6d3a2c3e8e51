"""Closing the window (or Ctrl+Q) during a live session asks first, and says what happens.

Real window (offscreen), embedded server, participants in the desktop app's participant mode.
"""

from __future__ import annotations

from typing import Any

import pytest
from live_helpers import answering, knock, prepared_log, synthetic, wait_for
from PySide6.QtGui import QKeySequence
from ui_helpers import Run, Windows

from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage

pytestmark = pytest.mark.slow


async def _window(windows: Windows, names: list[str]) -> tuple[MainWindow, int]:
    log, session, _ = await prepared_log(windows.data_dir, names)
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.live_sources = synthetic("Julie Tremblay", 9)
    return window, session.id


def _closes(window: MainWindow) -> list[bool]:
    """A list that gets an item once the window has closed (``closed``)."""
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    return closed


async def _still_live(host: LiveSession, peer: LiveSession, text: str) -> None:
    """``peer`` receives a chat line sent by ``host`` after the answer: nothing sent before
    it (an end of the room) was missed, and the peer is still in the session."""
    assert await host.send_chat(text)
    await wait_for(lambda: any(line.text == text for line in peer.chat))
    assert peer.stage is LiveStage.LIVE
    assert peer.problem is None


def test_quitting_a_live_session_asks_and_stay_keeps_it_end_ends_it(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana", "Ben"])
        live = window.live
        peers: list[LiveSession] = []
        try:
            assert await window.open_room_now(session_id)
            peers = [await knock(live.invite, "Ana", 0), await knock(live.invite, "Ben", 1)]
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit(live.lobby[0].seat)  # Ben keeps waiting
            ana = peers[0]
            await wait_for(lambda: ana.stage is LiveStage.LIVE and len(live.members) == 2)

            # Ctrl+Q: the question, with who would be affected; the session goes on.
            assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
            window.quit_action.trigger()
            box = window.quit_question
            assert box is not None
            assert box.isVisible()
            assert box.text() == "End the session for everyone and quit?"
            assert "People connected: 1." in box.informativeText()
            assert "Waiting in the waiting room: 1." in box.informativeText()
            assert box.end_button.text() == "&End for everyone and quit"
            assert box.defaultButton() is box.stay_button
            # Ben gives up waiting while the question is open: its counts follow (an end
            # with someone still waiting leaves a lobby preview's socket open, a matter of
            # its own, outside this test)
            await peers[1].close()
            await wait_for(lambda: not live.lobby)
            assert "Waiting in the waiting room" not in box.informativeText()
            box.stay_button.click()
            assert window.quit_question is None
            assert window.isVisible()
            assert live.stage is LiveStage.LIVE
            await _still_live(live, ana, "Toujours là")

            # Closing the window asks the same; "end" ends it for everyone, then quits.
            closed = _closes(window)
            window.close()
            assert window.isVisible()
            box = window.quit_question
            assert box is not None
            assert box.isVisible()
            box.end_button.click()
            await wait_for(lambda: bool(closed))
            assert not window.isVisible()
            assert live.stage is LiveStage.ENDED
            await wait_for(lambda: ana.stage is LiveStage.ENDED)
            assert ana.problem is LiveProblem.ENDED_BY_FACILITATOR
            log = window.workspace.log
            assert log is not None
            [session] = [s for s in await log.list_sessions() if s.id == session_id]
            assert session.actual_end is not None  # the end is in the log
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


def test_a_participant_window_asks_before_leaving(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir.parent / "host", ["Sophie", "Ana"])
        host = LiveSession()
        window = windows.open()
        window.live_sources = synthetic("Sophie", 4)
        live = window.live
        ana: LiveSession | None = None
        try:
            assert await host.open_room(log, session.id, sources=synthetic("Julie"))
            window.live_answers = answering()  # not about the questions
            assert await window.join_now(host.invite, "Sophie")
            ana = await knock(host.invite, "Ana", 2)
            await wait_for(lambda: len(host.lobby) == 2)
            await host.admit_all()
            await wait_for(lambda: live.stage is LiveStage.LIVE and len(live.members) == 3)

            window.quit_action.trigger()
            box = window.quit_question
            assert box is not None
            assert box.isVisible()
            assert box.text() == "Leave the session and quit?"
            assert "People connected: 2." in box.informativeText()
            assert "the others go on without you" in box.informativeText()
            box.stay_button.click()
            assert window.isVisible()
            await _still_live(host, live, "Encore là")

            closed = _closes(window)
            window.close()
            box = window.quit_question
            assert box is not None
            box.end_button.click()
            await wait_for(lambda: bool(closed))
            await wait_for(lambda: live.self_seat not in host.members)
            assert host.stage is LiveStage.LIVE  # the others go on
            await _still_live(host, ana, "On continue")
        finally:
            if ana is not None:
                await ana.close()
            await live.close()
            await host.close()
            await log.close()
            await windows.close_all()

    run(scenario())


def test_outside_a_live_session_quit_closes_at_once(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        window, _session_id = await _window(windows, ["Ana"])
        try:
            closed = _closes(window)
            window.quit_action.trigger()
            await wait_for(lambda: bool(closed))
            assert window.quit_question is None
            assert not window.isVisible()
        finally:
            await windows.close_all()

    run(scenario())
