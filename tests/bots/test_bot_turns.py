"""Bots take turns: they follow the facilitator's turn state, speak when given the floor,
pass in a round, and play speech scripts whose truth the talk-time meter must match."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

import pytest
from bot_desk import BotDesk, turn_room
from bot_helpers import eventually, run

from groupdesk.app import build_parser, main
from groupdesk.bots import Bot, BotBehaviour, BotSwarm, SpeechScript, run_bots
from groupdesk.bots import cli as bots_cli
from groupdesk.core.protocol import (
    ClientApp,
    MuteRequested,
    RequestMute,
    ServerApp,
    ServerMessage,
    TurnState,
)
from groupdesk.core.session import turn_events as te
from groupdesk.media.sources import AUDIO_FRAME_S, SwitchableSpeechSource
from groupdesk.server.rooms import RoomRegistry

pytestmark = pytest.mark.slow

QUIET = BotBehaviour(
    send_video=False,
    receive_video=False,
    hand_raises_per_minute=0,
    speak_seconds=(2.0, 2.0),
    pass_probability=0.0,
    seed=5,
)


async def seated(desk: BotDesk, count: int, behaviour: BotBehaviour) -> BotSwarm:
    """``count`` bots admitted, meshed, their audio reaching the facilitator, and the
    facilitator's first turn state received by each."""
    swarm = await run_bots(desk.invite, count, behaviour=behaviour)
    await desk.admit_all(count)
    await swarm.wait_admitted(timeout=60)

    def flowing() -> bool:
        assert desk.link.mesh is not None
        peers = desk.link.mesh.peers
        return all(
            bot.member_id in peers and peers[bot.member_id].received.audio_frames >= 50
            for bot in swarm.bots
        )

    await eventually(flowing, timeout=30, what="audio from every bot")
    await desk.broadcast()
    await eventually(lambda: all(bot.turns is not None for bot in swarm.bots), what="a state")
    return swarm


def member(bot: Bot) -> str:
    assert bot.member_id is not None
    return bot.member_id


