"""The safety signal over real WebSockets: to facilitators alone, withdrawal included; the
room gives the page the policy's discreet words."""

from __future__ import annotations

from pathlib import Path

from server_harness import Peer, run_async, serving

from groupdesk.core.protocol import (
    Admitted,
    ClientApp,
    ClientChat,
    Inquire,
    Lobby,
    MemberJoined,
    OpenRoom,
    QuestionText,
    RoomInfo,
    RoomOpened,
    SafetySignal,
    SafetyWording,
    ServerApp,
    ServerChat,
    ServerMessage,
    parse_invite_link,
)

WORDING = SafetyWording(
    option=QuestionText(en="Switch to text only", fr_ca="Passer en mode texte seulement"),
    sent=QuestionText(en="Text-only mode requested."),
    withdraw=QuestionText(en="Back to normal mode"),
    withdrawn=QuestionText(en="Normal mode restored."),
)


async def _until_marker(peer: Peer, marker: str) -> list[ServerMessage]:
    """Every message ``peer`` receives up to (and with) the chat line ``marker``."""
    received: list[ServerMessage] = []
    while True:
        message = await peer.recv()
        received.append(message)
        if isinstance(message, ServerChat) and message.text == marker:
            return received


@run_async
async def test_only_facilitators_receive_the_signal_and_its_withdrawal(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        await ana.send(OpenRoom(safety=WORDING))
        opened = await ana.expect(RoomOpened)
        await ana.expect(Admitted)
        await ana.expect(Lobby)

        invite = parse_invite_link(opened.invite)
        asker = await net.peer()
        await asker.send(Inquire(room=invite.room, secret=invite.secret))
        info = await asker.expect(RoomInfo)
        assert info.safety == WORDING  # the page shows the policy's words

        people: list[Peer] = []
        seats: list[str] = []
        for name in ("Bea", "Dan", "Eve"):
            peer = await net.waiting(opened.invite, name)
            seats.append((await net.admit(ana, peer)).member)
            people.append(peer)
        bea, others = people[0], people[1:]
        # what each one heard of the later arrivals
        await bea.expect(MemberJoined)
        await bea.expect(MemberJoined)
        await others[0].expect(MemberJoined)

        await bea.send(ClientApp(event=SafetySignal()))
        await bea.send(ClientApp(event=SafetySignal(withdrawn=True)))
        await bea.send(ClientChat(text="end"))
        heard = await _until_marker(ana, "end")
        assert [m.event for m in heard if isinstance(m, ServerApp)] == [
            SafetySignal(),
            SafetySignal(withdrawn=True),
        ]
        assert all(m.sender == seats[0] for m in heard if isinstance(m, ServerApp))
        for other in others:  # every other member's socket: the chat line, nothing else
            received = await _until_marker(other, "end")
            assert [type(m).__name__ for m in received] == ["ServerChat"], received
            assert not any(isinstance(m, ServerApp) for m in received)
        await bea.silent()  # not even an echo to its sender
