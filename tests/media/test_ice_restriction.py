"""Loopback-only ICE: offered host candidates and accepted remote candidates."""

from __future__ import annotations

from collections.abc import Iterator

import aioice.ice
import pytest

from groupdesk.media import ice

SDP = (
    "v=0\r\n"
    "a=candidate:1 1 udp 2130706431 192.0.2.2 40000 typ host\r\n"
    "a=candidate:2 1 udp 2130706431 127.0.0.1 40001 typ host\r\n"
    "a=candidate:3 1 udp 2130706431 abcd.local 40002 typ host\r\n"
    "a=end-of-candidates\r\n"
)


@pytest.fixture
def restore() -> Iterator[None]:
    before = ice.restricted_addresses()
    yield
    ice.restrict_host_addresses(before)


def test_loopback_only_offers_and_accepts_loopback(restore: None) -> None:
    ice.restrict_host_addresses(ice.LOOPBACK_ADDRESSES)
    assert aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True) == ["127.0.0.1"]
    assert aioice.ice.get_host_addresses(use_ipv4=False, use_ipv6=True) == []
    filtered = ice.filter_sdp_candidates(SDP)
    assert "127.0.0.1 40001" in filtered
    assert "192.0.2.2" not in filtered
    assert "abcd.local" not in filtered
    assert filtered.endswith("a=end-of-candidates\r\n")
    assert not ice.candidate_allowed("192.0.2.2")
    # another loopback address is this machine too (a media server on 127.0.0.2)
    assert ice.candidate_allowed("127.0.0.2")
    assert "127.0.0.2" in ice.filter_sdp_candidates(SDP.replace("192.0.2.2", "127.0.0.2"))
    assert not ice.candidate_allowed("abcd.local")


def test_no_restriction_gives_back_every_interface(restore: None) -> None:
    ice.restrict_host_addresses(ice.LOOPBACK_ADDRESSES)
    ice.restrict_host_addresses(None)
    assert ice.filter_sdp_candidates(SDP) == SDP
    assert ice.candidate_allowed("192.0.2.2")
    assert aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=False) != ["127.0.0.1"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("127.0.0.2", True), ("192.0.2.2", False), ("groupdesk.example.org", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert ice.is_loopback_host(host) is expected


def test_following_the_server_keeps_a_rehearsal_on_loopback(restore: None) -> None:
    ice.restrict_host_addresses(None)
    ice.follow_server("127.0.0.1")
    assert ice.restricted_addresses() == ice.LOOPBACK_ADDRESSES
    ice.follow_server("groupdesk.example.org")
    assert ice.restricted_addresses() is None


def test_following_the_server_never_lifts_a_restriction_made_elsewhere(restore: None) -> None:
    ice.restrict_host_addresses(ice.LOOPBACK_ADDRESSES)  # e.g. the test suite's own
    ice.follow_server("127.0.0.1")
    ice.follow_server("groupdesk.example.org")
    assert ice.restricted_addresses() == ice.LOOPBACK_ADDRESSES
