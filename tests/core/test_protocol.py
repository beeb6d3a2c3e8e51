"""The wire format: what goes on the wire, what is refused at the edge, and with which code."""

from __future__ import annotations

import contextlib
import json
import re
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupdesk.core import protocol
from groupdesk.core.i18n import LANGUAGES, catalogue
from groupdesk.core.protocol import (
    APP_EVENTS,
    MAX_APP_DATA_CHARS,
    MAX_MESSAGE_CHARS,
    SFU_NO_VIDEO,
    Admit,
    Admitted,
    AppEvent,
    ClientApp,
    ClientChat,
    ClientSfu,
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
    LowerHand,
    MediaState,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    OpenRoom,
    ParticipantHello,
    PassTurn,
    ProtocolError,
    Question,
    QuestionText,
    RaiseHand,
    Reaction,
    Remove,
    Removed,
    RequestMute,
    Resume,
    RoomConsent,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    RoomText,
    SafetySignal,
    SafetyWording,
    ServerApp,
    ServerChat,
    ServerSfu,
    ServerSignal,
    Share,
    SharePermission,
    SideRoom,
    SyncedMember,
    SyncedRound,
    TurnCommand,
    TurnRound,
    TurnState,
    TurnSync,
    TurnTimer,
    Waiting,
    Welcome,
    app_event_wire,
    build_invite_link,
    encode,
    parse_app_event,
    parse_client_message,
    parse_invite_link,
    parse_server_message,
)

A, B = "0a1b2c3d4e5f", "ffeeddccbbaa"
ROOM = "Rm_3xYz-9Qa"
SECRET = "s3cr3t-S3CR3T_s3cr3t-S3CR3T"
INVITE = build_invite_link("https://groups.example.org", ROOM, SECRET)
QUESTIONS = (
    Question("alone", QuestionText(en="I am alone", fr_ca="Je suis seul ou seule"), required=True),
    Question("quiet_place_2", QuestionText(fr_ca="Je suis dans un endroit calme")),
    Question("phone", QuestionText(en="Your phone number"), kind="phone", required=True),
)
WORDING = SafetyWording(
    option=QuestionText(en="Switch to text only", fr_ca="Passer au texte seulement"),
    sent=QuestionText(en="Text-only mode requested."),
    withdraw=QuestionText(fr_ca="Revenir au mode normal"),
    withdrawn=QuestionText(en="Back to normal.", fr_ca="Retour au mode normal."),
)

