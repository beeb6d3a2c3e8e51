"""Speaking turns through the desktop app: the facilitator's desk, two participants' apps,
the real signalling server and the session log."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from live_helpers import knock, prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.bots import BotBehaviour, SpeechScript, run_bots
from groupdesk.core.policy_values import load_policy
from groupdesk.core.session import turn_events as ev
from groupdesk.server.app import ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.rooms import RoomRules
from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_session import LiveSession, LiveStage


def test_hands_floor_round_and_mute_requests_reach_everyone_and_the_journal(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Ben"])
        live = LiveSession()
        peers: list[LiveSession] = []
        refusals: list[str] = []
        live.turns.refused.connect(refusals.append)
        try:
            policy = replace(load_policy(tmp_path / "none"), turn_seconds=90, lobby_preview=False)
            assert await live.open_room(log, session.id, sources=synthetic("Julie"), policy=policy)
            for i, name in enumerate(["Ana", "Ben"]):
                peers.append(await knock(live.invite, name, seed=i))
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            ana, ben = peers
            await wait_for(lambda: all(p.stage is LiveStage.LIVE for p in peers))
            await wait_for(lambda: len(ana.members) == 3 and len(ben.members) == 3)
            me = live.self_seat

            # Hands, in the order raised: each participant sees their own place.
            await ben.set_hand_raised(True)
            await wait_for(lambda: live.turns.view().queue != ())  # type: ignore[union-attr]
            await ana.set_hand_raised(True)
            await wait_for(lambda: (ana.turns.seen() or _none).place == 2)
            view = live.turns.view()
            assert view is not None
            assert [e.member for e in view.queue] == [ben.self_seat, ana.self_seat]
            assert (ben.turns.seen() or _none).place == 1

            # The next speaker is Ben: his hand goes down everywhere; everyone sees the
            # floor and the policy's limit; Ana moves up.
            await live.turn_command(ev.GiveFloor(me))
            await wait_for(lambda: (ana.turns.seen() or _none).place == 1)
            seen = ben.turns.seen()
            assert seen is not None
            assert seen.speaker == ben.self_seat
            assert seen.timer is not None
            assert seen.timer.limit == 90.0
            assert not ben.hand_raised
            await wait_for(lambda: not live.members[ben.self_seat].hand_raised)
            assert live.members[ana.self_seat].hand_raised

            # Everyone but the speaker is asked to mute: Ana's app honours it, Ben's not.
            await live.turn_command(ev.MuteAllButSpeaker(me))
            await wait_for(lambda: ana.muted and ana.mute_requested)
            assert not ben.muted

            # A round: the floor follows it; Ana passes when her turn comes.
            await live.turn_command(ev.EndTurn(me))
            await live.turn_command(ev.StartRound(me))
            await wait_for(lambda: (ana.turns.seen() or _none).round is not None)
            first = (ana.turns.seen() or _none).round
            assert first is not None
            assert first.total == 2
            assert first.current == ana.self_seat
            assert (ana.turns.seen() or _none).my_turn_in_round
            assert not (ben.turns.seen() or _none).my_turn_in_round
            await ana.pass_turn()
            await wait_for(lambda: (ben.turns.seen() or _none).my_turn_in_round)
            # A participant's pass out of turn is refused by the desk, not shown to us.
            await ana.pass_turn()
            await live.turn_command(ev.GiveFloor(me, ana.self_seat))  # refused: a round runs
            await wait_for(lambda: refusals == ["round_running"])
            await live.turn_command(ev.SkipInRound(me))
            await wait_for(lambda: (ben.turns.seen() or _none).round is None)

            await live.end()
            kinds = [e.kind for e in await log.journal(session.id)]
            for kind in (
                "turn.hand_raised",
                "turn.hand_lowered",
                "turn.floor_given",
                "turn.floor_ended",
                "member.mute_requested",
                "round.started",
                "round.passed",
                "round.skipped",
                "round.finished",
                "turn.talk_time",
            ):
                assert kind in kinds, kind
            assert kinds.index("turn.talk_time") < kinds.index("session.ended")
            assert kinds.count("turn.talk_time") == 3  # the facilitator and both members
            assert live.record is not None
            assert live.record.failures == 0
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())


class _NoTurns:
    place = None
    round = None
    my_turn_in_round = False
    queue = ()
    speaker = "nobody"


_none: Any = _NoTurns()


def test_a_co_facilitator_sees_the_turns_acts_on_them_and_carries_them_on(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        store = CredentialStore(tmp_path / "server")
        julie, eve = store.add("julie"), store.add("eve")
        config = ServerConfig(rules=RoomRules(grace_seconds=0.5))
        server = await start_server("127.0.0.1", 0, config=config, credentials=store)
        log, session, _ = await prepared_log(tmp_path / "log", ["Ana"])
        live, co = LiveSession(), LiveSession()
        peers: list[LiveSession] = []
        try:
            assert await live.open_room(
                log, session.id, server_url=server.url, account="julie", credential=julie
            )
            # a wrong credential is refused, and nothing is lost
            assert not await co.co_facilitate(
                live.invite, "Eve", account="eve", credential="w" * 32
            )
            assert co.problem is LiveProblem.CREDENTIAL_REFUSED
            assert await co.co_facilitate(live.invite, "Eve", account="eve", credential=eve)
            assert co.stage is LiveStage.LIVE
            assert not co.turns.leads
            # admitting from the co-facilitator's app waits on the same required items
            assert co.room.lobby.questions == live.room.lobby.questions != ()
            assert co.room.lobby.consent_version == live.room.lobby.consent_version
            peers.append(await knock(live.invite, "Ana"))
            await wait_for(lambda: len(live.lobby) == 1)
            await live.admit_all()
            [ana] = peers
            await wait_for(lambda: ana.stage is LiveStage.LIVE and len(co.members) == 3)

            await ana.set_hand_raised(True)
            await wait_for(
                lambda: [q.member for q in (co.turns.view() or _none).queue] == [ana.self_seat]
            )
            # the co-facilitator gives the floor: the facilitator's app applies it
            await co.turn_command(ev.GiveFloor(co.self_seat))
            await wait_for(lambda: (ana.turns.seen() or _none).speaker == ana.self_seat)
            assert live.turns.view().speaker == ana.self_seat  # type: ignore[union-attr]

            # the facilitator's app drops for good: the co-facilitator carries the turns on
            await live.conn.close()
            await wait_for(lambda: co.turns.leads)
            await co.turn_command(ev.EndTurn(co.self_seat))
            await wait_for(lambda: (ana.turns.seen() or _none).speaker is None)
            await co.turn_command(ev.StartRound(co.self_seat))
            await wait_for(lambda: (ana.turns.seen() or _none).my_turn_in_round)
            await co.end()  # it keeps the turns now: its end ends the room
            await wait_for(lambda: ana.stage is LiveStage.ENDED)
        finally:
            for peer in peers:
                await peer.close()
            await co.close()
            await live.close()
            await log.close()
            await server.stop()

    run(scenario())


SCRIPTS = (
    SpeechScript(bursts=((0.3, 4.0), (5.5, 3.0))),
    SpeechScript(bursts=((0.5, 6.0),), muted=((2.5, 1.5),)),  # muted mid-burst: not counted
)


def test_talk_time_on_the_desktop_is_within_5_percent_of_what_was_said(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    """Simulated participants speak scripted bursts through the real mesh; the facilitator's
    app measures each one's talk time from the voice it hears, never while muted."""

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Ben"])
        live = LiveSession()
        quiet = BotBehaviour(
            send_video=False,
            receive_video=False,
            hand_raises_per_minute=0,
            pass_probability=0.0,
            seed=3,
        )
        swarm = None
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            await live.set_muted(True)  # the facilitator's own voice is not in this test
            swarm = await run_bots(live.invite, 2, ["Ana", "Ben"], quiet)
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            await swarm.wait_admitted(timeout=60)
            ids = [bot.member_id for bot in swarm.bots]

            def flowing() -> bool:
                mesh = live.mesh
                return mesh is not None and all(
                    seat in mesh.peers and mesh.peers[seat].received.audio_frames >= 50
                    for seat in ids
                )

            await wait_for(flowing, timeout=60)
            start = time.monotonic() + 0.5
            await asyncio.gather(
                *(bot.play_script(s, start) for bot, s in zip(swarm.bots, SCRIPTS, strict=True))
            )
            await wait_for(lambda: not any(live.members[s].speaking for s in ids), timeout=10)
            view = live.turns.view()
            assert view is not None
            talk = {t.member: t.seconds for t in view.talk}
            for bot, script in zip(swarm.bots, SCRIPTS, strict=True):
                truth = bot.spoken_seconds()
                if script.muted:
                    assert truth < sum(d for _, d in script.bursts) - 1.0
                measured = talk[bot.member_id]
                assert abs(measured - truth) <= 0.05 * truth, (bot.name, truth, measured)
            assert talk[live.self_seat] == 0.0  # muted all along
        finally:
            if swarm is not None:
                await swarm.stop()
            await live.close()
            await log.close()

    run(scenario())


def test_the_policy_says_how_turns_go_when_a_session_starts(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        peers: list[LiveSession] = []
        try:
            policy = replace(
                load_policy(tmp_path / "none"),
                turn_seconds=60,
                turn_queue_order="quieter_first",
                floor_lowers_hand=False,
                lobby_preview=False,
            )
            assert await live.open_room(log, session.id, sources=synthetic("Julie"), policy=policy)
            peers.append(await knock(live.invite, "Ana"))
            await wait_for(lambda: len(live.lobby) == 1)
            await live.admit_all()
            [ana] = peers
            await wait_for(lambda: ana.stage is LiveStage.LIVE)
            view = live.turns.view()
            assert view is not None
            assert view.queue_order == "quieter_first"
            assert view.turn_limit == 60.0
            await ana.set_hand_raised(True)
            await wait_for(lambda: (ana.turns.seen() or _none).place == 1)
            await live.turn_command(ev.GiveFloor(live.self_seat))
            await wait_for(lambda: (ana.turns.seen() or _none).speaker == ana.self_seat)
            assert (ana.turns.seen() or _none).place == 1  # the floor left the hand up
            assert ana.hand_raised
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())
