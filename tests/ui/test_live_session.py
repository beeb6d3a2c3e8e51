"""The live session's model against the real embedded server, real aiortc peers and a real log."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from ui_helpers import Run

from groupdesk.core.journal_kinds import KINDS, JournalEntry, RoomClose, SeatEvent
from groupdesk.core.models import Attendance
from groupdesk.core.policy_values import ChecklistItem
from groupdesk.core.protocol import (
    ClientApp,
    Error,
    Inquire,
    Question,
    QuestionText,
    RequestMute,
    RoomInfo,
    TurnState,
    encode,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.media.events import PeerState
from groupdesk.server.app import ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.limits import LimitSettings
from groupdesk.server.rooms import RoomRegistry
from groupdesk.ui.live_connection import websocket_url
from groupdesk.ui.live_members import LiveProblem
from groupdesk.ui.live_questions import room_questions
from groupdesk.ui.live_record import LiveRecord
from groupdesk.ui.live_session import LiveSession, LiveStage

pytestmark = pytest.mark.slow


def test_websocket_url_of_the_policy_server() -> None:
    assert websocket_url("https://groups.example.org") == "wss://groups.example.org/ws"
    assert websocket_url("wss://groups.example.org/ws") == "wss://groups.example.org/ws"
    assert websocket_url("https://h.example/gd/") == "wss://h.example/gd/ws"


def test_the_room_asks_the_policy_participant_checklist(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    managed.mkdir()
    checklist = [
        {"id": "quiet_room", "text": {"en": "I am in a quiet room", "fr_CA": "Je suis au calme"}},
        {"id": "read_rules", "text": {"fr_CA": "J'ai lu les règles du groupe"}},
    ]
    (managed / "10-org.json").write_text(json.dumps({"participant_checklist": checklist}))

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            expected = (
                Question(
                    "quiet_room", QuestionText(en="I am in a quiet room", fr_ca="Je suis au calme")
                ),
                Question("read_rules", QuestionText(fr_ca="J'ai lu les règles du groupe")),
            )
            assert live.questions == expected
            # what the web page learns from the server before hello
            invite = parse_invite_link(live.invite)
            async with aiohttp.ClientSession() as http, http.ws_connect(invite.websocket_url) as ws:
                await ws.send_str(encode(Inquire(room=invite.room, secret=invite.secret)))
                info = parse_server_message((await ws.receive(5)).data)
            assert isinstance(info, RoomInfo)
            assert info.questions == expected
        finally:
            await live.close()
            await log.close()

    run(scenario())


def test_checklist_items_the_protocol_cannot_carry_are_left_out() -> None:
    text = {"en": "Fine", "fr_CA": "Bien"}
    checklist = [
        ChecklistItem("fine", text),
        ChecklistItem("x" * 33, text),
        ChecklistItem("long_text", {"en": "x" * 301}),
        ChecklistItem("no_text", {}),
        ChecklistItem("fine", {"en": "Again"}),
        *(ChecklistItem(f"q{i}", text) for i in range(20)),
    ]
    questions = room_questions(checklist)
    assert [q.id for q in questions] == ["fine", *(f"q{i}" for i in range(15))]
    assert questions[0].text == QuestionText(en="Fine", fr_ca="Bien")
    assert room_questions(None) == ()


CLOSED = RoomClose("room.closed", admitted=0, embedded=True)


class _SlowLog:
    """A stand-in log whose attendance writes take a while, to race an end against a join."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def record_join(
        self, session_id: int, member_id: int | None, when: datetime, guest_name: str = ""
    ) -> Attendance:
        self.calls.append("join")
        await asyncio.sleep(0.05)
        return Attendance(
            id=1, session_id=session_id, member_id=member_id, joined_at=when, guest_name=guest_name
        )

    async def close_stay(self, session_id: int, stay_id: int, when: object = None) -> None:
        self.calls.append("leave")

    async def append_event(self, session_id: int, entry: JournalEntry) -> None:
        self.calls.append(entry.kind)

    async def end_session(self, session_id: int, when: object) -> None:
        self.calls.append("end")


