"""``groupdesk bots`` as a real program: admitted, SIGTERM, kill -9 and resume, refusals."""

from __future__ import annotations

import asyncio
import json
import signal
import stat
from pathlib import Path
from typing import Any

import pytest
from bot_helpers import BotsProcess, eventually, room, run

from groupdesk import app
from groupdesk.app import main
from groupdesk.core.i18n import set_language
from groupdesk.core.protocol import EndRoom, Lobby, parse_invite_link

pytestmark = pytest.mark.slow

GRACE_SECONDS = 12.0
"""Long enough for a new Python process to start and resume on a busy 2-core machine."""


def test_bots_run_until_sigterm_then_leave_and_exit_0() -> None:
    async def scenario() -> None:
        async with room() as (_server, fac):
            bots = await BotsProcess.start("--invite", fac.invite, "--count", "2", "--names", "Zoé")
            try:
                await bots.line_with("2 simulated participant(s) waiting in the lobby.")
                lobby = fac.of(Lobby)[-1].waiting
                assert [w.display_name for w in lobby] == ["Zoé", "Ana"]
                await fac.admit_all(2)
                first = await bots.line_with("is in the room")
                second = await bots.line_with("is in the room")
                ids = sorted(w.member for w in lobby)
                printed = {first.split("member ")[1][:12], second.split("member ")[1][:12]}
                assert printed == set(ids)

                def running() -> bool:  # the facilitator decodes both bots' video
                    return all(fac.recorder.stamped[m] >= 5 for m in ids)

                await eventually(running, timeout=90, what="video from the bots' process")
                bots.process.send_signal(signal.SIGTERM)
                code, out, err = await bots.finish()
            finally:
                await bots.kill()
            assert (code, err) == (0, "")
            assert "The simulated participants left the room." in out
            secret = parse_invite_link(fac.invite).secret
            assert secret not in "".join(bots.lines) + out + err
            await eventually(lambda: len(fac.left()) == 2, what="member_left for both")
            assert set(fac.left()) == set(ids)
            assert set(fac.left().values()) == {"left"}

    run(scenario(), timeout=180)


def test_a_killed_process_restarted_in_time_keeps_its_seat_and_after_that_it_is_gone(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "bots.json"

    async def scenario() -> None:
        async with room(grace_seconds=GRACE_SECONDS) as (_server, fac):
            args = ("--invite", fac.invite, "--count", "1", "--state-file", str(state_file))
            first = await BotsProcess.start(*args)
            try:
                await first.line_with("waiting in the lobby")
                await fac.admit_all(1)
                line = await first.line_with("Ana is in the room")
                await eventually(lambda: len(fac.joined()) == 1, what="member_joined")
                member = fac.joined()[0]
                assert f"(member {member})" in line
                saved = json.loads(state_file.read_text())
                assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
                assert [b["member"] for b in saved["bots"]] == [member]
                token = saved["bots"][0]["token"]
                assert token not in "".join(first.lines)
            finally:
                await first.kill()  # SIGKILL: no leave, the server holds the seat
            lobbies_before = len(fac.of(Lobby))

            second = await BotsProcess.start(*args)
            try:
                line = await second.line_with("Ana is back in the room")
                assert f"(member {member})" in line
                assert fac.left() == {}
                assert fac.joined() == [member]  # no new member, the same seat
                # no lobby update: nobody knocked
                assert len(fac.of(Lobby)) == lobbies_before
                resaved = json.loads(state_file.read_text())
                assert resaved["bots"][0]["member"] == member
                assert resaved["bots"][0]["token"] != token  # a new token each admission
                # The new process's media reaches the facilitator again (today after the
                # mesh's connection watchdog: the old connection is not told it is gone).
                decoded = fac.recorder.stamped[member]
                await eventually(
                    lambda: fac.recorder.stamped[member] >= decoded + 5,
                    timeout=90,
                    what="video from the restarted process",
                )
            finally:
                await second.kill()

            # Not back within the grace period: the seat is freed ...
            await eventually(
                lambda: fac.left() == {member: "expired"},
                timeout=GRACE_SECONDS + 30,
                what="the seat released",
            )
            # ... and a process started now cannot resume it.
            third = await BotsProcess.start(*args)
            code, out, err = await third.finish(timeout=60)
            assert code == 1, (out, err)
            assert err.strip() == (
                "Error: Ana: Your seat was released after the connection was lost."
                " Join again with the invite link."
            )
            assert not state_file.exists()  # the next run knocks anew
            assert len(fac.of(Lobby)) == lobbies_before

    run(scenario(), timeout=240)


def test_after_the_duration_bots_in_the_lobby_leave_it() -> None:
    async def scenario() -> None:
        async with room() as (_server, fac):
            bots = await BotsProcess.start("--invite", "-", "--count", "2", "--duration", "1")
            assert bots.process.stdin is not None
            bots.process.stdin.write(fac.invite.encode() + b"\n")  # not on the command line
            await bots.line_with("2 simulated participant(s) waiting in the lobby.")
            code, out, err = await bots.finish()
            assert (code, err) == (0, "")
            assert "The simulated participants left the room." in out
            await eventually(lambda: fac.waiting() == 0, what="the lobby empty again")

    run(scenario(), timeout=90)


def test_when_the_facilitator_ends_the_room_the_program_says_so_plainly_and_exits_0() -> None:
    """A normal end (the demo's, every session's) is no error, and is said in French too."""

    async def scenario() -> None:
        async with room() as (_server, fac):
            bots = await BotsProcess.start(
                "--invite", fac.invite, "--count", "2", "--names", "Ana,Éloi", lang="fr_CA"
            )
            await bots.line_with("en salle d'attente")
            await fac.admit_all(2)
            await bots.line_with("est dans la salle")
            await bots.line_with("est dans la salle")
            await fac.client.send(EndRoom())
            code, out, err = await bots.finish()
            assert (code, err) == (0, "")
            assert sorted(out.splitlines()) == [
                "Ana : la séance est terminée.",
                "Éloi : la séance est terminée.",
            ]

    run(scenario(), timeout=90)


def test_a_wrong_invite_exits_1_with_its_message() -> None:
    async def scenario() -> None:
        async with room() as (_server, fac):
            wrong = fac.invite.replace("k=", "k=Wrong")
            bots = await BotsProcess.start("--invite", wrong, "--count", "2")
            code, out, err = await bots.finish(timeout=60)
            assert code == 1
            assert out == ""
            assert err.strip() == (
                "Error: Ana: This invite link is not valid. Ask the facilitator for the link again."
            )
            assert fac.waiting() == 0

    run(scenario(), timeout=90)


def test_a_link_that_is_not_an_invite_and_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "bots", "--invite", "https://example.org/x", "--count", "1"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "Error: This is not a GroupDesk invite link. Copy the whole link the facilitator shared."
    )
    assert main(["--lang", "fr_CA", "bots", "--invite", "x", "--count", "1"]) == 1
    assert "Ce n'est pas un lien d'invitation GroupDesk." in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "fr_CA", "bots", "--invite", "x", "--count", "0"])
    assert exited.value.code == 2
    assert "le nombre doit être un entier de 1 à 32" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "en", "bots", "--invite", "x", "--count", "1", "--fps", "0"])
    assert exited.value.code == 2
    assert "--fps takes a whole number from 1 to 60" in capsys.readouterr().err


