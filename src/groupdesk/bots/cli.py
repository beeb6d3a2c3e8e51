"""``groupdesk bots``: simulated participants from the command line.

``groupdesk bots --invite LINK --count N [--names "Ana,Ben"] [--duration S]``
knocks N bots at the lobby and prints one line per bot as it is admitted (its
name and member id: never a token or the invite's secret). Ctrl+C or SIGTERM:
the bots leave, exit 0. The facilitator ended the session: one plain line per
bot ("Ana: the session has ended."), exit 0 -- a normal end, not an error.
Refused (bad or expired invite, a room that ended before they got in, turned
away), or every bot lost its seat otherwise: an error message, exit 1.

``--state-file FILE`` keeps each bot's newest resume token in FILE (mode 0600,
rewritten at each admission): a process started again with the same file within
the server's grace period takes the same seats back, with no new admission. The
file is removed when the bots leave or lose their seats. ``--invite -`` reads the
link from standard input, so that its secret does not show in ``ps``.

``--crisis-after S``: the crisis drill (:mod:`groupdesk.bots.crisis_script`): S seconds
after its admission the first bot asks the facilitators for help in private, goes silent,
drops its connection without leaving and comes back into its seat a few seconds later.

``--unmet N``: the first N bots leave the room's required items unmet (not alone, no
phone number), to rehearse admitting anyway; ``--no-consent``: no bot agrees to the
room's consent text.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from groupdesk.bots.behaviour import (
    MAX_BOTS,
    MAX_SPEAK_SECONDS,
    BotAnswers,
    BotBehaviour,
    pick_names,
)
from groupdesk.bots.bot import Bot, BotError, BotEvent, BotSeat, BotStateChanged
from groupdesk.bots.crisis_script import CrisisScript, play_crisis
from groupdesk.bots.swarm import BotSwarm, InviteLinkError, run_bots
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import tr
from groupdesk.core.protocol import ErrorCode, parse_invite_link
from groupdesk.media.events import EventStream

logger = logging.getLogger(__name__)

_STATE_VERSION = 1
_MEMBER_ID = re.compile(r"[0-9a-f]{12}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


class StateFileError(GroupDeskError):
    """The state file exists but is not one this command wrote."""

    key = "bots.error.state_file"


def add_parser(commands: Any) -> None:
    """Register ``bots`` on the main parser's subparsers."""
    parser = commands.add_parser("bots", help=tr("bots.help"), description=tr("bots.description"))
    parser.add_argument(
        "--invite", required=True, metavar=tr("bots.metavar.link"), help=tr("bots.help.invite")
    )
    parser.add_argument(
        "--count", required=True, type=_count, metavar="N", help=tr("bots.help.count")
    )
    parser.add_argument("--names", metavar=tr("bots.metavar.names"), help=tr("bots.help.names"))
    parser.add_argument(
        "--duration",
        type=_seconds,
        metavar=tr("bots.metavar.seconds"),
        help=tr("bots.help.duration"),
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        metavar=tr("cli.metavar.file"),
        help=tr("bots.help.state_file"),
    )
    parser.add_argument(
        "--hands-per-minute",
        type=_rate,
        default=BotBehaviour().hand_raises_per_minute,
        metavar="R",
        help=tr("bots.help.hands"),
    )
    parser.add_argument(
        "--speak-seconds",
        type=_speak_seconds,
        default=BotBehaviour().speak_seconds,
        metavar=tr("bots.metavar.range"),
        help=tr("bots.help.speak_seconds"),
    )
    parser.add_argument(
        "--pass-probability",
        type=_probability,
        default=BotBehaviour().pass_probability,
        metavar="P",
        help=tr("bots.help.pass_probability"),
    )
    parser.add_argument("--chatter", action="store_true", help=tr("bots.help.chatter"))
    parser.add_argument(
        "--fps", type=_fps, default=BotBehaviour().fps, metavar="N", help=tr("bots.help.fps")
    )
    parser.add_argument(
        "--no-receive-video", action="store_true", help=tr("bots.help.no_receive_video")
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help=tr("bots.help.seed"))
    parser.add_argument(
        "--safety-after",
        type=_seconds,
        metavar=tr("bots.metavar.seconds"),
        help=tr("bots.help.safety_after"),
    )
    parser.add_argument(
        "--crisis-after",
        type=_crisis_after,
        metavar=tr("bots.metavar.seconds"),
        help=tr("bots.help.crisis_after"),
    )
    parser.add_argument("--unmet", type=_unmet, default=0, metavar="N", help=tr("bots.help.unmet"))
    parser.add_argument("--no-consent", action="store_true", help=tr("bots.help.no_consent"))


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_BOTS:
        raise argparse.ArgumentTypeError(tr("bots.error.count", max=MAX_BOTS))
    return value


