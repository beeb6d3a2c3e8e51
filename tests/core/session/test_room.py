"""The live room's rules, without Qt, sockets or a loop: the core of ``LiveSession``."""

from __future__ import annotations

import typing
from datetime import UTC, datetime

from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import MediaSwitchEntry, RoomClose, SafetyEntry, SeatEvent
from groupdesk.core.models import Attendance, Member
from groupdesk.core.protocol import (
    Admit,
    Admitted,
    AppEvent,
    ClientApp,
    ClientChat,
    Decline,
    EndRoom,
    Error,
    Lobby,
    LobbyEntry,
    LowerHand,
    MediaState,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    MuteRequested,
    PassTurn,
    RaiseHand,
    Reaction,
    Remove,
    Removed,
    RequestMute,
    Role,
    SafetySignal,
    ServerApp,
    ServerChat,
    ServerMedia,
    Share,
    SharePermission,
    SideRoom,
    TurnCommand,
    TurnState,
    TurnSync,
)
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import (
    Changed,
    ChatChanged,
    ForTurns,
    Ignored,
    Journal,
    Knocked,
    LeftLobby,
    LoadPrevious,
    LobbyChanged,
    MemberChanged,
    MembersChanged,
    Microphone,
    Over,
    RoomOutput,
    SafetySignalled,
    Seated,
    Send,
    SpotlightForAll,
    StayClosed,
    StayOpened,
    Unseated,
)
from groupdesk.core.session.room_lobby import attended
from groupdesk.core.session.room_state import LiveProblem, LiveStage, PeerState

ROOM = "room-0001"
ME, CO = "f00000000001", "f00000000002"
ANA, BEN, ZOE = "a00000000001", "b00000000002", "c00000000003"
WHEN = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
GROUP = [
    Member(id=1, group_id=1, display_name="Ana"),
    Member(id=2, group_id=1, display_name="Ben"),
    Member(id=3, group_id=1, display_name="Ana"),  # two of that name: the expected one wins
]


def _info(seat: str, name: str, role: Role = "participant") -> MemberInfo:
    return MemberInfo(member=seat, display_name=name, role=role)


def _admitted(me: str, role: Role, *others: MemberInfo, resumed: bool = False) -> Admitted:
    return Admitted(
        room=ROOM,
        member=me,
        role=role,
        members=(_info(me, "Me", role), *others),
        ice_servers=(),
        resume_token="t" * 16,
        grace_seconds=60.0,
        resumed=resumed,
    )


def _lobby(*people: tuple[str, str]) -> Lobby:
    return Lobby(
        room=ROOM,
        waiting=tuple(
            LobbyEntry(member=s, display_name=n, declared={}, waiting_since=0.0) for s, n in people
        ),
    )


def _app(sender: str, event: object) -> ServerApp:
    return ServerApp(sender=sender, event=event)  # type: ignore[arg-type]


def _carry(room: Room, outputs: list[RoomOutput]) -> list[RoomOutput]:
    """What an adapter does: every message goes out, and the room hears that it did."""
    done: list[RoomOutput] = []
    for out in outputs:
        done.append(out)
        if isinstance(out, Send):
            done += _carry(room, room.sent(out.message))
    return done


def _journal(outputs: list[RoomOutput]) -> list[object]:
    return [out.entry for out in outputs if isinstance(out, Journal)]


def _facilitator(clock: FakeClock | None = None) -> Room:
    """A facilitator's open room, with a co-facilitator and Ana and Ben seated (Ben a guest)."""
    room = Room(clock=clock or FakeClock(), wall=lambda: WHEN)
    room.start("facilitator")
    room.know_group(GROUP, expected=[1, 2])
    room.set_stage(LiveStage.LIVE)
    room.receive(_admitted(ME, "facilitator"))
    room.receive(_lobby((ANA, "ana"), (BEN, "Ben")))
    room.set_match(BEN, None)  # the facilitator says: not our Ben
    _carry(room, room.admit(ANA) + room.admit(BEN))
    for info in (_info(CO, "Co", "facilitator"), _info(ANA, "Ana"), _info(BEN, "Ben")):
        room.receive(MemberJoined(member=info))
    room.receive(_lobby())
    return room


