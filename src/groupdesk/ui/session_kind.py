"""The type of a session to prepare: a group session, or a one-to-one meeting.

A one-to-one meeting (the individual meeting before a group) is with exactly one member
(:class:`~groupdesk.core.session_plan.PlanProblem` ``NOT_ONE_MEMBER``); the choice
carries the message said under the list of who is expected when that is not so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QWidget

from groupdesk.core.models import SessionKind
from groupdesk.ui.widgets import field_message, show_message


class SessionKindChoice(QComboBox):
    """ "Group session" or "One-to-one meeting (before the group)", and its message."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.addItem("", str(SessionKind.GROUP))
        self.addItem("", str(SessionKind.INDIVIDUAL))
        self.problem = field_message(parent)
        """Under the list of who is expected: a one-to-one meeting is with one member."""
        self.activated.connect(lambda _i: show_message(self.problem, None))
        self.retranslate()

    def kind(self) -> SessionKind:
        """The type chosen."""
        return SessionKind(self.currentData())

    def say_not_one(self, checked: int) -> None:
        """Say that a one-to-one meeting needs exactly one member (``checked`` now)."""
        show_message(
            self.problem,
            self.tr(
                "A one-to-one meeting is with one member: check exactly one ({count} checked "
                "now), or choose a group session."
            ).format(count=checked),
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setItemText(0, self.tr("Group session"))
        self.setItemText(1, self.tr("One-to-one meeting (before the group)"))
        self.setAccessibleName(self.tr("Type of session"))
