"""A member's program dies and a new one takes its seat back: the others reconnect at once.

Real aiortc members on loopback; the room holds the dead member's seat as the server does
during its grace period, and tells nobody.
"""

from __future__ import annotations

import pytest
from media_helpers import Call, Member, eventually, run

from groupdesk.media.events import PeerState, PeerStateChanged
from groupdesk.media.messages import RestartRequest

pytestmark = pytest.mark.slow


def _states(member: Member, about: str, since: int) -> list[PeerState]:
    return [
        e.state
        for e in member.events[since:]
        if isinstance(e, PeerStateChanged) and e.member_id == about
    ]


def test_a_restarted_member_is_reconnected_without_waiting_for_a_watchdog() -> None:
    async def scenario() -> None:
        # No receive watchdog: on a slow machine it could say "reconnecting" before the new
        # program's first message does, and the states below are the incarnations' own.
        async with Call(3, stats_interval=None, stall_after=None) as call:
            low, mid, high = call.members  # mid answers low's offer and offers to high
            await call.wait_all(lambda r, s: r.recorder.video[s.id] >= 10, what="video flowing")
            survivors = (low, high)
            between = (low.mesh.peers[high.id].pc, high.mesh.peers[low.id].pc)
            old_pcs = {m.id: m.mesh.peers[mid.id].pc for m in survivors}
            restarts = {m.id: m.mesh.restarts for m in survivors}
            marks = {m.id: len(m.events) for m in survivors}
            old_incarnation = mid.mesh.incarnation

            new = await call.restart_member(1)

            def reconnected() -> bool:
                for member in survivors:
                    peer = member.mesh.peers.get(mid.id)
                    if peer is None or peer.pc is old_pcs[member.id]:
                        return False
                    if peer.received.video_frames < 10 or new.recorder.video[member.id] < 10:
                        return False
                return True

            await eventually(reconnected, timeout=90, what="video both ways with the new program")
            for member in survivors:
                # Replaced once, because the member's program is a new one; no watchdog, no
                # restart request, no failure was needed.
                expected = {**restarts[member.id]}
                expected["new_incarnation"] = expected.get("new_incarnation", 0) + 1
                assert member.mesh.restarts == expected
                # The tile froze, then came back.
                assert _states(member, mid.id, marks[member.id]) == [
                    PeerState.RECONNECTING,
                    PeerState.CONNECTED,
                ]
                other = high if member is low else low
                assert _states(member, other.id, marks[member.id]) == []
            assert new.mesh.restarts == {}
            assert new.mesh.incarnation != old_incarnation
            # Between the two others: the same connections all along.
            assert (low.mesh.peers[high.id].pc, high.mesh.peers[low.id].pc) == between

            # A late word from the dead program, or one meant for it, changes nothing (both
            # would otherwise make the offering side start a new generation).
            now = {m.id: m.mesh.peers[mid.id].pc for m in survivors}
            gen = low.mesh.peers[mid.id].gen
            await low.mesh.handle_signal(
                mid.id, RestartRequest(gen, incarnation=old_incarnation).to_payload()
            )
            to_dead = RestartRequest(
                new.mesh.peers[high.id].gen,
                incarnation=high.mesh.incarnation,
                to_incarnation=old_incarnation,
            )
            new_pc = new.mesh.peers[high.id].pc
            await new.mesh.handle_signal(high.id, to_dead.to_payload())
            assert {m.id: m.mesh.peers[mid.id].pc for m in survivors} == now
            assert new.mesh.peers[high.id].pc is new_pc
            assert new.mesh.restarts == {}

    run(scenario(), timeout=150)
