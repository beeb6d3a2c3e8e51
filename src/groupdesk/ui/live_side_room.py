"""A participant's notice of the private side room, on the live page.

While a facilitator is aside with one member (``Room.side``), the member in the side
room reads that the conversation is private, and every other participant that the
pause is short and who is away; the tiles of the other side say so too (the video
grid's). Facilitators see the tiles only: they opened it, or carry on with the group.
The rules are in ``core/session/side_room.py``; nothing is decided here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from groupdesk.core.session.room_state import LiveStage
from groupdesk.ui.live_notice import LiveNotice
from groupdesk.ui.live_session import LiveSession


class SideRoomNotice(LiveNotice):
    """Says where the side room leaves us."""

    def __init__(self, live: LiveSession, parent: QWidget) -> None:
        super().__init__(live, parent)
        live.members_changed.connect(self.refresh)

    def text(self) -> str:
        """What a participant reads now ("": no side room, or we facilitate)."""
        live = self.live
        side = live.room.side
        if live.facilitator or not side.active or live.stage is not LiveStage.LIVE:
            return ""
        if side.aside(live.self_seat):
            return self.tr("You are in a private conversation with the facilitator.")
        away = [
            live.members[seat].name
            for seat in sorted(side.members - {side.opened_by or ""})
            if seat in live.members
        ]
        if not away:
            return self.tr("Short pause: the facilitator is away for a moment.")
        return self.tr("Short pause: {name} is with the facilitator for a moment.").format(
            name=", ".join(away)
        )
