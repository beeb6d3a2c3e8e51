"""Getting a live session into a room: as facilitator, participant or co-facilitator.

The three ways in, carried out on a :class:`~groupdesk.ui.live_session.LiveSession`:
they are its methods ``open_room``, ``join`` and ``co_facilitate`` (bound there, hence
``self``). Each hangs up what a failed attempt left, starts the room's core afresh in
its role, takes the steps of :mod:`~groupdesk.ui.live_entry` (sign in, knock, join),
and says True once in -- or False with the session's ``problem`` saying why, and
nothing left connected.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from groupdesk.core.policy_values import DEFAULT_SAFETY_WORDING, Policy, load_policy
from groupdesk.core.protocol import OpenRoom, Role, RoomOpened, Waiting
from groupdesk.core.session.room_state import LiveProblem, LiveStage
from groupdesk.ui import live_entry
from groupdesk.ui.live_call import SourcesFactory
from groupdesk.ui.live_questions import room_consent, room_questions, room_rules
from groupdesk.ui.live_record import LiveRecord

if TYPE_CHECKING:
    from groupdesk.sessionlog import SessionLog
    from groupdesk.ui.live_session import LiveSession


async def open_room(
    self: LiveSession,
    log_: SessionLog,
    session_id: int,
    *,
    server_url: str = "",
    account: str = "",
    credential: str = "",
    display_name: str = "",
    sources: SourcesFactory | None = None,
    embedded_host: str = "127.0.0.1",
    policy: Policy | None = None,
) -> bool:
    """Open the room of ``session_id``: on ``server_url`` with the credential, or embedded.

    The room asks participants the ``policy``'s ``participant_checklist`` (the one
    the app loaded at start; None: read it now) before admission; the people
    waiting are previewed unless its ``lobby_preview`` is False. False (``problem``
    says why) when the room could not be opened; nothing is written to the log
    before the room is open.
    """
    if self.active:
        return False
    await _start(self, "facilitator")
    self.log, self.session_id, self.call.sources = log_, session_id, sources
    self.record = LiveRecord(log_, session_id, lambda: _log_failed(self))
    plan = await self.record.plan()
    if plan is None:
        return _fail(self, LiveProblem.LOG_FAILED)
    session, roster, expected = plan
    self.group_id = session.group_id
    self.room.know_group(roster, expected)
    name = display_name or (session.facilitators[0] if session.facilitators else "")
    self.display_name = name
    current = policy if policy is not None else await asyncio.to_thread(load_policy)
    # a waiting person has no TURN credential yet: in a relay-only room the server relays
    # none of their own candidates, so there is no preview to try
    self.previews.enabled = current.lobby_preview and not current.ice_relay_only
    self.previews.managed = current.lobby_preview_managed
    self.turns.use_policy(current)
    self.crisis.use_policy(current)
    version = current.remote_consent.version
    needed = await self.record.call(lambda: log_.without_consent(session.group_id, version))
    self.consent_needed = frozenset(m.id for m in needed or ())
    # before the room is opened: the previews learn the ICE servers from our admission
    self.conn.embedded_config = self.embedded_config
    problem = await live_entry.facilitator_sign_in(
        self.conn, (server_url, account, credential), name, embedded_host,
        lambda client: self.previews.start(client, enabled=self.previews.enabled),
    )  # fmt: skip
    if problem is not None:
        return await _failed(self, problem)
    self.embedded = not server_url
    self.questions = room_questions(current.participant_checklist)
    self.safety_wording = current.safety_wording
    self.rules = room_rules(current.group_rules)
    consent = room_consent(current.remote_consent)
    self.room.know_questions(self.questions, consent.version if consent else None)
    opening = OpenRoom(
        questions=self.questions or None, safety=self.safety_wording, rules=self.rules,
        consent=consent, relay_only=current.ice_relay_only or None,
        expected_members=len(expected) + max(1, len(session.facilitators)),
    )  # fmt: skip
    reply = await live_entry.ask(self.conn, opening, RoomOpened)
    if isinstance(reply, LiveProblem):
        return await _failed(self, reply)
    self.invite = reply.invite
    self.started_at = datetime.now(UTC)
    await self.record.started(self.started_at, self.embedded)
    self.outputs.show(self.room.set_stage(LiveStage.LIVE))
    return True


async def join(
    self: LiveSession,
    link: str,
    display_name: str,
    *,
    declared: Mapping[str, Any] | None = None,
    answer: live_entry.AnswerRoom | None = None,
    sources: SourcesFactory | None = None,
    receive_video: bool = True,
) -> bool:
    """Knock at the room of an invite link; True once waiting in the lobby.

    ``answer``: the person answers the room's questions (the desktop's dialog), and the
    hello declares that (else ``declared``, as given). If they cancel, no hello goes:
    nothing is left connected, the session is back to idle (no problem to show), False.
    ``receive_video=False`` asks the others for audio only (simulated participants).
    """
    if self.active:
        return False
    await _start(self, "participant")
    self.line.receive_video = receive_video
    self.display_name = display_name
    self.call.sources = sources
    knocked = await live_entry.participant_knock(
        self.conn,
        link,
        display_name,
        declared,
        self.call.answer_previews,
        wording=lambda wording: setattr(self, "safety_wording", wording),
        answer=answer,
    )
    if knocked is None:  # the person cancelled before knocking: quietly back to idle
        await self.line.hang_up()
        self.outputs.show(self.room.set_stage(LiveStage.IDLE))
        return False
    if not isinstance(knocked, Waiting):
        return await _failed(self, knocked)
    self.rules = knocked.rules
    self.invite = link
    self.outputs.show(self.room.set_stage(LiveStage.WAITING))
    return True


async def co_facilitate(
    self: LiveSession,
    link: str,
    display_name: str,
    *,
    account: str,
    credential: str,
    sources: SourcesFactory | None = None,
) -> bool:
    """Join the room of an invite link as a co-facilitator, signed in with one's own
    credential on the organisation's server: straight in, no lobby. The facilitator's
    app keeps the turns and the record; this one shows them, acts through it, and
    carries the turns on if that app leaves. Leaving does not end the room."""
    if self.active:
        return False
    await _start(self, "facilitator")
    self.turns.lead = False
    self.display_name, self.call.sources = display_name, sources
    # the room's questions first: admitting from this app waits on the same required items
    invite = live_entry.invite_of(link)
    info = invite if isinstance(invite, LiveProblem) else await live_entry.inquire(invite)
    if isinstance(info, LiveProblem):
        return await _failed(self, info)
    self.rules = info.rules
    self.room.know_questions(info.questions, info.consent.version if info.consent else None)
    joined = await live_entry.co_facilitator_join(
        self.conn, link, account, credential, display_name
    )
    if isinstance(joined, LiveProblem):
        return await _failed(self, joined)
    self.invite = link
    self.outputs.show(self.room.set_stage(LiveStage.LIVE))
    await self.line.admitted(joined)  # taken as the answer: the room hears it here
    await self.outputs.apply(self.room.receive(joined))
    return True


async def _start(self: LiveSession, role: Role) -> None:
    """A new attempt: hang up what a failed one left (nothing, usually), start afresh."""
    await self.line.hang_up()
    self.line.renew()
    self.invite = ""
    self.rules, self.consent_needed = None, frozenset()
    self.started_at = self.ended_at = None
    self.record, self.attendance, self.embedded = None, [], False
    self.safety_wording = DEFAULT_SAFETY_WORDING  # the room's, once it says
    self.frames.closed = False
    self.turns.clear()
    self.outputs.show(self.room.start(role))


async def _failed(self: LiveSession, problem: LiveProblem) -> bool:
    await self.line.hang_up()
    self.turns.clear()  # a seat we had for a moment (then refused): no clock left running
    return _fail(self, problem)


def _fail(self: LiveSession, problem: LiveProblem) -> bool:
    self.outputs.show(self.room.fail(problem))
    return False


def _log_failed(self: LiveSession) -> None:
    """A write to the log failed (the session goes on; the page says so)."""
    self.outputs.show(self.room.set_problem(LiveProblem.LOG_FAILED))
