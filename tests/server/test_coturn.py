"""coturn's generated configuration: REST secret shared with the server, private and
loopback ranges denied, loopback allowed only for the tests' private namespace."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from groupdesk.server import coturn
from groupdesk.server.coturn import Coturn, CoturnError, CoturnSettings, coturn_config
from groupdesk.server.turn import turn_credentials


def _lines(settings: CoturnSettings, tmp_path: Path) -> list[str]:
    return coturn_config(settings, tmp_path).splitlines()


def test_production_shares_the_secret_and_denies_private_and_loopback_peers(
    tmp_path: Path,
) -> None:
    lines = _lines(CoturnSettings("s3cret", listening_ip="203.0.113.5"), tmp_path)
    assert "use-auth-secret" in lines
    assert "static-auth-secret=s3cret" in lines
    private = (
        "10.0.0.0-10.255.255.255",
        "172.16.0.0-172.31.255.255",
        "192.168.0.0-192.168.255.255",
    )
    for denied in (*private, "127.0.0.0-127.255.255.255", "::1", "169.254.0.0-169.254.255.255"):
        assert f"denied-peer-ip={denied}" in lines
    assert "allow-loopback-peers" not in lines
    assert not any(line.startswith("allowed-peer-ip") for line in lines)
    assert f"userdb={tmp_path / 'turndb'}" in lines  # never the system's database


def test_only_the_test_namespace_or_a_loopback_coturn_may_relay_to_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = CoturnSettings("s3cret", loopback_peers=True)
    lines = _lines(settings, tmp_path)
    assert "allow-loopback-peers" in lines
    assert "allowed-peer-ip=127.0.0.1" in lines
    monkeypatch.setattr(coturn, "only_loopback_network", lambda: False)
    Coturn(settings)  # listens and relays on 127.0.0.1: this computer alone reaches it
    for reachable in (
        CoturnSettings("s3cret", listening_ip="192.0.2.10", loopback_peers=True),
        CoturnSettings("s3cret", listening_ip="0.0.0.0", loopback_peers=True),
        CoturnSettings("s3cret", relay_ip="192.0.2.10", loopback_peers=True),
    ):
        with pytest.raises(CoturnError, match="private namespace"):
            Coturn(reachable)


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="secret"):
        CoturnSettings("two words")
    with pytest.raises(ValueError, match="ports"):
        CoturnSettings("s3cret", min_port=50000, max_port=40000)
    assert CoturnSettings("s3cret", listening_ip="::1", port=3479).turn_urls() == (
        "turn:[::1]:3479?transport=udp",
    )


def test_coturn_accepts_the_server_s_credentials_until_they_expire() -> None:
    """A real allocation with a fresh credential, refused once it has expired."""
    if not coturn.only_loopback_network():
        pytest.skip("coturn relays to loopback only in the tests' private network namespace")
    import aioice.stun
    import aioice.turn

    async def allocate(settings: CoturnSettings, expires_at: int) -> None:
        username, password = turn_credentials("s3cret", "0123456789ab", expires_at)
        transport, _protocol = await aioice.turn.create_turn_endpoint(
            asyncio.DatagramProtocol,
            server_addr=("127.0.0.1", settings.port),
            username=username,
            password=password,
        )
        transport.close()

    async def scenario() -> None:
        settings = CoturnSettings("s3cret", port=34780, min_port=49300, max_port=49310,
                                  loopback_peers=True)  # fmt: skip
        async with Coturn(settings):
            now = int(time.time())
            await asyncio.wait_for(allocate(settings, now + 600), 10)
            with pytest.raises(aioice.stun.TransactionFailed, match="401"):
                await asyncio.wait_for(allocate(settings, now - 1), 10)

    asyncio.run(asyncio.wait_for(scenario(), 30))


class _Inbox(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.received.put_nowait(data)


@pytest.mark.parametrize("loopback_peers", [True, False], ids=["test_namespace", "production"])
def test_relaying_to_loopback_only_where_the_configuration_allows_it(
    loopback_peers: bool,
) -> None:
    """Two allocations on 127.0.0.1: the test configuration relays between them; the
    production one refuses the loopback peer (403), as it would any private address."""
    if not coturn.only_loopback_network():
        pytest.skip("coturn runs on loopback only in the tests' private network namespace")
    import aioice.stun
    import aioice.turn

    async def endpoint(port: int) -> tuple[Any, _Inbox]:
        username, password = turn_credentials("s3cret", "0123456789ab", int(time.time()) + 600)
        return await aioice.turn.create_turn_endpoint(
            _Inbox, server_addr=("127.0.0.1", port), username=username, password=password
        )

    async def scenario() -> None:
        settings = CoturnSettings("s3cret", port=34781, min_port=49320, max_port=49330,
                                  loopback_peers=loopback_peers)  # fmt: skip
        async with Coturn(settings):
            (ta, _), (tb, inbox_b) = await endpoint(settings.port), await endpoint(settings.port)
            try:
                a_inner = ta._TurnTransport__inner_protocol  # to await each send's outcome
                b_inner = tb._TurnTransport__inner_protocol
                a_at, b_at = ta.get_extra_info("sockname"), tb.get_extra_info("sockname")
                if not loopback_peers:
                    with pytest.raises(aioice.stun.TransactionFailed, match="403"):
                        await asyncio.wait_for(a_inner.send_data(b"hello", b_at), 10)
                    return
                await asyncio.wait_for(b_inner.send_data(b"permission", a_at), 10)
                await asyncio.wait_for(a_inner.send_data(b"hello", b_at), 10)
                assert await asyncio.wait_for(inbox_b.received.get(), 10) == b"hello"
            finally:
                ta.close()
                tb.close()

    asyncio.run(asyncio.wait_for(scenario(), 30))
