"""Errors that typing again cannot fix, and the organisation policy notice."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ui_helpers import Run, Windows

from groupdesk.core.policy import load_effective_policy
from groupdesk.sessionlog import (
    KeyringBackendChanged,
    KeyStore,
    SchemaTooNew,
    SessionLog,
    db_path,
)
from groupdesk.sessionlog.connection import connect
from groupdesk.ui.workspace import Stage


async def _new_log(data_dir: Path) -> bytes:
    key = KeyStore(data_dir).create().key
    await (await SessionLog.open(data_dir, key)).close()
    return key


def test_a_log_from_a_newer_groupdesk_is_refused_untouched(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        key = await _new_log(windows.data_dir)
        conn = connect(db_path(windows.data_dir), key)
        conn.execute("PRAGMA user_version = 999")
        conn.close()
        before = db_path(windows.data_dir).read_bytes()

        window = windows.open()
        await window.workspace.start()
        blocked = window.unlock_page.blocked_panel
        assert window.workspace.stage is Stage.BLOCKED
        assert isinstance(window.workspace.error, SchemaTooNew)
        assert blocked.message.text() == window.workspace.error.message()
        assert "newer GroupDesk" in blocked.message.text()
        assert not blocked.recovery_button.isVisibleTo(blocked)  # a key would not help
        await windows.close_all()
        assert db_path(windows.data_dir).read_bytes() == before

    run(scenario())


def test_a_changed_keyring_backend_is_named_and_the_recovery_key_offered(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        await _new_log(windows.data_dir)
        keystore = windows.data_dir / "keystore.json"
        meta = json.loads(keystore.read_text())
        meta["backend"] = "keyring.backends.SecretService.Keyring"
        keystore.write_text(json.dumps(meta))

        window = windows.open()
        await window.workspace.start()
        blocked = window.unlock_page.blocked_panel
        assert isinstance(window.workspace.error, KeyringBackendChanged)
        assert "SecretService" in blocked.message.text()
        assert blocked.recovery_button.isVisibleTo(blocked)
        await windows.close_all()

    run(scenario())


def test_policy_problems_are_shown_in_the_status_bar(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        managed = Path(os.environ["GROUPDESK_POLICY_ROOT"]) / "managed"
        managed.mkdir(parents=True)
        (managed / "10-site.json").write_text("{ not json")
        problems = load_effective_policy().problems
        assert problems

        window = windows.open()
        window.show_policy_problems(problems)
        notice = window.policy_notice
        assert notice.isVisibleTo(window)
        assert notice.text() == "1 problem in your organisation's policy"
        notice.click()  # the list: file, key and reason
        assert window.policy_problems_dialog is not None
        assert "10-site.json" in window.policy_problems_dialog.listing.toPlainText()
        window.policy_problems_dialog.reject()
        await windows.close_all()

    run(scenario())
