"""A relay-only room through a real coturn: an aiortc member and Chromium exchange media,
both over TURN relay candidates, and neither learns the other's own address.

coturn (Debian's package) runs on 127.0.0.1 in the tests' private network namespace, in
its REST mode with the same secret as the server (``groupdesk.server.coturn``). The
control run (policy off, same coturn) shows that the address assertions are not vacuous:
there each member's own (host) candidates do reach the other.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    chromium,
    eventually,
    go_to_lobby,
    next_lobby_with_someone,
    next_of,
    page_state,
    run_async,
    server_and_facilitator,
    wait_step,
)
from test_join_session import ANA, CHLOE, AiortcMember

from groupdesk.core.protocol import Admit, Admitted, MemberJoined, ServerMessage, ServerSignal
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged
from groupdesk.media.link import ice_servers
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource
from groupdesk.server.app import ServerConfig
from groupdesk.server.coturn import Coturn, CoturnSettings, only_loopback_network
from groupdesk.server.rooms import Send
from groupdesk.server.turn import IceConfig

pytestmark = pytest.mark.slow

SECRET = "relay-only-test-secret"
RELAY_PORTS = (49160, 49200)
_CANDIDATE = re.compile(r"candidate:\S+ \d+ \S+ \d+ (\S+) (\d+) typ (\S+)(.*)")


class RelayMember(AiortcMember):
    """An aiortc member whose mesh keeps to the room's ICE policy (as the app's and bots')."""

    def __init__(self, name: str, seed: int) -> None:
        super().__init__(name, seed)
        self.received: list[dict[str, Any]] = []
        self.connected_at: float | None = None
        self.client.on_message(self._heard)

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            relay_only=admitted.ice_transport_policy == "relay",
            video=TestPatternSource(self.name, 320, 180, 15),
            audio=SpeechLikeAudioSource(seed=self.seed, talk_ratio=1.0),
            sink=self.decoded,
            stats_interval=None,
        )
        mesh.events.subscribe(self._on_event)
        return mesh

    def _on_event(self, event: MediaEvent) -> None:
        super()._on_event(event)
        connected = isinstance(event, PeerStateChanged) and event.state is PeerState.CONNECTED
        if connected and self.connected_at is None:
            self.connected_at = time.monotonic()

    def _heard(self, message: ServerMessage) -> None:
        if isinstance(message, ServerSignal):
            self.received.append(message.payload)

    def ice(self, member_id: str) -> Any:
        """The aioice connection of the link to ``member_id``."""
        assert self.link.mesh is not None
        transceiver = self.link.mesh.peers[member_id].pc.getTransceivers()[0]
        return transceiver.receiver.transport.transport._connection

    def nominated_types(self, member_id: str) -> tuple[str, str]:
        """The (local, remote) candidate types of the pair ICE nominated."""
        pair = self.ice(member_id)._nominated[1]
        return pair.local_candidate.type, pair.remote_candidate.type

    def own_addresses(self, member_id: str) -> set[str]:
        """``address port`` of this member's own end of each ICE socket: as coturn sees
        its TURN client (the mapped address), else the socket's own."""
        found = set()
        for protocol in self.ice(member_id)._protocols:
            transport = protocol.transport
            own = transport.get_extra_info("related_address") or transport.get_extra_info(
                "sockname"
            )
            found.add(f"{own[0]} {own[1]}")
        return found


