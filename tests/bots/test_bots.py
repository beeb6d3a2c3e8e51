"""Simulated participants against the real server (127.0.0.1) and a real facilitator mesh."""

from __future__ import annotations

import pytest
from bot_helpers import eventually, room, run

from groupdesk.bots import (
    DEFAULT_NAMES,
    MAX_BOTS,
    BotAnswers,
    BotBehaviour,
    BotError,
    HandChanged,
    InviteLinkError,
    pick_names,
    run_bots,
)
from groupdesk.core.protocol import (
    CONSENT_ANSWER,
    EndRoom,
    Lobby,
    Question,
    QuestionText,
    Remove,
    Removed,
    RoomConsent,
    RoomEnded,
    RoomText,
)
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_state import LiveProblem

pytestmark = pytest.mark.slow

# Hands go up about twice a second per bot and come down within a second.
BUSY_HANDS = BotBehaviour(hand_raises_per_minute=120, hand_up_seconds=(0.2, 0.5), seed=7)


def test_three_bots_knock_are_admitted_and_send_and_receive_media() -> None:
    async def scenario() -> None:
        async with room() as (_server, fac):
            hands: list[HandChanged] = []
            swarm = await run_bots(fac.invite, 3, behaviour=BUSY_HANDS)
            swarm.events.subscribe(
                lambda e: hands.append(e) if isinstance(e, HandChanged) else None
            )
            try:
                assert [bot.state for bot in swarm.bots] == ["waiting"] * 3
                await eventually(lambda: fac.waiting() == 3, what="three in the lobby")
                waiting = fac.of(Lobby)[-1].waiting
                assert [w.display_name for w in waiting] == ["Ana", "Benoît", "Chloé"]
                first = waiting[0].declared
                assert first["private_place"] is True
                assert first["alone"] is True
                assert first["headphones"] is True
                assert first["location"] == "Montréal"
                assert first["phone"] == "514-555-0100"
                assert waiting[1].declared["location"] == "Québec"

                await fac.admit_all(3)
                await swarm.wait_admitted(timeout=90)
                ids = [bot.member_id for bot in swarm.bots]
                assert sorted(ids) == sorted(w.member for w in waiting)
                assert sorted(fac.joined()) == sorted(ids)

                def media_both_ways() -> bool:
                    for bot in swarm.bots:
                        assert bot.mesh is not None
                        assert bot.member_id is not None
                        peer = bot.mesh.peers.get(fac.member_id)
                        if peer is None or peer.received.video_frames < 5:
                            return False
                        if peer.received.audio_frames < 25:
                            return False
                        if fac.recorder.stamped[bot.member_id] < 5:
                            return False  # decoded test-pattern frames, stamp intact
                        if not fac.hears(bot.member_id):
                            return False
                    return True

                await eventually(media_both_ways, timeout=90, what="media between bots and fac")

                def hands_up_and_down() -> bool:
                    return all(
                        {"raise_hand", "lower_hand"} <= set(fac.app_events(member))
                        for member in ids
                    )

                await eventually(hands_up_and_down, timeout=60, what="hands raised and lowered")
                assert {e.bot.name for e in hands if e.raised} == {"Ana", "Benoît", "Chloé"}
                for member in ids:
                    # admitted, each says its microphone and camera (as the desktop does);
                    # then always raised before lowered: the first hand is a raise
                    said = fac.app_events(member)
                    assert said[0] == "media_state"
                    assert next(e for e in said if e.endswith("_hand")) == "raise_hand"
            finally:
                await swarm.stop()
            assert [bot.state for bot in swarm.bots] == ["left"] * 3
            await eventually(lambda: len(fac.left()) == 3, what="member_left for all three")
            assert set(fac.left().values()) == {"left"}

    run(scenario(), timeout=240)


