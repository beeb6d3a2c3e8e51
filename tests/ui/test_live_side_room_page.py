"""What the private side room shows on the desktop: the tiles across it say so instead of
a frozen picture, and a participant's window says where the side room leaves them, in
English and in French; all gone once everyone is together again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession, LiveStage

pytestmark = pytest.mark.slow


def test_the_tiles_and_the_participants_windows_show_the_side_room(
    run: Run[Any], memory_keyring: Any, qtbot: Any, tmp_path: Path, languages: LanguageSwitcher
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Ben"])
        live = LiveSession()
        peers: list[LiveSession] = []
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            for i, name in enumerate(["Ana", "Ben"]):
                peers.append(await knock(live.invite, name, seed=i))
            ana, ben = peers
            pages = {}
            for who, session_ in (("julie", live), ("ana", ana), ("ben", ben)):
                page = LivePage(session_)
                qtbot.addWidget(page)
                page.show()
                pages[who] = page
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            await wait_for(
                lambda: all(p.stage is LiveStage.LIVE and len(p.members) == 3 for p in peers)
            )
            julie_seat, ana_seat, ben_seat = live.self_seat, ana.self_seat, ben.self_seat
            grid = {who: page.grid for who, page in pages.items()}
            await wait_for(lambda: grid["ben"].tiles[ana_seat].image is not None, timeout=30)
            assert not pages["ben"].side_notice.label.isVisible()

            await live.open_side_room(ana_seat)
            ana_notice, ben_notice = pages["ana"].side_notice.label, pages["ben"].side_notice.label
            await wait_for(lambda: ana_notice.isVisible() and ben_notice.isVisible())
            assert ana_notice.text() == "You are in a private conversation with the facilitator."
            assert ben_notice.text() == "Short pause: Ana is with the facilitator for a moment."
            assert not pages["julie"].side_notice.label.isVisible()  # she opened it
            # Ben's tiles of the pair: a notice, never their last picture
            for seat in (julie_seat, ana_seat):
                tile = grid["ben"].tiles[seat]
                assert tile.status_text() == "With the facilitator for a moment"
                assert "With the facilitator for a moment" in tile.accessibleName()
                assert tile.image is None
            assert grid["ben"].tiles[ben_seat].status_text() == ""
            # the pair see Ben "in the group"; each other as ever
            assert grid["ana"].tiles[ben_seat].status_text() == "In the group"
            assert grid["julie"].tiles[ben_seat].status_text() == "In the group"
            assert grid["julie"].tiles[ana_seat].apart is None
            assert grid["ana"].tiles[julie_seat].apart is None

            languages.set_language("fr_CA")
            french = "Vous êtes en conversation privée avec la personne qui anime."
            await wait_for(lambda: ana_notice.text() == french)  # the change is posted
            assert ben_notice.text() == (
                "Courte pause : Ana est avec la personne qui anime pour un moment."
            )
            tile = grid["ben"].tiles[ana_seat]
            assert tile.status_text() == "Avec la personne qui anime pour un moment"
            assert grid["ana"].tiles[ben_seat].status_text() == "Dans le groupe"
            languages.set_language("en")

            await live.close_side_room()
            await wait_for(lambda: not ana_notice.isVisible() and not ben_notice.isVisible())
            await wait_for(
                lambda: all(t.apart is None for g in grid.values() for t in g.tiles.values())
            )
            # the pictures come back (fresh ones: the frozen one was let go)
            await wait_for(lambda: grid["ben"].tiles[ana_seat].image is not None, timeout=30)
            await wait_for(lambda: grid["ana"].tiles[ben_seat].image is not None, timeout=30)
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())
