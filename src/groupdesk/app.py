"""The composition root: command line, then either a command or the Qt application.

Command-line paths (``log``, ``--print-effective-policy``) never import Qt, so
they work on a server with no display libraries and start fast.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from groupdesk import __version__
from groupdesk.core.cli_parser import ArgumentParser
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import (
    LANGUAGES,
    detect_language,
    get_language,
    language_from_argv,
    set_language,
    tr,
)
from groupdesk.platform import install_policy_reader


def build_parser() -> argparse.ArgumentParser:
    """The ``groupdesk`` command line, in the current language."""
    from groupdesk.sessionlog import cli as log_cli

    parser = ArgumentParser(prog="groupdesk", description=tr("cli.description"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"GroupDesk {__version__}",
        help=tr("argparse.version"),
    )
    parser.add_argument(
        "--data-dir", type=Path, metavar=tr("cli.metavar.dir"), help=tr("cli.help.data_dir")
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("cli.help.lang"))
    parser.add_argument(
        "--print-effective-policy", action="store_true", help=tr("cli.help.print_policy")
    )
    parser.add_argument("--json", action="store_true", help=tr("policy.cli.help.json"))
    parser.add_argument("--self-test", action="store_true", help=tr("cli.help.self_test"))
    parser.add_argument(
        "--screenshot", type=Path, metavar=tr("cli.metavar.file"), help=tr("cli.help.screenshot")
    )
    commands = parser.add_subparsers(dest="command", metavar=tr("cli.metavar.command"))
    log_cli.add_parser(commands)
    from groupdesk.bots import cli as bots_cli

    bots_cli.add_parser(commands)
    from groupdesk.ui.records import export_cli

    export_cli.add_parser(commands)
    _add_live_parsers(commands)
    return parser


def _add_live_parsers(commands: Any) -> None:
    """``groupdesk demo`` and ``groupdesk join LINK``."""
    demo = commands.add_parser(
        "demo", help=tr("live.demo.help"), description=tr("live.demo.description")
    )
    demo.add_argument(
        "--participants", type=int, default=5, metavar="N", help=tr("live.demo.help.participants")
    )
    demo.add_argument(
        "--names", metavar=tr("live.demo.metavar.names"), help=tr("live.demo.help.names")
    )
    demo.add_argument(
        "--duration",
        type=float,
        metavar=tr("live.demo.metavar.seconds"),
        help=tr("live.demo.help.duration"),
    )
    demo.add_argument(
        "--screenshot",
        dest="demo_screenshot",
        type=Path,
        metavar=tr("cli.metavar.file"),
        help=tr("live.demo.help.screenshot"),
    )
    demo.add_argument(
        "--screenshot-early",
        type=Path,
        metavar=tr("cli.metavar.file"),
        help=tr("live.demo.help.screenshot_early"),
    )
    demo.add_argument(
        "--drill",
        choices=("safety", "checklist", "crisis"),
        metavar=tr("live.demo.metavar.drill"),
        help=tr("live.demo.help.drill"),
    )
    demo.add_argument("--sfu", action="store_true", help=tr("live.demo.help.sfu"))
    demo.add_argument(
        "--data-dir",
        dest="demo_data_dir",
        type=Path,
        metavar=tr("cli.metavar.dir"),
        help=tr("cli.help.data_dir"),
    )
    join = commands.add_parser(
        "join", help=tr("live.join.help"), description=tr("join.description")
    )
    join.add_argument(
        "link", nargs="?", metavar=tr("live.join.metavar.link"), help=tr("join.help.link")
    )
    join.add_argument(
        "--name", default="", metavar=tr("live.join.metavar.name"), help=tr("live.join.help.name")
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``groupdesk``; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    install_policy_reader()  # the registry (Windows) or managed preferences (macOS)
    set_language(language_from_argv(argv))
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        if args.self_test:
            return _self_test()
        if args.print_effective_policy:
            from groupdesk.core import policy

            effective = policy.load_effective_policy()
            if args.json:
                print(policy.effective_policy_json(effective))
            else:
                print(policy.format_effective_policy(effective))
            return 1 if effective.problems else 0
        if args.command in ("log", "export", "bots"):
            return _run_command(args)
        if args.command == "join":
            args.link = read_invite_link(args.link)
        return _run_gui(args)
    except GroupDeskError as error:
        print(tr("cli.error", message=error.message()), file=sys.stderr)
        return 1


def _run_command(args: argparse.Namespace) -> int:
    """``groupdesk log``, ``export`` or ``bots``: a command line without the window."""
    if args.command == "log":
        from groupdesk.sessionlog import cli as log_cli

        return log_cli.run(args)
    if args.command == "export":
        from groupdesk.ui.records import export_cli

        return export_cli.run(args)
    from groupdesk.bots import cli as bots_cli

    return bots_cli.run(args)


def _self_test() -> int:
    """``groupdesk --self-test``: every check, one line each; 0 when all passed."""
    import os

    from groupdesk import selftest

    if _no_display():  # Qt's part runs offscreen on a machine without a display
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return selftest.run()


def read_invite_link(given: str | None) -> str:
    """The invite link of ``groupdesk join``: from standard input, or asked for.

    Never from the command line: the secret in the link would be in the process
    list, which every user of the computer can read. A link given there anyway
    is refused (not merely warned about), so that no script keeps leaking it.
    """
    if given not in (None, "-"):
        raise GroupDeskError("join.link_on_command_line")
    if sys.stdin is None:
        raise GroupDeskError("join.no_link")
    if sys.stdin.isatty():
        try:
            link = input(tr("join.prompt"))
        except EOFError:
            link = ""
    else:
        link = sys.stdin.readline()
    link = link.strip()
    if not link:
        raise GroupDeskError("join.no_link")
    return link


#: How long ``groupdesk demo`` runs with no display and no ``--duration``.
HEADLESS_DEMO_SECONDS = 20.0


def _run_gui(args: argparse.Namespace) -> int:
    """Start the Qt application on a qasync loop; returns the exit code.

    With no display the window is rendered offscreen: the app saves a screenshot
    of its first page, says where, and exits (so does ``--screenshot FILE``).
    """
    import asyncio
    import os

    screenshot: Path | None = args.screenshot
    live = args.command in ("demo", "join")
    if _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if os.environ.get("QT_QPA_PLATFORM") in _HEADLESS_PLATFORMS:
        from groupdesk.ui.screenshot import default_screenshot_path, quiet_offscreen_warnings

        quiet_offscreen_warnings()
        if not live:  # demo and join run headless as they do on a display
            screenshot = screenshot or default_screenshot_path()
        elif args.command == "demo" and args.duration is None:
            # Nobody can watch: the rehearsal runs a while, leaves a picture, and ends.
            args.duration = HEADLESS_DEMO_SECONDS
            args.demo_screenshot = args.demo_screenshot or default_screenshot_path()

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("GroupDesk")
    app.setApplicationVersion(__version__)
    if isinstance(app, QApplication):
        app.setDesktopFileName("groupdesk")
        app.setStyle("Fusion")
        from groupdesk.ui import focus_ring

        focus_ring.install(app)  # a focus that can be seen on every control
        # Closing the window ends the session coroutine (which closes the log), not Qt.
        app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        code: int = loop.run_until_complete(_gui_session(args, screenshot))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return code


_HEADLESS_PLATFORMS = ("offscreen", "minimal")


def _no_display() -> bool:
    """Linux with neither X11 nor Wayland, and no Qt platform chosen by hand."""
    import os

    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


def freeze_startup_objects() -> None:
    """Leave the ~85,000 objects of the imports and the window out of every later garbage
    collection: a full collection over them took 55-80 ms, a stall of the UI thread
    (and, through the GIL, of a collection on any other thread) every 15 s in a live
    session. Only once, at start: objects made later are collected as usual."""
    import gc

    gc.collect()
    gc.freeze()


async def _gui_session(args: argparse.Namespace, screenshot: Path | None) -> int:
    """Show the window, unlock the log, run until the window closes (or the screenshot is saved)."""
    import asyncio

    from PySide6.QtCore import QCoreApplication

    from groupdesk.core import policy
    from groupdesk.core.policy_values import Policy
    from groupdesk.sessionlog import default_data_dir
    from groupdesk.ui.language import LanguageSwitcher
    from groupdesk.ui.main_window import MainWindow
    from groupdesk.ui.screenshot import screenshot_when_settled
    from groupdesk.ui.settings import UserSettings
    from groupdesk.ui.widgets import spawn
    from groupdesk.ui.workspace import Workspace

    app = QCoreApplication.instance()
    assert app is not None
    settings = UserSettings()
    languages = LanguageSwitcher(app)
    # The language: the organisation's if it locks one, else --lang, else the one
    # chosen in the Language menu, else the system's.
    locked = settings.language() if settings.language_locked() else None
    languages.set_language(locked or args.lang or settings.language() or detect_language())

    if args.command in ("demo", "join"):
        return await _live_command(args, languages, settings)
    workspace = Workspace.from_environment(args.data_dir or default_data_dir())
    # The organisation policy is read once, here: the window and its pages read this.
    effective = policy.load_effective_policy()
    window = MainWindow(workspace, languages, settings=settings, policy=Policy.of(effective))
    window.show_policy_problems(effective.problems)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.show()
    freeze_startup_objects()
    starting = spawn(workspace.start())
    try:
        if screenshot is not None:
            return await screenshot_when_settled(window, workspace, screenshot)
        await closed.wait()
        return 0
    finally:
        starting.cancel()
        window.hide()
        await window.live.close()  # a session still open ends, and the log records it
        await workspace.close()
        window.deleteLater()
        languages.deleteLater()


async def _live_command(args: argparse.Namespace, languages: Any, settings: Any) -> int:
    """``groupdesk demo`` (a rehearsal with simulated participants) or ``groupdesk join``."""
    import os

    from groupdesk.sessionlog import default_data_dir
    from groupdesk.ui.demo import DemoOptions, rehearsal_protection, run_demo
    from groupdesk.ui.main_window import MainWindow
    from groupdesk.ui.workspace import PASSPHRASE_ENV, Workspace

    given = getattr(args, "demo_data_dir", None) or args.data_dir
    data_dir = given or default_data_dir() / "rehearsal"
    env_passphrase = os.environ.get(PASSPHRASE_ENV) or None
    passphrase = None
    if args.command == "demo":
        passphrase = rehearsal_protection(data_dir, given is not None, env_passphrase)
        print(tr(_rehearsal_unlock(passphrase, env_passphrase), folder=data_dir), flush=True)
    media_server = None
    if getattr(args, "sfu", False):
        from groupdesk.ui.demo import start_media_server

        media_server = await start_media_server()
        if media_server is None:
            return 1
    workspace = Workspace(data_dir, env_passphrase=passphrase or env_passphrase)
    window = MainWindow(workspace, languages, settings=settings)
    if media_server is not None:
        window.live.embedded_config = media_server.server_config()
    window.show()
    freeze_startup_objects()
    try:
        if args.command == "join":
            joined = await window.join_now(args.link, args.name or "Participant")
            if not joined and window.live.stage.value == "idle":
                return 0  # the person cancelled before knocking: nothing went wrong
            while window.isVisible() and window.live.stage.value not in ("ended", "failed"):
                await _sleep(0.2)
            return 0 if window.live.stage.value == "ended" else 1
        names = [n for n in (args.names or "").split(",") if n.strip()]
        options = DemoOptions(
            names=tuple(_bot_names(args.participants, names)),
            duration=args.duration,
            screenshot=args.demo_screenshot,
            screenshot_early=args.screenshot_early,
            drill=args.drill,
        )
        people = functools.partial(
            _start_bots,
            safety_after=SAFETY_DRILL_SECONDS if args.drill == "safety" else None,
            unmet=1 if args.drill == "checklist" else 0,
            crisis_after=CRISIS_DRILL_SECONDS if args.drill == "crisis" else None,
        )
        return await run_demo(window, options, passphrase, people)
    finally:
        await window.live.close()
        window.hide()
        await workspace.close()
        if media_server is not None:
            await media_server.stop()
        window.deleteLater()
        languages.deleteLater()


def _rehearsal_unlock(passphrase: str | None, env_passphrase: str | None) -> str:
    """The catalogue key that says how the rehearsal log is unlocked."""
    if passphrase is None:
        return "live.demo.unlock.keyring"
    if passphrase == env_passphrase:
        return "live.demo.unlock.env"
    return "live.demo.unlock.memory"


def _bot_names(count: int, names: list[str]) -> list[str]:
    from groupdesk.bots.behaviour import pick_names

    return pick_names(max(1, min(11, count)), names)


_SECRET_NAME = re.compile(r"PASSPHRASE|PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL", re.IGNORECASE)


def participants_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of the simulated participants' process: this one's, minus secrets.

    They need no key to the log (GROUPDESK_PASSPHRASE) nor any other secret: a
    child would otherwise inherit them, and /proc/<pid>/environ is one more copy.
    """
    return {name: value for name, value in environ.items() if not _SECRET_NAME.search(name)}


