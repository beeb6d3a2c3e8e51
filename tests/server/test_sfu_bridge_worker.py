"""A member's job worker in the SFU bridge stops when the member is gone, even if a job
swallowed the cancellation: Python 3.11's ``asyncio.wait_for`` can (gh-86296), and the
fuzz test through a real Janus caught a removed member's session end held 10-14 s by a
worker gone back to waiting for jobs. No Janus here: its API is a closed port."""

from __future__ import annotations

import asyncio
import socket

from server_harness import run_async

from groupdesk.server.janus_client import JanusAdmin
from groupdesk.server.janus_rooms import JanusRooms
from groupdesk.server.sfu_bridge import SfuBridge


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@run_async
async def test_a_removed_members_worker_stops_though_a_job_swallowed_its_cancellation() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with JanusAdmin(url + "/admin", "x" * 24, timeout=1.0) as admin:
        rooms = JanusRooms(admin, admin_key="k" * 24, publishers=4)
        bridge = SfuBridge(
            url + "/janus",
            rooms,
            lambda room, member, message: None,
            timeout=1.0,
            token_timeout=0.2,
        )
        try:
            bridge.sync({"room": frozenset({"ana"})})
            started = asyncio.Event()

            async def swallows_its_cancellation() -> None:
                started.set()
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    return  # as 3.11's wait_for does when its awaitable ends meanwhile

            state = bridge._members["room"]["ana"]
            bridge._enqueue(state, swallows_its_cancellation)
            await asyncio.wait_for(started.wait(), 10)
            worker = state.task
            assert worker is not None

            bridge.sync({})  # Ana is removed: her worker is cancelled, her session ended
            await bridge.settled(10)  # before: never (the worker waited for its next job)
            assert worker.done()
            assert bridge.session_id("room", "ana") is None
        finally:
            await bridge.close(5)
