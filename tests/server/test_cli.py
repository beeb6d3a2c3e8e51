"""``groupdesk-server``: credentials on disk, the bind refusal, and the real program's output.

The last test runs the installed program as a subprocess with debug logging,
drives a session full of marker strings through it, and checks that none of
them (names, declared answers, chat, signals, credentials, invite secrets)
appears in its output or anywhere in its state folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from server_harness import Net

from groupdesk.core.protocol import (
    ClientChat,
    ClientSignal,
    FacilitatorHello,
    Lobby,
    ParticipantHello,
    ServerChat,
    ServerSignal,
    parse_invite_link,
)
from groupdesk.server import cli
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.errors import ServerError
from groupdesk.server.limits import LimitSettings

PROGRAM = Path(sys.executable).parent / "groupdesk-server"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_facilitator_credentials_are_shown_once_and_stored_hashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ["--state-dir", str(tmp_path), "--lang", "en"]
    code, out, _ = run_cli(capsys, *state, "facilitator", "add", "ana")
    assert code == 0
    credential = out.strip().splitlines()[-1]
    assert len(credential) >= 40
    path = tmp_path / "facilitators.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = path.read_text()
    assert credential not in stored
    assert json.loads(stored)["facilitators"]["ana"]["scrypt"]["n"] == 2**14
    CredentialStore(tmp_path).verify("ana", credential)

    code, _, err = run_cli(capsys, *state, "facilitator", "add", "ana")
    assert code == 2
    assert "already exists" in err
    code, out, _ = run_cli(capsys, *state, "facilitator", "list")
    assert out.startswith("ana  created ")
    assert credential not in out
    assert run_cli(capsys, *state, "facilitator", "revoke", "ana")[0] == 0
    code, out, _ = run_cli(capsys, *state, "--lang", "fr_CA", "facilitator", "list")
    assert "révoqué le" in out
    code, _, err = run_cli(capsys, *state, "facilitator", "revoke", "nobody")
    assert (code, err.strip()) == (2, "Error: No facilitator named nobody.")
    code, _, err = run_cli(capsys, *state, "facilitator", "add", "two words")
    assert code == 2


def test_network_address_needs_tls_or_insecure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ["--state-dir", str(tmp_path)]
    code, _, err = run_cli(capsys, *state, "--lang", "en", "--host", "0.0.0.0")
    assert code == 2
    assert "Refusing to listen on 0.0.0.0 without TLS" in err
    code, _, err = run_cli(capsys, *state, "--lang", "fr_CA", "--host", "192.0.2.10")
    assert code == 2
    assert "Refus d'écouter sur 192.0.2.10 sans TLS" in err
    code, _, err = run_cli(capsys, *state, "--lang", "en", "--cert", str(tmp_path / "c.pem"))
    assert (code, err.strip()) == (2, "Error: TLS needs both --cert and --key.")


def test_help_is_translated(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fr_CA", "--help"])
    out = capsys.readouterr().out
    assert "adresse d'écoute" in out
    # argparse's own words too
    assert out.startswith("utilisation : groupdesk-server [-h]")
    for french in ("arguments positionnels:", "options:", "afficher ce message d'aide et quitter"):
        assert french in out
    for english in ("usage", "positional arguments", "show this help", "show program"):
        assert english not in out
    # and the placeholders of the values
    assert "--host HÔTE" in out
    assert "--grace-seconds SECONDES" in out
    for english in ("HOST", "GRACE_SECONDS", "INVITE_HOURS", "TURN_HOURS", "MAX_MEMBERS"):
        assert english not in out
    with pytest.raises(SystemExit) as exited:
        cli.main(["--lang", "fr_CA", "--port", "huit"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "groupdesk-server : erreur : argument --port : valeur invalide pour int : 'huit'" in err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fr_CA", "facilitator"])
    assert "les arguments suivants sont obligatoires : COMMANDE" in capsys.readouterr().err


MARKERS = {
    "account": "markeracct",
    "facilitator": "MarkerFacilitatorName",
    "participant": "MarkerParticipantName",
    "location": "MarkerLocationRimouski",
    "phone": "MarkerPhone5551234",
    "chat": "MarkerChatLine",
    "private": "MarkerPrivateLine",
    "sdp": "MarkerSdpPayload",
    "ice": "MarkerIceCandidate",
    "app": "MarkerAppData",
    "bad": "MarkerMalformedBody",
}


@pytest.mark.slow
def test_server_keeps_no_content_and_logs_no_personal_data(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    added = subprocess.run(
        [str(PROGRAM), "--state-dir", str(state), "facilitator", "add", MARKERS["account"]],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    credential = added.stdout.strip().splitlines()[-1]
    process = subprocess.Popen(
        [str(PROGRAM), "--state-dir", str(state), "--port", "0", "--log-level", "debug"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on" in line, line
        url = line.strip().rsplit(" ", 1)[-1]
        secret = asyncio.run(_session(url, credential))
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    output = line + out + err
    assert "conn " in err  # debug logging was on and did log the session
    for text in [*MARKERS.values(), credential, secret]:
        assert text not in output
    files = [p for p in state.rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["facilitators.json"]
    stored = files[0].read_text()
    for key, text in [*MARKERS.items(), ("credential", credential), ("secret", secret)]:
        if key != "account":  # the account name is what the file is keyed by
            assert text not in stored


async def _session(url: str, credential: str) -> str:
    """A whole small session full of markers; returns the invite secret."""
    net = Net(url)
    try:
        return await _drive(net, credential)
    finally:
        await net.close()


async def _drive(net: Net, credential: str) -> str:
    fac = await net.facilitator(MARKERS["account"], credential, MARKERS["facilitator"])
    opened, fac_seat = await net.open_room(fac)
    declared = {"location": MARKERS["location"], "phone": MARKERS["phone"], "alone": True}
    part = await net.waiting(opened.invite, MARKERS["participant"], declared)
    seat = await net.admit(fac, part)
    await fac.send(ClientSignal(to=seat.member, payload={"sdp": MARKERS["sdp"]}))
    assert isinstance(await part.recv(), ServerSignal)
    await part.send(ClientSignal(to=fac_seat.member, payload={"candidate": MARKERS["ice"]}))
    assert isinstance(await fac.recv(), ServerSignal)
    await part.send(ClientChat(text=MARKERS["chat"]))
    assert isinstance(await fac.recv(), ServerChat)
    await part.send(ClientChat(text=MARKERS["private"], to=fac_seat.member))
    assert isinstance(await fac.recv(), ServerChat)
    await part.send(
        {"v": 1, "type": "app", "event": "safety_signal", "data": {"note": MARKERS["app"]}}
    )
    await fac.recv()
    await part.send('{"v": 1, "type": "chat", "text": "' + MARKERS["bad"] + '"')
    await part.expect_error("bad_json")
    await part.send({"v": 1, "type": "chat", "text": MARKERS["bad"], "to": "not-an-id"})
    await part.expect_error("bad_message")
    await part.send({"v": 1, "type": MARKERS["bad"]})
    await part.expect_error("bad_message")
    wrong = await net.peer()
    await wrong.send(FacilitatorHello(name=MARKERS["account"], credential=MARKERS["bad"] * 2))
    await wrong.expect_error("bad_credential")
    invite = parse_invite_link(opened.invite)
    late = await net.peer()
    await late.send(
        ParticipantHello(
            room=invite.room, secret=invite.secret, display_name=MARKERS["participant"]
        )
    )
    await late.recv()
    await late.recv()
    assert isinstance(await fac.recv(), Lobby)
    await part.close()  # a drop: the seat is held, which the log may say by id
    await asyncio.sleep(0.2)
    return invite.secret


def test_grace_period_defaults_to_the_policy(tmp_path: Path) -> None:
    managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
    managed.mkdir(parents=True)
    (managed / "10-org.json").write_text('{"reconnect_grace_seconds": 30}')
    assert cli._config(cli.build_parser().parse_args([])).rules.grace_seconds == 30
    args = cli.build_parser().parse_args(["--grace-seconds", "5", "--max-members", "6"])
    rules = cli._config(args).rules
    assert (rules.grace_seconds, rules.max_members) == (5, 6)


def test_allowed_origins_are_web_origins(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.build_parser().parse_args(
        ["--allow-origin", "https://portal.example.org", "--allow-origin", "http://h:8080"]
    )
    assert cli._config(args).allowed_origins == ("https://portal.example.org", "http://h:8080")
    for lang, said in (("en", "not a web origin"), ("fr_CA", "pas une origine web")):
        with pytest.raises(SystemExit):
            cli.main(["--lang", lang, "--allow-origin", "portal.example.org/path"])
        assert said in capsys.readouterr().err


def test_the_turn_credential_lifetime_is_a_server_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    parse = cli.build_parser().parse_args
    assert cli._config(parse([])).ice.turn_ttl_seconds == 3 * 3600
    monkeypatch.setenv("GROUPDESK_TURN_SECRET", "coturn-shared-secret")
    turn = ["--turn", "turns:turn.example.org:443"]
    assert cli._config(parse([*turn, "--turn-hours", "1.5"])).ice.turn_ttl_seconds == 5400
    with pytest.raises(ServerError) as refused:
        cli._config(parse([*turn, "--turn-hours", "0"]))
    assert refused.value.key == "server.error.bad_option"


def test_abuse_limits_are_server_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = cli.build_parser().parse_args(
        [
            "--grace-seconds",
            "60",
            "--max-connections-per-address",
            "5",
            "--address-rate",
            "7",
            "--lobby-places-per-address",
            "3",
            "--signin-wait-seconds",
            "2.5",
            "--credential-cache-seconds",
            "0",
            "--trusted-proxy",
            "10.0.0.5",
        ]
    )
    limits = cli._config(args).limits
    assert limits == LimitSettings(
        max_connections_per_address=5,
        address_rate_per_second=7.0,
        lobby_places_per_address=3,
        signin_wait_seconds=2.5,
        credential_cache_seconds=0.0,
        trusted_proxies=("10.0.0.5",),
    )
    state = ["--state-dir", str(tmp_path), "--grace-seconds", "60"]
    for bad in (["--max-connections", "0"], ["--trusted-proxy", "proxy.example.org"]):
        code, _, err = run_cli(capsys, *state, "--lang", "en", *bad)
        assert code == 2
        assert "out of range" in err
    monkeypatch.setenv("COLUMNS", "1000")  # one line per option
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fr_CA", "--help"])
    assert "à partir d'une même adresse réseau (un /64 en IPv6)" in capsys.readouterr().out
