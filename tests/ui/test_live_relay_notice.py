"""A relay-only policy on a server without TURN: the facilitator is told why nothing
connects (policy -> open_room -> the server's admission -> the live screen)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from live_helpers import prepared_log, synthetic
from ui_helpers import Run

from groupdesk.core.policy_values import load_policy
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession


def test_a_relay_only_room_without_turn_says_why_the_call_cannot_connect(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        for relay_only in (False, True):
            live = LiveSession()
            page = LivePage(live)
            qtbot.addWidget(page)
            page.show()
            policy = replace(load_policy(tmp_path / "none"), ice_relay_only=relay_only)
            try:
                assert await live.open_room(
                    log, session.id, sources=synthetic("Julie"), policy=policy
                )
                assert live.mesh is not None
                notice = page.relay_notice.label
                assert notice.isVisible() is relay_only
                if relay_only:  # the embedded server has no TURN server
                    assert "relay server only" in notice.text()
                    assert "groupdesk-server --turn" in notice.text()
                    assert not live.previews.enabled  # no preview to try in the lobby
                await live.end()
                assert not notice.isVisibleTo(page)
            finally:
                await live.close()
        await log.close()

    run(scenario())