CLIENT_MESSAGES = [
    FacilitatorHello(name="ana.t", credential="c" * 43, display_name="Ana T.", ref="1"),
    FacilitatorHello(name="ana.t", credential="c" * 43),
    ParticipantHello(room=ROOM, secret=SECRET, display_name="Zoé", declared={"alone": True}),
    Inquire(room=ROOM, secret=SECRET, ref="q"),
    OpenRoom(),
    OpenRoom(questions=QUESTIONS),
    OpenRoom(questions=()),
    OpenRoom(safety=WORDING),
    JoinRoom(room=ROOM, secret=SECRET),
    Admit(member=A),
    Decline(member=A),
    Remove(member=A),
    RequestMute(member=A, ref="m"),
    EndRoom(),
    Resume(token="t" * 43),
    ClientSignal(to=A, payload={"type": "offer", "sdp": "v=0\r\n..."}),
    ClientSfu(feed=A, kind="offer", sdp="v=0\r\n..."),
    ClientChat(text="Bonjour à tous"),
    ClientChat(text="je ne peux pas parler", to=B),
    ClientApp(event=RaiseHand()),
    ClientApp(event=TurnState(floor=A, queue=(B,))),
    ClientApp(event=MediaState(muted=True, camera_off=False), ref="ms"),
    Leave(ref="bye"),
]
SERVER_MESSAGES = [
    Welcome(role="participant"),
    Error.of(ProtocolError(ErrorCode.ROOM_FULL, "r1")),
    RoomOpened(room=ROOM, invite=INVITE, invite_expires_at=1.7e9),
    RoomInfo(room=ROOM, questions=QUESTIONS, invite_expires_at=1.7e9),
    RoomInfo(room=ROOM, questions=(), invite_expires_at=1.7e9),
    RoomInfo(room=ROOM, questions=(), invite_expires_at=1.7e9, safety=WORDING),
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
    ServerSfu(feed=B, kind="offer", sdp="v=0\r\n..."),
    ServerChat(sender=B, text="hi", private=True),
    ServerApp(sender=B, event=SafetySignal()),
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
        ('{"v": 1, "type": "app"}', "bad_message"),
        ('{"v": 1, "type": "app", "event": "raise_hand", "data": [1]}', "bad_message"),
        ('{"v": 1, "type": "app", "event": "raise_hand", "data": {"extra": 1}}', None),
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
            {
                "id": "alone",
                "text": {"en": "I am alone", "fr_CA": "Je suis seul ou seule"},
                "kind": "tick",
                "required": True,
            },
            {
                "id": "quiet_place_2",
                "text": {"fr_CA": "Je suis dans un endroit calme"},
                "kind": "tick",
                "required": False,
            },
            {
                "id": "phone",
                "text": {"en": "Your phone number"},
                "kind": "phone",
                "required": True,
            },
        ],
    }
    # an older app's questions: a tick each, none required
    older = '{"v": 1, "type": "open_room", "questions": [{"id": "a", "text": {"en": "A"}}]}'
    assert parse_client_message(older) == OpenRoom(questions=(Question("a", QuestionText("A")),))
    consent = RoomConsent("2026-01", RoomText(en="You may stop at any time."))
    wire = json.loads(encode(RoomInfo(ROOM, (), 5.0, consent=consent)))
    assert wire["consent"] == {"version": "2026-01", "text": {"en": "You may stop at any time."}}
    assert parse_server_message(json.dumps(wire)) == RoomInfo(ROOM, (), 5.0, consent=consent)
    assert json.loads(encode(OpenRoom())) == {"v": 1, "type": "open_room"}  # as older apps
    assert parse_client_message('{"v": 1, "type": "open_room"}') == OpenRoom()
    assert json.loads(encode(OpenRoom(safety=WORDING)))["safety"]["option"] == {
        "en": "Switch to text only",
        "fr_CA": "Passer au texte seulement",
    }
    info = json.loads(encode(RoomInfo(room=ROOM, questions=(), invite_expires_at=5.0)))
    assert info == {
        "v": 1,
        "type": "room_info",
        "room": ROOM,
        "questions": [],
        "invite_expires_at": 5.0,
        "media": "mesh",
        "previews": True,
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
        [_question() | {"kind": "essay"}],
        [_question() | {"kind": None}],
        [_question() | {"required": "yes"}],
        [_question(qid="remote_consent")],  # the consent's own key in the answers
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


# ------------------------------------------------------------------ app events

ONE_OF_EACH_APP_EVENT: list[AppEvent] = [
    RaiseHand(),
    LowerHand(),
    MediaState(muted=False, camera_off=True),
    Reaction(kind="thumbs_up"),
    SafetySignal(),
    PassTurn(),
    TurnState(spotlight=A, queue=(B, A), floor=B),
    TurnCommand("start_round", order="quieter_first"),
    TurnSync(
        members=(
            SyncedMember(A, "facilitator", 12.5, 0),
            SyncedMember(B, "participant", 3.0, 1, hand_age=4.0, speaking=True),
        ),
        speaker=B,
        turn_by=A,
        elapsed=30.0,
        turn_limit=120.0,
        round=SyncedRound("current", pending=(B,), done=(A,), outcomes=("passed",), by=A),
    ),
    SideRoom(members=(A, B)),
    Share(kind="document"),
    SharePermission(allowed=(B,)),
]


@pytest.mark.parametrize(
    "data",
    [
        {"action": "fly"},
        {"action": "lower_hand"},  # whose hand?
        {"action": "set_order", "order": "loudest_first"},
        {"action": "start_round", "order": "raised"},  # a queue order is no round order
        {"action": "end_turn", "seconds": 30},
        {"action": "extend", "seconds": -5},
        {"action": "give_floor", "member": "Ana"},
    ],
)
def test_a_malformed_turn_command_is_a_bad_message(data: dict[str, object]) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_app_event("turn_command", data)
    assert refused.value.code == "bad_message"


def test_a_turn_sync_that_does_not_hold_together_is_a_bad_message() -> None:
    member = {"seat": A, "role": "participant", "seconds": 1.0, "turns": 0}
    for data in (
        {"members": [member, member]},  # twice the same seat
        {"members": [member], "speaker": B, "turn_by": A, "elapsed": 1.0},  # absent speaker
        {"members": [member], "speaker": A, "elapsed": 1.0},  # who gave the floor?
        {"members": [{**member, "seconds": -1.0}]},
        {"members": [member], "round": {"order": "current", "pending": [B]}},
    ):
        with pytest.raises(ProtocolError):
            parse_app_event("turn_sync", data)


FULL_TURN_STATE = TurnState(
    spotlight=None,
    queue=(A,),
    floor=B,
    timer=TurnTimer(elapsed=100.5, limit=120.0, remaining=19.5, warning=True),
    round=TurnRound(order="quieter_first", done=1, total=3, current=B, next=A),
)


def test_every_app_event_class_is_in_the_union_and_has_its_own_wire_name() -> None:
    declared = set(typing.get_args(AppEvent))
    defined = {
        value
        for value in vars(protocol).values()
        if isinstance(value, type) and issubclass(value, protocol._AppEvent)
    } - {protocol._AppEvent}
    assert defined == declared  # an event outside the union would escape every ``match``
    assert {type(e) for e in ONE_OF_EACH_APP_EVENT} == declared
    assert {cls.EVENT for cls in declared} == APP_EVENTS
    assert len(APP_EVENTS) == len(declared)


@pytest.mark.parametrize("event", ONE_OF_EACH_APP_EVENT, ids=lambda e: e.EVENT)
def test_each_app_event_round_trips_on_the_wire_in_its_v1_form(event: AppEvent) -> None:
    name, data = app_event_wire(event)
    assert parse_app_event(name, data) == event
    sent = json.loads(encode(ClientApp(event=event)))
    assert sent == {"v": 1, "type": "app", "event": name, "data": data}
    assert parse_client_message(encode(ClientApp(event=event))) == ClientApp(event=event)
    relayed = ServerApp(sender=A, event=event)
    assert json.loads(encode(relayed))["from"] == A
    assert parse_server_message(encode(relayed)) == relayed


def test_app_event_payloads_keep_the_form_the_web_page_sends_and_reads() -> None:
    assert app_event_wire(MediaState(muted=True, camera_off=False)) == (
        "media_state",
        {"muted": True, "camera_off": False},
    )
    assert app_event_wire(SafetySignal()) == ("safety_signal", {"withdrawn": False})
    assert app_event_wire(SafetySignal(withdrawn=True)) == ("safety_signal", {"withdrawn": True})
    assert app_event_wire(TurnState(queue=(A, B))) == ("turn_state", {"queue": [A, B]})
    assert parse_app_event("safety_signal", {"note": "not kept"}) == SafetySignal()
    assert parse_app_event("safety_signal", {"withdrawn": True}) == SafetySignal(withdrawn=True)
    with pytest.raises(ProtocolError):
        parse_app_event("safety_signal", {"withdrawn": "yes"})
    with pytest.raises(ProtocolError) as refused:
        parse_app_event("raise_hand", {"x": "y" * MAX_APP_DATA_CHARS})
    assert refused.value.code == "bad_message"


def test_the_turn_state_carries_the_timer_and_the_round_and_never_a_talk_time() -> None:
    name, data = app_event_wire(FULL_TURN_STATE)
    assert (name, data) == (
        "turn_state",
        {
            "queue": [A],
            "floor": B,
            "timer": {
                "elapsed": 100.5,
                "limit": 120.0,
                "remaining": 19.5,
                "warning": True,
                "over": False,
            },
            "round": {"order": "quieter_first", "done": 1, "total": 3, "current": B, "next": A},
        },
    )
    assert parse_app_event(name, json.loads(json.dumps(data))) == FULL_TURN_STATE
    sent = encode(ServerApp(sender=A, event=FULL_TURN_STATE))
    assert parse_server_message(sent) == ServerApp(sender=A, event=FULL_TURN_STATE)
    every_key = set(re.findall(r'"([a-z_]+)":', sent))
    assert not {k for k in every_key if "talk" in k or "share" in k or "seconds" in k}
    assert "passed" not in every_key  # who passed in a round is for facilitators only


def test_an_older_turn_state_still_parses_and_a_timer_without_limit_has_no_warning() -> None:
    assert parse_app_event("turn_state", {"floor": A}) == TurnState(floor=A)
    untimed = TurnState(floor=A, timer=TurnTimer(elapsed=3))
    assert app_event_wire(untimed)[1] == {
        "floor": A,
        "timer": {"elapsed": 3, "warning": False, "over": False},
    }
    assert parse_app_event(*app_event_wire(untimed)) == untimed
    over = TurnTimer(elapsed=130.0, limit=120.0, remaining=-10.0, warning=True, over=True)
    timed_out = TurnState(floor=A, timer=over)
    assert parse_app_event(*app_event_wire(timed_out)) == timed_out
    finished = {"order": "random", "done": 2, "total": 2}
    assert parse_app_event("turn_state", {"round": finished}) == TurnState(
        round=TurnRound(order="random", done=2, total=2)
    )


def test_pass_turn_is_for_facilitators_only_and_any_member_may_send_it() -> None:
    assert app_event_wire(PassTurn()) == ("pass_turn", {})
    assert "pass_turn" in protocol.PRIVATE_APP_EVENTS
    assert "pass_turn" in protocol.APP_EVENTS_FOR_ANYONE
    assert "turn_state" in protocol.APP_EVENTS_FOR_FACILITATORS


_TIMER = {"elapsed": 10, "limit": 60, "remaining": 50}
_ROUND = {"order": "current", "done": 0, "total": 2, "current": A, "next": B}


@pytest.mark.parametrize(
    "data",
    [
        {"timer": _TIMER},  # a timer with nobody on the floor
        {"floor": A, "timer": {**_TIMER, "elapsed": -1, "remaining": 61}},
        {"floor": A, "timer": {**_TIMER, "elapsed": 1e9, "remaining": 60 - 1e9}},
        {"floor": A, "timer": {**_TIMER, "elapsed": "10"}},
        {"floor": A, "timer": {**_TIMER, "elapsed": True}},
        {"floor": A, "timer": {**_TIMER, "limit": 0, "remaining": -10}},
        {"floor": A, "timer": {**_TIMER, "remaining": 40}},  # not limit - elapsed
        {"floor": A, "timer": {"elapsed": 10, "limit": 60}},  # a limit without remaining
        {"floor": A, "timer": {"elapsed": 10, "remaining": 5}},  # remaining without a limit
        {"floor": A, "timer": {"elapsed": 10, "warning": True}},  # a warning without a limit
        {"floor": A, "timer": {**_TIMER, "over": True}},  # over without the warning
        {"floor": A, "timer": {"limit": 60, "remaining": 50}},  # no elapsed
        {"floor": A, "timer": [10, 60]},
        {"round": {**_ROUND, "order": "loudest_first"}},
        {"round": {**_ROUND, "done": 3}},  # more done than there are
        {"round": {**_ROUND, "done": -1}},
        {"round": {**_ROUND, "total": 1.5}},
        {"round": {**_ROUND, "total": 100_000}},
        {"round": {**_ROUND, "current": "nobody"}},
        {"round": {**_ROUND, "next": A}},  # next is the current one
        {"round": {**_ROUND, "current": None}},  # nobody's turn before the end
        {"round": {**_ROUND, "done": 1, "next": B}},  # someone next after the last
        {"round": {"order": "current", "done": 2, "total": 2, "current": A}},
        {"round": {"order": "current", "total": 2}},  # no done
        {"round": "current"},
        {"queue": [A] * (protocol.MAX_LIST_ITEMS + 1)},
    ],
)
def test_a_turn_state_that_does_not_fit_is_a_bad_message(data: dict[str, object]) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_app_event("turn_state", data)
    assert refused.value.code == "bad_message"
    frame = {"v": 1, "type": "app", "event": "turn_state", "data": data}
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(json.dumps(frame))
    assert refused.value.code == "bad_message"


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("media_state", {"muted": True}),
        ("media_state", {"muted": 1, "camera_off": False}),
        ("media_state", {"request_mute": A}),  # the old form of a mute request
        ("turn_state", {"floor": "nobody"}),
        ("turn_state", {"queue": [A, A]}),
        ("turn_state", {"queue": A}),
        ("reaction", {"kind": "<b>hi</b>"}),
        ("reaction", {}),
        ("raise_hand", None),
        ("turn_state", []),
    ],
)
def test_an_app_event_that_does_not_fit_is_a_bad_message(event: str, data: object) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_app_event(event, data)
    assert refused.value.code == "bad_message"
    frame = {"v": 1, "type": "app", "event": event, "data": data}
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(json.dumps(frame))
    assert refused.value.code == "bad_message"