def test_bots_answer_the_rooms_own_questions_by_kind_and_only_those() -> None:
    asked = (
        Question("quiet_room", QuestionText(en="I am in a quiet room."), required=True),
        Question("alone", QuestionText(en="I am alone."), required=True),
        Question("location", QuestionText(fr_ca="Où êtes-vous?"), kind="location"),
        Question("headphones", QuestionText(en="I wear headphones.")),
        Question("phone", QuestionText(en="A number to reach you."), kind="phone", required=True),
        Question("emergency_contact", QuestionText(en="Someone to call."), kind="text"),
        Question("expectations", QuestionText(en="What do you hope for?"), kind="text"),
    )
    consent = RoomConsent("2026-02", RoomText(en="Remote work: advantages and drawbacks."))

    async def scenario() -> None:
        async with room(questions=asked, consent=consent) as (_server, fac):
            answers = BotAnswers(headphones=False, phone="418-555-0142", unmet=1)
            swarm = await run_bots(
                fac.invite, 3, behaviour=BotBehaviour(fps=5, answers=answers, speak=False)
            )
            try:
                await eventually(lambda: fac.waiting() == 3, what="three in the lobby")
                first, second, third = (w.declared for w in fac.of(Lobby)[-1].waiting)
                # Every question of the room by its kind, and the consent's version; the
                # first bot leaves required items unmet (not alone, no phone number).
                assert first == {
                    "quiet_room": True,
                    "alone": False,
                    "location": "Montréal",
                    "headphones": False,
                    "emergency_contact": "Marie Gagnon, 514-555-0150",
                    "expectations": "Rien de particulier.",
                    CONSENT_ANSWER: "2026-02",
                }
                assert second == {
                    "quiet_room": True,
                    "alone": True,
                    "location": "Québec",
                    "headphones": False,
                    "phone": "418-555-0142",
                    "emergency_contact": "Luc Tremblay, 514-555-0151",
                    "expectations": "Rien de particulier.",
                    CONSENT_ANSWER: "2026-02",
                }
                assert third["alone"] is True
                assert third["location"] == "Sherbrooke"
            finally:
                await swarm.stop()

    run(scenario())


def test_in_a_room_without_questions_bots_answer_the_default_checklist() -> None:
    async def scenario() -> None:
        async with room(questions=()) as (_server, fac):
            swarm = await run_bots(fac.invite, 1, behaviour=BotBehaviour(fps=5, speak=False))
            try:
                await eventually(lambda: fac.waiting() == 1, what="one in the lobby")
                assert fac.of(Lobby)[-1].waiting[0].declared == BotAnswers().declared(0)
            finally:
                await swarm.stop()

    run(scenario())


def test_a_bad_invite_is_refused_with_its_reason() -> None:
    async def scenario() -> None:
        async with room() as (_server, fac):
            wrong = fac.invite.replace("k=", "k=Wrong")
            with pytest.raises(BotError) as caught:
                await run_bots(wrong, 2)
            assert caught.value.reason == "bad_invite"
            assert caught.value.message("en") == (
                "Ana: This invite link is not valid. Ask the facilitator for the link again."
            )
            assert caught.value.message("fr_CA").startswith("Ana : Ce lien d'invitation")
            assert fac.waiting() == 0
        with pytest.raises(InviteLinkError):
            await run_bots("https://example.org/not-an-invite", 1)

    run(scenario())


def test_a_declined_bot_ends_with_the_reason() -> None:
    async def scenario() -> None:
        from groupdesk.core.protocol import Decline

        async with room() as (_server, fac):
            swarm = await run_bots(fac.invite, 1, names=["Zoé"], behaviour=BotBehaviour(fps=5))
            await eventually(lambda: fac.waiting() == 1)
            await fac.client.send(Decline(member=fac.of(Lobby)[-1].waiting[0].member))
            with pytest.raises(BotError) as caught:
                await swarm.wait_admitted(timeout=30)
            assert caught.value.reason == "declined"
            assert (swarm.bots[0].state, swarm.bots[0].reason) == ("ended", "declined")
            await swarm.stop()

    run(scenario())


