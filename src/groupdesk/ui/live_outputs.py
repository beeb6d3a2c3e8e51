"""The room's outputs, carried out: what the live session's core decides, done in the world.

The room's rules (``core.session.room.Room``) answer each input with outputs
(``room_events``). :class:`LiveOutputs` does them in order for a live session: sends
through its connection, writes to its log (``live_record``), mutes the microphone, tells
the speaking turns (``live_turns``) who sat down or left and what app events came for
them, and emits the session's signals for what the view shows. It also hands the
media's facts (voice activity, link state, statistics, frames) to the room.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, assert_never

from PySide6.QtGui import QImage

from groupdesk.core.journal_kinds import JournalEntry
from groupdesk.core.protocol import TurnState
from groupdesk.core.session import room_events as ev
from groupdesk.core.session.room_state import LiveStage
from groupdesk.media.events import MediaEvent, PeerStateChanged, PeerStats, VoiceActivity

if TYPE_CHECKING:
    from groupdesk.ui.live_session import LiveSession

log = logging.getLogger(__name__)


class LiveOutputs:
    """Carries out the outputs of a live session's room; the session's signals tell."""

    def __init__(self, session: LiveSession) -> None:
        self._session = session

    async def apply(self, outputs: Iterable[ev.RoomOutput]) -> bool:  # noqa: PLR0912
        """Carry out the room's ``outputs`` in order; False when a message did not go out."""
        session, all_sent = self._session, True
        for out in outputs:
            match out:
                case ev.Send(message):
                    if await session.line.send(message):
                        await self.apply(session.room.sent(message))
                    else:
                        all_sent = False
                case ev.Journal() | ev.StayOpened() | ev.StayClosed() | ev.AnswersKept():
                    if session.record is not None:
                        await session.record.write(out)
                case ev.IdentityMarked():
                    if session.record is not None:
                        await session.record.write(out)
                case ev.ConsentGiven(member):  # recorded once per version
                    if session.record is not None and member in session.consent_needed:
                        session.consent_needed = session.consent_needed - {member}
                        await session.record.write(out)
                case ev.LoadPrevious(seat, member):
                    previous = (
                        None if session.record is None else await session.record.previous(member)
                    )
                    if previous is not None:
                        await self.apply(session.room.know_previous(seat, previous))
                case ev.Microphone(muted):
                    session.call.set_muted(muted)
                    session.turns.muted(muted)
                case ev.MediaReach(blocked):
                    session.call.set_blocked(blocked)
                case ev.Over():  # a participant's room is over for them
                    await session.line.hang_up()
                    self.show(session.room.set_stage(LiveStage.ENDED))
                    session.ended.emit(0)
                case ev.Seated(seat):
                    self._seat(seat)
                case ev.Unseated(seat, reason, known):
                    self._unseat(seat, reason, known)
                case ev.ForTurns(sender, event):
                    self._on_turn_event(sender, event)
                case ev.SpotlightForAll(seat):
                    session.turns.spotlight(seat)
                    await session.turns.flush()
                case ev.SafetySignalled(seat):
                    session.safety_signalled.emit(seat)
                case ev.Ignored(seat, event_name, reason):
                    level = logging.INFO if reason == "not_shown" else logging.WARNING
                    log.log(level, "ignored %s from %s: %s", event_name, seat, reason)
                case ev.ServerRefused(code):
                    log.info("the server refused a request: %s", code)
                case _:
                    self.show([out])
        return all_sent

    async def _record(self, out: ev.LogOutput) -> None:
        if self._session.record is not None:
            await self._session.record.write(out)

    async def _previous(self, seat: str, member: int) -> None:
        """Offer again the earlier answers of the member ``seat`` is taken to be."""
        session = self._session
        previous = None if session.record is None else await session.record.previous(member)
        if previous is not None:
            await self.apply(session.room.know_previous(seat, previous))

    def show(self, outputs: Iterable[ev.ViewOutput]) -> None:
        """Emit the session's signal for each view change."""
        session = self._session
        for out in outputs:
            match out:
                case ev.Changed():
                    session.changed.emit()
                case ev.LobbyChanged():
                    session.lobby_changed.emit()
                case ev.Knocked(seat):
                    session.knocked.emit(seat)
                case ev.LeftLobby(seat):
                    session.previews.forget(seat)
                case ev.AdmissionHeld(seat):
                    session.admission_held.emit(seat)
                case ev.MembersChanged():
                    session.members_changed.emit()
                case ev.MemberChanged(seat):
                    session.member_updated.emit(seat)
                case ev.ChatChanged():
                    session.chat_changed.emit()
                case ev.ShareChanged():
                    session.share.room_changed()
                case _:
                    assert_never(out)

    async def journal(self, entry: JournalEntry) -> None:
        """Write a journal entry of the turns (a facilitator's app keeps the record)."""
        session = self._session
        if session.record is not None and session.facilitator:
            await session.record.journal(entry)

    # The speaking turns (ui/live_turns.py) hear who joins and leaves, their app events,
    # the media's voice activity, our microphone (``Microphone``), the spotlight and the end.

    def _seat(self, seat: str) -> None:
        """Someone took ``seat``: the turns count them."""
        session = self._session
        if seat != session.self_seat:
            session.turns.joined(seat, session.members[seat].role)
        session.crisis.seated(seat)  # a crisis panel follows its member to a new seat

    def _unseat(self, seat: str, reason: str, known: bool) -> None:
        """``seat`` is gone: its tile's pictures, and (someone sat there) from the turns."""
        self._session.frames.forget(seat)
        self._session.crisis.unseated(seat, reason)  # an open crisis panel says they dropped
        if known:
            self._session.turns.left(seat)

    def _on_turn_event(self, sender: str, event: ev.TurnAppEvent) -> None:
        """An app event for the speaking turns, allowed by the room's rules."""
        if isinstance(event, TurnState):
            self._session.turns.follow(sender, event)
            self.hands_follow_queue()
        else:
            self._session.turns.app(sender, event)  # the desk checks who may

    def hands_follow_queue(self) -> None:
        """The raised hands shown are the turns' queue (when there is one)."""
        state, room = self._session.turns.state, self._session.room
        if state is not None and state.queue is not None:
            self.show(room.follow_queue(state.queue))

    def on_media(self, event: MediaEvent) -> None:
        """What the media says of a member: speaking, connection, quality."""
        room, turns = self._session.room, self._session.turns
        if isinstance(event, VoiceActivity):
            self.show(room.voice(event.member_id, event.speaking))
            turns.voice(event.member_id, event.speaking, event.at)
        elif isinstance(event, PeerStateChanged):
            self.show(room.link(event.member_id, event.state))
            self._session.crisis.link(event.member_id, event.state)
        elif isinstance(event, PeerStats):
            self.show(room.stats(event.member_id, event.loss, event.rtt_s, event.fps))

    def on_frame(self, seat: str, image: QImage) -> None:
        """A tile-sized picture of ``seat``: passed on while the room shows that member."""
        shown = self._session.room.frame(seat)
        if shown is not None:
            self.show(shown)
            self._session.frame_ready.emit(seat, image)
