"""The speaking turns, for facilitators: the queue, the speaker and their timer, the
turn limit, talk time, and the round (« tour de table »).

The panel shows a :class:`~groupdesk.core.session.turn_views.FacilitatorView` it is
given (:meth:`TurnsPanel.show_view`) and asks for every change by emitting the core's
command (:mod:`~groupdesk.core.session.turn_events`); it holds no turn state and runs
no timer: whoever feeds it shows the view again as time passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.session.rounds import RoundOrder
from groupdesk.core.session.turn_events import (
    Command,
    EndTurn,
    ExtendTurn,
    GiveFloor,
    LowerHand,
    MuteAll,
    MuteAllButSpeaker,
    SetQueueOrder,
    SetTurnLimit,
    SkipInRound,
    StartRound,
    StopRound,
)
from groupdesk.core.session.turn_views import FacilitatorView
from groupdesk.ui.turn_round import RoundBox
from groupdesk.ui.turn_rows import LimitSpin, QueueRow
from groupdesk.ui.turn_talk import TalkTimeBox
from groupdesk.ui.turn_texts import member_name, timer_style, timer_text

SHORTCUTS = {"next": QKeySequence("F8"), "end": QKeySequence("F9")}
"""Next speaker and end of turn: single keys, free in the live page and the main window."""

EMPTY_VIEW = FacilitatorView(
    queue=(),
    queue_order="raised",
    speaker=None,
    timer=None,
    turn_limit=None,
    round=None,
    talk=(),
    fair_share=None,
    not_yet_spoken=(),
    muted=(),
)
"""What the panel shows before it is given a view."""


class TurnsPanel(QWidget):
    """The facilitator's turns panel; every action is the core's command, by ``self_seat``.

    Signals: ``command(object)``: a :data:`~groupdesk.core.session.turn_events.Command`
    (GiveFloor, EndTurn, ExtendTurn, LowerHand, SetTurnLimit, SetQueueOrder, MuteAll,
    MuteAllButSpeaker, StartRound, SkipInRound, StopRound) asked by ``self_seat``.

    Actions (add them to the window for the shortcuts to work beyond the panel):
    ``next_action`` (F8): the floor to the first in line; ``end_action`` (F9): end the turn.
    """

    command = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = EMPTY_VIEW
        self.names: dict[str, str] = {}
        self.self_seat = ""
        self._shown_limit: float | None = None
        self._anyone: tuple[tuple[str, str], ...] = ()
        self.queue_rows: list[QueueRow] = []
        self.content = QWidget(self)
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop: its controls are
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._build_speaker()
        self._build_queue()
        self._build_settings()
        self.talk_box = TalkTimeBox(self.content)
        self.round_box = RoundBox(self.content)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(4, 4, 4, 4)
        for box in (
            self.speaker_box,
            self.queue_box,
            self.settings_box,
            self.talk_box,
            self.round_box,
        ):
            layout.addWidget(box)
            inner = box.layout()
            if inner is not None:  # each box has one: tighter, for a narrow side tab
                inner.setContentsMargins(6, 6, 6, 6)
        layout.addStretch(1)
        scroll.setWidget(self.content)
        for combo in (self.anyone_combo, self.order_combo, self.round_box.order_combo):
            # Names and orders can be long: the combo shrinks, its list shows them whole.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self._add_actions()
        self._connect()
        self.retranslate()

    # -- building -----------------------------------------------------------------------

    def _build_speaker(self) -> None:
        box = self.speaker_box = QGroupBox(self.content)
        self.speaker_label = QLabel(box)
        self.speaker_label.setWordWrap(True)
        self.timer_label = QLabel(box)
        self.timer_label.setWordWrap(True)
        self.next_button = QPushButton(box)
        self.end_button = QPushButton(box)
        self.extend_button = QPushButton(box)
        self.anyone_label = QLabel(box)
        self.anyone_combo = QComboBox(box)
        self.anyone_label.setBuddy(self.anyone_combo)
        self.give_button = QPushButton(box)
        # Two buttons a row at most: the panel sits in a narrow side tab.
        buttons = QGridLayout()
        buttons.addWidget(self.next_button, 0, 0)
        buttons.addWidget(self.end_button, 0, 1)
        buttons.addWidget(self.extend_button, 1, 0)
        anyone = QHBoxLayout()
        anyone.addWidget(self.anyone_combo, 1)
        anyone.addWidget(self.give_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.speaker_label)
        layout.addWidget(self.timer_label)
        layout.addLayout(buttons)
        layout.addWidget(self.anyone_label)
        layout.addLayout(anyone)

    def _build_queue(self) -> None:
        box = self.queue_box = QGroupBox(self.content)
        self.queue_empty = QLabel(box)
        self.queue_rows_layout = QVBoxLayout()
        self.order_label = QLabel(box)
        self.order_combo = QComboBox(box)
        self.order_label.setBuddy(self.order_combo)
        order = QHBoxLayout()
        order.addWidget(self.order_label)
        order.addWidget(self.order_combo, 1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.queue_empty)
        layout.addLayout(self.queue_rows_layout)
        layout.addLayout(order)

    def _build_settings(self) -> None:
        box = self.settings_box = QGroupBox(self.content)
        self.limit_label = QLabel(box)
        self.limit_spin = LimitSpin(box)
        self.limit_label.setBuddy(self.limit_spin)
        self.limit_button = QPushButton(box)
        self.mute_all_button = QPushButton(box)
        self.mute_others_button = QPushButton(box)
        limit = QHBoxLayout()
        limit.addWidget(self.limit_spin, 1)
        limit.addWidget(self.limit_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.limit_label)
        layout.addLayout(limit)
        layout.addWidget(self.mute_all_button)
        layout.addWidget(self.mute_others_button)

    def _add_actions(self) -> None:
        self.next_action = QAction(self)
        self.next_action.setShortcut(SHORTCUTS["next"])
        self.end_action = QAction(self)
        self.end_action.setShortcut(SHORTCUTS["end"])
        for action in (self.next_action, self.end_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _connect(self) -> None:
        self.next_button.clicked.connect(self.give_next)
        self.next_action.triggered.connect(self.give_next)
        self.end_button.clicked.connect(self.end_turn)
        self.end_action.triggered.connect(self.end_turn)
        self.extend_button.clicked.connect(self.extend_turn)
        self.give_button.clicked.connect(self._give_chosen)
        self.anyone_combo.currentIndexChanged.connect(self._enable_give)
        self.order_combo.activated.connect(self._order_chosen)
        self.limit_spin.valueChanged.connect(self._enable_limit)
        self.limit_button.clicked.connect(self.apply_limit)
        self.limit_spin.lineEdit().returnPressed.connect(self.apply_limit)
        self.mute_all_button.clicked.connect(lambda: self._send(MuteAll(self.self_seat)))
        self.mute_others_button.clicked.connect(
            lambda: self._send(MuteAllButSpeaker(self.self_seat))
        )
        self.round_box.start_requested.connect(self._start_round)
        self.round_box.skip_requested.connect(lambda: self._send(SkipInRound(self.self_seat)))
        self.round_box.stop_requested.connect(lambda: self._send(StopRound(self.self_seat)))

    # -- actions ------------------------------------------------------------------------

    def _send(self, command: Command) -> None:
        self.command.emit(command)

    def give_next(self) -> None:
        """The floor to the first in line (F8); nothing when nobody is waiting."""
        if self.next_button.isEnabled():
            self._send(GiveFloor(self.self_seat))

    def end_turn(self) -> None:
        """End the speaker's turn (F9; in a round, the round goes on to the next)."""
        if self.end_button.isEnabled():
            self._send(EndTurn(self.self_seat))

    def extend_turn(self) -> None:
        """Give the speaker the usual extension (a minute unless the session says else)."""
        if self.extend_button.isEnabled():
            self._send(ExtendTurn(self.self_seat))

    def give_floor(self, member: str) -> None:
        """The floor to ``member`` (in line or not)."""
        self._send(GiveFloor(self.self_seat, member))

    def apply_limit(self) -> None:
        """Set the turn limit shown in the spin box (0:00 is "no limit")."""
        if not self.limit_button.isEnabled():
            return
        seconds = self.limit_spin.value()
        self.limit_button.setEnabled(False)  # once: the next view says whether it took
        self._send(SetTurnLimit(self.self_seat, float(seconds) if seconds else None))

    def _give_chosen(self) -> None:
        member = self.anyone_combo.currentData()
        if isinstance(member, str) and self.give_button.isEnabled():
            self.give_floor(member)

    def _order_chosen(self, index: int) -> None:
        order = self.order_combo.itemData(index)
        if order in ("raised", "quieter_first") and order != self.view.queue_order:
            self._send(SetQueueOrder(self.self_seat, order))

    def _start_round(self, order: RoundOrder) -> None:
        self._send(StartRound(self.self_seat, order))

    # -- showing ------------------------------------------------------------------------

    def show_view(self, view: FacilitatorView, names: Mapping[str, str], self_seat: str) -> None:
        """Show ``view``; ``names`` gives each seat's name, ``self_seat`` is who acts here."""
        self.view, self.names, self.self_seat = view, dict(names), self_seat
        self._render()

    def _name(self, seat: str) -> str:
        return member_name(self.names, seat, self.self_seat)

    def _render(self) -> None:
        self._render_speaker()
        self._render_queue()
        self._render_settings()
        self.talk_box.show_talk(self.view, self._name)
        others = any(talk.member != self.self_seat for talk in self.view.talk)
        self.round_box.show_round(self.view.round, others, self._name)
        self._fix_tab_order()

    def _render_speaker(self) -> None:
        view = self.view
        if view.speaker is None:
            self.speaker_label.setText(self.tr("The floor is open."))
        elif view.speaker == self.self_seat:
            self.speaker_label.setText(self.tr("You have the floor."))
        else:
            text = self.tr("{name} has the floor.").format(name=self._name(view.speaker))
            self.speaker_label.setText(text)
        timer = view.timer
        self.timer_label.setText(timer_text(timer) if timer else "")
        self.timer_label.setStyleSheet(timer_style(timer))
        self.timer_label.setVisible(timer is not None)
        free = view.round is None  # while a round runs, the floor follows the round
        can_next = free and any(entry.member != view.speaker for entry in view.queue)
        self.next_button.setEnabled(can_next)
        self.next_action.setEnabled(can_next)
        self.end_button.setEnabled(view.speaker is not None)
        self.end_action.setEnabled(view.speaker is not None)
        self.extend_button.setEnabled(view.speaker is not None and view.turn_limit is not None)
        present = tuple((talk.member, self._name(talk.member)) for talk in view.talk)
        if present != self._anyone:
            chosen = self.anyone_combo.currentData()
            self.anyone_combo.blockSignals(True)
            self.anyone_combo.clear()
            for seat, name in present:
                self.anyone_combo.addItem(name, seat)
            self.anyone_combo.setCurrentIndex(max(0, self.anyone_combo.findData(chosen)))
            self.anyone_combo.blockSignals(False)
            self._anyone = present
        self.anyone_combo.setEnabled(free and bool(present))
        self._enable_give()

    def _enable_give(self) -> None:
        chosen = self.anyone_combo.currentData()
        can = self.view.round is None and isinstance(chosen, str) and chosen != self.view.speaker
        self.give_button.setEnabled(can)
        name = self._name(chosen) if isinstance(chosen, str) else ""
        self.give_button.setAccessibleName(
            self.tr("Give the floor to {name}").format(name=name)
            if name
            else self.tr("Give the floor to the member chosen")
        )

    def _render_queue(self) -> None:
        view = self.view
        while len(self.queue_rows) < len(view.queue):
            row = QueueRow(self.queue_box)
            row.give_button.clicked.connect(lambda _=False, r=row: self.give_floor(r.member))
            row.lower_button.clicked.connect(
                lambda _=False, r=row: self._send(LowerHand(self.self_seat, r.member))
            )
            self.queue_rows_layout.addWidget(row)
            self.queue_rows.append(row)
        for row, entry in zip(self.queue_rows, view.queue, strict=False):
            name = self._name(entry.member)
            row.member = entry.member
            if entry.member == view.speaker:
                text = self.tr("{place}. {name}, has the floor")
            else:
                text = self.tr("{place}. {name}")
            row.label.setText(text.format(place=entry.place, name=name))
            row.give_button.setText(self.tr("Give the floor"))
            row.give_button.setAccessibleName(self.tr("Give the floor to {name}").format(name=name))
            row.give_button.setEnabled(view.round is None and entry.member != view.speaker)
            row.lower_button.setText(self.tr("Lower"))
            row.lower_button.setAccessibleName(self.tr("Lower {name}'s hand").format(name=name))
            row.setAccessibleName(row.label.text())
            row.show()
        for row in self.queue_rows[len(view.queue) :]:
            row.hide()
        self.queue_empty.setVisible(not view.queue)
        self.queue_box.setTitle(self.tr("Hands raised ({count})").format(count=len(view.queue)))
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(view.queue_order)))

    def _render_settings(self) -> None:
        view = self.view
        if view.turn_limit != self._shown_limit:
            self.limit_spin.setValue(round(view.turn_limit or 0))
            self._shown_limit = view.turn_limit
        self._enable_limit()
        others = [t.member for t in view.talk if t.member != self.self_seat]
        unmuted = [m for m in others if m not in view.muted]
        self.mute_all_button.setEnabled(bool(unmuted))
        spared = [m for m in unmuted if m != view.speaker]
        self.mute_others_button.setEnabled(view.speaker is not None and bool(spared))

    def _enable_limit(self) -> None:
        self.limit_button.setEnabled(self.limit_spin.value() != round(self.view.turn_limit or 0))

    def _fix_tab_order(self) -> None:
        """Rows made later would come last on Tab: keep the order the eye reads."""
        chain: list[QWidget] = [
            self.next_button,
            self.end_button,
            self.extend_button,
            self.anyone_combo,
            self.give_button,
        ]
        for row in self.queue_rows:
            chain += [row.give_button, row.lower_button]
        chain += [
            self.order_combo,
            self.limit_spin,
            self.limit_button,
            self.mute_all_button,
            self.mute_others_button,
            self.round_box.order_combo,
            self.round_box.start_button,
            self.round_box.skip_button,
            self.round_box.stop_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- language -----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language, then the view again."""
        self.setAccessibleName(self.tr("Speaking turns"))
        self.speaker_box.setTitle(self.tr("The floor"))
        self.settings_box.setTitle(self.tr("Turn limit and microphones"))
        keys = {
            name: sequence.toString(QKeySequence.SequenceFormat.NativeText)
            for name, sequence in SHORTCUTS.items()
        }
        self._label_button(
            self.next_button,
            self.tr("&Next speaker"),
            self.tr("Give the floor to the first in line ({keys})").format(keys=keys["next"]),
        )
        self.next_action.setText(self.tr("Next speaker"))
        self.next_action.setToolTip(self.next_button.toolTip())
        self._label_button(
            self.end_button,
            self.tr("End turn"),
            self.tr("End the speaker's turn ({keys})").format(keys=keys["end"]),
        )
        self.end_action.setText(self.tr("End turn"))
        self.end_action.setToolTip(self.end_button.toolTip())
        self._label_button(
            self.extend_button,
            self.tr("Extend (+1 min)"),
            self.tr("Give the speaker one more minute"),
        )
        self.anyone_label.setText(self.tr("Floor to:"))
        self.anyone_combo.setAccessibleName(self.tr("Member to give the floor to"))
        self.give_button.setText(self.tr("Give the floor"))
        self.queue_empty.setText(self.tr("No hand is raised."))
        self.order_label.setText(self.tr("Order:"))
        self.order_combo.setAccessibleName(self.tr("Order of the queue"))
        self._fill(
            self.order_combo,
            [
                ("raised", self.tr("In the order raised")),
                ("quieter_first", self.tr("Quieter members first")),
            ],
        )
        self.limit_label.setText(self.tr("Turn limit:"))
        self.limit_spin.setAccessibleName(self.tr("Turn limit, in minutes and seconds"))
        self.limit_spin.setSpecialValueText(self.tr("No limit"))
        self.limit_spin.setToolTip(self.tr("Minutes:seconds; 0:00 for no limit"))
        self._label_button(self.limit_button, self.tr("Set"), self.tr("Set the turn limit"))
        self._label_button(
            self.mute_all_button,
            self.tr("Mute all"),
            self.tr("Ask everyone else to mute their microphone"),
        )
        self._label_button(
            self.mute_others_button,
            self.tr("Mute all but the speaker"),
            self.tr("Ask everyone but the speaker to mute their microphone"),
        )
        self.round_box.retranslate()
        self._anyone = ()  # names may read differently ("(you)")
        self._render()

    @staticmethod
    def _label_button(button: QPushButton, text: str, accessible: str) -> None:
        button.setText(text)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for data, text in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)
