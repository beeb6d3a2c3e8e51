"""The crisis drill's script: its schedule on a fake clock, and a real bot playing it
against the real server and a facilitator's mesh (help asked in private, silent, dropped
with the seat held, back in the same seat with its resume token)."""

from __future__ import annotations

import asyncio
import random
import signal
from typing import Any

import pytest
from bot_helpers import BotsProcess, eventually, room, run

from groupdesk import app
from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.bots import cli as bots_cli
from groupdesk.bots.crisis_script import CrisisSchedule, CrisisScript, help_words, play_crisis
from groupdesk.bots.speech import BotSpeech
from groupdesk.core.i18n import set_language
from groupdesk.core.protocol import ServerChat
from groupdesk.core.session.room_state import PeerState
from groupdesk.media.events import PeerStateChanged

LINK = "http://127.0.0.1:9/join#r=RoomRoomRoom&k=" + "s" * 32


def test_the_schedule_hands_out_each_step_once_in_order_on_a_fake_clock() -> None:
    schedule = CrisisSchedule(CrisisScript(after=4.0, silent_for=12.0, away_for=5.0), 100.0)
    assert schedule.next_at() == 104.0
    assert schedule.due(103.9) == []
    assert schedule.due(104.0) == ["ask_for_help", "go_silent"]
    assert schedule.due(110.0) == []  # handed out once
    assert schedule.next_at() == 116.0
    assert schedule.due(116.5) == ["drop"]
    assert schedule.next_at() == 121.0
    assert not schedule.finished
    assert schedule.due(500.0) == ["come_back"]
    assert schedule.finished
    assert schedule.next_at() is None
    assert schedule.due(1000.0) == []


def test_a_late_clock_gets_every_step_due_in_order_and_stop_ends_it() -> None:
    schedule = CrisisSchedule(CrisisScript(after=0.0), 0.0)
    assert schedule.due(60.0) == ["ask_for_help", "go_silent", "drop", "come_back"]
    stopped = CrisisSchedule(CrisisScript(after=1.0), 0.0)
    stopped.stop()
    assert stopped.finished
    assert stopped.due(60.0) == []


def test_the_time_away_fits_the_grace_period_and_bad_numbers_are_refused() -> None:
    script = CrisisScript(after=4.0, away_for=20.0)
    assert script.within(60.0) is script
    assert script.within(12.0).away_for == 6.0  # back while the seat is surely held
    assert script.within(0.0) is script  # no grace said: nothing to fit
    for bad in ({"after": -1.0}, {"after": float("nan")}, {"after": 1.0, "away_for": 1e9}):
        with pytest.raises(ValueError, match="must be 0 to"):
            CrisisScript(**bad)


def test_the_line_for_help_speaks_both_languages() -> None:
    assert help_words("fr_CA") == "Ça ne va pas du tout. J'ai besoin d'aide."
    assert help_words("en") == "I'm not okay at all. I need help."


def test_a_hushed_microphone_stays_silent_whatever_gives_it_the_floor() -> None:
    changes: list[bool] = []

    async def mute(_muted: bool) -> None:
        return None

    speech = BotSpeech(1, random.Random(1), mute, changes.append)
    speech.set("floor", True)
    assert speech.speaking
    speech.hush()
    assert not speech.speaking
    speech.set("floor", True)
    speech.set("chatter", True)
    assert not speech.speaking
    assert changes == [True, False]


def test_crisis_after_on_the_command_line_in_both_languages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = app.build_parser().parse_args(
        ["bots", "--invite", LINK, "--count", "3", "--crisis-after", "4"]
    )
    assert bots_cli._plan(args).crisis == CrisisScript(after=4.0)
    plain = app.build_parser().parse_args(["bots", "--invite", LINK, "--count", "3"])
    assert bots_cli._plan(plain).crisis is None
    for lang, said in (
        ("en", "--crisis-after takes a number of seconds from 0 to 86400"),
        ("fr_CA", "--crisis-after prend un nombre de secondes de 0 à 86400"),
    ):
        set_language(lang)
        try:
            with pytest.raises(SystemExit):
                app.build_parser().parse_args(
                    ["bots", "--invite", LINK, "--count", "1", "--crisis-after", "soon"]
                )
            assert said in capsys.readouterr().err
            with pytest.raises(SystemExit):
                app.build_parser().parse_args(["bots", "--help"])
            shown = capsys.readouterr().out
            assert ("crisis drill" if lang == "en" else "exercice de crise") in shown
        finally:
            set_language("en")


