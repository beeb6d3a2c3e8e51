"""The safety signal on the desktop: a participant's discreet option (and its withdrawal),
the facilitator's silent tile marker and Safety tab with times, next steps and "Mark as
handled", a bot's drill; the journal holds each step, by id."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from live_helpers import knock, prepared_log, synthetic, wait_for
from ui_helpers import Run, Windows

from groupdesk.bots import BotBehaviour, run_bots
from groupdesk.core.policy_values import load_policy
from groupdesk.core.protocol import QuestionText, SafetyWording
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.main_window import MainWindow
from groupdesk.ui.workspace import Stage

DRILL = BotBehaviour(
    width=320, height=180, fps=10, receive_video=False, hand_raises_per_minute=0, safety_after=0.5
)


async def _window(windows: Windows, names: list[str]) -> tuple[MainWindow, int]:
    log, session, _ = await prepared_log(windows.data_dir, names)
    await log.close()
    window = windows.open()
    await window.workspace.start()
    assert window.workspace.stage is Stage.OPEN
    window.live_sources = synthetic("Julie Tremblay", 9)
    return window, session.id


def test_the_discreet_option_reaches_the_facilitator_s_safety_tab_until_handled(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        window, session_id = await _window(windows, ["Ana", "Ben"])
        page, live = window.live_page, window.live
        assert await window.open_room_now(session_id)
        ana = await knock(live.invite, "Ana")  # the desktop app's participant mode
        ana_page = LivePage(ana)
        qtbot.addWidget(ana_page)
        ana_page.show()
        swarm = await run_bots(live.invite, 1, ["Ben"], DRILL)
        safety = page.safety_view
        tab = page.side_tabs.indexOf(safety.panel)
        try:
            await wait_for(lambda: len(live.lobby) == 2)
            await live.admit_all()
            await swarm.wait_admitted(timeout=60)
            await wait_for(lambda: len(ana.members) == 3 and len(live.members) == 3)
            ben = swarm.bots[0]
            ana_seat, ben_seat = ana.self_seat, ben.member_id
            assert ben_seat is not None

            # Ben's drill: the signal half a second after admission.
            await wait_for(lambda: ben_seat in safety.panel.rows)
            assert page.side_tabs.tabText(tab) == "Safety (1)"
            assert page.side_tabs.buttons[tab].isVisible()
            assert page.safety_notice.text() == (
                "A participant used the discreet option: see the Safety tab."
            )
            assert "safety signal" in page.grid.tiles[ben_seat].accessibleName()
            row = safety.panel.rows[ben_seat]
            assert row.who.text() == "Ben"
            assert row.when.text().startswith("Sent at ")
            assert row.when.text().endswith(" new")
            steps = safety.panel.steps.text()
            assert "privately in the chat" in steps
            assert "call them back later by phone" in steps
            assert "Do not ask about it aloud" in steps
            assert "\u201cSwitch to text only\u201d" in safety.panel.about.text()

            # Ana, on the desktop: an ordinary-looking option among her controls.
            option = ana_page.safety_view.option_button
            assert option.isVisible()
            assert option.text() == "Switch to text only"
            assert not ana_page.side_tabs.buttons[tab].isVisible()  # no Safety tab for her
            option.click()
            await wait_for(lambda: ana_seat in safety.panel.rows)
            assert ana_page.safety_view.option_status.text() == "Text-only mode requested."
            assert option.text() == "Back to normal mode"
            assert page.side_tabs.tabText(tab) == "Safety (2)"
            assert "2 participants" in page.safety_notice.text()
            assert "safety signal" in page.grid.tiles[ana_seat].accessibleName()
            assert ana.safety.open_calls() == []  # a participant's app never holds one
            assert not ana.members[ben_seat].safety_signal

            # Ana takes it back: her tile's marker goes, the signal stays to follow up.
            option.click()
            await wait_for(lambda: live.safety.calls[ana_seat].state == "withdrawn")
            assert ana_page.safety_view.option_status.text() == "Normal mode restored."
            assert "withdrawn at" in safety.panel.rows[ana_seat].when.text()
            assert "safety signal" not in page.grid.tiles[ana_seat].accessibleName()
            assert page.side_tabs.tabText(tab) == "Safety (2)"

            # Ben takes his back too (the bots' API); "Write privately" opens a private line.
            await ben.signal_safety(withdrawn=True)
            await wait_for(lambda: live.safety.calls[ben_seat].state == "withdrawn")
            safety.panel.rows[ben_seat].write_button.click()
            assert page.side_tabs.currentWidget() is page.chat
            assert page.chat.recipient.currentData() == ben_seat

            # Handled: gone from the tab; the count follows.
            page.side_tabs.setCurrentWidget(safety.panel)
            safety.panel.rows[ana_seat].handled_button.click()
            await wait_for(lambda: ana_seat not in safety.panel.rows)
            assert page.side_tabs.tabText(tab) == "Safety (1)"
            safety.panel.rows[ben_seat].handled_button.click()
            await wait_for(lambda: not safety.panel.rows)
            assert page.side_tabs.tabText(tab) == "Safety"
            assert not page.safety_notice.isVisible()
            assert safety.panel.empty.isVisible()
            windows.languages.set_language("fr_CA")  # French (Québec): the tab and its help
            await wait_for(lambda: page.side_tabs.tabText(tab) == "Sécurité")
            assert "N'en parlez pas à voix haute" in safety.panel.steps.text()
            assert "« Passer en mode texte seulement »" in safety.panel.about.text()
            windows.languages.set_language("en")

            assert live.record is not None
            assert live.log is not None
            log_ = live.log

            def steps_written() -> list[tuple[str, str]]:
                return [(e.kind, e.data["seat"]) for e in journal if e.kind.startswith("safety.")]

            journal = await live.record.call(lambda: log_.journal(session_id))
            assert journal is not None
            for seat in (ana_seat, ben_seat):
                kinds = [kind for kind, who in steps_written() if who == seat]
                assert kinds == ["safety.sent", "safety.seen", "safety.withdrawn", "safety.handled"]
            for event in journal:
                if event.kind.startswith("safety."):
                    assert set(event.data) <= {"seat", "member", "seconds"}  # ids only
                    if event.kind != "safety.sent":
                        assert event.data["seconds"] >= 0
        finally:
            await swarm.stop()
            await ana.close()
            await live.close()
            await windows.close_all()

    run(scenario())


def test_a_desktop_participant_gets_the_room_s_own_words_for_the_option(
    run: Run[Any], memory_keyring: Any, qtbot: Any, tmp_path: Path
) -> None:
    words = SafetyWording(
        option=QuestionText(en="Audio settings", fr_ca="Réglages audio"),
        sent=QuestionText(en="Settings saved."),
        withdraw=QuestionText(en="Default settings"),
        withdrawn=QuestionText(en="Defaults restored."),
    )

    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        ana: LiveSession | None = None
        try:
            policy = replace(load_policy(tmp_path / "none"), safety_wording=words)
            policy = replace(policy, lobby_preview=False)
            assert await live.open_room(log, session.id, sources=synthetic("Julie"), policy=policy)
            ana = await knock(live.invite, "Ana")
            assert ana.safety_wording == words  # asked of the room before knocking
            page = LivePage(ana)
            qtbot.addWidget(page)
            page.show()
            await wait_for(lambda: len(live.lobby) == 1)
            await live.admit_all()
            option = page.safety_view.option_button
            await wait_for(option.isVisible)
            assert option.text() == "Audio settings"
            option.click()
            await wait_for(lambda: bool(live.safety.open_calls()))
            assert page.safety_view.option_status.text() == "Settings saved."
            assert option.text() == "Default settings"
        finally:
            if ana is not None:
                await ana.close()
            await live.close()
            await log.close()

    run(scenario())
