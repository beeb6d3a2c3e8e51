"""Talk time in the turns panel: a bar per present member against the fair share, and
who has not spoken yet. Facilitators only: participants never see anyone's talk time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from groupdesk.core.session.turn_views import FacilitatorView, TalkTime
from groupdesk.ui.turn_texts import clock_text

NEAR_FAIR = 0.25
"""A share within a quarter of the fair share, either way, is "near" it."""


class ShareBar(QProgressBar):
    """A member's share of the talk time, with a dark tick at the fair share."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 1000)
        self.fair: float | None = None

    def show_share(self, share: float, fair: float | None, text: str) -> None:
        """Fill to ``share`` (0 to 1), mark ``fair``, and say ``text`` on the bar."""
        self.setValue(round(max(0.0, min(1.0, share)) * 1000))
        self.setFormat(text)  # Qt reads only %p, %v and %m in it: "42%" stays as it is
        self.fair = fair
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 -- Qt's name
        """The bar, then the tick where the fair share falls."""
        super().paintEvent(event)
        if self.fair is None:
            return
        painter = QPainter(self)
        painter.setPen(QPen(QColor("#1d2126"), 2))
        x = round(self.width() * min(1.0, self.fair))
        painter.drawLine(x, 0, x, self.height())
        painter.end()


class TalkRow(QWidget):
    """A present member's talk time: name and state, the bar under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = ShareBar(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)


class TalkTimeBox(QGroupBox):
    """Each present member's talk time (m:ss and share), the fair share, who has not
    spoken yet. Rows are reused from one view to the next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fair_label = QLabel(self)
        self.fair_label.setWordWrap(True)
        self.rows: list[TalkRow] = []
        self.rows_layout = QVBoxLayout()
        self.not_spoken_label = QLabel(self)
        self.not_spoken_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fair_label)
        layout.addLayout(self.rows_layout)
        layout.addWidget(self.not_spoken_label)

    def show_talk(self, view: FacilitatorView, name: Callable[[str], str]) -> None:
        """Show ``view``'s talk time; ``name`` gives a seat's name."""
        self.setTitle(self.tr("Talk time (only facilitators see it)"))
        while len(self.rows) < len(view.talk):
            row = TalkRow(self)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        for row, talk in zip(self.rows, view.talk, strict=False):
            self._show_row(row, talk, view, name(talk.member))
            row.show()
        for row in self.rows[len(view.talk) :]:
            row.hide()
        if view.fair_share is None:
            self.fair_label.setText(self.tr("Nobody is in the room."))
        else:
            self.fair_label.setText(
                self.tr("Fair share: {percent}% each, {count} present.").format(
                    percent=round(view.fair_share * 100), count=len(view.talk)
                )
            )
        if view.not_yet_spoken:
            names = ", ".join(name(m) for m in view.not_yet_spoken)
            self.not_spoken_label.setText(self.tr("Not yet spoken: {names}").format(names=names))
        else:
            self.not_spoken_label.setText(self.tr("Everyone present has spoken."))
        self.not_spoken_label.setVisible(bool(view.talk))

    def _show_row(self, row: TalkRow, talk: TalkTime, view: FacilitatorView, name: str) -> None:
        states = []
        if talk.speaking:
            states.append(self.tr("speaking"))
        if talk.member in view.muted:
            states.append(self.tr("muted"))
        states.append(self.tr("turns: {count}").format(count=talk.turns))
        states.append(self._against_fair(talk.share, view.fair_share))
        row.label.setText(f"{name} · {' · '.join(states)}")
        time = clock_text(talk.seconds)
        if talk.share is None:
            row.bar.show_share(0.0, view.fair_share, time)
            share = self.tr("nobody has spoken yet")
        else:
            percent = round(talk.share * 100)
            bar_text = self.tr("{time} · {percent}%").format(time=time, percent=percent)
            row.bar.show_share(talk.share, view.fair_share, bar_text)
            share = self.tr("{percent}% of the talk time").format(percent=percent)
        row.bar.setAccessibleName(
            self.tr("{name}: {time}, {share}, {states}").format(
                name=name, time=time, share=share, states=", ".join(states)
            )
        )

    def _against_fair(self, share: float | None, fair: float | None) -> str:
        if share is None or fair is None:
            return self.tr("not measured yet")
        if share > fair * (1 + NEAR_FAIR):
            return self.tr("above the fair share")
        if share < fair * (1 - NEAR_FAIR):
            return self.tr("below the fair share")
        return self.tr("near the fair share")
