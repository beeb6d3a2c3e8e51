"""Janus (Debian's ``janus``) for tests, in the tests' private network namespace.

Janus never gathers ICE candidates on ``lo`` (it skips every IFF_LOOPBACK interface),
and libnice sends each host candidate's packets out of that candidate's own interface
(``IP_UNICAST_IF``): a Janus on 127.0.0.2 of some interface cannot answer a member on
127.0.0.1 of ``lo``. :func:`running_janus` therefore puts :data:`JANUS_ADDRESS` and
:data:`MEMBERS_ADDRESS` on a bridge interface of their own while Janus runs, and
restricts this process's aiortc (aioice) host candidates to :data:`MEMBERS_ADDRESS`.
A Chromium member would need ``MEMBERS_ADDRESS`` as its only address, likewise.
The interface is removed afterwards: the namespace has ``lo`` alone again.

Usage::

    @needs_janus
    @run_async
    async def test_x(tmp_path):
        async with running_janus() as janus:
            config = ServerConfig(sfu=sfu_config(janus))
            ...
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator

import pytest

from groupdesk.media import ice
from groupdesk.server import janus
from groupdesk.server.app import SfuConfig
from groupdesk.server.coturn import only_loopback_network
from groupdesk.server.janus import Janus, JanusSettings
from groupdesk.server.local_sfu import (
    free_port,  # the one helper; the tests import it from here too
)

needs_janus = pytest.mark.skipif(
    shutil.which("janus") is None
    or janus.find_library_dir() is None
    or not only_loopback_network(),
    reason="needs Debian's janus and the tests' private network namespace",
)


def janus_settings() -> JanusSettings:
    return JanusSettings(
        admin_secret=secrets.token_urlsafe(24),
        port=free_port(),
        admin_port=free_port(),
        loopback_only=True,
    )


MEDIA_INTERFACE = "gdjanus0"
JANUS_ADDRESS = "127.0.0.2"
MEMBERS_ADDRESS = "127.0.0.3"


@contextlib.contextmanager
def janus_media_interface() -> Iterator[None]:
    """Loopback addresses Janus and the members can use, while it runs (see above)."""
    assert only_loopback_network()

    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)

    ip("link", "add", MEDIA_INTERFACE, "type", "bridge")
    # no IPv6 link-local address appearing a second later: a browser running by then
    # takes an address change for a network change and aborts its loads
    ip("link", "set", "dev", MEDIA_INTERFACE, "addrgenmode", "none")
    before = ice.restricted_addresses()
    try:
        for address in (JANUS_ADDRESS, MEMBERS_ADDRESS):
            ip("addr", "add", f"{address}/32", "dev", MEDIA_INTERFACE)
        ip("link", "set", MEDIA_INTERFACE, "up")
        ice.restrict_host_addresses((MEMBERS_ADDRESS,))
        yield
    finally:
        ice.restrict_host_addresses(before)
        ip("link", "del", MEDIA_INTERFACE)


@contextlib.asynccontextmanager
async def running_janus() -> AsyncIterator[Janus]:
    """A Janus whose VideoRoom members reach over loopback (see above)."""
    server = Janus(janus_settings())  # it checks the namespace: before the interface is added
    with janus_media_interface():
        async with server:
            yield server


def sfu_config(server: Janus, media_mode: str = "sfu") -> SfuConfig:
    """groupdesk-server's settings for ``server`` (a room in SFU mode by default)."""
    s = server.settings
    return SfuConfig(s.admin_url, s.admin_secret, media_mode, s.api_url)