def _participant() -> Room:
    """Ana's app, admitted to a room with a facilitator and Ben."""
    room = Room(clock=FakeClock(), wall=lambda: WHEN)
    room.start("participant")
    room.set_stage(LiveStage.WAITING)
    room.receive(
        _admitted(ANA, "participant", _info(ME, "Julie", "facilitator"), _info(BEN, "Ben"))
    )
    return room


# ------------------------------------------------------------------ admission


def test_a_knock_is_matched_to_the_expected_group_member_of_that_name() -> None:
    room = Room(wall=lambda: WHEN)
    room.start("facilitator")
    room.know_group(GROUP, expected=[3])
    out = room.receive(_lobby((ANA, "ANA"), (ZOE, "Zoé")))
    # Ana is taken to be member 3: her answers of an earlier session are looked up
    assert out == [LobbyChanged(), LoadPrevious(ANA, 3), Knocked(ANA), Knocked(ZOE)]
    assert [(p.seat, p.match) for p in room.lobby.waiting] == [(ANA, 3), (ZOE, None)]
    assert [p.seat for p in room.lobby.not_on_the_list()] == [ZOE]
    # The server lists them again: nobody knocks twice, and a match the facilitator set
    # stays.
    room.set_match(ZOE, 1)
    assert room.receive(_lobby((ANA, "Ana"), (ZOE, "Zoé"))) == [LobbyChanged()]
    assert [(p.seat, p.match) for p in room.lobby.waiting] == [(ANA, 3), (ZOE, 1)]


def test_admission_from_knock_to_seat_journals_ids_and_opens_the_stay() -> None:
    room = Room(wall=lambda: WHEN)
    room.start("facilitator")
    room.know_group(GROUP, expected=[1, 2])
    room.set_stage(LiveStage.LIVE)
    room.receive(_admitted(ME, "facilitator"))
    room.receive(_lobby((ANA, "Ana"), (ZOE, "Zoé")))

    out = _carry(room, room.admit(ANA) + room.decline(ZOE))
    assert [o.message for o in out if isinstance(o, Send)] == [
        Admit(member=ANA),
        Decline(member=ZOE),
    ]
    assert _journal(out) == [
        SeatEvent("lobby.admitted", ANA, 1),
        SeatEvent("lobby.declined", ZOE, None),
    ]
    assert room.admitted_count == 1

    # The server seats Ana, then sends the new lobby: she leaves the lobby once.
    joined = room.receive(MemberJoined(member=_info(ANA, "Ana")))
    assert joined == [
        LobbyChanged(),
        LeftLobby(ANA),
        Seated(ANA),
        StayOpened(ANA, 1, WHEN, ""),
        MembersChanged(),
    ]
    assert [p.seat for p in room.lobby.waiting] == [ZOE]  # not both waiting and seated
    # (the quit question counts both); the lobby that agrees says nothing more of her
    assert room.receive(_lobby()) == [LobbyChanged(), LeftLobby(ZOE)]
    assert room.seats.members[ANA].log_member_id == 1  # seated as who she was matched to
    assert room.summary(embedded=True) == RoomClose("room.closed", admitted=1, embedded=True)


def test_a_guest_is_in_the_attendance_by_name_and_in_the_journal_by_seat_only() -> None:
    room = _facilitator()
    assert StayClosed(BEN, None, "left") in room.receive(MemberLeft(member=BEN, reason="left"))
    room2 = Room(wall=lambda: WHEN)
    room2.start("facilitator")
    room2.set_stage(LiveStage.LIVE)
    room2.receive(_lobby((ZOE, "Zoé")))
    out = _carry(room2, room2.admit(ZOE)) + room2.receive(MemberJoined(member=_info(ZOE, "Zoé")))
    assert StayOpened(ZOE, None, WHEN, "Zoé") in out  # the attendance keeps a guest's name
    assert "Zoé" not in repr(_journal(out))  # the journal never does


