"""The round (« tour de table ») in the turns panel: start one in a chosen order, then
its progress, whose turn it is, who is next, who is done and how; skip or stop it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.session.rounds import Outcome, RoundOrder
from groupdesk.core.session.turn_views import RoundDetail


class RoundBox(QGroupBox):
    """The round's controls and progress (the turns panel turns its signals into commands).

    Signals: ``start_requested(str)``: start a round in that order ("current", "random",
    "quieter_first"); ``skip_requested()``; ``stop_requested()``.
    """

    start_requested = Signal(str)
    skip_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_row = QWidget(self)
        self.order_label = QLabel(self.start_row)
        self.order_combo = QComboBox(self.start_row)
        self.order_label.setBuddy(self.order_combo)
        self.start_button = QPushButton(self.start_row)
        order = QHBoxLayout()
        order.addWidget(self.order_label)
        order.addWidget(self.order_combo, 1)
        start = QVBoxLayout(self.start_row)
        start.setContentsMargins(0, 0, 0, 0)
        start.addLayout(order)
        start.addWidget(self.start_button)
        self.progress_label = QLabel(self)
        self.now_label = QLabel(self)
        self.next_label = QLabel(self)
        self.done_label = QLabel(self)
        self.skip_button = QPushButton(self)
        self.stop_button = QPushButton(self)
        running = QHBoxLayout()
        running.addWidget(self.skip_button)
        running.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_row)
        for label in (self.progress_label, self.now_label, self.next_label, self.done_label):
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(running)
        self.start_button.clicked.connect(
            lambda: self.start_requested.emit(self.order_combo.currentData() or "current")
        )
        self.skip_button.clicked.connect(self.skip_requested)
        self.stop_button.clicked.connect(self.stop_requested)

    def retranslate(self) -> None:
        """The fixed texts in the current language."""
        self.setTitle(self.tr("Round"))
        self.order_label.setText(self.tr("Order:"))
        self.order_combo.setAccessibleName(self.tr("Order of the round"))
        chosen = self.order_combo.currentData()
        self.order_combo.clear()
        self.order_combo.addItem(self.tr("Current order"), "current")
        self.order_combo.addItem(self.tr("Random order"), "random")
        self.order_combo.addItem(self.tr("Quieter members first"), "quieter_first")
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(chosen)))
        self.start_button.setText(self.tr("Start a round"))
        self.start_button.setAccessibleName(self.tr("Start a round in the order chosen"))
        self.skip_button.setText(self.tr("Skip"))
        self.stop_button.setText(self.tr("Stop the round"))
        self.stop_button.setAccessibleName(self.tr("Stop the round"))

    def show_round(
        self, detail: RoundDetail | None, can_start: bool, name: Callable[[str], str]
    ) -> None:
        """Show the running round (``None``: none; a round can start if ``can_start``)."""
        running = detail is not None
        self.start_row.setVisible(not running)
        self.start_button.setEnabled(not running and can_start)
        for widget in (
            self.progress_label,
            self.now_label,
            self.next_label,
            self.done_label,
            self.skip_button,
            self.stop_button,
        ):
            widget.setVisible(running)
        if detail is not None:
            self._show_running(detail, name)

    def _show_running(self, detail: RoundDetail, name: Callable[[str], str]) -> None:
        progress = detail.progress
        self.progress_label.setText(
            self.tr("Round in {order}: {done} of {total} done.").format(
                order=self._order_words(progress.order), done=progress.done, total=progress.total
            )
        )
        current = progress.current
        self.now_label.setText(self.tr("Now: {name}").format(name=name(current)) if current else "")
        self.now_label.setVisible(current is not None)
        if progress.next is not None:
            self.next_label.setText(self.tr("Next: {name}").format(name=name(progress.next)))
        else:
            self.next_label.setText(self.tr("Next: nobody, this is the last turn."))
        done = ", ".join(
            self.tr("{name} ({outcome})").format(
                name=name(member), outcome=self._outcome_words(outcome)
            )
            for member, outcome in detail.outcomes
        )
        self.done_label.setText(
            self.tr("Done: {names}").format(names=done) if done else self.tr("Done: nobody yet.")
        )
        self.skip_button.setEnabled(current is not None)
        self.skip_button.setAccessibleName(
            self.tr("Skip {name} in the round").format(name=name(current))
            if current
            else self.tr("Skip in the round")
        )

    def _order_words(self, order: RoundOrder) -> str:
        words = {
            "current": self.tr("the current order"),
            "random": self.tr("a random order"),
            "quieter_first": self.tr("quieter members first"),
        }
        return words[order]

    def _outcome_words(self, outcome: Outcome) -> str:
        words = {
            "spoke": self.tr("spoke"),
            "passed": self.tr("passed"),
            "skipped": self.tr("skipped"),
        }
        return words[outcome]