def test_an_app_message_carries_a_typed_event_only() -> None:
    with pytest.raises(ProtocolError):
        ClientApp(event=typing.cast(AppEvent, "raise_hand"))
    with pytest.raises(ProtocolError):
        ServerApp(sender=A, event=typing.cast(AppEvent, {"muted": True}))


SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"


def test_sfu_messages_carry_a_feed_and_one_kind_of_content() -> None:
    offer = parse_client_message(
        json.dumps({"v": 1, "type": "sfu", "feed": A, "kind": "offer", "sdp": SDP})
    )
    assert offer == ClientSfu(feed=A, kind="offer", sdp=SDP)
    end = ClientSfu(feed=A, kind="candidate")  # no candidate: the end of them
    assert parse_client_message(encode(end)) == end
    cand = ClientSfu(
        feed=A,
        kind="candidate",
        candidate="candidate:1 1 udp 1 127.0.0.1 5 typ host",
        mid="0",
        mline=0,
    )
    assert parse_client_message(encode(cand)) == cand
    small = ClientSfu(feed=A, kind="layer", layer=0)
    assert parse_client_message(encode(small)) == small
    no_video = parse_client_message(  # audio only: none of that feed's video
        json.dumps({"v": 1, "type": "sfu", "feed": A, "kind": "layer", "layer": SFU_NO_VIDEO})
    )
    assert no_video == ClientSfu(feed=A, kind="layer", layer=-1)
    nothing = ClientSfu(feed=A, kind="none")  # neither camera nor microphone
    assert parse_client_message(encode(nothing)) == nothing
    said = ServerSfu(feed=A, kind="none")
    assert parse_server_message(encode(said)) == said
    answer = ServerSfu(feed=A, kind="answer", sdp=SDP)
    assert parse_server_message(encode(answer)) == answer
    failed = ServerSfu(feed=A, kind="failed", reason="media_server_unavailable")
    assert parse_server_message(encode(failed)) == failed
    for bad in (
        {"feed": A, "kind": "offer"},  # no sdp
        {"feed": A, "kind": "offer", "sdp": "hello"},  # not SDP
        {"feed": A, "kind": "offer", "sdp": SDP + "a" * 60_000},  # too long
        {"feed": A, "kind": "answer", "sdp": SDP, "candidate": "x"},
        {"feed": A, "kind": "candidate", "sdp": SDP},
        {"feed": A, "kind": "candidate", "candidate": "c", "mline": -1},
        {"feed": A, "kind": "candidate", "candidate": "c", "mline": True},
        {"feed": A, "kind": "failed"},  # a server's kind
        {"feed": A, "kind": "layer"},  # which layer?
        {"feed": A, "kind": "layer", "layer": 3},
        {"feed": A, "kind": "layer", "layer": -2},
        {"feed": A, "kind": "none", "sdp": SDP},  # nothing published, and an offer?
        {"feed": A, "kind": "none", "layer": 0},
        {"feed": A, "kind": "offer", "sdp": SDP, "layer": 0},
        {"feed": "everyone", "kind": "offer", "sdp": SDP},
    ):
        with pytest.raises(ProtocolError):
            parse_client_message(json.dumps({"v": 1, "type": "sfu", **bad}))
    with pytest.raises(ProtocolError):
        parse_server_message(
            json.dumps({"v": 1, "type": "sfu", "feed": A, "kind": "failed", "reason": "nonsense"})
        )
    with pytest.raises(ProtocolError):
        parse_server_message(json.dumps({"v": 1, "type": "sfu", "feed": A, "kind": "candidate"}))
    with pytest.raises(ProtocolError):
        parse_server_message(
            json.dumps({"v": 1, "type": "sfu", "feed": A, "kind": "none", "sdp": SDP})
        )


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("share", {"kind": "camera"}),  # not a kind of share
        ("share", {"kind": 3}),
        ("share_permission", {"allowed": ["not-an-id"]}),
        ("share_permission", {"allowed": [A, A]}),
    ],
)
def test_a_share_event_out_of_shape_is_a_bad_message(event: str, data: dict[str, object]) -> None:
    with pytest.raises(ProtocolError):
        parse_app_event(event, data)


def test_a_share_carries_its_kind_and_nothing_of_what_is_shown() -> None:
    assert app_event_wire(Share(kind="window")) == ("share", {"kind": "window"})
    assert app_event_wire(Share()) == ("share", {})
    assert parse_app_event("share", {}) == Share()
    assert SharePermission.FACILITATORS_ONLY
    assert not Share.FACILITATORS_ONLY
