"""RoomRegistry on its own: the rules, with a hand-driven clock and no sockets."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest

from groupdesk.core.protocol import (
    Admit,
    Admitted,
    AppEvent,
    ClientApp,
    ClientSignal,
    FacilitatorHello,
    IceServer,
    Inquire,
    JoinRoom,
    Leave,
    Lobby,
    LowerHand,
    MediaState,
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
    RequestMute,
    Resume,
    RoomEnded,
    RoomInfo,
    RoomOpened,
    SafetySignal,
    ServerApp,
    ServerMessage,
    ServerSignal,
    Share,
    SharePermission,
    SideRoom,
    TurnCommand,
    TurnState,
    TurnSync,
    Waiting,
    parse_client_message,
    parse_invite_link,
)
from groupdesk.server.rooms import Action, Close, RoomRegistry, RoomRules, Send


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def sent(actions: list[Action], conn: int) -> list[ServerMessage]:
    return [a.message for a in actions if isinstance(a, Send) and a.conn == conn]


def of(actions: list[Action], conn: int, kind: type[Any]) -> Any:
    found = [m for m in sent(actions, conn) if isinstance(m, kind)]
    assert len(found) == 1, sent(actions, conn)
    return found[0]


class Room:
    """A registry with one facilitator (conn ``f``) in one open room."""

    def __init__(
        self, rules: RoomRules | None = None, questions: tuple[Question, ...] | None = None
    ) -> None:
        self.clock = Clock()
        self.reg = RoomRegistry(rules, clock=self.clock)
        self.f = self.reg.connect()
        self.reg.authenticate_facilitator(self.f, FacilitatorHello(name="ana", credential="c" * 20))
        actions = self.reg.handle(self.f, OpenRoom(questions=questions))
        self.invite = parse_invite_link(of(actions, self.f, RoomOpened).invite)
        self.fseat: Admitted = of(actions, self.f, Admitted)

    def arrive(self, name: str, **declared: Any) -> tuple[int, str, list[Action]]:
        conn = self.reg.connect()
        hello = ParticipantHello(
            room=self.invite.room, secret=self.invite.secret, display_name=name, declared=declared
        )
        actions = self.reg.handle(conn, hello)
        member = of(actions, self.f, Lobby).waiting[-1].member
        return conn, member, actions

    def seat(self, name: str) -> tuple[int, Admitted]:
        conn, member, _ = self.arrive(name)
        actions = self.reg.handle(self.f, Admit(member=member))
        return conn, of(actions, conn, Admitted)


def code(excinfo: pytest.ExceptionInfo[ProtocolError]) -> str:
    return excinfo.value.code


def test_declared_answers_go_to_facilitators_and_nowhere_else() -> None:
    room = Room()
    b, bseat = room.seat("Bea")
    c, _, actions = room.arrive("Carl", alone=False, location="Rimouski")
    assert sent(actions, b) == []  # the seated participant learns nothing of the lobby
    entry = of(actions, room.f, Lobby).waiting[0]
    assert entry.declared == {"alone": False, "location": "Rimouski"}
    assert [type(m).__name__ for m in sent(actions, c)] == ["Welcome", "Waiting"]
    assert "Rimouski" not in repr(bseat)


def test_grace_period_runs_on_the_clock() -> None:
    room = Room(RoomRules(grace_seconds=60))
    b, bseat = room.seat("Bea")
    assert room.reg.disconnect(b) == []
    assert room.reg.next_deadline() == room.clock.now + 60
    room.clock.now += 59
    assert room.reg.expire() == []
    back = room.reg.connect()
    resumed = of(room.reg.handle(back, Resume(token=bseat.resume_token)), back, Admitted)
    assert resumed.member == bseat.member
    assert room.reg.next_deadline() is None

    room.reg.disconnect(back)
    room.clock.now += 60
    late = room.reg.connect()
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(late, Resume(token=resumed.resume_token))
    assert code(refused) == "resume_expired"
    left = of(room.reg.expire(), room.f, MemberLeft)
    assert (left.member, left.reason) == (bseat.member, "expired")


def test_resume_while_the_old_connection_lingers_takes_it_over() -> None:
    room = Room()
    b, bseat = room.seat("Bea")
    fresh = room.reg.connect()
    actions = room.reg.handle(fresh, Resume(token=bseat.resume_token))
    assert Close(b) in actions
    assert room.reg.stage(b) == "closed"
    assert room.reg.disconnect(b) == []  # the old socket closing later changes nothing
    signal = room.reg.handle(room.f, ClientSignal(to=bseat.member, payload={"x": 1}))
    assert signal == [Send(fresh, ServerSignal(sender=room.fseat.member, payload={"x": 1}))]


def test_invite_expiry_and_lobby_limit() -> None:
    room = Room(RoomRules(max_lobby=1, invite_ttl_seconds=100))
    room.arrive("One")
    extra = room.reg.connect()
    hello = ParticipantHello(room=room.invite.room, secret=room.invite.secret, display_name="Two")
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(extra, hello)
    assert code(refused) == "room_full"
    room.clock.now += 100
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(room.reg.connect(), hello)
    assert code(refused) == "invite_expired"


def test_a_dropped_lobby_place_is_gone_at_once() -> None:
    room = Room()
    c, member, _ = room.arrive("Carl")
    actions = room.reg.disconnect(c)
    assert of(actions, room.f, Lobby).waiting == ()
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(room.f, Admit(member=member))
    assert code(refused) == "unknown_member"


def test_safety_signal_reaches_facilitators_only_and_hands_reach_everyone() -> None:
    room = Room()
    b, _ = room.seat("Bea")
    d, dseat = room.seat("Dan")
    safety = room.reg.handle(d, ClientApp(event=SafetySignal()))
    assert [a.conn for a in safety] == [room.f]
    passed = room.reg.handle(d, ClientApp(event=PassTurn()))  # a pass in a round is discreet
    assert [a.conn for a in passed] == [room.f]
    hand = room.reg.handle(d, ClientApp(event=RaiseHand()))
    assert sorted(a.conn for a in hand) == sorted([room.f, b])
    assert all(isinstance(a, Send) and isinstance(a.message, ServerApp) for a in hand)
    assert dseat.members[-1].member == dseat.member


def test_members_are_told_of_arrivals_and_the_room_ends_with_its_last_member() -> None:
    room = Room()
    b, _ = room.seat("Bea")
    d, member, _ = room.arrive("Dan")
    actions = room.reg.handle(room.f, Admit(member=member))
    assert of(actions, b, MemberJoined).member.display_name == "Dan"
    waiting, _, _ = room.arrive("Eve")
    for conn in (room.f, b):
        room.reg.handle(conn, Leave())
    actions = room.reg.handle(d, Leave())
    assert of(actions, waiting, RoomEnded)
    assert Close(waiting) in actions
    assert room.reg.room_count == 0


def test_seats_are_freed_in_the_order_their_members_dropped() -> None:
    room = Room(RoomRules(grace_seconds=60))
    b, bseat = room.seat("Bea")
    d, dseat = room.seat("Dan")
    room.reg.disconnect(d)
    room.clock.now += 30
    room.reg.disconnect(b)
    assert room.reg.next_deadline() == room.clock.now + 30
    room.clock.now += 30
    left = [a.message for a in room.reg.expire() if isinstance(a, Send)]
    assert left == [MemberLeft(member=dseat.member, reason="expired")]  # to Ana only
    assert room.reg.next_deadline() == room.clock.now + 30
    room.clock.now += 30
    assert of(room.reg.expire(), room.f, MemberLeft).member == bseat.member
    assert room.reg.next_deadline() is None


QUESTIONS = (
    Question("alone", QuestionText(en="Nobody else is with me", fr_ca="Personne n'est avec moi")),
    Question("quiet", QuestionText(en="I am somewhere quiet")),
)


def test_inquire_tells_the_questions_and_nothing_about_who_is_there() -> None:
    room = Room(RoomRules(invite_ttl_seconds=100), questions=QUESTIONS)
    b, bseat = room.seat("Bea")
    room.arrive("Carl", alone=True, location="Rimouski")
    asker = room.reg.connect()
    actions = room.reg.handle(asker, Inquire(room=room.invite.room, secret=room.invite.secret))
    assert actions == [
        Send(
            asker,
            RoomInfo(room=room.invite.room, questions=QUESTIONS, invite_expires_at=1_100.0),
        )
    ]
    text = repr(actions)
    for secret in ("Bea", "Carl", "Rimouski", bseat.member, room.fseat.member, "ana"):
        assert secret not in text
    # the asker is still nobody: it may ask again, then knock, and nobody else heard of it
    assert room.reg.stage(asker) == "new"
    again = room.reg.handle(asker, Inquire(room=room.invite.room, secret=room.invite.secret))
    assert [type(m).__name__ for m in sent(again, asker)] == ["RoomInfo"]
    hello = ParticipantHello(room=room.invite.room, secret=room.invite.secret, display_name="Dan")
    knocked = room.reg.handle(asker, hello)
    assert [type(m).__name__ for m in sent(knocked, asker)] == ["Welcome", "Waiting"]
    assert sent(knocked, b) == []


def test_a_room_opened_without_questions_has_none() -> None:
    room = Room()
    info = room.reg.handle(
        room.reg.connect(), Inquire(room=room.invite.room, secret=room.invite.secret)
    )
    assert isinstance(info[0].message, RoomInfo)
    assert info[0].message.questions == ()


def test_inquire_refuses_a_wrong_an_unknown_and_an_expired_invite() -> None:
    room = Room(RoomRules(invite_ttl_seconds=100), questions=QUESTIONS)
    asker = room.reg.connect()
    for inquire in (
        Inquire(room=room.invite.room, secret="x" * len(room.invite.secret)),
        Inquire(room="unknown-room", secret=room.invite.secret),
    ):
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(asker, inquire)
        assert code(refused) == "bad_invite"
    room.clock.now += 100
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(asker, Inquire(room=room.invite.room, secret=room.invite.secret))
    assert code(refused) == "invite_expired"


def test_inquire_is_only_for_someone_who_has_not_said_hello() -> None:
    room = Room(questions=QUESTIONS)
    ask = Inquire(room=room.invite.room, secret=room.invite.secret)
    waiting, _, _ = room.arrive("Carl")
    seated, _ = room.seat("Bea")
    signed_in = room.reg.connect()
    room.reg.authenticate_facilitator(signed_in, FacilitatorHello(name="gil", credential="c" * 20))
    for conn in (waiting, seated, room.f, signed_in):
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(conn, ask)
        assert code(refused) == "out_of_order"


def test_the_lobby_preview_is_the_only_thing_that_crosses_the_lobby() -> None:
    room = Room()
    b, bseat = room.seat("Bea")
    c, waiting, _ = room.arrive("Carl")
    ask = {"type": "preview.offer", "sdp": "v=0"}
    # the facilitator asks to see Carl; Carl answers the facilitator
    relayed = of(room.reg.handle(room.f, ClientSignal(to=waiting, payload=ask)), c, ServerSignal)
    assert (relayed.sender, relayed.payload) == (room.fseat.member, ask)
    answer = {"type": "preview.answer", "sdp": "v=0"}
    back = room.reg.handle(c, ClientSignal(to=room.fseat.member, payload=answer))
    assert of(back, room.f, ServerSignal).payload == answer
    assert sent(back, b) == []
    # but no media negotiation, either way, and nobody else
    for payload in ({"type": "media.offer", "gen": 0, "sdp": "v=0"}, {"type": "preview"}, {}):
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(room.f, ClientSignal(to=waiting, payload=payload))
        assert code(refused) == "not_admitted"
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(c, ClientSignal(to=room.fseat.member, payload=payload))
        assert code(refused) == "not_admitted"
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(c, ClientSignal(to=bseat.member, payload=answer))
    assert code(refused) == "unknown_member"  # a participant is not asked, and not reachable
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(b, ClientSignal(to=waiting, payload=ask))
    assert code(refused) == "unknown_member"  # nor can a participant reach the lobby
    # once admitted, the same id is a member like any other
    room.reg.handle(room.f, Admit(member=waiting))
    media = {"type": "media.offer", "gen": 0, "sdp": "v=0"}
    assert of(room.reg.handle(b, ClientSignal(to=waiting, payload=media)), c, ServerSignal)


def test_a_waiting_person_gets_stun_for_the_preview_and_turn_only_once_admitted() -> None:
    stun = IceServer(urls=("stun:stun.example.org:3478",))
    turn = IceServer(urls=("turns:turn.example.org:443",), username="9:m", credential="x=")
    reg = RoomRegistry(
        clock=Clock(), ice_servers=lambda member: (stun, turn), lobby_ice_servers=lambda: (stun,)
    )
    f = reg.connect()
    reg.authenticate_facilitator(f, FacilitatorHello(name="ana", credential="c" * 20))
    invite = parse_invite_link(of(reg.handle(f, OpenRoom()), f, RoomOpened).invite)
    c = reg.connect()
    hello = ParticipantHello(room=invite.room, secret=invite.secret, display_name="Carl")
    actions = reg.handle(c, hello)
    assert of(actions, c, Waiting).ice_servers == (stun,)
    member = of(actions, f, Lobby).waiting[0].member
    assert of(reg.handle(f, Admit(member=member)), c, Admitted).ice_servers == (stun, turn)


def test_a_participant_cannot_ask_anyone_to_mute() -> None:
    room = Room()
    _b, bseat = room.seat("Bea")
    d, dseat = room.seat("Dan")
    # neither in its own message, nor lead the turns: refused, relayed to nobody
    for control in (
        RequestMute(member=bseat.member),
        ClientApp(event=TurnState(spotlight=dseat.member)),
    ):
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(d, control)
        assert code(refused) == "control_refused"


def test_a_facilitator_asks_one_member_to_mute_and_only_they_hear_of_it() -> None:
    room = Room()
    b, bseat = room.seat("Bea")
    room.seat("Dan")
    actions = room.reg.handle(room.f, RequestMute(member=bseat.member))
    assert actions == [Send(b, MuteRequested(sender=room.fseat.member, member=bseat.member))]
    for nobody in (room.fseat.member, "0123456789ab"):
        with pytest.raises(ProtocolError) as refused:
            room.reg.handle(room.f, RequestMute(member=nobody))
        assert code(refused) == "unknown_member"
    # the old form (``request_mute`` in a ``media_state``) is no media state: bad_message
    old = {"v": 1, "type": "app", "event": "media_state", "data": {"request_mute": "0" * 12}}
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(json.dumps(old))
    assert code(refused) == "bad_message"


EVERY_APP_EVENT: list[AppEvent] = [
    RaiseHand(),
    LowerHand(),
    MediaState(muted=True, camera_off=False),
    Reaction(kind="clap"),
    SafetySignal(),
    SafetySignal(withdrawn=True),
    PassTurn(),
    TurnState(spotlight=None, queue=(), floor=None),
    TurnCommand("give_floor"),
    TurnSync(members=()),
    SideRoom(members=("a00000000001", "b00000000002")),
    Share(),  # a stop: anyone may say it
    SharePermission(allowed=("a00000000001",)),
]


def test_a_participant_shares_only_while_a_facilitator_allows_it() -> None:
    room = Room()
    b, _ = room.seat("Bea")
    d, dseat = room.seat("Dan")
    start = ClientApp(event=Share(kind="screen"))
    with pytest.raises(ProtocolError) as refused:
        room.reg.handle(d, start)  # nobody allowed Dan: it reaches nobody
    assert code(refused) == "control_refused"
    with pytest.raises(ProtocolError):  # nor may Dan allow himself
        room.reg.handle(d, ClientApp(event=SharePermission(allowed=(dseat.member,))))
    room.reg.handle(room.f, ClientApp(event=SharePermission(allowed=(dseat.member,))))
    actions = room.reg.handle(d, start)
    assert sorted(a.conn for a in actions) == sorted([room.f, b])
    room.reg.handle(room.f, ClientApp(event=SharePermission(allowed=())))  # taken back
    with pytest.raises(ProtocolError):
        room.reg.handle(d, start)
    assert len(room.reg.handle(d, ClientApp(event=Share()))) == 2  # a stop always goes
    assert len(room.reg.handle(room.f, ClientApp(event=Share(kind="document")))) == 2


def test_every_app_event_is_routed_by_its_rule() -> None:
    """Each event of the protocol: a control is refused from a participant and reaches
    everyone from a facilitator; a private one reaches facilitators only."""
    assert {type(e) for e in EVERY_APP_EVENT} == set(typing.get_args(AppEvent))
    for event in EVERY_APP_EVENT:
        room = Room()
        b, _ = room.seat("Bea")
        d, dseat = room.seat("Dan")
        co = room.reg.connect()  # a co-facilitator
        room.reg.authenticate_facilitator(co, FacilitatorHello(name="eve", credential="e" * 20))
        room.reg.handle(co, JoinRoom(room=room.invite.room, secret=room.invite.secret))
        sender, others = (room.f, [b, d, co]) if event.FACILITATORS_ONLY else (d, [room.f, b, co])
        if event.FACILITATORS_ONLY:
            with pytest.raises(ProtocolError) as refused:
                room.reg.handle(d, ClientApp(event=event))
            assert code(refused) == "control_refused"
        actions = room.reg.handle(sender, ClientApp(event=event))
        expected = [c for c in (room.f, co) if c != sender] if event.TO_FACILITATORS else others
        assert sorted(a.conn for a in actions) == sorted(expected), event
        by = room.fseat.member if event.FACILITATORS_ONLY else dseat.member
        assert {a.message for a in actions} == {ServerApp(sender=by, event=event)}
