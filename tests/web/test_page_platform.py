"""The "camera blocked" help for the browser and device in use: which one (node, the page's
own module), its words in both languages, and an iPhone with its camera refused."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_harness import (
    chromium,
    page_holds,
    page_state,
    run_async,
    server_and_facilitator,
    visible_text,
    wait_step,
)

HERE = Path(__file__).resolve().parent
WEB = HERE.parents[1] / "src" / "groupdesk" / "server" / "web"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the page's module tests need node")
    return node


def test_the_help_chosen_for_each_browser_and_device() -> None:
    done = subprocess.run(
        [_node(), "--test", "platform.test.mjs"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = len(re.findall(r"^test\(", (HERE / "platform.test.mjs").read_text(), re.MULTILINE))
    assert written >= 8
    assert f"# pass {written}" in done.stdout


def _help_kinds() -> list[str]:
    script = "import('./platform.js').then((m) => console.log(JSON.stringify(m.HELP_KINDS)))"
    out = subprocess.run(
        [_node(), "--input-type=module", "-e", script],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    kinds: list[str] = json.loads(out)
    return kinds


def test_phones_are_told_to_tap_and_computers_to_click_in_both_languages() -> None:
    tables = json.loads((WEB / "strings.json").read_text("utf-8"))
    kinds = _help_kinds()
    assert len(kinds) == 9
    for kind in kinds:
        en, fr = tables["en"][f"device.blocked.{kind}"], tables["fr"][f"device.blocked.{kind}"]
        phone = kind.startswith(("ios", "android")) or kind == "phone"
        for text, click, tap in ((en, "click", "tap"), (fr, "clique", "touche")):
            assert (click in text.lower()) is not phone, (kind, text)
            assert (tap in text.lower()) is phone, (kind, text)
            if phone:
                assert "top of the" not in text, (kind, text)
        assert "Réessayer" in fr
        assert "Try again" in en
    assert "Settings app, tap Safari, then Camera" in tables["en"]["device.blocked.ios_safari"]


@run_async
async def test_an_iphone_with_the_camera_refused_gets_the_iphone_steps(tmp_path: Path) -> None:
    async with (
        server_and_facilitator(tmp_path) as (_server, _fac, opened),
        chromium(fake_ui=False) as desktop,
    ):
        assert desktop.context.browser is not None
        context = await desktop.context.browser.new_context(
            user_agent=IPHONE,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="fr-CA",
        )
        page = await context.new_page()
        await page.goto(opened.invite)
        await wait_step(page, "check")
        await page_holds(page, "window.groupdeskState.checkProblem === 'denied'", "refused")
        text = await visible_text(page)
        assert "Votre navigateur a bloqué la caméra et le micro" in text
        assert "ouvrez l'application Réglages, touchez Safari, puis Caméra" in text
        assert "clique" not in text.lower()
        assert "en haut de la fenêtre" not in text
        # The way back: try again, or go on without them.
        assert await page.inner_text("#check-retry") == "Réessayer"
        assert await page.inner_text("#check-continue") == "Continuer sans caméra ni micro"
        assert (await page_state(page))["checkHelp"] == "ios_safari"
        await page.click("#lang-switch")
        text = await visible_text(page)
        assert "open the Settings app, tap Safari, then Camera, and choose Allow" in text
        assert "click" not in text.lower()
        await context.close()
