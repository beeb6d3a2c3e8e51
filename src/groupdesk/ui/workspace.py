"""The state behind the window: is the session log locked, open or in trouble; its lists.

``Workspace`` is the model the pages listen to. It drives the asynchronous
``SessionLog`` API (never SQL on the UI thread) and the key store (whose key
derivation and keyring calls run in a worker thread), and turns every failure
into a ``GroupDeskError`` kept in ``error`` for the page to show. Tests drive it
without any window.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.models import Group, Session
from groupdesk.sessionlog import KeyStore, SessionLog, keyring_available
from groupdesk.sessionlog.errors import (
    KeyNotFound,
    KeyringBackendChanged,
    PassphraseRequired,
    WrongKey,
    WrongPassphrase,
)
from groupdesk.ui.widgets import spawn

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "GROUPDESK_PASSPHRASE"  # noqa: S105 -- a variable name

_T = TypeVar("_T")


class Stage(enum.Enum):
    """Where the person is between starting the app and using the log."""

    STARTING = "starting"  # nothing known yet
    BUSY = "busy"  # creating, unlocking or opening: wait
    CHOOSE_PROTECTION = "choose-protection"  # first run: no log yet
    PASSPHRASE = "passphrase"  # noqa: S105 -- the log is protected by a passphrase: ask for it
    RECOVERY = "recovery"  # unlocking with the recovery key
    NEW_RECOVERY_KEY = "new-recovery-key"  # show the recovery key, once
    BLOCKED = "blocked"  # an error the person cannot fix by typing again
    OPEN = "open"  # the log is open: groups and sessions are listed


#: Stages where the window waits for the person (the first picture of the window is taken then).
SETTLED_STAGES = frozenset(
    {
        Stage.CHOOSE_PROTECTION,
        Stage.PASSPHRASE,
        Stage.RECOVERY,
        Stage.NEW_RECOVERY_KEY,
        Stage.BLOCKED,
        Stage.OPEN,
    }
)


class Workspace(QObject):
    """The session log as the window sees it.

    Signals:
        ``changed()``: ``stage``, ``error``, ``recovery_key`` or ``busy`` changed.
        ``groups_changed()``: ``groups`` was reloaded.
        ``sessions_changed()``: ``sessions`` was reloaded.
        ``group_created(int)``: a group was created (its id) and the lists reloaded.
        ``group_failed()``: creating a group failed; ``group_error`` says why.
    """

    changed = Signal()
    groups_changed = Signal()
    sessions_changed = Signal()
    group_created = Signal(int)
    group_failed = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        env_passphrase: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.keys = KeyStore(data_dir)
        self._env_passphrase = env_passphrase
        self.stage = Stage.STARTING
        self.error: GroupDeskError | None = None
        self.group_error: GroupDeskError | None = None
        self.recovery_key: str | None = None
        self.keyring_usable = False
        self.recovery_needs_passphrase = False
        self.groups: list[Group] = []
        self.sessions: list[Session] = []
        self.selected_group_id: int | None = None
        self.log: SessionLog | None = None
        self._busy = False

    @classmethod
    def from_environment(cls, data_dir: Path, parent: QObject | None = None) -> Workspace:
        """A workspace that unlocks with ``GROUPDESK_PASSPHRASE`` when it is set."""
        return cls(data_dir, env_passphrase=os.environ.get(PASSPHRASE_ENV) or None, parent=parent)

    # -- what the pages read ------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while an operation runs (buttons are disabled)."""
        return self._busy

    @property
    def settled(self) -> bool:
        """True when the window is waiting for the person, not for the log."""
        return self.stage in SETTLED_STAGES and not self._busy

    # -- opening --------------------------------------------------------------

    async def start(self) -> None:
        """Decide what the first page is; unlock at once when no typing is needed."""
        self.keyring_usable = bool(await self._in_thread(keyring_available))
        self.recovery_needs_passphrase = not self.keyring_usable
        self.error = None
        state = await self._in_thread(self.keys.state)
        if state is None:  # e.g. the database is there but its keystore.json is gone
            self._fail(Stage.BLOCKED)
        elif state == "new":
            self._set_stage(Stage.CHOOSE_PROTECTION)
        elif state == "keyring":
            await self._unlock(None)
        elif self._env_passphrase:
            await self._unlock(self._env_passphrase)
        else:
            self._set_stage(Stage.PASSPHRASE)

    async def create(self, passphrase: str | None) -> None:
        """Create the log: in the keyring when ``passphrase`` is None, else under it."""
        self._begin()
        new_key = await self._in_thread(lambda: self.keys.create(passphrase=passphrase))
        if new_key is None:
            self._fail(Stage.CHOOSE_PROTECTION)
            return
        if await self._open(new_key.key, create=True):
            self.recovery_key = new_key.recovery_key
            self._end(Stage.NEW_RECOVERY_KEY)

    async def unlock(self, passphrase: str) -> None:
        """Unlock with the passphrase the person typed."""
        await self._unlock(passphrase)

    async def unlock_with_recovery_key(self, text: str, new_passphrase: str | None = None) -> None:
        """Unlock with the recovery key; protect the key again (keyring or new passphrase)."""
        self._begin()
        key = await self._in_thread(
            lambda: self.keys.unlock_with_recovery_key(text, new_passphrase=new_passphrase)
        )
        if key is None:
            self._fail(Stage.RECOVERY)
            return
        if await self._open(key):
            self._end(Stage.OPEN)

    def use_recovery_key(self) -> None:
        """Go to the recovery-key form (a person chose "Use my recovery key")."""
        self.error = None
        self._set_stage(Stage.RECOVERY)

    def leave_recovery(self) -> None:
        """Back from the recovery-key form to where a person types a passphrase or retries."""
        self.error = None
        self._set_stage(Stage.PASSPHRASE if self._protected_by_passphrase() else Stage.STARTING)
        if self.stage is Stage.STARTING:
            spawn(self.start())

    def confirm_recovery_key_written(self) -> None:
        """The person has written the recovery key down: forget it and show the log."""
        if self.stage is not Stage.NEW_RECOVERY_KEY:
            return
        self.recovery_key = None
        self._set_stage(Stage.OPEN)

    async def retry(self) -> None:
        """Start again from the key store (after a blocking error)."""
        self.error = None
        self._set_stage(Stage.STARTING)
        await self.start()

    # -- groups and sessions ----------------------------------------------------

    async def create_group(self, name: str) -> bool:
        """Create a group in the log and reload the list; False (see ``group_error``) if not."""
        if self.log is None:
            return False
        log_ = self.log
        self.group_error = None
        result = await self._guard(lambda: log_.create_group(name), for_groups=True)
        if result is None:
            self.group_failed.emit()
            return False
        self.selected_group_id = result.id
        await self.reload()
        self.group_created.emit(result.id)
        return True

    async def select_group(self, group_id: int | None) -> None:
        """Show the past sessions of one group (``None``: of every group)."""
        self.selected_group_id = group_id
        await self._reload_sessions()

    async def reload(self) -> None:
        """Read the groups and the past sessions again."""
        if self.log is None:
            return
        log_ = self.log
        groups = await self._guard(log_.list_groups)
        if groups is not None:
            self.groups = list(groups)
            self.groups_changed.emit()
        await self._reload_sessions()

    async def close(self) -> None:
        """Close the log (once the window has closed)."""
        if self.log is not None:
            log_, self.log = self.log, None
            await log_.close()

    # -- internals --------------------------------------------------------------

    async def _unlock(self, passphrase: str | None) -> None:
        self._begin()
        key = await self._in_thread(lambda: self.keys.unlock(passphrase=passphrase))
        if key is None:
            self._fail(self._stage_after_unlock_error())
            return
        if await self._open(key):
            self._end(Stage.OPEN)

    async def _open(self, key: bytes, *, create: bool = False) -> bool:
        """Open the log (integrity gate, migrations) and load its lists.

        Only the first run creates the database: a missing file later is an error
        to show, never a reason to start over with an empty log.
        """
        opened = await self._guard(lambda: SessionLog.open(self.data_dir, key, create=create))
        if opened is None:
            self._fail(Stage.BLOCKED)
            return False
        self.log = opened
        await self.reload()
        return True

    async def _reload_sessions(self) -> None:
        if self.log is None:
            return
        log_, group_id = self.log, self.selected_group_id
        sessions = await self._guard(lambda: log_.list_sessions(group_id=group_id))
        if sessions is not None:
            self.sessions = list(sessions)
            self.sessions_changed.emit()

    def _stage_after_unlock_error(self) -> Stage:
        """Typing again helps after a wrong or missing passphrase; nothing else does."""
        if isinstance(self.error, PassphraseRequired | WrongPassphrase):
            return Stage.PASSPHRASE
        return Stage.BLOCKED

    def _protected_by_passphrase(self) -> bool:
        try:
            return bool(self.keys.state() == "passphrase")
        except GroupDeskError:
            return False

    def recovery_offered(self) -> bool:
        """Whether the recovery key can help with the current error."""
        if self.stage is Stage.PASSPHRASE:
            return True
        return isinstance(self.error, KeyNotFound | KeyringBackendChanged | WrongKey)

    async def _in_thread(self, func: Callable[[], _T]) -> _T | None:
        """Run blocking key-store work (key derivation, keyring) off the UI thread."""
        return await self._guard(lambda: asyncio.to_thread(func))

    async def _guard(
        self, make: Callable[[], Awaitable[_T]], *, for_groups: bool = False
    ) -> _T | None:
        """Await ``make()``; on failure keep the error for the page and return None."""
        error: GroupDeskError
        try:
            return await make()
        except GroupDeskError as raised:
            error = raised
        except Exception:  # the window must show a message, never crash
            log.exception("unexpected failure in the session log")
            error = GroupDeskError()
        if for_groups:
            self.group_error = error
        else:
            self.error = error
        return None

    def _begin(self) -> None:
        self.error = None
        self._busy = True
        self._set_stage(Stage.BUSY)

    def _end(self, stage: Stage) -> None:
        self._busy = False
        self._set_stage(stage)

    def _fail(self, stage: Stage) -> None:
        self._busy = False
        self._set_stage(stage)

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        self.changed.emit()
