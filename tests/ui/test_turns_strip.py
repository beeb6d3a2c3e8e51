"""The desktop participant's turns strip, fed what a member's app gets off the wire:
the facilitator's turn state (``to_wire``), received (``from_wire``) and counted on."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from turn_helpers import ANA, BEN, CLO, FAC, NAMES, FakeClock, make_room

from groupdesk.core.protocol import ServerApp, TurnState, encode, parse_server_message
from groupdesk.core.session.turn_events import GiveFloor, RaiseHand, StartRound
from groupdesk.core.session.turn_wire import SeenTurns, from_wire, to_wire
from groupdesk.core.session.turns import TurnManager
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.turn_texts import OVER_STYLE, WARNING_STYLE
from groupdesk.ui.turns_strip import TurnsStrip


class Member:
    """A participant's strip, shown what the facilitator's manager broadcasts."""

    def __init__(self, qtbot: Any, seat: str) -> None:
        self.seat = seat
        self.clock = FakeClock()
        self.room: TurnManager = make_room(self.clock)
        self.strip = TurnsStrip()
        qtbot.addWidget(self.strip)
        self.hands: list[bool] = []
        self.passes = 0
        self.strip.hand_toggled.connect(self.hands.append)
        self.strip.pass_requested.connect(self._passed)
        self.received = from_wire(self._over_the_wire(), self.clock())

    def _passed(self) -> None:
        self.passes += 1

    def _over_the_wire(self) -> TurnState:
        """The state as this member's app gets it: encoded, relayed by the server, parsed."""
        sent = ServerApp(sender=FAC, event=to_wire(self.room.participant_view(FAC)))
        message = parse_server_message(encode(sent))
        assert isinstance(message, ServerApp)
        assert isinstance(message.event, TurnState)
        return message.event

    def broadcast(self) -> None:
        """The facilitator's app sends its state; this member's app receives it now."""
        self.received = from_wire(self._over_the_wire(), self.clock())

    def show(self, later: float = 0.0) -> SeenTurns:
        """Show the last state received, ``later`` seconds after it came."""
        seen = self.received.view_for(self.seat, self.clock() + later)
        self.strip.show_view(seen, NAMES, self.seat)
        return seen


@pytest.fixture
def ana(qtbot: Any) -> Member:
    return Member(qtbot, ANA)


def test_my_place_in_line_and_my_hand(ana: Member, qtbot: Any) -> None:
    strip = ana.strip
    ana.show()
    assert strip.place_label.text() == "Nobody is in line."
    assert strip.hand_button.text() == "Raise hand"
    assert not strip.hand_button.isChecked()
    qtbot.mouseClick(strip.hand_button, Qt.MouseButton.LeftButton)
    assert ana.hands == [True]

    ana.room.handle(RaiseHand(BEN))
    ana.clock.advance(1)
    ana.room.handle(RaiseHand(ANA))
    ana.broadcast()
    ana.show()
    assert strip.place_label.text() == "You are number 2 in line."
    assert strip.hand_button.isChecked()
    assert strip.hand_button.text() == "Lower hand"
    assert strip.hand_button.accessibleName() == "Lower my hand"
    qtbot.mouseClick(strip.hand_button, Qt.MouseButton.LeftButton)
    assert ana.hands == [True, False]

    chloe = ana.received.view_for(CLO, ana.clock())
    strip.show_view(chloe, NAMES, CLO)
    assert strip.place_label.text() == "2 in line."


def test_who_has_the_floor_and_the_timer_counted_on_here(ana: Member) -> None:
    strip = ana.strip
    ana.show()
    assert strip.floor_label.text() == "The floor is open."
    assert strip.timer_label.isHidden()
    ana.room.handle(GiveFloor(FAC, BEN))
    ana.clock.advance(30)
    ana.broadcast()
    ana.show()
    assert strip.floor_label.text() == "Ben has the floor."
    assert strip.timer_label.text() == "0:30 of 2:00"
    assert strip.timer_label.styleSheet() == ""
    ana.show(later=30)  # nothing new came: this app counts on
    assert strip.timer_label.text() == "1:00 of 2:00"
    ana.clock.advance(70)
    ana.room.tick()  # the warning is due (24 s before the end): the facilitator's app sends it
    ana.broadcast()
    ana.show()
    assert strip.timer_label.text() == "1:40 of 2:00: 0:20 left"
    assert strip.timer_label.styleSheet() == WARNING_STYLE
    ana.show(later=25)  # the limit is reached here, before anything new comes
    assert strip.timer_label.text() == "2:05 of 2:00: time is up"
    assert strip.timer_label.styleSheet() == OVER_STYLE

    ana.room.handle(GiveFloor(FAC, ANA))
    ana.broadcast()
    ana.show()
    assert strip.floor_label.text() == "You have the floor."


def test_pass_when_it_is_my_turn_in_the_round(ana: Member, qtbot: Any) -> None:
    strip = ana.strip
    ana.show()
    assert strip.round_label.isHidden()
    assert strip.pass_button.isHidden()
    ana.room.handle(StartRound(FAC, "current"))
    ana.broadcast()
    ana.show()
    assert strip.round_label.text() == "Round: 0 of 3 done · it is your turn · next: Ben"
    assert not strip.pass_button.isHidden()
    assert strip.pass_button.accessibleName() == "Pass my turn in the round"
    qtbot.mouseClick(strip.pass_button, Qt.MouseButton.LeftButton)
    assert ana.passes == 1

    ben = ana.received.view_for(BEN, ana.clock())
    strip.show_view(ben, NAMES, BEN)
    assert strip.round_label.text() == "Round: 0 of 3 done · now: Ana · you are next"
    assert strip.pass_button.isHidden()


def test_before_any_turn_state_only_the_hand_shows(qtbot: Any) -> None:
    strip = TurnsStrip()
    qtbot.addWidget(strip)
    strip.show_view(None, NAMES, ANA)
    for label in (strip.place_label, strip.floor_label, strip.timer_label, strip.round_label):
        assert label.isHidden()
    assert strip.pass_button.isHidden()
    assert not strip.hand_button.isHidden()
    assert strip.hand_button.text() == "Raise hand"


def test_the_strip_speaks_french(ana: Member, languages: LanguageSwitcher) -> None:
    ana.room.handle(RaiseHand(ANA))
    ana.room.handle(GiveFloor(FAC, BEN))
    ana.broadcast()
    ana.show()
    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert ana.strip.place_label.text() == "Vous êtes numéro 1 dans la file."
    assert ana.strip.floor_label.text() == "Ben a la parole."
    assert ana.strip.timer_label.text() == "0:00 sur 2:00"
    assert ana.strip.hand_button.text() == "Baisser la main"
