"""Settings the organisation decides, said so where they are shown; and the screen-capture
exclusion of the window.

A setting the managed policy locks (or bounds) stays visible but cannot be changed,
with the words "Managed by your organisation" beside it: a disabled entry of its menu,
which a screen reader reads with the menu.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.policy_values import Policy
from groupdesk.ui.capture_exclusion import CaptureBackend
from groupdesk.ui.settings import UserSettings

CAPTURE_KEY = "exclude_screen_capture"


def managed_text() -> str:
    """ "Managed by your organisation", in the current language."""
    return QCoreApplication.translate("ManagedSettings", "Managed by your organisation")


def managed_note(menu: QMenu, text: str | None = None) -> QAction:
    """A disabled entry at the end of ``menu`` saying the organisation decides it."""
    menu.addSeparator()
    note = menu.addAction(text or managed_text())
    note.setEnabled(False)
    note.setObjectName("managedNote")
    return note


class CaptureSetting(QObject):
    """The File menu's "Hide this window from screen capture": the policy's value, the
    person's choice when the organisation leaves it to them, applied to ``window``
    each time it gets a native window (shown, recreated) -- or, where the system
    cannot, said so."""

    def __init__(
        self,
        window: QWidget,
        policy: Policy,
        backend: CaptureBackend,
        settings: UserSettings | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.backend = backend
        self.settings = settings
        self.available = backend.available()
        self.managed = CAPTURE_KEY in policy.managed_keys
        self.excluded = policy.exclude_screen_capture
        """Whether the window should be hidden from capture (policy, else the person)."""
        self.applied: bool | None = None
        """What the system last accepted (None: not applied yet)."""
        self.message = ""
        """Why the last choice was not kept ("": it was)."""
        self.action = QAction(self)
        self.action.setCheckable(True)
        self.action.setChecked(self.excluded and self.available)
        self.action.setEnabled(self.available and not self.managed)
        self.action.toggled.connect(self.choose)
        window.installEventFilter(self)
        self.retranslate()

    def apply(self) -> bool:
        """Hide the window from capture (or not) now; False where the system cannot, or
        when there is nothing to undo (never hidden)."""
        if not self.available or (not self.excluded and not self.applied):
            return False
        self.applied = self.backend.apply(int(self.window.winId()), self.excluded)
        return self.applied

    def choose(self, excluded: bool) -> None:
        """The person's choice: kept in their settings, applied at once."""
        if excluded == self.excluded or self.managed or not self.available:
            return
        if self.settings is not None:
            try:
                self.settings.set_exclude_screen_capture(excluded)
            except GroupDeskError as error:
                self.message = error.message()
                self.action.setChecked(self.excluded)
                return
        self.message = ""
        self.excluded = excluded
        if self.window.isVisible():
            self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        """Apply once the window has a native window (shown, or recreated)."""
        if watched is self.window and (
            event.type() == QEvent.Type.Show
            or (event.type() == QEvent.Type.WinIdChange and self.window.isVisible())
        ):
            self.apply()
        return False

    def retranslate(self) -> None:
        """The entry's text, saying when the system cannot or the organisation decides."""
        text = self.tr("Hide this window from screen &capture")
        if not self.available:
            text = self.tr("{setting} (not available on this system)").format(setting=text)
            self.action.setToolTip(
                self.tr(
                    "This system gives no way to hide a window from screen capture "
                    "(Windows 10 version 2004 and later, and macOS, do)."
                )
            )
            self.action.setStatusTip(self.tr("Not available on this system"))
        elif self.managed:
            text = self.tr("{setting} (managed by your organisation)").format(setting=text)
            self.action.setToolTip(managed_text())
            self.action.setStatusTip(managed_text())
        else:
            self.action.setToolTip(
                self.tr("Other programs that record or share the screen see this window blank.")
            )
        self.action.setText(text)
