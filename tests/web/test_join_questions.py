"""The page asks exactly the questions the room brought (else its own checklist), each by
its kind, in the page's language; required answers missing are said, never a gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import (
    Page,
    chromium,
    next_lobby_with_someone,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

from groupdesk.core.policy_schema import key_spec
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


KINDS = (
    Question("alone", QuestionText(en="I am alone", fr_ca="Je suis seule ou seul"), required=True),
    Question("headphones", QuestionText(en="I wear headphones", fr_ca="Je porte des écouteurs")),
    Question(
        "where",
        QuestionText(en="Where are you now?", fr_ca="Où êtes-vous en ce moment?"),
        kind="location",
        required=True,
    ),
    Question(
        "callback",
        QuestionText(en="A number to call you back", fr_ca="Un numéro pour vous rappeler"),
        kind="phone",
        required=True,
    ),
    Question(
        "contact",
        QuestionText(en="Someone to contact", fr_ca="Une personne à joindre"),
        kind="text",
    ),
)

# What each question's input is: its type, autocomplete, aria-required, and its hint.
INPUTS = """() => Object.fromEntries([...document.querySelectorAll('#answers-form input[name]')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el.name, [el.type, el.autocomplete, el.getAttribute('aria-required'),
    el.getAttribute('aria-describedby')
      ? document.getElementById(el.getAttribute('aria-describedby')).textContent : null]]))"""


async def _to_answers(page: Page, invite: str, name: str = "Jo") -> None:
    await page.goto(invite)
    await wait_step(page, "check")
    await page_holds(page, "window.groupdeskState.checkProblem === null", "devices open")
    await page.click("#check-continue")
    await wait_step(page, "name")
    await page.fill("#name-input", name)
    await page.keyboard.press("Enter")
    await wait_step(page, "answers")


@run_async
async def test_a_room_without_questions_asks_the_default_checklist_by_kind(tmp_path: Path) -> None:
    defaults = key_spec("participant_checklist").default
    async with (
        server_and_facilitator(tmp_path) as (_server, fac, opened),
        chromium() as page,
    ):
        await _to_answers(page, opened.invite)
        state = await page_state(page)
        assert state["questionsFrom"] == "page"
        assert state["questions"] == [item["id"] for item in defaults]
        assert "emergency_contact" in state["questions"]
        text = await visible_text(page)
        for item in defaults:
            assert item["text"]["en"] in text
        inputs = await page.evaluate(INPUTS)
        assert inputs["private_place"][0] == "checkbox"
        assert inputs["phone"][:2] == ["tel", "tel"]
        assert inputs["location"][0] == "text"
        assert "Asked each time" in inputs["location"][3]
        assert inputs["emergency_contact"] == ["text", "off", None, None]  # optional words
        required = [item["id"] for item in defaults if item.get("required")]
        assert sorted(k for k, v in inputs.items() if v[2] == "true") == sorted(required)
        assert await page.locator("#answers-form .required:visible").count() == len(required)

        for item in defaults:
            if item.get("kind", "tick") == "tick":
                await page.check(f"input[name={item['id']}]")
        await page.fill("#question-location", "Rimouski")
        await page.fill("#question-phone", "418 555-0199")
        await page.fill("#question-emergency_contact", "  Marie Roy, 418 555-0111 ")
        await page.click("#answers-form button[type=submit]")  # all required given: no notice
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        declared = lobby.waiting[0].declared
        assert declared["emergency_contact"] == "Marie Roy, 418 555-0111"
        assert declared["location"] == "Rimouski"
        assert declared["phone"] == "418 555-0199"
        assert declared["headphones"] is True
        assert "remote_consent" not in declared  # the room brought no consent text


@run_async
async def test_each_kind_is_asked_its_way_and_the_facilitator_reads_the_answers(
    tmp_path: Path,
) -> None:
    async with (
        server_and_facilitator(tmp_path, questions=KINDS) as (_server, fac, opened),
        chromium() as page,
    ):
        await _to_answers(page, opened.invite)
        assert (await page_state(page))["questions"] == [q.id for q in KINDS]
        inputs = await page.evaluate(INPUTS)
        assert inputs["alone"] == ["checkbox", "", "true", None]
        assert inputs["headphones"] == ["checkbox", "", None, None]
        assert inputs["where"][:3] == ["text", "off", "true"]
        assert "Asked each time" in inputs["where"][3]
        assert inputs["callback"][:3] == ["tel", "tel", "true"]
        assert inputs["contact"][:3] == ["text", "off", None]
        assert await page.inner_text("label:has(#question-alone)") == "I am alone required"
        label_where = await page.inner_text("label[for=question-where]")
        assert label_where.split() == ["Where", "are", "you", "now?", "required"]

        await page.click("#lang-switch")  # in French: the room's words and the page's marks
        assert (
            await page.inner_text("label:has(#question-alone)")
            == "Je suis seule ou seul obligatoire"
        )
        hint = (await page.evaluate(INPUTS))["where"][3]
        assert "Demandé à chaque rencontre" in hint
        await page.click("#lang-switch")

        await page.check("#question-alone")
        await page.fill("#question-where", "  Gaspé,\n  QC ")
        await page.fill("#question-callback", "418 555-0100")
        await page.fill("#question-contact", "Léa, 418 555-0111")
        await page.click("#answers-form button[type=submit]")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].declared == {
            "alone": True,
            "headphones": False,
            "where": "Gaspé, QC",
            "callback": "418 555-0100",
            "contact": "Léa, 418 555-0111",
        }


@run_async
async def test_required_answers_missing_are_said_and_asking_anyway_still_knocks(
    tmp_path: Path,
) -> None:
    async with (
        server_and_facilitator(tmp_path, questions=KINDS) as (_server, fac, opened),
        chromium() as page,
    ):
        await _to_answers(page, opened.invite)
        await page.fill("#question-callback", "418 555-0100")
        await page.click("#answers-form button[type=submit]")

        notice = page.locator("#answers-unmet")
        await notice.wait_for(state="visible")
        assert await notice.get_attribute("role") == "alert"
        assert await page.evaluate("document.activeElement.id") == "answers-unmet"
        said = await notice.inner_text()
        assert "Some required answers are missing" in said
        assert "may keep you waiting" in said
        assert await page.locator("#answers-unmet-list li").all_inner_texts() == [
            "I am alone",
            "Where are you now?",
        ]
        assert (await page_state(page))["unmet"] == ["alone", "where"]
        assert await page.is_visible("#step-answers")  # nothing was sent

        # Go back and complete: the notice goes, the first missing answer has the focus.
        await page.click("#answers-complete")
        assert not await notice.is_visible()
        assert await page.evaluate("document.activeElement.id") == "question-alone"
        await page.keyboard.press("Space")
        await page.click("#answers-form button[type=submit]")
        await notice.wait_for(state="visible")
        assert await page.locator("#answers-unmet-list li").all_inner_texts() == [
            "Where are you now?"
        ]
        await page.click("#lang-switch")  # the notice in French too
        said = await notice.inner_text()
        assert "Il manque des réponses obligatoires" in said
        assert "Où êtes-vous en ce moment?" in said
        assert "Demander à entrer quand même" in said
        await page.click("#lang-switch")

        # Not where they can say: they ask anyway, honestly; the facilitator decides.
        await page.click("#answers-anyway")
        await wait_step(page, "lobby")
        lobby = await next_lobby_with_someone(fac)
        assert lobby.waiting[0].declared == {
            "alone": True,
            "headphones": False,
            "callback": "418 555-0100",
        }
