"""The security code on the live screen: facilitator and participant read the same one,
and the screen says when it changed because someone joined or left.

Real core objects throughout: the embedded server, aiortc meshes, a bot, the session log.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from live_helpers import answering, prepared_log, synthetic, wait_for
from ui_helpers import Run, Windows

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(width=160, height=90, fps=5, receive_video=False, hand_raises_per_minute=0)
CODE = re.compile(r"^\d{3} \d{3} \d{3} \d{3}$")


def test_facilitator_and_participant_show_the_same_code_and_its_change(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir.parent / "host", ["Sophie"])
        host = LiveSession()
        host_page = LivePage(host)
        qtbot.addWidget(host_page)
        window = windows.open()
        window.live_sources = synthetic("Sophie", 4)
        page, live = window.live_page, window.live
        swarm = None
        try:
            assert await host.open_room(log, session.id, sources=synthetic("Julie"))
            window.live_answers = answering()
            assert await window.join_now(host.invite, "Sophie")
            await wait_for(lambda: len(host.lobby) == 1)
            await host.admit_all()
            await wait_for(lambda: live.stage is LiveStage.LIVE)
            pages = (host_page, page)

            def shown() -> list[str]:
                return [p.security_code_view.panel.code.text() for p in pages]

            await wait_for(lambda: all(CODE.match(text) for text in shown()), timeout=60)
            first = shown()
            assert first[0] == first[1]
            for p in pages:
                index = p.side_tabs.indexOf(p.security_code_view.panel)
                assert p.side_tabs.tabText(index) == "Security code"
                assert not p.side_tabs.buttons[index].isHidden()
                assert "nobody is in the" in p.security_code_view.panel.about.text()
                assert p.security_code_view.panel.changed.isHidden()

            # Someone joins: a new code, the same on both screens, and both say why.
            swarm = await run_bots(host.invite, 1, ["Ana"], SMALL)
            await wait_for(lambda: len(host.lobby) == 1)
            await host.admit_all()
            await wait_for(
                lambda: all(CODE.match(t) and t != first[0] for t in shown()), timeout=30
            )
            second = shown()
            assert second[0] == second[1]
            for p in pages:
                notice = p.security_code_view.panel.changed
                assert not notice.isHidden()
                assert "joined: Ana" in notice.text()
                assert "Read it aloud again" in notice.text()
        finally:
            if swarm is not None:
                await swarm.stop()
            await live.close()
            await host.close()
            await log.close()
            await windows.close_all()

    run(scenario())
