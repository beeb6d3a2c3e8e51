"""The window on a real, encrypted session log: create, unlock, recover, and the errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from ui_helpers import Run, Windows, next_emission, until

from groupdesk.sessionlog import DatabaseDamaged, KeyStore, SessionLog, WrongPassphrase, db_path
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage

PASSPHRASE = "correct horse battery staple"


def _list_texts(window: MainWindow, which: str) -> list[str]:
    widget = getattr(window.home_page, which).list
    return [widget.item(row).text() for row in range(widget.count())]


async def _create_with_keyring(window: MainWindow, qtbot: Any) -> str:
    """First run with a keyring: create, read the recovery key, confirm, reach the home page."""
    workspace = window.workspace
    await workspace.start()
    panel = window.unlock_page.create_panel
    assert window.unlock_page.stack.currentWidget() is panel
    assert panel.use_keyring.isEnabled()
    assert panel.use_keyring.isChecked()
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    await until(workspace, lambda: workspace.stage is Stage.NEW_RECOVERY_KEY)
    shown = window.unlock_page.recovery_key_panel
    assert window.unlock_page.stack.currentWidget() is shown
    recovery_key = shown.key.text()
    assert len(recovery_key.replace("-", "")) == 56
    assert not shown.continue_button.isEnabled()  # not before "I have written it down"
    shown.written.setChecked(True)
    qtbot.mouseClick(shown.continue_button, Qt.MouseButton.LeftButton)
    assert workspace.stage is Stage.OPEN
    assert window.pages.currentWidget() is window.home_page
    assert shown.key.text() == ""
    assert workspace.recovery_key is None
    return recovery_key


def test_first_run_creates_the_log_and_a_group_then_a_relaunch_unlocks_it(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        await _create_with_keyring(window, qtbot)
        home = window.home_page
        assert home.groups.currentWidget() is home.groups.empty
        assert "Create your first group" in home.groups.empty.text()
        assert home.sessions.currentWidget() is home.sessions.empty

        window.new_group_action.trigger()  # Ctrl+N puts the cursor in the name field
        qtbot.keyClicks(home.new_group_name, "Tuesday group")
        qtbot.mouseClick(home.new_group_button, Qt.MouseButton.LeftButton)
        await next_emission(window.workspace.group_created)
        assert _list_texts(window, "groups") == ["Tuesday group"]
        assert home.groups.currentWidget() is home.groups.list
        assert home.new_group_name.text() == ""
        await windows.close_all()

        again = windows.open()
        await again.workspace.start()  # the keyring holds the key: no question asked
        assert again.workspace.stage is Stage.OPEN
        assert _list_texts(again, "groups") == ["Tuesday group"]
        await windows.close_all()

    run(scenario())


def test_past_sessions_are_listed_with_their_group(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        keys = KeyStore(windows.data_dir)
        log = await SessionLog.open(windows.data_dir, keys.create().key)
        group = await log.create_group("Parents en action")
        from datetime import UTC, datetime, timedelta

        start = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
        await log.create_session(group.id, start, start + timedelta(hours=2))
        await log.close()

        window = windows.open()
        await window.workspace.start()
        sessions = _list_texts(window, "sessions")
        assert len(sessions) == 1
        assert sessions[0].endswith("Parents en action")
        assert "2026" in sessions[0]
        await windows.close_all()

    run(scenario())


def test_without_a_keyring_the_log_needs_a_passphrase_and_says_when_it_is_wrong(
    run: Run[Any], windows: Windows, no_keyring: None, qtbot: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        workspace = window.workspace
        await workspace.start()
        panel = window.unlock_page.create_panel
        assert not panel.use_keyring.isEnabled()  # no silent plaintext, no fake keyring
        assert panel.use_passphrase.isChecked()
        qtbot.keyClicks(panel.passphrase, PASSPHRASE)
        qtbot.keyClicks(panel.confirmation, PASSPHRASE + " typo")
        qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
        assert panel.message.isVisibleTo(panel)
        assert "different" in panel.message.text()
        assert KeyStore(windows.data_dir).state() == "new"  # nothing was created

        panel.confirmation.setText(PASSPHRASE)
        qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
        await until(workspace, lambda: workspace.stage is Stage.NEW_RECOVERY_KEY)
        assert KeyStore(windows.data_dir).state() == "passphrase"
        await windows.close_all()

        again = windows.open()
        await again.workspace.start()
        unlock = again.unlock_page.passphrase_panel
        assert again.unlock_page.stack.currentWidget() is unlock
        qtbot.keyClicks(unlock.passphrase, "not it")
        qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
        await until(again.workspace, lambda: again.workspace.error is not None)
        assert again.workspace.stage is Stage.PASSPHRASE
        assert unlock.message.text() == WrongPassphrase().message()
        assert unlock.message.isVisibleTo(unlock)

        unlock.passphrase.setText(PASSPHRASE)
        qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
        await until(again.workspace, lambda: again.workspace.stage is Stage.OPEN)
        await windows.close_all()

    run(scenario())


def test_the_environment_passphrase_unlocks_without_a_question(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    async def scenario() -> None:
        new_key = KeyStore(windows.data_dir).create(passphrase=PASSPHRASE)
        await (await SessionLog.open(windows.data_dir, new_key.key)).close()
        window = windows.open(env_passphrase=PASSPHRASE)
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        await windows.close_all()

    run(scenario())


def test_a_lost_keyring_entry_is_recovered_with_the_recovery_key(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        recovery_key = await _create_with_keyring(window, qtbot)
        await windows.close_all()
        memory_keyring.entries.clear()  # a reset keyring, a new user profile...

        again = windows.open()
        workspace = again.workspace
        await workspace.start()
        blocked = again.unlock_page.blocked_panel
        assert workspace.stage is Stage.BLOCKED
        assert workspace.error is not None
        assert blocked.message.text() == workspace.error.message()
        assert "recovery key" in blocked.message.text()
        assert blocked.recovery_button.isVisibleTo(blocked)
        qtbot.mouseClick(blocked.recovery_button, Qt.MouseButton.LeftButton)
        recovery = again.unlock_page.recovery_panel
        assert again.unlock_page.stack.currentWidget() is recovery
        assert not recovery.passphrase_form.isVisibleTo(recovery)  # the keyring keeps it again
        qtbot.keyClicks(recovery.key, recovery_key.lower())
        qtbot.mouseClick(recovery.unlock_button, Qt.MouseButton.LeftButton)
        await until(workspace, lambda: workspace.stage is Stage.OPEN)
        await windows.close_all()

        third = windows.open()
        await third.workspace.start()  # the key is back in the keyring
        assert third.workspace.stage is Stage.OPEN
        await windows.close_all()

    run(scenario())


def test_a_damaged_file_is_reported_and_left_untouched(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        await _create_with_keyring(window, qtbot)
        await window.workspace.create_group("Groupe du mardi")
        await windows.close_all()
        path: Path = db_path(windows.data_dir)
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 64] = bytes(64)  # a damaged page, as a bad disk would leave it
        path.write_bytes(bytes(data))
        before = path.read_bytes()

        again = windows.open()
        await again.workspace.start()
        blocked = again.unlock_page.blocked_panel
        assert again.workspace.stage is Stage.BLOCKED
        assert isinstance(again.workspace.error, DatabaseDamaged)
        assert blocked.message.text() == again.workspace.error.message()
        assert "damaged" in blocked.message.text()
        assert "not changed" in blocked.next_step.text()
        assert again.pages.currentWidget() is again.unlock_page  # nothing of the log shown
        await windows.close_all()
        assert path.read_bytes() == before

    run(scenario())


def test_choosing_a_group_lists_its_sessions_and_all_groups_lists_them_all(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        from datetime import UTC, datetime, timedelta

        log = await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
        start = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
        for name in ("Groupe A", "Groupe B"):
            group = await log.create_group(name)
            await log.create_session(group.id, start, start + timedelta(hours=2))
        await log.close()

        window = windows.open()
        await window.workspace.start()
        home = window.home_page
        assert len(_list_texts(window, "sessions")) == 2
        assert not home.all_groups_button.isVisibleTo(home)
        home.groups.list.setCurrentRow(1)
        await next_emission(window.workspace.sessions_changed)
        sessions = _list_texts(window, "sessions")
        assert len(sessions) == 1
        assert sessions[0].endswith("Groupe B")
        assert home.all_groups_button.isVisibleTo(home)
        qtbot.mouseClick(home.all_groups_button, Qt.MouseButton.LeftButton)
        await next_emission(window.workspace.sessions_changed)
        assert len(_list_texts(window, "sessions")) == 2
        await windows.close_all()

    run(scenario())


def test_after_a_wrong_passphrase_the_next_one_can_be_typed(
    run: Run[Any], windows: Windows, no_keyring: None
) -> None:
    """The mistyped text is selected once, so typing replaces it; then keys add up again."""
    from PySide6.QtTest import QTest

    async def scenario() -> None:
        new_key = KeyStore(windows.data_dir).create(passphrase=PASSPHRASE)
        await (await SessionLog.open(windows.data_dir, new_key.key)).close()
        window = windows.open()
        await window.workspace.start()
        unlock = window.unlock_page.passphrase_panel
        field = unlock.passphrase
        QTest.keyClicks(field, "not it")
        QTest.keyClick(field, Qt.Key.Key_Return)
        await until(window.workspace, lambda: window.workspace.error is not None)
        assert field.selectedText() == "not it"  # one keystroke replaces the wrong passphrase

        QTest.keyClicks(field, "abc")
        assert field.text() == "abc"
        QTest.keyClicks(field, "d")
        assert field.text() == "abcd"
        assert unlock.message.text() == WrongPassphrase().message()  # still said
        await windows.close_all()

    run(scenario())


def test_a_damaged_keystore_is_explained_on_the_unlock_page_and_left_untouched(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window = windows.open()
        await _create_with_keyring(window, qtbot)
        await windows.close_all()
        keystore = windows.data_dir / "keystore.json"
        keystore.write_bytes(b'{"format": 1, "mode": "keyring", "key_id": "x", "key_check": 7}')
        before = (keystore.read_bytes(), keystore.stat().st_mtime_ns)

        again = windows.open()
        await again.workspace.start()
        blocked = again.unlock_page.blocked_panel
        assert again.workspace.stage is Stage.BLOCKED
        assert blocked.message.text() == (
            f"The key file of the session log ({keystore}) is damaged: the field "
            '"key_check" should be text. GroupDesk did not change the file. If you have the '
            "recovery key you wrote down when you created the log, use it to open the log: "
            "GroupDesk then writes a new key file."
        )
        assert blocked.recovery_button.isVisibleTo(blocked)
        await windows.close_all()
        assert (keystore.read_bytes(), keystore.stat().st_mtime_ns) == before

    run(scenario())