def test_an_end_while_a_join_is_being_written_still_closes_the_stay() -> None:
    async def scenario() -> list[str]:
        slow = _SlowLog()
        record = LiveRecord(slow, 1)  # type: ignore[arg-type]
        now = datetime.now(UTC)
        joining = asyncio.ensure_future(record.joined("seat", 7, now))
        await asyncio.sleep(0)  # the join's write has started
        await record.ended(now, CLOSED)
        await joining
        return slow.calls

    calls = asyncio.run(scenario())
    assert calls.index("join") < calls.index("leave") < calls.index("end")


def test_a_session_from_lobby_to_end_is_in_the_log(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, members = await prepared_log(tmp_path, ["Ana", "Ben", "Chloé"])
        live = LiveSession()
        peers: list[LiveSession] = []
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            assert live.embedded
            assert live.stage is LiveStage.LIVE
            assert live.invite.startswith("http://127.0.0.1:")
            knocks: list[str] = []

            def on_knock(seat: str) -> None:
                knocks.append(seat)

            live.knocked.connect(on_knock)
            for i, name in enumerate(["Ana", "Ben", "Zoé"]):
                peers.append(await knock(live.invite, name, seed=i))
            await wait_for(lambda: len(live.lobby) == 3)
            assert len(knocks) == 3
            by_name = {p.name: p for p in live.lobby}
            assert by_name["Ana"].match == members[0].id  # matched by name
            assert by_name["Zoé"].match is None  # not in the group
            assert by_name["Ana"].declared["private_place"] is True
            await live.decline(by_name["Zoé"].seat)
            await live.admit_all()
            await wait_for(lambda: len(live.members) == 3 and not live.lobby)
            await wait_for(lambda: peers[2].stage is LiveStage.ENDED)
            assert peers[2].problem is LiveProblem.DECLINED
            ana, ben = peers[0], peers[1]
            await wait_for(lambda: ana.stage is LiveStage.LIVE and len(ana.members) == 3)

            # Media flows both ways and the tiles get pictures.
            frames: dict[str, int] = {}

            def on_frame(seat: str, _image: object) -> None:
                frames[seat] = frames.get(seat, 0) + 1

            live.frame_ready.connect(on_frame)
            await wait_for(lambda: len(frames) == 3, timeout=60)  # two peers + self-view
            await wait_for(
                lambda: all(m.state is PeerState.CONNECTED for m in live.members.values())
            )
            # Indicators: a hand, a mute, private chat.
            await ana.set_hand_raised(True)
            await ben.set_muted(True)
            await wait_for(lambda: live.members[ana.self_seat].hand_raised)
            await wait_for(lambda: live.members[ben.self_seat].muted)
            assert await live.send_chat("Bienvenue", to=ana.self_seat)
            await wait_for(lambda: any(line.private for line in ana.chat))
            assert not any(line.text == "Bienvenue" for line in ben.chat)
            await live.request_mute(ana.self_seat, "Please mute")
            await wait_for(lambda: ana.muted and ana.mute_requested)

            await live.remove(ben.self_seat)
            await wait_for(lambda: ben.stage is LiveStage.ENDED)
            assert ben.problem is LiveProblem.REMOVED
            await live.end()
            assert live.stage is LiveStage.ENDED
            await wait_for(lambda: ana.stage is LiveStage.ENDED)
            assert ana.problem is LiveProblem.ENDED_BY_FACILITATOR

            ended = next(s for s in await log.list_sessions() if s.id == session.id)
            assert ended.actual_start is not None
            assert ended.actual_end is not None
            stays = await log.attendance(session.id)
            assert {s.member_id for s in stays} == {members[0].id, members[1].id}
            assert all(s.left_at is not None for s in stays)
            journal = [(e.kind, e.data) for e in await log.journal(session.id)]
            kinds = [kind for kind, _ in journal]
            for kind in (
                "room.opened",
                "lobby.declined",
                "lobby.admitted",
                "member.joined",
                "member.removed",
                "member.left",
                "room.closed",
                "session.ended",
            ):
                assert kind in kinds, kind
            assert kinds.count("lobby.admitted") == 2
            # Every kind the session wrote is in the catalogue, and every write was taken
            # (the log refuses any other kind or payload).
            assert set(kinds) <= set(KINDS)
            assert {"member.mute_requested", "session.started"} <= set(kinds)
            assert live.record is not None
            assert live.record.failures == 0
            text = repr(journal)
            for name in ("Ana", "Ben", "Zoé", "Julie"):
                assert name not in text  # ids, never names
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())


