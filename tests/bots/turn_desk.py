"""The facilitator's side of the turns, for the bot tests: a real TurnManager wired to a
real signalling client and media mesh, as the desktop app wires it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

from bot_helpers import Facilitator

from groupdesk.core.protocol import (
    Admitted,
    ClientApp,
    LowerHand,
    MediaState,
    MemberJoined,
    MemberLeft,
    PassTurn,
    RaiseHand,
    ServerApp,
    ServerMessage,
    TurnState,
)
from groupdesk.core.session import turn_events as te
from groupdesk.core.session.turn_wire import to_wire
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


def vad_settings(**kwargs: float | None) -> TurnSettings:
    """Turn settings whose talk-time meter knows the mesh's detector delays."""
    return TurnSettings(
        voice_attack_seconds=VAD.attack_s, voice_hangover_seconds=VAD.hangover_s, **kwargs
    )


class TurnDesk(Facilitator):
    """A facilitator with an audio-only, silent mesh whose turn manager hears the room:
    joins, hands, passes, mute states, and the mesh's voice activity. Every command's
    result is broadcast as the desktop does (:func:`to_wire`)."""

    def __init__(self, settings: TurnSettings | None = None) -> None:
        super().__init__()
        self.turns = TurnManager(settings or vad_settings(), clock=time.monotonic)
        self.voice: list[VoiceActivity] = []
        self.passes: list[str] = []
        self.muted: dict[str, bool] = {}
        self.client.on_message(self._on_message)

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            audio=SwitchableSpeechSource(seed=99),  # never speaks
            vad=VAD,
            stats_interval=None,
        )
        mesh.set_send_video(False)
        mesh.events.subscribe(self._on_media)
        return mesh

    def _on_media(self, event: MediaEvent) -> None:
        self.media_events.append(event)
        if isinstance(event, VoiceActivity) and event.member_id != self.member_id:
            self.voice.append(event)
            self.turns.handle(te.VoiceActivity(event.member_id, event.speaking, event.at))

    async def _on_message(self, message: ServerMessage) -> None:
        if isinstance(message, Admitted):
            for info in message.members:
                self.turns.handle(te.Join(info.member, info.role))
        elif isinstance(message, MemberJoined):
            self.turns.handle(te.Join(message.member.member, message.member.role))
            await self.broadcast()  # a newcomer learns the queue, the floor, the round
        elif isinstance(message, MemberLeft):
            self.turns.handle(te.Leave(message.member))
        elif isinstance(message, ServerApp):
            sender, event = message.sender, message.event
            if isinstance(event, RaiseHand):
                await self.act(te.RaiseHand(sender))
            elif isinstance(event, LowerHand):
                await self.act(te.LowerHand(sender, sender))
            elif isinstance(event, PassTurn):
                self.passes.append(sender)
                await self.act(te.PassInRound(sender))
            elif isinstance(event, MediaState):
                self.muted[sender] = event.muted
                self.turns.handle(te.MuteChanged(sender, event.muted, time.monotonic()))

    def state(self) -> TurnState:
        """The turn state everyone should see now."""
        return to_wire(self.turns.participant_view(self.member_id))

    async def act(self, command: te.TurnInput) -> TurnState:
        """Apply ``command`` and broadcast the turn state; returns what was sent."""
        self.turns.handle(command)
        return await self.broadcast()

    async def broadcast(self) -> TurnState:
        state = self.state()
        await self.client.send(ClientApp(event=state))
        return state

    def heard(self, member: str) -> bool:
        """Whether the mesh's detector ever heard ``member`` speak."""
        return any(v.member_id == member and v.speaking for v in self.voice)

    def silent_now(self, member: str) -> bool:
        """Whether the detector's last word on ``member`` is "not speaking" (or none)."""
        last = [v for v in self.voice if v.member_id == member]
        return not last or not last[-1].speaking


@contextlib.asynccontextmanager
async def turn_room(
    settings: TurnSettings | None = None,
) -> AsyncIterator[tuple[RunningServer, TurnDesk]]:
    """A server on 127.0.0.1 and a facilitator keeping the turns of its open room."""
    store = CredentialStore(None, cost=2**10)
    credential = store.add("ana")
    server = await start_server(
        "127.0.0.1", 0, config=ServerConfig(rules=RoomRules()), credentials=store
    )
    desk = TurnDesk(settings)
    try:
        await desk.open_room(server, credential)
        yield server, desk
    finally:
        await desk.close()
        await server.stop()
