"""A live session's line to the room: from the first connection to hanging up.

Each attempt to get in (a new room, a new join) takes a new
:class:`~groupdesk.ui.live_connection.RoomConnection`. :class:`LiveLine` holds it: hands
the server's messages to the room (through the session's ``outputs``), starts the
speaking turns, the media and the room's clock on admission, tells the room when the
connection wavers or is gone for good, and hangs up -- the previews, the media, the
connection and the embedded server.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from groupdesk.core.protocol import Admitted, ClientMessage, Declined, RoomEnded, ServerMessage
from groupdesk.media.call import MediaCall
from groupdesk.signaling.client import ClientState
from groupdesk.ui.live_connection import RoomConnection
from groupdesk.ui.widgets import spawn

if TYPE_CHECKING:
    from groupdesk.ui.live_session import LiveSession


class LiveLine:
    """The connection of a live session, and what its coming and going sets off."""

    def __init__(self, session: LiveSession) -> None:
        self._session = session
        self.conn = self._connection()
        self.receive_video = True
        """False: ask the others for audio only (simulated participants)."""
        self._over: asyncio.Task[bool] | None = None
        self._clock = QTimer(session)  # the room's clock, from admission until hang-up
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._each_second)

    def _each_second(self) -> None:
        """The room's clock: frozen pictures; a side room we opened, told again."""
        session = self._session
        session.outputs.show(session.room.tick())
        reminder = session.room.side_room_reminder()
        if reminder:
            spawn(session.outputs.apply(reminder))

    def renew(self) -> None:
        """A new attempt to get in: a new connection (the last one is hung up)."""
        self.conn = self._connection()
        self.receive_video = True

    async def send(self, message: ClientMessage) -> bool:
        """Send ``message`` on the current connection; False when it did not go out."""
        return await self.conn.send(message)

    async def admitted(self, message: Admitted) -> None:
        """Before the room seats everyone: the turns, the preview's end, video or not."""
        session = self._session
        if not session.turns.me:
            seated = [(i.member, i.role) for i in message.members]
            lead, facilitator = session.turns.lead, session.facilitator
            session.turns.start(message.member, seated, facilitator=facilitator, lead=lead)
        await session.call.end_preview()  # it hung up already, hearing ``admitted`` first
        if not self.receive_video and session.mesh is not None:
            await session.mesh.set_receive_video(False)
        self._clock.start()

    async def hang_up(self) -> None:
        """Stop the clock, the tiles, the previews, the media and the connection."""
        session = self._session
        self._clock.stop()
        session.frames.close()
        await session.share.hang_up()
        if self.conn.connected:  # say stop to the other side of each preview
            await session.previews.stop()
            await session.call.end_preview()
        # (else closed first: a send would wait for a reconnection that may not come)
        await self.conn.close()
        await session.previews.stop()
        await session.call.end_preview()
        session.call.stopped()

    def _connection(self) -> RoomConnection:
        return RoomConnection(self._handle, self._make_mesh, self._on_state, self._on_gone)

    async def _handle(self, message: ServerMessage) -> None:
        if self.conn.answers(message) and not isinstance(message, Declined | RoomEnded):
            return
        if isinstance(message, Admitted):
            await self.admitted(message)
        session = self._session
        await session.outputs.apply(session.room.receive(message))

    def _make_mesh(self, admitted: Admitted) -> MediaCall:
        session = self._session
        assert self.conn.client is not None
        moving = session.call.mesh is not None
        muted, camera_off, on_event = session.muted, session.camera_off, session.outputs.on_media
        call = session.call.start(
            admitted, self.conn.client, muted=muted, camera_off=camera_off, on_event=on_event
        )
        if moving and session.share.mine is not None:
            # the room moved to the media server: our share went on the mesh's
            # connections; it goes on through the new call, nobody has to share again
            spawn(session.share.carry_to(call))
        return call

    def _on_state(self, state: ClientState) -> None:
        session = self._session
        session.outputs.show(session.room.client_state(reconnecting=state == "reconnecting"))

    def _on_gone(self) -> None:
        """The signalling connection is gone for good while the session was running."""
        outputs = self._session.room.connection_gone()
        if outputs:  # kept: a task nobody holds may be collected before it is done
            apply = self._session.outputs.apply(outputs)
            self._over = asyncio.get_running_loop().create_task(apply)