def test_an_unreachable_server_and_a_bad_link_say_so(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        try:
            ok = await live.open_room(
                log,
                session.id,
                server_url="https://127.0.0.1:9",
                account="julie",
                credential="x" * 32,
            )
            assert not ok
            assert live.problem is LiveProblem.UNREACHABLE
            assert live.stage is LiveStage.FAILED
            assert not await live.open_room(log, session.id, server_url="https://127.0.0.1:9")
            assert live.problem is LiveProblem.CREDENTIAL_NEEDED
            peer = LiveSession()
            assert not await peer.join("https://example.org/nothing", "Ana")
            assert peer.problem is LiveProblem.BAD_INVITE
            assert await log.journal(session.id) == []  # nothing half-written
        finally:
            await live.close()
            await log.close()

    run(scenario())


def test_the_organisation_server_takes_the_credential_or_refuses_it(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        store = CredentialStore(tmp_path / "server")
        credential = store.add("julie")
        server = await start_server("127.0.0.1", 0, credentials=store)
        log, session, _ = await prepared_log(tmp_path / "log", ["Ana"])
        live = LiveSession()
        try:
            refused = await live.open_room(
                log, session.id, server_url=server.url, account="julie", credential="w" * 32
            )
            assert not refused
            assert live.problem is LiveProblem.CREDENTIAL_REFUSED
            assert await live.open_room(
                log, session.id, server_url=server.url, account="julie", credential=credential
            )
            assert not live.embedded
            assert live.invite.startswith(server.url)
            await live.end()
            kinds = [e.kind for e in await log.journal(session.id)]
            assert kinds == [
                "session.started",
                "room.opened",
                "turn.talk_time",  # the facilitator's own, alone in the room
                "room.closed",
                "session.ended",
            ]
        finally:
            await live.close()
            await log.close()
            await server.stop()

    run(scenario())


def test_a_lost_server_shows_and_ending_still_records_everything(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, members = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        ana: LiveSession | None = None
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            ana = await knock(live.invite, "Ana")
            await wait_for(lambda: len(live.lobby) == 1)
            await live.admit_all()
            await wait_for(lambda: len(live.members) == 2)
            assert live.server is not None
            await live.server.stop()  # the server goes away mid-session
            await wait_for(lambda: live.reconnecting or live.problem is not None)
            await live.end()  # the way on: end, and the log keeps the summary
            assert live.stage is LiveStage.ENDED
            [stay] = await log.attendance(session.id)
            assert stay.member_id == members[0].id
            assert stay.left_at is not None
            kinds = [e.kind for e in await log.journal(session.id)]
            assert kinds[-2:] == ["room.closed", "session.ended"]
            assert "member.joined" in kinds
        finally:
            if ana is not None:
                await ana.close()
            await live.close()
            await log.close()

    run(scenario())


def test_a_join_written_during_the_end_is_journaled_before_it_and_nothing_after() -> None:
    """The journal keeps the order things happened: the join, its stay closed, the end;
    a seat taken after the end is not recorded at all."""

    async def scenario() -> list[str]:
        slow = _SlowLog()
        record = LiveRecord(slow, 1)  # type: ignore[arg-type]
        now = datetime.now(UTC)
        joining = asyncio.ensure_future(record.joined("seat", 7, now))
        await asyncio.sleep(0)
        await record.ended(now, CLOSED)
        await joining
        await record.joined("late", 8, now)
        await record.journal(SeatEvent("member.mute_requested", "late", 8))
        return slow.calls

    calls = asyncio.run(scenario())
    assert calls == [
        "join", "member.joined", "leave", "member.left", "room.closed", "end",
    ]  # fmt: skip


def test_a_join_whose_handler_is_cancelled_mid_write_is_still_closed_by_the_end() -> None:
    """Hanging up cancels the connection's handler; the stay it was writing still closes."""

    async def scenario() -> list[str]:
        slow = _SlowLog()
        record = LiveRecord(slow, 1)  # type: ignore[arg-type]
        now = datetime.now(UTC)
        handler = asyncio.ensure_future(record.joined("seat", 7, now))
        await asyncio.sleep(0.01)  # the join's write is under way
        handler.cancel()
        await record.ended(now, CLOSED)
        return slow.calls

    calls = asyncio.run(scenario())
    assert calls == ["join", "member.joined", "leave", "member.left", "room.closed", "end"]


def test_only_a_facilitator_can_mute_someone_even_through_an_older_server(
    run: Run[Any], memory_keyring: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana", "Ben"])
        live = LiveSession()
        peers: list[LiveSession] = []
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            for i, name in enumerate(["Ana", "Ben"]):
                peers.append(await knock(live.invite, name, seed=i))
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            ana, ben = peers
            await wait_for(lambda: all(p.stage is LiveStage.LIVE for p in peers))
            await wait_for(lambda: len(ana.members) == 3 and len(ben.members) == 3)
            assert ben.client is not None
            forged: list[Any] = [
                RequestMute(member=ana.self_seat),
                ClientApp(event=TurnState(spotlight=ben.self_seat)),  # lead the turns
            ]
            errors: list[str] = []
            ben.client.on_message(lambda m: errors.append(m.code) if isinstance(m, Error) else None)

            async def said(text: str) -> None:
                """Ben says ``text`` to everyone: Ana has heard what he sent before it."""
                assert await ben.send_chat(text)
                await wait_for(lambda: any(line.text == text for line in ana.chat))

            # Ben, a participant, asks to mute Ana: the server refuses, Ana stays on.
            for message in forged:
                await ben.client.send(message)
            await said("one")
            await wait_for(lambda: len(errors) == 2)
            assert errors == ["control_refused", "control_refused"]
            assert not ana.muted
            assert not ana.mute_requested

            # A server that relays a participant's request (an older one): Ana's app
            # checks who asked, and stays on.
            monkeypatch.setattr(RoomRegistry, "_check_control", lambda self, seat: None)
            for message in forged:
                await ben.client.send(message)
            await said("two")
            assert not ana.muted
            assert not ana.mute_requested
            assert ana.seats.spotlight is None

            # The facilitator's request still mutes her.
            await live.request_mute(ana.self_seat, "Please mute")
            await wait_for(lambda: ana.muted and ana.mute_requested)
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await log.close()

    run(scenario())


def test_a_server_over_its_limits_says_to_try_again_later(
    run: Run[Any], memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        store = CredentialStore(tmp_path / "server")
        credential = store.add("julie")
        config = ServerConfig(limits=LimitSettings(lobby_places_per_address=1))
        server = await start_server("127.0.0.1", 0, config=config, credentials=store)
        log, session, _ = await prepared_log(tmp_path / "log", ["Ana", "Ben"])
        live = LiveSession()
        ana: LiveSession | None = None
        ben = LiveSession()
        try:
            assert await live.open_room(
                log, session.id, server_url=server.url, account="julie", credential=credential
            )
            ana = await knock(live.invite, "Ana")
            # Ben knocks from the same address, whose one lobby place Ana holds.
            assert not await ben.join(live.invite, "Ben", sources=synthetic("Ben"))
            assert ben.problem is LiveProblem.SERVER_BUSY
            assert ben.stage is LiveStage.FAILED
        finally:
            await ben.close()
            if ana is not None:
                await ana.close()
            await live.close()
            await log.close()
            await server.stop()

    run(scenario())