def test_a_participant_cannot_admit_decline_remove_or_ask_anyone_to_mute() -> None:
    room = _participant()
    room.lobby.update(_lobby((ZOE, "Zoé")).waiting)
    assert room.admit(ZOE) == []
    assert room.decline(ZOE) == []
    assert room.remove(BEN) == []
    assert room.request_mute(BEN, "Please mute") == []


def test_a_facilitator_removes_others_never_themselves() -> None:
    room = _facilitator()
    assert room.remove(ME) == []
    assert room.remove(ZOE) == []  # nobody sits there
    assert room.remove(ANA) == [Send(Remove(member=ANA))]


# ------------------------------------------------------------------ controls


def test_a_participant_acting_as_a_facilitator_is_ignored() -> None:
    room = _participant()
    out = room.receive(_app(BEN, TurnState(spotlight=BEN)))
    assert out == [Ignored(BEN, "turn_state", "not_a_facilitator")]
    assert room.seats.spotlight is None
    out = room.receive(MuteRequested(sender=BEN, member=ANA))
    assert out == [Ignored(BEN, "mute_requested", "not_a_facilitator")]
    assert not room.muted
    assert not room.mute_requested


def test_a_facilitators_spotlight_and_turn_state_are_followed() -> None:
    room = _participant()
    state = TurnState(spotlight=BEN, queue=(BEN,))
    out = room.receive(_app(ME, state))
    assert out == [MembersChanged(), ForTurns(ME, state)]
    assert room.seats.spotlight == BEN
    room.receive(MemberLeft(member=BEN, reason="left"))
    assert room.seats.spotlight is None  # a spotlit member who leaves: back to the grid


def test_a_mute_request_from_a_facilitator_mutes_us_and_says_so() -> None:
    room = _participant()
    out = room.receive(MuteRequested(sender=ME, member=ANA))
    assert out == [
        Microphone(muted=True),
        MemberChanged(ANA),
        Send(ClientApp(event=MediaState(muted=True, camera_off=False))),
        Changed(),
    ]
    assert room.muted
    assert room.mute_requested
    assert room.receive(MuteRequested(sender=ME, member=ANA)) == []  # muted already
    # unmuting is ours: the screen no longer says the facilitator asked
    assert Changed() in room.set_muted(False)
    assert not room.mute_requested
    room.set_muted(True)
    assert not room.mute_requested  # muted by ourselves now


def test_request_mute_sends_the_request_a_private_line_and_journals_it() -> None:
    room = _facilitator()
    out = _carry(room, room.request_mute(ANA, "  Please mute  "))
    assert [o.message for o in out if isinstance(o, Send)] == [
        RequestMute(member=ANA),
        ClientChat(text="Please mute", to=ANA),
    ]
    assert _journal(out) == [SeatEvent("member.mute_requested", ANA, 1)]
    line = room.chat[-1]
    assert (line.sender, line.text, line.to, line.private, line.outgoing) == (
        ME,
        "Please mute",
        ANA,
        True,
        True,
    )


def test_a_safety_signal_reaches_a_facilitator_alone_and_is_journalled_by_id() -> None:
    room = _facilitator()
    out = room.receive(_app(ANA, SafetySignal()))
    assert out == [
        MemberChanged(ANA),
        SafetySignalled(ANA),
        Journal(SafetyEntry("safety.sent", ANA, 1)),
    ]
    assert room.seats.members[ANA].safety_signal
    assert [(c.seat, c.sent_at) for c in room.safety.open_calls()] == [(ANA, WHEN)]

    participant = _participant()
    out = participant.receive(_app(BEN, SafetySignal()))  # an older server relays it
    assert out == [Ignored(BEN, "safety_signal", "facilitators_only")]
    assert not participant.seats.members[BEN].safety_signal
    assert participant.safety.open_calls() == []


