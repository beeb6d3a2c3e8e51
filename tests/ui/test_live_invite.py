"""The live screen says when the invite link cannot serve a real session, and what to use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_helpers import prepared_log, synthetic
from ui_helpers import Run

from groupdesk.ui.live_entry import invite_reach
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage


@pytest.mark.parametrize(
    ("invite", "embedded", "reach"),
    [
        ("http://127.0.0.1:8765/join/r#k", True, "this_computer"),
        ("http://localhost:8765/join/r#k", False, "this_computer"),
        ("https://[::1]:8443/join/r#k", False, "this_computer"),
        ("http://192.168.1.20:8765/join/r#k", True, "no_camera"),
        ("http://groupdesk.example.org/join/r#k", False, "no_camera"),
        ("https://groupdesk.example.org/join/r#k", False, None),
    ],
)
def test_which_links_other_computers_cannot_use(
    invite: str, embedded: bool, reach: str | None
) -> None:
    assert invite_reach(invite, embedded) == reach


def test_the_embedded_server_link_is_said_to_work_on_this_computer_only(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        page = LivePage(live)
        qtbot.addWidget(page)
        page.show()
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            assert live.embedded
            assert page.invite.isVisible()
            assert page.invite_warning.isVisible()
            text = page.invite_warning.text()
            assert "works only on this computer" in text
            assert "organisation's server" in text
            assert "server_url" in text
            page.copy_invite()
            assert "this computer only" in page.notice.text()
            await live.end()
            assert not page.invite_warning.isVisibleTo(page)
        finally:
            await live.close()
            await log.close()

    run(scenario())


def test_an_organisation_server_on_https_gets_no_warning(qtbot: Any, languages: Any) -> None:
    live = LiveSession()
    page = LivePage(live)
    qtbot.addWidget(page)
    page.show()
    # As the room stands once opened on the organisation's server (see test_live_session
    # for the sign-in itself: the test servers listen on loopback, without TLS).
    live.invite = "https://groupdesk.example.org/join/7f3a#secret"
    live.embedded = False
    live.stage = LiveStage.LIVE
    page.show_state()
    assert page.invite.isVisible()
    assert not page.invite_warning.isVisible()
    live.invite = "http://groupdesk.example.org/join/7f3a#secret"  # no TLS: no camera
    page.show_state()
    assert page.invite_warning.isVisible()
    assert "not secure (http)" in page.invite_warning.text()
