"""Helpers for the web page tests: Debian's Chromium driven by Playwright, a real server.

Playwright's Python wheel carries its own driver, so nothing is downloaded at run
time; it drives the system's ``/usr/bin/chromium`` (``executable_path``), headless,
with fake camera and microphone. Playwright gives every launch a new temporary
profile (its ``--user-data-dir``). ``page.evaluate`` reads ``window.groupdeskState``
over the DevTools protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from groupdesk.core.protocol import (
    Admit,
    AppEvent,
    FacilitatorHello,
    Lobby,
    MemberJoined,
    OpenRoom,
    ParticipantHello,
    Question,
    RoomConsent,
    RoomOpened,
    RoomText,
    SafetyWording,
    ServerApp,
    ServerMessage,
    Waiting,
    Welcome,
    parse_invite_link,
)
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.signaling.client import SignalingClient

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    # Keep WebRTC on loopback like the aiortc peers (tests/conftest.py): offer
    # 127.0.0.1 and real addresses rather than mDNS names; the aiortc side then
    # drops every candidate that is not on loopback (media/ice.py).
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
FAKE_UI = "--use-fake-ui-for-media-stream"
REPO_ROOT = Path(__file__).resolve().parents[2]
# axe-core, from package.json (scripts/setup.sh --test installs it; nothing is fetched here)
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

try:
    from playwright.async_api import Page, async_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    async_playwright = None  # type: ignore[assignment]
    Page = Any  # type: ignore[assignment,misc]


def need_chromium() -> None:
    """Skip when Chromium or Playwright is missing, except on CI, where that is a failure."""
    missing = []
    if async_playwright is None:
        missing.append("the playwright package")
    if not Path(CHROMIUM).is_file():
        missing.append("chromium (apt-get install -y chromium)")
    if missing:
        message = "the web page tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def need_axe() -> None:
    """Skip without axe-core (``scripts/setup.sh --test`` installs it), except on CI."""
    if not AXE_JS.is_file():
        message = f"the accessibility tests need axe-core at {AXE_JS} (scripts/setup.sh --test)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now (every rule axe runs by default, all impacts);
    its violations, each with the rule, its impact and the offending elements.

    The page's content security policy forbids inline scripts, so axe is evaluated over
    the DevTools protocol (``page.evaluate``), once per page load."""
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    result: list[dict[str, Any]] = await page.evaluate(
        """async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(' '), summary: n.failureSummary,
                })),
            }));
        }"""
    )
    return result


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe's violations in a few readable lines, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:4]:
            summary = " ".join(str(node["summary"]).split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def run_async(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test on a fresh event loop, bounded in time."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        need_chromium()
        asyncio.run(asyncio.wait_for(fn(*args, **kwargs), 90))

    return wrapper


async def eventually(
    check: Callable[[], Coroutine[Any, Any, bool]] | Callable[[], bool],
    timeout: float = 30.0,
    what: str | Callable[[], str] = "",
) -> None:
    """Wait until ``check()`` (sync or async) holds; ``what`` (or what it returns) says
    what was awaited, and what was seen, when it times out."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {said or check}")
        await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def chromium(
    *,
    fake_ui: bool = True,
    locale: str = "en-US",
    extra_flags: tuple[str, ...] = (),
    camera_fps: int | None = None,
    viewport: tuple[int, int] = (1100, 800),
) -> AsyncIterator[Page]:
    """A page in a fresh headless Chromium (its own new profile), closed at the end;
    ``camera_fps``: the fake camera's frame rate (Chromium's default otherwise);
    ``viewport``: width and height in CSS pixels."""
    assert async_playwright is not None
    flags = [*FLAGS, FAKE_UI] if fake_ui else list(FLAGS)
    if camera_fps is not None:  # a second switch of the same name would be ignored
        fake = flags.index("--use-fake-device-for-media-stream")
        flags[fake] = f"--use-fake-device-for-media-stream=fps={camera_fps}"
    flags += extra_flags
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=flags, headless=True)
        try:
            context = await browser.new_context(
                locale=locale, viewport={"width": viewport[0], "height": viewport[1]}
            )
            page = await context.new_page()
            page.on("console", _print_console)
            page.on("pageerror", lambda error: print(f"[page error] {error}"))
            yield page
        finally:
            await browser.close()


def _print_console(message: Any) -> None:
    if message.type in ("error", "warning"):
        print(f"[console {message.type}] {message.text}")


async def page_state(page: Page) -> dict[str, Any]:
    """``window.groupdeskState``, as JSON (read through the DevTools protocol)."""
    state: dict[str, Any] = await page.evaluate("JSON.parse(JSON.stringify(window.groupdeskState))")
    return state


async def page_holds(page: Page, expression: str, what: str, timeout: float = 20.0) -> None:
    """Wait until ``expression`` is true in the page (evaluated over CDP: the page's CSP
    forbids the string evaluation that Playwright's ``wait_for_function`` polls with)."""
    await eventually(lambda: page.evaluate(expression), timeout, what)


async def wait_step(page: Page, step: str, timeout: float = 20.0) -> None:
    """Wait until the page shows ``step`` (check, name, answers, lobby, session, end)."""
    await page.wait_for_selector(f"#step-{step}:not([hidden])", timeout=timeout * 1000)


async def visible_text(page: Page) -> str:
    """What a person sees on the page (hidden sections excluded)."""
    text: str = await page.inner_text("main")
    return text


async def go_to_lobby(page: Page, invite: str, name: str = "Chloé") -> None:
    """Open ``invite``, pass the device check, give a name and the page's own checklist's
    answers (every required one), ask to join."""
    await page.goto("about:blank")  # a new page load even if only the fragment differs
    await page.goto(invite)
    await wait_step(page, "check")
    await page_holds(page, "window.groupdeskState.checkProblem === null", "the devices open")
    await page.click("#test-sound")
    await page.click("#check-continue")
    await wait_step(page, "name")
    await page.fill("#name-input", name)
    await page.keyboard.press("Enter")
    await wait_step(page, "answers")
    for box in ("private_place", "alone", "headphones", "no_recording", "group_rules"):
        await page.check(f"input[name={box}]")
    await page.fill("#question-location", "Rimouski")
    await page.fill("#question-phone", "418 555-0199")
    await page.click("#answers-form button[type=submit]")


def save_screenshot(data: bytes, tmp_path: Path, name: str) -> Path:
    """Write a screenshot under the test's tmp dir, and into ``artifacts/`` when there is one."""
    path = tmp_path / name
    path.write_bytes(data)
    target = os.environ.get("ARTIFACTS") or (
        str(REPO_ROOT / "artifacts") if (REPO_ROOT / "artifacts").is_dir() else None
    )
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)
    return path


async def next_of(client: SignalingClient, kind: type[Any], timeout: float = 20.0) -> Any:
    """The next server message of type ``kind`` (others are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message: ServerMessage = await client.receive(max(0.1, deadline - time.monotonic()))
        if isinstance(message, kind):
            return message


async def next_app(
    client: SignalingClient, event: type[AppEvent], timeout: float = 20.0
) -> ServerApp:
    """The next ``app`` message carrying an ``event`` (others are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        app: ServerApp = await next_of(client, ServerApp, max(0.1, deadline - time.monotonic()))
        if isinstance(app.event, event):
            return app


async def next_lobby_with_someone(client: SignalingClient, timeout: float = 20.0) -> Lobby:
    """The next ``lobby`` update that has someone waiting."""
    deadline = time.monotonic() + timeout
    while True:
        lobby: Lobby = await next_of(client, Lobby, max(0.1, deadline - time.monotonic()))
        if lobby.waiting:
            return lobby


@contextlib.asynccontextmanager
async def server_and_facilitator(
    state_dir: Path,
    config: ServerConfig | None = None,
    client: SignalingClient | None = None,
    member_ids: list[str] | None = None,
    questions: tuple[Question, ...] | None = None,
    safety: SafetyWording | None = None,
    rules: RoomText | None = None,
    consent: RoomConsent | None = None,
    relay_only: bool = False,
) -> AsyncIterator[tuple[RunningServer, SignalingClient, RoomOpened]]:
    """A server on 127.0.0.1 and a facilitator who opened a room (its invite in RoomOpened).

    ``member_ids``: the ids the server hands out, in order (then random ones), so a
    test decides who makes the offer in each pair of the mesh. ``questions``: what the
    room asks participants (none: the page's own list); ``safety``: the words of its
    discreet safety option (none: the page's own); ``rules``: its group rules;
    ``consent``: its consent to taking part remotely (none: not asked on the page);
    ``relay_only``: a relay-only room (policy ``ice_relay_only``).
    """
    store = CredentialStore(state_dir)
    credential = store.add("ana")
    server = await start_server("127.0.0.1", 0, config=config, credentials=store)
    if member_ids:
        registry = server.server.registry
        random_id = registry._new_member_id
        queue = list(member_ids)
        registry._new_member_id = lambda: queue.pop(0) if queue else random_id()  # type: ignore[method-assign]
    facilitator = client or SignalingClient()
    try:
        await facilitator.connect(server.ws_url)
        await facilitator.send(
            FacilitatorHello(name="ana", credential=credential, display_name="Ana")
        )
        await next_of(facilitator, Welcome)
        await facilitator.send(
            OpenRoom(
                questions=questions,
                safety=safety,
                rules=rules,
                consent=consent,
                relay_only=relay_only or None,
            )
        )
        opened = await next_of(facilitator, RoomOpened)
        yield server, facilitator, opened
    finally:
        await facilitator.close()
        await server.stop()


async def seat_participant(
    facilitator: SignalingClient, participant: SignalingClient, invite_link: str, name: str
) -> None:
    """``participant`` knocks at the room of ``invite_link`` as ``name``; ``facilitator``
    admits them and hears that they took their seat."""
    invite = parse_invite_link(invite_link)
    await participant.connect(invite.websocket_url)
    await participant.send(
        ParticipantHello(room=invite.room, secret=invite.secret, display_name=name)
    )
    await next_of(participant, Waiting)
    lobby = await next_lobby_with_someone(facilitator)
    await facilitator.send(Admit(member=lobby.waiting[-1].member))
    await next_of(facilitator, MemberJoined)
