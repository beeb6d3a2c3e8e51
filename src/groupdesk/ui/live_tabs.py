"""The live screen's side panels (waiting room, chat...), chosen with a row of buttons."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


class SideTabs(QWidget):
    """Side panels chosen with a row of toggle buttons (no Qt-internal arrows to translate).

    Later issues add their panels (turns, checklist, crisis) with ``addTab``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: list[QPushButton] = []
        self.pages: list[QWidget] = []
        self.choice = QButtonGroup(self)
        self.stack = QStackedWidget(self)
        self.row = QHBoxLayout()
        self.row.setSpacing(0)
        self.row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.row)
        layout.addWidget(self.stack, 1)
        self.choice.idClicked.connect(lambda index: self.setCurrentWidget(self.pages[index]))

    def addTab(self, page: QWidget, text: str) -> None:  # noqa: N802 -- as QTabWidget
        """Add ``page`` with a button labelled ``text``."""
        button = QPushButton(text, self)
        button.setCheckable(True)
        self.choice.addButton(button, len(self.buttons))
        self.row.insertWidget(len(self.buttons), button)
        self.buttons.append(button)
        self.pages.append(page)
        self.stack.addWidget(page)
        if len(self.buttons) == 1:
            button.setChecked(True)

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 -- as QTabWidget
        """The index of ``page``."""
        return self.pages.index(page)

    def tabText(self, index: int) -> str:  # noqa: N802 -- as QTabWidget
        """The label of page ``index``."""
        return self.buttons[index].text()

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802 -- as QTabWidget
        """Label the button of page ``index``."""
        self.buttons[index].setText(text)
        self.buttons[index].setAccessibleName(text)

    def setTabVisible(self, index: int, visible: bool) -> None:  # noqa: N802 -- as QTabWidget
        """Show or hide the button of page ``index`` (and the page, if it was shown)."""
        self.buttons[index].setVisible(visible)
        if not visible and self.stack.currentWidget() is self.pages[index]:
            others = [p for i, p in enumerate(self.pages) if i != index]
            if others:
                self.setCurrentWidget(others[0])

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 -- as QTabWidget
        """Show ``page``."""
        self.buttons[self.pages.index(page)].setChecked(True)
        self.stack.setCurrentWidget(page)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 -- as QTabWidget
        """The page shown."""
        return self.stack.currentWidget()
