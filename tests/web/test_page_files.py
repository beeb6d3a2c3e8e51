"""The page's files: strings in both languages, nothing from elsewhere, a strict CSP."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import aiohttp

from groupdesk.server.app import start_server

WEB = Path(__file__).resolve().parents[2] / "src" / "groupdesk" / "server" / "web"
HTML = WEB / "join.html"
SCRIPTS = sorted(WEB.glob("*.js"))


def _strings() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = json.loads((WEB / "strings.json").read_text("utf-8"))
    return tables


def _keys_used() -> set[str]:
    html = HTML.read_text("utf-8")
    used = set(re.findall(r'data-i18n(?:-label|-placeholder)?="([^"]+)"', html))
    for script in SCRIPTS:
        used |= set(re.findall(r"\bt\(\s*'([^']+)'", script.read_text("utf-8")))
    return used


def test_french_and_english_have_the_same_strings() -> None:
    tables = _strings()
    assert set(tables) == {"fr", "en"}
    assert set(tables["fr"]) == set(tables["en"])
    for lang, table in tables.items():
        for key, text in table.items():
            assert text.strip(), f"{lang}: {key} is empty"
    # Placeholders match: "{name}" in one language is "{name}" in the other.
    for key in tables["en"]:
        en = set(re.findall(r"\{\w+\}", tables["en"][key]))
        assert en == set(re.findall(r"\{\w+\}", tables["fr"][key])), key


def test_every_string_the_page_uses_exists() -> None:
    used = _keys_used()
    assert len(used) > 80  # the scan itself works
    missing = used - set(_strings()["en"])
    assert not missing, f"strings used but not defined: {sorted(missing)}"
    unused = set(_strings()["en"]) - used
    assert not unused, f"strings defined but never used: {sorted(unused)}"


def test_french_is_not_english() -> None:
    tables = _strings()
    same = [k for k in tables["en"] if tables["en"][k] == tables["fr"][k]]
    # Words that are the same in both languages, by nature.
    assert set(same) <= {"chat.title", "chat.toggle", "chat.message"}, same


def test_nothing_is_loaded_from_elsewhere() -> None:
    for path in [HTML, WEB / "join.css", *SCRIPTS]:
        text = path.read_text("utf-8")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), path.name
        assert "@import" not in text
        assert "innerHTML" not in text
        assert "eval(" not in text
    scripts = re.findall(r"<script[^>]*>", HTML.read_text("utf-8"))
    assert scripts == ['<script type="module" src="/web/main.js">']  # no inline script


def test_the_server_serves_the_page_with_a_strict_policy(tmp_path: Path) -> None:
    async def scenario() -> None:
        server = await start_server("127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{server.url}/join") as page:
                    assert page.status == 200
                    assert "text/html" in page.headers["Content-Type"]
                    csp = page.headers["Content-Security-Policy"]
                    assert "default-src 'none'" in csp
                    assert "script-src 'self'" in csp
                    assert "'unsafe-inline'" not in csp
                    assert "'unsafe-eval'" not in csp
                    assert "frame-ancestors 'none'" in csp
                    assert page.headers["Referrer-Policy"] == "no-referrer"
                    assert page.headers["Cache-Control"] == "no-store"
                    assert 'src="/web/main.js"' in await page.text()
                for name, kind in (
                    ("main.js", "text/javascript"),
                    ("join.css", "text/css"),
                    ("strings.json", "application/json"),
                ):
                    async with http.get(f"{server.url}/web/{name}") as asset:
                        assert asset.status == 200, name
                        assert asset.headers["Content-Type"].startswith(kind)
                        assert asset.headers["X-Content-Type-Options"] == "nosniff"
                        assert await asset.read() == (WEB / name).read_bytes()
                for bad in ("join.html", "..%2Fapp.py", "nothing.js", "MAIN.JS", ".hidden.js"):
                    async with http.get(f"{server.url}/web/{bad}") as missing:
                        assert missing.status == 404, bad
        finally:
            await server.stop()

    asyncio.run(scenario())