def _unmet(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_BOTS:
        raise argparse.ArgumentTypeError(tr("bots.error.unmet", max=MAX_BOTS))
    return value


def _fps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 60:
        raise argparse.ArgumentTypeError(tr("bots.error.fps"))
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e7:
        raise argparse.ArgumentTypeError(tr("bots.error.duration"))
    return value


def _crisis_after(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(tr("bots.error.crisis_after"))
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(tr("bots.error.hands"))
    return value


def _speak_seconds(text: str) -> tuple[float, float]:
    """``S`` (always S seconds) or ``LOW-HIGH`` (a draw between them, every turn)."""
    low_text, _, high_text = text.partition("-")
    try:
        low = float(low_text)
        high = float(high_text) if high_text else low
    except ValueError:
        low = high = 0.0
    if not 0 < low <= high <= MAX_SPEAK_SECONDS:
        raise argparse.ArgumentTypeError(tr("bots.error.speak_seconds", max=MAX_SPEAK_SECONDS))
    return low, high


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(tr("bots.error.pass_probability"))
    return value


def run(args: argparse.Namespace) -> int:
    """Run the bots until Ctrl+C, SIGTERM, ``--duration`` or the end of their sessions."""
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:  # Windows has no signal handlers on the loop: Ctrl+C raises
        return 0


class StateFile:
    """Each bot's seat (name, member id, resume token) for one room, in a 0600 JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, room: str) -> list[BotSeat]:
        """The seats saved for ``room`` (none if the file is missing or for another room)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            raise StateFileError(path=str(self.path)) from error
        try:
            if data["version"] != _STATE_VERSION:
                raise StateFileError(path=str(self.path))
            if data["room"] != room:
                return []
            seats = [BotSeat(b["name"], b["member"], b["token"]) for b in data["bots"]]
        except (KeyError, TypeError) as error:
            raise StateFileError(path=str(self.path)) from error
        for seat in seats:
            if not (
                isinstance(seat.name, str)
                and isinstance(seat.member_id, str)
                and isinstance(seat.token, str)
                and _MEMBER_ID.fullmatch(seat.member_id)
                and _TOKEN.fullmatch(seat.token)
            ):
                raise StateFileError(path=str(self.path))
        return seats

    def save(self, room: str, seats: list[BotSeat]) -> None:
        """Replace the file at once (a reader never sees half of it)."""
        data = {
            "version": _STATE_VERSION,
            "room": room,
            "bots": [{"name": s.name, "member": s.member_id, "token": s.token} for s in seats],
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, self.path)

    def remove(self) -> None:
        """The seats are gone: so is the file."""
        self.path.unlink(missing_ok=True)


def _error(error: GroupDeskError) -> None:
    print(tr("cli.error", message=error.message()), file=sys.stderr, flush=True)


@dataclass(frozen=True)
class _Plan:
    link: str
    room: str
    names: list[str]
    saved: list[BotSeat]
    behaviour: BotBehaviour
    state: StateFile | None
    crisis: CrisisScript | None = None


def _plan(args: argparse.Namespace) -> _Plan:
    """Everything checked before connecting; raises GroupDeskError."""
    link = sys.stdin.readline().strip() if args.invite == "-" else args.invite
    try:
        room = parse_invite_link(link).room
    except ValueError as error:
        raise InviteLinkError from error
    try:
        names = pick_names(args.count, args.names.split(",") if args.names else None)
    except ValueError as error:
        raise GroupDeskError("bots.error.names") from error
    state = StateFile(args.state_file) if args.state_file else None
    saved = state.load(room) if state else []
    behaviour = BotBehaviour(
        seed=args.seed,
        hand_raises_per_minute=args.hands_per_minute,
        fps=args.fps,
        receive_video=not args.no_receive_video,
        speak_seconds=args.speak_seconds,
        pass_probability=args.pass_probability,
        chatter=args.chatter,
        safety_after=args.safety_after,
        answers=BotAnswers(unmet=args.unmet, consent=not args.no_consent),
    )
    crisis = None if args.crisis_after is None else CrisisScript(args.crisis_after)
    return _Plan(link, room, names, saved, behaviour, state, crisis)


async def _run(args: argparse.Namespace) -> int:
    try:
        plan = _plan(args)
    except GroupDeskError as error:
        _error(error)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    events: EventStream[BotEvent] = EventStream()
    reporter = _Reporter(plan.room, plan.state)
    events.subscribe(reporter.on_event)
    starting = run_bots(
        plan.link, args.count, plan.names, plan.behaviour, resume=plan.saved, events=events
    )
    try:
        swarm = await _until_stopped(starting, stop)
    except BotError as error:
        if plan.state is not None and error.reason == "resume_expired":
            plan.state.remove()  # those seats are gone for good: the next run knocks anew
        _error(error)
        return 1
    if swarm is None:  # stopped while knocking; those who knocked (or resumed) have left
        if plan.state is not None:
            plan.state.remove()
        return 0
    fresh = args.count - len(plan.saved)
    if fresh > 0:
        print(tr("bots.knocked", count=fresh), flush=True)
    reporter.started = True
    for bot in swarm.bots:
        if bot.state == "ended":  # while the others were still knocking
            reporter.ended(bot)
    outcome = await _serve(swarm, stop, args.duration, plan.crisis)
    reporter.stopping = True
    await swarm.stop()
    if plan.state is not None:
        plan.state.remove()
    if outcome == "stopped":
        print(tr("bots.left"), flush=True)
    return 1 if outcome == "lost" else 0


_Outcome = Literal["stopped", "session_ended", "lost"]
"""How the bots' time in the room ended: a signal or the duration, the facilitator ended
the session (every bot's own end), or every bot's seat was lost otherwise."""


async def _serve(
    swarm: BotSwarm, stop: asyncio.Event, duration: float | None, crisis: CrisisScript | None
) -> _Outcome:
    """Wait for a signal, the duration or the end of every bot's session (meanwhile the
    first bot plays the ``crisis`` script, if any)."""
    drill = None if crisis is None else asyncio.ensure_future(play_crisis(swarm, crisis))
    try:
        return await _served(swarm, stop, duration)
    finally:
        if drill is not None:
            drill.cancel()
            [ended] = await asyncio.gather(drill, return_exceptions=True)
            if isinstance(ended, Exception):  # a bug in the script: said, not hidden
                logger.error("the crisis drill failed", exc_info=ended)


async def _served(swarm: BotSwarm, stop: asyncio.Event, duration: float | None) -> _Outcome:
    all_ended = asyncio.ensure_future(_all_final(swarm))
    waits: set[asyncio.Future[Any]] = {asyncio.ensure_future(stop.wait()), all_ended}
    if duration is not None:
        waits.add(asyncio.ensure_future(asyncio.sleep(duration)))
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    outcome: _Outcome = "stopped"
    if all_ended.done() and not stop.is_set():
        normal = all(_session_ended(bot) for bot in swarm.bots)
        outcome = "session_ended" if normal else "lost"
    for waiting in waits:
        waiting.cancel()
    await asyncio.gather(*waits, return_exceptions=True)  # collect the cancellations
    return outcome


async def _all_final(swarm: BotSwarm) -> None:
    """Every bot of ``swarm`` has left or ended (one that came back in a dropped bot's
    place, in the crisis drill, counts instead of it)."""
    while True:
        bots = list(swarm.bots)
        await asyncio.gather(*(b.wait_final() for b in bots))
        if list(swarm.bots) == bots:
            return


def _session_ended(bot: Bot) -> bool:
    """Whether ``bot`` ended because the facilitator ended the session: a normal end."""
    return bot.state == "ended" and bot.reason == ErrorCode.ROOM_ENDED.value


async def _until_stopped(
    starting: Coroutine[Any, Any, BotSwarm], stop: asyncio.Event
) -> BotSwarm | None:
    """``await starting``, or None as soon as ``stop`` is set."""
    task = asyncio.ensure_future(starting)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, GroupDeskError):
        await task
    return None


class _Reporter:
    """Prints each admission, keeps the state file current, says why a bot ended."""

    def __init__(self, room: str, state: StateFile | None) -> None:
        self.room = room
        self.state = state
        self.started = False
        self.stopping = False
        self.bots: dict[int, Bot] = {}

    def on_event(self, event: BotEvent) -> None:
        if not isinstance(event, BotStateChanged):
            return
        bot = event.bot
        self.bots[bot.index] = bot
        if event.state == "admitted":
            self._save()  # before the line: whoever reads the line finds the file current
            key = "bots.resumed" if bot.resumed else "bots.admitted"
            print(tr(key, name=bot.name, member=bot.member_id), flush=True)
        elif event.state == "ended" and self.started and not self.stopping:
            self.ended(bot)

    def ended(self, bot: Bot) -> None:
        """Say why ``bot`` ended (a refusal while knocking is said once, by the caller):
        the end of the session plainly, on standard output; anything else as an error."""
        self._save()
        if bot.reason == "dropped":  # the crisis drill's, on purpose: it comes back
            print(tr("bots.dropped", name=bot.name), flush=True)
        elif _session_ended(bot):
            print(tr("bots.session_ended", name=bot.name), flush=True)
        else:
            _error(BotError(bot.name, bot.reason or "connection_lost"))

    def _save(self) -> None:
        if self.state is None:
            return
        seats = [s for _, b in sorted(self.bots.items()) if (s := b.seat()) is not None]
        self.state.save(self.room, seats)
