"""``scripts/media-servers``: Janus and coturn on this computer, for tests and a try-out.

Starts Janus (VideoRoom, both APIs on 127.0.0.1, a new random admin secret) and coturn
(``use-auth-secret`` with a new random secret, listening and relaying on 127.0.0.1)
from the same generators the tests, the demo and a production setup use
(:mod:`groupdesk.server.local_sfu`). Each runs on files in a private temporary folder
(0700); each secret is written there, in a file of its own (0600), never printed: the
``groupdesk-server`` command line printed names the files. On Ctrl+C or SIGTERM both
stop and their folders, secrets included, are removed.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from groupdesk.core.cli_parser import ArgumentParser
from groupdesk.core.i18n import LANGUAGES, language_from_argv, set_language, tr
from groupdesk.server.child_process import ChildServer, write_private
from groupdesk.server.coturn import Coturn, CoturnError
from groupdesk.server.janus import Janus, find_library_dir
from groupdesk.server.janus_client import JanusError
from groupdesk.server.local_sfu import start_local_sfu, start_local_turn
from groupdesk.server.media_config import server_options

JANUS_SECRET_FILE = "janus.secret"  # noqa: S105 -- a file name, not a secret
TURN_SECRET_FILE = "turn.secret"  # noqa: S105 -- a file name, not a secret

ServerT = TypeVar("ServerT", bound=ChildServer)


def build_parser() -> argparse.ArgumentParser:
    """The ``scripts/media-servers`` command line, in the current language."""
    description = tr("server.media_servers.description")
    parser = ArgumentParser(prog="media-servers", description=description)
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("server.help.lang"))
    return parser


def missing_programs() -> list[tuple[str, str]]:
    """The programs this needs and cannot find, each with its Debian package."""
    missing = []
    if shutil.which("janus") is None or find_library_dir() is None:
        missing.append(("Janus", "janus"))
    if shutil.which("turnserver") is None:
        missing.append(("coturn", "coturn"))
    return missing


def _secret_file(folder: Path, name: str, secret: str) -> Path:
    path = folder / name
    write_private(path, secret + "\n")
    return path


def _folder(server: Janus | Coturn) -> Path:
    folder = server.folder
    if folder is None:  # start() makes it; stop() alone removes it
        raise RuntimeError(f"{server.NAME} has no folder: it is not running")
    return folder


@dataclass
class LocalMedia:
    """Janus and coturn running on this computer, and the files holding their secrets."""

    janus: Janus
    coturn: Coturn
    janus_secret_file: Path
    turn_secret_file: Path

    def server_command(self) -> list[str]:
        """The ``groupdesk-server`` command line that uses these two servers."""
        janus = self.janus.settings
        options = server_options(
            self.coturn.settings.turn_urls(),
            self.turn_secret_file,
            janus.admin_url,
            self.janus_secret_file,
            janus.api_url,
        )
        return ["groupdesk-server", *options]

    async def stop(self) -> None:
        """Stop both servers and remove their folders (secrets included)."""
        try:
            await self.coturn.stop()
        finally:
            await self.janus.stop()


async def start_local_media() -> LocalMedia:
    """Start Janus, then coturn, and write their secrets; on failure nothing is left
    running (``JanusError`` or ``CoturnError``)."""
    sfu = await start_local_sfu()
    coturn: Coturn | None = None
    try:
        coturn = await start_local_turn()
        janus_secret = sfu.janus.settings.admin_secret
        return LocalMedia(
            sfu.janus,
            coturn,
            _secret_file(_folder(sfu.janus), JANUS_SECRET_FILE, janus_secret),
            _secret_file(_folder(coturn), TURN_SECRET_FILE, coturn.settings.secret),
        )
    except BaseException:
        if coturn is not None:
            await coturn.stop()
        await sfu.stop()
        raise


def _running_message(media: LocalMedia) -> str:
    janus = media.janus.settings
    return tr(
        "server.media_servers.running",
        janus_url=janus.admin_url,
        janus_secret_file=media.janus_secret_file,
        janus_api_url=janus.api_url,
        turn_url=" ".join(media.coturn.settings.turn_urls()),
        turn_secret_file=media.turn_secret_file,
        command="  " + shlex.join(media.server_command()),
    )


async def wait_for_stop(stop: asyncio.Event, servers: Sequence[ServerT]) -> ServerT | None:
    """Wait until ``stop`` is set (None) or one of ``servers`` ends by itself (that one)."""
    ended = {asyncio.ensure_future(server.exited()): server for server in servers}
    stopping = asyncio.ensure_future(stop.wait())
    try:
        done, _pending = await asyncio.wait([stopping, *ended], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stopping, *ended):
            task.cancel()
    if stopping in done:
        return None
    return next(ended[task] for task in ended if task in done)


def _log_tail(path: Path | None, lines: int = 20) -> str:
    """The last ``lines`` of a server's log (read before its folder is removed)."""
    if path is None:
        return ""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return str(error)
    return "\n".join(text.splitlines()[-lines:])


async def _run() -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # from the start: folders never left behind
        loop.add_signal_handler(sig, stop.set)
    try:
        media = await start_local_media()
    except (JanusError, CoturnError, OSError) as error:
        print(tr("server.media_servers.failed", reason=str(error)), file=sys.stderr)
        return 1
    try:
        print(_running_message(media), flush=True)
        servers: list[Janus | Coturn] = [media.janus, media.coturn]
        failed = await wait_for_stop(stop, servers)
        if failed is not None:
            status = await failed.exited()
            log = _log_tail(failed.log_path)
            message = tr("server.media_servers.ended", server=failed.NAME, status=status, log=log)
            print(message, file=sys.stderr, flush=True)
    finally:
        await media.stop()
    print(tr("server.media_servers.stopped"), flush=True)
    return 0 if failed is None else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``scripts/media-servers``; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    set_language(language_from_argv(argv))
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    missing = missing_programs()
    for program, package in missing:
        print(tr("server.media_servers.missing", program=program, package=package), file=sys.stderr)
    if missing:
        return 1
    return asyncio.run(_run())


if __name__ == "__main__":
    sys.exit(main())
