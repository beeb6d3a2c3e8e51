"""The mesh's negotiation messages are parsed once, with a translated error."""

from __future__ import annotations

from typing import Any

import pytest

from groupdesk.media.messages import (
    Answer,
    Candidate,
    MediaPrefs,
    MediaSignalError,
    Offer,
    RestartRequest,
    is_media_signal,
    parse_signal,
)

SDP = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"


@pytest.mark.parametrize(
    "message",
    [
        Offer(0, SDP),
        Answer(3, SDP),
        RestartRequest(2),
        MediaPrefs(video=False),
        Candidate(1, "candidate:1 1 UDP 2122 192.0.2.1 5000 typ host", "0", 0),
        Candidate(1, ""),
        Offer(0, SDP, incarnation="3f2a9c0d1e4b5a67"),
        Answer(0, SDP, incarnation="a" * 64, to_incarnation="3f2a9c0d1e4b5a67"),
        RestartRequest(0, to_incarnation="0b6e1f6c-5e1f-4d0a-9a55-4b8f3f1c2d7e"),
        MediaPrefs(video=True, incarnation="x_Y-1", to_incarnation="z"),
        Candidate(2, "", incarnation="abc", to_incarnation="def"),
    ],
)
def test_messages_round_trip(message: Any) -> None:
    payload = message.to_payload()
    assert is_media_signal(payload)
    assert parse_signal(payload) == message


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "media.offer", "gen": 0},
        {"type": "media.offer", "gen": -1, "sdp": SDP},
        {"type": "media.offer", "gen": True, "sdp": SDP},
        {"type": "media.answer", "gen": 0, "sdp": "hello"},
        {"type": "media.answer", "gen": 0, "sdp": 12},
        {"type": "media.prefs", "video": "no"},
        {"type": "media.dance"},
        {"type": "media.candidate", "gen": 0, "candidate": "a=candidate:1", "sdpMid": "0"},
        {"type": "media.candidate", "gen": 0, "candidate": "candidate:1 1 UDP"},
        {"type": "media.candidate", "gen": 0, "candidate": "candidate:1", "sdpMid": 0},
        {"type": "media.restart", "gen": 0, "incarnation": ""},
        {"type": "media.restart", "gen": 0, "incarnation": 7},
        {"type": "media.restart", "gen": 0, "incarnation": "a" * 65},
        {"type": "media.prefs", "video": True, "to_incarnation": "not one"},
        {},
    ],
)
def test_malformed_messages_are_refused_in_both_languages(payload: dict[str, Any]) -> None:
    with pytest.raises(MediaSignalError) as caught:
        parse_signal(payload, sender="member-7")
    assert caught.value.code == "media.error.bad_signal"
    assert "member-7" in caught.value.message("en")
    assert "member-7" in caught.value.message("fr_CA")
    assert caught.value.message("en") != caught.value.message("fr_CA")


def test_other_payloads_are_not_for_the_mesh() -> None:
    assert not is_media_signal({"type": "chat", "text": "hi"})
    assert not is_media_signal({})


def test_incarnations_are_optional_fields_on_the_wire() -> None:
    # What a browser reads: the v1 fields as before, two more strings it may ignore.
    assert Offer(1, SDP, incarnation="i1", to_incarnation="i2").to_payload() == {
        "type": "media.offer",
        "gen": 1,
        "sdp": SDP,
        "incarnation": "i1",
        "to_incarnation": "i2",
    }
    assert MediaPrefs(video=False, incarnation="i1").to_payload() == {
        "type": "media.prefs",
        "video": False,
        "incarnation": "i1",
    }
    # What a sender from before incarnations (or a browser that leaves them out) sends.
    assert RestartRequest(0).to_payload() == {"type": "media.restart", "gen": 0}
    for payload in (
        {"type": "media.restart", "gen": 3},
        {"type": "media.restart", "gen": 3, "incarnation": None, "to_incarnation": None},
    ):
        message = parse_signal(payload)
        assert message == RestartRequest(3)
        assert (message.incarnation, message.to_incarnation) == (None, None)
