"""The room's security code between real aiortc members, honest and with a relay in the middle."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiortc import RTCSessionDescription
from media_helpers import Call, eventually, run

from groupdesk.media.mesh import Mesh
from groupdesk.media.messages import Answer, Offer, parse_signal
from groupdesk.media.peer import new_peer_connection, remote_fingerprint

pytestmark = pytest.mark.slow


def _codes(meshes: list[Mesh]) -> list[str | None]:
    return [mesh.security_code().code for mesh in meshes]


def test_every_member_of_an_honest_mesh_computes_the_same_code() -> None:
    async def scenario() -> None:
        async with Call(3, video=False, stats_interval=None) as call:
            meshes = [m.mesh for m in call.members]
            await eventually(
                lambda: all(
                    len(view.members) == 3 and view.code is not None
                    for view in (mesh.security_code() for mesh in meshes)
                ),
                what="a code over the three members at every member",
            )
            codes = _codes(meshes)
            assert len(set(codes)) == 1
            # What each member sees of another is that member's own certificate.
            for mesh in meshes:
                for other in meshes:
                    if other is not mesh:
                        seen = mesh.remote_fingerprints()[other.local_id]
                        assert seen == other.local_fingerprint
            # Someone leaves: the two left agree on a new code.
            await call.room.leave(call.members[2].id)
            await eventually(
                lambda: all(len(m.security_code().members) == 2 for m in meshes[:2]),
                what="the departure seen by both",
            )
            after = _codes(meshes[:2])
            assert after[0] == after[1]
            assert after[0] != codes[0]

    run(scenario())


def test_no_code_while_a_connection_is_not_up() -> None:
    async def scenario() -> None:
        mesh = Mesh("member-a", _Nowhere(), stats_interval=None, stall_after=None)
        try:
            await mesh.member_joined("member-b")
            view = mesh.security_code()
            assert view.code is None
            assert view.waiting == 1
        finally:
            await mesh.close()

    run(scenario())


class _Nowhere:
    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Nobody answers."""


class _RelayInTheMiddle:
    """Terminates DTLS on both sides of member-a -- member-b, with a certificate of its own
    on each side: member-a believes it talks to member-b and member-b to member-a."""

    def __init__(self) -> None:
        self.a: Mesh | None = None
        self.b: Mesh | None = None
        self.facing_a = new_peer_connection([])
        self.facing_b = new_peer_connection([])

    def channel(self, member_id: str) -> _RelayChannel:
        return _RelayChannel(self, member_id)

    async def from_a(self, payload: dict[str, Any]) -> None:
        signal = parse_signal(payload, "member-a")
        if not isinstance(signal, Offer):
            return
        assert self.a is not None
        assert self.b is not None
        await self.facing_a.setRemoteDescription(RTCSessionDescription(signal.sdp, "offer"))
        await self.facing_a.setLocalDescription(await self.facing_a.createAnswer())
        await self.a.handle_signal(
            "member-b", Answer(signal.gen, self.facing_a.localDescription.sdp).to_payload()
        )
        self.facing_b.addTransceiver("audio", direction="recvonly")
        self.facing_b.addTransceiver("video", direction="recvonly")
        await self.facing_b.setLocalDescription(await self.facing_b.createOffer())
        await self.b.handle_signal(
            "member-a", Offer(0, self.facing_b.localDescription.sdp).to_payload()
        )

    async def from_b(self, payload: dict[str, Any]) -> None:
        signal = parse_signal(payload, "member-b")
        if isinstance(signal, Answer):
            await self.facing_b.setRemoteDescription(RTCSessionDescription(signal.sdp, "answer"))

    async def close(self) -> None:
        await self.facing_a.close()
        await self.facing_b.close()


class _RelayChannel:
    def __init__(self, relay: _RelayInTheMiddle, member_id: str) -> None:
        self._relay = relay
        self._member_id = member_id

    async def send_signal(self, to_member_id: str, payload: dict[str, Any], /) -> None:
        """Everything goes to the relay (it answers in the other member's name)."""
        handle = self._relay.from_a if self._member_id == "member-a" else self._relay.from_b
        asyncio.get_running_loop().create_task(handle(payload))


def test_a_relay_that_terminates_dtls_on_both_sides_makes_the_codes_differ() -> None:
    async def scenario() -> None:
        relay = _RelayInTheMiddle()
        a = Mesh("member-a", relay.channel("member-a"), stats_interval=None, stall_after=None)
        b = Mesh("member-b", relay.channel("member-b"), stats_interval=None, stall_after=None)
        relay.a, relay.b = a, b
        try:
            await b.member_joined("member-a")
            await a.member_joined("member-b")
            await eventually(lambda: None not in _codes([a, b]), what="both connected")
            # Both really are connected, each to the relay, and believe it is the other.
            assert remote_fingerprint(relay.facing_a) == a.local_fingerprint
            assert remote_fingerprint(relay.facing_b) == b.local_fingerprint
            assert a.remote_fingerprints()["member-b"] != b.local_fingerprint
            assert b.remote_fingerprints()["member-a"] != a.local_fingerprint
            code_a, code_b = _codes([a, b])
            assert code_a != code_b
        finally:
            await a.close()
            await b.close()
            await relay.close()

    run(scenario())
