"""The security code on the page: two browsers and the aiortc facilitator read the same one,
and the page says when it changed because someone joined.

Real Chromium pages, a real server, a real aiortc mesh on loopback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import (
    Page,
    chromium,
    eventually,
    go_to_lobby,
    next_lobby_with_someone,
    run_async,
    server_and_facilitator,
    wait_step,
)

from groupdesk.core.protocol import Admit, Admitted
from groupdesk.media.link import MeshLink, ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow

ANA, CHLOE, DAN = "eeeeeeeeeeee", "888888888888", "222222222222"
"""The facilitator on aiortc (Ana) and two browsers: Chloé offers to Ana, Dan to both."""
CODE = re.compile(r"^\d{3} \d{3} \d{3} \d{3}$")


class Facilitator:
    """The facilitator's media: an aiortc mesh without camera or microphone."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.link = MeshLink(self.client, self._make_mesh)

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        return Mesh(
            admitted.member, self.client, ice_servers=ice_servers(admitted), stats_interval=None
        )

    def code(self, members: int) -> str | None:
        """The facilitator's code once it covers ``members`` members (None before)."""
        mesh = self.link.mesh
        view = mesh.security_code() if mesh is not None else None
        return view.code if view is not None and len(view.members) == members else None

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


async def _code(page: Page) -> str:
    return (await page.inner_text("#security-code")).strip()


@run_async
async def test_browsers_and_the_facilitator_show_the_same_code(tmp_path: Path) -> None:
    ana = Facilitator()
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=[ANA, CHLOE, DAN]) as (
            _server,
            fac,
            opened,
        ),
        chromium() as chloe,
    ):
        try:
            await go_to_lobby(chloe, opened.invite, name="Chloé")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await wait_step(chloe, "session")

            async def same_code(pages: tuple[Page, ...], members: int) -> bool:
                expected = ana.code(members)
                return expected is not None and all([await _code(p) == expected for p in pages])

            await eventually(
                lambda: same_code((chloe,), 2), timeout=45, what="Chloé and Ana: one code"
            )
            first = await _code(chloe)
            assert CODE.match(first)
            assert "nobody is in the middle" in await chloe.inner_text("#security")
            assert await chloe.is_hidden("#security-changed")

            # Dan joins, from a French browser: a new code, the same for all three.
            context = await chloe.context.browser.new_context(locale="fr-CA")
            dan = await context.new_page()
            try:
                await go_to_lobby(dan, opened.invite, name="Dan")
                await next_lobby_with_someone(fac)
                await fac.send(Admit(member=DAN))
                await wait_step(dan, "session")
                await eventually(
                    lambda: same_code((chloe, dan), 3), timeout=45, what="three: one code"
                )
                assert await _code(chloe) != first
                assert "Code de sécurité" in await dan.inner_text("#security")
                changed = await chloe.inner_text("#security-changed")
                assert "joined: Dan" in changed
                assert "Read it aloud again" in changed
            finally:
                await context.close()
        finally:
            await ana.close()
