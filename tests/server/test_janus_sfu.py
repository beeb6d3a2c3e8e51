"""Janus (Debian's ``janus``) for SFU mode: started from GroupDesk's generated
configuration, one private VideoRoom per GroupDesk room, a token per admitted member,
nobody else let in, the VideoRoom destroyed when the room ends.

The tests that start Janus need the tests' private network namespace (ICE on ``lo``
alone) and the ``janus`` package (scripts/setup.sh --test installs it)."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from server_harness import run_async, serving

from groupdesk.core.protocol import EndRoom, Leave, MemberLeft, Remove, Removed, RoomEnded
from groupdesk.server import cli, janus
from groupdesk.server.app import ServerConfig, SfuConfig
from groupdesk.server.coturn import only_loopback_network
from groupdesk.server.errors import ServerError
from groupdesk.server.janus import Janus, JanusSettings, janus_config
from groupdesk.server.janus_client import VIDEOROOM, JanusAdmin, JanusError, post_json
from groupdesk.server.janus_rooms import BITRATE_360P, JanusRooms
from groupdesk.server.rooms import RoomRules

needs_janus = pytest.mark.skipif(
    shutil.which("janus") is None
    or janus.find_library_dir() is None
    or not only_loopback_network(),
    reason="needs Debian's janus and the tests' private network namespace",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings() -> JanusSettings:
    return JanusSettings(
        admin_secret=secrets.token_urlsafe(24),
        port=_free_port(),
        admin_port=_free_port(),
        loopback_only=True,
    )


# ------------------------------------------------------------ the configuration


def test_config_loads_only_videoroom_over_http_with_token_auth(tmp_path: Path) -> None:
    settings = JanusSettings(admin_secret="a" * 24, port=8188, admin_port=7188)
    files = janus_config(settings, tmp_path)
    main = files["janus.jcfg"]
    assert "\ttoken_auth = true\n" in main
    assert f'\tadmin_secret = "{"a" * 24}"\n' in main
    assert f'\tplugins_folder = "{tmp_path / "plugins"}"\n' in main  # a private folder
    assert f'\tlog_to_file = "{tmp_path / "janus.log"}"\n' in main
    assert '\trtp_port_range = "20000-20200"\n' in main
    assert "ice_enforce_list" not in main  # production: real interfaces
    http = files["janus.transport.http.jcfg"]
    assert '\tip = "127.0.0.1"\n' in http
    assert '\tadmin_ip = "127.0.0.1"\n' in http
    assert "\tport = 8188\n" in http
    assert "\tadmin_port = 7188\n" in http
    assert "\thttps = false\n" in http
    # only the Admin API's secret creates rooms
    assert f'\tadmin_key = "{"a" * 24}"\n' in files["janus.plugin.videoroom.jcfg"]
    assert janus.PLUGIN_FILES == ("libjanus_videoroom.so",)
    assert janus.TRANSPORT_FILES == ("libjanus_http.so",)
    loopback = janus_config(JanusSettings("b" * 24, loopback_only=True), tmp_path)
    assert '\tice_enforce_list = "127."\n' in loopback["janus.jcfg"]


def test_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="secret"):
        JanusSettings("short")
    with pytest.raises(ValueError, match="ports"):
        JanusSettings("a" * 24, rtp_min_port=30000, rtp_max_port=20000)
    with pytest.raises(ValueError, match="different ports"):
        JanusSettings("a" * 24, port=9000, admin_port=9000)
    monkeypatch.setattr(janus, "only_loopback_network", lambda: False)
    with pytest.raises(JanusError, match="private namespace"):
        Janus(JanusSettings("a" * 24, loopback_only=True))


@run_async
async def test_an_unreachable_janus_is_a_clear_error() -> None:
    async with JanusAdmin(f"http://127.0.0.1:{_free_port()}/admin", "x" * 24) as admin:
        assert not await admin.ping(timeout=1.0)
        with pytest.raises(JanusError, match="unreachable"):
            await admin.videoroom({"request": "exists", "room": 1})


# ------------------------------------------------------------ the real Janus


async def _session(api_url: str, token: str | None) -> dict[str, Any]:
    """Ask the Janus API (what members reach) for a session, with ``token`` if any."""
    body: dict[str, Any] = {"janus": "create", "transaction": secrets.token_hex(6)}
    if token is not None:
        body["token"] = token
    async with aiohttp.ClientSession() as http:
        return await post_json(http, api_url, body, 5.0)


async def _allowed(admin: JanusAdmin, janus_id: int, secret: str) -> set[str]:
    reply = await admin.videoroom(
        {"request": "allowed", "room": janus_id, "secret": secret, "action": "add", "allowed": []}
    )
    return set(reply["allowed"])


async def _exists(admin: JanusAdmin, janus_id: int) -> bool:
    reply = await admin.videoroom({"request": "exists", "room": janus_id})
    return bool(reply["exists"])


@needs_janus
@run_async
async def test_janus_starts_from_the_generated_config_and_refuses_strangers() -> None:
    started = time.monotonic()
    async with Janus(_settings()) as server:
        print(f"janus start: {(time.monotonic() - started) * 1000:.0f} ms")
        async with server.admin() as admin:
            info = await admin.request("info")
            assert set(info["plugins"]) == {"janus.plugin.videoroom"}
            assert set(info["transports"]) == {"janus.transport.http"}
            assert info["auth_token"] is True
            # the Janus API refuses a request without a token, or with a made-up one
            for token in (None, "made-up"):
                refused = await _session(server.settings.api_url, token)
                assert refused["janus"] == "error"
                assert refused["error"]["code"] == 403
            # the Admin API refuses a wrong secret
            async with JanusAdmin(server.settings.admin_url, "w" * 24) as stranger:
                with pytest.raises(JanusError, match="Unauthorized"):
                    await stranger.tokens()
        log = server.log_path
        assert log is not None
        assert "VideoRoom plugin initialized" in log.read_text()
    assert log is not None
    assert not log.exists()
    async with JanusAdmin(server.settings.admin_url, server.settings.admin_secret) as admin:
        assert not await admin.ping(timeout=1.0)  # and Janus is stopped


@needs_janus
@run_async
async def test_room_lifecycle_follows_the_groupdesk_room(tmp_path: Path) -> None:
    async with Janus(_settings()) as server:
        s = server.settings
        sfu = SfuConfig(s.admin_url, s.admin_secret, "sfu", s.api_url)
        config = ServerConfig(rules=RoomRules(max_members=6), sfu=sfu)
        async with (
            serving(tmp_path, config) as (running, net, creds),
            server.admin() as admin,
        ):
            rooms = running.server.janus_rooms
            assert isinstance(rooms, JanusRooms)
            ana = await net.facilitator("ana", creds["ana"], "Ana")
            started = time.monotonic()
            opened, ana_seat = await net.open_room(ana)
            await rooms.settled()
            print(f"janus room create: {(time.monotonic() - started) * 1000:.0f} ms")
            room = rooms.room(opened.room)
            assert room is not None
            assert await _exists(admin, room.janus_id)
            listed = await admin.videoroom({"request": "list", "admin_key": sfu.admin_secret})
            (entry,) = [r for r in listed["list"] if r["room"] == room.janus_id]
            assert entry["max_publishers"] == 12  # a camera and a share each
            assert entry["bitrate"] == BITRATE_360P
            assert entry["record"] is False

            bea = await net.waiting(opened.invite, "Bea")
            await rooms.settled()
            ana_token = rooms.token(opened.room, ana_seat.member)
            assert await admin.tokens() == {ana_token}  # nobody in the lobby has one
            bea_seat = await net.admit(ana, bea)
            await rooms.settled()
            ana_token = rooms.token(opened.room, ana_seat.member)
            bea_token = rooms.token(opened.room, bea_seat.member)
            assert ana_token
            assert bea_token
            assert ana_token != bea_token
            assert await _allowed(admin, room.janus_id, room.secret) == {ana_token, bea_token}
            assert {ana_token, bea_token} <= await admin.tokens()
            accepted = await _session(server.settings.api_url, bea_token)
            assert accepted["janus"] == "success"

            await ana.send(Remove(member=bea_seat.member))
            await bea.expect(Removed)
            assert (await ana.expect(MemberLeft)).member == bea_seat.member
            await rooms.settled()
            assert await _allowed(admin, room.janus_id, room.secret) == {ana_token}
            assert bea_token not in await admin.tokens()
            refused = await _session(server.settings.api_url, bea_token)
            assert refused["janus"] == "error"
            assert refused["error"]["code"] == 403
            assert rooms.token(opened.room, bea_seat.member) is None

            started = time.monotonic()
            await ana.send(EndRoom())
            await ana.expect(RoomEnded)
            await rooms.settled()
            print(f"janus room destroy: {(time.monotonic() - started) * 1000:.0f} ms")
            assert not await _exists(admin, room.janus_id)
            assert ana_token not in await admin.tokens()
            assert rooms.room(opened.room) is None


@run_async
async def test_mesh_mode_creates_no_janus_room(tmp_path: Path) -> None:
    sfu = SfuConfig(f"http://127.0.0.1:{_free_port()}/admin", "x" * 24, "mesh")
    async with serving(tmp_path, ServerConfig(sfu=sfu)) as (running, _net, _creds):
        assert running.server.janus_rooms is None


def test_janus_url_and_media_mode_reach_the_server_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parse = cli.build_parser().parse_args
    assert cli._config(parse([])).sfu is None  # default policy: mesh, no Janus
    managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    managed.mkdir(parents=True)
    (managed / "10-org.json").write_text('{"media_mode": "sfu"}')
    assert cli._config(parse([])).sfu is None
    assert "media_mode sfu" in capsys.readouterr().err  # said, not silently ignored
    secret = tmp_path / "janus.secret"
    secret.write_text("an-admin-secret-of-janus\n")
    url = "http://127.0.0.1:7088/admin"
    sfu = cli._config(parse(["--janus-url", url, "--janus-secret-file", str(secret)])).sfu
    api = "http://127.0.0.1:8088/janus"  # Janus's default, on the Admin API's host
    assert sfu == SfuConfig(url, "an-admin-secret-of-janus", "sfu", api)
    given = ["--janus-url", url, "--janus-secret-file", str(secret)]
    sfu = cli._config(parse([*given, "--janus-api-url", "http://10.0.0.5:8188/janus"])).sfu
    assert sfu is not None
    assert sfu.api_url == "http://10.0.0.5:8188/janus"
    with pytest.raises(ServerError) as refused:
        cli._config(parse(["--janus-url", url]))  # no secret
    assert "--janus-secret-file" in refused.value.message()
    monkeypatch.setenv("GROUPDESK_JANUS_SECRET", "from-the-environment")
    assert cli._config(parse(["--janus-url", url])).sfu == SfuConfig(
        url, "from-the-environment", "sfu", api
    )


@run_async
async def test_an_unreachable_janus_leaves_the_room_a_mesh_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    admin = JanusAdmin(f"http://127.0.0.1:{_free_port()}/admin", "x" * 24, timeout=1.0)
    rooms = JanusRooms(admin, admin_key="x" * 24, publishers=6)
    rooms.sync({"room-a": frozenset({"m1"})})
    await rooms.settled()
    assert rooms.room("room-a") is None
    assert rooms.token("room-a", "m1") is None
    assert "create for room room-a failed" in caplog.text
    await rooms.close()


async def _join(api_url: str, token: str, janus_id: int) -> dict[str, Any]:
    """Join VideoRoom ``janus_id`` as a publisher through the Janus API, as a member
    would with ``token``; the plugin's answer (``joined`` or an error)."""
    async with aiohttp.ClientSession() as http:

        async def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
            body = {**body, "transaction": secrets.token_hex(6), "token": token}
            reply = await post_json(http, url, body, 5.0)
            assert reply["janus"] in ("success", "ack"), reply
            return reply

        session = (await post(api_url, {"janus": "create"}))["data"]["id"]
        handle = (await post(f"{api_url}/{session}", {"janus": "attach", "plugin": VIDEOROOM}))[
            "data"
        ]["id"]
        join = {"request": "join", "ptype": "publisher", "room": janus_id, "token": token}
        await post(f"{api_url}/{session}/{handle}", {"janus": "message", "body": join})
        while True:  # long poll: an event, or a keepalive after 30 s
            url = f"{api_url}/{session}?maxev=1&token={token}"
            async with http.get(url, timeout=aiohttp.ClientTimeout(total=35)) as response:
                event = await response.json(content_type=None)
            if event.get("janus") == "event":
                data: dict[str, Any] = event["plugindata"]["data"]
                return data


