"""A swarm of simulated participants that knock at one room's lobby together."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from urllib.parse import urlsplit

from groupdesk.bots.behaviour import BotBehaviour, pick_names
from groupdesk.bots.bot import Bot, BotError, BotEvent, BotSeat
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.protocol import Invite, parse_invite_link
from groupdesk.media.events import EventStream
from groupdesk.media.ice import follow_server


class InviteLinkError(GroupDeskError):
    """The text given is not a GroupDesk invite link."""

    key = "bots.error.not_an_invite"


class BotSwarm:
    """Bots in one room: ``bots`` (in order), one ``events`` stream for all of them."""

    def __init__(self, invite: Invite, bots: list[Bot], events: EventStream[BotEvent]) -> None:
        self.invite = invite
        self.bots = bots
        self.events = events

    async def wait_admitted(self, timeout: float | None = None) -> None:
        """Every bot admitted and connected to every member; raises BotError or TimeoutError."""
        async with asyncio.timeout(timeout):
            await asyncio.gather(*(bot.wait_meshed() for bot in self.bots))

    def seats(self) -> list[BotSeat]:
        """The seats held now, for a later process to resume (they hold secrets)."""
        return [seat for bot in self.bots if (seat := bot.seat()) is not None]

    async def stop(self) -> None:
        """Every bot leaves and hangs up."""
        await asyncio.gather(*(bot.leave() for bot in self.bots))

    async def __aenter__(self) -> BotSwarm:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def run_bots(
    invite_link: str,
    count: int,
    names: Sequence[str] | None = None,
    behaviour: BotBehaviour | None = None,
    ssl_context: ssl.SSLContext | None = None,
    *,
    resume: Sequence[BotSeat] = (),
    events: EventStream[BotEvent] | None = None,
    timeout: float = 30.0,
) -> BotSwarm:
    """Start ``count`` bots on ``invite_link``; returns once all wait in the lobby.

    The first ``len(resume)`` bots take the seats of an earlier process back
    instead of knocking (they keep their names and member ids). If any bot is
    refused, the others leave and the :class:`BotError` is raised; a malformed
    link raises :class:`InviteLinkError`, a bad count or name ``ValueError``.
    Pass ``events`` to hear the bots from the start (a resumed bot is admitted
    before this returns).
    """
    try:
        invite = parse_invite_link(invite_link)
    except ValueError as error:
        raise InviteLinkError from error
    follow_server(urlsplit(invite.base_url).hostname or "")
    behaviour = behaviour or BotBehaviour()
    chosen = pick_names(count, names)
    chosen[: len(resume)] = [seat.name for seat in resume[:count]]
    events = events or EventStream()
    bots = [
        Bot(name, index, behaviour, ssl_context=ssl_context, events=events)
        for index, name in enumerate(chosen)
    ]
    swarm = BotSwarm(invite, bots, events)

    async def start(index: int, bot: Bot) -> None:
        if index < len(resume):
            await bot.resume(invite, resume[index].token, timeout)
        else:
            await bot.join(invite, timeout)

    try:
        results = await asyncio.gather(
            *(start(i, bot) for i, bot in enumerate(bots)), return_exceptions=True
        )
    except asyncio.CancelledError:
        await asyncio.shield(swarm.stop())  # nobody is left knocking
        raise
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        await swarm.stop()
        first = next((f for f in failures if isinstance(f, BotError)), failures[0])
        raise first
    return swarm
