"""``groupdesk-server``: run the signalling server, or manage facilitator credentials.

``groupdesk-server [options]`` serves until interrupted.
``groupdesk-server facilitator add NAME | list | revoke NAME`` manages accounts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shlex
import signal
import ssl
import sys
import urllib.parse
from pathlib import Path

from groupdesk import __version__
from groupdesk.core.cli_parser import ArgumentParser
from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import (
    LANGUAGES,
    language_from_argv,
    set_language,
    tr,
)
from groupdesk.core.media_choice import SFU_FROM_MEMBERS
from groupdesk.core.policy_values import MediaMode as PolicyMediaMode
from groupdesk.platform import install_policy_reader
from groupdesk.server.app import ServerConfig, SfuConfig, check_bind, start_server
from groupdesk.server.credentials import CredentialStore
from groupdesk.server.errors import ServerError
from groupdesk.server.limits import LimitSettings
from groupdesk.server.media_config import write_media_config
from groupdesk.server.origins import normalise_origin
from groupdesk.server.rooms import RoomRules
from groupdesk.server.turn import IceConfig


def default_state_dir() -> Path:
    """Where facilitator credential hashes live by default."""
    import platformdirs

    return Path(platformdirs.user_data_dir("GroupDesk Server", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    """The ``groupdesk-server`` command line, in the current language."""
    parser = ArgumentParser(prog="groupdesk-server", description=tr("server.description"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"GroupDesk server {__version__}",
        help=tr("argparse.version"),
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("server.help.lang"))
    parser.add_argument(
        "--state-dir", type=Path, metavar=tr("server.metavar.dir"), help=tr("server.help.state_dir")
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar=tr("server.metavar.host"),
        help=tr("server.help.host"),
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8765,
        metavar=tr("server.metavar.port"),
        help=tr("server.help.port"),
    )
    parser.add_argument(
        "--cert", type=Path, metavar=tr("server.metavar.file"), help=tr("server.help.cert")
    )
    parser.add_argument(
        "--key", type=Path, metavar=tr("server.metavar.file"), help=tr("server.help.key")
    )
    parser.add_argument("--insecure", action="store_true", help=tr("server.help.insecure"))
    parser.add_argument("--public-url", metavar="URL", help=tr("server.help.public_url"))
    parser.add_argument(
        "--grace-seconds",
        type=float,
        metavar=tr("server.metavar.seconds"),
        help=tr("server.help.grace_seconds"),
    )
    parser.add_argument(
        "--max-members", type=int, default=12, metavar="N", help=tr("server.help.max_members")
    )
    parser.add_argument(
        "--invite-hours",
        type=float,
        default=12.0,
        metavar=tr("server.metavar.hours"),
        help=tr("server.help.invite_hours"),
    )
    _limit_options(parser)
    parser.add_argument(
        "--stun", action="append", default=[], metavar="URL", help=tr("server.help.stun")
    )
    parser.add_argument(
        "--turn", action="append", default=[], metavar="URL", help=tr("server.help.turn")
    )
    parser.add_argument(
        "--turn-hours",
        type=float,
        default=3.0,
        metavar=tr("server.metavar.hours"),
        help=tr("server.help.turn_hours"),
    )
    parser.add_argument(
        "--turn-secret-file",
        type=Path,
        metavar=tr("server.metavar.file"),
        help=tr("server.help.turn_secret_file"),
    )
    parser.add_argument("--janus-url", metavar="URL", help=tr("server.help.janus_url"))
    parser.add_argument("--janus-api-url", metavar="URL", help=tr("server.help.janus_api_url"))
    parser.add_argument(
        "--janus-secret-file",
        type=Path,
        metavar=tr("server.metavar.file"),
        help=tr("server.help.janus_secret_file"),
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="URL",
        type=_origin,
        help=tr("server.help.allow_origin"),
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help=tr("server.help.log_level"),
    )
    commands = parser.add_subparsers(dest="command", metavar=tr("server.metavar.command"))
    facilitator = commands.add_parser("facilitator", help=tr("server.help.facilitator"))
    actions = facilitator.add_subparsers(
        dest="action", required=True, metavar=tr("server.metavar.command")
    )
    add = actions.add_parser("add", help=tr("server.help.facilitator_add"))
    add.add_argument("name", metavar=tr("server.metavar.name"))
    actions.add_parser("list", help=tr("server.help.facilitator_list"))
    revoke = actions.add_parser("revoke", help=tr("server.help.facilitator_revoke"))
    revoke.add_argument("name", metavar=tr("server.metavar.name"))
    media = commands.add_parser("media-config", help=tr("server.help.media_config"))
    media.add_argument(
        "folder", type=Path, metavar=tr("server.metavar.dir"), help=tr("server.help.media_folder")
    )
    media.add_argument(
        "--public-ip",
        required=True,
        metavar=tr("server.metavar.address"),
        help=tr("server.help.public_ip"),
    )
    media.add_argument(
        "--host-name", metavar=tr("server.metavar.name"), help=tr("server.help.host_name")
    )
    media.add_argument(
        "--listening-ip",
        default="0.0.0.0",  # noqa: S104 - coturn serves the Internet
        metavar=tr("server.metavar.address"),
        help=tr("server.help.listening_ip"),
    )
    media.add_argument(
        "--tls-cert", type=Path, metavar=tr("server.metavar.file"), help=tr("server.help.tls_cert")
    )
    media.add_argument(
        "--tls-key", type=Path, metavar=tr("server.metavar.file"), help=tr("server.help.tls_key")
    )
    return parser


def _origin(text: str) -> str:
    """An ``--allow-origin`` value: a web origin, ``scheme://host[:port]``."""
    if normalise_origin(text) is None:
        raise argparse.ArgumentTypeError(tr("server.error.bad_origin", origin=text))
    return text


