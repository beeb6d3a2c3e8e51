"""The live screen in an SFU room: the desktop facilitator's call goes through the
organisation's media server (a real Janus behind a real groupdesk-server), shows the
members it receives from it, says the call is not end-to-end encrypted and shows no
security code; a member who leaves loses their tile."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from live_helpers import prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.media.sfu import SfuCall
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "media"))  # Janus for tests
from sfu_helpers import needs_janus, sfu_server

pytestmark = pytest.mark.slow

SMALL = BotBehaviour(width=160, height=90, fps=10, hand_raises_per_minute=0)
CODE = re.compile(r"\d{3} \d{3} \d{3} \d{3}")


@needs_janus
def test_an_sfu_room_says_it_is_not_end_to_end_encrypted_and_shows_no_code(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with sfu_server() as (server, credential):
            log, session, _ = await prepared_log(tmp_path, ["Ana", "Bea"])
            live = LiveSession()
            page = LivePage(live)
            qtbot.addWidget(page)
            page.show()
            swarm = None
            try:
                assert await live.open_room(
                    log,
                    session.id,
                    server_url=server.ws_url,
                    account="ana",
                    credential=credential,
                    sources=synthetic("Julie"),
                )
                swarm = await run_bots(live.invite, 2, ["Ana", "Bea"], SMALL)
                await wait_for(lambda: len(live.lobby) == 2)
                await live.admit_all()
                await wait_for(lambda: len(page.grid.tiles) == 3, 30)
                call = live.mesh
                assert isinstance(call, SfuCall)
                seats = [bot.member_id for bot in swarm.bots]

                def pictures() -> bool:
                    return all(
                        s in call.peers and call.peers[s].received.video_frames >= 5 for s in seats
                    )

                await wait_for(pictures, 60)  # each member's picture, from the media server
                await wait_for(lambda: all(bot.meshed for bot in swarm.bots), 60)

                view = page.security_code_view
                tabs = page.side_tabs
                index = tabs.indexOf(view.panel)
                assert not tabs.buttons[index].isHidden()
                assert tabs.tabText(index) == "Not end-to-end encrypted"
                assert view.panel.code.text() == "Not end-to-end encrypted"
                about = view.panel.about.text()
                assert "your organisation's media server" in about
                assert "not end-to-end encrypted" in about
                assert "no security code" in about
                assert view.view is None  # no code computed...
                shown = [view.panel.code.text(), about, view.panel.changed.text()]
                assert not any(CODE.search(text) for text in shown)  # ...nor shown
                assert view.panel.changed.isHidden()

                languages.set_language("fr_CA")  # retranslated as the loop runs
                await wait_for(lambda: tabs.tabText(index) == "Non chiffré de bout en bout")
                assert view.panel.code.text() == "Non chiffré de bout en bout"
                assert "serveur média de votre organisation" in view.panel.about.text()
                languages.set_language("en")
                await wait_for(lambda: tabs.tabText(index) == "Not end-to-end encrypted")

                # Bea leaves: her tile goes, and her stream from the call
                bea = swarm.bots[1]
                gone = bea.member_id
                await bea.leave()
                await wait_for(lambda: gone not in page.grid.tiles and gone not in call.peers)
                assert len(page.grid.tiles) == 2
                assert tabs.tabText(index) == "Not end-to-end encrypted"
            finally:
                if swarm is not None:
                    await swarm.stop()
                await live.close()
                await log.close()

    run(scenario())
