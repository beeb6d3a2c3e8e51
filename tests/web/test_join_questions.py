"""The page asks exactly the questions the room brought, in the page's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.protocol import Question, QuestionText

pytestmark = pytest.mark.slow

QUESTIONS = (
    Question(
        "quiet_room",
        QuestionText(en="I am in a quiet room", fr_ca="Je suis dans une pièce tranquille"),
    ),
    Question(
        "read_rules",
        QuestionText(en="I have read the group's rules", fr_ca="J'ai lu les règles du groupe"),
    ),
)
PAGE_OWN = ("Je porte des écouteurs", "Où êtes-vous en ce moment", "I am wearing headphones")


@run_async
async def test_a_room_with_two_questions_asks_exactly_those_in_french(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path, questions=QUESTIONS) as (_server, fac, opened),
        chromium(locale="fr-CA") as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
        await page.click("#check-continue")
        await wait_step(page, "name")
        await page.fill("#name-input", "Inès")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")

        text = await visible_text(page)
        assert "Je suis dans une pièce tranquille" in text
        assert "J'ai lu les règles du groupe" in text
        for other in PAGE_OWN:
            assert other not in text
        boxes = await page.locator("#step-answers input:visible").count()
        assert boxes == 2
        state = await page_state(page)
        assert state["questions"] == ["quiet_room", "read_rules"]
        assert state["questionsFrom"] == "room"

        # switched to English, the same two questions in English
        await page.click("#lang-switch")
        text = await visible_text(page)
        assert "I am in a quiet room" in text
        assert "I have read the group's rules" in text
        assert "Je suis dans une pièce tranquille" not in text
        await page.click("#lang-switch")

        await page.get_by_label("Je suis dans une pièce tranquille").check()
        await page.click("#answers-form button[type=submit]")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].display_name == "Inès"
        assert lobby.waiting[0].declared == {"quiet_room": True, "read_rules": False}


@run_async
async def test_a_room_without_questions_gets_the_page_own_list(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_server, _fac, opened),
        chromium() as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        state = await page_state(page)
        assert state["questionsFrom"] == "page"
        assert "private_place" in state["questions"]
        assert "phone" in state["questions"]


@run_async
async def test_location_and_phone_are_asked_in_words(tmp_path: Path) -> None:
    questions = (
        Question("location", QuestionText(en="I have said where I am")),
        Question("alone", QuestionText(en="I am alone")),
    )
    async with (
        server_and_facilitator(tmp_path, questions=questions) as (_server, fac, opened),
        chromium() as page,
    ):
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page.click("#check-continue")
        await page.fill("#name-input", "Jo")
        await page.keyboard.press("Enter")
        await wait_step(page, "answers")
        text = await visible_text(page)
        assert "I am alone" in text
        assert "Where are you now?" in text  # the page's own wording for a written answer
        assert "phone number" not in text
        await page.fill("#question-location", "Gaspé")
        await page.click("#answers-form button[type=submit]")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].declared == {"location": "Gaspé", "alone": False}
