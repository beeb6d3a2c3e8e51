"""The crisis panel's rules, without Qt, sockets or a loop: the member's contact and the
lines of their region first, the protocol's steps ticked with their time, a dropped call
put first, silence and freeze alerted once at the policy's thresholds, the incident
record; and the dropped-call prompt of the technical-problem plan for any member."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from turns_helpers import FakeClock

from groupdesk.core.journal_kinds import CrisisEntry, entry_row
from groupdesk.core.models import IncidentStep
from groupdesk.core.policy_values import CrisisResource, CrisisStep, Policy, load_policy
from groupdesk.core.protocol import (
    Admitted,
    Lobby,
    LobbyEntry,
    MemberInfo,
    MemberJoined,
    MemberLeft,
    Question,
    QuestionText,
)
from groupdesk.core.session.crisis import (
    Crisis,
    CrisisAlert,
    CrisisAlertCleared,
    CrisisChanged,
    CrisisClosedError,
    CrisisOutput,
    CrisisSettings,
    KeepIncident,
)
from groupdesk.core.session.crisis_desk import CrisisDesk
from groupdesk.core.session.crisis_lines import Contact, region_of, resources_for
from groupdesk.core.session.crisis_note import incident_note
from groupdesk.core.session.room import Room
from groupdesk.core.session.room_events import Changed, Journal, Send
from groupdesk.core.session.room_state import DroppedCall, LiveMember, LiveStage, PeerState

SEAT = "a00000000001"
OPENED = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)
ANSWERS: dict[str, object] = {
    "private_place": True,
    "location": "12 rue des Érables, Rimouski",
    "phone": "418 555-0142",
    "emergency_contact": "Marc (frère), 418 555-0100",
}


@pytest.fixture
def policy() -> Policy:
    return load_policy()  # the built-in defaults (conftest: an empty policy root)


def _ana(**changes: Any) -> LiveMember:
    member = LiveMember(SEAT, "Ana", "participant", log_member_id=7, answers=dict(ANSWERS))
    for name, value in changes.items():
        setattr(member, name, value)
    return member


def _open(policy: Policy, member: LiveMember | None = None) -> Crisis:
    crisis, out = Crisis.open(member or _ana(), at=OPENED, policy=policy, language="fr")
    assert out == [Journal(CrisisEntry("crisis.opened", SEAT, 7)), CrisisChanged(SEAT)]
    return crisis


def _entries(outputs: list[CrisisOutput]) -> list[CrisisEntry]:
    return [o.entry for o in outputs if isinstance(o, Journal) and isinstance(o.entry, CrisisEntry)]


def _alerts(outputs: list[CrisisOutput]) -> list[CrisisAlert | CrisisAlertCleared]:
    return [o for o in outputs if isinstance(o, CrisisAlert | CrisisAlertCleared)]


# ------------------------------------------------------------------ who, where, which lines


def test_the_panel_shows_at_once_what_the_member_declared(policy: Policy) -> None:
    view = _open(policy).view()
    assert view.contact == Contact(
        location="12 rue des Érables, Rimouski",
        region="CA-QC",
        phone="418 555-0142",
        emergency_contact="Marc (frère), 418 555-0100",
    )
    assert [s.step.id for s in view.steps] == [s.id for s in policy.crisis_protocol]
    assert not view.dropped
    assert view.call_first is None


def test_the_answers_are_found_by_the_kind_of_the_room_s_questions() -> None:
    asked = (
        Question("ou", QuestionText("Où?"), kind="location"),
        Question("tel", QuestionText("Tél."), kind="phone"),
    )
    contact = Contact.of({"ou": "Toronto", "tel": "416 555-0199", "phone": "x"}, asked)
    assert (contact.location, contact.region, contact.phone) == ("Toronto", "CA-ON", "416 555-0199")
    assert Contact.of({}) == Contact()  # nothing declared: nothing made up


@pytest.mark.parametrize(
    ("location", "region"),
    [
        ("Montréal", "CA-QC"),
        ("Trois-Rivières (Mauricie)", "CA-QC"),
        ("Gatineau, QC", "CA-QC"),
        ("123 Main St, Moncton NB", "CA-NB"),
        ("chez moi, Colombie-Britannique", "CA-BC"),
        ("I am on the bus", None),  # "on" is a word, not Ontario
        ("", None),
        (None, None),
    ],
)
def test_the_region_of_a_declared_location(location: str | None, region: str | None) -> None:
    assert region_of(location) == region


def _line(ident: str, region: str, *languages: str) -> CrisisResource:
    return CrisisResource(ident, {"en": ident}, region, languages, phone="555-0100")


def test_the_lines_of_the_person_s_region_and_language_come_first() -> None:
    directory = [
        _line("national_en", "CA", "en"),
        _line("ontario", "CA-ON", "en", "fr_CA"),
        _line("national", "CA", "en", "fr_CA"),
        _line("quebec_en", "CA-QC", "en"),
        _line("quebec", "CA-QC", "fr_CA"),
    ]
    ids = [r.id for r in resources_for(directory, "CA-QC", "fr_CA")]
    assert ids == ["quebec", "national", "quebec_en", "national_en", "ontario"]
    # unknown region: the national lines first, in the person's language first
    ids = [r.id for r in resources_for(directory, None, "fr")]
    assert ids == ["national", "ontario", "quebec", "national_en", "quebec_en"]


def test_the_default_directory_for_someone_in_quebec(policy: Policy) -> None:
    phones = [r.phone for r in _open(policy).view().resources]
    assert phones[:3] == ["811", "1 866 277-3553", "1 800 363-9010"]  # Québec's lines
    assert set(phones[3:]) == {"911", "988", "211", "1 800 668-6868"}  # then national ones


# ------------------------------------------------------------------ the protocol


def test_each_step_is_ticked_with_its_time_and_can_be_unticked(policy: Policy) -> None:
    crisis = _open(policy)
    at = OPENED + timedelta(minutes=2)
    out = crisis.tick_step("assess_risk", at)
    assert _entries(out) == [CrisisEntry("crisis.step_done", SEAT, 7, step="assess_risk")]
    assert crisis.tick_step("assess_risk", at + timedelta(minutes=1)) == []  # already ticked
    assert {s.step.id: s.done_at for s in crisis.view().steps}["assess_risk"] == at

    out = crisis.tick_step("assess_risk", at, done=False)  # a tick by mistake
    assert _entries(out) == [CrisisEntry("crisis.step_undone", SEAT, 7, step="assess_risk")]
    assert {s.step.id: s.done_at for s in crisis.view().steps}["assess_risk"] is None
    with pytest.raises(ValueError, match="not a step"):
        crisis.tick_step("pray", at)


def test_observations_never_reach_the_journal(policy: Policy) -> None:
    crisis = _open(policy)
    out = crisis.observe("Idées suicidaires, pas de plan", step="assess_risk")
    out += crisis.observe("Pleure, parle lentement")
    out += crisis.tick_step("assess_risk", OPENED)
    assert out[:2] == [CrisisChanged(SEAT), CrisisChanged(SEAT)]
    for entry in _entries(out):
        assert "Idées" not in str(entry_row(entry))
        assert "Pleure" not in str(entry_row(entry))
    view = crisis.view()
    assert view.observation == "Pleure, parle lentement"
    assert {s.step.id: s.observation for s in view.steps}["assess_risk"].startswith("Idées")


def test_resources_used_and_referral_come_from_the_directory(policy: Policy) -> None:
    crisis = _open(policy)
    crisis.use_resources(["emergency_911", "emergency_911"])
    crisis.refer(["suicide_prevention_qc", "info_social_811"])
    crisis.set_outcome("referred")
    view = crisis.view()
    assert view.resources_used == ("emergency_911",)
    assert view.referral == ("suicide_prevention_qc", "info_social_811")
    assert view.outcome == "referred"
    with pytest.raises(ValueError, match="not in the crisis directory"):
        crisis.refer(["made_up_line"])
    with pytest.raises(ValueError, match="unknown crisis outcome"):
        crisis.set_outcome("fine")  # type: ignore[arg-type]


# ------------------------------------------------------------------ a dropped call


def test_a_drop_is_said_at_once_with_the_phone_and_the_call_back_step_first(
    policy: Policy,
) -> None:
    crisis = _open(policy)
    dropped_at = OPENED + timedelta(minutes=3)
    out = crisis.member_dropped(dropped_at)
    assert _alerts(out) == [CrisisAlert(SEAT, "dropped", 0.0, sound=False)]
    assert _entries(out) == [CrisisEntry("crisis.dropped", SEAT, 7)]
    view = crisis.view()
    assert (view.dropped, view.dropped_at, view.call_first) == (True, dropped_at, "418 555-0142")
    assert view.steps[0].step.id == "call_back"
    assert view.steps[0].step.text_in("en").startswith("Call them back on their phone")
    assert [s.step.id for s in view.steps[1:]] == [
        s.id for s in policy.crisis_protocol if s.id != "call_back"
    ]
    assert crisis.member_dropped(dropped_at) == []  # once per drop

    out = crisis.member_back(dropped_at + timedelta(seconds=45))
    assert _alerts(out) == [CrisisAlertCleared(SEAT, "dropped")]
    assert _entries(out) == [CrisisEntry("crisis.back", SEAT, 7, seconds=45.0)]
    assert crisis.view().steps[0].step.id == "keep_safe"  # back in the protocol's order
    assert crisis.drops == 1


# ------------------------------------------------------------------ silence and freeze


def _watching(policy: Policy, **settings: Any) -> tuple[Crisis, FakeClock]:
    crisis = _open(policy)
    crisis.settings = CrisisSettings(**settings)
    clock = FakeClock()
    return crisis, clock


def test_silence_is_alerted_once_at_the_threshold_and_clears_when_heard(policy: Policy) -> None:
    crisis, clock = _watching(policy, silence_seconds=20, freeze_seconds=10, sound=True)
    member = _ana(last_voice_at=clock.now - 5)  # heard before the panel opened
    assert crisis.watch(member, clock.now) == []
    clock.advance(19.5)
    assert crisis.watch(member, clock.now) == []  # not yet: 19.5 s
    clock.advance(0.5)
    out = crisis.watch(member, clock.now)
    assert _alerts(out) == [CrisisAlert(SEAT, "silence", 20.0, sound=True)]
    assert _entries(out) == [CrisisEntry("crisis.silence", SEAT, 7, seconds=20.0)]
    clock.advance(30)
    assert crisis.watch(member, clock.now) == []  # once per silence
    assert [a.kind for a in crisis.view().alerts] == ["silence"]

    member.speaking, member.last_voice_at = True, clock.now
    assert _alerts(crisis.watch(member, clock.now)) == [CrisisAlertCleared(SEAT, "silence")]
    member.speaking = False
    clock.advance(20)  # silent again, a new episode: alerted again
    assert _alerts(crisis.watch(member, clock.now)) == [
        CrisisAlert(SEAT, "silence", 20.0, sound=True)
    ]


def test_a_frozen_picture_is_alerted_at_the_threshold_not_a_camera_turned_off(
    policy: Policy,
) -> None:
    crisis, clock = _watching(policy, silence_seconds=600, freeze_seconds=10)
    member = _ana(last_frame_at=clock.now)
    crisis.watch(member, clock.now)
    clock.advance(9.9)
    assert crisis.watch(member, clock.now) == []
    clock.advance(0.1)
    out = crisis.watch(member, clock.now)
    assert _alerts(out) == [CrisisAlert(SEAT, "freeze", 10.0, sound=False)]
    member.last_frame_at = clock.now  # pictures again
    assert _alerts(crisis.watch(member, clock.now)) == [CrisisAlertCleared(SEAT, "freeze")]

    clock.advance(60)
    member.camera_off = True  # they turned it off: not a frozen picture
    assert crisis.watch(member, clock.now) == []
    audio_only = _ana()  # never sent a picture
    assert crisis.watch(audio_only, clock.now + 60) == []


def test_no_silence_or_freeze_alert_while_dropped_and_watched_afresh_once_back(
    policy: Policy,
) -> None:
    crisis, clock = _watching(policy, silence_seconds=20, freeze_seconds=10)
    member = _ana(last_frame_at=clock.now, last_voice_at=clock.now)
    crisis.watch(member, clock.now)
    clock.advance(15)
    out = crisis.watch(member, clock.now)
    assert [a.kind for a in _alerts(out)] == ["freeze"]
    out = crisis.member_dropped(OPENED)  # the freeze was the drop: one alert, the drop
    assert _alerts(out) == [
        CrisisAlertCleared(SEAT, "freeze"),
        CrisisAlert(SEAT, "dropped", 0.0, sound=False),
    ]
    clock.advance(120)
    assert crisis.watch(member, clock.now) == []
    crisis.member_back(OPENED + timedelta(minutes=2))
    assert crisis.watch(member, clock.now) == []  # watched from now on, not from before
    clock.advance(10)
    assert [a.kind for a in _alerts(crisis.watch(member, clock.now))] == ["freeze"]
    clock.advance(10)
    assert [a.kind for a in _alerts(crisis.watch(member, clock.now))] == ["silence"]


def test_the_policy_s_thresholds_are_the_alerts_thresholds() -> None:
    policy = load_policy()
    settings = CrisisSettings.of(policy)
    assert (settings.silence_seconds, settings.freeze_seconds, settings.sound) == (20, 10, False)
    with pytest.raises(ValueError, match="positive"):
        CrisisSettings(silence_seconds=0)


# ------------------------------------------------------------------ the record


def test_closing_keeps_the_incident_with_each_step_and_its_time(policy: Policy) -> None:
    crisis = _open(policy)
    crisis.tick_step("keep_safe", OPENED + timedelta(seconds=30))
    crisis.tick_step("confirm_location", OPENED + timedelta(minutes=4))
    crisis.observe("Toujours au 12 rue des Érables", step="confirm_location")
    crisis.observe("Calme à la fin")
    crisis.member_dropped(OPENED + timedelta(minutes=5))
    crisis.member_back(OPENED + timedelta(minutes=6))
    crisis.use_resources(["info_social_811"])
    crisis.refer(["info_social_811"])
    crisis.set_outcome("safe")
    crisis.member_dropped(OPENED + timedelta(minutes=8))  # an alert still on at closing
    closed_at = OPENED + timedelta(minutes=12)

    out = crisis.close(closed_at)
    assert _alerts(out) == [CrisisAlertCleared(SEAT, "dropped")]
    assert _entries(out) == [CrisisEntry("crisis.closed", SEAT, 7, seconds=720.0)]
    (kept,) = [o.incident for o in out if isinstance(o, KeepIncident)]
    assert (kept.seat, kept.member, kept.guest_name) == (SEAT, 7, "")
    assert (kept.opened_at, kept.closed_at) == (OPENED, closed_at)
    steps = {s.step: s for s in kept.steps}
    assert list(steps) == [s.id for s in policy.crisis_protocol]  # every step, done or not
    assert steps["keep_safe"].done_at == OPENED + timedelta(seconds=30)
    assert steps["confirm_location"] == IncidentStep(
        "confirm_location",
        steps["confirm_location"].text,
        OPENED + timedelta(minutes=4),
        "Toujours au 12 rue des Érables",
    )
    assert "Confirmer où la personne" in steps["confirm_location"].text  # as it was shown
    assert steps["document"].done_at is None
    assert (kept.observation, kept.outcome, kept.drops) == ("Calme à la fin", "safe", 2)
    assert (kept.resources_used, kept.referral) == (("info_social_811",), ("info_social_811",))

    with pytest.raises(CrisisClosedError):
        crisis.tick_step("document", closed_at)
    with pytest.raises(CrisisClosedError):
        crisis.close(closed_at)
    assert crisis.member_dropped(closed_at) == []  # the room goes on; the panel is closed
    assert crisis.tick(0.0, last_voice=None, last_frame=None) == []


def test_a_guest_s_crisis_keeps_the_name_they_declared(policy: Policy) -> None:
    guest = LiveMember("c00000000003", "Zoé", "participant", answers={"phone": "819 555-0111"})
    crisis, out = Crisis.open(guest, at=OPENED, policy=policy, language="en")
    assert _entries(out) == [CrisisEntry("crisis.opened", "c00000000003", None)]
    assert crisis.incident(OPENED).guest_name == "Zoé"
    assert crisis.view().resources[0].region == "CA"  # no location: the national lines first


def test_an_organisation_s_protocol_replaces_the_default() -> None:
    steps = (
        CrisisStep("appeler_911", {"fr_CA": "Appeler le 911"}),
        CrisisStep("rappeler", {"fr_CA": "Rappeler", "en": "Call back"}, when_dropped=True),
    )
    policy = dataclasses.replace(load_policy(), crisis_protocol=steps)
    crisis, _ = Crisis.open(_ana(), at=OPENED, policy=policy, language="fr")
    crisis.member_dropped(OPENED)
    assert [s.step.id for s in crisis.view().steps] == ["rappeler", "appeler_911"]


# ------------------------------------------------------------------ any member drops

ME, ANA, BEN = "f00000000001", "a00000000001", "b00000000002"
QUESTIONS = (
    Question("location", QuestionText("Where?"), kind="location"),
    Question("tel", QuestionText("Phone"), kind="phone"),
)


def _room_with_ana(clock: FakeClock | None = None) -> Room:
    room = Room(clock=clock or FakeClock(), wall=lambda: OPENED)
    room.start("facilitator")
    room.know_questions(QUESTIONS)
    room.set_stage(LiveStage.LIVE)
    me = MemberInfo(ME, "Julie", "facilitator")
    room.receive(
        Admitted(
            room="room-0001",
            member=ME,
            role="facilitator",
            members=(me,),
            ice_servers=(),
            resume_token="t" * 16,
            grace_seconds=60.0,
        )
    )
    entry = LobbyEntry(ANA, "Ana", {"location": "Rimouski", "tel": "418 555-0142"}, 0.0)
    room.receive(Lobby(room="room-0001", waiting=(entry,)))
    for out in room.admit(ANA):
        assert isinstance(out, Send)
        room.sent(out.message)
    room.receive(MemberJoined(member=MemberInfo(ANA, "Ana", "participant")))
    room.link(ANA, PeerState.CONNECTED)
    return room


def test_any_member_who_drops_puts_up_their_phone_to_call_or_the_chat_to_suggest() -> None:
    room = _room_with_ana()
    assert room.dropped_calls == {}
    out = room.link(ANA, PeerState.RECONNECTING)
    assert Changed() in out
    assert room.dropped_calls == {ANA: DroppedCall(ANA, None, "Ana", "418 555-0142", OPENED)}
    assert Changed() not in room.link(ANA, PeerState.CLOSED)  # the same drop
    room.link(ANA, PeerState.CONNECTED)
    assert room.dropped_calls == {}  # back: nobody to call

    room.link(ANA, PeerState.RECONNECTING)
    out = room.receive(MemberLeft(member=ANA, reason="expired"))  # not back in time
    assert Changed() not in out
    assert ANA in room.dropped_calls
    assert room.dropped_call_done(ANA) == [Changed()]
    assert room.dropped_calls == {}


def test_no_call_back_prompt_for_someone_who_left_or_for_a_participant_s_app() -> None:
    room = _room_with_ana()
    room.link(ANA, PeerState.RECONNECTING)
    room.receive(MemberLeft(member=ANA, reason="left"))
    assert room.dropped_calls == {}
    room.link(ANA, PeerState.CLOSED)  # nobody sits there any more
    assert room.dropped_calls == {}

    expired = _room_with_ana()
    expired.receive(MemberLeft(member=ANA, reason="expired"))  # the media never said
    assert expired.dropped_calls[ANA].phone == "418 555-0142"

    participant = Room(clock=FakeClock(), wall=lambda: OPENED)
    participant.start("participant")
    participant.set_stage(LiveStage.LIVE)
    participant.receive(
        Admitted(
            room="room-0001",
            member=BEN,
            role="participant",
            members=(MemberInfo(ANA, "Ana", "participant"), MemberInfo(BEN, "Ben", "participant")),
            ice_servers=(),
            resume_token="t" * 16,
            grace_seconds=60.0,
        )
    )
    participant.link(ANA, PeerState.CONNECTED)
    participant.link(ANA, PeerState.RECONNECTING)
    assert participant.dropped_calls == {}  # a facilitator's plan only


def test_the_room_keeps_when_a_member_was_last_heard() -> None:
    clock = FakeClock()
    room = _room_with_ana(clock)
    clock.advance(5)
    room.voice(ANA, True)
    clock.advance(3)
    room.voice(ANA, False)
    assert room.seats.members[ANA].last_voice_at == clock.now


# ------------------------------------------------------------------ the desk: one room's panels


def test_the_desk_says_a_drop_at_once_and_follows_the_member_to_a_new_seat(
    policy: Policy,
) -> None:
    desk = CrisisDesk(policy)
    ana = _ana(state=PeerState.CONNECTED)
    out = desk.open(ana, at=OPENED, language="fr")
    assert _entries(out) == [CrisisEntry("crisis.opened", SEAT, 7)]
    assert desk.open(ana, at=OPENED, language="fr") == [CrisisChanged(SEAT)]  # shown again
    assert desk.link("b00000000002", PeerState.CLOSED, OPENED) == []  # nobody's panel

    dropped = OPENED + timedelta(minutes=1)
    out = desk.link(SEAT, PeerState.RECONNECTING, dropped)  # the media's word: at once
    assert _alerts(out) == [CrisisAlert(SEAT, "dropped", 0.0, sound=False)]
    assert desk.unseated(SEAT, "expired", dropped + timedelta(minutes=1)) == []  # the same drop
    crisis = desk.crisis(SEAT)
    assert crisis is not None
    assert crisis.view().call_first == "418 555-0142"

    again = _ana(seat="d00000000004", state=PeerState.CONNECTING)  # admitted again, new seat
    out = desk.seated(again, dropped + timedelta(minutes=3))
    assert _alerts(out) == [CrisisAlertCleared(SEAT, "dropped")]
    assert _entries(out) == [CrisisEntry("crisis.back", SEAT, 7, seconds=180.0)]
    assert desk.crisis(SEAT) is None
    assert desk.crisis("d00000000004") is crisis
    assert crisis.seat == "d00000000004"

    clock = FakeClock()
    assert desk.tick({"d00000000004": again}, clock.now) == []
    clock.advance(policy.crisis_silence_seconds)
    # across a side room (with another facilitator) nothing is heard: no alert for that
    assert desk.tick({"d00000000004": again}, clock.now, apart={"d00000000004"}) == []
    out = desk.tick({"d00000000004": again}, clock.now)
    assert _alerts(out) == [CrisisAlert("d00000000004", "silence", 20.0, sound=False)]

    out = desk.close_all(dropped + timedelta(minutes=10))
    (kept,) = [o.incident for o in out if isinstance(o, KeepIncident)]
    assert (kept.seat, kept.member, kept.drops) == ("d00000000004", 7, 1)
    assert desk.crises == {}
    assert desk.close("d00000000004", OPENED) == []


def test_a_panel_opened_for_someone_already_dropped_says_so(policy: Policy) -> None:
    desk = CrisisDesk(policy)
    out = desk.open(_ana(state=PeerState.RECONNECTING), at=OPENED, language="en")
    assert [a.kind for a in _alerts(out)] == ["dropped"]
    with pytest.raises(ValueError, match="another member"):
        desk.open(
            LiveMember("f00000000001", "Julie", "facilitator", is_self=True),
            at=OPENED,
            language="fr",
        )


# ------------------------------------------------------------------ the session's note


def test_the_incident_is_worded_for_the_session_s_notes_in_both_languages(
    policy: Policy,
) -> None:
    crisis = _open(policy)
    crisis.tick_step("confirm_location", OPENED + timedelta(minutes=4))
    crisis.observe("Toujours à Rimouski", step="confirm_location")
    crisis.observe("Calme à la fin")
    crisis.member_dropped(OPENED + timedelta(minutes=5))
    crisis.use_resources(["info_social_811"])
    crisis.refer(["suicide_prevention_qc"])
    crisis.set_outcome("referred")
    crisis.close(OPENED + timedelta(minutes=15))
    incident = crisis.incident()
    words = {"protocol": policy.crisis_protocol, "directory": policy.crisis_resources, "tz": UTC}

    french = incident_note(incident, "fr_CA", name="Ana", **words).splitlines()
    assert french[:2] == ["Incident de crise : Ana", "Ouvert à 19:30, fermé à 19:45 (15 min)"]
    assert (
        "- [19:34] Confirmer où la personne se trouve en ce moment (l'adresse),"
        " même si elle l'a donnée au début."
    ) in french
    assert "  Observé : Toujours à Rimouski" in french
    assert "- [non fait] Documenter" in "\n".join(french)
    assert "Observations : Calme à la fin" in french
    assert "Issue : orientée vers une ressource" in french
    assert "Ressources utilisées : Info-Social (811)" in french
    assert "Orientation vers : 1 866 APPELLE, prévention du suicide (1 866 277-3553)" in french
    assert "Connexion perdue pendant la crise : 1 fois" in french

    english = incident_note(incident, "en", name="Ana", **words)
    assert english.startswith("Crisis incident: Ana\nOpened at 19:30, closed at 19:45 (15 min)")
    assert "- [not done] Document" in english
    assert "Outcome: referred to a resource" in english
    # without the policy (changed since): the words the incident kept, the ids of the lines
    bare = incident_note(dataclasses.replace(incident, outcome=None), "en", tz=UTC)
    assert bare.startswith(f"Crisis incident: member {SEAT}")
    assert "Confirmer où la personne" in bare
    assert "Referred to: suicide_prevention_qc" in bare
    assert "Outcome: not said" in bare