def test_the_demo_s_crisis_drill_asks_its_participants_for_it() -> None:
    started: list[tuple[Any, ...]] = []

    class Stdin:
        def write(self, _data: bytes) -> None:
            return None

        async def drain(self) -> None:
            return None

        def close(self) -> None:
            return None

    class Process:
        stdin = Stdin()
        returncode = 0

    async def spawn(*args: Any, **_kwargs: Any) -> Process:
        started.append(args)
        return Process()

    async def start() -> None:
        stop = await app._start_bots(LINK, ["Ana"], spawn=spawn, crisis_after=4.0)
        await stop()
        stop = await app._start_bots(LINK, ["Ana"], spawn=spawn)
        await stop()

    asyncio.run(start())
    assert started[0][-2:] == ("--crisis-after", "4.0")
    assert "--crisis-after" not in started[1]


@pytest.mark.slow
def test_a_bot_asks_for_help_goes_silent_drops_and_comes_back_into_its_seat() -> None:
    behaviour = BotBehaviour(send_video=False, receive_video=False, hand_raises_per_minute=0)

    async def scenario() -> None:
        async with room(grace_seconds=30.0) as (_server, fac):
            swarm = await run_bots(fac.invite, 2, behaviour=behaviour)
            try:
                await fac.admit_all(2)
                await swarm.wait_admitted(timeout=60)
                first = swarm.bots[0]
                seat = first.member_id
                assert seat is not None

                def connected() -> list[int]:
                    return [
                        i
                        for i, e in enumerate(fac.media_events)
                        if isinstance(e, PeerStateChanged)
                        and e.member_id == seat
                        and e.state is PeerState.CONNECTED
                    ]

                await eventually(lambda: bool(connected()), what="the facilitator's link")
                script = CrisisScript(after=0.5, silent_for=2.0, away_for=2.0)
                back = await asyncio.wait_for(play_crisis(swarm, script), 60)

                # the line for help, in private, to the facilitator
                lines = [m for m in fac.of(ServerChat) if m.sender == seat]
                assert [(m.text, m.private) for m in lines] == [(help_words("en"), True)]
                # silent, then dropped without leaving: the seat was held, not freed
                assert first.speech.hushed
                assert (first.state, first.reason) == ("ended", "dropped")
                assert seat not in fac.left()
                # back into the same seat with its resume token, still silent
                assert back is not None
                assert back is swarm.bots[0]
                assert back is not first
                assert (back.state, back.member_id, back.resumed) == ("admitted", seat, True)
                assert not back.behaviour.speak
                # the facilitator saw the link drop, then come back
                before = connected()[0]
                dropped = [
                    i
                    for i, e in enumerate(fac.media_events)
                    if isinstance(e, PeerStateChanged)
                    and e.member_id == seat
                    and e.state in (PeerState.RECONNECTING, PeerState.CLOSED)
                    and i > before
                ]
                assert dropped, "the facilitator's link to the bot never dropped"
                await eventually(
                    lambda: connected()[-1] > dropped[0], timeout=60, what="the link back"
                )
                assert swarm.bots[1].state == "admitted"  # the other one saw nothing of it
            finally:
                await swarm.stop()
            await eventually(lambda: seat in fac.left(), what="the bot back leaves on stop")
            assert fac.left()[seat] == "left"

    run(scenario(), timeout=180)


@pytest.mark.slow
def test_the_program_says_the_drop_and_the_return_and_the_one_back_leaves_on_sigterm() -> None:
    async def scenario() -> None:
        async with room(grace_seconds=30.0) as (_server, fac):
            bots = await BotsProcess.start(
                "--invite", fac.invite, "--count", "2", "--no-receive-video",
                "--hands-per-minute", "0", "--crisis-after", "0.5",
            )  # fmt: skip
            try:
                await bots.line_with("2 simulated participant(s) waiting in the lobby.")
                await fac.admit_all(2)
                line = await bots.line_with("Ana is in the room")
                seat = line.split("member ")[1][:12]
                await bots.line_with(
                    "Ana: the connection dropped (crisis drill); coming back into the same seat."
                )
                await bots.line_with(f"Ana is back in the room (member {seat}).")
                bots.process.send_signal(signal.SIGTERM)
                code, out, err = await bots.finish()
            finally:
                await bots.kill()
            assert code == 0, err
            # a drop on purpose is no error (library noise from media negotiating at the
            # signal is another matter)
            said = [line for line in err.splitlines() if line.startswith("Error:")]
            assert said == [], err
            assert "Traceback" not in err
            assert "The simulated participants left the room." in out
            await eventually(lambda: len(fac.left()) == 2, what="both left")
            assert fac.left()[seat] == "left"  # the one back, not a seat left to expire
            chat = [m for m in fac.of(ServerChat) if m.sender == seat]
            assert [m.text for m in chat] == ["I'm not okay at all. I need help."]

    run(scenario(), timeout=180)
