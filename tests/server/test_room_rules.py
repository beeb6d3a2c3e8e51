"""The group's rules travel with the room: opened with them, they reach every participant
before they agree (``room_info``) and while they wait (``waiting``)."""

from __future__ import annotations

import json

import pytest

from groupdesk.core.protocol import (
    MAX_RULES_CHARS,
    FacilitatorHello,
    Inquire,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    RoomInfo,
    RoomOpened,
    RoomText,
    Waiting,
    encode,
    parse_client_message,
    parse_invite_link,
    parse_server_message,
)
from groupdesk.server.rooms import RoomRegistry, Send

RULES = RoomText(
    en="Group rules\n\n- What is said here stays here.",
    fr_ca="Règles du groupe\n\n- Ce qui se dit ici reste ici.",
)


def _open(rules: RoomText | None) -> tuple[RoomRegistry, str, str]:
    reg = RoomRegistry(clock=lambda: 1000.0)
    f = reg.connect()
    reg.authenticate_facilitator(f, FacilitatorHello(name="ana", credential="c" * 20))
    actions = reg.handle(f, OpenRoom(rules=rules))
    opened = next(a.message for a in actions if isinstance(a.message, RoomOpened))
    invite = parse_invite_link(opened.invite)
    return reg, invite.room, invite.secret


def test_the_rules_reach_a_participant_before_they_agree_and_while_they_wait() -> None:
    reg, room, secret = _open(RULES)
    asking = reg.connect()
    [info] = [a.message for a in reg.handle(asking, Inquire(room=room, secret=secret))]
    assert isinstance(info, RoomInfo)
    assert info.rules == RULES
    # on the wire, as the page reads it: en and fr_CA, the lines kept
    assert json.loads(encode(info))["rules"] == {
        "en": "Group rules\n\n- What is said here stays here.",
        "fr_CA": "Règles du groupe\n\n- Ce qui se dit ici reste ici.",
    }
    knocking = reg.connect()
    hello = ParticipantHello(room=room, secret=secret, display_name="Bea", declared={})
    actions = reg.handle(knocking, hello)
    [waiting] = [
        a.message for a in actions if isinstance(a, Send) and isinstance(a.message, Waiting)
    ]
    assert waiting.rules == RULES


def test_a_room_without_rules_sends_none_and_older_peers_still_parse() -> None:
    reg, room, secret = _open(None)
    [info] = [a.message for a in reg.handle(reg.connect(), Inquire(room=room, secret=secret))]
    assert isinstance(info, RoomInfo)
    assert info.rules is None
    assert "rules" not in json.loads(encode(info))
    older = {"v": 1, "type": "room_info", "room": room, "questions": [], "invite_expires_at": 5}
    assert parse_server_message(json.dumps(older)) == RoomInfo(room, (), 5)
    assert parse_client_message('{"v":1,"type":"open_room"}') == OpenRoom()


def test_rules_are_checked_like_every_text_on_the_wire() -> None:
    assert RULES.text_in("fr_CA").startswith("Règles")
    assert RoomText(en="Rules").text_in("fr_CA") == "Rules"  # the one there is
    for bad in ({}, {"en": "   "}, {"en": "x" * (MAX_RULES_CHARS + 1)}, {"en": "a\x00b"}):
        with pytest.raises(ProtocolError):
            parse_client_message(json.dumps({"v": 1, "type": "open_room", "rules": bad}))
    sent = parse_client_message(encode(OpenRoom(rules=RULES)))
    assert sent == OpenRoom(rules=RULES)
