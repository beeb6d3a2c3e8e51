"""The desktop's participant mode asks the room's rules, consent and questions before it
knocks, as the web page does: one field per question by its kind, required items named
(never blocking), Cancel knocks not at all. Real windows (offscreen), a facilitator's
live session on the embedded server, the answers read on the facilitator's side."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from live_helpers import knock, prepared_log, synthetic, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit
from ui_helpers import Run, Windows

from groupdesk.core.policy_values import load_policy
from groupdesk.core.protocol import (
    CONSENT_ANSWER,
    Question,
    QuestionText,
    RoomConsent,
    RoomInfo,
    RoomText,
)
from groupdesk.ui.answers_dialog import AnswersDialog, ask_answers
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.main_window import MainWindow

ROOM = "room_0001"


def _info(**kwargs: Any) -> RoomInfo:
    return RoomInfo(room=ROOM, questions=kwargs.pop("questions", ()), invite_expires_at=0.0,
                    **kwargs)  # fmt: skip


async def _dialog(window: MainWindow) -> AnswersDialog:
    await wait_for(lambda: window.findChild(AnswersDialog) is not None, timeout=20)
    dialog = window.findChild(AnswersDialog)
    assert dialog is not None
    assert dialog.isVisible()
    return dialog


def _y(widget: Any) -> int:
    return int(widget.mapTo(widget.window(), widget.rect().topLeft()).y())


@pytest.mark.slow
def test_the_participant_answers_the_rooms_questions_and_the_facilitator_gets_them(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir.parent / "host", ["Sophie"])
        host = LiveSession()
        window = windows.open()
        window.live_sources = synthetic("Sophie", 4)
        policy = load_policy()
        try:
            assert await host.open_room(log, session.id, sources=synthetic("Julie"))
            joining = asyncio.ensure_future(window.join_now(host.invite, "Sophie"))
            dialog = await _dialog(window)
            assert not host.lobby  # nothing is sent before the answers

            # The rules to read first, then the consent, then the questions by kind.
            assert dialog.rules_text.toPlainText() == policy.group_rules.text_in("en")
            assert dialog.rules_text.isReadOnly()
            consent = policy.remote_consent
            assert dialog.consent_text.toPlainText() == consent.text.text_in("en")
            assert dialog.consent_box.text() == (
                "I have read this and I agree to take part remotely"
            )
            fields = dialog.fields
            assert list(fields) == [q.id for q in host.questions]
            ticks = [q.id for q in host.questions if q.kind == "tick"]
            assert all(isinstance(fields[i], QCheckBox) for i in ticks)
            for written in ("location", "phone", "emergency_contact"):
                assert isinstance(fields[written], QLineEdit)
            assert _y(dialog.rules_text) < _y(dialog.consent_box) < _y(fields["private_place"])
            private = fields["private_place"]
            assert isinstance(private, QCheckBox)
            assert private.text() == "I am in a private place (required)"
            assert fields["headphones"].text() == "I am wearing headphones (if I have some)"
            [hint] = dialog.location_hints
            assert hint.isVisibleTo(dialog)
            assert hint.text().startswith("Asked at every session")

            for tick in ("private_place", "no_recording", "group_rules"):
                box = fields[tick]
                assert isinstance(box, QCheckBox)
                box.setChecked(True)
            qtbot.keyClicks(fields["location"], "  Sherbrooke,   Estrie ")
            dialog.consent_box.setChecked(True)

            # Required items left: named, and nothing is sent yet.
            qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
            assert dialog.unmet_panel.isVisibleTo(dialog)
            said = dialog.unmet_label.text()
            assert "I am alone, or nobody can hear what is said" in said
            assert "A phone number to call you" in said
            assert "The facilitator decides" in said
            dialog.back_button.click()
            assert not dialog.unmet_panel.isVisibleTo(dialog)
            assert dialog.focusWidget() is fields["alone"]  # the first one left
            assert not joining.done()

            qtbot.keyClicks(fields["phone"], "819-555-0142")
            qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
            assert dialog.unmet_label.text().startswith("Not answered yet:\n• I am alone")
            assert "phone" not in dialog.unmet_label.text()
            dialog.anyway_button.click()  # the facilitator decides

            assert await joining
            assert window.live.stage is LiveStage.WAITING
            await wait_for(lambda: len(host.lobby) == 1)
            # Exactly the answers given: ticks true or false, words cleaned, nothing for
            # the unanswered contact, the consent's version.
            assert host.lobby[0].declared == {
                "private_place": True,
                "alone": False,
                "headphones": False,
                "no_recording": True,
                "group_rules": True,
                "location": "Sherbrooke, Estrie",
                "phone": "819-555-0142",
                CONSENT_ANSWER: consent.version,
            }
            assert window.live.rules == host.rules  # kept for the session, as before
        finally:
            await window.live.close()
            await host.close()
            await log.close()
            await windows.close_all()

    run(scenario())


@pytest.mark.slow
def test_cancel_knocks_not_at_all(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(windows.data_dir.parent / "host", ["Sophie"])
        host = LiveSession()
        window = windows.open()
        window.live_sources = synthetic("Sophie", 4)
        ana = None
        try:
            assert await host.open_room(log, session.id, sources=synthetic("Julie"))
            joining = asyncio.ensure_future(window.join_now(host.invite, "Sophie"))
            dialog = await _dialog(window)
            box = dialog.fields["private_place"]
            assert isinstance(box, QCheckBox)
            box.setChecked(True)
            dialog.cancel_button.click()
            assert not await joining
            live = window.live
            assert live.stage is LiveStage.IDLE
            assert live.problem is None  # nothing went wrong: no message to show
            assert not live.conn.connected
            assert window.pages.currentWidget() is window.unlock_page  # back where we were
            # Someone knocking after her is the only one in the lobby: no hello went.
            ana = await knock(host.invite, "Ana")
            await wait_for(lambda: len(host.lobby) == 1)
            assert [p.name for p in host.lobby] == ["Ana"]
        finally:
            if ana is not None:
                await ana.close()
            await window.live.close()
            await host.close()
            await log.close()
            await windows.close_all()

    run(scenario())


def test_each_kind_has_its_field_in_both_languages(qtbot: Any, languages: Any) -> None:
    info = _info(
        questions=(
            Question("quiet", QuestionText(en="I am in a quiet room", fr_ca="Je suis au calme")),
            Question("where", QuestionText(en="Where are you?"), kind="location", required=True),
            Question("number", QuestionText(fr_ca="Votre numéro"), kind="phone"),
            Question("note", QuestionText(en="Anything to tell us?"), kind="text"),
        ),
        consent=RoomConsent("2026-1", RoomText(en="Advantages, drawbacks.", fr_ca="Avantages.")),
    )
    dialog = AnswersDialog(info)
    qtbot.addWidget(dialog)
    assert not dialog.rules_text.isVisibleTo(dialog)  # the room brought no rules
    assert dialog.consent_text.isVisibleTo(dialog)
    assert dialog.fields["number"].accessibleName() == "Votre numéro"  # the only text
    assert dialog.fields["where"].accessibleName() == "Where are you? (required)"
    for name in ("where", "note"):
        field = dialog.fields[name]
        assert isinstance(field, QLineEdit)
    note = dialog.fields["note"]
    assert isinstance(note, QLineEdit)
    note.setText("\tNothing   special\t")
    # Unticked consent and blank words are not declared; the tick is, false.
    assert dialog.answers() == {"quiet": False, "note": "Nothing special"}
    assert [q.id for q in dialog.unmet()] == ["where"]
    dialog.join_button.click()  # shown, so a language switch below says it again
    assert dialog.unmet_label.text().startswith("Not answered yet:\n• Where are you?\nThe")
    dialog.consent_box.setChecked(True)
    assert dialog.answers()[CONSENT_ANSWER] == "2026-1"

    languages.set_language("fr_CA")
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert dialog.windowTitle() == "Avant d'entrer"
    assert dialog.consent_text.toPlainText() == "Avantages."
    quiet = dialog.fields["quiet"]
    assert isinstance(quiet, QCheckBox)
    assert quiet.text() == "Je suis au calme"
    assert dialog.fields["where"].accessibleName() == "Where are you? (obligatoire)"
    assert dialog.consent_box.text() == ("J'ai lu ce texte et j'accepte de participer à distance")
    assert dialog.location_hints[0].text().startswith("Demandé à chaque séance")
    assert dialog.unmet_label.text().startswith("Sans réponse pour l'instant :\n• Where")
    assert dialog.join_button.text() == "Demander à &entrer"
    assert dialog.cancel_button.text() == "Annuler"


def test_a_room_that_asks_nothing_shows_no_dialog(run: Run[Any], qtbot: Any) -> None:
    async def scenario() -> None:
        assert await ask_answers(_info(), None) == {}

    run(scenario())
