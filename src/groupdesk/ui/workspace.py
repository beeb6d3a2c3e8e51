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
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.journal_kinds import GroupChange, GroupKind, MemberChange, MemberKind
from groupdesk.core.models import Consent, ConsentMethod, ConsentStatus, Group, Member, Session
from groupdesk.core.policy_values import ConsentText
from groupdesk.core.session_plan import Clock, local_now
from groupdesk.sessionlog import KeyStore, SessionCounts, SessionLog, keyring_available
from groupdesk.sessionlog.errors import (
    KeyNotFound,
    KeyringBackendChanged,
    PassphraseRequired,
    WrongKey,
    WrongPassphrase,
)
from groupdesk.ui.preparation import Preparation
from groupdesk.ui.records.one_to_one import one_to_one_names
from groupdesk.ui.widgets import by_name, spawn

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
    LOCKED = "locked"  # locked while open (idle, Ctrl+L): the keyring gives the key on demand
    OPEN = "open"  # the log is open: groups and sessions are listed


#: Stages where the window waits for the person (the first picture of the window is taken then).
SETTLED_STAGES = frozenset(
    {
        Stage.CHOOSE_PROTECTION,
        Stage.PASSPHRASE,
        Stage.RECOVERY,
        Stage.NEW_RECOVERY_KEY,
        Stage.BLOCKED,
        Stage.LOCKED,
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
        ``members_changed()``: ``members`` (of the selected group) was reloaded.
        ``group_saved(int)``: a group was renamed, archived or restored (its id).
        ``member_saved(int)``: a member was added, changed, archived or restored (its id).
        ``member_failed()``: saving a member failed; ``member_error`` says why.

    Preparing a session is ``preparation`` (:class:`~groupdesk.ui.preparation.Preparation`).
    """

    changed = Signal()
    groups_changed = Signal()
    sessions_changed = Signal()
    group_created = Signal(int)
    group_failed = Signal()
    members_changed = Signal()
    group_saved = Signal(int)
    member_saved = Signal(int)
    member_failed = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        env_passphrase: str | None = None,
        now: Clock = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        #: What time it is, for whatever depends on the hour (tests pass a fixed clock).
        self.now = now
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
        self.session_counts: dict[int, SessionCounts] = {}
        #: Whom each one-to-one meeting listed is with (session id -> member's name).
        self.one_to_one: dict[int, str] = {}
        self.members: list[Member] = []
        #: The latest consent of each member of the selected group who has one.
        self.consents: dict[int, Consent] = {}
        #: The consent text in force (the policy's; the main window sets it).
        self.remote_consent = ConsentText.builtin()
        #: Sessions missed in a row that flag a member (the policy's; the main window sets it).
        self.attrition_missed_in_row = 2
        self.selected_group_id: int | None = None
        self.show_archived = False
        self.member_error: GroupDeskError | None = None
        self.preparation = Preparation(self)
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
        await self._guard(lambda: log_.append_event(None, GroupChange("group.created", result.id)))
        self.selected_group_id = result.id
        await self.reload()
        self.group_created.emit(result.id)
        return True

    async def select_group(self, group_id: int | None) -> None:
        """Show the members and past sessions of one group (``None``: sessions of every group)."""
        self.selected_group_id = group_id
        await self.reload_sessions()
        await self._reload_members()

    def selected_group(self) -> Group | None:
        """The group chosen in the list, if any."""
        return next((g for g in self.groups if g.id == self.selected_group_id), None)

    async def set_show_archived(self, show: bool) -> None:
        """List archived groups and members too (or not)."""
        self.show_archived = show
        await self.reload()

    async def update_group(self, group_id: int, name: str, description: str) -> bool:
        """Rename a group or change its description; False (see ``group_error``) if not."""
        return await self._save_group(
            group_id,
            "group.updated",
            lambda log_: log_.update_group(group_id, name=name, description=description),
        )

    async def archive_group(self, group_id: int, archived: bool = True) -> bool:
        """Archive a group (its records stay) or bring it back."""
        kind: GroupKind = "group.archived" if archived else "group.restored"
        if archived and not self.show_archived and self.selected_group_id == group_id:
            self.selected_group_id = None
        return await self._save_group(
            group_id, kind, lambda log_: log_.archive_group(group_id, archived)
        )

    async def save_member(
        self, group_id: int, member_id: int | None, fields: dict[str, Any]
    ) -> Member | None:
        """Add a member (``member_id`` None) or change one; None (see ``member_error``) if not."""
        if self.log is None:
            return None
        log_ = self.log
        self.member_error = None
        if member_id is None:
            name = fields.pop("display_name")
            member = await self._guard(
                lambda: log_.add_member(group_id, name, **fields), for_members=True
            )
            kind: MemberKind = "member.added"
        else:
            member = await self._guard(
                lambda: log_.update_member(member_id, **fields), for_members=True
            )
            kind = "member.updated"
        if member is None:
            self.member_failed.emit()
            return None
        # Ids only: the journal says what happened, the member row holds who.
        await self._guard(lambda: log_.append_event(None, MemberChange(kind, group_id, member.id)))
        await self._reload_members()
        self.member_saved.emit(member.id)
        return member

    def needs_consent(self, member: Member) -> bool:
        """Whether ``member`` has not consented to the current version of the text (none
        on record, an earlier version, or withdrawn since)."""
        latest = self.consents.get(member.id)
        return (
            member.consent is not ConsentStatus.GIVEN
            or latest is None
            or latest.version != self.remote_consent.version
        )

    async def record_consent(self, member_id: int, method: ConsentMethod) -> Consent | None:
        """Record that a member consented, now, to the current text, given by ``method``;
        None (see ``member_error``) if it could not be saved."""
        if self.log is None:
            return None
        log_, version, when = self.log, self.remote_consent.version, self.now()
        self.member_error = None
        consent = await self._guard(
            lambda: log_.record_consent(member_id, version, method, when), for_members=True
        )
        if consent is None:
            self.member_failed.emit()
            return None
        await self._reload_members()
        self.member_saved.emit(member_id)
        return consent

    async def archive_member(self, member_id: int, archived: bool = True) -> bool:
        """Archive a member (their records stay) or bring them back."""
        if self.log is None:
            return False
        log_ = self.log
        self.member_error = None
        member = await self._guard(
            lambda: log_.archive_member(member_id, archived), for_members=True
        )
        if member is None:
            self.member_failed.emit()
            return False
        changed = MemberChange(
            "member.archived" if archived else "member.restored", member.group_id, member_id
        )
        await self._guard(lambda: log_.append_event(None, changed))
        await self._reload_members()
        self.member_saved.emit(member_id)
        return True

    async def reload(self) -> None:
        """Read the groups and the past sessions again."""
        if self.log is None:
            return
        log_ = self.log
        show_archived = self.show_archived
        groups = await self._guard(lambda: log_.list_groups(include_archived=show_archived))
        if groups is not None:
            if self.selected_group_id not in {g.id for g in groups}:
                self.selected_group_id = None
            self.groups = by_name(list(groups), lambda group: group.name)
            self.groups_changed.emit()
        await self.reload_sessions()
        await self._reload_members()

    async def lock(self) -> None:
        """Close the log and forget what it showed; unlocking works as it did at start.

        The lists are emptied (and their signals emitted) so no page keeps a name on
        screen; ``selected_group_id`` is kept (an id, not a name) so unlocking returns
        to the same group. A keyring-protected log waits in ``LOCKED`` for the person to
        ask (it would otherwise reopen by itself); a passphrase-protected one asks for it.
        """
        if self.stage is not Stage.OPEN or self.log is None:
            return
        log_, self.log = self.log, None
        self.groups, self.sessions, self.members = [], [], []
        self.session_counts, self.consents = {}, {}
        self.groups_changed.emit()
        self.sessions_changed.emit()
        self.members_changed.emit()
        try:
            await log_.close()
        finally:
            self.error = None
            self._set_stage(Stage.PASSPHRASE if self._protected_by_passphrase() else Stage.LOCKED)

    async def unlock_from_keyring(self) -> None:
        """Unlock a keyring-protected log again (after it was locked)."""
        await self._unlock(None)

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

    async def reload_sessions(self) -> None:
        """Read the sessions (of the chosen group) and their counts again."""
        if self.log is None:
            return
        log_, group_id = self.log, self.selected_group_id
        sessions = await self._guard(lambda: log_.list_sessions(group_id=group_id))
        counts = await self._guard(lambda: log_.session_counts(group_id))
        if sessions is not None:
            with_whom = await self._guard(lambda: one_to_one_names(log_, sessions))
            self.sessions = list(sessions)
            self.session_counts = dict(counts or {})
            self.one_to_one = dict(with_whom or {})
            self.sessions_changed.emit()

    async def _reload_members(self) -> None:
        if self.log is None:
            return
        log_, group_id, show = self.log, self.selected_group_id, self.show_archived
        if group_id is None:
            members: list[Member] | None = []
            self.consents = {}
        else:
            members = await self._guard(lambda: log_.list_members(group_id, include_archived=show))
            consents = await self._guard(lambda: log_.latest_consents(group_id))
            self.consents = consents or {}
        if members is not None:
            self.members = by_name(list(members), lambda member: member.display_name)
            self.members_changed.emit()

    async def _save_group(
        self, group_id: int, kind: GroupKind, change: Callable[[SessionLog], Awaitable[Group]]
    ) -> bool:
        if self.log is None:
            return False
        log_ = self.log
        self.group_error = None
        saved = await self._guard(lambda: change(log_), for_groups=True)
        if saved is None:
            self.group_failed.emit()
            return False
        await self._guard(lambda: log_.append_event(None, GroupChange(kind, group_id)))
        await self.reload()
        self.group_saved.emit(group_id)
        return True

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
        self,
        make: Callable[[], Awaitable[_T]],
        *,
        for_groups: bool = False,
        for_members: bool = False,
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
        elif for_members:
            self.member_error = error
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
