"""axe-core on every state of the participant page, in real Chromium: English and French,
on a phone (390x844) and a desktop (1366x768). Zero violations, whatever their impact.

One page per language and size walks through the states (page_walk.py): the first screen
with the camera blocked, the device check with its result, the name, the questions with
the group's rules and the consent, the required answers missing, the lobby, the live room
with one and with three others, Messages open, a raised hand, the side-room notice, the
end of the room, and a second visit the facilitator refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import axe_violations, chromium, describe_violations, need_axe, run_async
from page_walk import walk_page_states

pytestmark = pytest.mark.slow

SIZES = {"phone": (390, 844), "desktop": (1366, 768)}
LOCALES = {"en": "en-US", "fr_CA": "fr-CA"}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("language", sorted(LOCALES))
@run_async
async def test_every_page_state_passes_axe(tmp_path: Path, language: str, size: str) -> None:
    need_axe()
    found: dict[str, str] = {}
    seen: list[str] = []
    async with chromium(fake_ui=False, locale=LOCALES[language], viewport=SIZES[size]) as page:

        async def check(state: str) -> None:
            seen.append(state)
            assert await page.evaluate("document.documentElement.lang") == (
                "fr-CA" if language == "fr_CA" else "en"
            )
            violations = await axe_violations(page)
            if violations:
                found[state] = describe_violations(violations)

        await walk_page_states(page, tmp_path, check)
    assert len(seen) == 14  # every state was reached and checked
    assert not found, "\n".join(f"== {state}\n{text}" for state, text in found.items())
