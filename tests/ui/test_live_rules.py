"""The group's rules during a live session: the facilitator's app sends the policy's
rules with the room, a participant gets them while waiting, and both open them with
"Group rules". Real window (offscreen), embedded server, a desktop participant."""

from __future__ import annotations

from typing import Any

from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import Run, Windows

from groupdesk.core.policy_values import load_policy
from groupdesk.core.protocol import RoomText
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.workspace import Stage


def test_both_roles_open_the_group_rules_during_the_session(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _members = await prepared_log(windows.data_dir, ["Ana"])
        await log.close()
        window = windows.open()
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        window.live_sources = synthetic("Julie Tremblay", 9)
        page, live = window.live_page, window.live
        rules = load_policy().group_rules
        assert not page.rules_button.isVisibleTo(page)  # no room, no rules yet
        peer = None
        try:
            assert await window.open_room_now(session.id)
            assert live.rules == RoomText(en=rules.text["en"], fr_ca=rules.text["fr_CA"])
            await wait_for(lambda: page.rules_button.isVisibleTo(page))

            qtbot.mouseClick(page.rules_button, Qt.MouseButton.LeftButton)
            dialog = page.rules_button.dialog
            assert dialog.isVisible()
            assert dialog.text.toPlainText() == rules.text_in("en")
            assert "raise your hand" in dialog.text.toPlainText()
            dialog.reject()

            # The participant has them from the moment they wait, before admission.
            peer = await knock(live.invite, "Ana")
            assert peer.rules == live.rules
            their_page = LivePage(peer)
            qtbot.addWidget(their_page)
            assert their_page.rules_button.isVisibleTo(their_page)
            assert their_page.rules_button.text() == "Group &rules"
            their_page.rules_button.click()
            assert their_page.rules_button.dialog.text.toPlainText().startswith("Group rules")

            # In French, the French rules and the French words around them.
            windows.languages.set_language("fr_CA")
            QApplication.sendPostedEvents()
            QApplication.processEvents()
            assert their_page.rules_button.text() == "Règles d&u groupe"
            their_page.rules_button.click()
            shown = their_page.rules_button.dialog
            assert shown.text.toPlainText() == rules.text_in("fr_CA")
            assert shown.close_button.text() == "Fermer"
            shown.reject()
        finally:
            if peer is not None:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())
