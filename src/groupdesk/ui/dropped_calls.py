"""The technical-problem plan: a participant's connection dropped, call them or suggest the chat.

When any participant's connection drops (``Room.dropped_calls``, a facilitator's room),
a small notice above the video (never a dialog) gives their phone number and three
buttons: "Call them" (the number is copied, to dial from a phone), "Suggest the chat"
(a private chat line, if they are still in the room) and "Done" (the prompt goes). It
goes by itself when they are back. The rules are in ``core/session/room.py``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from groupdesk.core.session.room_state import DroppedCall
from groupdesk.ui.live_crisis import LiveCrisis
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import discard, spawn


class DroppedCallRow(QFrame):
    """One dropped call: who, their phone, and what to do."""

    def __init__(self, call: DroppedCall, parent: QWidget) -> None:
        super().__init__(parent)
        self.call = call
        self.setObjectName("droppedCall")
        self.setStyleSheet(
            "QFrame#droppedCall { background: #fff4d6; border: 1px solid #f0d48a;"
            " border-radius: 4px; }"
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.call_button = QPushButton(self)
        self.chat_button = QPushButton(self)
        self.done_button = QPushButton(self)
        self.said = QLabel(self)
        self.said.setWordWrap(True)
        self.said.hide()
        buttons = QHBoxLayout()
        for button in (self.call_button, self.chat_button, self.done_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addWidget(self.said)

    def retranslate(self, seated: bool) -> None:
        """Texts in the current language (``seated``: still in the room, chat possible)."""
        call = self.call
        if call.phone:
            text = self.tr("{name}'s connection dropped. Their phone: {phone}").format(
                name=call.name, phone=call.phone
            )
        else:
            text = self.tr("{name}'s connection dropped. They gave no phone number.").format(
                name=call.name
            )
        self.text.setText(text)
        self.text.setAccessibleName(text)
        self.call_button.setText(self.tr("Call them"))
        self.call_button.setAccessibleName(
            self.tr("Call {name}: copy their phone number").format(name=call.name)
        )
        self.call_button.setVisible(bool(call.phone))
        self.chat_button.setText(self.tr("Suggest the chat"))
        self.chat_button.setAccessibleName(
            self.tr("Suggest to {name}, privately, to write in the chat").format(name=call.name)
        )
        self.chat_button.setEnabled(seated)
        self.done_button.setText(self.tr("Done"))
        self.done_button.setAccessibleName(
            self.tr("Done with the dropped connection of {name}").format(name=call.name)
        )


class DroppedCallsNotice(QWidget):
    """The dropped calls of ``live``'s room, one row each (hidden when there are none)."""

    def __init__(self, live: LiveSession, crisis: LiveCrisis, parent: QWidget | None = None):
        super().__init__(parent)
        self.live, self.crisis = live, crisis
        self.rows: dict[str, DroppedCallRow] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        live.changed.connect(self.refresh)
        live.members_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """One row per dropped call now (a facilitator's room)."""
        calls = self.live.room.dropped_calls if self.live.facilitator else {}
        for seat in [s for s in self.rows if s not in calls]:
            discard(self.layout_, self.rows.pop(seat))
        for seat, call in calls.items():
            old = self.rows.get(seat)
            if old is not None and old.call != call:
                discard(self.layout_, old)
            row = old if old is not None and old.call == call else self._row(call)
            row.retranslate(seat in self.live.members)
        self.setVisible(bool(self.rows))

    def _row(self, call: DroppedCall) -> DroppedCallRow:
        row = DroppedCallRow(call, self)
        seat = call.seat
        row.call_button.clicked.connect(lambda: self.call_them(seat))
        row.chat_button.clicked.connect(lambda: self.suggest_chat(seat))
        row.done_button.clicked.connect(lambda: self.crisis.dropped_call_done(seat))
        self.rows[seat] = row
        self.layout_.addWidget(row)
        return row

    def call_them(self, seat: str) -> None:
        """Copy the number to call and say so (the desktop does not dial)."""
        row = self.rows.get(seat)
        if row is None or not row.call.phone:
            return
        QGuiApplication.clipboard().setText(row.call.phone)
        row.said.setText(
            self.tr("Number copied: call {phone} from your phone.").format(phone=row.call.phone)
        )
        row.said.show()

    def suggest_chat(self, seat: str) -> None:
        """Send them, privately, a line suggesting the chat."""
        row = self.rows.get(seat)
        if row is None or seat not in self.live.members:
            return
        text = self.tr("Your connection dropped. If you can, write in the chat.")
        spawn(self.live.send_chat(text, to=seat))
        row.said.setText(self.tr("Sent to {name} in private chat.").format(name=row.call.name))
        row.said.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
