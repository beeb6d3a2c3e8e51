"""Incarnations between the browser page and aiortc: a new program on an old seat is
reconnected at once, by both sides, without waiting for a watchdog."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    next_lobby_with_someone,
    next_of,
    page_state,
    run_async,
    server_and_facilitator,
    wait_step,
)
from test_join_session import ANA, CHLOE, AiortcMember, Decoded

from groupdesk.core.protocol import Admit, MemberJoined, MemberLeft, ServerMessage, ServerSignal
from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import is_media_signal
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource

pytestmark = pytest.mark.slow


class NewProgram:
    """Ana's seat taken over by a new mesh (as a restarted program would, after resuming)."""

    def __init__(self, ana: AiortcMember) -> None:
        self.decoded = Decoded()
        self.mesh = Mesh(
            ANA,
            ana.client,
            video=TestPatternSource("Ana again", 320, 180, 15),
            audio=SpeechLikeAudioSource(seed=3, talk_ratio=1.0),
            sink=self.decoded,
            stats_interval=None,
        )
        self._unsubscribe = ana.client.on_message(self._handle)

    async def _handle(self, message: ServerMessage) -> None:
        if isinstance(message, ServerSignal) and is_media_signal(message.payload):
            await self.mesh.handle_signal(message.sender, message.payload)
        elif isinstance(message, MemberJoined):
            await self.mesh.member_joined(message.member.member)
        elif isinstance(message, MemberLeft):
            await self.mesh.member_left(message.member)

    async def close(self) -> None:
        self._unsubscribe()
        await self.mesh.close()


async def _frames_from(page: Page, member_id: str) -> int:
    members = (await page_state(page))["members"]
    member = members.get(member_id)
    if member is None or member["state"] != "connected":
        return -1
    frames: int = member["video"]["framesDecoded"]
    return frames


@run_async
async def test_a_new_program_on_a_seat_is_reconnected_at_once_both_ways(tmp_path: Path) -> None:
    ana = AiortcMember("Ana", 1)
    new: NewProgram | None = None
    # Chloé's id sorts first: the page offers, Ana answers.
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=[ANA, CHLOE]) as (
            _server,
            fac,
            opened,
        ),
        chromium() as page,
    ):
        try:
            await go_to_lobby(page, opened.invite, name="Chloé")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await next_of(fac, MemberJoined)
            await wait_step(page, "session")
            await eventually(
                lambda: ana.hears_and_sees(CHLOE), timeout=45, what="Ana decoding Chloé"
            )
            await eventually(lambda: _more_frames(page, ANA, 15), what="the page plays Ana")
            first = await ana.link.ready()
            old_incarnation = first.incarnation
            state = await page_state(page)
            page_incarnation = state["incarnation"]
            assert first._incarnations[CHLOE] == page_incarnation

            # Ana's program dies (its mesh goes, the seat stays) and a new one takes over.
            await ana.link.stop()
            new = NewProgram(ana)
            await new.mesh.member_joined(CHLOE)
            assert new.mesh.incarnation != old_incarnation

            async def page_sees_ana_again() -> bool:
                restarts = (await page_state(page))["meshRestarts"]
                return restarts.get("new_incarnation") == 1 and await _frames_from(page, ANA) > 0

            await eventually(page_sees_ana_again, timeout=30, what="the page reconnected to Ana")
            shown = await _frames_from(page, ANA)
            await eventually(
                lambda: _more_frames(page, ANA, shown + 10), timeout=30, what="Ana's new video"
            )
            await eventually(
                lambda: new.decoded.video[CHLOE] >= 15, timeout=30, what="Chloé seen by the new Ana"
            )
            # No watchdog and no request was needed on either side: the new program's first
            # word told the page, which offered generation 0 to it.
            assert new.mesh.restarts == {}
            assert new.mesh.peers[CHLOE].gen == 0
            page_restarts = (await page_state(page))["meshRestarts"]
            assert page_restarts.get("new_incarnation") == 1
            assert "timeout" not in page_restarts
            assert "requested" not in page_restarts

            # Late words from the dead program, or meant for another page than this one,
            # change nothing; a request from the new program is heard (and counted) once.
            await ana.client.send_signal(
                CHLOE, {"type": "media.restart", "gen": 0, "incarnation": old_incarnation}
            )
            await ana.client.send_signal(
                CHLOE,
                {
                    "type": "media.restart",
                    "gen": 0,
                    "incarnation": new.mesh.incarnation,
                    "to_incarnation": "an-earlier-page",
                },
            )
            await new.mesh.restart(CHLOE)
            await eventually(
                lambda: _page_restarts(page, "requested", 1), what="the page heard the request"
            )
            await eventually(lambda: new.mesh.peers[CHLOE].gen == 1, what="generation 1")
            page_restarts = (await page_state(page))["meshRestarts"]
            assert (page_restarts["requested"], page_restarts["new_incarnation"]) == (1, 1)

            # The reverse: the page is reloaded (it resumes its seat from sessionStorage);
            # Ana's mesh hears a new incarnation and drops the old connection at once.
            before = new.decoded.video[CHLOE]
            await page.reload()
            await wait_step(page, "session")
            state = await page_state(page)
            assert state["member"] == CHLOE
            assert state["incarnation"] != page_incarnation
            await eventually(
                lambda: new.mesh.restarts.get("new_incarnation") == 1,
                what="Ana hearing the new page",
            )
            await eventually(
                lambda: new.decoded.video[CHLOE] >= before + 15,
                timeout=30,
                what="Chloé's video from the reloaded page",
            )
            await eventually(
                lambda: _more_frames(page, ANA, 15), timeout=30, what="the reloaded page plays Ana"
            )
            # The unloaded page's connection may have said goodbye first ("failed"); what
            # replaced it is the new incarnation, not a watchdog.
            restarts = new.mesh.restarts
            assert (restarts["manual"], restarts["new_incarnation"]) == (1, 1)
            assert "timeout" not in restarts
            assert "requested" not in restarts
            assert new.mesh.peers[CHLOE].gen == 0
            assert new.mesh._incarnations[CHLOE] == state["incarnation"]
            page_restarts = (await page_state(page))["meshRestarts"]
            assert "timeout" not in page_restarts
        finally:
            if new is not None:
                await new.close()
            await ana.close()


async def _more_frames(page: Page, member_id: str, than: int) -> bool:
    return await _frames_from(page, member_id) > than


async def _page_restarts(page: Page, cause: str, count: int) -> bool:
    restarts = (await page_state(page))["meshRestarts"]
    return bool(restarts.get(cause) == count)