def test_a_server_that_cannot_be_reached(capsys: pytest.CaptureFixture[str]) -> None:
    link = "http://127.0.0.1:9/join#r=RoomRoomRoom&k=" + "s" * 32  # discard port: refused
    assert main(["--lang", "en", "bots", "--invite", link, "--count", "1"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Error: Ana: The server cannot be reached. Check the invite link and the network."
    )


def test_the_help_speaks_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "bots", "--help"])
    out = capsys.readouterr().out
    assert "Des participants simulés se présentent à la salle d'attente" in out
    assert "--invite LIEN" in out


def test_the_demo_starts_its_participants_in_the_app_s_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``groupdesk --lang fr_CA demo``: the bots' process says what it says in French."""
    started: list[tuple[str, ...]] = []

    class Stdin:
        def __init__(self) -> None:
            self.written = b""

        def write(self, data: bytes) -> None:
            self.written += data

        async def drain(self) -> None:
            return None

        def close(self) -> None:
            return None

    class Process:  # one that has exited already: stop() has nothing to do
        def __init__(self) -> None:
            self.stdin = Stdin()
            self.returncode = 0

    processes: list[Process] = []

    async def exec_(*args: str, **_kwargs: Any) -> Process:
        started.append(args)
        processes.append(Process())
        return processes[-1]

    monkeypatch.setattr(asyncio, "create_subprocess_exec", exec_)
    set_language("fr_CA")
    try:
        stop = asyncio.run(app._start_bots("http://127.0.0.1:9/join#r=x&k=y", ["Ana", "Ben"]))
    finally:
        set_language("en")
    asyncio.run(stop())
    [args] = started
    assert args[3:6] == ("--lang", "fr_CA", "bots")
    assert "--safety-after" not in args
    drill = asyncio.run(
        app._start_bots("http://127.0.0.1:9/join#r=x&k=y", ["Ana"], safety_after=4.0)
    )
    asyncio.run(drill())
    assert started[-1][-2:] == ("--safety-after", "4.0")  # the demo's safety drill
    assert processes[0].stdin.written == b"http://127.0.0.1:9/join#r=x&k=y\n"


def test_unmet_and_no_consent_reach_the_bots_answers(capsys: pytest.CaptureFixture[str]) -> None:
    from groupdesk.bots import cli

    link = "http://127.0.0.1:9/join#r=RoomRoomRoom&k=" + "s" * 32
    args = app.build_parser().parse_args(
        ["bots", "--invite", link, "--count", "3", "--unmet", "2", "--no-consent"]
    )
    answers = cli._plan(args).behaviour.answers
    assert (answers.unmet, answers.consent) == (2, False)
    plain = app.build_parser().parse_args(["bots", "--invite", link, "--count", "3"])
    assert (cli._plan(plain).behaviour.answers.unmet, plain.no_consent) == (0, False)

    for lang, said in (
        ("en", "--unmet takes a whole number from 0 to 32"),
        ("fr_CA", "--unmet prend un nombre entier de 0 à 32"),
    ):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "bots", "--invite", link, "--count", "1", "--unmet", "x"])
        assert said in capsys.readouterr().err
    set_language("en")
    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "bots", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    set_language("en")
    assert "s'exercer à admettre quelqu'un quand même" in out
    assert "--no-consent" in out
