"""Auto-lock: lock the session log after the policy's idle minutes, or at once (Ctrl+L).

Locking asks every page in the window's stack that implements :class:`LockAware` to
save its unsaved text to the log and empty what names people, closes the log
(SQLCipher wipes its key; the ``Store``'s own copy is overwritten) and shows the
unlock page. Unlocking works as at start (keyring or passphrase); the window then
returns to the page it was on, whose ``after_unlock`` reloads it from the log.

What Python cannot promise: the key reached this process as immutable ``bytes``
(from the keyring, or derived from the passphrase) and as the hex text of
``PRAGMA key``; those objects are dropped, not overwritten, so their memory holds
the key until the allocator reuses it. A memory dump taken while locked may find it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from groupdesk.core.auto_lock import AUTO_LOCK_CHOICES, IdleLock
from groupdesk.core.errors import GroupDeskError
from groupdesk.ui.widgets import spawn
from groupdesk.ui.workspace import Stage

if TYPE_CHECKING:
    from groupdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The shortcut that locks at once (one meaning per key in the whole window).
LOCK_SHORTCUT = QKeySequence("Ctrl+L")

# How often the idle time is checked; the lock fires at most this late.
CHECK_INTERVAL_MS = 15_000

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseMove,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
    }
)

MonotonicClock = Callable[[], float]


@runtime_checkable
class LockAware(Protocol):
    """A page that holds text or names: what it does when the log locks and unlocks.

    ``before_lock`` runs while the log is still open: save unsaved text to the log
    (never to a plaintext file), then empty every widget that shows a name or a note.
    ``after_unlock`` runs once the log is open again: reload from the log.
    """

    async def before_lock(self) -> None:
        """Save unsaved text to the log, then empty what names people."""
        ...

    async def after_unlock(self) -> None:
        """Reload from the log."""
        ...


class AutoLock(QObject):
    """Watches input in every window of the app and locks the window's log when idle.

    Signals: ``locked()`` once the log is closed and the unlock page shown;
    ``unlocked()`` once the window is back on the page it was on; ``refused()`` when a
    lock was asked during a live session (``refusal`` says why).
    """

    locked = Signal()
    unlocked = Signal()
    refused = Signal()

    def __init__(
        self,
        window: MainWindow,
        *,
        minutes: int,
        ceiling: int | None = None,
        clock: MonotonicClock = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        # The most minutes the organisation allows (None: no ceiling).
        self.ceiling = ceiling
        self.idle = IdleLock(minutes, clock())
        self.refusal: QMessageBox | None = None
        self._return_to: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._locking = False
        self._locked = False  # by this object: the next OPEN returns to ``_return_to``
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

        self.lock_action = QAction(self)
        self.lock_action.setShortcut(LOCK_SHORTCUT)
        self.lock_action.triggered.connect(self.lock_now)
        self.delay_menu = QMenu(window)
        self.delay_group = QActionGroup(self)
        self.delay_actions: dict[int, QAction] = {}
        for choice in sorted({*AUTO_LOCK_CHOICES, minutes}):
            action = QAction(self)
            action.setCheckable(True)
            action.setEnabled(ceiling is None or choice <= ceiling)
            action.triggered.connect(lambda _checked=False, m=choice: self.choose_minutes(m))
            self.delay_group.addAction(action)
            self.delay_menu.addAction(action)
            self.delay_actions[choice] = action
        self.delay_actions[minutes].setChecked(True)
        self.managed_note: QAction | None = None
        """Under the delays: the organisation's ceiling ("Managed by your organisation")."""
        if ceiling is not None:
            self.delay_menu.addSeparator()
            self.managed_note = self.delay_menu.addAction("")
            self.managed_note.setEnabled(False)

        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.workspace.changed.connect(self._on_stage)
        window.languages.language_changed.connect(self._on_language)
        self._retranslate()
        self._on_stage()

    def add_to_menu(self, menu: QMenu, before: QAction) -> None:
        """Put "Lock now" and the delay's submenu in ``menu``, above ``before``."""
        menu.insertAction(before, self.lock_action)
        menu.insertMenu(before, self.delay_menu)
        menu.insertSeparator(before)

    # -- input and time ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        """Any key, click, wheel turn or mouse move in any window resets the idle time."""
        if event.type() in _INPUT_EVENTS:
            self.idle.note_input(self.clock())
        return False

    def check(self) -> bool:
        """Lock if the idle minutes have passed (the timer calls this; so can tests).

        True when a lock was started (``locked`` is emitted once it is done).
        """
        now = self.clock()
        self.idle.hold(now, self._live())
        if self._locking or self.window.workspace.stage is not Stage.OPEN:
            return False
        if not self.idle.due(now):
            return False
        spawn(self.lock())
        return True

    def choose_minutes(self, minutes: int) -> None:
        """The person's delay: used now, and remembered within the organisation's ceiling."""
        if self.ceiling is not None and minutes > self.ceiling:
            minutes = self.ceiling
        settings = self.window.settings
        if settings is not None:
            try:
                settings.set_auto_lock_minutes(minutes)
            except GroupDeskError as error:
                self.delay_actions[self.idle.minutes].setChecked(True)
                self.window.statusBar().showMessage(error.message())
                return
        self.idle.set_minutes(minutes, self.clock())
        action = self.delay_actions.get(minutes)
        if action is not None:
            action.setChecked(True)

    # -- locking -------------------------------------------------------------------

    def lock_now(self) -> None:
        """Lock at once (Ctrl+L), or say why not during a live session."""
        if self._live():
            self._refuse()
            return
        spawn(self.lock())

    async def lock(self) -> bool:
        """Save what pages hold, close the log, show the unlock page; False if not locked."""
        workspace = self.window.workspace
        if self._locking or workspace.stage is not Stage.OPEN or workspace.log is None:
            return False
        if self._live():
            return False
        self._locking = True
        try:
            current = self.window.pages.currentWidget()
            self._return_to = current if current is not self.window.unlock_page else None
            self._locked = True
            for page in self._pages():
                await _guarded(page.before_lock, page)
            self._hide_windows()
            await workspace.lock()
            self.window.show_page(self.window.unlock_page)
            self.window.unlock_page.passphrase_panel.passphrase.clear()
        finally:
            self._locking = False
        log.info("session log locked")
        self.locked.emit()
        return True

    async def _restore(self) -> None:
        page, self._return_to = self._return_to, None
        for aware in self._pages():
            await _guarded(aware.after_unlock, aware)
        if page is not None and self.window.workspace.stage is Stage.OPEN:
            self.window.show_page(page)
        for widget in self._hidden:
            try:
                widget.show()
            except RuntimeError:  # deleted while locked (a dialog that was closed)
                log.debug("a window hidden by the lock was deleted meanwhile")
        self._hidden = []
        self.idle.note_input(self.clock())
        self.unlocked.emit()

    def _on_stage(self) -> None:
        stage = self.window.workspace.stage
        self.lock_action.setEnabled(stage is Stage.OPEN)
        if stage is Stage.OPEN:
            # The log is open: the typed passphrase has done its work; do not keep it.
            self.window.unlock_page.passphrase_panel.passphrase.clear()
        if stage is Stage.OPEN and self._locked and not self._locking:
            self._locked = False
            spawn(self._restore())

    def _pages(self) -> list[LockAware]:
        stack = self.window.pages
        pages: list[LockAware] = []
        for index in range(stack.count()):
            page = stack.widget(index)
            if isinstance(page, LockAware):
                pages.append(page)
        return pages

    def _hide_windows(self) -> None:
        """Hide the window's open dialogs (they may name people); shown again on unlock."""
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible():
                continue
            parent = widget.parentWidget()
            while parent is not None and parent is not self.window:
                parent = parent.parentWidget()
            if parent is self.window:
                widget.hide()
                self._hidden.append(widget)

    def _live(self) -> bool:
        return bool(self.window.live.active)

    def _refuse(self) -> None:
        if self.refusal is None:
            box = QMessageBox(self.window)
            box.setIcon(QMessageBox.Icon.Information)
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            self.refusal = box
        self._retranslate_refusal()
        self.refusal.open()
        self.refused.emit()

    def _retranslate_refusal(self) -> None:
        if self.refusal is None:
            return
        self.refusal.setWindowTitle(self.tr("GroupDesk cannot lock now"))
        self.refusal.setText(
            self.tr(
                "A live session is under way: locking now would close the session log "
                "that is recording it."
            )
        )
        self.refusal.setInformativeText(
            self.tr(
                "End the session first. To step away during a session, lock your "
                "computer's screen instead. GroupDesk does not lock by itself during a "
                "live session; its idle time starts again when the session ends."
            )
        )

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.lock_action.setText(self.tr("&Lock now"))
        self.delay_menu.setTitle(self.tr("Lock &automatically"))
        for minutes, action in self.delay_actions.items():
            if minutes == 1:
                action.setText(self.tr("After 1 minute"))
            else:
                action.setText(self.tr("After {count} minutes").format(count=minutes))
            if not action.isEnabled() and self.ceiling is not None:
                action.setToolTip(
                    self.tr("Your organisation allows at most {ceiling} minutes.").format(
                        ceiling=self.ceiling
                    )
                )
        if self.managed_note is not None:
            self.managed_note.setText(
                self.tr("Managed by your organisation: at most {ceiling} minutes").format(
                    ceiling=self.ceiling
                )
            )
        self._retranslate_refusal()


async def _guarded(step: Callable[[], Awaitable[None]], page: object) -> None:
    """Run a page's lock step; a failure is logged and never stops the lock or unlock."""
    try:
        await step()
    except GroupDeskError:
        log.exception("a page could not prepare for the lock: %s", type(page).__name__)
    except Exception:
        log.exception("unexpected failure in a page's lock step: %s", type(page).__name__)