def test_hands_media_state_and_passes_show_and_go_on_to_the_turns() -> None:
    room = _facilitator()
    out = room.receive(_app(ANA, RaiseHand()))
    assert out == [MemberChanged(ANA), ForTurns(ANA, RaiseHand())]
    assert room.seats.members[ANA].hand_raised
    state = MediaState(muted=True, camera_off=True)
    assert room.receive(_app(BEN, state)) == [MemberChanged(BEN), ForTurns(BEN, state)]
    assert room.seats.members[BEN].muted
    assert room.seats.members[BEN].camera_off
    assert room.receive(_app(ANA, PassTurn())) == [ForTurns(ANA, PassTurn())]
    reaction = Reaction(kind="thumbs_up")
    assert room.receive(_app(ANA, reaction)) == [Ignored(ANA, "reaction", "not_shown")]


def test_our_own_hand_shows_on_our_tile_and_goes_to_the_room() -> None:
    room = _participant()
    out = room.set_hand_raised(True)
    assert out == [
        MemberChanged(ANA),
        ForTurns(ANA, RaiseHand()),
        Send(ClientApp(event=RaiseHand())),
    ]
    assert room.seats.members[ANA].hand_raised
    assert room.hand_raised


# ------------------------------------------------------------------ seats and stages


def test_seats_missing_from_a_resumed_admission_expired_while_we_were_away() -> None:
    room = _facilitator()
    out = room.receive(
        _admitted(
            ME, "facilitator", _info(CO, "Co", "facilitator"), _info(ANA, "Ana"), resumed=True
        )
    )
    assert Unseated(BEN, "expired") in out
    assert StayClosed(BEN, None, "expired") in out
    assert not any(isinstance(o, Seated) for o in out)  # those still there keep their seat
    assert set(room.seats.members) == {ME, CO, ANA}


def test_the_journal_and_attendance_count_participants_only() -> None:
    room = _facilitator()
    out = room.receive(MemberLeft(member=CO, reason="left"))
    assert out == [Unseated(CO, "left"), MembersChanged()]  # a facilitator: no stay
    participant = _participant()
    out = participant.receive(MemberLeft(member=BEN, reason="removed"))
    assert out == [Unseated(BEN, "removed"), MembersChanged()]  # a participant's app: no log


def test_a_participant_goes_from_knocking_to_live_and_out_when_removed() -> None:
    room = Room(wall=lambda: WHEN)
    assert room.start("participant") == [Changed()]
    assert room.stage is LiveStage.CONNECTING
    assert room.active
    room.set_stage(LiveStage.WAITING)
    out = room.receive(_admitted(ANA, "participant", _info(ME, "Julie", "facilitator")))
    assert Changed() in out
    assert room.stage is LiveStage.LIVE
    # Live, our media state goes to the others.
    assert Send(ClientApp(event=MediaState(muted=False, camera_off=False))) in out
    assert room.receive(Removed(room=ROOM)) == [Over()]
    assert room.problem is LiveProblem.REMOVED


def test_a_lost_connection_ends_a_participants_session_not_the_facilitators() -> None:
    facilitator = _facilitator()
    assert facilitator.connection_gone() == [Changed()]
    assert facilitator.problem is LiveProblem.CONNECTION_LOST
    assert facilitator.stage is LiveStage.LIVE  # ending records the summary
    participant = _participant()
    assert participant.connection_gone() == [Over()]
    idle = Room()
    assert idle.connection_gone() == []