_LIMITS: tuple[tuple[str, type], ...] = (
    ("max_connections", int),
    ("max_connections_per_address", int),
    ("address_rate", float),
    ("address_burst", float),
    ("lobby_places_per_address", int),
    ("signin_workers", int),
    ("signin_per_address", int),
    ("signin_running_per_address", int),
    ("signin_queue", int),
    ("signin_wait_seconds", float),
    ("credential_cache_seconds", float),
)
"""The limit options: ``--max-connections`` ... (``LimitSettings`` holds the defaults)."""


def _limit_options(parser: argparse.ArgumentParser) -> None:
    for name, kind in _LIMITS:
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=kind, metavar="N", help=tr(f"server.help.{name}"))
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar=tr("server.metavar.address"),
        help=tr("server.help.trusted_proxy"),
    )


def _limits(args: argparse.Namespace) -> LimitSettings:
    """The limits given on the command line over the defaults (``ValueError`` if absurd)."""
    given = {name: getattr(args, name) for name, _ in _LIMITS if getattr(args, name) is not None}
    renamed = {"address_rate": "address_rate_per_second", "address_burst": "address_rate_burst"}
    return LimitSettings(
        **{renamed.get(name, name): value for name, value in given.items()},
        trusted_proxies=tuple(args.trusted_proxy),
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``groupdesk-server``; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    install_policy_reader()  # the registry (Windows) or managed preferences (macOS)
    set_language(language_from_argv(argv))
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    store = CredentialStore(args.state_dir or default_state_dir())
    try:
        if args.command == "facilitator":
            return _facilitator(args, store)
        if args.command == "media-config":
            return _media_config(args)
        return _serve(args, store)
    except GroupDeskError as error:
        print(tr("server.error_line", message=error.message()), file=sys.stderr)
        return 2


def _facilitator(args: argparse.Namespace, store: CredentialStore) -> int:
    if args.action == "add":
        credential = store.add(args.name)
        print(tr("server.facilitator.added", name=args.name))
        print(credential)
        return 0
    if args.action == "revoke":
        store.revoke(args.name)
        print(tr("server.facilitator.revoked", name=args.name))
        return 0
    records = store.list()
    if not records:
        print(tr("server.facilitator.none"))
    for record in records:
        if record.revoked:
            print(
                tr(
                    "server.facilitator.line_revoked",
                    name=record.name,
                    created=record.created,
                    revoked=record.revoked,
                )
            )
        else:
            print(tr("server.facilitator.line", name=record.name, created=record.created))
    return 0


def _media_config(args: argparse.Namespace) -> int:
    written = write_media_config(
        args.folder,
        public_ip=args.public_ip,
        host_name=args.host_name,
        listening_ip=args.listening_ip,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        turn_secret_file=args.turn_secret_file,
        janus_secret_file=args.janus_secret_file,
    )
    if not written.public:
        print(tr("server.media_config.not_public", address=args.public_ip), file=sys.stderr)
    print(
        tr(
            "server.media_config.written",
            folder=written.folder,
            turn_conf=written.turn_conf,
            janus_folder=written.janus_folder,
            ports=", ".join(written.ports),
            options=" ".join(shlex.quote(o) for o in written.server_options()),
        )
    )
    return 0


def _secret(path: Path | None, variable: str) -> str | None:
    """A secret from ``path`` (first), else the environment variable ``variable``."""
    secret = None
    if path is not None:
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ServerError("server.error.cannot_read", path=str(path)) from error
    return secret or os.environ.get(variable) or None


def _sfu(args: argparse.Namespace) -> SfuConfig | None:
    """Janus for SFU mode: ``--janus-url`` and its secret, and the policy's ``media_mode``."""
    mode, sfu_from = _media_mode()
    if args.janus_url is None:
        if mode != "mesh":
            print(tr("server.sfu_without_janus", mode=mode), file=sys.stderr)
        return None
    secret = _secret(args.janus_secret_file, "GROUPDESK_JANUS_SECRET")
    if secret is None or not args.janus_url.startswith(("http://", "https://")):
        raise ServerError("server.error.janus_secret")
    api_url = args.janus_api_url or _default_api_url(args.janus_url)
    if not api_url.startswith(("http://", "https://")):
        raise ServerError("server.error.janus_secret")
    return SfuConfig(args.janus_url, secret, mode, api_url, sfu_from_members=sfu_from)


def _default_api_url(admin_url: str) -> str:
    """Janus's API on the Admin API's host, at Janus's default port and path."""
    host = urllib.parse.urlsplit(admin_url).hostname or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:8088/janus"


def _media_mode() -> tuple[PolicyMediaMode, int]:
    """The policy's ``media_mode`` and ``sfu_from_members`` (``mesh`` when the policy
    cannot be read)."""
    from groupdesk.core.policy_values import load_policy

    try:
        policy = load_policy()
    except GroupDeskError:
        return "mesh", SFU_FROM_MEMBERS
    return policy.media_mode, policy.sfu_from_members


def _config(args: argparse.Namespace) -> ServerConfig:
    secret = _secret(args.turn_secret_file, "GROUPDESK_TURN_SECRET")
    try:
        rules = RoomRules(
            max_members=args.max_members,
            grace_seconds=_grace_seconds(args),
            invite_ttl_seconds=args.invite_hours * 3600,
        )
        ice = IceConfig(
            stun_urls=tuple(args.stun),
            turn_urls=tuple(args.turn),
            turn_secret=secret,
            turn_ttl_seconds=round(args.turn_hours * 3600),
        )
        limits = _limits(args)
    except ValueError as error:
        raise ServerError("server.error.bad_option") from error
    return ServerConfig(
        rules=rules,
        ice=ice,
        public_url=args.public_url,
        allowed_origins=tuple(args.allow_origin),
        limits=limits,
        sfu=_sfu(args),
    )


def _grace_seconds(args: argparse.Namespace) -> float:
    """The command line's value, else the policy's ``reconnect_grace_seconds``, else 60."""
    if args.grace_seconds is not None:
        return float(args.grace_seconds)
    from groupdesk.core.policy_values import load_policy

    try:
        return float(load_policy().reconnect_grace_seconds)
    except (ValueError, GroupDeskError):
        return 60.0


def _ssl_context(args: argparse.Namespace) -> ssl.SSLContext | None:
    if args.cert is None and args.key is None:
        return None
    if args.cert is None or args.key is None:
        raise ServerError("server.error.cert_and_key")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(args.cert, args.key)
    except (OSError, ssl.SSLError) as error:
        raise ServerError("server.error.bad_certificate") from error
    return context


def _serve(args: argparse.Namespace, store: CredentialStore) -> int:
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    context = _ssl_context(args)
    check_bind(args.host, tls=context is not None, insecure=args.insecure)
    config = _config(args)
    store.list()  # a malformed credential file is reported now, not at the first sign-in
    if not store.list():
        print(tr("server.no_facilitators"), file=sys.stderr)
    asyncio.run(_run(args, config, store, context))
    return 0


async def _run(
    args: argparse.Namespace,
    config: ServerConfig,
    store: CredentialStore,
    context: ssl.SSLContext | None,
) -> None:
    running = await start_server(
        args.host,
        args.port,
        config=config,
        credentials=store,
        ssl_context=context,
        insecure=args.insecure,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises instead
            loop.add_signal_handler(sig, stop.set)
    print(tr("server.listening", url=running.url), flush=True)
    try:
        await stop.wait()
    finally:
        await running.stop()
        print(tr("server.stopped"), flush=True)
