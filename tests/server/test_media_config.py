"""``groupdesk-server media-config``: a production configuration of coturn and Janus,
written owner-only from the secrets ``groupdesk-server`` reads, and started for real."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from server_harness import run_async, self_signed_certificate

from groupdesk.server import cli, janus
from groupdesk.server.child_process import start_child, stop_child
from groupdesk.server.coturn import DENIED_PEER_RANGES, only_loopback_network, stun_answers
from groupdesk.server.errors import ServerError
from groupdesk.server.janus_client import JanusAdmin, JanusError
from groupdesk.server.media_config import write_media_config

PUBLIC = "1.2.3.4"


def _libraries(tmp_path: Path) -> Path:
    """A stand-in for Janus's library folder (the files are only linked, never loaded)."""
    root = tmp_path / "lib"
    for folder, name in (("plugins", "libjanus_videoroom.so"), ("transports", "libjanus_http.so")):
        (root / folder).mkdir(parents=True)
        (root / folder / name).write_bytes(b"")
    return root


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_owner_only_files_that_deny_private_ranges(tmp_path: Path) -> None:
    out = tmp_path / "media"
    written = write_media_config(
        out, public_ip=PUBLIC, host_name="turn.example.org", janus_libraries=_libraries(tmp_path)
    )
    assert written.public
    for path in (out, out / "turn", written.janus_folder):
        assert _mode(path) == 0o700
    for path in (
        written.turn_conf,
        written.turn_secret_file,
        written.janus_secret_file,
        *written.janus_folder.glob("*.jcfg"),
    ):
        assert _mode(path) == 0o600, path
    turn_secret = written.turn_secret_file.read_text().strip()
    janus_secret = written.janus_secret_file.read_text().strip()
    assert len(turn_secret) >= 32
    assert len(janus_secret) >= 32
    assert turn_secret != janus_secret
    conf = written.turn_conf.read_text().splitlines()
    assert f"static-auth-secret={turn_secret}" in conf
    assert "use-auth-secret" in conf
    assert f"external-ip={PUBLIC}" in conf
    assert all(f"denied-peer-ip={r}" in conf for r in DENIED_PEER_RANGES)
    assert not any(line.startswith(("allow-loopback", "allowed-peer-ip")) for line in conf)
    assert not any(line.startswith(("listening-ip", "relay-ip")) for line in conf)  # all
    assert "no-tls" in conf  # no certificate given
    main = (written.janus_folder / "janus.jcfg").read_text()
    assert f'\tnat_1_1_mapping = "{PUBLIC}"\n' in main
    assert f'\tadmin_secret = "{janus_secret}"\n' in main
    assert "\ttoken_auth = true\n" in main
    http = (written.janus_folder / "janus.transport.http.jcfg").read_text()
    assert '\tip = "127.0.0.1"\n' in http
    assert '\tadmin_ip = "127.0.0.1"\n' in http
    assert written.turn_urls == ("turn:turn.example.org:3478?transport=udp",)
    # the options work as groupdesk-server's own
    args = cli.build_parser().parse_args(written.server_options())
    assert args.turn == list(written.turn_urls)
    assert args.janus_url == "http://127.0.0.1:7088/admin"
    assert args.janus_secret_file == written.janus_secret_file
    # written again: the same secrets (a running groupdesk-server keeps working)
    again = write_media_config(out, public_ip=PUBLIC, janus_libraries=_libraries(tmp_path / "b"))
    assert again.turn_secret_file.read_text().strip() == turn_secret
    assert f"static-auth-secret={turn_secret}" in again.turn_conf.read_text()


