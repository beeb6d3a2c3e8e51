"""The page shows the speaking turns a real TurnManager keeps: place in line, the floor,
the speaker's timer counted on the page's own clock, a round, and "Pass"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_harness import (
    Page,
    chromium,
    go_to_lobby,
    next_app,
    next_lobby_with_someone,
    next_of,
    page_state,
    run_async,
    save_screenshot,
    seat_participant,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import (
    Admit,
    ClientApp,
    MemberJoined,
    PassTurn,
    RaiseHand,
    ServerApp,
    TurnState,
)
from groupdesk.core.session import turn_events as ev
from groupdesk.core.session.turn_wire import to_wire
from groupdesk.core.session.turns import TurnManager, TurnSettings
from groupdesk.signaling.client import SignalingClient

pytestmark = pytest.mark.slow

ANA, CHLOE, BEA = "eeeeeeeeeeee", "888888888888", "111111111111"
"""Ids in the room: Ana facilitates, Chloé is the browser, Bea another participant."""


class Facilitator:
    """Ana's side: a real turn manager on a fake clock, broadcasting after every change."""

    def __init__(self, client: SignalingClient) -> None:
        self.client = client
        self.now = 0.0
        self.turns = TurnManager(
            TurnSettings(turn_seconds=120.0, warn_before_seconds=30.0), clock=lambda: self.now
        )
        self.sent: list[TurnState] = []

    async def apply(self, *events: ev.TurnInput) -> list[ev.TurnOutput]:
        """Feed the manager, then send the room its whole turn state."""
        out = [output for event in events for output in self.turns.handle(event)]
        assert not [o for o in out if isinstance(o, ev.Refused)], out
        await self.broadcast()
        return out

    async def advance(self, seconds: float) -> list[ev.TurnOutput]:
        """Let ``seconds`` pass on the manager's clock; broadcast what the timer says then."""
        self.now += seconds
        out = self.turns.tick()
        await self.broadcast()
        return out

    async def broadcast(self) -> None:
        state = to_wire(self.turns.participant_view(ANA), spotlight=None)
        self.sent.append(state)
        await self.client.send(ClientApp(event=state))


async def turn_line(page: Page, selector: str, text: str) -> None:
    """Wait until the element shows ``text`` (bounded)."""
    await page.locator(selector).filter(has_text=text).wait_for(timeout=20_000)


async def pause_page_clock(page: Page) -> None:
    """Stop the page's clock (Date, performance.now, timers): from now on the test runs it."""
    now_ms = await page.evaluate("Date.now()")
    await page.clock.pause_at(now_ms + 1000)


async def apps_until(client: SignalingClient, done: object, timeout: float = 20.0) -> list[object]:
    """Every app event ``client`` receives until one equals ``done`` (bounded)."""
    deadline = time.monotonic() + timeout
    seen: list[object] = []
    while not seen or seen[-1] != done:
        app: ServerApp = await next_of(client, ServerApp, max(0.1, deadline - time.monotonic()))
        seen.append(app.event)
    return seen


