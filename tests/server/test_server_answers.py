"""A participant's answers before admission over real WebSockets: the facilitators'
lobby carries them; no other participant's socket ever does, before or after admission."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from server_harness import Peer, run_async, serving

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientChat,
    Lobby,
    MemberJoined,
    parse_server_message,
)

PHONE, PLACE, CONTACT = "418-555-0142", "Gaspé, Gaspésie", "Marc Roy, 418-555-0177"


async def _frames_until(peer: Peer, marker: str) -> list[str]:
    """Every text frame ``peer`` receives up to (and with) the chat line ``marker``."""
    frames: list[str] = []
    while True:
        frame = await peer.ws.receive(3.0)
        assert frame.type == aiohttp.WSMsgType.TEXT, frame
        frames.append(frame.data)
        if f'"text":"{marker}"' in frame.data.replace(" ", ""):
            return frames


@run_async
async def test_answers_reach_the_facilitators_and_no_participant(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, _ = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea", {"alone": True, "phone": "514-555-0101"})
        await net.admit(ana, bea)

        answers = {"alone": True, "location": PLACE, "phone": PHONE, "emergency_contact": CONTACT}
        dan = await net.waiting(opened.invite, "Dan", answers)
        lobby = await ana.expect(Lobby)
        assert lobby.waiting[-1].declared == answers  # the facilitator sees them, whole
        await ana.send(Admit(member=lobby.waiting[-1].member))
        await dan.expect(Admitted)
        await ana.expect(MemberJoined)
        await ana.expect(Lobby)
        await bea.expect(MemberJoined)

        await ana.send(ClientChat(text="end"))
        for other in (bea, dan):  # every participant's socket, the answerer's own included
            frames = await _frames_until(other, "end")
            assert frames, "the marker should arrive"
            for text in frames:
                parse_server_message(text)  # a real message, not noise
                assert PHONE not in text
                assert "Gaspé" not in text
                assert "Marc Roy" not in text
