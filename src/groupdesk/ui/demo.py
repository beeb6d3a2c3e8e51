"""``groupdesk demo``: a rehearsal session with simulated participants on the embedded server.

The rehearsal has its own session log (``<data>/rehearsal`` unless ``--data-dir``
is given), so practice never mixes with real records. Its key is in the OS
keyring; with no keyring it is protected by ``GROUPDESK_PASSPHRASE`` if set,
else by a random passphrase kept in memory only -- that rehearsal log then
cannot be opened again, and the next demo replaces it (only in the default
rehearsal folder, never in a ``--data-dir``).

The simulated participants (``groupdesk.bots``, started by the composition
root and handed in as ``people``) knock in the lobby, show their test pattern in
the lobby's camera previews, are admitted, send a test pattern with their name
and speech-like audio in bursts, and raise hands. With ``--duration`` the facilitator
plays on autopilot (``core/session/autopilot``): the floor to the hands in queue order,
then one round, so the rehearsal's journal holds hands, floors, turns, a round and
each member's talk time. With ``--drill safety`` the first simulated participant sends
the discreet safety signal a few seconds after admission, so a practitioner rehearses
the response (the Safety tab, a private line, "Mark as handled"); the journal holds it.
With ``--drill checklist`` the first one is not alone and gives no phone number: the
others come in, they stay in the waiting room until the practitioner asks them or
admits them anyway with a reason. With ``--drill crisis`` the first one goes into a
scripted crisis (``groupdesk.bots.crisis_script``): it asks for help in a private line,
goes silent, drops and comes back into its seat. A practitioner answers it with the crisis
panel; with ``--duration`` the crisis autopilot (``core/session/crisis_pilot``) does:
it opens the panel, ticks the steps, goes to the side room with them and back, and closes
with an incident record -- the rehearsal then ends once that is done (at most
:data:`CRISIS_DRILL_OVERTIME` seconds after ``duration``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import assert_never

from PySide6.QtCore import QLocale

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import LANGUAGES
from groupdesk.core.i18n import tr as catalogue_text  # not "tr": lupdate reads that as Qt's
from groupdesk.core.journal_kinds import SessionPrepared
from groupdesk.core.session.autopilot import Autopilot
from groupdesk.core.session.crisis_pilot import (
    ClosePanel,
    CrisisPilot,
    EnterSideRoom,
    LeaveSideRoom,
    OpenPanel,
    PilotMove,
    SetOutcome,
    TickStep,
)
from groupdesk.media.sources import (
    AudioSource,
    SpeechLikeAudioSource,
    TestPatternSource,
    VideoSource,
)
from groupdesk.server.janus import find_library_dir
from groupdesk.server.janus_client import JanusError
from groupdesk.server.local_sfu import LocalSfu, start_local_sfu
from groupdesk.sessionlog import KeyStore, keyring_available
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.screenshot import failed_message, save_screenshot, saved_message
from groupdesk.ui.workspace import Stage, Workspace

log = logging.getLogger(__name__)

#: Small video for the simulated people: a shared laptop runs all of them.
BOT_VIDEO = (320, 180, 12)

CRISIS_DRILL_OVERTIME = 45.0
"""How long a timed crisis drill may run past ``--duration`` for the autopilot to close
the panel (the member drops and comes back first)."""


def facilitator_name() -> str:
    """The rehearsal facilitator's name, in the current language ("Animation")."""
    return catalogue_text("live.demo.facilitator")


def rehearsal_group_names() -> tuple[str, ...]:
    """The rehearsal group's name in the current language, then in every other one: a
    rehearsal log made in English is the same rehearsal in French."""
    current = catalogue_text("live.demo.group")
    others = (catalogue_text("live.demo.group", lang) for lang in LANGUAGES)
    return (current, *(name for name in others if name != current))


