"""A browser's video, received by aiortc through the project's Mesh, on an impaired network.

The real server, a real Chromium participant (Chloé, whose camera draws the frame
stamp: tests/web/stamped_camera.py) and the facilitator Ana on aiortc; the media of
both cross tests/net_impair.py (loss, delay, outages on every UDP packet). Freezes are
counted in frames of Chloé's stream never shown between two that Ana decoded (the
stamps' numbers), not timed: a busy machine sends frames later, never fewer.

Issue 14: an aiortc receiver froze a browser's video for 35-70 s after one lost packet.
"""

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
    run_async,
    server_and_facilitator,
    wait_step,
)
from stamped_camera import STAMPED_CAMERA, StampSink, frames_sent, longest_gap
from test_join_session import ANA, CHLOE, AiortcMember

from groupdesk.core.protocol import Admit, MemberJoined
from groupdesk.media.events import PeerState
from net_impair import Impairment, NetImpair

pytestmark = pytest.mark.slow

FPS = 15  # the stamped camera's frame rate
MAX_FREEZE = 2 * FPS  # frames: 2 s of Chloé's stream
WINDOW = 20 * FPS  # frames sent under impairment: 20 s of stream
OUTAGE_S = 5.0


def _numbers(sink: StampSink, since: int) -> list[int]:
    """The numbers of Chloé's frames Ana decoded, from frame ``since`` on."""
    return [n for n, *_ in sink.stamps[CHLOE] if n >= since]


def _last(sink: StampSink) -> int:
    stamps = sink.stamps[CHLOE]
    return stamps[-1][0] if stamps else -1


def _connected(ana: AiortcMember) -> bool:
    mesh = ana.link.mesh
    states = [e.state for e in ana.states if e.member_id == CHLOE]
    return (
        mesh is not None
        and CHLOE in mesh.peers
        and mesh.peers[CHLOE].pc.connectionState == "connected"
        and bool(states)
        and states[-1] is PeerState.CONNECTED
    )


async def _call(tmp_path: Path, net: NetImpair, scenario: str) -> None:
    ana = AiortcMember("Ana", 1)
    sink = StampSink()
    ana.decoded = sink  # before admission: the mesh is made with it
    async with (
        server_and_facilitator(tmp_path, client=ana.client, member_ids=[ANA, CHLOE]) as (
            _server,
            fac,
            opened,
        ),
        chromium() as page,
    ):
        try:
            await page.add_init_script(script=STAMPED_CAMERA)
            await go_to_lobby(page, opened.invite, name="Chloé")
            await next_lobby_with_someone(fac)
            await fac.send(Admit(member=CHLOE))
            await next_of(fac, MemberJoined)
            await wait_step(page, "session")
            await eventually(
                lambda: len(sink.stamps[CHLOE]) >= 2 * FPS,
                timeout=45,
                what=lambda: f"Ana decoding Chloé's stamped video ({ana.progress(CHLOE)})",
            )
            if scenario == "loss":
                await _five_percent_loss(sink, net, page)
            else:
                await _outage(ana, sink, net, page)
        finally:
            await ana.close()


async def _five_percent_loss(sink: StampSink, net: NetImpair, page: Page) -> None:
    net.set(Impairment(loss=0.05, delay_ms=100))
    start = await frames_sent(page)
    await eventually(
        lambda: _last(sink) >= start + WINDOW,
        timeout=50,
        what=lambda: f"{WINDOW} frames of Chloé's under 5% loss (at {_last(sink)} of {start})",
    )
    stats = net.stats()
    net.set(Impairment())
    shown = _numbers(sink, start)
    # The network was impaired (packets of both ways lost at random) ...
    assert stats["lost"] >= 20, stats
    # ... and yet Chloé's picture never stood still for 2 s of her stream, and most of
    # it was shown.
    assert longest_gap(shown) <= MAX_FREEZE, f"frames shown: {shown}"
    assert len(shown) >= WINDOW // 2


async def _outage(ana: AiortcMember, sink: StampSink, net: NetImpair, page: Page) -> None:
    net.set(Impairment(delay_ms=100))
    await eventually(lambda: len(sink.stamps[CHLOE]) >= 4 * FPS, what="more of Chloé's video")
    net.outage(OUTAGE_S)
    await eventually(
        lambda: net.stats()["blackholed"] >= 50,
        timeout=20,
        what="the outage under way",
    )
    during = _last(sink)
    # Pictures resume: at least 2 s of Chloé's stream after the outage, decoded.
    await eventually(
        lambda: len(_numbers(sink, during + int(OUTAGE_S * FPS))) >= 2 * FPS,
        timeout=45,
        what=lambda: f"Chloé's video after the outage (at {_last(sink)}; {ana.progress(CHLOE)})",
    )
    # The link recovered: connected again, and the stream goes on.
    await eventually(lambda: _connected(ana), timeout=20, what="the link to Chloé connected")
    after = _last(sink)
    await eventually(lambda: _last(sink) >= after + FPS, what="Chloé's video going on")
    assert net.stats()["blackholed"] >= 50
    # Counted in Chloé's frames: what went unseen is the outage and at most 2 s more.
    # Measured: 79 and 87 frames of 75 lost to the outage; aiortc's own buffer waits on the
    # outage's hole until it overflows: 270 (18 s).
    shown = _numbers(sink, during - 2 * FPS)
    assert longest_gap(shown) <= OUTAGE_S * FPS + MAX_FREEZE, f"frames shown: {shown}"
    assert await frames_sent(page) > after


@run_async
async def test_a_browsers_video_never_freezes_2_s_at_5_percent_loss(
    tmp_path: Path, net_impair: NetImpair
) -> None:
    await _call(tmp_path, net_impair, "loss")


@run_async
async def test_a_browsers_video_comes_back_after_an_outage(
    tmp_path: Path, net_impair: NetImpair
) -> None:
    await _call(tmp_path, net_impair, "outage")
