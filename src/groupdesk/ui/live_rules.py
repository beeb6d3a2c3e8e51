"""The group's rules during a live session: a button that opens them, for every role.

The facilitator's app shows the policy's rules (the ones it sent the room); a
participant's shows the rules the room sent while they waited. The button is
there only when the session has rules to show.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from groupdesk.core.i18n import get_language
from groupdesk.ui.consent_dialog import read_only_text
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.widgets import heading


class RulesDialog(QDialog):
    """The group's rules, in the language in use, to read (never to edit)."""

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.title = heading(self, level=2)
        self.text = read_only_text(self)
        buttons = QDialogButtonBox(self)
        self.close_button = QPushButton(self)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language (the rules too)."""
        rules = self.live.rules
        self.setWindowTitle(self.tr("Group rules"))
        self.title.setText(self.tr("Group rules"))
        self.text.setPlainText(rules.text_in(get_language()) if rules is not None else "")
        self.text.setAccessibleName(self.tr("Text of the group rules"))
        self.close_button.setText(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the group rules"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class RulesButton(QPushButton):
    """ "Group rules": opens :class:`RulesDialog`; shown while the session has rules."""

    def __init__(self, live: LiveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.dialog = RulesDialog(live, self)
        self.clicked.connect(self.show_rules)
        live.changed.connect(self._follow)
        self.retranslate()
        self._follow()

    def show_rules(self) -> None:
        """Open the rules (again in the language in use)."""
        self.dialog.retranslate()
        self.dialog.open()
        self.dialog.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setText(self.tr("Group &rules"))
        self.setAccessibleName(self.tr("Show the group rules"))
        self.setToolTip(self.tr("What the group agreed on: confidentiality, respect, turns"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _follow(self) -> None:
        self.setVisible(self.live.rules is not None)