@dataclass(frozen=True)
class DemoOptions:
    """What ``groupdesk demo`` was asked for."""

    names: tuple[str, ...] = ("Ana", "Ben", "Chloé", "Dario", "Émilie")
    duration: float | None = None
    screenshot: Path | None = None
    screenshot_early: Path | None = None
    drill: str | None = None
    """``safety``: a simulated participant sends the discreet safety signal; ``checklist``:
    one waits in the lobby; ``crisis``: one goes into a scripted crisis."""


def synthetic_sources(
    name: str, seed: int, fps: int = BOT_VIDEO[2]
) -> Callable[[], tuple[VideoSource, AudioSource]]:
    """A test pattern with ``name`` and speech-like audio in bursts."""

    def make() -> tuple[VideoSource, AudioSource]:
        width, height, _ = BOT_VIDEO
        return (
            TestPatternSource(name, width, height, fps=fps),
            SpeechLikeAudioSource(seed=seed, talk_ratio=0.35),
        )

    return make


def rehearsal_protection(data_dir: Path, given_dir: bool, env_passphrase: str | None) -> str | None:
    """The passphrase for the rehearsal log (None: the keyring holds its key).

    With no keyring and no ``GROUPDESK_PASSPHRASE``: a random passphrase kept in
    memory; an older rehearsal log under a forgotten passphrase is replaced
    (only in the default rehearsal folder).
    """
    if env_passphrase:
        return env_passphrase
    if keyring_available():
        return None
    if not given_dir and data_dir.exists():
        try:
            state = KeyStore(data_dir).state()
        except GroupDeskError:
            state = None
        if state != "new":
            shutil.rmtree(data_dir)
    return secrets.token_urlsafe(24)


async def open_rehearsal_log(workspace: Workspace, passphrase: str | None) -> bool:
    """Unlock (or create) the rehearsal log without asking anything."""
    await workspace.start()
    if workspace.stage is Stage.CHOOSE_PROTECTION:
        await workspace.create(passphrase)
    if workspace.stage is Stage.NEW_RECOVERY_KEY:
        workspace.confirm_recovery_key_written()  # a rehearsal log: nothing to recover
    return workspace.stage is Stage.OPEN


async def prepare_rehearsal(
    workspace: Workspace, names: list[str], duration: float | None
) -> int | None:
    """The rehearsal group (with these people) and a session starting now; its id."""
    log_ = workspace.log
    if log_ is None:
        return None
    groups = await log_.list_groups()
    names_of_group = rehearsal_group_names()
    group = next((g for g in groups if g.name in names_of_group), None)
    if group is None:
        group = await log_.create_group(names_of_group[0], "groupdesk demo")
    members = {m.display_name: m for m in await log_.list_members(group.id)}
    for name in names:
        if name not in members:
            members[name] = await log_.add_member(group.id, name)
    start = datetime.now(UTC)
    session = await log_.create_session(
        group.id,
        start,
        start + timedelta(seconds=max(600.0, duration or 0) + 60),
        facilitators=[facilitator_name()],
        expected_member_ids=[members[n].id for n in names],
    )
    await log_.append_event(
        session.id, SessionPrepared("session.prepared", group=group.id, rehearsal=True)
    )
    workspace.selected_group_id = group.id
    await workspace.reload()
    return session.id


async def admit_when_knocked(
    live: LiveSession, count: int, timeout: float = 30.0, preview_timeout: float = 8.0
) -> None:
    """The rehearsal's facilitator admits everyone who meets the checklist's required
    items once all have knocked (or after a while) and their camera previews are seen
    (or did not come in ``preview_timeout``); the others are the practitioner's call."""
    await wait_until(lambda: len(live.lobby) >= count, timeout)
    previews = live.previews
    seen = await wait_until(
        lambda: (
            not previews.enabled
            or all(previews.state(p.seat) in ("showing", "camera_off") for p in live.lobby)
        ),
        preview_timeout,
    )
    log.info(
        "lobby: %d waiting, %d previews showing%s",
        len(live.lobby),
        sum(previews.state(p.seat) == "showing" for p in live.lobby),
        "" if seen else " (not all came)",
    )
    await asyncio.sleep(1.0)  # the lobby is seen full for a moment
    await live.admit_all()


