"""What crosses the signalling in a relay-only room: relay candidates, and no own address."""

from __future__ import annotations

from groupdesk.core.relay_only import (
    candidate_type,
    is_relay_candidate,
    relay_only_payload,
    relay_only_sdp,
)

CHROMIUM_HOST = "candidate:842163049 1 udp 2122260223 10.0.0.5 54321 typ host generation 0 ufrag x"
MDNS_HOST = "candidate:1 1 udp 2122260223 3c1e7c9b-2d2f.local 54321 typ host generation 0"
RELAY = (
    "candidate:7 1 udp 41885439 203.0.113.9 49170 typ relay raddr 10.0.0.5 rport 54321 generation 0"
)
PRFLX = "candidate:8 1 udp 1845501695 10.0.0.5 54322 typ prflx raddr 10.0.0.5 rport 54321"


def test_candidate_types_are_read_from_either_form() -> None:
    assert candidate_type(CHROMIUM_HOST) == "host"
    assert candidate_type("a=" + RELAY + "\r\n") == "relay"
    assert candidate_type("not a candidate") is None
    assert is_relay_candidate(RELAY)
    assert not any(is_relay_candidate(c) for c in (CHROMIUM_HOST, MDNS_HOST, PRFLX))


def test_an_sdp_keeps_its_relay_candidates_with_their_own_address_blanked() -> None:
    sdp = "".join(
        f"{line}\r\n"
        for line in (
            "v=0",
            "m=video 54321 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 10.0.0.5",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=" + CHROMIUM_HOST,
            "a=" + MDNS_HOST,
            "a=" + RELAY,
            "a=" + PRFLX,
            "a=end-of-candidates",
        )
    )
    out = relay_only_sdp(sdp)
    assert "10.0.0.5" not in out
    assert ".local" not in out
    kept = "a=candidate:7 1 udp 41885439 203.0.113.9 49170 typ relay raddr 0.0.0.0 rport 0"
    assert f"{kept} generation 0\r\n" in out
    assert "c=IN IP4 0.0.0.0\r\n" in out
    assert "a=end-of-candidates\r\n" in out
    # the default address is the relay's when it is one: left as it is
    relayed = sdp.replace("c=IN IP4 10.0.0.5", "c=IN IP4 203.0.113.9")
    assert "c=IN IP4 203.0.113.9\r\n" in relay_only_sdp(relayed)


def test_a_trickled_candidate_that_is_not_a_relay_is_not_relayed() -> None:
    base = {"type": "media.candidate", "gen": 1, "sdpMid": "0"}
    assert relay_only_payload({**base, "candidate": CHROMIUM_HOST}) is None
    assert relay_only_payload({**base, "candidate": ""}) == {**base, "candidate": ""}
    kept = relay_only_payload({**base, "candidate": RELAY})
    assert kept is not None
    assert "raddr 0.0.0.0 rport 0" in kept["candidate"]
    other = {"type": "media.prefs", "video": False}
    assert relay_only_payload(other) == other
