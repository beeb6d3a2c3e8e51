"""The facilitator's app tells the server how many people the session is planned for:
the policy's ``media_mode auto`` decides from it whether the room goes through the
organisation's media server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_helpers import prepared_log, synthetic
from ui_helpers import Run

from groupdesk.core.media_choice import room_media
from groupdesk.core.policy_values import load_policy
from groupdesk.server import app as server_app
from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.ui.live_session import LiveSession


def test_opening_a_room_declares_the_planned_size(
    run: Run[Any],
    memory_keyring: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int | None] = []

    def spy(mode: Any, planned: int | None, sfu_from: int) -> Any:
        asked.append(planned)
        return room_media(mode, planned, sfu_from)

    monkeypatch.setattr(server_app, "room_media", spy)

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Bruno", "Chloé"])
        live = LiveSession()
        # auto, with a Janus nobody runs: the room is a mesh, but the size was asked
        live.embedded_config = ServerConfig(
            sfu=SfuConfig("http://127.0.0.1:9/admin", "x" * 24, "auto", "http://127.0.0.1:9/janus")
        )
        try:
            policy = load_policy(tmp_path / "none")
            assert await live.open_room(log, session.id, sources=synthetic("Julie"), policy=policy)
            assert live.mesh is not None
            assert live.mesh.media == "mesh"
        finally:
            await live.close()
        await log.close()

    run(scenario())
    assert asked == [4]  # three expected members and the facilitator