async def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


def default_rehearsal_dir(data_dir: Path) -> Path:
    """The rehearsal log's folder inside the user's data folder."""
    return data_dir / "rehearsal"


People = Callable[[str, list[str]], Awaitable[Callable[[], Awaitable[None]]]]
"""Starts simulated people on an invite link (they knock); returns how to stop them."""


async def run_demo(
    window: MainWindow, options: DemoOptions, passphrase: str | None, people: People
) -> int:
    """Open the rehearsal log, the room, let the simulated people in; end after ``duration``.

    Returns the exit code: 0 when the session ran and ended normally.
    """
    workspace = window.workspace
    if not await open_rehearsal_log(workspace, passphrase):
        print(
            workspace.error.message() if workspace.error else catalogue_text("live.demo.error.log"),
            file=sys.stderr,
        )
        return 1
    names = list(options.names)
    session_id = await prepare_rehearsal(workspace, names, options.duration)
    if session_id is None:
        return 1
    if window.live_sources is None:
        window.live_sources = synthetic_sources(facilitator_name(), 99, fps=15)
    if not await window.open_room_now(session_id):
        problem = window.live.problem
        print(
            catalogue_text("live.demo.error.room", problem=problem.value if problem else "?"),
            file=sys.stderr,
        )
        return 1
    # Anyone may join the rehearsal too (a browser, ``groupdesk join``): the facilitator admits.
    print(window.live.invite, flush=True)
    if options.drill is not None:
        print(catalogue_text(f"live.demo.drill.{options.drill}"), flush=True)
    stop: Callable[[], Awaitable[None]] | None = None
    try:
        stop = await people(window.live.invite, names)
        await admit_when_knocked(window.live, len(names))
        page = window.live_page
        # the rehearsal is about the turns now; or, in the checklist drill, the one left waiting
        shown = page.lobby if options.drill == "checklist" else page.turns_view.panel
        page.side_tabs.setCurrentWidget(shown)
        if options.duration is None:
            await wait_until(
                lambda: not window.isVisible() or window.live.stage is LiveStage.ENDED, 10**9
            )
            return 0
        return await _timed(window, options)
    finally:
        if stop is not None:
            await stop()
        if window.live.active:
            await window.live.end()


async def _timed(window: MainWindow, options: DemoOptions) -> int:
    """Run for ``duration`` seconds, with the screenshots, then end the session normally."""
    loop = asyncio.get_running_loop()
    assert options.duration is not None
    end_at = loop.time() + options.duration
    pilot = loop.create_task(autopilot(window.live, options.duration, len(options.names)))
    drill = loop.create_task(crisis_autopilot(window)) if options.drill == "crisis" else None
    try:
        return await _until_the_end(window, options, end_at, drill)
    finally:
        pilot.cancel()
        if drill is not None:
            drill.cancel()


async def autopilot(live: LiveSession, duration: float, count: int) -> None:
    """Play the facilitator of a timed rehearsal: the floor to the hands in order, each
    for a slot, then one round (``core/session/autopilot``) -- until the session ends."""
    if not await wait_until(lambda: live.turns.desk is not None, 10):
        log.warning("the autopilot found no turns to run")
        return
    slot = min(float(live.turns.turn_seconds), max(1.5, duration / (2 * (count + 2))))
    pilot = Autopilot(live.self_seat, slot, round_at=time.monotonic() + duration * 0.35)
    while live.stage is LiveStage.LIVE:
        view = live.turns.view()
        command = pilot.next_command(view, time.monotonic()) if view is not None else None
        if command is not None:
            log.info("autopilot: %s", type(command).__name__)
            await live.turn_command(command)
        await asyncio.sleep(0.25)