def test_a_bot_speaks_when_given_the_floor_the_others_stay_silent_hands_follow_the_queue() -> None:
    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 2, QUIET)
            ana, ben = swarm.bots
            try:
                await desk.act(te.GiveFloor(desk.member_id, member(ana)))
                await eventually(lambda: desk.heard(member(ana)), what="Ana heard")
                assert ana.has_turn
                assert not ben.has_turn
                assert ben.turns is not None
                assert ben.turns.speaker == member(ana)
                # She speaks her two seconds, then is silent with the floor still hers.
                await eventually(lambda: desk.silent_now(member(ana)), what="Ana done")
                assert ana.has_turn
                assert not ana.speaking
                assert not desk.heard(member(ben))
                assert ben.spoken_seconds() == 0.0

                # Ben raises his hand and waits in line; given the floor, his hand goes
                # down (the queue no longer holds him) and he speaks, Ana no longer.
                await ben.raise_hand()
                await eventually(lambda: desk.turns.queue() == (member(ben),))
                await desk.broadcast()
                await eventually(
                    lambda: ben.turns is not None and ben.turns.place_of(member(ben)) == 1
                )
                assert ben.hand_raised
                await desk.act(te.GiveFloor(desk.member_id))  # the next in line
                await eventually(lambda: desk.heard(member(ben)), what="Ben heard")
                assert not ben.hand_raised
                assert ben.has_turn
                assert not ana.has_turn
                assert ana.spoken_seconds() > 0.0
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_bots_honour_mute_all_and_unmute_when_given_the_floor() -> None:
    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 2, QUIET)
            ana, ben = swarm.bots
            ids = [member(ana), member(ben)]
            try:
                await desk.act(te.MuteAll(desk.member_id))
                await eventually(lambda: desk.muted == dict.fromkeys(ids, True), what="muted")
                assert ana.muted
                assert ben.muted
                await desk.act(te.GiveFloor(desk.member_id, member(ana)))
                await eventually(lambda: desk.heard(member(ana)), what="Ana heard")
                assert desk.muted == {member(ana): False, member(ben): True}
                assert not desk.heard(member(ben))
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_a_raised_hand_waits_in_line_until_the_floor_takes_it_down() -> None:
    busy = replace(QUIET, hand_raises_per_minute=120, hand_up_seconds=(0.2, 0.5))

    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 1, busy)  # the facilitator keeps a queue
            (ana,) = swarm.bots
            try:

                def in_line() -> bool:
                    seen = ana.turns
                    return seen is not None and seen.place_of(member(ana)) == 1

                await eventually(lambda: ana.hand_raised and in_line(), what="Ana in line")
                events = len(desk.app_events(member(ana)))
                # Given the floor, her hand is down (the queue no longer holds her); she
                # raises it again only after her turn.
                await desk.act(te.GiveFloor(desk.member_id, member(ana)))
                await eventually(lambda: ana.has_turn and not ana.hand_raised, what="floor")
                await desk.act(te.EndTurn(desk.member_id))
                await eventually(lambda: ana.hand_raised and in_line(), what="in line again")
                # In line, she never lowered it herself, however long she waited.
                assert desk.app_events(member(ana))[events:] == ["raise_hand"]
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_a_bot_passes_its_turn_in_a_round() -> None:
    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 2, replace(QUIET, pass_probability=1.0))
            ana, ben = swarm.bots
            try:
                await desk.act(te.StartRound(desk.member_id))
                # Each passes when its turn comes; the facilitator hears the passes
                # (nobody else does) and the round ends with nobody heard.
                await eventually(lambda: len(desk.passes) == 2, what="two passes")
                assert desk.passes == [member(ana), member(ben)]
                assert (ana.passes, ben.passes) == (1, 1)
                assert desk.turns.participant_view(desk.member_id).round is None
                await eventually(lambda: ben.turns is not None and ben.turns.state.round is None)
                assert not desk.heard(member(ana))
                assert not desk.heard(member(ben))
                assert ana.spoken_seconds() == ben.spoken_seconds() == 0.0
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_a_turn_state_from_a_participant_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 2, QUIET)
            ana, ben = swarm.bots
            try:
                # A server that relays a participant's control (an older one): Ben gives
                # Ana the floor; her bot checks who sent it, and does nothing.
                monkeypatch.setattr(RoomRegistry, "_check_control", lambda self, seat: None)
                heard: list[ServerMessage] = []
                ana.client.on_message(heard.append)  # after the bot's own handler
                forged = TurnState(queue=(member(ben),), floor=member(ana))
                await ben.client.send(ClientApp(event=forged))
                await eventually(
                    lambda: any(isinstance(m, ServerApp) and m.event == forged for m in heard),
                    what="the forged state at Ana's",
                )
                assert ana.turns is not None
                assert ana.turns.state == desk.state()
                assert not ana.has_turn
                assert not ana.speaking
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_the_room_ignores_a_participant_s_controls_and_the_bot_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A server that relays a participant's controls (an older one): Ben asks Ana to mute
    and gives her the floor; her bot's room (the desktop's rules) ignores both, and the
    bot logs what it ignored and why."""

    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 2, QUIET)
            ana, ben = swarm.bots
            try:
                monkeypatch.setattr(RoomRegistry, "_check_control", lambda self, seat: None)
                caplog.set_level(logging.WARNING, logger="groupdesk.bots.bot")
                heard: list[ServerMessage] = []
                ana.client.on_message(heard.append)  # after the bot's own handler
                await ben.client.send(RequestMute(member=member(ana)))
                await ben.client.send(ClientApp(event=TurnState(floor=member(ana))))
                await eventually(
                    lambda: (
                        any(isinstance(m, MuteRequested) for m in heard)
                        and any(
                            isinstance(m, ServerApp)
                            and m.sender == member(ben)
                            and isinstance(m.event, TurnState)
                            for m in heard
                        )
                    ),
                    what="Ben's controls at Ana's",
                )
                assert not ana.muted
                assert not ana.room.mute_requested
                assert not ana.has_turn
                ignored = [r.getMessage() for r in caplog.records if "ignored" in r.msg]
                assert ignored == [
                    f"bot 0 ignored mute_requested from {member(ben)}: not_a_facilitator",
                    f"bot 0 ignored turn_state from {member(ben)}: not_a_facilitator",
                ]
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_the_scripted_truth_excludes_muted_time() -> None:
    script = SpeechScript(bursts=((0.0, 4.0), (6.0, 3.0)), muted=((1.5, 1.0), (8.0, 5.0)))
    assert script.truth() == 3.0 + 2.0
    assert script.length == 13.0
    source = SwitchableSpeechSource(seed=1)
    frames = [source.next_samples() for _ in range(10)]  # not speaking: silence
    source.speaking = True
    frames += [source.next_samples() for _ in range(50)]
    source.muted = True  # speaking into a muted microphone: silence, not counted
    frames += [source.next_samples() for _ in range(25)]
    assert source.spoken_seconds == pytest.approx(50 * AUDIO_FRAME_S)
    silent = [not any(frame) for frame in frames]  # every sample zero
    assert silent == [True] * 10 + [False] * 50 + [True] * 25
    for bad in ((-1.0, 1.0), (0.0, 0.0), (0.0, float("inf"))):
        with pytest.raises(ValueError, match="bursts"):
            SpeechScript(bursts=(bad,))
    with pytest.raises(ValueError, match="pass_probability"):
        BotBehaviour(pass_probability=1.5)
    with pytest.raises(ValueError, match="speak_seconds"):
        BotBehaviour(speak_seconds=(3.0, 1.0))


SCRIPTS = (
    SpeechScript(bursts=((0.3, 4.0), (6.0, 4.0))),
    SpeechScript(bursts=((0.5, 7.0),), muted=((3.0, 1.5),)),  # muted mid-burst
    SpeechScript(bursts=((0.2, 4.0), (5.5, 3.0)), muted=((5.0, 4.0),)),  # a burst unheard
)


def test_talk_time_through_the_mesh_is_within_5_percent_of_the_scripted_truth() -> None:
    async def scenario() -> None:
        async with turn_room() as (_server, desk):
            swarm = await seated(desk, 3, QUIET)
            try:
                start = time.monotonic() + 0.5
                await asyncio.gather(
                    *(bot.play_script(s, start) for bot, s in zip(swarm.bots, SCRIPTS, strict=True))
                )
                ids = [member(bot) for bot in swarm.bots]
                await eventually(lambda: all(desk.silent_now(m) for m in ids), what="all quiet")
                assert desk.muted == dict.fromkeys(ids, False)  # all heard unmuted at the end
                # each said its microphone once admitted; a script's mute was told, and undone
                said = [desk.app_events(m).count("media_state") for m in ids]
                assert said == [1, 3, 3]
                for bot, script in zip(swarm.bots, SCRIPTS, strict=True):
                    truth = bot.spoken_seconds()
                    measured = desk.turns.talk_seconds(member(bot))
                    if script.muted:  # the muted speech was not sent
                        assert truth < sum(d for _, d in script.bursts) - 0.5
                    assert abs(measured - truth) <= 0.05 * truth, (bot.name, truth, measured)
            finally:
                await swarm.stop()

    run(scenario(), timeout=120)


def test_the_command_line_sets_how_bots_speak_and_pass(capsys: pytest.CaptureFixture[str]) -> None:
    link = "http://127.0.0.1:9/join#r=RoomRoomRoom&k=" + "s" * 32
    speech = ["--speak-seconds", "3-8", "--pass-probability", "0.5", "--chatter"]
    args = build_parser().parse_args(["bots", "--invite", link, "--count", "2", *speech])
    behaviour = bots_cli._plan(args).behaviour
    assert (behaviour.speak_seconds, behaviour.pass_probability) == ((3.0, 8.0), 0.5)
    assert behaviour.chatter
    defaults = bots_cli._plan(build_parser().parse_args(["bots", "--invite", link, "--count", "1"]))
    assert defaults.behaviour == BotBehaviour(seed=0)
    one = ["bots", "--invite", "x", "--count", "1"]
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "fr_CA", *one, "--pass-probability", "2"])
    assert exited.value.code == 2
    assert "--pass-probability prend un nombre de 0 à 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "en", *one, "--speak-seconds", "8-3"])
    assert exited.value.code == 2
    assert "--speak-seconds takes seconds (e.g. 5) or a range" in capsys.readouterr().err
