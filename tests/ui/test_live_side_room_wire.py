"""The private side room really isolates, on the wire: a facilitator's desktop app, two
desktop participants and a bot, through the real embedded server on loopback, with real
aiortc media. During the side room (the facilitator and Ana) no frame crosses between
the pair and the others, either way; afterwards everyone receives everyone again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from live_helpers import FPS, HEIGHT, WIDTH, knock, prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.bots.behaviour import BotBehaviour
from groupdesk.bots.bot import Bot
from groupdesk.core.protocol import Admitted, MemberInfo, parse_invite_link
from groupdesk.media.mesh import Mesh
from groupdesk.ui.live_call import LiveCall
from groupdesk.ui.live_session import LiveSession, LiveStage

pytestmark = pytest.mark.slow


@dataclass
class _App:
    """One member's app, whatever kind: its seat, its mesh, the seats it leaves alone."""

    seat: str
    mesh: Mesh
    owner: LiveSession | Bot

    @property
    def blocked(self) -> frozenset[str]:
        owner = self.owner
        return owner.call.blocked if isinstance(owner, LiveSession) else owner.blocked


def _decoded(receiver: _App, sender: _App) -> tuple[int, int]:
    """Video and audio frames decoded from ``sender``'s RTP, whether shown or dropped."""
    got = receiver.mesh.peers[sender.seat].received
    return got.video_frames + got.blocked_video_frames, got.audio_frames + got.blocked_audio_frames


def _shown(receiver: _App, sender: _App) -> tuple[int, int]:
    """What went on to the tiles and the speakers (or the bot's sink)."""
    got = receiver.mesh.peers[sender.seat].received
    return got.video_frames, got.audio_frames


Links = list[tuple[_App, _App]]


async def _each_gets_more(links: Links, video: int, audio: int) -> None:
    """Until every (receiver, sender) link decoded ``video`` and ``audio`` more frames:
    time, counted in frames, for whatever was in flight to land."""
    start = {(r.seat, s.seat): _decoded(r, s) for r, s in links}
    await wait_for(
        lambda: all(
            _decoded(r, s)[0] >= start[r.seat, s.seat][0] + video
            and _decoded(r, s)[1] >= start[r.seat, s.seat][1] + audio
            for r, s in links
        ),
        timeout=20,
    )


def test_nothing_crosses_the_side_room_and_everyone_is_together_after(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Ben", "Chloé"])
        live = LiveSession()
        peers: list[LiveSession] = []
        quiet = BotBehaviour(width=WIDTH, height=HEIGHT, fps=FPS, hand_raises_per_minute=0)
        bot = Bot("Chloé", 2, quiet)
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            for i, name in enumerate(["Ana", "Ben"]):
                peers.append(await knock(live.invite, name, seed=i))
            await bot.join(parse_invite_link(live.invite))
            await wait_for(lambda: len(live.lobby) == 3)
            await live.admit_all()
            ana, ben = peers
            await wait_for(lambda: all(p.stage is LiveStage.LIVE for p in peers))
            await bot.wait_meshed(20)
            owners: list[LiveSession | Bot] = [live, ana, ben, bot]
            await wait_for(
                lambda: all(o.mesh is not None and len(o.mesh.peers) == 3 for o in owners)
            )
            apps = [_App(o.mesh.local_id, o.mesh, o) for o in owners if o.mesh is not None]
            every: Links = [(r, s) for r in apps for s in apps if r is not s]
            await wait_for(lambda: all(_shown(r, s) >= (5, 25) for r, s in every), timeout=30)

            await live.open_side_room(ana.self_seat)
            pair = {live.self_seat, ana.self_seat}
            apart: Links = [(r, s) for r, s in every if (r.seat in pair) != (s.seat in pair)]
            together: Links = [(r, s) for r, s in every if (r, s) not in apart]
            # every app heard of it (the pair's from its own room, the others' from the
            # facilitator's message through the server), and its mesh honours it
            await wait_for(
                lambda: all(
                    a.blocked == a.mesh.blocked == {s.seat for r, s in apart if r is a}
                    for a in apps
                )
            )
            shown = {(r.seat, s.seat): _shown(r, s) for r, s in apart}
            await _each_gets_more(together, 5, 50)  # the settle: in-flight frames land
            during = {(r.seat, s.seat): _decoded(r, s) for r, s in apart}
            await _each_gets_more(together, 15, 100)  # two seconds more on each side
            # no RTP between the sides (the senders stopped) ...
            assert {(r.seat, s.seat): _decoded(r, s) for r, s in apart} == during
            # ... and nothing of the other side reached a tile or a speaker
            assert {(r.seat, s.seat): _shown(r, s) for r, s in apart} == shown
            connections = {a.seat: dict(a.mesh.peers) for a in apps}

            await live.close_side_room()
            await wait_for(lambda: all(not a.blocked and not a.mesh.blocked for a in apps))
            await wait_for(
                lambda: all(
                    _shown(r, s)[0] >= shown[r.seat, s.seat][0] + 5
                    and _shown(r, s)[1] >= shown[r.seat, s.seat][1] + 25
                    for r, s in apart
                ),
                timeout=20,
            )
            # the same connections all along: back at once, nothing renegotiated
            assert {a.seat: dict(a.mesh.peers) for a in apps} == connections
        finally:
            await bot.leave()
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())


class _NoSignals:
    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        raise AssertionError("nothing is sent here")


def _admitted(seat: str) -> Admitted:
    return Admitted(
        room="room-0001",
        member=seat,
        role="participant",
        members=(MemberInfo(member=seat, display_name="Ana", role="participant"),),
        ice_servers=(),
        resume_token="t" * 16,
        grace_seconds=60.0,
    )


def test_a_mesh_made_after_the_side_room_opened_starts_with_it(run: Run[Any]) -> None:
    """A desktop app or a bot told of a side room before its mesh exists (a newcomer
    told at once, a resumed seat) makes its mesh with the seats to leave alone."""

    async def scenario() -> None:
        call = LiveCall()
        call.set_blocked(frozenset({"f00000000001"}))
        mesh = call.start(
            _admitted("a00000000001"),
            _NoSignals(),  # type: ignore[arg-type]
            muted=True,
            camera_off=True,
            on_event=lambda _event: None,
        )
        assert mesh.blocked == {"f00000000001"}
        call.set_blocked(frozenset())
        assert mesh.blocked == frozenset()
        await mesh.close()
        call.stopped()
        call.shutdown()

        bot = Bot("Chloé")
        bot._reach(frozenset({"f00000000001"}))
        made = bot._make_mesh(_admitted("b00000000002"))
        assert made.blocked == {"f00000000001"}
        await made.close()
        await bot.client.close()

    run(scenario())