def test_ending_is_said_once_and_only_the_leading_connected_facilitator_ends_the_room() -> None:
    room = _facilitator()
    assert room.ending() == [Changed()]
    assert room.stage is LiveStage.ENDING
    assert room.ending() is None
    assert room.end_room(connected=True, leads=True) == [Send(EndRoom())]
    assert room.end_room(connected=False, leads=True) == []  # a send would wait for nothing
    assert room.end_room(connected=True, leads=False) == []  # a co-facilitator leaves
    participant = _participant()
    assert participant.ending() == [Changed()]
    assert participant.end_room(connected=True, leads=True) == []
    assert Room().ending() is None  # nothing began


def test_a_room_moved_to_the_media_server_is_journaled_with_why_and_no_figure() -> None:
    room = _facilitator()
    out = room.receive(ServerMedia(media="sfu", why="uplink"))
    assert out == [Changed(), Journal(MediaSwitchEntry("media.switched", "uplink"))]
    assert room.problem is None
    assert _participant().receive(ServerMedia(media="sfu")) == [Changed()]  # no journal there


def test_a_media_server_that_cannot_take_the_room_is_said_to_the_facilitator() -> None:
    room = _facilitator()
    room.receive(ServerMedia(media="mesh", reason="media_server_unavailable"))
    assert room.problem is LiveProblem.MEDIA_SERVER_UNAVAILABLE
    participant = _participant()
    assert participant.receive(ServerMedia(media="mesh", reason="media_server_unavailable")) == []
    assert participant.problem is None


def test_a_full_room_keeps_the_person_waiting_and_says_why() -> None:
    room = _facilitator()
    out = room.receive(Error(code="room_full", key="protocol.error.room_full"))
    assert Changed() in out
    assert room.problem is LiveProblem.ROOM_FULL


def test_a_released_seat_puts_a_participant_out_at_once_not_the_facilitator() -> None:
    expired = Error(code="resume_expired", key="protocol.error.resume_expired")
    participant = _participant()
    assert participant.receive(expired) == [Over()]  # no waiting for the socket to close
    assert participant.problem is LiveProblem.CONNECTION_LOST
    waiting = Room()
    waiting.start("participant")
    waiting.set_stage(LiveStage.WAITING)  # the seat in the lobby, released too
    assert waiting.receive(expired) == [Over()]
    room = _facilitator()
    assert Over() not in room.receive(expired)  # its record goes on until the end
    assert room.problem is None


def test_a_new_session_forgets_the_last_one() -> None:
    room = _facilitator()
    room.receive(_lobby((ZOE, "Zoé")))
    room.receive(ServerChat(sender=ANA, text="Bonsoir"))
    out = room.start("participant")
    assert out == [LeftLobby(ZOE), Changed()]
    assert (room.lobby.waiting, room.seats.members, room.chat, room.admitted_count) == (
        [],
        {},
        [],
        0,
    )
    assert room.role == "participant"
    assert not room.facilitator


# ------------------------------------------------------------------ media and the clock


def test_a_picture_that_stops_moving_shows_as_frozen_then_moving_again() -> None:
    clock = FakeClock()
    room = _facilitator(clock)
    room.link(ANA, PeerState.CONNECTED)
    assert room.frame(ANA) == []
    assert room.frame(ZOE) is None  # nobody sits there: not shown
    clock.advance(2.0)
    assert room.tick() == []
    clock.advance(2.0)
    assert room.tick() == [MemberChanged(ANA)]
    assert room.seats.members[ANA].frozen(clock())
    assert room.tick() == []  # said once
    assert room.frame(ANA) == [MemberChanged(ANA)]
    assert not room.seats.members[ANA].frozen(clock())


