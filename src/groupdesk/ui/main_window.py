"""The main window: the unlock page until the log is open, then the home page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from groupdesk import __version__
from groupdesk.ui.home_page import HomePage
from groupdesk.ui.language import LANGUAGE_NAMES, LanguageSwitcher
from groupdesk.ui.settings import UserSettings
from groupdesk.ui.unlock_page import UnlockPage
from groupdesk.ui.workspace import Stage, Workspace


class PolicyProblemLike(Protocol):
    """A problem met while reading the organisation policy (``core.policy.PolicyProblem``)."""

    def describe(self, lang: str | None = None) -> str:
        """File, key and reason, in ``lang`` (default: the current language)."""
        ...


#: The size the window opens at (and the size of its screenshot).
DEFAULT_SIZE = QSize(960, 640)


class MainWindow(QMainWindow):
    """Pages in a stack, the menus, and a status bar notice for policy problems.

    Signals: ``closed()`` once the window has closed (the application then ends).
    """

    closed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        languages: LanguageSwitcher,
        *,
        settings: UserSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.languages = languages
        self.settings = settings
        self.policy_problems: list[PolicyProblemLike] = []
        self.resize(DEFAULT_SIZE)

        self.unlock_page = UnlockPage(workspace, self)
        self.home_page = HomePage(workspace, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.unlock_page)
        self.pages.addWidget(self.home_page)
        self.setCentralWidget(self.pages)

        self.file_menu = self.menuBar().addMenu("")
        self.new_group_action = QAction(self)
        self.new_group_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_group_action.triggered.connect(self.home_page.start_new_group)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.new_group_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, name in LANGUAGE_NAMES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(lang)
            action.triggered.connect(lambda _checked=False, lang=lang: self.choose_language(lang))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action

        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

        self.policy_notice = QLabel(self)
        self.statusBar().addWidget(self.policy_notice, 1)
        self.policy_notice.hide()

        workspace.changed.connect(self._show_stage)
        languages.language_changed.connect(self._check_language)
        self._retranslate()
        self._check_language(languages.language())
        if settings is not None and settings.language_locked():
            # The organisation fixed the language: the menu shows it but cannot change it.
            self.language_group.setEnabled(False)
        self._show_stage()

    def choose_language(self, lang: str) -> None:
        """Switch the whole interface to ``lang`` now, and remember the choice."""
        self.languages.set_language(lang)
        if self.settings is not None:
            self.settings.set_language(lang)

    def show_policy_problems(self, problems: Sequence[PolicyProblemLike]) -> None:
        """Tell the person, in the status bar, that the organisation policy has problems."""
        self.policy_problems = list(problems)
        self._retranslate_policy_notice()

    def show_about(self) -> None:
        """The About box (not modal to the loop: it does not block the session log)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("About GroupDesk"))
        box.setText(self.tr("GroupDesk {version}").format(version=__version__))
        box.setInformativeText(
            self.tr(
                "Remote groups for social workers, counsellors and peer-support "
                "facilitators: fair turns, confidentiality and an encrypted session log "
                "that stays on this computer."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 -- Qt's name
        """Tell the application the window is gone (it closes the log, then ends)."""
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def _show_stage(self) -> None:
        is_open = self.workspace.stage is Stage.OPEN
        self.pages.setCurrentWidget(self.home_page if is_open else self.unlock_page)
        self.new_group_action.setEnabled(is_open)

    def _check_language(self, lang: str) -> None:
        action = self.language_actions.get(lang)
        if action is not None:
            action.setChecked(True)

    def _retranslate_policy_notice(self) -> None:
        if not self.policy_problems:
            self.policy_notice.hide()
            return
        details = [problem.describe() for problem in self.policy_problems]
        self.policy_notice.setText(
            self.tr("Problem in your organisation's policy: {details}").format(details=details[0])
        )
        self.policy_notice.setToolTip("\n".join(details))
        self.policy_notice.setAccessibleName(self.tr("Organisation policy problems"))
        self.policy_notice.show()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("GroupDesk"))
        self.file_menu.setTitle(self.tr("&File"))
        self.new_group_action.setText(self.tr("&New group"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About GroupDesk"))
        self._retranslate_policy_notice()
