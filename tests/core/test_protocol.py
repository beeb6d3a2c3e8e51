"""The wire format: what goes on the wire, what is refused at the edge, and with which code."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupdesk.core.i18n import LANGUAGES, catalogue
from groupdesk.core.protocol import (
    MAX_MESSAGE_CHARS,
    Admit,
    Admitted,
    ClientApp,
    ClientChat,
    ClientSignal,
    Decline,
    Declined,
    EndRoom,
    Error,
    ErrorCode,
    FacilitatorHello,
    IceServer,
    Inquire,
    JoinRoom,
    Leave,
    Lobby,
    LobbyEntry,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    OpenRoom,
    ParticipantHello,
    ProtocolError,
    Question,
    QuestionText,
    Remove,
    Removed,
    RequestMute,
    Resume,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    ServerApp,
    ServerChat,
    ServerSignal,
    Waiting,
    Welcome,
    build_invite_link,
    encode,
    parse_client_message,
    parse_invite_link,
    parse_server_message,
)

A, B = "0a1b2c3d4e5f", "ffeeddccbbaa"
ROOM = "Rm_3xYz-9Qa"
SECRET = "s3cr3t-S3CR3T_s3cr3t-S3CR3T"
INVITE = build_invite_link("https://groups.example.org", ROOM, SECRET)
QUESTIONS = (
    Question("alone", QuestionText(en="I am alone", fr_ca="Je suis seul ou seule")),
    Question("quiet_place_2", QuestionText(fr_ca="Je suis dans un endroit calme")),
)

CLIENT_MESSAGES = [
    FacilitatorHello(name="ana.t", credential="c" * 43, display_name="Ana T.", ref="1"),
    FacilitatorHello(name="ana.t", credential="c" * 43),
    ParticipantHello(room=ROOM, secret=SECRET, display_name="Zoé", declared={"alone": True}),
    Inquire(room=ROOM, secret=SECRET, ref="q"),
    OpenRoom(),
    OpenRoom(questions=QUESTIONS),
    OpenRoom(questions=()),
    JoinRoom(room=ROOM, secret=SECRET),
    Admit(member=A),
    Decline(member=A),
    Remove(member=A),
    RequestMute(member=A, ref="m"),
    EndRoom(),
    Resume(token="t" * 43),
    ClientSignal(to=A, payload={"type": "offer", "sdp": "v=0\r\n..."}),
    ClientChat(text="Bonjour à tous"),
    ClientChat(text="je ne peux pas parler", to=B),
    ClientApp(event="raise_hand"),
    ClientApp(event="turn_state", data={"floor": A, "queue": [B]}),
    Leave(ref="bye"),
]
SERVER_MESSAGES = [
    Welcome(role="participant"),
    Error.of(ProtocolError(ErrorCode.ROOM_FULL, "r1")),
    RoomOpened(room=ROOM, invite=INVITE, invite_expires_at=1.7e9),
    RoomInfo(room=ROOM, questions=QUESTIONS, invite_expires_at=1.7e9),
    RoomInfo(room=ROOM, questions=(), invite_expires_at=1.7e9),
    Lobby(room=ROOM, waiting=(LobbyEntry(A, "Zoé", {"location": "Gaspé"}, 12.5),)),
    Waiting(room=ROOM),
    Admitted(
        room=ROOM,
        member=A,
        role="participant",
        members=(MemberInfo(A, "Zoé", "participant"), MemberInfo(B, "Ana", "facilitator")),
        ice_servers=(
            IceServer(urls=("stun:stun.example.org",)),
            IceServer(urls=("turns:turn.example.org:443",), username="1:" + A, credential="x="),
        ),
        resume_token="r" * 43,
        grace_seconds=60,
    ),
    MemberJoined(member=MemberInfo(B, "Ana", "facilitator")),
    MemberLeft(member=B, reason="expired"),
    ServerSignal(sender=B, payload={"candidate": "a=candidate:1 1 udp ..."}),
    ServerChat(sender=B, text="hi", private=True),
    ServerApp(sender=B, event="safety_signal"),
    MuteRequested(sender=B, member=A),
    Declined(room=ROOM),
    Removed(room=ROOM),
    RoomEnded(room=ROOM),
]


@pytest.mark.parametrize("message", CLIENT_MESSAGES, ids=lambda m: type(m).__name__)
def test_client_messages_round_trip(message: Any) -> None:
    text = encode(message)
    wire = json.loads(text)
    assert wire["v"] == 1
    assert wire["type"] == message.TYPE
    assert parse_client_message(text) == message


@pytest.mark.parametrize("message", SERVER_MESSAGES, ids=lambda m: type(m).__name__)
def test_server_messages_round_trip(message: Any) -> None:
    assert parse_server_message(encode(message)) == message


def test_wire_shape_of_a_relayed_signal() -> None:
    assert json.loads(encode(ServerSignal(sender=B, payload={"sdp": "x"}))) == {
        "v": 1,
        "type": "signal",
        "from": B,
        "payload": {"sdp": "x"},
    }
    hello = json.loads(encode(CLIENT_MESSAGES[2]))
    assert hello["role"] == "participant"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "bad_json"),
        ("{", "bad_json"),
        ('{"v": 1, "type": "chat", "text": NaN}', "bad_json"),
        ("[1, 2]", "bad_message"),
        ('"hello"', "bad_message"),
        ('{"type": "leave"}', "unsupported_version"),
        ('{"v": 2, "type": "leave"}', "unsupported_version"),
        ('{"v": true, "type": "leave"}', "unsupported_version"),
        ('{"v": 1}', "bad_message"),
        ('{"v": 1, "type": "welcome", "role": "participant"}', "bad_message"),
        ('{"v": 1, "type": "hello", "role": "admin"}', "bad_message"),
        ('{"v": 1, "type": "admit"}', "bad_message"),
        ('{"v": 1, "type": "admit", "member": "ABC"}', "bad_message"),
        ('{"v": 1, "type": "admit", "member": 5}', "bad_message"),
        ('{"v": 1, "type": "signal", "to": "0a1b2c3d4e5f", "payload": "sdp"}', "bad_message"),
        ('{"v": 1, "type": "chat", "text": "   "}', "bad_message"),
        ('{"v": 1, "type": "chat", "text": "a\\u0000b"}', "bad_message"),
        ('{"v": 1, "type": "chat", "text": "hi", "to": null, "ref": 7}', "bad_message"),
        ('{"v": 1, "type": ["leave"]}', "bad_message"),
        ('{"v": 1, "type": "hello", "role": {"x": 1}}', "bad_message"),
        ('{"v": 1, "type": "chat", "text": "hi", "to": null}', None),
        ('{"v": 1, "type": "chat", "text": "lone \\ud800 surrogate"}', "bad_json"),
        ('{"v": 1, "type": "chat", "text": "caf\\u00e9 \\ud83d\\ude00"}', None),
        ('{"v": 1, "type": "app", "event": "self_destruct"}', "bad_message"),
        ('{"v": 1, "type": "leave", "extra": {"ignored": true}}', None),
    ],
)
def test_malformed_frames_are_refused_with_stable_codes(text: str, code: str | None) -> None:
    if code is None:
        parse_client_message(text)
        return
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(text)
    assert refused.value.code == code
    assert refused.value.key == f"protocol.error.{code}"


def test_size_limit_and_ref_echo() -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(" " * (MAX_MESSAGE_CHARS + 1))
    assert refused.value.code == "too_large"
    with pytest.raises(ProtocolError) as refused:
        parse_client_message('{"v": 1, "type": "admit", "member": "no", "ref": "a-7"}')
    assert refused.value.ref == "a-7"
    assert Error.of(refused.value).ref == "a-7"


@pytest.mark.parametrize(
    "hello",
    [
        {"display_name": ""},
        {"display_name": " Zoé"},
        {"display_name": "x" * 65},
        {"display_name": "line\nbreak"},
        {"declared": {"Bad Key": True}},
        {"declared": {"ok": {"nested": 1}}},
        {"declared": {"ok": "x" * 501}},
        {"declared": {f"k{i}": 1 for i in range(33)}},
        {"secret": "short"},
        {"room": "r"},
    ],
)
def test_participant_hello_is_validated(hello: dict[str, Any]) -> None:
    wire = {"v": 1, "type": "hello", "role": "participant", "room": ROOM, "secret": SECRET}
    wire |= {"display_name": "Zoé", "declared": {}} | hello
    with pytest.raises(ProtocolError):
        parse_client_message(json.dumps(wire))


def test_questions_on_the_wire() -> None:
    wire = json.loads(encode(OpenRoom(questions=QUESTIONS)))
    assert wire == {
        "v": 1,
        "type": "open_room",
        "questions": [
            {"id": "alone", "text": {"en": "I am alone", "fr_CA": "Je suis seul ou seule"}},
            {"id": "quiet_place_2", "text": {"fr_CA": "Je suis dans un endroit calme"}},
        ],
    }
    assert json.loads(encode(OpenRoom())) == {"v": 1, "type": "open_room"}  # as older apps
    assert parse_client_message('{"v": 1, "type": "open_room"}') == OpenRoom()
    info = json.loads(encode(RoomInfo(room=ROOM, questions=(), invite_expires_at=5.0)))
    assert info == {
        "v": 1,
        "type": "room_info",
        "room": ROOM,
        "questions": [],
        "invite_expires_at": 5.0,
    }


def _question(qid: Any = "alone", text: Any = None) -> dict[str, Any]:
    return {"id": qid, "text": {"en": "I am alone"} if text is None else text}


@pytest.mark.parametrize(
    "questions",
    [
        "alone",
        [_question(qid="Alone")],
        [_question(qid="")],
        [_question(qid="a" * 33)],
        [_question(qid="with-dash")],
        [_question(qid=7)],
        [_question(text={})],
        [_question(text={"en": ""})],
        [_question(text={"en": "   "})],
        [_question(text={"en": "x" * 301})],
        [_question(text={"fr_CA": "a\u0007b"})],
        [_question(text={"en": 5})],
        [_question(text="I am alone")],
        [{"id": "alone"}],
        [_question(), _question()],  # the same id twice
        [_question(qid=f"q{i}") for i in range(17)],
    ],
)
def test_the_questions_of_a_room_are_validated(questions: Any) -> None:
    wire = json.dumps({"v": 1, "type": "open_room", "questions": questions})
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(wire)
    assert refused.value.code == "bad_message"


def test_the_largest_question_list_passes() -> None:
    questions = [
        _question(qid=f"q{i:02d}_" + "x" * 28, text={"en": "é" * 300, "fr_CA": "à" * 300})
        for i in range(16)
    ]
    message = parse_client_message(
        json.dumps({"v": 1, "type": "open_room", "questions": questions})
    )
    assert isinstance(message, OpenRoom)
    assert message.questions is not None
    assert len(message.questions) == 16
    assert message.questions[0].text.fr_ca == "à" * 300


@pytest.mark.parametrize(
    "inquire",
    [{"room": "r"}, {"secret": "short"}, {"room": None}, {"secret": 12345678901234567}],
)
def test_inquire_is_validated(inquire: dict[str, Any]) -> None:
    wire = {"v": 1, "type": "inquire", "room": ROOM, "secret": SECRET} | inquire
    with pytest.raises(ProtocolError):
        parse_client_message(json.dumps(wire))
    with pytest.raises(ProtocolError):
        parse_client_message(json.dumps({"v": 1, "type": "inquire", "room": ROOM}))


def test_every_error_code_has_a_message_in_both_languages() -> None:
    texts = catalogue()
    for code in ErrorCode:
        entry = texts[f"protocol.error.{code.value}"]
        assert all(entry[lang].strip() for lang in LANGUAGES)


def test_member_ids_compare_as_strings() -> None:
    # the member with the smaller id makes the offer in the mesh
    assert min(A, B) == A
    with pytest.raises(ProtocolError):
        MemberInfo("0A1B2C3D4E5F", "Upper", "participant")


def test_invite_links_keep_the_secret_in_the_fragment() -> None:
    link = build_invite_link("http://127.0.0.1:8765/", ROOM, SECRET)
    assert link == f"http://127.0.0.1:8765/join#r={ROOM}&k={SECRET}"
    invite = parse_invite_link(link)
    assert (invite.room, invite.secret) == (ROOM, SECRET)
    assert invite.websocket_url == "ws://127.0.0.1:8765/ws"
    assert parse_invite_link(INVITE).websocket_url == "wss://groups.example.org/ws"
    for bad in (
        "https://groups.example.org/join?r=x&k=y",
        f"https://groups.example.org/other#r={ROOM}&k={SECRET}",
        f"ftp://groups.example.org/join#r={ROOM}&k={SECRET}",
        f"https://groups.example.org/join#r={ROOM}",
        "not a link",
    ):
        with pytest.raises(ValueError, match="invite"):
            parse_invite_link(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_parsing_anything_raises_only_protocol_errors(text: str) -> None:
    with contextlib.suppress(ProtocolError):
        parse_client_message(text)
    with contextlib.suppress(ProtocolError):
        parse_server_message(text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=2000).filter(lambda t: t.strip()), st.sampled_from([None, A]))
def test_chat_text_round_trips(text: str, to: str | None) -> None:
    try:
        message = ClientChat(text=text, to=to)
    except ProtocolError:
        return  # control characters are refused at construction, the same as on the wire
    assert parse_client_message(encode(message)) == message