async def crisis_autopilot(window: MainWindow, pilot: CrisisPilot | None = None) -> None:
    """Play the facilitator of the crisis drill (``core/session/crisis_pilot``): the first
    private line from a participant is the crisis; its panel is opened, ticked, used and
    closed through the calls the panel makes -- until that is done or the session ends."""
    live = window.live
    pilot = pilot or CrisisPilot()
    read = 0
    while live.stage is LiveStage.LIVE and not pilot.done:
        now = time.monotonic()
        for line in live.chat[read:]:
            member = live.member(line.sender)
            asked = line.private and not line.outgoing and member is not None
            if asked and member is not None and member.role == "participant":
                pilot.noticed(line.sender, now)
        read = len(live.chat)
        crisis = live.crisis.crisis(pilot.seat) if pilot.seat is not None else None
        move = pilot.next_move(crisis.view() if crisis is not None else None, now)
        if move is not None:
            log.info("crisis autopilot: %s", move)
            await _crisis_move(window, move)
        await asyncio.sleep(0.25)


async def _crisis_move(window: MainWindow, move: PilotMove) -> None:
    """Carry out one move of the crisis autopilot, as the panel would."""
    live = window.live
    match move:
        case OpenPanel(seat):
            window.live_page.crisis_view.open_for(seat)  # the tab shows, as from the shortcut
        case TickStep(seat, step):
            live.crisis.tick_step(seat, step)
        case EnterSideRoom(seat):
            await live.open_side_room(seat)
        case LeaveSideRoom():
            await live.close_side_room()
        case SetOutcome(seat, outcome):
            live.crisis.set_outcome(seat, outcome)
        case ClosePanel(seat):
            await live.crisis.close(seat)
        case _:
            assert_never(move)


async def _until_the_end(
    window: MainWindow, options: DemoOptions, end_at: float, drill: asyncio.Task[None] | None
) -> int:
    """The screenshots on time, the tiles' figures, then the normal end (after the crisis
    ``drill``'s autopilot is done, if there is one, within its overtime)."""
    loop = asyncio.get_running_loop()
    if options.screenshot_early is not None:
        await asyncio.sleep(max(0.0, end_at - loop.time() - 4.0))
        _save(window, options.screenshot_early)
    await asyncio.sleep(max(0.0, end_at - loop.time() - 0.5))
    if options.screenshot is not None:
        _save(window, options.screenshot)
    await asyncio.sleep(max(0.0, end_at - loop.time()))
    if drill is not None:
        finished, _ = await asyncio.wait({drill}, timeout=CRISIS_DRILL_OVERTIME)
        if not finished:
            log.warning("the crisis autopilot was not done %.0f s late", CRISIS_DRILL_OVERTIME)
    for member in window.live.members.values():
        print(
            catalogue_text(
                "live.demo.tile",
                name=member.name,
                frames=member.frames,
                fps=QLocale().toString(member.fps, "f", 1),  # 2,5 in French
            )
        )
    await window.live.end()
    return 0 if window.live.stage is LiveStage.ENDED and window.live.log_failures == 0 else 1


def _save(window: MainWindow, path: Path) -> None:
    try:
        print(saved_message(save_screenshot(window, path)), flush=True)
    except OSError as error:
        print(failed_message(path, error), file=sys.stderr)


async def start_media_server() -> LocalSfu | None:
    """``groupdesk demo --sfu``: Janus on this computer, or None (and why, on stderr)."""
    if shutil.which("janus") is None or find_library_dir() is None:
        print(catalogue_text("live.demo.error.no_janus"), file=sys.stderr)
        return None
    try:
        media_server = await start_local_sfu()
    except JanusError as error:
        print(catalogue_text("live.demo.error.janus", reason=str(error)), file=sys.stderr)
        return None
    print(catalogue_text("live.demo.sfu"), flush=True)
    return media_server
