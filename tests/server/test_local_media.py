"""``scripts/media-servers``: Janus and coturn on loopback for tests and a try-out, with
the ``groupdesk-server`` command line that uses them; both stopped, and their folders
(secrets included) removed, on SIGTERM; a clear message when one is not installed."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import stat
import tempfile
import time
from pathlib import Path

import aioice.turn
import pytest
from server_harness import run_async

from groupdesk.core import i18n
from groupdesk.server import cli, local_media
from groupdesk.server.child_process import ChildServer, start_child
from groupdesk.server.coturn import stun_answers
from groupdesk.server.janus_client import JanusAdmin, JanusError
from groupdesk.server.turn import turn_credentials
from janus_harness import needs_janus

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "media-servers"

needs_coturn = pytest.mark.skipif(
    shutil.which("turnserver") is None, reason="needs Debian's coturn (turnserver)"
)


async def _command_line(process: asyncio.subprocess.Process) -> tuple[list[str], str]:
    """The printed ``groupdesk-server ...`` line, split, and everything printed until then."""
    assert process.stdout is not None
    printed = ""
    while True:
        line = (await process.stdout.readline()).decode()
        assert line, f"media-servers ended before its command line: {printed!r}"
        printed += line
        if line.strip().startswith("groupdesk-server "):
            return shlex.split(line), printed


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    return [int(child) for child in text.split()]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@needs_janus
@needs_coturn
@run_async
async def test_both_servers_answer_with_the_printed_command_and_go_away_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "GROUPDESK_LANG": "en"},
    )
    try:
        command, printed = await asyncio.wait_for(_command_line(process), 40)
        children = _children(process.pid)
        assert command[0] == "groupdesk-server"
        # groupdesk-server takes the command as it is, secrets read from the files
        config = cli._config(cli.build_parser().parse_args(command[1:]))
        options = dict(zip(command[1::2], command[2::2], strict=True))
        janus_file = Path(options["--janus-secret-file"])
        turn_file = Path(options["--turn-secret-file"])
        assert config.sfu is not None
        assert config.sfu.admin_secret == janus_file.read_text(encoding="utf-8").strip()
        assert config.ice.turn_secret == turn_file.read_text(encoding="utf-8").strip()
        assert janus_file.parent != turn_file.parent  # a private folder each
        for folder in (janus_file.parent, turn_file.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        # the secrets, and each server's configuration (which holds its secret too)
        configurations = [*janus_file.parent.glob("*.jcfg"), turn_file.parent / "turnserver.conf"]
        for file in (janus_file, turn_file, *configurations):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        for secret in (config.sfu.admin_secret, config.ice.turn_secret):
            assert secret not in printed  # never on the screen, only in the files

        # Janus's Admin API answers with the file's secret, VideoRoom its only plugin
        async with JanusAdmin(config.sfu.admin_url, config.sfu.admin_secret) as admin:
            info = await admin.request("info")  # answered without a secret, by design
            assert set(info["plugins"]) == {"janus.plugin.videoroom"}
            assert await admin.sessions() == set()  # the secret's business
        async with JanusAdmin(config.sfu.admin_url, "not-the-secret-" * 2) as stranger:
            with pytest.raises(JanusError, match="refused"):
                await stranger.sessions()
        assert str(config.sfu.api_url).startswith("http://127.0.0.1:")

        # coturn answers STUN, and allocates a relay for a credential made from the file
        (turn_url,) = config.ice.turn_urls
        host, port = turn_url.removeprefix("turn:").split("?")[0].rsplit(":", 1)
        assert host == "127.0.0.1"
        assert await stun_answers(host, int(port), timeout=2.0)
        username, password = turn_credentials(
            config.ice.turn_secret, "0123456789ab", int(time.time()) + 600
        )
        transport, _ = await asyncio.wait_for(
            aioice.turn.create_turn_endpoint(
                asyncio.DatagramProtocol,
                server_addr=(host, int(port)),
                username=username,
                password=password,
            ),
            10,
        )
        transport.close()

        assert len(children) == 2  # janus and turnserver
        assert all(_running(pid) for pid in children)
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:  # a failed check: still let it clean up
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()
    assert process.returncode == 0, err.decode()
    assert "Janus and coturn stopped" in out.decode()
    assert not any(_running(pid) for pid in children)
    assert not janus_file.parent.exists()
    assert not turn_file.parent.exists()
    assert not await stun_answers(host, int(port), timeout=0.3)


def test_a_missing_server_is_named_with_its_debian_package_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n, "_current", None)  # main() chooses: put it back afterwards
    for variable in ("GROUPDESK_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    monkeypatch.setenv("PATH", str(tmp_path))  # neither janus nor turnserver
    assert local_media.main([]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # nothing started
    assert err.splitlines() == [
        "Janus n'est pas installé (paquet Debian : janus). "
        "Installez-le avec : sudo apt-get install janus",
        "coturn n'est pas installé (paquet Debian : coturn). "
        "Installez-le avec : sudo apt-get install coturn",
    ]


def test_help_speaks_the_language_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n, "_current", None)
    for lang, words in (("fr_CA", "Démarrer Janus (SFU) et coturn"), ("en", "Start Janus (SFU)")):
        with pytest.raises(SystemExit) as exit_:
            local_media.main(["--lang", lang, "--help"])
        assert exit_.value.code == 0
        assert words in capsys.readouterr().out


class _Program(ChildServer):
    """A stand-in server: any program, in a private folder, as Janus and coturn run."""

    def __init__(self, *command: str) -> None:
        super().__init__()
        self.command = command

    async def start(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="groupdesk-test-")
        self._process = await start_child(*self.command)


@run_async
async def test_a_server_ending_by_itself_ends_the_wait_and_is_named() -> None:
    """media-servers must not go on as if both ran when one has died (its log is shown
    and the other is stopped), nor take Ctrl+C for a failure."""
    async with _Program("sleep", "60") as running, _Program("sh", "-c", "exit 3") as failing:
        assert await local_media.wait_for_stop(asyncio.Event(), [running, failing]) is failing
        assert await failing.exited() == 3
    async with _Program("sleep", "60") as first, _Program("sleep", "60") as second:
        stop = asyncio.Event()
        stop.set()  # Ctrl+C or SIGTERM
        assert await local_media.wait_for_stop(stop, [first, second]) is None
        assert first.folder is not None
        assert first.folder.is_dir()  # still running: the caller stops them
    assert first.folder is None
