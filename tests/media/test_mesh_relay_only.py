"""A relay-only mesh takes no other member's own address, even from a member (or a
server) that does not keep to the room's policy."""

from __future__ import annotations

from typing import Any

from media_helpers import eventually, run

from groupdesk.media.loopback import LoopbackRoom
from groupdesk.media.mesh import Mesh
from groupdesk.media.sources import SpeechLikeAudioSource


def _ice(mesh: Mesh, member_id: str) -> Any:
    """The aioice connection of ``mesh``'s link to ``member_id``."""
    transceiver = mesh.peers[member_id].pc.getTransceivers()[0]
    return transceiver.receiver.transport.transport._connection


def test_a_relay_only_member_neither_offers_nor_takes_a_host_candidate() -> None:
    async def scenario() -> None:
        room = LoopbackRoom()
        # "a" makes the offer (ids sort): an ordinary member, offering its host candidates
        ordinary = Mesh("a", room.channel("a"), audio=SpeechLikeAudioSource(seed=1))
        private = Mesh("b", room.channel("b"), audio=SpeechLikeAudioSource(seed=2), relay_only=True)
        try:
            await room.join("a", ordinary)
            await room.join("b", private)

            def answered() -> bool:
                peer = ordinary.peers.get("b")
                return peer is not None and peer.pc.remoteDescription is not None

            await eventually(answered, 20, what="b's answer")
            offered = ordinary.peers["b"].pc.localDescription.sdp
            assert "typ host" in offered  # the ordinary member did offer its own address
            taken = private.peers["a"].pc.remoteDescription.sdp
            assert "typ host" not in taken
            assert _ice(private, "a").remote_candidates == []
            # and no TURN server here: the relay-only member has nothing to offer at all
            assert "a=candidate" not in ordinary.peers["b"].pc.remoteDescription.sdp
        finally:
            await ordinary.close()
            await private.close()
            await room.close()

    run(scenario(), timeout=60)