def test_uses_the_servers_secret_files_and_tls(tmp_path: Path) -> None:
    turn = tmp_path / "turn.secret"
    turn.write_text("t" * 24 + "\n")
    jan = tmp_path / "janus.secret"
    jan.write_text("j" * 24 + "\n")
    cert, key = self_signed_certificate(tmp_path)
    written = write_media_config(
        tmp_path / "media",
        public_ip="2001:4860::8888",
        tls_cert=cert,
        tls_key=key,
        turn_secret_file=turn,
        janus_secret_file=jan,
        janus_libraries=_libraries(tmp_path),
    )
    assert written.turn_secret_file == turn
    assert not (tmp_path / "media" / "turn.secret").exists()
    conf = written.turn_conf.read_text().splitlines()
    assert "static-auth-secret=" + "t" * 24 in conf
    assert "tls-listening-port=5349" in conf
    assert f"cert={cert}" in conf
    assert f"pkey={key}" in conf
    assert "no-tls" not in conf
    assert "no-tlsv1" in conf
    assert "no-tlsv1_1" in conf
    assert written.turn_urls == (
        "turn:[2001:4860::8888]:3478?transport=udp",
        "turns:[2001:4860::8888]:5349?transport=tcp",
    )
    assert "5349/tcp" in written.ports


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"public_ip": "not-an-address"}, "server.media_config.bad_address"),
        ({"tls_cert": Path("/nonexistent.pem")}, "server.media_config.tls_pair"),
        ({"same": True}, "server.media_config.same_secret"),
        ({"weak": True}, "server.media_config.weak_secret"),
    ],
)
def test_bad_settings_are_refused_before_anything_is_written(
    tmp_path: Path, change: dict[str, object], key: str
) -> None:
    kwargs: dict[str, object] = {"public_ip": PUBLIC, "janus_libraries": _libraries(tmp_path)}
    secret = tmp_path / "s"
    if change.pop("same", False):
        secret.write_text("x" * 20)
        kwargs |= {"turn_secret_file": secret, "janus_secret_file": secret}
    if change.pop("weak", False):
        secret.write_text("short")
        kwargs |= {"turn_secret_file": secret}
    kwargs |= change
    with pytest.raises(ServerError) as caught:
        write_media_config(tmp_path / "media", **kwargs)  # type: ignore[arg-type]
    assert caught.value.key == key
    assert not (tmp_path / "media" / "turnserver.conf").exists()


def test_command_line_in_both_languages(tmp_path: Path) -> None:
    if janus.find_library_dir() is None:
        pytest.skip("needs Debian's janus")
    run = [sys.executable, "-m", "groupdesk.server"]
    env = {**os.environ, "GROUPDESK_LANG": "en"}
    done = subprocess.run(
        [*run, "media-config", str(tmp_path / "m"), "--public-ip", "10.0.0.5"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "turnserver -c " + str(tmp_path / "m" / "turnserver.conf") in done.stdout
    assert "is not a public address" in done.stderr  # a warning: a VPN may be the point
    assert "static-auth-secret" not in done.stdout  # secrets stay in their files
    secret = (tmp_path / "m" / "turn.secret").read_text().strip()
    assert secret not in done.stdout + done.stderr
    fr = subprocess.run(
        [*run, "--lang", "fr_CA", "media-config", str(tmp_path / "f"), "--public-ip", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert fr.returncode == 2
    assert "n'est pas une adresse IP" in fr.stderr


# ------------------------------------------------------------ started for real

needs_servers = pytest.mark.skipif(
    shutil.which("turnserver") is None
    or shutil.which("janus") is None
    or janus.find_library_dir() is None
    or not only_loopback_network(),
    reason="needs Debian's coturn and janus, and the tests' private network namespace",
)


async def _until(check: object, what: str, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not answer within {timeout} s")


@needs_servers
@run_async
async def test_the_written_configuration_starts_coturn_with_tls_and_janus(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    written = write_media_config(
        tmp_path / "media",
        public_ip=PUBLIC,
        listening_ip="127.0.0.1",
        tls_cert=cert,
        tls_key=key,
    )
    coturn = await start_child("turnserver", "-c", str(written.turn_conf))
    main = written.janus_folder / "janus.jcfg"
    janus_process = await start_child(
        "janus", "--configs-folder", str(written.janus_folder), "--config", str(main)
    )
    try:
        await _until(lambda: stun_answers("127.0.0.1", 3478), "coturn over UDP")

        async def tls_handshake() -> bool:
            context = ssl.create_default_context(cafile=str(cert))
            try:
                _reader, writer = await asyncio.open_connection(
                    "127.0.0.1", 5349, ssl=context, server_hostname="localhost"
                )
            except OSError:
                return False
            version = writer.get_extra_info("ssl_object").version()
            writer.close()
            assert version in ("TLSv1.2", "TLSv1.3")
            return True

        await _until(tls_handshake, "coturn over TLS")
        secret = written.janus_secret_file.read_text().strip()
        async with JanusAdmin(written.janus_admin_url, secret) as admin:

            async def pong() -> bool:
                return await admin.ping(timeout=0.5)

            await _until(pong, "Janus's Admin API")
            info = await admin.request("info")
            assert set(info["plugins"]) == {"janus.plugin.videoroom"}
            assert set(info["transports"]) == {"janus.transport.http"}
        async with JanusAdmin(written.janus_admin_url, "wrong-secret-wrong") as stranger:
            with pytest.raises(JanusError):
                await stranger.request("list_sessions")
    finally:
        await stop_child(coturn, "coturn", 5.0)
        await stop_child(janus_process, "Janus", 5.0)
