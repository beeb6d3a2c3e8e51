"""Text chat, to everyone or privately to one member: the fallback when audio fails."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import short_time, spawn


class ChatPanel(QWidget):
    """The chat lines, a recipient (everyone or one member) and the line being written."""

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.lines = QListWidget(self)
        self.lines.setWordWrap(True)
        self.recipient = QComboBox(self)
        self.text = QLineEdit(self)
        self.text.setMaxLength(2000)
        self.send_button = QPushButton(self)
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.recipient)
        layout.addLayout(row)
        self.send_button.clicked.connect(self.send)
        self.text.returnPressed.connect(self.send)
        live.chat_changed.connect(self.refresh)
        live.members_changed.connect(self._refresh_recipients)
        self.retranslate()

    def write_to(self, seat: str | None) -> None:
        """Choose the recipient (None: everyone) and put the cursor in the text."""
        index = self.recipient.findData(seat)
        self.recipient.setCurrentIndex(max(0, index))
        self.text.setFocus()

    def send(self) -> None:
        """Send the line to the chosen recipient."""
        text = self.text.text().strip()
        if not text:
            return
        self.text.clear()
        spawn(self.live.send_chat(text, to=self.recipient.currentData()))

    def refresh(self) -> None:
        """Show every line."""
        self.lines.clear()
        for line in self.live.chat:
            sender = self.live.members.get(line.sender)
            name = self.tr("You") if line.outgoing else (sender.name if sender else "?")
            if line.outgoing and line.to is not None:
                target = self.live.members.get(line.to)
                name = self.tr("You to {name} (private)").format(
                    name=target.name if target else "?"
                )
            elif line.private:
                name = self.tr("{name} (private)").format(name=name)
            stamp = short_time(line.at)
            # The language places the colon: French puts a no-break space before it.
            item = QListWidgetItem(
                self.tr("{time}  {name}: {text}").format(time=stamp, name=name, text=line.text)
            )
            if line.private:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.lines.addItem(item)
        self.lines.scrollToBottom()

    def _refresh_recipients(self) -> None:
        current = self.recipient.currentData()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.recipient.addItem(self.tr("To everyone"), None)
        for seat, member in self.live.members.items():
            if not member.is_self:
                self.recipient.addItem(self.tr("Private to {name}").format(name=member.name), seat)
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(current)))
        self.recipient.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.text.setPlaceholderText(self.tr("Write a message…"))
        self.text.setAccessibleName(self.tr("Chat message"))
        self.send_button.setText(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send the message"))
        self.recipient.setAccessibleName(self.tr("Send to"))
        self.lines.setAccessibleName(self.tr("Chat messages"))
        self.lines.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._refresh_recipients()
        self.refresh()
