"""Simulated participants for demos, tests and benchmarks. No Qt.

Each bot is a real client of the signalling server: it asks the room what it asks
(``inquire``), knocks at the lobby with its answers to exactly that, and once a
facilitator admits it, it joins the media mesh with a test pattern bearing its name
and a microphone. It raises its hand now and then and waits in line, follows the turn
state the facilitator broadcasts, speaks when given the floor (or passes in a round),
and is silent otherwise::

    swarm = await run_bots(invite_link, 3)          # all three wait in the lobby
    await swarm.wait_admitted(timeout=60)           # admitted and meshed
    for bot in swarm.bots:
        print(bot.name, bot.member_id, bot.state)   # bot.mesh: its media
        print(bot.turns, bot.has_turn, bot.speaking)  # the turn state, as received
    await swarm.stop()                              # they leave

For a measurement, a bot plays a :class:`SpeechScript` (bursts of speech, muted spans)
and counts the speech it really sent unmuted: ``await bot.play_script(script)``, then
``bot.spoken_seconds()``.

``groupdesk bots`` (:mod:`groupdesk.bots.cli`) runs a swarm from the command line;
``groupdesk demo`` runs one against the embedded server.
"""

from groupdesk.bots.behaviour import (
    DEFAULT_NAMES,
    MAX_BOTS,
    BotAnswers,
    BotBehaviour,
    SpeechScript,
    pick_names,
)
from groupdesk.bots.bot import (
    FINAL_STATES,
    Bot,
    BotError,
    BotEvent,
    BotSeat,
    BotState,
    BotStateChanged,
    HandChanged,
    SpeechChanged,
)
from groupdesk.bots.swarm import BotSwarm, InviteLinkError, run_bots

__all__ = [
    "DEFAULT_NAMES",
    "FINAL_STATES",
    "MAX_BOTS",
    "Bot",
    "BotAnswers",
    "BotBehaviour",
    "BotError",
    "BotEvent",
    "BotSeat",
    "BotState",
    "BotStateChanged",
    "BotSwarm",
    "HandChanged",
    "InviteLinkError",
    "SpeechChanged",
    "SpeechScript",
    "pick_names",
    "run_bots",
]
