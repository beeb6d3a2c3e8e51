"""A production configuration of the organisation's media servers, coturn and Janus.

``groupdesk-server media-config FOLDER --public-ip ADDRESS ...`` writes, from the same
secrets ``groupdesk-server`` reads (``--turn-secret-file``, ``--janus-secret-file``; new
random ones in ``FOLDER`` when none is given):

- ``FOLDER/turnserver.conf`` for Debian's ``coturn``: REST credentials (``use-auth-secret``)
  with the TURN secret, relaying denied to private and loopback ranges, the public address
  (``external-ip``) and, with a certificate, TURN over TLS on 5349;
- ``FOLDER/janus/`` for Debian's ``janus``: VideoRoom and HTTP only, both APIs on
  127.0.0.1 (only ``groupdesk-server`` talks to Janus), ``token_auth``, the admin secret,
  ``nat_1_1_mapping`` = the public address.

Every file holding a secret is the owner's alone (0600, folders 0700). The generators are
the ones the tests and the demo start (:mod:`groupdesk.server.coturn`,
:mod:`groupdesk.server.janus`), so what runs in the tests is what runs in production.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from groupdesk.server.child_process import write_private
from groupdesk.server.coturn import CoturnSettings, coturn_config
from groupdesk.server.errors import ServerError
from groupdesk.server.janus import JanusSettings, find_library_dir, write_janus_folder


@dataclass(frozen=True)
class MediaConfig:
    """What was written, and the ``groupdesk-server`` options that go with it."""

    folder: Path
    turn_conf: Path
    janus_folder: Path
    turn_secret_file: Path
    janus_secret_file: Path
    turn_urls: tuple[str, ...]
    janus_admin_url: str
    ports: tuple[str, ...]
    public: bool
    """Whether the public address is one the Internet reaches (a private one serves a
    network of the organisation's own, or a VPN, only)."""

    def server_options(self) -> list[str]:
        """The options ``groupdesk-server`` needs to use these servers."""
        return server_options(
            self.turn_urls, self.turn_secret_file, self.janus_admin_url, self.janus_secret_file
        )


def server_options(
    turn_urls: Iterable[str],
    turn_secret_file: Path,
    janus_admin_url: str,
    janus_secret_file: Path,
    janus_api_url: str | None = None,
) -> list[str]:
    """``groupdesk-server``'s options for a coturn and a Janus (``janus_api_url`` None:
    the default, port 8088 on the Admin API's host); the secrets by their files."""
    options: list[str] = []
    for url in turn_urls:
        options += ["--turn", url]
    options += ["--turn-secret-file", str(turn_secret_file), "--janus-url", janus_admin_url]
    if janus_api_url is not None:
        options += ["--janus-api-url", janus_api_url]
    return [*options, "--janus-secret-file", str(janus_secret_file)]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError as error:
        raise ServerError("server.media_config.bad_address", address=text) from error


def _secret(path: Path | None, folder: Path, name: str) -> tuple[str, Path]:
    """The secret in ``path``; without one, a new random secret in ``folder/name``."""
    if path is None:
        path = folder / name
        if not path.exists():
            write_private(path, secrets.token_urlsafe(32) + "\n")
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ServerError("server.error.cannot_read", path=str(path)) from error
    if len(secret) < 16 or not secret.isprintable() or any(c in secret for c in ' "\t'):
        raise ServerError("server.media_config.weak_secret", path=str(path))
    return secret, path


def write_media_config(
    folder: Path,
    *,
    public_ip: str,
    host_name: str | None = None,
    listening_ip: str = "0.0.0.0",  # noqa: S104 - coturn serves the Internet
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    turn_secret_file: Path | None = None,
    janus_secret_file: Path | None = None,
    janus_libraries: Path | None = None,
) -> MediaConfig:
    """Write coturn's and Janus's production configuration into ``folder``."""
    address = _address(public_ip)
    public = str(address)
    if (tls_cert is None) != (tls_key is None):
        raise ServerError("server.media_config.tls_pair")
    for path in (tls_cert, tls_key):
        if path is not None and not path.is_file():
            raise ServerError("server.error.cannot_read", path=str(path))
    libraries = janus_libraries or find_library_dir()
    if libraries is None:
        raise ServerError("server.media_config.no_janus")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    turn_secret, turn_path = _secret(turn_secret_file, folder, "turn.secret")
    janus_secret, janus_path = _secret(janus_secret_file, folder, "janus.secret")
    if turn_secret == janus_secret:
        raise ServerError("server.media_config.same_secret")
    coturn = CoturnSettings(
        secret=turn_secret,
        listening_ip=listening_ip,
        relay_ip=None if listening_ip == "0.0.0.0" else listening_ip,  # noqa: S104
        external_ip=public,
        host_name=host_name,
        tls_cert=tls_cert,
        tls_key=tls_key,
        min_port=49152,
        max_port=65535,
    )
    state = folder / "turn"
    state.mkdir(mode=0o700, exist_ok=True)
    conf = folder / "turnserver.conf"
    write_private(conf, coturn_config(coturn, state))
    janus = JanusSettings(admin_secret=janus_secret, public_ip=public)
    janus_folder = folder / "janus"
    write_janus_folder(janus, janus_folder, libraries)
    ports = [f"{coturn.port}/udp", f"{coturn.min_port}-{coturn.max_port}/udp"]
    if coturn.tls:
        ports.insert(1, f"{coturn.tls_port}/tcp")
    ports.append(f"{janus.rtp_min_port}-{janus.rtp_max_port}/udp")
    return MediaConfig(
        folder=folder,
        turn_conf=conf,
        janus_folder=janus_folder,
        turn_secret_file=turn_path,
        janus_secret_file=janus_path,
        turn_urls=coturn.turn_urls(),
        janus_admin_url=janus.admin_url,
        ports=tuple(ports),
        public=address.is_global,
    )