def _candidates(payloads: list[dict[str, Any]]) -> list[re.Match[str]]:
    """Every ICE candidate in relayed signals: SDP lines and trickled ones."""
    found = []
    for payload in payloads:
        lines = [*str(payload.get("sdp", "")).splitlines(), str(payload.get("candidate", ""))]
        for line in lines:
            match = _CANDIDATE.search(line)
            if match:
                found.append(match)
    return found


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("relay_only", [True, False], ids=["relay_only", "control"])
@run_async
async def test_a_relay_only_call_goes_through_coturn_and_hides_addresses(
    tmp_path: Path, relay_only: bool
) -> None:
    if not only_loopback_network():
        pytest.skip("coturn relays to loopback only in the tests' private network namespace")
    settings = CoturnSettings(
        SECRET, port=_free_udp_port(), min_port=RELAY_PORTS[0], max_port=RELAY_PORTS[1],
        loopback_peers=True,
    )  # fmt: skip
    config = ServerConfig(ice=IceConfig(turn_urls=settings.turn_urls(), turn_secret=SECRET))
    ana = RelayMember("Ana", 1)
    to_browser: list[dict[str, Any]] = []
    async with (
        Coturn(settings),
        server_and_facilitator(
            tmp_path, config, client=ana.client, member_ids=[ANA, CHLOE], relay_only=relay_only
        ) as (server, fac, opened),
    ):
        registry = server.server.registry
        handle = registry.handle

        def recording(conn: int, message: Any) -> list[Any]:
            actions = handle(conn, message)
            for action in actions:
                sent = action.message if isinstance(action, Send) else None
                if isinstance(sent, ServerSignal) and sent.sender == ANA:
                    to_browser.append(sent.payload)
            return actions

        registry.handle = recording  # type: ignore[method-assign]
        try:
            async with chromium() as page:
                await go_to_lobby(page, opened.invite, name="Chloé")
                await wait_step(page, "lobby")
                await next_lobby_with_someone(fac)
                admitted_at = time.monotonic()
                await fac.send(Admit(member=CHLOE))
                await next_of(fac, MemberJoined)
                await wait_step(page, "session")

                async def browser_plays() -> bool:
                    member = (await page_state(page))["members"].get(ANA)
                    return bool(
                        member
                        and member["video"]["framesDecoded"] >= 15
                        and member["audio"]["bytesReceived"] > 2000
                        and member["route"] is not None
                    )

                await eventually(
                    lambda: ana.hears_and_sees(CHLOE),
                    timeout=45,
                    what=lambda: f"Chloé's media decoded by aiortc: {ana.progress(CHLOE)}",
                )
                await eventually(browser_plays, timeout=45, what="the browser playing Ana")
                assert ana.connected_at is not None
                took = ana.connected_at - admitted_at
                print(f"\n[relay_only={relay_only}] admission to connected: {took:.2f} s")

                route = (await page_state(page))["members"][ANA]["route"]
                local, remote = ana.nominated_types(CHLOE)
                from_browser = _candidates(ana.received)
                to_chloe = _candidates(to_browser)
                print(f"[relay_only={relay_only}] aiortc pair {local}/{remote}, Chromium {route}")
                if not relay_only:  # the control: same coturn, and own addresses do travel
                    # (which pair is nominated first may vary with load: not asserted)
                    assert any(m.group(3) == "host" for m in from_browser)
                    assert any(m.group(3) == "host" for m in to_chloe)
                    return

                # Both ends use the relay, and nothing else: the selected pair on each side
                assert (local, remote) == ("relay", "relay")
                assert route == {"local": "relay", "remote": "relay"}
                # What each received holds relay candidates only, each an allocation on
                # coturn's relay ports, with no related (own) address ...
                assert from_browser
                assert to_chloe
                for match in from_browser + to_chloe:
                    _address, port, kind, rest = match.groups()
                    assert kind == "relay", match.group(0)
                    assert RELAY_PORTS[0] <= int(port) <= RELAY_PORTS[1], match.group(0)
                    related = re.search(r"raddr (\S+) rport (\d+)", rest)
                    assert related is None or related.groups() == ("0.0.0.0", "0"), rest
                # ... and never the socket Ana's own ICE sends from.
                seen_by_chloe = "\n".join(str(p) for p in to_browser)
                for own in ana.own_addresses(CHLOE):
                    assert own not in seen_by_chloe
        finally:
            await ana.close()


@run_async
async def test_the_page_says_why_a_relay_only_call_without_turn_cannot_connect(
    tmp_path: Path,
) -> None:
    ana = RelayMember("Ana", 1)
    async with server_and_facilitator(
        tmp_path, client=ana.client, member_ids=[ANA, CHLOE], relay_only=True
    ) as (_server, fac, opened):  # this server hands out no TURN server
        try:
            async with chromium() as page:
                await go_to_lobby(page, opened.invite, name="Chloé")
                await wait_step(page, "lobby")
                await next_lobby_with_someone(fac)
                await fac.send(Admit(member=CHLOE))
                await wait_step(page, "session")
                shown = "#relay-missing:not([hidden])"
                notice = await page.wait_for_selector(shown, timeout=10_000)
                assert notice is not None
                assert "relay server" in await notice.inner_text()
                # and nothing else was tried: no candidate of either member reached the other
                assert not _candidates(ana.received)
        finally:
            await ana.close()