@needs_janus
@run_async
async def test_a_member_of_one_room_cannot_join_another(tmp_path: Path) -> None:
    async with Janus(_settings()) as server:
        s = server.settings
        sfu = SfuConfig(s.admin_url, s.admin_secret, "sfu", s.api_url)
        config = ServerConfig(rules=RoomRules(max_members=4, grace_seconds=0), sfu=sfu)
        async with serving(tmp_path, config, names=("ana", "gil")) as (running, net, creds):
            rooms = running.server.janus_rooms
            assert isinstance(rooms, JanusRooms)
            ana = await net.facilitator("ana", creds["ana"], "Ana")
            room_a, ana_seat = await net.open_room(ana)
            gil = await net.facilitator("gil", creds["gil"], "Gil")
            room_b, gil_seat = await net.open_room(gil)
            await rooms.settled()
            janus_a = rooms.room(room_a.room)
            ana_token = rooms.token(room_a.room, ana_seat.member)
            gil_token = rooms.token(room_b.room, gil_seat.member)
            assert janus_a is not None
            assert ana_token is not None
            assert gil_token is not None
            joined = await _join(server.settings.api_url, ana_token, janus_a.janus_id)
            assert joined["videoroom"] == "joined"
            # Gil's token opens Janus sessions, but room A's allowed list refuses it
            refused = await _join(server.settings.api_url, gil_token, janus_a.janus_id)
            assert refused["error_code"] == 433  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED

            # a member who leaves, or drops past the grace period, loses the token
            cai = await net.waiting(room_a.invite, "Cai")
            cai_seat = await net.admit(ana, cai)
            await rooms.settled()
            cai_token = rooms.token(room_a.room, cai_seat.member)
            assert cai_token in await _tokens(server)
            await cai.send(Leave())
            assert (await ana.expect(MemberLeft)).reason == "left"
            await rooms.settled()
            assert cai_token not in await _tokens(server)
            await gil.close()  # no "leave": a drop; the seat is freed after 0 s of grace
            await asyncio.wait_for(_gone(rooms, room_b.room), 10)
            assert gil_token not in await _tokens(server)


async def _tokens(server: Janus) -> set[str]:
    async with server.admin() as admin:
        return await admin.tokens()


async def _gone(rooms: JanusRooms, room_id: str) -> None:
    """Until the VideoRoom of ``room_id`` is destroyed (the caller bounds the wait)."""
    while rooms.room(room_id) is not None:
        await rooms.settled()
        await asyncio.sleep(0.05)
