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