SAFETY_DRILL_SECONDS = 4.0
"""``groupdesk demo --drill safety``: how long after admission the first simulated
participant sends the discreet safety signal."""

CRISIS_DRILL_SECONDS = 4.0
"""``groupdesk demo --drill crisis``: how long after admission the first simulated
participant goes into its scripted crisis (``groupdesk.bots.crisis_script``)."""


async def _start_bots(
    invite: str,
    names: list[str],
    *,
    spawn: Callable[..., Awaitable[Any]] | None = None,
    safety_after: float | None = None,
    unmet: int = 0,
    crisis_after: float | None = None,
) -> Callable[[], Awaitable[None]]:
    """Simulated participants knock at ``invite``; returns how to make them leave.

    They run as ``groupdesk bots`` in a process of their own: five or more
    participants encoding and sending media in the app's process held the Qt
    loop and froze their tiles on a two-core laptop. The invite goes through
    standard input, never the command line (``ps`` shows that to every user),
    and the process gets an environment without secrets. They speak the app's
    language (chosen by ``--lang`` or in the Language menu). ``safety_after``: the
    safety drill (the first one sends the discreet signal that long after admission).
    ``unmet``: the checklist drill (the first ones are not alone and give no phone).
    ``crisis_after``: the crisis drill (the first one asks for help in private that long
    after admission, goes silent, drops and comes back).
    """
    import asyncio
    import os
    import signal
    import subprocess

    spawn = spawn or asyncio.create_subprocess_exec
    process = await spawn(
        *groupdesk_command(), "--lang", get_language(), "bots", "--invite", "-",
        "--count", str(len(names)), "--names", ",".join(names),
        "--fps", "12", "--no-receive-video", "--hands-per-minute", "6",
        *(("--safety-after", str(safety_after)) if safety_after is not None else ()),
        *(("--unmet", str(unmet)) if unmet else ()),
        *(("--crisis-after", str(crisis_after)) if crisis_after is not None else ()),
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        env=participants_environment(os.environ),
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(invite.encode() + b"\n")
    await process.stdin.drain()
    process.stdin.close()

    async def stop() -> None:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)  # the bots leave the room, then exit
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()

    return stop


def groupdesk_command() -> list[str]:
    """How to start this program again: the bundle's executable itself once frozen
    (PyInstaller: it takes no ``-m``), else this Python with ``-m groupdesk``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "groupdesk"]


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)
