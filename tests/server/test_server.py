"""The signalling server over real WebSockets on 127.0.0.1: rooms, lobby, refusals, resume."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import time
from pathlib import Path

import aiohttp
import pytest
from server_harness import Peer, run_async, self_signed_certificate, serving

from groupdesk.core.i18n import tr
from groupdesk.core.protocol import (
    Admit,
    Admitted,
    ClientApp,
    ClientChat,
    ClientSignal,
    Decline,
    Declined,
    EndRoom,
    Error,
    FacilitatorHello,
    Inquire,
    JoinRoom,
    Leave,
    Lobby,
    MediaState,
    MemberJoined,
    MemberLeft,
    OpenRoom,
    ParticipantHello,
    Question,
    QuestionText,
    RaiseHand,
    Remove,
    Removed,
    Resume,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    SafetySignal,
    ServerApp,
    ServerChat,
    ServerSignal,
    TurnState,
    Waiting,
    Welcome,
    encode,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.server.app import ServerConfig, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.errors import ServerError
from groupdesk.server.rooms import RoomRules
from groupdesk.server.turn import IceConfig


async def _next_or_none(peer: Peer) -> ServerApp | None:
    try:
        return await peer.expect(ServerApp, timeout=0.3)
    except TimeoutError:
        return None


DECLARED = {"private_place": True, "alone": True, "location": "Rimouski"}


@run_async
async def test_health_and_join_page(tmp_path: Path) -> None:
    async with serving(tmp_path) as (server, net, _):
        async with net.session.get(server.url + "/health") as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok", "protocol": 1}
        async with net.session.get(server.url + "/join") as response:
            assert response.status == 200
            assert "GroupDesk" in await response.text()
            assert response.headers["Referrer-Policy"] == "no-referrer"


@run_async
async def test_lobby_participants_learn_nothing_until_admitted(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, ana_seat = await net.open_room(ana)
        assert ana_seat.role == "facilitator"
        assert [m.member for m in ana_seat.members] == [ana_seat.member]

        bea = await net.waiting(opened.invite, "Béatrice", DECLARED)
        bea_seat = await net.admit(ana, bea)
        assert {m.display_name for m in bea_seat.members} == {"Ana", "Béatrice"}

        # Carl waits in the lobby while the room is busy
        carl = await net.waiting(opened.invite, "Carl", {"alone": False})
        lobby = await ana.expect(Lobby)
        assert [(w.display_name, w.declared) for w in lobby.waiting] == [("Carl", {"alone": False})]
        carl_id = lobby.waiting[0].member
        await bea.silent()  # participants never see the lobby

        await ana.send(ClientSignal(to=bea_seat.member, payload={"sdp": "offer"}))
        assert (await bea.expect(ServerSignal)).payload == {"sdp": "offer"}
        await bea.send(ClientChat(text="bonjour"))
        assert (await ana.expect(ServerChat)).text == "bonjour"
        await bea.send(ClientApp(event=RaiseHand()))
        assert (await ana.expect(ServerApp)).event == RaiseHand()

        # Carl received nothing of all that, and can neither signal nor chat
        await carl.silent()
        await carl.send(ClientSignal(to=bea_seat.member, payload={"sdp": "x"}, ref="s1"))
        error = await carl.expect_error("not_admitted")
        assert error.ref == "s1"
        await carl.send(ClientChat(text="hello?"))
        await carl.expect_error("not_admitted")
        await carl.send(Admit(member=carl_id))
        await carl.expect_error("not_admitted")
        await bea.silent()

        # a participant cannot admit; a facilitator can decline
        await bea.send(Admit(member=carl_id))
        await bea.expect_error("not_facilitator")
        await ana.send(Decline(member=carl_id))
        await carl.expect(Declined)
        await carl.closed()
        assert (await ana.expect(Lobby)).waiting == ()


@run_async
async def test_private_routes_reach_facilitators_only(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, ana_seat = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea")
        bea_seat = await net.admit(ana, bea)
        dan = await net.waiting(opened.invite, "Dan")
        dan_seat = await net.admit(ana, dan)
        await bea.expect(MemberJoined)

        await bea.send(ClientApp(event=SafetySignal()))
        assert (await ana.expect(ServerApp)).sender == bea_seat.member
        await bea.send(ClientChat(text="I can't talk", to=ana_seat.member))
        line = await ana.expect(ServerChat)
        assert line.private
        await bea.send(ClientChat(text="psst", to=dan_seat.member))
        await bea.expect_error("not_facilitator")
        await bea.send(ClientApp(event=TurnState(floor=bea_seat.member)))
        await bea.expect_error("control_refused")
        await dan.silent()

        await ana.send(ClientApp(event=TurnState(floor=dan_seat.member)))
        assert (await bea.expect(ServerApp)).event == TurnState(floor=dan_seat.member)
        assert isinstance((await dan.expect(ServerApp)).event, TurnState)


@run_async
async def test_an_app_event_that_does_not_fit_its_type_is_refused_and_relayed_to_nobody(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, _ana_seat = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea")
        await net.admit(ana, bea)
        malformed = [
            {"event": "media_state", "data": {"muted": "yes", "camera_off": False}},
            {"event": "media_state", "data": {"request_mute": "0a1b2c3d4e5f"}},
            {"event": "turn_state", "data": {"floor": "not-a-member"}},
            {"event": "raise_hand", "data": "up"},
            {"event": "shout", "data": {}},
        ]
        for i, frame in enumerate(malformed):
            await bea.send({"v": 1, "type": "app", "ref": f"a{i}", **frame})
            assert (await bea.expect_error("bad_message")).ref == f"a{i}"
        await bea.send(
            {
                "v": 1,
                "type": "app",
                "event": "media_state",
                "data": {"muted": True, "camera_off": False, "note": "dropped"},
            }
        )
        relayed = await ana.expect(ServerApp)  # the first thing Ana hears of Bea's: the good one
        assert relayed.event == MediaState(muted=True, camera_off=False)


@run_async
async def test_refusals_carry_their_codes(tmp_path: Path) -> None:
    rules = RoomRules(invite_ttl_seconds=0.5)
    async with serving(tmp_path, ServerConfig(rules=rules), names=("ana", "gil")) as (
        _,
        net,
        creds,
    ):
        stranger = await net.peer()
        await stranger.send(OpenRoom(ref="o1"))
        assert (await stranger.expect_error("not_authenticated")).ref == "o1"
        await stranger.send(FacilitatorHello(name="ana", credential="x" * 43, ref="h1"))
        assert (await stranger.expect_error("bad_credential")).ref == "h1"
        await stranger.send(FacilitatorHello(name="nobody", credential=creds["ana"]))
        await stranger.expect_error("bad_credential")
        await stranger.send('{"v": 1, "type": "open_room"')
        await stranger.expect_error("bad_json")
        await stranger.send({"v": 2, "type": "open_room"})
        await stranger.expect_error("unsupported_version")
        await stranger.send({"v": 1, "type": "teleport"})
        await stranger.expect_error("bad_message")
        await stranger.send({"v": 1, "type": "chat", "text": "x" * 70_000})
        await stranger.expect_error("too_large")
        await stranger.ws.send_bytes(b"\x00\x01")
        await stranger.expect_error("bad_message")

        ana = await net.facilitator("ana", creds["ana"])
        await ana.send(FacilitatorHello(name="ana", credential=creds["ana"]))
        await ana.expect_error("out_of_order")
        await ana.send(Admit(member="0" * 12))
        await ana.expect_error("out_of_order")  # in no room yet
        opened, _ = await net.open_room(ana)
        await ana.send(OpenRoom())
        await ana.expect_error("out_of_order")
        await ana.send(Admit(member="0" * 12))
        await ana.expect_error("unknown_member")
        invite = parse_invite_link(opened.invite)

        wrong = await net.peer()
        await wrong.send(ParticipantHello(room=invite.room, secret="W" * 32, display_name="Eve"))
        await wrong.expect_error("bad_invite")
        await wrong.send(
            ParticipantHello(room="nosuchroom", secret=invite.secret, display_name="E")
        )
        await wrong.expect_error("bad_invite")
        await ana.silent()  # nobody reached the lobby

        await asyncio.sleep(0.6)
        late = await net.peer()
        await late.send(ParticipantHello(room=invite.room, secret=invite.secret, display_name="L"))
        await late.expect_error("invite_expired")

        # revoked credential: refused, with its own code, on a running server
        CredentialStore(tmp_path).revoke("gil")
        gil = await net.peer()
        await gil.send(FacilitatorHello(name="gil", credential=creds["gil"]))
        await gil.expect_error("credential_revoked")


@run_async
async def test_repeated_failed_sign_ins_close_the_connection(tmp_path: Path) -> None:
    async with serving(tmp_path) as (_, net, _):
        peer = await net.peer()
        for _ in range(5):
            await peer.send(Resume(token="t" * 43))
            await peer.expect_error("resume_expired")
        await peer.expect_error("too_many_attempts")
        await peer.closed()


@run_async
async def test_inquire_over_the_socket_before_hello(tmp_path: Path) -> None:
    questions = (Question("alone", QuestionText(en="I am alone", fr_ca="Je suis seul")),)
    config = ServerConfig(rate_per_second=0.01, rate_burst=6, max_auth_failures=3)
    async with serving(tmp_path, config) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        await ana.send(OpenRoom(questions=questions))
        opened = await ana.expect(RoomOpened)
        await ana.expect(Admitted)
        await ana.expect(Lobby)
        bea = await net.waiting(opened.invite, "Bea", DECLARED)
        await ana.expect(Lobby)
        invite = parse_invite_link(opened.invite)
        good = Inquire(room=invite.room, secret=invite.secret)

        page = await net.peer()
        await page.send(good)
        frame = await page.ws.receive(3)
        wire = json.loads(frame.data)
        assert set(wire) == {
            "v",
            "type",
            "room",
            "questions",
            "invite_expires_at",
            "media",
            "previews",
        }
        for private in ("Ana", "Bea", "Rimouski"):
            assert private not in json.dumps(wire["questions"])
        info = parse_server_message(frame.data)
        assert isinstance(info, RoomInfo)
        assert info.questions == questions
        assert info.invite_expires_at == opened.invite_expires_at
        await ana.silent()  # nobody in the room hears of an inquiry
        await bea.silent()
        await page.send(
            ParticipantHello(room=invite.room, secret=invite.secret, display_name="Cid")
        )
        await page.expect(Welcome)
        await page.expect(Waiting)
        await page.send(good)
        await page.expect_error("out_of_order")

        # wrong links count as failed attempts; every inquiry counts against the rate
        prober = await net.peer()
        wrong = Inquire(room=invite.room, secret="x" * len(invite.secret), ref="w")
        for _ in range(2):
            await prober.send(wrong)
            assert (await prober.expect_error("bad_invite")).ref == "w"
        await prober.send(good)
        await prober.expect(RoomInfo)
        await prober.send(wrong)
        await prober.expect_error("bad_invite")
        await prober.expect_error("too_many_attempts")
        await prober.closed()
        flooder = await net.peer()
        for _ in range(10):
            await flooder.send(good)
        replies = [await flooder.recv() for _ in range(7)]
        assert sum(isinstance(r, RoomInfo) for r in replies) == 6  # the burst
        assert isinstance(replies[-1], Error)
        assert replies[-1].code == "rate_limited"


@run_async
async def test_rate_limit_and_room_full(tmp_path: Path) -> None:
    config = ServerConfig(rules=RoomRules(max_members=2), rate_per_second=0.01, rate_burst=12)
    async with serving(tmp_path, config) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"])
        opened, _ = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea")
        await net.admit(ana, bea)
        cid = await net.waiting(opened.invite, "Cid")
        lobby = await ana.expect(Lobby)
        await ana.send(Admit(member=lobby.waiting[0].member))
        await ana.expect_error("room_full")
        await cid.silent()

        for _ in range(20):
            await bea.send(ClientApp(event=RaiseHand()))
        await bea.expect_error("rate_limited")
        received = 0
        while await _next_or_none(ana):
            received += 1
        assert received == 11  # the burst of 12, less Bea's hello


@run_async
async def test_dropped_member_keeps_seat_within_grace_and_loses_it_after(tmp_path: Path) -> None:
    config = ServerConfig(rules=RoomRules(grace_seconds=0.6))
    async with serving(tmp_path, config) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"])
        opened, ana_seat = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea")
        seat = await net.admit(ana, bea)
        assert seat.grace_seconds == 0.6

        await bea.close()  # no "leave": a dropped connection
        await asyncio.sleep(0.2)
        back = await net.peer()
        await back.send(Resume(token=seat.resume_token))
        resumed = await back.expect(Admitted)
        assert resumed.resumed
        assert resumed.member == seat.member
        assert resumed.resume_token != seat.resume_token  # tokens are single use
        await ana.silent(0.8)  # no re-admission, no member_left
        await ana.send(ClientSignal(to=seat.member, payload={"ice": 1}))
        assert (await back.expect(ServerSignal)).sender == ana_seat.member

        await back.close()
        left = await ana.expect(MemberLeft, timeout=3)
        assert (left.member, left.reason) == (seat.member, "expired")
        again = await net.peer()
        await again.send(Resume(token=resumed.resume_token))
        await again.expect_error("resume_expired")
        await ana.send(ClientSignal(to=seat.member, payload={"ice": 2}))
        await ana.expect_error("unknown_member")


@run_async
async def test_cofacilitator_remove_leave_and_end(tmp_path: Path) -> None:
    async with serving(tmp_path, names=("ana", "gil")) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"], "Ana")
        opened, _ = await net.open_room(ana)
        invite = parse_invite_link(opened.invite)

        gil = await net.facilitator("gil", creds["gil"], "Gil")
        await gil.send(JoinRoom(room=invite.room, secret=invite.secret))
        gil_seat = await gil.expect(Admitted)
        assert gil_seat.role == "facilitator"
        await gil.expect(Lobby)
        await ana.expect(MemberJoined)

        bea = await net.waiting(opened.invite, "Bea")
        assert (await gil.expect(Lobby)).waiting[0].display_name == "Bea"
        seat = await net.admit(ana, bea)
        await gil.expect(MemberJoined)
        await gil.expect(Lobby)

        await gil.send(Remove(member=seat.member))
        await bea.expect(Removed)
        await bea.closed()
        for peer in (ana, gil):
            left = await peer.expect(MemberLeft)
            assert (left.member, left.reason) == (seat.member, "removed")

        await gil.send(Leave())
        await gil.closed()
        assert (await ana.expect(MemberLeft)).reason == "left"

        waiting = await net.waiting(opened.invite, "Zoé")
        await ana.expect(Lobby)
        await ana.send(EndRoom())
        await ana.expect(RoomEnded)
        await waiting.expect(RoomEnded)
        await waiting.closed()
        after = await net.peer()
        await after.send(ParticipantHello(room=invite.room, secret=invite.secret, display_name="Z"))
        await after.expect_error("bad_invite")


@run_async
async def test_turn_credentials_follow_coturn_rest_scheme(tmp_path: Path) -> None:
    ice = IceConfig(
        stun_urls=("stun:stun.example.org:3478",),
        turn_urls=("turn:turn.example.org:3478?transport=udp",),
        turn_secret="coturn-shared-secret",
        turn_ttl_seconds=600,
    )
    async with serving(tmp_path, ServerConfig(ice=ice)) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"])
        _, seat = await net.open_room(ana)
    stun, turn = seat.ice_servers
    assert stun.urls == ("stun:stun.example.org:3478",)
    assert stun.username is None
    assert turn.username is not None
    assert turn.credential is not None
    expiry, member = turn.username.split(":")
    assert member == seat.member
    assert 590 <= int(expiry) - time.time() <= 600
    digest = hmac.new(b"coturn-shared-secret", turn.username.encode(), hashlib.sha1).digest()
    assert turn.credential == base64.b64encode(digest).decode()


@run_async
async def test_network_address_without_tls_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ServerError) as refused:
        await start_server("0.0.0.0", 0)
    assert refused.value.key == "server.error.insecure_bind"
    assert "--insecure" in tr("server.error.insecure_bind", "en", host="0.0.0.0")


@run_async
async def test_tls(tmp_path: Path) -> None:
    import ssl

    cert, key = self_signed_certificate(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(cert))
    store = CredentialStore(tmp_path)
    credential = store.add("ana")
    server = await start_server("localhost", 0, credentials=store, ssl_context=server_ctx)
    try:
        assert server.url.startswith("https://localhost:")
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(server.ws_url, ssl=client_ctx) as ws,
        ):
            await ws.send_str(encode(FacilitatorHello(name="ana", credential=credential)))
            frame = await ws.receive(5)
            assert parse_server_message(frame.data) == Welcome(role="facilitator")
    finally:
        await server.stop()


@run_async
async def test_a_connection_that_never_says_hello_is_closed(tmp_path: Path) -> None:
    async with serving(tmp_path, ServerConfig(hello_timeout_seconds=0.5)) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"])
        silent = await net.peer()
        await silent.expect_error("not_authenticated", timeout=3)
        await silent.closed()
        await asyncio.sleep(0.3)
        await ana.send(OpenRoom())
        assert isinstance(await ana.recv(), RoomOpened)  # signed-in connections stay


def test_invite_host_when_listening_on_every_address() -> None:
    import socket

    from groupdesk.server.app import _shown_host

    assert _shown_host("0.0.0.0") == socket.getfqdn()
    assert _shown_host("::1") == "[::1]"
    assert _shown_host("groups.example.org") == "groups.example.org"


@run_async
async def test_an_internal_error_is_answered_logged_without_content_and_survived(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="groupdesk")
    async with serving(tmp_path) as (server, net, creds):
        registry = server.server.registry
        real_handle = registry.handle

        def broken(conn: int, message: object) -> object:
            if isinstance(message, ClientChat):
                raise KeyError(message.text)  # a bug whose message quotes the content
            return real_handle(conn, message)  # type: ignore[arg-type]

        registry.handle = broken  # type: ignore[method-assign]
        ana = await net.facilitator("ana", creds["ana"])
        opened, _ = await net.open_room(ana)
        bea = await net.waiting(opened.invite, "Bea")
        await net.admit(ana, bea)
        await bea.send(ClientChat(text="PrivateWordsOfBea", ref="c1"))
        assert (await bea.expect_error("internal")).ref == "c1"
        await bea.send(ClientApp(event=RaiseHand()))
        assert (await ana.expect(ServerApp)).event == RaiseHand()
    assert "internal error KeyError" in caplog.text
    assert "PrivateWordsOfBea" not in caplog.text
    assert "Bea" not in caplog.text


@run_async
async def test_embedded_server_keeps_credentials_in_memory() -> None:
    store = CredentialStore(None)  # what the desktop app's embedded server uses
    credential = store.add("local")
    server = await start_server("127.0.0.1", 0, credentials=store)
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(server.ws_url) as ws,
        ):
            await ws.send_str(encode(FacilitatorHello(name="local", credential=credential)))
            assert parse_server_message((await ws.receive(5)).data) == Welcome(role="facilitator")
    finally:
        await server.stop()
    data_home = Path(os.environ["XDG_DATA_HOME"])  # isolated per test by conftest
    assert [p for p in data_home.rglob("*") if p.is_file()] == []


@run_async
async def test_only_the_server_own_origin_and_native_clients_may_open_the_websocket(
    tmp_path: Path,
) -> None:
    config = ServerConfig(allowed_origins=("https://portal.example.org",))
    async with serving(tmp_path, config) as (server, _, _):
        port = server.port

        async def status(origin: str | None, host: str | None = None) -> int:
            headers = {} if host is None else {"Host": host}
            async with aiohttp.ClientSession() as http:
                try:
                    async with http.ws_connect(server.ws_url, origin=origin, headers=headers) as ws:
                        await ws.send_str(json.dumps({"v": 1, "type": "leave"}))
                        return 101
                except aiohttp.WSServerHandshakeError as error:
                    return error.status

        # a page on another site, open in a browser on this computer, is refused
        for foreign in (
            "http://evil.example",
            f"http://evil.example:{port}",
            f"https://127.0.0.1:{port}",  # another scheme
            f"http://127.0.0.1:{port + 1}",  # another port
            "null",  # a sandboxed frame or a file
        ):
            assert await status(foreign) == 403, foreign
        # a name that points at this computer (DNS rebinding) is not this server either
        assert await status(f"http://evil.example:{port}", f"evil.example:{port}") == 403
        # the participant page served by this server, native clients, the configured portal
        assert await status(server.url) == 101
        assert await status(f"http://localhost:{port}", f"localhost:{port}") == 101
        assert await status(None) == 101
        assert await status("https://portal.example.org") == 101


@run_async
async def test_turn_credentials_come_with_admission_not_with_the_lobby(tmp_path: Path) -> None:
    ice = IceConfig(
        stun_urls=("stun:stun.example.org:3478",),
        turn_urls=("turns:turn.example.org:443",),
        turn_secret="coturn-shared-secret",
        turn_ttl_seconds=1800,
    )
    async with serving(tmp_path, ServerConfig(ice=ice)) as (_, net, creds):
        ana = await net.facilitator("ana", creds["ana"])
        opened, _ = await net.open_room(ana)
        invite = parse_invite_link(opened.invite)
        bea = await net.peer()
        await bea.send(ParticipantHello(room=invite.room, secret=invite.secret, display_name="Bea"))
        await bea.expect(Welcome)
        # what reaches someone in the lobby, as sent: STUN for the preview, no TURN
        waiting = json.loads((await bea.ws.receive(3)).data)
        assert waiting["type"] == "waiting"
        assert waiting["ice_servers"] == [{"urls": ["stun:stun.example.org:3478"]}]
        assert "turn" not in json.dumps(waiting)
        lobby = await ana.expect(Lobby)
        before = time.time()
        await ana.send(Admit(member=lobby.waiting[0].member))
        admitted = json.loads((await bea.ws.receive(3)).data)
        after = time.time()
    assert admitted["type"] == "admitted"
    stun, turn = admitted["ice_servers"]
    assert stun == {"urls": ["stun:stun.example.org:3478"]}
    assert turn["urls"] == ["turns:turn.example.org:443"]
    expiry, member = turn["username"].split(":")
    assert member == admitted["member"]
    assert int(before) + 1800 <= int(expiry) <= after + 1800  # the configured lifetime
    digest = hmac.new(b"coturn-shared-secret", turn["username"].encode(), hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(digest).decode()