def test_names_answers_and_behaviour_are_checked() -> None:
    assert pick_names(3) == ["Ana", "Benoît", "Chloé"]
    assert pick_names(3, ["Zoé", " Ana "]) == ["Zoé", "Ana", "Benoît"]
    many = pick_names(14)
    assert many[:12] == list(DEFAULT_NAMES)
    assert many[12:] == ["Ana 2", "Benoît 2"]
    assert len(set(pick_names(MAX_BOTS))) == MAX_BOTS
    for bad_count in (0, MAX_BOTS + 1):
        with pytest.raises(ValueError, match="count"):
            pick_names(bad_count)
    with pytest.raises(ValueError, match="name"):
        pick_names(1, ["x" * 65])
    answers = BotAnswers(headphones=False, location="Chicoutimi").declared(3)
    assert answers["headphones"] is False
    assert answers["location"] == "Chicoutimi"
    assert answers["phone"] == "514-555-0103"
    with pytest.raises(ValueError, match="unmet"):
        BotAnswers(unmet=MAX_BOTS + 1)
    with pytest.raises(ValueError, match="video"):
        BotBehaviour(width=321)
    with pytest.raises(ValueError, match="fps"):
        BotBehaviour(fps=0)
    with pytest.raises(ValueError, match="hand_up_seconds"):
        BotBehaviour(hand_up_seconds=(3.0, 1.0))
    with pytest.raises(ValueError, match="talk_ratio"):
        BotBehaviour(talk_ratio=1.5)


def test_a_bot_is_out_when_the_room_core_says_so_with_the_core_s_problem() -> None:
    """Removed, or the room ended: each bot's session ends as the room's core (the
    desktop's) ends a participant's, with its problem; the reason is the server's word."""
    quiet = BotBehaviour(send_video=False, receive_video=False, hand_raises_per_minute=0)

    async def scenario() -> None:
        async with room() as (_server, fac):
            swarm = await run_bots(fac.invite, 2, behaviour=quiet)
            try:
                await eventually(lambda: fac.waiting() == 2, what="two in the lobby")
                await fac.admit_all(2)
                await swarm.wait_admitted(timeout=60)
                ana, ben = swarm.bots
                assert ana.member_id is not None
                assert ben.member_id is not None
                # the room's seats are the bot's: the facilitator and both bots
                assert set(ana.members) == {fac.member_id, ana.member_id, ben.member_id}
                assert ana.members[fac.member_id].facilitator
                assert ana.members[ana.member_id].is_self
                await fac.client.send(Remove(member=ana.member_id))
                await eventually(lambda: ana.state == "ended", what="Ana removed")
                await eventually(lambda: ana.member_id not in ben.members, what="Ana gone")
                await fac.client.send(EndRoom())
                await eventually(lambda: ben.state == "ended", what="the room ended")
                room_id = swarm.invite.room
                for bot, notice in ((ana, Removed(room=room_id)), (ben, RoomEnded(room=room_id))):
                    core = Room()
                    core.start("participant")
                    core.receive(notice)
                    assert bot.problem is not None
                    assert bot.problem is core.problem
                    assert bot.reason == notice.TYPE
                assert (ana.problem, ben.problem) == (
                    LiveProblem.REMOVED,
                    LiveProblem.ENDED_BY_FACILITATOR,
                )
                assert (ana.reason, ben.reason) == ("removed", "room_ended")
            finally:
                await swarm.stop()
            assert [bot.state for bot in swarm.bots] == ["ended"] * 2  # leaving changes nothing

    run(scenario(), timeout=120)


def test_a_bot_answers_each_kind_and_may_withhold_consent() -> None:
    where = Question("where", QuestionText(en="Where are you?"), kind="location", required=True)
    number = Question("number", QuestionText(en="Your number"), kind="phone", required=True)
    ticks = Question("alone", QuestionText(en="Alone?"), required=True)
    consent = RoomConsent("v3", RoomText(fr_ca="Avantages et inconvénients."))
    asked = (where, number, ticks)
    assert BotAnswers().answers_to(asked, 4, consent) == {
        "where": "Trois-Rivières",
        "number": "514-555-0104",
        "alone": True,
        CONSENT_ANSWER: "v3",
    }
    assert BotAnswers(consent=False).answers_to(asked, 4, consent) == {
        "where": "Trois-Rivières",
        "number": "514-555-0104",
        "alone": True,
    }
    # Not enough bots left unmet: the fifth keeps its answers; the second does not.
    assert BotAnswers(unmet=2).answers_to(asked, 4)["alone"] is True
    assert BotAnswers(unmet=2).answers_to(asked, 1) == {"where": "Québec", "alone": False}
    # A room with no questions: the default checklist, unmet too, and the consent.
    assert BotAnswers(unmet=1).answers_to((), 0, consent) == {
        "private_place": True,
        "alone": False,
        "headphones": True,
        "no_recording": True,
        "group_rules": True,
        "location": "Montréal",
        CONSENT_ANSWER: "v3",
    }
