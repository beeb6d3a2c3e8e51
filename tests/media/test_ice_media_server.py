"""An SFU call lifts the loopback restriction a rehearsal's server set (Janus gathers on
no loopback interface), never one set elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from groupdesk.media import ice


@pytest.fixture
def no_restriction() -> Iterator[None]:
    before = ice.restricted_addresses()
    ice.restrict_host_addresses(None)
    yield
    ice.follow_server("example.org")  # forget follow_server's own choice
    ice.restrict_host_addresses(before)


def test_reaching_the_media_server_lifts_only_follow_servers_restriction(
    no_restriction: None,
) -> None:
    ice.follow_server("127.0.0.1")
    assert ice.restricted_addresses() == ice.LOOPBACK_ADDRESSES
    ice.reach_media_server()
    assert ice.restricted_addresses() is None
    # a restriction the tests or an administrator made stays
    ice.restrict_host_addresses(("127.0.0.3",))
    ice.follow_server("127.0.0.1")
    ice.reach_media_server()
    assert ice.restricted_addresses() == ("127.0.0.3",)
