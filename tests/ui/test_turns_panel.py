"""The facilitator's turns panel, fed by a real turn manager on a fake clock.

Each test clicks (or presses keys) as a facilitator would, hands the commands the
panel emits to the manager as the adapter does, and reads what the panel shows next.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from turn_helpers import ANA, BEN, CLO, CO, FAC, NAMES, FakeClock, carry_out, make_room

from groupdesk.core.session.turn_events import (
    EndTurn,
    ExtendTurn,
    GiveFloor,
    LowerHand,
    MuteAll,
    MuteAllButSpeaker,
    MuteChanged,
    MuteRequest,
    RaiseHand,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    StopRound,
    VoiceActivity,
)
from groupdesk.core.session.turns import TurnManager
from groupdesk.ui import group_panel, live_page
from groupdesk.ui.language import LanguageSwitcher
from groupdesk.ui.turn_texts import OVER_STYLE, WARNING_STYLE
from groupdesk.ui.turns_panel import TurnsPanel


class Desk:
    """A facilitator's panel wired to a real manager, as the live page's adapter does."""

    def __init__(self, qtbot: Any) -> None:
        self.clock = FakeClock()
        self.room: TurnManager = make_room(self.clock)
        self.panel = TurnsPanel()
        qtbot.addWidget(self.panel)
        self.panel.resize(420, 900)
        self.sent: list[object] = []
        self.panel.command.connect(self.sent.append)
        self.show()

    def show(self) -> None:
        self.panel.show_view(self.room.facilitator_view(), NAMES, FAC)

    def carry_out(self) -> list[Any]:
        out = carry_out(self.room, self.sent)
        self.show()
        return out

    def raise_hands(self, *members: str) -> None:
        for member in members:
            self.room.handle(RaiseHand(member))
            self.clock.advance(1)
        self.show()

    def queue_texts(self) -> list[str]:
        return [row.label.text() for row in self.panel.queue_rows if not row.isHidden()]


@pytest.fixture
def desk(qtbot: Any) -> Desk:
    return Desk(qtbot)


def test_the_queue_in_order_and_the_floor_to_the_first_or_anyone_in_it(
    desk: Desk, qtbot: Any
) -> None:
    panel = desk.panel
    assert panel.queue_empty.text() == "No hand is raised."
    assert not panel.next_button.isEnabled()
    assert not panel.end_button.isEnabled()
    assert not panel.extend_button.isEnabled()
    desk.raise_hands(BEN, ANA, CLO)
    assert desk.queue_texts() == ["1. Ben", "2. Ana", "3. Chloé"]
    assert panel.queue_box.title() == "Hands raised (3)"
    assert panel.queue_empty.isHidden()
    assert panel.speaker_label.text() == "The floor is open."
    assert panel.next_button.isEnabled()

    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [GiveFloor(FAC)]  # the first in line, as the manager sees it
    desk.carry_out()
    assert panel.speaker_label.text() == "Ben has the floor."
    assert panel.timer_label.text() == "0:00 of 2:00"
    assert desk.queue_texts() == ["1. Ana", "2. Chloé"]  # the floor lowered Ben's hand
    assert panel.end_button.isEnabled()
    assert panel.extend_button.isEnabled()

    chloe = panel.queue_rows[1]
    assert chloe.give_button.accessibleName() == "Give the floor to Chloé"
    qtbot.mouseClick(chloe.give_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [GiveFloor(FAC, CLO)]
    desk.carry_out()
    assert panel.speaker_label.text() == "Chloé has the floor."
    ana = panel.queue_rows[0]
    assert ana.lower_button.accessibleName() == "Lower Ana's hand"
    qtbot.mouseClick(ana.lower_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [LowerHand(FAC, ANA)]
    desk.carry_out()
    assert desk.queue_texts() == []
    assert not panel.next_button.isEnabled()  # nobody in line: no "next"

    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [EndTurn(FAC)]
    desk.carry_out()
    assert panel.speaker_label.text() == "The floor is open."
    assert panel.timer_label.isHidden()
    assert not panel.end_button.isEnabled()
    assert not panel.extend_button.isEnabled()


def test_the_floor_to_someone_not_in_line_from_the_list_of_members(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    combo = panel.anyone_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Julie (you)",
        "Marc",
        "Ana",
        "Ben",
        "Chloé",
    ]
    combo.setCurrentIndex(combo.findData(BEN))
    assert panel.give_button.accessibleName() == "Give the floor to Ben"
    qtbot.mouseClick(panel.give_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [GiveFloor(FAC, BEN)]
    desk.carry_out()
    assert panel.speaker_label.text() == "Ben has the floor."
    assert combo.currentData() == BEN  # kept across views
    assert not panel.give_button.isEnabled()  # Ben has it already


def test_the_timer_warns_gently_then_says_the_time_is_up_and_extends(
    desk: Desk, qtbot: Any
) -> None:
    panel = desk.panel
    desk.raise_hands(ANA)
    panel.give_next()
    desk.carry_out()
    desk.clock.advance(65)
    desk.show()  # the adapter shows the view again each second
    assert panel.timer_label.text() == "1:05 of 2:00"
    assert panel.timer_label.styleSheet() == ""
    desk.clock.advance(35)  # 30 s before the end of a 2:00 turn: the warning
    desk.room.tick()
    desk.show()
    assert panel.timer_label.text() == "1:40 of 2:00: 0:20 left"
    assert panel.timer_label.styleSheet() == WARNING_STYLE
    desk.clock.advance(25)
    desk.room.tick()
    desk.show()
    assert panel.timer_label.text() == "2:05 of 2:00: time is up"  # soft: the turn goes on
    assert panel.timer_label.styleSheet() == OVER_STYLE
    assert panel.speaker_label.text() == "Ana has the floor."

    qtbot.mouseClick(panel.extend_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [ExtendTurn(FAC)]
    desk.carry_out()
    assert panel.timer_label.text() == "2:05 of 3:00"
    assert panel.timer_label.styleSheet() == ""


def test_the_turn_limit_is_typed_as_minutes_and_seconds_or_none(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    spin = panel.limit_spin
    assert spin.text() == "2:00"
    assert not panel.limit_button.isEnabled()  # that is the limit already
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "1:30")
    assert panel.limit_button.isEnabled()
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert desk.sent == [SetTurnLimit(FAC, 90.0)]
    desk.carry_out()
    assert spin.text() == "1:30"
    assert not panel.limit_button.isEnabled()

    desk.raise_hands(ANA)
    panel.give_next()
    desk.carry_out()
    assert panel.timer_label.text() == "0:00 of 1:30"
    spin.setValue(0)
    assert spin.text() == "No limit"
    qtbot.mouseClick(panel.limit_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [SetTurnLimit(FAC, None)]
    desk.carry_out()
    assert panel.timer_label.text() == "0:00 (no limit)"
    assert not panel.extend_button.isEnabled()  # nothing to extend


def test_a_view_does_not_undo_a_limit_being_typed(desk: Desk, qtbot: Any) -> None:
    spin = desk.panel.limit_spin
    spin.setValue(300)
    desk.clock.advance(1)
    desk.show()  # the next second's view
    assert spin.text() == "5:00"
    assert desk.panel.limit_button.isEnabled()


def test_quieter_members_first_reorders_the_queue(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    room, clock = desk.room, desk.clock
    room.handle(VoiceActivity(ANA, True, clock()))
    clock.advance(30)
    room.handle(VoiceActivity(ANA, False, clock()))
    desk.raise_hands(ANA, BEN)
    assert desk.queue_texts() == ["1. Ana", "2. Ben"]
    assert panel.order_combo.currentText() == "In the order raised"
    panel.order_combo.setFocus()
    qtbot.keyClick(panel.order_combo, Qt.Key.Key_Down)  # as a keyboard user chooses
    assert desk.sent == [SetQueueOrder(FAC, "quieter_first")]
    desk.carry_out()
    assert panel.order_combo.currentText() == "Quieter members first"
    assert desk.queue_texts() == ["1. Ben", "2. Ana"]


def test_mute_all_and_all_but_the_speaker(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    assert panel.mute_all_button.isEnabled()
    assert not panel.mute_others_button.isEnabled()  # nobody speaks
    qtbot.mouseClick(panel.mute_all_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [MuteAll(FAC)]
    assert desk.carry_out() == [MuteRequest(FAC, (CO, ANA, BEN, CLO), all_but_speaker=False)]
    desk.raise_hands(ANA)
    panel.give_next()
    desk.carry_out()
    qtbot.mouseClick(panel.mute_others_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [MuteAllButSpeaker(FAC)]
    assert desk.carry_out() == [MuteRequest(FAC, (CO, BEN, CLO), all_but_speaker=True)]
    for member in (CO, BEN, CLO):
        desk.room.handle(MuteChanged(member, True, desk.clock()))
    desk.show()
    assert not panel.mute_others_button.isEnabled()  # everyone else is muted already
    assert panel.mute_all_button.isEnabled()  # the speaker is not


def test_talk_time_against_the_fair_share_and_who_has_not_spoken(desk: Desk) -> None:
    room, clock = desk.room, desk.clock
    for member, seconds in ((ANA, 60), (BEN, 20)):
        room.handle(VoiceActivity(member, True, clock()))
        clock.advance(seconds)
        room.handle(VoiceActivity(member, False, clock()))
    room.handle(MuteChanged(CLO, True, clock()))
    desk.show()
    talk = desk.panel.talk_box
    assert talk.fair_label.text() == "Fair share: 20% each, 5 present."
    rows = {row.label.text().split(" · ")[0]: row for row in talk.rows if not row.isHidden()}
    assert list(rows) == ["Julie (you)", "Marc", "Ana", "Ben", "Chloé"]
    assert rows["Ana"].bar.text() == "1:00 · 75%"
    assert rows["Ana"].label.text() == "Ana · turns: 0 · above the fair share"
    assert rows["Ben"].bar.text() == "0:20 · 25%"
    assert rows["Ben"].label.text() == "Ben · turns: 0 · near the fair share"
    assert rows["Chloé"].label.text() == "Chloé · muted · turns: 0 · below the fair share"
    assert rows["Ana"].bar.fair == pytest.approx(0.2)
    assert rows["Ana"].bar.accessibleName() == (
        "Ana: 1:00, 75% of the talk time, turns: 0, above the fair share"
    )
    assert talk.not_spoken_label.text() == "Not yet spoken: Julie (you), Marc, Chloé"

    room.handle(VoiceActivity(BEN, True, clock()))
    clock.advance(5)
    desk.show()
    assert rows["Ben"].label.text() == "Ben · speaking · turns: 0 · above the fair share"
    assert rows["Ben"].bar.text() == "0:25 · 29%"


def test_a_round_walks_the_participants_with_skip_end_and_stop(desk: Desk, qtbot: Any) -> None:
    panel, box = desk.panel, desk.panel.round_box
    desk.raise_hands(CO)  # a facilitator: not in the round, his hand stays up
    assert box.progress_label.isHidden()
    assert box.stop_button.isHidden()
    assert [box.order_combo.itemText(i) for i in range(box.order_combo.count())] == [
        "Current order",
        "Random order",
        "Quieter members first",
    ]
    qtbot.mouseClick(box.start_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [StartRound(FAC, "current")]
    desk.carry_out()
    assert box.start_row.isHidden()
    assert box.progress_label.text() == "Round in the current order: 0 of 3 done."
    assert box.now_label.text() == "Now: Ana"
    assert box.next_label.text() == "Next: Ben"
    assert box.done_label.text() == "Done: nobody yet."
    assert panel.speaker_label.text() == "Ana has the floor."
    assert not panel.next_button.isEnabled()  # the floor follows the round
    assert not panel.give_button.isEnabled()
    assert not panel.queue_rows[0].give_button.isEnabled()

    assert box.skip_button.accessibleName() == "Skip Ana in the round"
    qtbot.mouseClick(box.skip_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [SkipInRound(FAC)]
    desk.carry_out()
    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)  # Ben is done speaking
    assert desk.sent == [EndTurn(FAC)]
    desk.carry_out()
    assert box.progress_label.text() == "Round in the current order: 2 of 3 done."
    assert box.now_label.text() == "Now: Chloé"
    assert box.next_label.text() == "Next: nobody, this is the last turn."
    assert box.done_label.text() == "Done: Ana (skipped), Ben (spoke)"

    qtbot.mouseClick(box.stop_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [StopRound(FAC)]
    desk.carry_out()
    assert not box.start_row.isHidden()
    assert box.progress_label.isHidden()
    assert panel.speaker_label.text() == "The floor is open."
    assert panel.next_button.isEnabled()  # Marc's hand is still up

    box.order_combo.setCurrentIndex(box.order_combo.findData("quieter_first"))
    qtbot.mouseClick(box.start_button, Qt.MouseButton.LeftButton)
    assert desk.sent == [StartRound(FAC, "quieter_first")]


def test_next_speaker_and_end_turn_have_shortcuts_free_elsewhere(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    assert panel.next_action.shortcut() == QKeySequence("F8")
    assert panel.end_action.shortcut() == QKeySequence("F9")
    assert "(F8)" in panel.next_button.toolTip()
    assert "(F8)" in panel.next_action.toolTip()
    assert "(F9)" in panel.end_button.toolTip()
    assert "(F9)" in panel.end_action.toolTip()
    taken = [*live_page.SHORTCUTS.values(), *group_panel.SHORTCUTS.values()]
    assert QKeySequence("F8") not in taken
    assert QKeySequence("F9") not in taken

    panel.next_action.trigger()
    assert desk.sent == []  # nobody in line: nothing asked
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=2000)
    desk.raise_hands(ANA)
    panel.limit_spin.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert desk.sent == [GiveFloor(FAC)]
    desk.carry_out()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    assert desk.sent == [EndTurn(FAC)]


def test_the_panel_is_used_by_keyboard_in_reading_order(desk: Desk, qtbot: Any) -> None:
    panel = desk.panel
    desk.raise_hands(ANA, BEN)
    panel.give_floor(CLO)
    desk.carry_out()
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=2000)
    panel.next_button.setFocus()
    seen: list[QWidget] = [panel.next_button]
    for _ in range(16):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    ana, ben = panel.queue_rows[:2]
    expected = [
        panel.next_button,
        panel.end_button,
        panel.extend_button,
        panel.anyone_combo,
        panel.give_button,
        ana.give_button,
        ana.lower_button,
        ben.give_button,
        ben.lower_button,
        panel.order_combo,
        panel.limit_spin,
        panel.mute_all_button,  # "Set" is off: the limit shown is the limit
        panel.mute_others_button,
        panel.round_box.order_combo,
        panel.round_box.start_button,
    ]
    assert seen[: len(expected)] == expected
    for widget in expected:
        assert widget.accessibleName(), widget


def test_the_panel_speaks_french(desk: Desk, languages: LanguageSwitcher) -> None:
    desk.raise_hands(ANA, BEN)
    desk.panel.give_next()
    desk.carry_out()
    desk.clock.advance(100)
    desk.room.tick()
    desk.show()
    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    panel = desk.panel
    assert panel.speaker_label.text() == "Ana a la parole."
    assert panel.timer_label.text() == "1:40 sur 2:00 : il reste 0:20"
    assert desk.queue_texts() == ["1. Ben"]
    assert panel.queue_rows[0].give_button.accessibleName() == "Donner la parole à Ben"
    assert panel.order_combo.currentText() == "Dans l'ordre des mains levées"
    assert panel.limit_spin.specialValueText() == "Sans limite"
    assert panel.next_action.toolTip() == (
        "Donner la parole à la première personne de la file (F8)"
    )
    assert panel.talk_box.title() == "Temps de parole (seule l'animation le voit)"
