"""The facilitator's side of the turns, for the bot tests: the core's TurnDesk wired to a
real signalling client and a real (audio-only, silent) media mesh, as the desktop's
live session wires it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from bot_helpers import Facilitator

from groupdesk.core.protocol import (
    Admitted,
    ClientApp,
    MediaState,
    MemberJoined,
    MemberLeft,
    PassTurn,
    RequestMute,
    ServerApp,
    ServerMessage,
    TurnState,
)
from groupdesk.core.session import turn_events as te
from groupdesk.core.session.turn_desk import AskMute, Broadcast, DeskOutput, TurnDesk
from groupdesk.core.session.turns import TurnManager, TurnSettings
from groupdesk.media.events import MediaEvent, VoiceActivity
from groupdesk.media.levels import VadConfig
from groupdesk.media.link import ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SwitchableSpeechSource
from groupdesk.server.app import RunningServer, ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.rooms import RoomRules

VAD = VadConfig()
SETTINGS = TurnSettings(voice_attack_seconds=VAD.attack_s, voice_hangover_seconds=VAD.hangover_s)
"""Turn settings whose talk-time meter knows the mesh's detector delays."""


class BotDesk(Facilitator):
    """A facilitator whose desk hears the room (seats, app events, voice activity) and
    whose outputs go out (broadcasts, mute requests), as the desktop's live session."""

    def __init__(self, settings: TurnSettings = SETTINGS) -> None:
        super().__init__()
        self.settings = settings
        self.desk: TurnDesk | None = None
        self.voice: list[VoiceActivity] = []
        self.passes: list[str] = []
        self.muted: dict[str, bool] = {}
        self._tasks: set[asyncio.Task[TurnState | None]] = set()
        self.client.on_message(self._on_message)

    @property
    def turns(self) -> TurnManager:
        """The desk's turn manager."""
        assert self.desk is not None
        return self.desk.manager

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            audio=SwitchableSpeechSource(seed=99),  # never speaks
            vad=VAD,
            stats_interval=None,
        )
        mesh.events.subscribe(self._on_media)
        return mesh

    def _on_media(self, event: MediaEvent) -> None:
        self.media_events.append(event)
        desk = self.desk
        if isinstance(event, VoiceActivity) and desk is not None and event.member_id != desk.me:
            self.voice.append(event)
            self._later(desk.voice(event.member_id, event.speaking, event.at))

    async def _on_message(self, message: ServerMessage) -> None:
        if isinstance(message, Admitted) and self.desk is None:
            self.desk = TurnDesk(message.member, self.settings, clock=time.monotonic)
            for info in message.members:
                await self.do(self.desk.joined(info.member, info.role))
        desk = self.desk
        if desk is None:
            return
        if isinstance(message, MemberJoined):
            info = message.member
            await self.do([*desk.joined(info.member, info.role), *desk.resend()])
        elif isinstance(message, MemberLeft):
            await self.do(desk.left(message.member))
        elif isinstance(message, ServerApp):
            if isinstance(message.event, PassTurn):
                self.passes.append(message.sender)
            elif isinstance(message.event, MediaState):
                self.muted[message.sender] = message.event.muted
            await self.do(desk.received(message.sender, message.event))

    def _later(self, outputs: list[DeskOutput]) -> None:
        """Carry outputs out from a media callback (not a coroutine)."""
        if outputs:
            task = asyncio.get_running_loop().create_task(self.do(outputs))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def do(self, outputs: list[DeskOutput]) -> TurnState | None:
        """Carry the desk's outputs out; returns the turn state broadcast, if any."""
        sent = None
        for output in outputs:
            if isinstance(output, Broadcast):
                sent = output.state
                await self.client.send(ClientApp(event=output.state))
            elif isinstance(output, AskMute):
                for member in output.members:
                    await self.client.send(RequestMute(member=member))
        return sent

    async def act(self, command: te.Command) -> TurnState | None:
        """The facilitator's command; returns the turn state broadcast, if any changed."""
        assert self.desk is not None
        return await self.do(self.desk.command(command))

    async def broadcast(self) -> None:
        """The whole state again, to everyone."""
        assert self.desk is not None
        await self.do(self.desk.resend())

    def state(self) -> TurnState:
        """The turn state everyone should see now."""
        assert self.desk is not None
        return self.desk.wire()

    def heard(self, member: str) -> bool:
        """Whether the mesh's detector ever heard ``member`` speak."""
        return any(v.member_id == member and v.speaking for v in self.voice)

    def silent_now(self, member: str) -> bool:
        """Whether the detector's last word on ``member`` is "not speaking" (or none)."""
        last = [v for v in self.voice if v.member_id == member]
        return not last or not last[-1].speaking


@contextlib.asynccontextmanager
async def turn_room(
    settings: TurnSettings = SETTINGS,
) -> AsyncIterator[tuple[RunningServer, BotDesk]]:
    """A server on 127.0.0.1 and a facilitator keeping the turns of its open room."""
    store = CredentialStore(None, cost=2**10)
    credential = store.add("ana")
    server = await start_server(
        "127.0.0.1", 0, config=ServerConfig(rules=RoomRules()), credentials=store
    )
    desk = BotDesk(settings)
    try:
        await desk.open_room(server, credential)
        yield server, desk
    finally:
        await desk.close()
        await server.stop()
