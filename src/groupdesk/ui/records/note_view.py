"""The right side of the notes page: starting a note, the editor with its signature,
addenda and referrals, a note's history, and the facts ready to cite."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui.widgets import heading, notice_label, paragraph


def _column(parent: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class StartView(QWidget):
    """A note not written yet: which template to start from, and "Start the note"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self, level=2)
        self.explanation = paragraph(self)
        self.template_label = QLabel(self)
        self.template = QComboBox(self)
        self.template_label.setBuddy(self.template)
        self.start_button = QPushButton(self)
        layout = _column(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.template_label)
        layout.addWidget(self.template)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.template_label.setText(self.tr("&Template:"))
        self.template.setAccessibleName(self.tr("Template of the note"))
        self.start_button.setText(self.tr("Start the n&ote"))
        self.start_button.setAccessibleName(self.tr("Start the note from this template"))
        self.explanation.setText(
            self.tr(
                "The note starts with the template's headings and the facts of the session; "
                "you write from there. It is saved as you type."
            )
        )


class EditorView(QWidget):
    """The note being written (or signed), its status, actions, addenda and referrals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self, level=2)
        self.recovered = notice_label(self)
        self.signed_line = QLabel(self)
        self.signed_line.setWordWrap(True)
        self.signed_line.hide()
        self.editor = QPlainTextEdit(self)
        self.status = QLabel(self)
        self.history_button = QPushButton(self)
        self.sign_button = QPushButton(self)
        self.refer_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.addenda_title = QLabel(self)
        self.addenda = QListWidget(self)
        self.addenda.setWordWrap(True)
        self.addendum = QPlainTextEdit(self)
        self.addendum.setMaximumHeight(80)
        self.addendum_button = QPushButton(self)
        self.referrals_title = QLabel(self)
        self.referrals = QListWidget(self)
        self.referrals.setMaximumHeight(90)
        actions = QHBoxLayout()
        for button in (self.history_button, self.sign_button, self.refer_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.signed_line, 1)
        status_row.addStretch(0)
        status_row.addWidget(self.status)
        self.signed_part = QWidget(self)
        signed = _column(self.signed_part)
        signed.addWidget(self.addenda_title)
        signed.addWidget(self.addenda)
        signed.addWidget(self.addendum)
        signed.addWidget(self.addendum_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = _column(self)
        layout.addWidget(self.title)
        layout.addWidget(self.recovered)
        layout.addLayout(status_row)
        layout.addWidget(self.editor, 3)
        layout.addLayout(actions)
        layout.addWidget(self.signed_part, 1)
        layout.addWidget(self.referrals_title)
        layout.addWidget(self.referrals)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.editor.setAccessibleName(self.tr("Text of the note"))
        self.history_button.setText(self.tr("&History"))
        self.history_button.setAccessibleName(self.tr("Earlier versions of the note"))
        self.sign_button.setText(self.tr("Si&gn…"))
        self.sign_button.setAccessibleName(self.tr("Sign the note (its text is then fixed)"))
        self.refer_button.setText(self.tr("&Refer…"))
        self.refer_button.setAccessibleName(self.tr("Refer the member to a resource"))
        self.export_button.setText(self.tr("E&xport PDF…"))
        self.export_button.setAccessibleName(self.tr("Export the note to PDF"))
        self.addenda_title.setText(self.tr("Addenda, after the signature"))
        self.addenda.setAccessibleName(self.tr("Addenda of the note"))
        self.addendum.setAccessibleName(self.tr("New addendum"))
        self.addendum.setPlaceholderText(self.tr("What to add to the signed note"))
        self.addendum_button.setText(self.tr("&Add an addendum"))
        self.addendum_button.setAccessibleName(self.tr("Add the addendum, dated and signed"))
        self.referrals_title.setText(self.tr("Referrals"))
        self.referrals.setAccessibleName(self.tr("Referrals of the member"))


class HistoryView(QWidget):
    """A note's kept versions, with their times; the one selected, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self, level=2)
        self.revisions = QListWidget(self)
        self.revisions.setMaximumHeight(140)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.back_button = QPushButton(self)
        layout = _column(self)
        layout.addWidget(self.title)
        layout.addWidget(self.revisions)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("History of the note"))
        self.revisions.setAccessibleName(self.tr("Versions of the note"))
        self.text.setAccessibleName(self.tr("Text of this version (read-only)"))
        self.back_button.setText(self.tr("Back to the &note"))
        self.back_button.setAccessibleName(self.tr("Back to the note"))


class FactsPanel(QWidget):
    """The facts of the session (or of one member) to cite: copy or insert at the cursor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.lines = QListWidget(self)
        self.lines.setWordWrap(True)
        self.lines.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.insert_button = QPushButton(self)
        self.copy_button = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.copy_button)
        layout = _column(self)
        layout.addWidget(self.title)
        layout.addWidget(self.lines, 1)
        layout.addLayout(buttons)

    def chosen(self) -> list[str]:
        """The lines selected (all of them when none is)."""
        rows = sorted(self.lines.row(item) for item in self.lines.selectedItems())
        if not rows:
            rows = list(range(self.lines.count()))
        return [self.lines.item(row).text() for row in rows]

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Facts to cite"))
        self.lines.setAccessibleName(self.tr("Facts of the session"))
        self.insert_button.setText(self.tr("&Insert"))
        self.insert_button.setAccessibleName(
            self.tr("Insert the selected facts at the cursor in the note")
        )
        self.copy_button.setText(self.tr("&Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the selected facts"))


class NoteViews(QStackedWidget):
    """The start view, the editor and the history, one at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = StartView(self)
        self.editor = EditorView(self)
        self.history = HistoryView(self)
        for view in (self.start, self.editor, self.history):
            self.addWidget(view)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.start.retranslate()
        self.editor.retranslate()
        self.history.retranslate()