def test_speaking_link_and_quality_show_on_the_tile() -> None:
    room = _facilitator()
    assert room.voice(ANA, True) == [MemberChanged(ANA)]
    assert room.voice(ANA, True) == []  # no change
    # a participant's link drops: the tile, and the call-back prompt (room.dropped_calls)
    assert room.link(ANA, PeerState.RECONNECTING) == [MemberChanged(ANA), Changed()]
    assert room.stats(ANA, 0.12, 0.05, 12.0) == [MemberChanged(ANA)]
    member = room.seats.members[ANA]
    assert (member.speaking, member.state, member.quality.name, member.fps) == (
        True,
        PeerState.RECONNECTING,
        "POOR",
        12.0,
    )


def test_chat_lines_arrive_and_an_empty_line_is_not_sent() -> None:
    room = _participant()
    assert room.chat_line("   ") == []
    assert room.receive(ServerChat(sender=ME, text="Bienvenue", private=True)) == [ChatChanged()]
    assert [(line.sender, line.private, line.at) for line in room.chat] == [(ME, True, WHEN)]
    long = room.chat_line("x" * 3000)
    assert long == [Send(ClientChat(text="x" * 2000))]


def test_the_attendance_counts_people_once_and_names_guests_by_their_declared_name() -> None:
    room = _facilitator()
    stays = [
        Attendance(id=1, session_id=1, member_id=1, joined_at=WHEN),
        Attendance(id=2, session_id=1, member_id=1, joined_at=WHEN),  # Ana came back
        Attendance(id=3, session_id=1, member_id=None, joined_at=WHEN, guest_name="Zoé"),
        Attendance(id=4, session_id=1, member_id=None, joined_at=WHEN, guest_name="Léa"),
        Attendance(id=5, session_id=1, member_id=9, joined_at=WHEN),  # no longer in the group
    ]
    assert attended(stays) == 4
    assert [room.lobby.stay_name(s) for s in stays] == ["Ana", "Ana", "Zoé", "Léa", "?"]


def test_every_app_event_is_shown_passed_on_or_said_to_be_ignored() -> None:
    examples = {
        RaiseHand: RaiseHand(),
        LowerHand: LowerHand(),
        MediaState: MediaState(muted=False, camera_off=False),
        Reaction: Reaction(kind="thumbs_up"),
        SafetySignal: SafetySignal(),
        PassTurn: PassTurn(),
        TurnState: TurnState(),
        TurnCommand: TurnCommand(action="end_turn"),
        TurnSync: TurnSync(members=()),
        SideRoom: SideRoom(members=(CO, ANA)),
        Share: Share(kind="screen"),
        SharePermission: SharePermission(allowed=(ANA,)),
    }
    assert set(examples) == set(typing.get_args(AppEvent))  # a new event needs a case here
    for sender in (CO, ANA):  # from a facilitator, from a participant
        for event in examples.values():
            assert _facilitator().receive(_app(sender, event)), (sender, event)


def test_a_facilitators_spotlight_goes_to_everyone_through_the_turns() -> None:
    room = _facilitator()
    assert room.set_spotlight(ANA) == [MembersChanged(), SpotlightForAll(ANA)]
    assert room.set_spotlight(ZOE) == [MembersChanged(), SpotlightForAll(None)]  # not seated
    participant = _participant()
    assert participant.set_spotlight(BEN) == [MembersChanged()]  # for themselves only
    assert participant.seats.spotlight == BEN


def test_hands_follow_the_queue_the_turns_keep() -> None:
    room = _participant()
    room.set_hand_raised(True)
    room.receive(_app(BEN, RaiseHand()))
    out = room.follow_queue((BEN,))  # Ana was given the floor: her hand went down
    assert out == [MemberChanged(ANA), Changed()]
    assert not room.hand_raised
    assert not room.seats.members[ANA].hand_raised
    assert room.seats.members[BEN].hand_raised
    assert room.follow_queue((BEN,)) == []


def test_a_seat_nobody_sat_in_only_drops_what_the_media_kept() -> None:
    room = _facilitator()
    assert room.receive(MemberLeft(member=ZOE, reason="left")) == [
        Unseated(ZOE, "left", known=False)
    ]
