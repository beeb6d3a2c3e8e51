"""The question asked before the window closes during a live session.

Closing the window (or File > Quit, Ctrl+Q) while a room is live ends the
session for everyone in it (a participant leaves it): the window asks first, and
says what will happen. The box is not modal to the loop (``open()``, then its
``finished`` signal), so the session goes on while it waits for an answer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from groupdesk.ui.live_session import LiveSession, LiveStage


def quitting_ends_something(live: LiveSession) -> bool:
    """True when closing the window now would end the session for others (or leave it).

    A facilitator's room counts once it is open; a participant, once waiting or in.
    Connecting, failed or ended: nothing to lose, the window closes as always.
    """
    if live.facilitator:
        return live.stage is LiveStage.LIVE
    return live.stage in (LiveStage.WAITING, LiveStage.LIVE)


class QuitQuestion(QMessageBox):
    """ "End the session for everyone and quit?" (facilitator) or "Leave the session and
    quit?" (participant), with how many people are connected.

    ``end_button`` ends (or leaves) and quits; ``stay_button`` (the default, and Escape)
    keeps the session running. Signals: those of ``QMessageBox`` (``finished``).
    """

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.setIcon(QMessageBox.Icon.Warning)
        self.end_button: QPushButton = self.addButton("", QMessageBox.ButtonRole.DestructiveRole)
        self.stay_button: QPushButton = self.addButton("", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.stay_button)
        self.setEscapeButton(self.stay_button)
        self.retranslate()
        # the counts stay true while the question waits for an answer
        live.members_changed.connect(self.retranslate)
        live.lobby_changed.connect(self.retranslate)

    def ends(self) -> bool:
        """True once the person chose to end (or leave) and quit."""
        return self.clickedButton() is self.end_button

    def connected(self) -> int:
        """How many others are in the room now (ourselves left out)."""
        return sum(1 for member in self.live.members.values() if not member.is_self)

    def retranslate(self) -> None:
        """Texts in the current language, with the counts as they are now."""
        live = self.live
        if live.facilitator:
            self.setWindowTitle(self.tr("End the session and quit"))
            self.setText(self.tr("End the session for everyone and quit?"))
            details = self.tr(
                "People connected: {count}. If you quit now, the session ends for all of "
                "them and they leave the room; the attendance is saved in the session log."
            ).format(count=self.connected())
            if live.lobby:
                details += " " + self.tr(
                    "Waiting in the waiting room: {count}. They will not be admitted."
                ).format(count=len(live.lobby))
            self.end_button.setText(self.tr("&End for everyone and quit"))
        else:
            self.setWindowTitle(self.tr("Leave the session and quit"))
            self.setText(self.tr("Leave the session and quit?"))
            if live.stage is LiveStage.WAITING:
                details = self.tr(
                    "You are in the waiting room. If you quit now, you leave it; the "
                    "facilitator will not be able to let you in."
                )
            else:
                details = self.tr(
                    "People connected: {count}. If you quit now, you leave the group's "
                    "session; the others go on without you."
                ).format(count=self.connected())
            self.end_button.setText(self.tr("&Leave and quit"))
        self.setInformativeText(details)
        self.stay_button.setText(self.tr("&Stay in the session"))
