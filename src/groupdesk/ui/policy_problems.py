"""Every problem of the organisation's policy: a short notice, and the list in a dialog.

The status bar says how many problems there are (a button, reachable by Tab); it and
Help > "Organisation policy problems…" open :class:`PolicyProblemsDialog`, which lists
each one -- file, key and reason -- as selectable text, with a button that copies the
list for the administrator.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.policy_files import PolicyProblem
from groupdesk.ui.widgets import paragraph


class PolicyProblemsNotice(QPushButton):
    """The status bar's notice: "3 policy problems" (hidden when there are none);
    a click (or Space with the focus on it) opens the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QPushButton { color: #8a1c1c; text-decoration: underline; }")
        self.problems: tuple[PolicyProblem, ...] = ()
        self.retranslate()

    def set_problems(self, problems: Sequence[PolicyProblem]) -> None:
        """Show how many ``problems`` there are (none: hidden)."""
        self.problems = tuple(problems)
        self.retranslate()

    def retranslate(self) -> None:
        """The summary in the current language."""
        count = len(self.problems)
        self.setVisible(count > 0)
        if not count:
            self.setAccessibleName(self.tr("No problem in your organisation's policy"))
            return
        if count == 1:
            text = self.tr("1 problem in your organisation's policy")
        else:
            text = self.tr("{count} problems in your organisation's policy").format(count=count)
        self.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(self.tr("Show the list, to send it to your administrator"))
        self.setAccessibleDescription(self.toolTip())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PolicyProblemsDialog(QDialog):
    """Every policy problem (file, key, reason) as text to read, select and copy."""

    def __init__(self, problems: Sequence[PolicyProblem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = tuple(problems)
        self.resize(640, 420)
        self.intro = paragraph(self)
        self.listing = QPlainTextEdit(self)
        self.listing.setReadOnly(True)
        # read-only, yet the caret moves with the keyboard so a part can be selected
        self.listing.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.listing.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.copied = QLabel(self)
        self.copied.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.copied)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.listing.setFocus()

    def text(self) -> str:
        """The list as plain text, in the current language (what "Copy" copies)."""
        blocks = []
        none = self.tr("(none)")
        for number, problem in enumerate(self.problems, 1):
            blocks.append(
                "\n".join(
                    (
                        self.tr("Problem {number} of {count}").format(
                            number=number, count=len(self.problems)
                        ),
                        self.tr("File: {file}").format(
                            file=none if problem.file is None else str(problem.file)
                        ),
                        self.tr("Key: {key}").format(key=problem.key or none),
                        self.tr("Reason: {reason}").format(reason=problem.reason()),
                    )
                )
            )
        return "\n\n".join(blocks)

    def copy(self) -> None:
        """Put the list on the clipboard, for the administrator."""
        QGuiApplication.clipboard().setText(self.text())
        self.copied.setText(self.tr("Copied. Paste it in a message to your administrator."))
        self.copied.setAccessibleName(self.copied.text())
        self.copied.show()

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.setWindowTitle(self.tr("Organisation policy problems"))
        self.intro.setText(
            self.tr(
                "Your organisation's policy has problems: what is listed below is not "
                "applied as written; GroupDesk applies the rest. Only your administrator "
                "can fix these files: copy the list and send it to them."
            )
        )
        self.listing.setPlainText(self.text())
        self.listing.setAccessibleName(self.tr("List of the problems"))
        self.copy_button.setText(self.tr("&Copy the list"))
        if self.copied.isVisible():
            self.copied.setText(self.tr("Copied. Paste it in a message to your administrator."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