@run_async
async def test_the_page_follows_a_real_turn_manager(tmp_path: Path) -> None:
    bea = SignalingClient()
    async with (
        server_and_facilitator(tmp_path, member_ids=[ANA, CHLOE, BEA]) as (_s, client, opened),
        chromium() as page,
    ):
        try:
            ana = Facilitator(client)
            await page.clock.install()  # the page's clock, run by the test for the timer
            await go_to_lobby(page, opened.invite, name="Chloé")
            await next_lobby_with_someone(client)
            await client.send(Admit(member=CHLOE))
            await next_of(client, MemberJoined)
            await wait_step(page, "session")
            await seat_participant(client, bea, opened.invite, "Bea")
            await ana.apply(
                ev.Join(ANA, "facilitator"),
                ev.Join(CHLOE, "participant"),
                ev.Join(BEA, "participant"),
            )
            assert "in line" not in await visible_text(page)
            await pause_page_clock(page)

            # Bea raises her hand, then Chloé from the page: the facilitator's app orders them.
            await bea.send(ClientApp(event=RaiseHand()))
            raised = await next_app(client, RaiseHand)
            assert raised.sender == BEA
            await ana.apply(ev.RaiseHand(by=raised.sender, at=1.0))
            await page.click("#btn-hand")
            raised = await next_app(client, RaiseHand)
            assert raised.sender == CHLOE
            await ana.apply(ev.RaiseHand(by=raised.sender, at=2.0))
            await turn_line(page, "#turn-status", "you are number 2 in line")
            assert await page.inner_text("#btn-hand") == "Lower my hand"

            # Bea is given the floor: Chloé is next, and sees who speaks and Bea's time left.
            await ana.apply(ev.GiveFloor(by=ANA))
            await turn_line(page, "#turn-status", "you are number 1 in line")
            assert await page.inner_text("#turn-speaker") == "Speaking now: Bea."
            assert await page.inner_text("#turn-timer") == "Time left: 2:00."

            # Chloé's turn, on a page clock the test runs: the timer counts on by itself.
            await ana.advance(40.0)
            await turn_line(page, "#turn-timer", "Time left: 1:20.")
            await ana.apply(ev.GiveFloor(by=ANA))
            await turn_line(page, "#turn-status", "You have the floor.")
            assert (ana.sent[-1].queue, ana.sent[-1].floor) == ((), CHLOE)
            assert await page.is_hidden("#turn-speaker")
            assert await page.inner_text("#btn-hand") == "Raise my hand"  # given the floor
            assert await page.inner_text("#turn-timer") == "Time left: 2:00."
            await page.clock.run_for(5_000)
            assert await page.inner_text("#turn-timer") == "Time left: 1:55."
            assert await page.inner_text("#announcer") == "You have the floor."

            # The facilitator's app warns at its timer's deadline (24 s before the end of a
            # 120 s turn); the page shows it gently.
            deadline = ana.turns.next_deadline()
            assert deadline is not None
            out = await ana.advance(deadline - ana.now)
            assert [type(o) for o in out] == [ev.TimerWarning]
            await turn_line(page, "#turn-timer", "Almost time: 0:24 left.")
            assert await page.get_attribute("#turn-timer", "data-warning") == "true"
            save_screenshot(await page.screenshot(), tmp_path, "join-turns-warning.png")
            # The limit is reached on the page's own clock: time is up, nothing is cut.
            await page.clock.run_for(25_000)
            assert await page.inner_text("#turn-timer") == (
                "Time is up. Nothing is cut off: the speaker can finish their thought."
            )
            assert await page.get_attribute("#turn-timer", "data-over") == "true"
            assert (await page_state(page))["turn"]["floor"] == CHLOE

            # A round (« tour de table »): Chloé first, she may pass; only Ana hears of it.
            assert await page.is_hidden("#btn-pass")
            await ana.apply(ev.StartRound(by=ANA, order="current"))
            await turn_line(page, "#turn-round", "It is your turn: speak, or pass if you prefer.")
            assert await page.inner_text("#turn-round") == (
                "Round: turn 1 of 2. It is your turn: speak, or pass if you prefer."
            )
            await page.clock.run_for(100)  # the live region is filled a moment later
            assert await page.inner_text("#announcer") == (
                "It is your turn: speak, or pass if you prefer."
            )
            await page.click("#btn-pass")
            passed = await next_app(client, PassTurn)
            assert passed.sender == CHLOE
            await ana.apply(ev.PassInRound(by=passed.sender))
            await turn_line(page, "#turn-round", "Round: turn 2 of 2. It is Bea's turn.")
            assert await page.is_hidden("#btn-pass")
            assert await page.inner_text("#turn-speaker") == "Speaking now: Bea."
            await page.clock.run_for(100)
            assert await page.inner_text("#announcer") == (
                "You passed your turn. Only the facilitator knows."
            )
            save_screenshot(await page.screenshot(), tmp_path, "join-turns-round.png")
            # Bea saw every turn state, but not Chloé's pass.
            seen_by_bea = await apps_until(bea, ana.sent[-1])
            assert PassTurn() not in seen_by_bea
            assert seen_by_bea.count(ana.sent[-1]) == 1

            # The same lines in French.
            await page.click("#lang-switch")
            assert await page.inner_text("#turn-round") == (
                "Tour de table : tour 2 sur 2. C'est au tour de Bea."
            )
            assert await page.inner_text("#turn-speaker") == "À la parole : Bea."
            assert "Temps restant : 2:00." in await visible_text(page)
        finally:
            await bea.close()
