"""French typography: a space (ordinary, no-break or narrow no-break) before every colon.

« Vous: » reads as a typo in French; « Vous : » is right. Every French text the app shows
comes from the Qt catalogue, the non-Qt message catalogues or the web page's strings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import groupdesk

PACKAGE = Path(groupdesk.__file__).parent
#: A colon used as punctuation (followed by a space or the end), glued to the word before it.
GLUED_COLON = re.compile(r"[^\s\u00a0\u202f]:(?=[\s\u00a0\u202f]|$)")


def _qt_french() -> Iterator[tuple[str, str]]:
    root = ET.parse(PACKAGE / "i18n" / "groupdesk_fr_CA.ts").getroot()
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")]
            for text in forms or [translation.text or ""]:
                yield f"{name}: {message.findtext('source', '')!r}", text


def _catalogue_french() -> Iterator[tuple[str, str]]:
    for path in sorted((PACKAGE / "i18n" / "messages").glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(texts, dict) and "fr_CA" in texts:
                yield f"{path.name}: {key}", texts["fr_CA"]


def _web_french() -> Iterator[tuple[str, str]]:
    strings = json.loads((PACKAGE / "server" / "web" / "strings.json").read_text("utf-8"))
    for key, text in strings["fr"].items():
        yield f"strings.json: {key}", text


def glued_colons(texts: Iterator[tuple[str, str]]) -> list[str]:
    """The French texts with a colon glued to the word before it."""
    return [f"{where}: {text!r}" for where, text in texts if GLUED_COLON.search(text)]


def test_the_rule_sees_a_glued_colon_and_lets_times_and_links_be() -> None:
    texts = [("a", "Vous: bonjour"), ("b", "Vous : bonjour"), ("c", "Vous\u202f: oui")]
    texts += [("d", "19:00"), ("e", "https://exemple.ca"), ("f", "Fin :"), ("g", "{name}:")]
    assert glued_colons(iter(texts)) == ["a: 'Vous: bonjour'", "g: '{name}:'"]


def test_every_french_colon_has_a_space_before_it() -> None:
    found = glued_colons(_qt_french()) + glued_colons(_catalogue_french())
    found += glued_colons(_web_french())
    assert found == []
