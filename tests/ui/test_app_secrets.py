"""Secrets stay off command lines and out of child processes (join, the demo's participants)."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from groupdesk import app

GROUPDESK = Path(sys.executable).parent / "groupdesk"
LINK = "http://127.0.0.1:8443/join/room-7#secret=zq-not-for-ps"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def joined(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The links ``groupdesk join`` would open (the window itself is not started)."""
    links: list[str] = []

    def run_gui(args: Any) -> int:
        links.append(args.link)
        return 0

    monkeypatch.setattr(app, "_run_gui", run_gui)
    return links


@pytest.mark.parametrize("argv", [["join"], ["join", "-"], ["join", "--name", "Ana", "-"]])
def test_join_reads_the_link_from_standard_input(
    argv: list[str], joined: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(LINK + "\n"))
    assert app.main(argv) == 0
    assert joined == [LINK]


def test_join_asks_for_the_link_on_a_terminal(
    joined: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return f"  {LINK}  "

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr("builtins.input", answer)
    assert app.main(["--lang", "fr_CA", "join"]) == 0
    assert prompts == ["Lien d'invitation (collez-le, puis appuyez sur Entrée) : "]
    assert joined == [LINK]


def test_no_link_is_a_clear_error(
    joined: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert app.main(["--lang", "en", "join"]) == 1
    assert "No invite link was given" in capsys.readouterr().err
    assert joined == []


def test_a_link_on_the_command_line_is_refused_and_help_says_why() -> None:
    """The real program: refused before anything starts, in the person's language."""
    done = subprocess.run(
        [str(GROUPDESK), "--lang", "fr_CA", "join", LINK],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Le lien d'invitation n'a pas été utilisé" in done.stderr
    assert "liste des processus" in done.stderr
    assert "Traceback" not in done.stderr
    helped = subprocess.run(
        [str(GROUPDESK), "--lang", "en", "join", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    text = " ".join(helped.stdout.split())
    assert "read from standard input" in text
    assert "it is not hidden" in text


def test_the_participants_process_gets_no_passphrase_nor_other_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real child process started the way the demo starts its participants."""
    monkeypatch.setenv("GROUPDESK_PASSPHRASE", "the log's passphrase")
    monkeypatch.setenv("GROUPDESK_TURN_SECRET", "coturn secret")
    monkeypatch.setenv("GROUPDESK_LANG", "fr_CA")
    out = tmp_path / "environ.json"
    started: list[asyncio.subprocess.Process] = []
    seen: dict[str, Any] = {}

    async def spawn(*argv: str, **kwargs: Any) -> asyncio.subprocess.Process:
        seen["argv"] = argv
        dump = f"import json, os, sys; sys.stdin.read(); open({str(out)!r}, 'w').write("
        dump += "json.dumps(dict(os.environ)))"
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", dump, **kwargs)
        started.append(process)
        return process

    async def scenario() -> None:
        stop = await app._start_bots(LINK, ["Ana", "Ben"], spawn=spawn)
        await started[0].wait()
        await stop()

    asyncio.run(scenario())
    environ = json.loads(out.read_text())
    assert "GROUPDESK_PASSPHRASE" not in environ
    assert "GROUPDESK_TURN_SECRET" not in environ
    assert environ["GROUPDESK_LANG"] == "fr_CA"  # the rest is passed on
    assert LINK not in " ".join(seen["argv"])  # the invite goes through standard input
